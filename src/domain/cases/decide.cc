// Decide: the order of the checks, and the parts common to every procedure.
// The penalty rules are in decide_penalty.cc; what a decision produces
// (record, appeal routes, disclosure) in decide_outcome.cc.
#include "domain/cases/decide.h"

#include <algorithm>

#include "domain/cases/decide_internal.h"

namespace quanze::domain::cases {

std::string_view RefusalEventType(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::kDenied:
      return "case.step_denied";
    case RefusalKind::kDecisionRefused:
      return "case.decision_refused";
    case RefusalKind::kRefused:
      break;
  }
  return "case.step_refused";
}

namespace internal {

Error Rule(std::string zh, std::string en, nlohmann::json detail) {
  return MakeError(ErrorCode::kRuleViolation, std::move(zh), std::move(en), std::move(detail));
}

AccountabilityDuty Duty(std::string trigger, std::int64_t person, const ProcedureStep& step) {
  AccountabilityDuty d;
  d.trigger = std::move(trigger);
  d.person_id = person;
  d.step = step.code;
  return d;
}

std::string PersonLabel(const CaseFacts& facts, std::int64_t id) {
  const OfficerFact* o = facts.authority ? facts.authority->FindOfficer(id) : nullptr;
  return o && !o->name.empty() ? o->name + "（#" + std::to_string(id) + "）"
                               : "#" + std::to_string(id);
}

}  // namespace internal

namespace {

using internal::Rule;

Outcome Refuse(Outcome o, RefusalKind kind, Error e,
               std::optional<AccountabilityDuty> duty = std::nullopt) {
  o.refusal = Refusal{kind, std::move(e), std::move(duty)};
  return o;
}

// Dated in the future, or backdated beyond the setting, or without a reason;
// and a backdated step never moves a deadline that had expired on the day it
// is recorded. Sets *backdated.
std::optional<Error> CheckDates(const CaseRules& rules, const CaseFacts& facts,
                                const CaseCommand& cmd, const DecideSettings& s,
                                const ProcedureStep& step, bool* backdated) {
  const Date on = cmd.step.on;
  if (on > s.today) {
    return MakeError(ErrorCode::kValidation, "步骤日期不能晚于今天",
                     "a step cannot be dated in the future", {{"guard", "date"}});
  }
  *backdated = on < s.today;
  if (!*backdated) return std::nullopt;
  auto gap = rules.calendar.WorkingDaysBetween(on, s.today);
  if (!gap.ok()) return gap.take_error();
  if (*gap > s.max_backdate_working_days) {
    return Rule("步骤日期最多可早于登记日" + std::to_string(s.max_backdate_working_days) +
                    "个工作日（本步骤早" + std::to_string(*gap) + "个工作日）",
                "a step may be dated at most " + std::to_string(s.max_backdate_working_days) +
                    " working days before it is recorded (this one: " + std::to_string(*gap) + ")",
                {{"guard", "backdate"}, {"working_days", *gap}});
  }
  if (std::all_of(cmd.backdate_reason.begin(), cmd.backdate_reason.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; })) {
    return Rule("补录早于今天的步骤须写明补录理由（backdate_reason）",
                "a step dated before today needs a written backdate_reason",
                {{"guard", "backdate"}});
  }
  for (const ClockOp& op : step.clock_ops) {
    if (op.kind == ClockOpKind::kStart) continue;
    auto it = facts.state.clocks.find(op.clock);
    const ClockSpec* spec = rules.procedure.FindClock(op.clock);
    if (spec == nullptr || it == facts.state.clocks.end() || !it->second.started ||
        it->second.stopped || spec->waiting) {
      continue;
    }
    auto view = EvaluateClock(*spec, it->second, s.today, 0, rules.calendar);
    if (!view.ok()) return view.take_error();
    if (view->deadline && *view->deadline < s.today) {
      return Rule("“" + spec->label_zh + "”已于" + view->deadline->ToString() +
                      "届满，补录的步骤不能改变已届满的期限，请按实际登记日办理",
                  "clock " + spec->id + " expired on " + view->deadline->ToString() +
                      "; a backdated step cannot move an expired deadline",
                  {{"guard", "backdate"}, {"clock", spec->id}});
    }
  }
  return std::nullopt;
}

AuthorityDecision Authorise(const CaseRules& rules, const CaseFacts& facts, const CaseCommand& cmd,
                            const ProcedureStep& step) {
  AuthorityRequest ar;
  ar.town_code = facts.town_code;
  ar.power_code = facts.power_code;
  ar.procedure_id = rules.procedure.id;
  ar.step = step.code;
  ar.requirements.min_officers = step.guard.min_officers;
  ar.requirements.certificate = step.guard.certificate;
  ar.requirements.leader = step.guard.leader;
  ar.requirements.legal_reviewer = step.guard.legal_reviewer;
  ar.requirements.enforcement = step.enforcement;
  ar.requirements.all_leaders = step.guard.all_leaders;
  ar.on = cmd.step.on;
  ar.performer = cmd.performer_id;
  ar.officers = cmd.officers;
  if (std::find(ar.officers.begin(), ar.officers.end(), cmd.performer_id) == ar.officers.end()) {
    ar.officers.push_back(cmd.performer_id);
  }
  static const AuthorityFacts kNone;
  return CheckAuthority(facts.authority ? *facts.authority : kNone, ar);
}

