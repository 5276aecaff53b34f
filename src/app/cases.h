// CaseService: exercising granted powers (办件 / 案件). This is where
// 法无授权不可为, 法定职责必须为, 谁审批谁负责 and 严格限制自由裁量权 become code.
//
// Every step of a case is one unit of work on the Writer: load the case and
// the facts of that moment → domain::CheckAuthority (default deny) → the
// procedure engine (domain::ApplyStep: state, guards, clocks) → decision
// rules (discretion benchmark, hearing notice, on-the-spot limits) → store →
// journal. A denied or refused attempt is journaled through
// Tx::RecordOnFailure and opens an accountability record (Tx::OnRefusal)
// whose evidence is the refusal's ledger index.
//
// Personal data of parties (names of natural persons, ID numbers, phones)
// never enters the log in clear (keyed commitments; clear values in the
// erasable personal_data table) and never appears in public answers.
// Request and answer shapes: docs/cases.md. Reads run on reader connections
// from any thread; *Work functions return units for Writer::Submit / Run.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/writer.h"
#include "common/clock.h"
#include "domain/calendar.h"
#include "domain/cases/rule_book.h"
#include "domain/discretion.h"
#include "domain/procedure.h"
#include "store/db.h"

namespace quanze::app {

struct CaseSettings {
  int yellow_working_days = 3;        // yellow warning this many working days before a deadline
  int disclosure_working_days = 7;    // decisions disclosed within 7 working days
  int withdraw_working_days = 3;      // an annulled decision withdrawn within 3 working days
  int callback_working_days = 1;      // bad rating: call the rater back within 1 working day
  int fix_working_days = 15;          // bad rating: rectify within 15 working days
  std::int64_t max_file_bytes = 5 * 1024 * 1024;  // one uploaded material
  int max_files = 10;                 // materials per application
  domain::HearingThresholds hearing;  // 较大数额 (per province)
  int max_backdate_days = 3;          // a step may be dated this many working days back
};

// The rule data the service interprets: procedures (data/procedures), the
// working-day calendar (data/holidays) and discretion benchmarks
// (data/discretion). Loaded once at start; immutable afterwards.
struct CaseRules {
  domain::ProcedureLibrary procedures;
  domain::HolidayCalendar calendar;
  std::vector<domain::DiscretionBenchmark> benchmarks;
  domain::cases::CaseRuleBook book;  // data/rules/cases.json
  const domain::DiscretionBenchmark* FindBenchmark(std::string_view power_code) const;
};

// Loads the rules embedded in the binary, then every cn-YYYY.json of
// `holidays_dir` (when not empty) on top, so later years can be added
// without a rebuild. kValidation naming the file on a bad file.
Result<std::unique_ptr<CaseRules>> LoadCaseRules(const std::string& holidays_dir);

class CaseService {
 public:
  CaseService(store::Database& db, Writer& writer, const Clock& clock, const CaseRules& rules,
              CaseSettings settings);

  const CaseRules& rules() const { return rules_; }
  const CaseSettings& settings() const { return settings_; }
  // Today in Asia/Shanghai, from the injected clock.
  domain::Date Today() const;

  // ---- Public (no account) ----
  // GET /api/v1/calendar/deadline: {"deadline", "start", "days", "unit"}.
  Result<nlohmann::json> Deadline(const std::string& start, std::int64_t days,
                                  const std::string& unit) const;
  // An online application for a catalogue item of a town (第二十九条); answers
  // {"receipt_code", "case_id", "state", ...}. An item the town does not hold
  // is refused naming the body that does (第三十二条).
  Writer::Work ApplicationWork(nlohmann::json request) const;
  // Progress by receipt code: state, steps, deadlines; no personal data.
  Result<nlohmann::json> PublicApplication(const std::string& receipt_code);
  // 好差评 by receipt code; bad ratings open a rectification.
  Writer::Work RatingWork(nlohmann::json request) const;
  // Published disclosures of a town (masked), newest first.
  Result<nlohmann::json> PublicDisclosures(const std::string& town_code, std::int64_t offset,
                                           int limit);
  // The procedures with their steps and clocks (for forms and the portal).
  nlohmann::json Procedures() const;

