// Repositories of case handling (tables of migration 4, see cases_schema.cc):
// portable SQL with `?` placeholders over a Connection. Callers (app/) own
// the transaction; these functions never begin or commit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace quanze::store {

// ---- Legal-authority facts ----
struct GrantAuthorityRecord {
  std::int64_t grant_id = 0;
  std::string state;
  std::string kind;
  std::string valid_from;
  std::optional<std::string> valid_to;
  std::int64_t agency_id = 0;  // 0: no handling agency assigned
  std::string power_name;
  std::string department;  // the originating county department
};
// The current (not revoked, else the latest) grant of a power to a town.
Result<std::optional<GrantAuthorityRecord>> FindGrantForCase(Connection& c,
                                                              const std::string& town_code,
                                                              const std::string& power_code);
// The originating county department of a power (the body that holds it
// where the town does not), from any province's master catalogue.
Result<std::optional<std::string>> PowerDepartment(Connection& c, const std::string& power_code);
// The power's item JSON (catalogue_powers.item) from any province, if any.
Result<std::optional<std::string>> PowerItem(Connection& c, const std::string& power_code);
Status AssignGrantAgency(Connection& c, std::int64_t grant_id, std::int64_t agency_id,
                         std::int64_t now);

struct OfficerRecord {
  std::int64_t person_id = 0;
  std::string town_code;
  std::int64_t agency_id = 0;
  std::string name;
  std::string post;
  bool is_leader = false;
  std::string cert_number, cert_valid_from, cert_valid_to;
  bool active = false;
  bool legal_reviewer = false;
};
Result<std::vector<OfficerRecord>> LoadOfficers(Connection& c,
                                                const std::vector<std::int64_t>& person_ids);
// Active people of an agency, by id.
Result<std::vector<std::int64_t>> ActivePeopleOfAgency(Connection& c, std::int64_t agency_id);
// The town of an active agency, if there is one.
Result<std::optional<std::string>> ActiveAgencyTown(Connection& c, std::int64_t agency_id);
// The leader of an agency (the first active is_leader person), if any.
Result<std::optional<OfficerRecord>> AgencyLeader(Connection& c, std::int64_t agency_id);

// Steps a post may perform ("procedure:step" / "procedure:*"), as JSON text.
Result<std::optional<std::string>> GetPostSteps(Connection& c, std::int64_t agency_id,
                                                const std::string& post);
Status PutPostSteps(Connection& c, std::int64_t agency_id, const std::string& post,
                    const std::string& steps_json, std::int64_t now);
Status PutLegalReviewer(Connection& c, std::int64_t person_id, const std::string& document,
                        std::int64_t now);
Status LinkUserPerson(Connection& c, std::int64_t user_id, std::int64_t person_id,
                      std::int64_t now);
Result<std::optional<std::int64_t>> PersonOfUser(Connection& c, std::int64_t user_id);

// The clear value behind a commitment, unless erased.
Result<std::optional<std::string>> PersonalValue(Connection& c, const std::string& commitment);

// ---- Cases ----
struct CaseRecord {
  std::int64_t id = 0;
  std::string receipt_code;
  std::string town_code;
  std::string power_code, power_name, power_kind;
  std::int64_t grant_id = 0;
  std::int64_t agency_id = 0;
  std::string procedure_id;
  std::int64_t procedure_version = 1;
  std::string origin;      // window | online | complaint | inspection | on_the_spot
  std::string party_kind;  // natural_person | organisation
  std::string party_display;
  std::string party_commitment, id_commitment, phone_commitment;
  std::string summary;
  std::string state;
  std::string state_json;
  bool terminal = false;
  std::string outcome;
  std::string opened_on;
  std::optional<std::string> closed_on;
  std::optional<std::string> deadline;
  std::string clock_status = "not_started";
  std::int64_t limit_days = 0;
  std::optional<std::int64_t> days_used;
  std::optional<std::int64_t> handler_id;
  bool overdue_recorded = false;
  std::optional<std::int64_t> ledger_index;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};
