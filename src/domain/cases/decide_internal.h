// Parts of Decide shared by decide*.cc. Not a public API.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "domain/cases/decide.h"

namespace quanze::domain::cases::internal {

// The command and the state as the step's records and decision rules leave
// them, before the procedure engine runs: established facts added, the
// violation dates, proposed penalty and decided fine written.
struct Findings {
  StepCommand command;
  CaseState state;
  std::optional<PenaltyTerms> decided;  // a penalty decision's terms
};

// kRuleViolation with `detail`.
Error Rule(std::string zh, std::string en, nlohmann::json detail);

// An accountability duty of `trigger` for `person` at `step`.
AccountabilityDuty Duty(std::string trigger, std::int64_t person, const ProcedureStep& step);

// "张三（#12）", or "#12" when the person is not on record.
std::string PersonLabel(const CaseFacts& facts, std::int64_t id);

// The typed records of the step (violation, proposal, collection) and the
// decision rules (content; for penalties the benchmark, the statutory range,
// the on-the-spot cap, 第四十五条, the hearing rule and the limitation
// period). A refusal, or nothing with `found` updated.
std::optional<Refusal> Record(const CaseRules& rules, const CaseFacts& facts,
                              const CaseCommand& cmd, const DecideSettings& settings,
                              const ProcedureStep& step, Findings& found);

// The decision record, appeal routes and disclosure duty of a step that
// passed every check.
void Produce(const CaseRules& rules, const CaseFacts& facts, const CaseCommand& cmd,
             const DecideSettings& settings, const ProcedureStep& step, const Findings& found,
             Outcome& out);

}  // namespace quanze::domain::cases::internal
