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

bool Has3(const CaseState& cur, const StepCommand& cmd, const std::string& f) {
  return cur.facts.contains(f) || cmd.facts.contains(f) || cmd.established.contains(f);
}

bool ConditionalOn(const CaseState& cur, const StepCommand& cmd, const StepGuard::Conditional& c) {
  if (!Has3(cur, cmd, c.when_fact)) return false;
  return std::none_of(c.unless_facts.begin(), c.unless_facts.end(),
                      [&](const std::string& f) { return Has3(cur, cmd, f); });
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
    if (Has3(cur, cmd, f)) continue;
    out.Add("facts", f, "案件事实不成立：" + f, "case fact does not hold: " + f, when);
  }
}

// A command asserts only the facts its step lists as evidence_facts (the
// performer's own finding at that step). Every other fact comes from the step
// that establishes it: "party_notified" only from the notice step,
// "legal_review_passed" only from a legal review. Trust boundary of
// ARCHITECTURE.md §6.
void CheckAssertedFacts(const Procedure& pr, const ProcedureStep& step, const StepCommand& cmd,
                        Failures& out) {
  for (const std::string& f : cmd.facts) {
    if (std::find(step.evidence_facts.begin(), step.evidence_facts.end(), f) !=
        step.evidence_facts.end())
      continue;
    std::string by_zh = "不能由本步骤的命令断言", by_en = "it cannot be asserted at this step";
    for (const ProcedureStep& other : pr.steps) {
      const bool sets =
          std::find(other.sets_facts.begin(), other.sets_facts.end(), f) != other.sets_facts.end();
      const bool finds = std::find(other.evidence_facts.begin(), other.evidence_facts.end(), f) !=
                         other.evidence_facts.end();
      if (!sets && !finds) continue;
      by_zh = "只能由“" + other.label_zh + "”确立";
      by_en = "it is established only by step " + other.code;
      break;
    }
    out.Add("facts", f, "事实“" + f + "”" + by_zh, "fact " + f + ": " + by_en);
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
  for (const std::string& f : step.guard.absent_facts) {
    if (!Has3(cur, cmd, f)) continue;
    out.Add("facts", f, "案件事实已成立，不能进行本步骤：" + f,
            "case fact already holds, the step does not apply: " + f);
  }
  for (const auto& c : step.guard.conditionals) {
    if (!ConditionalOn(cur, cmd, c)) continue;
    CheckStepsDone(pr, cur, c.after_steps, c.when_fact, out);
    CheckFacts(cur, cmd, c.facts, c.when_fact, out);
  }
  if (step.guard.reason && IsBlank(cmd.reason)) {
    out.Add("reason", "reason", "须写明理由", "a written reason is required");
  }
  CheckAssertedFacts(pr, step, cmd, out);
}

// The deadline of a started clock on `on` (kInternal without a calendar).
Result<Date> DeadlineOf(const ClockSpec& spec, const ClockState& state, Date on,
                        const HolidayCalendar* calendar, std::string_view step) {
  if (calendar == nullptr) {
    return MakeError(ErrorCode::kInternal, "检查期间需要节假日日历",
                     "ApplyStep needs the holiday calendar for step " + std::string(step));
  }
  QZ_ASSIGN_OR_RETURN(ClockView view, EvaluateClock(spec, state, on, 0, *calendar));
  return *view.deadline;
}

// Waiting periods: each named clock's deadline must have come.
Status CheckWaitList(const Procedure& pr, const ProcedureStep& step,
                     const std::vector<StepGuard::Wait>& waits, const std::string& when,
                     const CaseState& cur, const StepCommand& cmd, const HolidayCalendar* calendar,
                     Failures& out) {
  for (const auto& w : waits) {
    const ClockSpec* spec = pr.FindClock(w.clock);
    auto it = cur.clocks.find(w.clock);
    if (it == cur.clocks.end() || !it->second.started) {
      out.Add("waiting_period", w.clock, "期间“" + spec->label_zh + "”尚未开始",
              "waiting period " + w.clock + " has not started", when);
      continue;
    }
    QZ_ASSIGN_OR_RETURN(Date deadline, DeadlineOf(*spec, it->second, cmd.on, calendar, step.code));
    const bool elapsed = w.strictly_after ? cmd.on > deadline : cmd.on >= deadline;
    if (elapsed) continue;
    out.Add("waiting_period", w.clock,
            "“" + spec->label_zh + "”期间未满，最早于" + deadline.ToString() +
                (w.strictly_after ? "之后" : ""),
            "the period " + w.clock + " runs to " + deadline.ToString(), when);
  }
  return Ok();
}

Status CheckWaits(const Procedure& pr, const ProcedureStep& step, const CaseState& cur,
                  const StepCommand& cmd, const HolidayCalendar* calendar, Failures& out) {
  QZ_TRY(CheckWaitList(pr, step, step.guard.waits, "", cur, cmd, calendar, out));
  for (const auto& c : step.guard.conditionals) {
    if (!ConditionalOn(cur, cmd, c)) continue;
    QZ_TRY(CheckWaitList(pr, step, c.waits, c.when_fact, cur, cmd, calendar, out));
  }
  for (const std::string& id : step.guard.before_deadline) {
    const ClockSpec* spec = pr.FindClock(id);
    auto it = cur.clocks.find(id);
    if (it == cur.clocks.end() || !it->second.started || it->second.stopped) {
      out.Add("deadline", id, "期间“" + spec->label_zh + "”未在计算",
              "period " + id + " is not running");
      continue;
    }
    auto computed = DeadlineOf(*spec, it->second, cmd.on, calendar, step.code);
    if (!computed.ok() && computed.error().code == ErrorCode::kValidation &&
        calendar->HasYear(cmd.on.year())) {
      continue;  // the deadline lies in a later, unloaded year: not passed
    }
    QZ_ASSIGN_OR_RETURN(Date deadline, std::move(computed));
    if (cmd.on <= deadline) continue;
    out.Add("deadline", id,
            "“" + spec->label_zh + "”已于" + deadline.ToString() + "届满，不能再进行“" +
                step.label_zh + "”",
            "the period " + id + " expired on " + deadline.ToString());
  }
  return Ok();
}

bool Running(const ClockState& c) { return c.started.has_value() && !c.stopped.has_value(); }
bool OpenSuspension(const ClockState& c) {
  return !c.suspensions.empty() && !c.suspensions.back().to;
}

// Everything a clock operation may need to look at.
struct OpContext {
  const Procedure& pr;
  const ProcedureStep& step;
  const CaseState& cur;
  const StepCommand& cmd;
  const HolidayCalendar* calendar;
  Failures& out;
};

Status ApplyStart(const ClockSpec& spec, const ClockOp& op, OpContext& x, ClockState& c) {
  if (c.started) {
    x.out.Add("clock", spec.id, "时钟“" + spec.label_zh + "”已经开始",
              "clock " + spec.id + " has already started");
    return Ok();
  }
  c.started = op.as_of_opening ? x.cur.opened_on : x.cmd.on;
  if (!op.as_of_opening_if_expired.empty()) {
    // 行政许可法 第三十二条(四): no correction notice in time → accepted from receipt.
    auto it = x.cur.clocks.find(op.as_of_opening_if_expired);
    const ClockSpec* other = x.pr.FindClock(op.as_of_opening_if_expired);
    if (it != x.cur.clocks.end() && it->second.started) {
      QZ_ASSIGN_OR_RETURN(Date deadline,
                          DeadlineOf(*other, it->second, x.cmd.on, x.calendar, x.step.code));
      const Date end = it->second.stopped ? *it->second.stopped : x.cmd.on;
      if (end > deadline) c.started = x.cur.opened_on;
    }
  }
  if (spec.per_case_limit && x.cmd.limit_days > 0) c.limit_days = x.cmd.limit_days;
  return Ok();
}

// Extensions and suspensions are granted only while the clock runs and
// before it expires (行政许可法 第四十二条, 行政处罚法 第六十条): never on or
// after the day after its deadline.
Status CheckNotExpired(const ClockSpec& spec, OpContext& x, const ClockState& c, bool* expired) {
  auto computed = DeadlineOf(spec, c, x.cmd.on, x.calendar, x.step.code);
  if (!computed.ok() && computed.error().code == ErrorCode::kValidation &&
      x.calendar->HasYear(x.cmd.on.year())) {
    // The deadline needs a later year's schedule: it lies after every loaded
    // day, so after the step's day — not expired (nothing is guessed).
    *expired = false;
    return Ok();
  }
  QZ_ASSIGN_OR_RETURN(Date deadline, std::move(computed));
  *expired = x.cmd.on > deadline;
  if (*expired) {
    x.out.Add("expired", spec.id,
              "“" + spec.label_zh + "”已于" + deadline.ToString() + "届满，不能再延长或中止",
              "clock " + spec.id + " expired on " + deadline.ToString() +
                  "; it can no longer be extended or suspended");
  }
  return Ok();
}

Status ApplyExtend(const ClockSpec& spec, OpContext& x, ClockState& c) {
  if (!Running(c)) {
    x.out.Add("clock", spec.id, "时钟“" + spec.label_zh + "”未在计时，不能延长",
              "clock " + spec.id + " is not running");
    return Ok();
  }
  bool expired = false;
  QZ_TRY(CheckNotExpired(spec, x, c, &expired));
  if (expired) return Ok();
  if (c.extensions >= spec.max_extensions) {
    x.out.Add("extension", spec.id,
              "“" + spec.label_zh + "”只能延长" + std::to_string(spec.max_extensions) + "次",
              "clock " + spec.id + " may be extended only " + std::to_string(spec.max_extensions) +
                  " time(s)");
    return Ok();
  }
  const int days =
      x.cmd.extension_days == 0 ? spec.max_extension_days - c.extension_days : x.cmd.extension_days;
  if (days <= 0 || c.extension_days + days > spec.max_extension_days) {
    const std::string most = std::to_string(spec.max_extension_days - c.extension_days);
    x.out.Add("extension", spec.id, "延长天数须在1至" + most + "日之间",
              "extension must be 1.." + most + " days");
    return Ok();
  }
  c.extension_days += days;
  c.extensions += 1;
  return Ok();
}

Status ApplySuspend(const ClockSpec& spec, OpContext& x, ClockState& c) {
  if (!Running(c) || OpenSuspension(c)) {
    x.out.Add("suspension", spec.id, "“" + spec.label_zh + "”未在计时或已中止，不能中止",
              "clock " + spec.id + " is not running or already suspended");
    return Ok();
  }
  bool expired = false;
  QZ_TRY(CheckNotExpired(spec, x, c, &expired));
  if (expired) return Ok();
  c.suspensions.push_back(
      {x.cmd.on, std::nullopt, IsBlank(x.cmd.reason) ? x.step.label_zh : x.cmd.reason});
  return Ok();
}

Status ApplyOp(const ClockOp& op, OpContext& x, ClockState& c) {
  const ClockSpec& spec = *x.pr.FindClock(op.clock);
  if (op.optional) {
    const bool applies = (op.kind == ClockOpKind::kSuspend && Running(c) && !OpenSuspension(c)) ||
                         (op.kind == ClockOpKind::kResume && Running(c) && OpenSuspension(c)) ||
                         (op.kind != ClockOpKind::kSuspend && op.kind != ClockOpKind::kResume);
    if (!applies) return Ok();
  }
  switch (op.kind) {
    case ClockOpKind::kStart:
      return ApplyStart(spec, op, x, c);
    case ClockOpKind::kRestart:
      c = ClockState{};
      c.started = x.cmd.on;
      return Ok();
    case ClockOpKind::kStop:  // stopping a clock that is not running is a no-op: paths differ
      if (Running(c)) {
        c.stopped = x.cmd.on;
        if (OpenSuspension(c)) c.suspensions.back().to = x.cmd.on;
      }
      return Ok();
    case ClockOpKind::kSuspend:
      return ApplySuspend(spec, x, c);
    case ClockOpKind::kResume:
      if (!Running(c) || !OpenSuspension(c)) {
        x.out.Add("suspension", spec.id, "“" + spec.label_zh + "”没有中止，不能恢复",
                  "clock " + spec.id + " is not suspended; nothing to resume");
        return Ok();
      }
      c.suspensions.back().to = x.cmd.on;
      return Ok();
    case ClockOpKind::kExtend:
      return ApplyExtend(spec, x, c);
  }
  return Ok();
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
  facts_after.insert(command.established.begin(), command.established.end());
  facts_after.insert(step->sets_facts.begin(), step->sets_facts.end());
  OpContext ctx{procedure, *step, current, command, calendar, failures};
  for (const ClockOp& op : step->clock_ops) {
    if (!op.when_fact.empty() && !facts_after.contains(op.when_fact)) continue;
    QZ_TRY(ApplyOp(op, ctx, next.clocks[op.clock]));
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
