// Procedure (法定程序): the statutory procedure a case follows — licensing
// (行政许可法), the general and the summary penalty procedure (行政处罚法) and
// inspection — held as data (data/procedures/*.json, format in
// docs/procedures.md), not as code, so that a change of law is a new version
// of a data file and a case keeps the version it was opened under.
//
// A procedure is a state machine: states, steps (the transitions, each with
// guards that encode the statute: documents on file, steps done before, facts
// established, a written reason) and clocks (法定时限 / 承诺时限) that steps
// start, stop, suspend (中止: time that does not count, e.g. 行政许可法
// 第四十五条), resume and extend (延期).
//
// Division of labour: ApplyStep checks the state, the documentary and
// procedural guards and the clock operations. The officer-related guards
// (how many officers, enforcement certificates, leader, legal reviewer) are
// read from the step by the authority check (domain/authority.h); amounts
// (the summary-procedure limits) are checked by the app.
//
// Pure: no files, no clock, no SQL. Callers pass file text and dates. All
// types are values; a const Procedure or ProcedureLibrary may be shared
// between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/calendar.h"

namespace quanze::domain {

// Working day (工作日) or calendar day (自然日).
enum class DayUnit { kWorking, kCalendar };
std::string_view DayUnitCode(DayUnit unit);  // "working" | "calendar"
std::optional<DayUnit> ParseDayUnit(std::string_view code);

// ClockSpec: a statutory (法定时限) or promised (承诺时限) time limit of a
// procedure. The deadline is counted from the day the clock starts, that day
// not counted.
struct ClockSpec {
  std::string id;
  std::string label_zh;
  std::string label_en;
  int limit_days = 0;
  DayUnit unit = DayUnit::kWorking;
  int max_extension_days = 0;  // 0: the clock cannot be extended
  int max_extensions = 1;      // how many extensions (行政许可法 第四十二条: one)
  bool statutory = true;       // false: a promised or practice limit
  // A minimum period rather than a deadline (e.g. notice 7 days before a
  // hearing): it is never yellow or red; steps may wait for it to run out.
  bool waiting = false;
  // The limit is set by the step that starts the clock (StepCommand::
  // limit_days, e.g. the rectification period of an order); limit_days is
  // then the default.
  bool per_case_limit = false;
  // The party's own period (e.g. paying a fine, 行政处罚法 第六十七条): running
  // late is the party's, never the officer's — it starts a surcharge and the
  // path to enforcement, and never opens an accountability record.
  bool party_duty = false;
  // A period counted in hours (e.g. 行政强制法 第十九条 "二十四小时内"), kept as
  // calendar days: its end is never moved past rest days or holidays.
  bool exact_end = false;
  std::string basis;
};

// kRestart: starts the clock again from the step's day (e.g. a new notice
// restarts the party's hearing-request period).
enum class ClockOpKind { kStart, kStop, kSuspend, kResume, kExtend, kRestart };
std::string_view ClockOpKindCode(
    ClockOpKind kind);  // "start","stop","suspend","resume","extend","restart"
std::optional<ClockOpKind> ParseClockOpKind(std::string_view code);

struct ClockOp {
  std::string clock;
  ClockOpKind kind = ClockOpKind::kStart;
  // For kStart: the clock starts on the day the case opened, not on the day
  // of the step (视为受理: 行政许可法 第三十二条(四) "自收到申请材料之日起即为受理").
  bool as_of_opening = false;
  // For kStart: as of opening when this clock's deadline had passed on the
  // step's day (行政许可法 第三十二条: no correction notice within 5 days →
  // accepted from receipt, whatever day acceptance is recorded).
  std::string as_of_opening_if_expired;
  // Skipped, instead of refused, when it does not apply: suspending a clock
  // that is not running or already suspended, resuming one that is not
  // suspended (e.g. a hearing requested while testing already suspends).
  bool optional = false;
  // The op applies only when this fact holds after the step ("" = always),
  // e.g. the payment period starts on service only when a fine was imposed.
  std::string when_fact;
};

struct StepGuard {
  int min_officers = 1;      // checked by the authority check, not by ApplyStep
  bool certificate = false;  // each officer holds a valid enforcement certificate (authority check)
  bool leader = false;       // performer is a leader/负责人 (authority check)
  bool legal_reviewer = false;  // performer is qualified for 法制审核 (authority check)
  std::vector<std::string>
      documents;  // document kinds that must be on file (attached earlier or with this command)
  std::vector<std::string> after_steps;   // steps that must have been done before
  std::vector<std::string> facts;         // case facts that must hold, e.g. "legal_review_passed"
  std::vector<std::string> absent_facts;  // case facts that must not hold (e.g. already paid)
  bool all_leaders = false;  // every acting officer is a leader (集体讨论; authority check)
  struct Wait {
    std::string clock;
    bool strictly_after = false;
  };
  struct Conditional {
    std::string when_fact;
    std::vector<std::string> unless_facts;  // the conditional is off when any of these holds
    std::vector<std::string> after_steps;
    std::vector<std::string> facts;
    std::vector<Wait> waits;
  };
  // e.g. when "major_case": after "legal_review" and fact "legal_review_passed"
  // (第五十八条); when "hearing_requested": after "hold_hearing".
  std::vector<Conditional> conditionals;
  bool reason = false;  // a written reason is required
  // Waiting periods that must have run out on the day of the step: the
  // clock's deadline <= the step's date (< when strictly_after). E.g. the
  // hearing is held no earlier than 7 working days after its notice.
  std::vector<Wait> waits;
  // Clocks that must be running with their deadline not passed on the day of
  // the step (e.g. a correction request only within the 5-day period of
  // 行政许可法 第三十二条; a hearing request within 5 days of the notice).
  std::vector<std::string> before_deadline;
  // Steps whose performers and officers may not perform this one (第五十八条:
  // the legal reviewer did not investigate; 第六十四条: the hearing is chaired
  // by someone who did not investigate). Checked by domain::cases::Decide.
  std::vector<std::string> separate_from;
};

struct ProcedureStep {
  std::string code, label_zh, label_en;
  std::vector<std::string> from;  // states
  std::string to;                 // state after the step ("" = stays)
  StepGuard guard;
  std::vector<ClockOp> clock_ops;
  std::vector<std::string> sets_facts;  // facts that hold after the step
  // Facts the command may assert at this step as the performer's finding
  // (e.g. "legal_review_passed" at the legal review, "major_case" at the
  // head's review). Any other asserted fact is refused: a fact that a step
  // establishes can only come from that step (ARCHITECTURE.md §6).
  std::vector<std::string> evidence_facts;
  // Typed data the step records (read by domain::cases::Decide):
  //  "violation"  when the violation was committed/ended and discovered (第三十六条);
  //  "proposal"   the proposed penalty of the notice (第四十四条, 第四十五条, 第六十三条);
  //  "collection" a fine collected on the spot, with its receipt (第六十八至七十条).
  std::string records;
  bool serves_decision = false;  // service (送达): appeal periods run from this step
  std::string
      outcome;  // e.g. "granted","refused","not_accepted","penalty","no_penalty","rectified"; ""
                // none
  bool enforcement =
      false;  // an enforcement act (处罚/强制/检查): authority check requires 2 certified officers
  bool decision = false;       // the step records a decision (responsible person, appeal routes)
  bool statutory_duty = true;  // overdue -> accountability
  std::string basis;           // the article(s) the step follows
};

struct ProcedureState {
  std::string code, label_zh, label_en;
  bool terminal = false;
};

// Amount limits of a procedure, in fen (分). The summary penalty procedure
// (行政处罚法 第五十一条) allows on-the-spot fines up to 200 yuan for a natural
// person and 3000 yuan for an organisation; the app enforces them.
struct AmountLimits {
  std::int64_t natural_person_fen = 0;
  std::int64_t organisation_fen = 0;
  // 第六十八条(一): a fine up to this amount may be collected on the spot;
  // above it only with a reason (第六十八条(二) hard to execute later). 0: none.
  std::int64_t collect_on_spot_fen = 0;
};

struct Procedure {
  std::string id;  // "licensing" | "penalty_general" | "penalty_summary" | "inspection"
  int version = 1;
  std::string name_zh, name_en, basis;
  std::string initial_state;
  std::vector<ProcedureState> states;
  std::vector<ClockSpec> clocks;
  std::vector<ProcedureStep> steps;
  std::vector<std::string> opening_clock_starts;  // clocks started when the case opens
  std::optional<AmountLimits> limits;             // "limits" in the file, if any