// 第五十八条 / 第六十四条 and the like: the performer of this step did not
// take part in the steps it must be separate from.
std::optional<Error> CheckSeparation(const CaseFacts& facts, const CaseCommand& cmd,
                                     const ProcedureStep& step, const Procedure& procedure) {
  for (const std::string& other : step.guard.separate_from) {
    for (const StepOnRecord& rec : facts.history) {
      if (rec.step != other) continue;
      const bool took_part = rec.performer_id == cmd.performer_id ||
                             std::find(rec.officers.begin(), rec.officers.end(),
                                       cmd.performer_id) != rec.officers.end();
      if (!took_part) continue;
      const ProcedureStep* o = procedure.FindStep(other);
      const std::string who = internal::PersonLabel(facts, cmd.performer_id);
      return Rule(who + "参与了本案的“" + (o ? o->label_zh : other) + "”，不得进行“" +
                      step.label_zh + "”（职能分离）",
                  "person #" + std::to_string(cmd.performer_id) + " took part in step " + other +
                      " of this case and may not perform " + step.code + " (separation of duties)",
                  {{"guard", "separation"},
                   {"step", step.code},
                   {"separate_from", other},
                   {"person_id", cmd.performer_id}});
    }
  }
  return std::nullopt;
}

bool MissingSteps(const Error& e) {
  if (!e.detail.is_object() || !e.detail.contains("failures")) return false;
  for (const auto& f : e.detail["failures"]) {
    if (f.value("guard", "") == "after_steps") return true;
  }
  return false;
}

}  // namespace

Outcome Decide(const CaseRules& rules, const CaseFacts& facts, const CaseCommand& cmd,
               const DecideSettings& settings) {
  Outcome o;
  const Procedure& procedure = rules.procedure;
  const ProcedureStep* step = procedure.FindStep(cmd.step.step);
  o.step = step;
  if (step == nullptr) {  // unknown step: the engine's answer names the allowed ones
    auto applied = ApplyStep(procedure, facts.state, cmd.step, &rules.calendar);
    return Refuse(std::move(o), RefusalKind::kRefused, applied.take_error());
  }
  // 1. Legal authority (法无授权不可为): who acts, at this moment.
  o.authority = Authorise(rules, facts, cmd, *step);
  if (!o.authority.allowed) {
    AccountabilityDuty duty = internal::Duty("denied_authority", cmd.performer_id, *step);
    const AuthorityFinding* first = o.authority.FirstFailure();
    duty.finding = first ? first->code : "";
    Error e = AuthorityDeniedError(o.authority);
    return Refuse(std::move(o), RefusalKind::kDenied, std::move(e), std::move(duty));
  }
  // 2. Dates and separation of duties.
  if (auto e = CheckDates(rules, facts, cmd, settings, *step, &o.backdated)) {
    return Refuse(std::move(o), RefusalKind::kRefused, std::move(*e));
  }
  if (auto e = CheckSeparation(facts, cmd, *step, procedure)) {
    return Refuse(std::move(o), RefusalKind::kRefused, std::move(*e));
  }
  // 3. What the step records, and the decision rules: they establish facts
  // the procedure reads. 4. The procedure: state, guards, clocks. A refusal
  // of the procedure ("not now", "not without that step") comes first; then
  // one of the records or the decision rules.
  StepCommand command = cmd.step;
  internal::Findings found{command, facts.state, std::nullopt};
  std::optional<Refusal> recorded = internal::Record(rules, facts, cmd, settings, *step, found);
  auto applied = ApplyStep(procedure, found.state, found.command, &rules.calendar);
  if (!applied.ok()) {
    Error e = applied.take_error();
    std::optional<AccountabilityDuty> duty;
    if (step->decision && MissingSteps(e)) {
      duty = internal::Duty("missing_step", cmd.performer_id, *step);
    }
    return Refuse(std::move(o), RefusalKind::kRefused, std::move(e), std::move(duty));
  }
  if (recorded) {
    return Refuse(std::move(o), recorded->kind, std::move(recorded->error),
                  std::move(recorded->accountability));
  }
  o.after = std::move(applied).value();
  if (o.backdated) o.after.flags.insert("backdated");
  const ProcedureState* to = procedure.FindState(o.after.state);
  o.terminal = to != nullptr && to->terminal;
  o.outcome = step->outcome;
  // 5. What the step produces: the decision record, appeal routes, disclosure.
  internal::Produce(rules, facts, cmd, settings, *step, found, o);
  return o;
}

}  // namespace quanze::domain::cases
