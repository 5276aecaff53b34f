// The decision for one step of a case (办件 / 案件), as one pure function:
//
//   Decide(rules, facts, command, settings) → Outcome
//
// Everything the statutes say about a step lives behind it: legal authority
// (default deny), separation of duties, backdating, the procedure's guards
// and clocks, the facts a step establishes, the limitation period, the
// proposed penalty of the notice and the hearing rules, the discretion
// benchmark and the statutory range, the on-the-spot caps and collection,
// the decision record with its responsible person, appeal periods from
// service and the duty to disclose. The use case (app/cases_steps.cc) only
// loads the facts, calls Decide, persists the outcome and journals it.
//
// Pure: no I/O, no clock (today is a setting), no JSON in the outcome.
// Rules that are data come in through `CaseRules` (procedure files, the
// discretion benchmarks, data/rules/cases.json). docs/procedures.md and
// docs/authority.md list the rules with their articles; tests/scenarios/procedures
// holds one scenario per rule and refusal.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/authority.h"
#include "domain/calendar.h"
#include "domain/cases/rule_book.h"
#include "domain/discretion.h"
#include "domain/procedure.h"

namespace quanze::domain::cases {

// The rule data Decide interprets. References must outlive the call.
struct CaseRules {
  const Procedure& procedure;  // the case's procedure, at the case's version
  const HolidayCalendar& calendar;
  std::span<const DiscretionBenchmark> benchmarks;
  const CaseRuleBook& book;
};

// A step already on record: who performed it, with whom.
struct StepOnRecord {
  std::string step;
  Date on;
  std::int64_t performer_id = 0;
  std::vector<std::int64_t> officers;
};

// What is on record at this moment, loaded by the use case.
struct CaseFacts {
  std::string town_code, power_code, power_name;
  std::string party_kind;   // "natural_person" | "organisation"
  std::string county_name;  // the bodies of appeal: its government and court
  CaseState state;
  std::vector<StepOnRecord> history;
  const AuthorityFacts* authority = nullptr;  // grants, officers, post steps
  std::vector<std::string> secrets;  // the party's personal values (masking published text)
};

// The decision a command proposes (decision steps).
struct DecisionInput {
  std::string content;
  PenaltyTerms terms;          // for penalty outcomes
  std::int64_t base_fen = 0;   // 违法所得 / 货值金额, for multiple ranges
  std::string written_reason;  // 书面说明理由 for leaving the benchmark's tier
};

// A command: the step with its evidence. It never carries a fact that a
// step establishes (StepCommand::facts holds only the step's evidence_facts).
struct CaseCommand {
  StepCommand step;
  std::int64_t performer_id = 0;
  std::vector<std::int64_t> officers;  // acting with the performer
  std::optional<DecisionInput> decision;
  std::optional<PenaltyTerms> proposal;  // records == "proposal"
  std::int64_t proposal_base_fen = 0;
  std::optional<ViolationDates> violation;  // records == "violation"
  std::string receipt_number;               // records == "collection" (专用票据号)
  std::string backdate_reason;              // required when dated before today
};

struct DecideSettings {
  Date today;  // the day the step is recorded
  HearingThresholds hearing;
  int max_backdate_working_days = 3;  // cases.max_backdate_days
  int disclosure_working_days = 7;
};

// An accountability record the outcome opens (谁行权谁担责).
struct AccountabilityDuty {
  std::string trigger;         // denied_authority | missing_step | out_of_range_attempt
  std::int64_t person_id = 0;  // the item's 追责情形: CaseRuleBook::ClauseFor when opened
  std::string step;
  std::string finding;  // denied_authority: the first failed finding
  std::string tier;
  std::optional<std::int64_t> amount_fen;
};

enum class RefusalKind {
  kDenied,           // legal authority (journaled as case.step_denied)
  kRefused,          // procedure, separation, dates (case.step_refused)
  kDecisionRefused,  // amounts, hearing, limitation (case.decision_refused)
};
std::string_view RefusalEventType(RefusalKind kind);

struct Refusal {
  RefusalKind kind = RefusalKind::kRefused;
  Error error;
  std::optional<AccountabilityDuty> accountability;
};

struct DecisionRecord {
  std::string outcome, content, tier;
  std::int64_t amount_fen = 0, confiscation_fen = 0;
  std::int64_t responsible_id = 0;
  std::string responsible_name, responsible_post;
  Date decided_on;
};

struct AppealRoute {
  std::string body, basis;
  int days = 0, months = 0;
  std::optional<Date> deadline;  // none: a needed holiday schedule is not loaded
  std::string flag_zh, flag_en;  // why there is no deadline
};
// Appeal routes of a decision, from the day it was served (送达).
struct AppealRoutes {
  Date served_on;
  AppealRoute reconsideration, litigation;
};

struct DisclosureDuty {
  std::string kind, title, content;  // content masked
  Date decided_on;
  std::optional<Date> due_on;  // none: the due year's holidays are not loaded
  std::string flag_zh, flag_en;
  std::string basis;
};

struct Outcome {
  std::optional<Refusal> refusal;  // set: nothing else below is meaningful
  AuthorityDecision authority;     // findings, also on refusal
  const ProcedureStep* step = nullptr;
  CaseState after;
  bool terminal = false;
  std::string outcome;  // the step's outcome ("" none)
  std::optional<DecisionRecord> decision;
  std::optional<AppealRoutes> appeal;  // the step serves the decision
  std::optional<DisclosureDuty> disclosure;
  bool backdated = false;
};

// Decides one step. Input errors a client can fix before anything is
// attempted (a date in the future) come back as a refusal too; the caller
// journals every refusal and opens its accountability record.
Outcome Decide(const CaseRules& rules, const CaseFacts& facts, const CaseCommand& command,
               const DecideSettings& settings);

// The appeal routes of a decision served on `served_on`.
AppealRoutes AppealRoutesFrom(const CaseRuleBook& book, const HolidayCalendar& calendar,
                              Date served_on, const std::string& county_name);

// 第七十二条: the surcharge on a fine paid late — daily_permille of the fine
// per day after the payment deadline, up to `on`, at most the fine itself.
struct LatePayment {
  int days_late = 0;
  std::int64_t surcharge_fen = 0;
};
LatePayment LatePaymentOn(const LatePaymentRule& rule, std::int64_t fine_fen, Date deadline,
                          Date on);

}  // namespace quanze::domain::cases