  // nullptr when absent. Pointers stay valid while the Procedure lives unchanged.
  const ProcedureStep* FindStep(std::string_view code) const;
  const ClockSpec* FindClock(std::string_view id) const;
  const ProcedureState* FindState(std::string_view code) const;
  // The steps allowed from `state`, in file order (empty for terminal states).
  std::vector<const ProcedureStep*> StepsFrom(std::string_view state) const;
};

// Parses and validates one data file: every referenced state, clock and step
// exists, codes are unique, the initial state exists, terminal states have no
// outgoing steps, non-terminal states have some, every state is reachable,
// unknown fields are refused (typos must not silently drop a guard).
// kBadRequest for malformed JSON; kValidation with detail
// {"errors":[{"path","message_zh","message_en"}]} listing every problem.
Result<Procedure> ParseProcedure(std::string_view json_text);

// All loaded procedures, every version kept (a case's procedure version is
// fixed when it opens). Not thread-safe for writes; const use may be shared.
class ProcedureLibrary {
 public:
  Status Add(Procedure procedure);  // kConflict if (id, version) already present
  // nullptr when absent. Pointers stay valid for the library's lifetime.
  const Procedure* Find(std::string_view id, int version) const;
  const Procedure* Latest(std::string_view id) const;  // highest version
  std::vector<const Procedure*> All() const;           // by id, then version