Result<std::int64_t> NextCaseId(Connection& c);
Status InsertCase(Connection& c, const CaseRecord& r);
// Many at once (multi-row INSERTs): for generators.
Status InsertCases(Connection& c, const std::vector<CaseRecord>& records);
// Writes the mutable fields (state, state_json, terminal, outcome, closed_on,
// deadline, clock_status, limit_days, days_used, handler_id, overdue_recorded,
// ledger_index, updated_at).
Status UpdateCase(Connection& c, const CaseRecord& r);
Result<std::optional<CaseRecord>> GetCase(Connection& c, std::int64_t id);
Result<std::optional<CaseRecord>> GetCaseByReceipt(Connection& c, const std::string& code);

struct CaseQuery {
  std::string scope_path;  // region path prefix ("all" = everywhere)
  std::optional<std::string> town_code;
  std::optional<std::int64_t> agency_id;
  std::optional<std::int64_t> handler_id;
  bool open_only = true;
  std::int64_t after_id = 0;  // cursor for closed listings
  int limit = 50;
};
// Open cases sorted by deadline (nulls last), then id; or every case by id.
Result<std::vector<CaseRecord>> ListCases(Connection& c, const CaseQuery& q,
                                          std::int64_t offset);
// Open cases whose deadline is before `today` and not yet recorded overdue.
Result<std::vector<CaseRecord>> OverdueCandidates(Connection& c, const std::string& today,
                                                  int limit);

struct CaseStepRecord {
  std::int64_t case_id = 0;
  std::int64_t seq = 0;
  std::string step;
  std::string on_date;
  std::optional<std::int64_t> performer_id;
  std::string officers = "[]";
  std::string detail = "{}";
  std::optional<std::int64_t> ledger_index;
  std::int64_t created_at = 0;
};
Status InsertCaseStep(Connection& c, const CaseStepRecord& r);
Status InsertCaseSteps(Connection& c, const std::vector<CaseStepRecord>& records);
// The sequence number the next step of a case gets (1 for the first).
Result<std::int64_t> NextStepSeq(Connection& c, std::int64_t case_id);
Result<std::vector<CaseStepRecord>> ListCaseSteps(Connection& c, std::int64_t case_id);

struct CaseFileRecord {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string kind, file_name, content_type;
  std::int64_t size = 0;
  std::string sha256;  // hex
  std::string data;
  std::int64_t created_at = 0;
};
Result<std::int64_t> InsertCaseFile(Connection& c, const CaseFileRecord& r);
// Files of a case without their bytes.
Result<std::vector<CaseFileRecord>> ListCaseFiles(Connection& c, std::int64_t case_id);

// ---- Decisions and disclosure ----
struct DecisionRecord {
  std::int64_t case_id = 0;
  std::string town_code, power_code, outcome;
  std::int64_t responsible_id = 0;
  std::string responsible_name, responsible_post;
  std::string content;
  std::string tier;
  std::int64_t amount_fen = 0;
  std::string decided_on, effective_on;
  std::string appeal = "{}";
  std::optional<std::string> annulled_on;
  std::string annul_reason;
  std::optional<std::int64_t> ledger_index;
};
Status InsertDecision(Connection& c, const DecisionRecord& r, std::int64_t now);
Status InsertDecisions(Connection& c, const std::vector<DecisionRecord>& records, std::int64_t now);
Result<std::optional<DecisionRecord>> GetDecision(Connection& c, std::int64_t case_id);
// The case's current decision: a later decision of the same case (e.g. the
// handling decision after a seizure) replaces the row; every decision stays in
// its step's log entry with its responsible person.
Status ReplaceDecision(Connection& c, const DecisionRecord& r, std::int64_t now);
// The appeal routes of a decision once it is served (JSON text).
Status UpdateDecisionAppeal(Connection& c, std::int64_t case_id, const std::string& appeal);
Status AnnulDecision(Connection& c, std::int64_t case_id, const std::string& on,
                     const std::string& reason);
// Penalty decisions (amount, tier) of a power under a region path.
Result<std::vector<DecisionRecord>> ListPenaltyDecisions(Connection& c,
                                                         const std::string& scope_path);

