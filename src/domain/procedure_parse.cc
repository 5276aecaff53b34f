// Reading a procedure data file (data/procedures/*.json; the format is
// specified in docs/procedures.md) and checking that it is a well-formed
// state machine. Every problem is collected with its JSON path so that the
// author of a data file sees all of them at once.
#include <functional>
#include <set>
#include <utility>

#include "domain/data_reader.h"
#include "domain/procedure.h"

namespace quanze::domain {
namespace {

using nlohmann::json;

using Reader = detail::Reader;

ProcedureState ReadState(Reader& r, const json& j, const std::string& p) {
  ProcedureState s;
  if (!r.Object(j, p, {"code", "label_zh", "label_en", "terminal"})) return s;
  s.code = r.String(j, p, "code", true);
  s.label_zh = r.String(j, p, "label_zh", true);
  s.label_en = r.String(j, p, "label_en", false);
  s.terminal = r.Bool(j, p, "terminal", false);
  return s;
}

ClockSpec ReadClock(Reader& r, const json& j, const std::string& p) {
  ClockSpec c;
  if (!r.Object(j, p,
                {"id", "label_zh", "label_en", "limit_days", "unit", "max_extension_days",
                 "max_extensions", "statutory", "waiting", "per_case_limit", "party_duty",
                 "exact_end", "basis"})) {
    return c;
  }
  c.id = r.String(j, p, "id", true);
  c.label_zh = r.String(j, p, "label_zh", true);
  c.label_en = r.String(j, p, "label_en", false);
  c.limit_days = r.Int(j, p, "limit_days", 0, 1);
  if (!j.contains("limit_days"))
    r.Fail(Reader::Join(p, "limit_days"), "缺少时限天数", "limit_days missing");
  std::string unit = r.String(j, p, "unit", true);
  if (auto u = ParseDayUnit(unit)) {
    c.unit = *u;
  } else if (!unit.empty()) {
    r.Fail(Reader::Join(p, "unit"), "单位应为working或calendar",
           "unit must be working or calendar");
  }
  c.max_extension_days = r.Int(j, p, "max_extension_days", 0, 0);
  c.max_extensions = r.Int(j, p, "max_extensions", 1, 0);
  c.statutory = r.Bool(j, p, "statutory", true);
  c.waiting = r.Bool(j, p, "waiting", false);
  c.per_case_limit = r.Bool(j, p, "per_case_limit", false);
  c.party_duty = r.Bool(j, p, "party_duty", false);
  c.exact_end = r.Bool(j, p, "exact_end", false);
  c.basis = r.String(j, p, "basis", true);
  return c;
}

ClockOp ReadClockOp(Reader& r, const json& j, const std::string& p) {
  ClockOp op;
  if (!r.Object(
          j, p,
          {"clock", "op", "as_of_opening", "as_of_opening_if_expired", "when_fact", "optional"}))
    return op;
  op.clock = r.String(j, p, "clock", true);
  std::string kind = r.String(j, p, "op", true);
  if (auto k = ParseClockOpKind(kind)) {
    op.kind = *k;
  } else if (!kind.empty()) {
    r.Fail(Reader::Join(p, "op"), "未知时钟操作：" + kind, "unknown clock op: " + kind);
  }
  op.as_of_opening = r.Bool(j, p, "as_of_opening", false);
  op.as_of_opening_if_expired = r.String(j, p, "as_of_opening_if_expired", false);
  op.when_fact = r.String(j, p, "when_fact", false);
  op.optional = r.Bool(j, p, "optional", false);
  return op;
}

StepGuard ReadGuard(Reader& r, const json& j, const std::string& p) {
  StepGuard g;
  if (!r.Object(j, p,
                {"min_officers", "certificate", "leader", "legal_reviewer", "documents",
                 "after_steps", "facts", "conditionals", "reason", "waits", "all_leaders",
                 "before_deadline", "separate_from", "absent_facts"})) {
    return g;
  }
  g.min_officers = r.Int(j, p, "min_officers", 1, 1);
  g.certificate = r.Bool(j, p, "certificate", false);
  g.leader = r.Bool(j, p, "leader", false);
  g.legal_reviewer = r.Bool(j, p, "legal_reviewer", false);
  g.documents = r.Strings(j, p, "documents");
  g.after_steps = r.Strings(j, p, "after_steps");
  g.facts = r.Strings(j, p, "facts");
  g.reason = r.Bool(j, p, "reason", false);
  g.all_leaders = r.Bool(j, p, "all_leaders", false);
  g.before_deadline = r.Strings(j, p, "before_deadline");
  g.separate_from = r.Strings(j, p, "separate_from");
  g.absent_facts = r.Strings(j, p, "absent_facts");
  auto read_waits = [&](const json& obj, const std::string& op) {
    std::vector<StepGuard::Wait> out;
    r.Array(obj, op, "waits", false, [&](const json& w, const std::string& wp) {
      if (!r.Object(w, wp, {"clock", "strictly_after"})) return;
      out.push_back({r.String(w, wp, "clock", true), r.Bool(w, wp, "strictly_after", false)});
    });
    return out;
  };
  r.Array(j, p, "conditionals", false, [&](const json& c, const std::string& cp) {
    if (!r.Object(c, cp, {"when_fact", "unless_facts", "after_steps", "facts", "waits"})) return;
    g.conditionals.push_back({r.String(c, cp, "when_fact", true), r.Strings(c, cp, "unless_facts"),
                              r.Strings(c, cp, "after_steps"), r.Strings(c, cp, "facts"),
                              read_waits(c, cp)});
  });
  g.waits = read_waits(j, p);
  return g;
}

ProcedureStep ReadStep(Reader& r, const json& j, const std::string& p) {
  ProcedureStep s;
  if (!r.Object(j, p,
                {"code", "label_zh", "label_en", "from", "to", "guard", "clock_ops", "sets_facts",
                 "evidence_facts", "records", "serves_decision", "outcome", "enforcement",
                 "decision", "statutory_duty", "basis"})) {
    return s;
  }
  s.code = r.String(j, p, "code", true);
  s.label_zh = r.String(j, p, "label_zh", true);
  s.label_en = r.String(j, p, "label_en", false);
  s.from = r.Strings(j, p, "from");
  if (s.from.empty())
    r.Fail(Reader::Join(p, "from"), "至少列出一个起始状态", "list at least one state");
  s.to = r.String(j, p, "to", false);
  if (auto it = j.find("guard"); it != j.end())
    s.guard = ReadGuard(r, *it, Reader::Join(p, "guard"));
  r.Array(j, p, "clock_ops", false, [&](const json& o, const std::string& op) {
    s.clock_ops.push_back(ReadClockOp(r, o, op));
  });
  s.sets_facts = r.Strings(j, p, "sets_facts");
  s.evidence_facts = r.Strings(j, p, "evidence_facts");
  s.records = r.String(j, p, "records", false);
  if (!s.records.empty() && s.records != "violation" && s.records != "proposal" &&
      s.records != "collection") {
    r.Fail(Reader::Join(p, "records"), "records 应为 violation、proposal 或 collection",
           "records must be violation, proposal or collection");
  }
  s.serves_decision = r.Bool(j, p, "serves_decision", false);
  s.outcome = r.String(j, p, "outcome", false);
  s.enforcement = r.Bool(j, p, "enforcement", false);
  s.decision = r.Bool(j, p, "decision", false);
  s.statutory_duty = r.Bool(j, p, "statutory_duty", true);
  s.basis = r.String(j, p, "basis", true);
  return s;
}

// Duplicate codes among `codes` (with their paths).
void CheckUnique(Reader& r, const std::vector<std::pair<std::string, std::string>>& codes) {
  std::set<std::string> seen;
  for (const auto& [code, path] : codes) {
    if (!code.empty() && !seen.insert(code).second)
      r.Fail(path, "重复：" + code, "duplicate: " + code);
  }
}

void CheckRefs(Reader& r, const Procedure& pr) {
  auto state_ref = [&](const std::string& code, const std::string& path) {
    if (!code.empty() && pr.FindState(code) == nullptr)
      r.Fail(path, "未定义的状态：" + code, "unknown state: " + code);
  };
  auto clock_ref = [&](const std::string& id, const std::string& path) {
    if (!id.empty() && pr.FindClock(id) == nullptr)
      r.Fail(path, "未定义的时钟：" + id, "unknown clock: " + id);
  };
  auto step_ref = [&](const std::string& code, const std::string& path) {
    if (pr.FindStep(code) == nullptr)
      r.Fail(path, "未定义的步骤：" + code, "unknown step: " + code);
  };
  state_ref(pr.initial_state, "initial_state");
  if (const auto* init = pr.FindState(pr.initial_state); init != nullptr && init->terminal) {
    r.Fail("initial_state", "初始状态不能是终止状态", "the initial state may not be terminal");
  }
  for (size_t i = 0; i < pr.opening_clock_starts.size(); ++i) {
    clock_ref(pr.opening_clock_starts[i], Reader::Index("opening_clock_starts", i));
  }
  for (size_t i = 0; i < pr.steps.size(); ++i) {
    const ProcedureStep& s = pr.steps[i];
    const std::string p = Reader::Index("steps", i);
    for (size_t k = 0; k < s.from.size(); ++k) {
      state_ref(s.from[k], Reader::Index(p + ".from", k));
      if (const auto* st = pr.FindState(s.from[k]); st != nullptr && st->terminal) {
        r.Fail(Reader::Index(p + ".from", k), "终止状态不能有后续步骤：" + st->code,
               "a terminal state has no outgoing steps: " + st->code);
      }
    }
    state_ref(s.to, p + ".to");
    for (size_t k = 0; k < s.guard.after_steps.size(); ++k) {
      step_ref(s.guard.after_steps[k], Reader::Index(p + ".guard.after_steps", k));
    }
    for (size_t c = 0; c < s.guard.conditionals.size(); ++c) {
      const auto& cond = s.guard.conditionals[c];
      for (size_t k = 0; k < cond.after_steps.size(); ++k) {
        step_ref(cond.after_steps[k],
                 Reader::Index(Reader::Index(p + ".guard.conditionals", c) + ".after_steps", k));
      }
    }
    for (size_t k = 0; k < s.guard.waits.size(); ++k) {
      clock_ref(s.guard.waits[k].clock, Reader::Index(p + ".guard.waits", k) + ".clock");
    }
    for (size_t c = 0; c < s.guard.conditionals.size(); ++c) {
      const auto& waits = s.guard.conditionals[c].waits;
      for (size_t k = 0; k < waits.size(); ++k) {
        clock_ref(waits[k].clock,
                  Reader::Index(Reader::Index(p + ".guard.conditionals", c) + ".waits", k));
      }
    }
    for (size_t k = 0; k < s.guard.before_deadline.size(); ++k) {
      clock_ref(s.guard.before_deadline[k], Reader::Index(p + ".guard.before_deadline", k));
    }
    for (size_t k = 0; k < s.guard.separate_from.size(); ++k) {
      step_ref(s.guard.separate_from[k], Reader::Index(p + ".guard.separate_from", k));
    }
    for (size_t k = 0; k < s.clock_ops.size(); ++k) {
      const std::string op_path = Reader::Index(p + ".clock_ops", k);
      clock_ref(s.clock_ops[k].clock, op_path + ".clock");
      clock_ref(s.clock_ops[k].as_of_opening_if_expired, op_path + ".as_of_opening_if_expired");
      const ClockSpec* spec = pr.FindClock(s.clock_ops[k].clock);
      if (spec != nullptr && s.clock_ops[k].kind == ClockOpKind::kExtend &&
          (spec->max_extension_days == 0 || spec->max_extensions == 0)) {
        r.Fail(op_path, "该时钟不允许延长：" + spec->id,
               "the clock cannot be extended: " + spec->id);
      }
    }
  }
}

// Every state reachable from the initial state; every non-terminal state has
// a way out.
void CheckGraph(Reader& r, const Procedure& pr) {
  if (pr.FindState(pr.initial_state) == nullptr) return;
  std::set<std::string> reached{pr.initial_state};
  std::vector<std::string> work{pr.initial_state};
  while (!work.empty()) {
    std::string at = work.back();
    work.pop_back();
    for (const ProcedureStep* s : pr.StepsFrom(at)) {
      const std::string& next = s->to.empty() ? at : s->to;
      if (reached.insert(next).second) work.push_back(next);
    }
  }
  for (size_t i = 0; i < pr.states.size(); ++i) {
    const ProcedureState& st = pr.states[i];
    const std::string p = Reader::Index("states", i);
    if (!reached.contains(st.code))
      r.Fail(p, "从初始状态无法到达：" + st.code, "unreachable from the initial state: " + st.code);
    if (!st.terminal && pr.StepsFrom(st.code).empty()) {
      r.Fail(p, "非终止状态没有后续步骤：" + st.code,
             "a non-terminal state has no outgoing step: " + st.code);
    }
  }
}

void ReadTop(Reader& r, const json& doc, Procedure& pr) {
  if (!r.Object(doc, "",
                {"id", "version", "name_zh", "name_en", "basis", "initial_state", "states",
                 "clocks", "steps", "opening_clock_starts", "limits"})) {
    return;
  }
  pr.id = r.String(doc, "", "id", true);
  pr.version = r.Int(doc, "", "version", 0, 1);
  if (!doc.contains("version")) r.Fail("version", "缺少版本号", "version missing");
  pr.name_zh = r.String(doc, "", "name_zh", true);
  pr.name_en = r.String(doc, "", "name_en", false);
  pr.basis = r.String(doc, "", "basis", true);
  pr.initial_state = r.String(doc, "", "initial_state", true);
  r.Array(doc, "", "states", true,
          [&](const json& j, const std::string& p) { pr.states.push_back(ReadState(r, j, p)); });
  r.Array(doc, "", "clocks", false,
          [&](const json& j, const std::string& p) { pr.clocks.push_back(ReadClock(r, j, p)); });
  r.Array(doc, "", "steps", true,
          [&](const json& j, const std::string& p) { pr.steps.push_back(ReadStep(r, j, p)); });
  pr.opening_clock_starts = r.Strings(doc, "", "opening_clock_starts");
  if (auto it = doc.find("limits");
      it != doc.end() &&
      r.Object(*it, "limits", {"natural_person_fen", "organisation_fen", "collect_on_spot_fen"})) {
    pr.limits = AmountLimits{r.Int64(*it, "limits", "natural_person_fen"),
                             r.Int64(*it, "limits", "organisation_fen"), 0};
    if (it->contains("collect_on_spot_fen"))
      pr.limits->collect_on_spot_fen = r.Int64(*it, "limits", "collect_on_spot_fen");
  }
}

void Validate(Reader& r, const Procedure& pr) {
  std::vector<std::pair<std::string, std::string>> states, clocks, steps;
  for (size_t i = 0; i < pr.states.size(); ++i)
    states.emplace_back(pr.states[i].code, Reader::Index("states", i) + ".code");
  for (size_t i = 0; i < pr.clocks.size(); ++i)
    clocks.emplace_back(pr.clocks[i].id, Reader::Index("clocks", i) + ".id");
  for (size_t i = 0; i < pr.steps.size(); ++i)
    steps.emplace_back(pr.steps[i].code, Reader::Index("steps", i) + ".code");
  CheckUnique(r, states);
  CheckUnique(r, clocks);
  CheckUnique(r, steps);
  CheckRefs(r, pr);
  CheckGraph(r, pr);
}

}  // namespace

Result<Procedure> ParseProcedure(std::string_view json_text) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    return MakeError(ErrorCode::kBadRequest,
                     "程序文件JSON语法错误（第" + std::to_string(e.byte) + "字节）",
                     "procedure file: JSON syntax error at byte " + std::to_string(e.byte),
                     {{"byte_offset", e.byte}});
  } catch (const json::out_of_range&) {  // a number beyond double, e.g. 1e400 (found by fuzzing)
    return MakeError(ErrorCode::kBadRequest, "程序文件中的数值超出范围",
                     "procedure file: a number is out of range");
  }
  Reader r;
  Procedure pr;
  ReadTop(r, doc, pr);
  if (r.ok()) Validate(r, pr);
  if (!r.ok()) {
    return MakeError(ErrorCode::kValidation, "程序文件无效：" + pr.id,
                     "invalid procedure file: " + pr.id, {{"errors", r.TakeErrors()}});
  }
  return pr;
}

}  // namespace quanze::domain
