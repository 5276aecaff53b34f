// The procedure state machine: lookups, the library of versions, opening a
// case and applying one step (guards, then clock operations). Clock
// arithmetic lives in procedure_clock.cc, file parsing in procedure_parse.cc.
#include "domain/procedure.h"

#include <algorithm>
#include <utility>

namespace quanze::domain {
namespace {

using nlohmann::json;

bool Has(const std::set<std::string>& a, const std::set<std::string>& b, const std::string& x) {
  return a.contains(x) || b.contains(x);
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// The failures of one command, in the order found.
class Failures {
 public:
  void Add(std::string guard, std::string item, std::string zh, std::string en,
           std::string when = "") {
    json f = {{"guard", std::move(guard)},
              {"item", std::move(item)},
              {"message_zh", std::move(zh)},
              {"message_en", std::move(en)}};
    if (!when.empty()) f["when"] = std::move(when);
    list_.push_back(std::move(f));
  }
  bool empty() const { return list_.empty(); }
  Error ToError(const ProcedureStep& step) {
    std::string zh = "不满足“" + step.label_zh + "”的条件：";
    std::string en = "step " + step.code + " refused: ";
    for (size_t i = 0; i < list_.size(); ++i) {
      zh += (i ? "；" : "") + list_[i]["message_zh"].get<std::string>();
      en += (i ? "; " : "") + list_[i]["message_en"].get<std::string>();
    }
    return MakeError(ErrorCode::kRuleViolation, std::move(zh), std::move(en),
                     {{"failures", std::move(list_)}});
  }

 private:
  json list_ = json::array();
};

Error NotAllowed(const Procedure& pr, const CaseState& cur, const StepCommand& cmd) {
  json allowed = json::array();
  for (const ProcedureStep* s : pr.StepsFrom(cur.state)) allowed.push_back(s->code);
  const ProcedureState* st = pr.FindState(cur.state);
  const std::string state_zh = st != nullptr ? st->label_zh : cur.state;
  const ProcedureStep* step = pr.FindStep(cmd.step);
  if (step == nullptr) {
    return MakeError(
        ErrorCode::kConflict, "程序“" + pr.name_zh + "”中没有步骤：" + cmd.step,
        "procedure " + pr.id + " has no step " + cmd.step,
        {{"state", cur.state}, {"step", cmd.step}, {"allowed_steps", std::move(allowed)}});
  }
  return MakeError(
      ErrorCode::kConflict, "案件处于“" + state_zh + "”，不能进行“" + step->label_zh + "”",
      "the case is " + cur.state + "; step " + cmd.step + " is not allowed from it",
      {{"state", cur.state}, {"step", cmd.step}, {"allowed_steps", std::move(allowed)}});
}

std::string StepLabel(const Procedure& pr, const std::string& code) {
  const ProcedureStep* s = pr.FindStep(code);
  return s != nullptr ? s->label_zh : code;
}

void CheckStepsDone(const Procedure& pr, const CaseState& cur,
                    const std::vector<std::string>& steps, const std::string& when, Failures& out) {
  for (const std::string& s : steps) {
    if (std::find(cur.done_steps.begin(), cur.done_steps.end(), s) != cur.done_steps.end())
      continue;
    out.Add("after_steps", s, "须先完成“" + StepLabel(pr, s) + "”",
            "step " + s + " must be done first", when);
  }
}

void CheckFacts(const CaseState& cur, const StepCommand& cmd, const std::vector<std::string>& facts,
                const std::string& when, Failures& out) {
  for (const std::string& f : facts) {
    if (Has(cur.facts, cmd.facts, f)) continue;
    out.Add("facts", f, "案件事实不成立：" + f, "case fact does not hold: " + f, when);
  }
}

// A fact that a step establishes (sets_facts) may not be asserted by the
// command of another step: "party_notified" comes only from the notice step.
void CheckAssertedFacts(const Procedure& pr, const ProcedureStep& step, const StepCommand& cmd,
                        Failures& out) {
  for (const std::string& f : cmd.facts) {
    if (std::find(step.sets_facts.begin(), step.sets_facts.end(), f) != step.sets_facts.end())
      continue;
    for (const ProcedureStep& other : pr.steps) {
      if (std::find(other.sets_facts.begin(), other.sets_facts.end(), f) == other.sets_facts.end())
        continue;
      out.Add("facts", f, "事实“" + f + "”只能由“" + other.label_zh + "”确立",
              "fact " + f + " is established only by step " + other.code);
      break;
    }
  }
}

void CheckGuards(const Procedure& pr, const ProcedureStep& step, const CaseState& cur,
                 const StepCommand& cmd, Failures& out) {
  if (cmd.on < cur.last_step_on) {
    out.Add("date", cmd.on.ToString(), "日期早于上一步骤（" + cur.last_step_on.ToString() + "）",
            "dated before the previous step (" + cur.last_step_on.ToString() + ")");
  }
  for (const std::string& d : step.guard.documents) {
    if (Has(cur.documents, cmd.documents, d)) continue;
    out.Add("documents", d, "缺少文书：" + d, "document missing: " + d);
  }
  CheckStepsDone(pr, cur, step.guard.after_steps, "", out);
  CheckFacts(cur, cmd, step.guard.facts, "", out);
  for (const auto& c : step.guard.conditionals) {
    if (!Has(cur.facts, cmd.facts, c.when_fact)) continue;
    CheckStepsDone(pr, cur, c.after_steps, c.when_fact, out);
    CheckFacts(cur, cmd, c.facts, c.when_fact, out);
  }
  if (step.guard.reason && IsBlank(cmd.reason)) {
    out.Add("reason", "reason", "须写明理由", "a written reason is required");
  }
  CheckAssertedFacts(pr, step, cmd, out);
}

// Waiting periods: each named clock's deadline must have come.
Status CheckWaits(const Procedure& pr, const ProcedureStep& step, const CaseState& cur,
                  const StepCommand& cmd, const HolidayCalendar* calendar, Failures& out) {
  for (const auto& w : step.guard.waits) {
    const ClockSpec* spec = pr.FindClock(w.clock);
    auto it = cur.clocks.find(w.clock);
    if (it == cur.clocks.end() || !it->second.started) {
      out.Add("waiting_period", w.clock, "期间“" + spec->label_zh + "”尚未开始",
              "waiting period " + w.clock + " has not started");
      continue;
    }
    if (calendar == nullptr) {
      return MakeError(ErrorCode::kInternal, "检查等待期间需要节假日日历",
                       "ApplyStep needs the holiday calendar for step " + step.code);
    }
    QZ_ASSIGN_OR_RETURN(ClockView view, EvaluateClock(*spec, it->second, cmd.on, 0, *calendar));
    const bool elapsed = w.strictly_after ? cmd.on > *view.deadline : cmd.on >= *view.deadline;
    if (elapsed) continue;
    out.Add("waiting_period", w.clock,
            "“" + spec->label_zh + "”期间未满，最早于" + view.deadline->ToString() +
                (w.strictly_after ? "之后" : ""),
            "the period " + w.clock + " runs to " + view.deadline->ToString());
  }
  return Ok();
}

bool Running(const ClockState& c) { return c.started.has_value() && !c.stopped.has_value(); }
bool OpenSuspension(const ClockState& c) {
  return !c.suspensions.empty() && !c.suspensions.back().to;
}

void ApplyStart(const ClockSpec& spec, const ClockOp& op, const CaseState& cur,
                const StepCommand& cmd, ClockState& c, Failures& out) {
  if (c.started) {
    out.Add("clock", spec.id, "时钟“" + spec.label_zh + "”已经开始",
            "clock " + spec.id + " has already started");
    return;
  }
  c.started = op.as_of_opening ? cur.opened_on : cmd.on;
  if (spec.per_case_limit && cmd.limit_days > 0) c.limit_days = cmd.limit_days;
}

void ApplyExtend(const ClockSpec& spec, const StepCommand& cmd, ClockState& c, Failures& out) {
  if (!Running(c)) {
    out.Add("clock", spec.id, "时钟“" + spec.label_zh + "”未在计时，不能延长",
            "clock " + spec.id + " is not running");
    return;
  }
  if (c.extensions >= spec.max_extensions) {
    out.Add("extension", spec.id,
            "“" + spec.label_zh + "”只能延长" + std::to_string(spec.max_extensions) + "次",
            "clock " + spec.id + " may be extended only " + std::to_string(spec.max_extensions) +
                " time(s)");
    return;
  }
  const int days =
      cmd.extension_days == 0 ? spec.max_extension_days - c.extension_days : cmd.extension_days;
  if (days <= 0 || c.extension_days + days > spec.max_extension_days) {
    out.Add(
        "extension", spec.id,
        "延长天数须在1至" + std::to_string(spec.max_extension_days - c.extension_days) + "日之间",
        "extension must be 1.." + std::to_string(spec.max_extension_days - c.extension_days) +
            " days");
    return;
  }
  c.extension_days += days;
  c.extensions += 1;
}

void ApplyOp(const Procedure& pr, const ProcedureStep& step, const ClockOp& op,
             const CaseState& cur, const StepCommand& cmd, ClockState& c, Failures& out) {
  const ClockSpec& spec = *pr.FindClock(op.clock);
  switch (op.kind) {
    case ClockOpKind::kStart:
      ApplyStart(spec, op, cur, cmd, c, out);
      return;
    case ClockOpKind::kStop:  // stopping a clock that is not running is a no-op: paths differ
      if (Running(c)) {
        c.stopped = cmd.on;
        if (OpenSuspension(c)) c.suspensions.back().to = cmd.on;
      }
      return;
    case ClockOpKind::kSuspend:
      if (!Running(c) || OpenSuspension(c)) {
        out.Add("suspension", spec.id, "“" + spec.label_zh + "”未在计时或已中止，不能中止",
                "clock " + spec.id + " is not running or already suspended");
        return;
      }
      c.suspensions.push_back(
          {cmd.on, std::nullopt, IsBlank(cmd.reason) ? step.label_zh : cmd.reason});
      return;
    case ClockOpKind::kResume:
      if (!Running(c) || !OpenSuspension(c)) {
        out.Add("suspension", spec.id, "“" + spec.label_zh + "”没有中止，不能恢复",
                "clock " + spec.id + " is not suspended; nothing to resume");
        return;
      }
      c.suspensions.back().to = cmd.on;
      return;
    case ClockOpKind::kExtend:
      ApplyExtend(spec, cmd, c, out);
      return;
  }
}

}  // namespace

const ProcedureStep* Procedure::FindStep(std::string_view code) const {
  for (const auto& s : steps) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

const ClockSpec* Procedure::FindClock(std::string_view clock_id) const {
  for (const auto& c : clocks) {
    if (c.id == clock_id) return &c;
  }
  return nullptr;
}

const ProcedureState* Procedure::FindState(std::string_view code) const {
  for (const auto& s : states) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

std::vector<const ProcedureStep*> Procedure::StepsFrom(std::string_view state) const {
  std::vector<const ProcedureStep*> out;
  for (const auto& s : steps) {
    if (std::find(s.from.begin(), s.from.end(), state) != s.from.end()) out.push_back(&s);
  }
  return out;
}

Status ProcedureLibrary::Add(Procedure procedure) {
  auto& versions = by_id_[procedure.id];
  if (versions.contains(procedure.version)) {
    return MakeError(ErrorCode::kConflict,
                     "程序" + procedure.id + "第" + std::to_string(procedure.version) + "版已存在",
                     "procedure " + procedure.id + " version " + std::to_string(procedure.version) +
                         " already loaded",
                     {{"id", procedure.id}, {"version", procedure.version}});
  }
  const int version = procedure.version;
  versions.emplace(version, std::move(procedure));
  return Ok();
}

const Procedure* ProcedureLibrary::Find(std::string_view id, int version) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  auto v = it->second.find(version);
  return v == it->second.end() ? nullptr : &v->second;
}

const Procedure* ProcedureLibrary::Latest(std::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second.empty()) return nullptr;
  return &it->second.rbegin()->second;
}

std::vector<const Procedure*> ProcedureLibrary::All() const {
  std::vector<const Procedure*> out;
  for (const auto& [id, versions] : by_id_) {
    for (const auto& [v, p] : versions) out.push_back(&p);
  }
  return out;
}

CaseState OpenCase(const Procedure& procedure, Date opened_on) {
  CaseState c;
  c.state = procedure.initial_state;
  c.opened_on = opened_on;
  c.last_step_on = opened_on;
  for (const std::string& id : procedure.opening_clock_starts) c.clocks[id].started = opened_on;
  return c;
}

Result<CaseState> ApplyStep(const Procedure& procedure, const CaseState& current,
                            const StepCommand& command, const HolidayCalendar* calendar) {
  const ProcedureStep* step = procedure.FindStep(command.step);
  if (step == nullptr ||
      std::find(step->from.begin(), step->from.end(), current.state) == step->from.end()) {
    return NotAllowed(procedure, current, command);
  }
  Failures failures;
  CheckGuards(procedure, *step, current, command, failures);
  QZ_TRY(CheckWaits(procedure, *step, current, command, calendar, failures));
  CaseState next = current;
  std::set<std::string> facts_after = current.facts;
  facts_after.insert(command.facts.begin(), command.facts.end());
  facts_after.insert(step->sets_facts.begin(), step->sets_facts.end());
  for (const ClockOp& op : step->clock_ops) {
    if (!op.when_fact.empty() && !facts_after.contains(op.when_fact)) continue;
    ApplyOp(procedure, *step, op, current, command, next.clocks[op.clock], failures);
  }
  if (!failures.empty()) return failures.ToError(*step);
  std::erase_if(next.clocks, [](const auto& kv) { return !kv.second.started; });
  if (!step->to.empty()) next.state = step->to;
  next.done_steps.push_back(step->code);
  next.facts = std::move(facts_after);
  next.documents.insert(command.documents.begin(), command.documents.end());
  next.last_step_on = command.on;
  return next;
}

}  // namespace quanze::domain