struct DisclosureRecord {
  std::int64_t case_id = 0;
  std::string town_code, kind, title, content;
  std::string decided_on;
  std::string due_on;    // "" when the due year's holidays are not loaded (see due_flag)
  std::string due_flag;  // why there is no due date: never guessed, never late
  std::optional<std::string> published_on;
  bool late = false;
  std::optional<std::string> withdrawn_on, withdraw_due;
  std::string withdraw_reason;
  std::optional<std::int64_t> ledger_index;
};
Status InsertDisclosure(Connection& c, const DisclosureRecord& r, std::int64_t now);
Status UpdateDisclosure(Connection& c, const DisclosureRecord& r);
Result<std::optional<DisclosureRecord>> GetDisclosure(Connection& c, std::int64_t case_id);
// Published (and withdrawn) disclosures of a town, newest first.
Result<std::vector<DisclosureRecord>> ListDisclosures(Connection& c, const std::string& town_code,
                                                      std::int64_t offset, int limit);
// Unpublished disclosures past their due date and not yet flagged late
// (never one without a due date).
Result<std::vector<DisclosureRecord>> LateDisclosures(Connection& c, const std::string& today);

// ---- Ratings ----
struct RatingRecord {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t level = 0;  // 1 非常不满意 … 5 非常满意
  std::string scores = "{}";
  std::string comment;
  std::string rated_on;
  std::optional<std::string> callback_due, fix_due;
  std::string rectification = "none";
  std::optional<std::int64_t> ledger_index;
};
Result<std::int64_t> InsertRating(Connection& c, const RatingRecord& r, std::int64_t now);
Status UpdateRectification(Connection& c, std::int64_t rating_id, const std::string& state);
Result<std::optional<RatingRecord>> GetRating(Connection& c, std::int64_t id);
Result<std::optional<RatingRecord>> RatingOfCase(Connection& c, std::int64_t case_id);
// Open rectifications whose fix deadline is before `today`.
Result<std::vector<RatingRecord>> OverdueRectifications(Connection& c, const std::string& today);

// ---- Accountability ----
struct AccountabilityRecord {
  std::int64_t id = 0;
  std::string town_code;
  std::optional<std::int64_t> case_id;
  std::string trigger;  // overdue | out_of_range_attempt | denied_authority | bad_rating | late_disclosure
  std::string evidence = "[]";  // JSON array of ledger indices
  std::optional<std::int64_t> person_id;
  std::string person_name, post;
  std::string detail = "{}";
  std::string state = "open";
  std::string conclusion;
  std::string opened_on;
  std::optional<std::int64_t> ledger_index;
  std::int64_t created_at = 0, updated_at = 0;
};
Result<std::int64_t> NextAccountabilityId(Connection& c);
// kConflict when the same (case, trigger, detail) is already recorded.
Status InsertAccountability(Connection& c, const AccountabilityRecord& r);
Status UpdateAccountability(Connection& c, const AccountabilityRecord& r);
Result<std::optional<AccountabilityRecord>> GetAccountability(Connection& c, std::int64_t id);
Result<std::vector<AccountabilityRecord>> ListAccountability(
    Connection& c, const std::string& scope_path, const std::optional<std::string>& state,
    const std::optional<std::string>& trigger, std::int64_t offset, int limit);

// ---- Evaluation ----
struct EvaluationRow {
  std::string key;    // town code, agency id or person id (as text)
  std::string label;  // town name, agency name or person name
  std::int64_t cases = 0, closed = 0, on_time = 0;
  std::int64_t days_used_sum = 0, limit_days_sum = 0;
  std::int64_t ratings = 0, rating_sum = 0, satisfied = 0;
  std::int64_t backdated = 0;  // cases with a step recorded later than its date
};
// by: "town" | "agency" | "officer"; cases opened in [from, to] under the path.
Result<std::vector<EvaluationRow>> Evaluate(Connection& c, const std::string& scope_path,
                                            const std::string& by, const std::string& from,
                                            const std::string& to);
// Decided penalties by tier under the path: (tier, count).
Result<std::vector<std::pair<std::string, std::int64_t>>> TierDistribution(
    Connection& c, const std::string& scope_path, const std::string& from, const std::string& to);

}  // namespace quanze::store