 private:
  std::map<std::string, std::map<int, Procedure>, std::less<>> by_id_;
};

// Suspension (中止): a period that does not count toward a clock.
struct Suspension {
  Date from;
  std::optional<Date> to;  // open while the clock is suspended
  std::string reason;
};

struct ClockState {
  std::optional<Date> started;
  std::optional<Date> stopped;
  std::vector<Suspension> suspensions;
  int extension_days = 0;
  int extensions = 0;
  std::optional<int> limit_days;  // set per case (ClockSpec::per_case_limit)
};

// The penalty terms of a notice (告知) or a decision, in fen.
struct PenaltyTerms {
  std::string tier;
  std::int64_t amount_fen = 0;
  std::int64_t confiscation_fen = 0;  // 没收违法所得、非法财物 (value)
  bool licence_revoked_or_closure = false;  // 吊销、降级、责令关闭、停产停业、限制从业
  bool operator==(const PenaltyTerms&) const = default;
};

// When a violation was committed (or ended, if continuing) and discovered
// (行政处罚法 第三十六条).
struct ViolationDates {
  Date committed_on;  // the day it was committed, or ended when it continued
  Date discovered_on;
  bool serious_harm = false;  // life, health or financial safety involved and harm followed
  bool operator==(const ViolationDates&) const = default;
};

struct CaseState {
  std::string state;
  std::vector<std::string> done_steps;  // in order
  std::set<std::string> facts;
  std::set<std::string> documents;
  std::map<std::string, ClockState> clocks;  // by ClockSpec::id
  Date opened_on;
  Date last_step_on;                        // a step may not be dated before the previous one
  std::optional<ViolationDates> violation;  // penalty cases (第三十六条)
  std::optional<PenaltyTerms> proposal;     // the notice's proposed penalty
  std::int64_t fine_fen = 0;                // the decided fine (payment, surcharge)
  std::set<std::string> flags;              // "backdated", "hearing_waived", "late_payment", ...
};

// The state of a case opened on `opened_on`: initial state, opening clocks started.
CaseState OpenCase(const Procedure& procedure, Date opened_on);

struct StepCommand {
  std::string step;
  Date on;
  std::set<std::string> documents;  // attached with this step
  std::set<std::string> facts;      // asserted with this step; only the step's evidence_facts
  // Facts the decision function established from the command's typed data
  // (e.g. "hearing_rights_notified" from the notice's proposed penalty,
  // "fine_imposed" from a decided amount). Not subject to evidence_facts.
  std::set<std::string> established;
  std::string reason;
  int extension_days = 0;  // for a step with an extend op; 0 = the clock's maximum
  int limit_days = 0;      // for a step starting a per-case clock; 0 = the clock's default
};

// The state after the step. Failures (values, never exceptions):
//  kConflict: the step is not allowed from the current state / unknown step —
//    detail {"state","step","allowed_steps":[...]}, message in Chinese and English;
//  kRuleViolation: guards fail — detail {"failures":[{"guard","item",
//    "message_zh","message_en"}]} listing EVERY failing guard. Guard names:
//    "documents", "after_steps", "facts" (a conditional's failures carry
//    "when": the fact that triggered it), "reason", "waiting_period",
//    "extension" (second extension, longer than the maximum), "suspension"
//    (suspend while suspended, resume without suspension), "clock" (start a
//    started clock, stop/extend one not running), "date" (dated before the
//    previous step), "facts" also when a command asserts a fact that only
//    another step establishes;
//  kValidation: a waiting period needs a year whose holiday schedule is not
//    loaded; kInternal: a step with waiting periods and no calendar passed.
// Officer-related guards (min_officers, certificate, leader, legal_reviewer)
// are NOT checked here; the authority check reads them from the step.
Result<CaseState> ApplyStep(const Procedure& procedure, const CaseState& current,
                            const StepCommand& command, const HolidayCalendar* calendar = nullptr);

enum class ClockStatus {
  kNotStarted,
  kRunning,
  kYellow,
  kRed,
  kSuspended,
  kStoppedOnTime,
  kStoppedLate
};
// "not_started","running","yellow","red","suspended","stopped_on_time","stopped_late"
std::string_view ClockStatusCode(ClockStatus s);

struct ClockView {
  std::string id;
  std::optional<Date> deadline;
  int limit_days = 0;
  int extension_days = 0;
  int excluded_days = 0;  // suspended days, in the clock's unit
  int used_days = 0;      // counted days up to today (or the stop), in the clock's unit
  int left_days = 0;  // days from today to the deadline, in the clock's unit; negative when late
  ClockStatus status = ClockStatus::kNotStarted;
};

// Deadline = start + limit + extension + excluded days (working days counted
// via HolidayCalendar::AddWorkingDays for working-day clocks; calendar clocks:
// calendar days, end moved to the next working day per 民法典 第二百零三条 via
// AddCalendarDays). A suspension from F to T excludes the days in (F, T]; an
// open one runs to today (or to the stop). Yellow when running and the
// working days left <= yellow_working_days; red when today > deadline;
// stopped: on time when stopped <= deadline. Waiting clocks are never yellow
// or red. kValidation when a needed year's holiday schedule is not loaded
// (flag, never guess).
Result<ClockView> EvaluateClock(const ClockSpec& spec, const ClockState& state, Date today,
                                int yellow_working_days, const HolidayCalendar& calendar);

}  // namespace quanze::domain