  // ---- Staff ----
  // A case entered at the service-centre window, from a complaint or an
  // inspection plan, or on the spot.
  Writer::Work OpenWork(const AuthUser& user, nlohmann::json request) const;
  Result<nlohmann::json> OpenInTx(Tx& tx, const AuthUser& user, const nlohmann::json& request,
                                  std::optional<std::int64_t> as_person) const;
  // One procedure step {"step", "on"?, "officers"?, "documents"?, "facts"?,
  // "reason"?, "extension_days"?, "decision"?}.
  Writer::Work StepWork(const AuthUser& user, std::int64_t case_id, nlohmann::json request) const;
  // The same inside a unit the caller holds. `as_person` (system callers
  // such as the demo only) names the acting person instead of the account's;
  // `as_of` (the demo only) records the step as if on that day, so that a
  // demo history is not backdated.
  Result<nlohmann::json> StepInTx(Tx& tx, const AuthUser& user, std::int64_t case_id,
                                  const nlohmann::json& request,
                                  std::optional<std::int64_t> as_person,
                                  std::optional<domain::Date> as_of = std::nullopt) const;
  // A material for a case (raw bytes; type-checked, size-limited, SHA-256).
  Writer::Work FileWork(const AuthUser& user, std::int64_t case_id, std::string kind,
                        std::string file_name, std::string content_type, std::string bytes) const;
  // Publish or withdraw a decision's disclosure {"action": "publish"|"withdraw", "reason"}.
  Writer::Work DisclosureWork(const AuthUser& user, std::int64_t case_id,
                              nlohmann::json request) const;
  // A bad rating's rectification {"action": "callback"|"fixed", "note"}.
  Writer::Work RectificationWork(const AuthUser& user, std::int64_t rating_id,
                                 nlohmann::json request) const;
  // Inbox: open cases sorted by deadline with yellow/red marks.
  Result<nlohmann::json> Inbox(const AuthUser& user, const std::optional<std::string>& town,
                               bool mine, bool open_only, std::int64_t offset, int limit);
  Result<nlohmann::json> GetCase(const AuthUser& user, std::int64_t case_id);
  // The people of the case's handling agency who may act with the user:
  // {id, name, post, is_leader, certificate_valid, legal_reviewer}.
  Result<nlohmann::json> Officers(const AuthUser& user, std::int64_t case_id);
  // The real-name person behind the account (null when none).
  Result<nlohmann::json> Me(const AuthUser& user);

  // ---- Set-up of legal authority (journaled) ----
  // {"grant_id", "agency_id"}: the town agency that handles a granted power.
  Writer::Work AssignAgencyWork(const AuthUser& user, nlohmann::json request) const;
  // {"agency_id", "post", "steps": ["licensing:accept", "penalty_general:*", ...]}.
  Writer::Work PostStepsWork(const AuthUser& user, nlohmann::json request) const;
  // {"person_id", "document"}: a person qualified for 法制审核.
  Writer::Work LegalReviewerWork(const AuthUser& user, nlohmann::json request) const;
  // {"user_id", "person_id"}: the real-name person an account belongs to.
  Writer::Work LinkUserWork(const AuthUser& user, nlohmann::json request) const;

  // ---- Oversight ----
  // Deadline sweep for `today`: overdue statutory steps, late disclosures and
  // unresolved bad ratings open accountability records. Idempotent.
  Writer::Work SweepWork() const;
  Result<nlohmann::json> Accountability(const AuthUser& user, const std::string& region,
                                        const std::optional<std::string>& state,
                                        const std::optional<std::string>& trigger,
                                        std::int64_t offset, int limit);
  // {"to": "under_review"|"concluded", "conclusion"}.
  Writer::Work AccountabilityWork(const AuthUser& user, std::int64_t id,
                                  nlohmann::json request) const;
  // Per town, agency or officer: on-time rate, mean days used vs statutory,
  // satisfaction, discretion distribution.
  Result<nlohmann::json> Evaluation(const AuthUser& user, const std::string& region,
                                    const std::string& by, const std::string& from,
                                    const std::string& to);
  // 同案同罚: penalties far from the median of similar cases.
  Result<nlohmann::json> Outliers(const AuthUser& user, const std::string& region);
  // The discretion benchmark of an item; with a tier, its allowed range.
  Result<nlohmann::json> Discretion(const std::string& power_code,
                                    const std::optional<std::string>& tier,
                                    std::int64_t base_fen) const;

 private:
  store::Database& db_;
  Writer& writer_;
  const Clock& clock_;
  const CaseRules& rules_;
  CaseSettings settings_;
};

}  // namespace quanze::app
