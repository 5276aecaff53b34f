// Runs every declarative scenario in tests/scenarios/procedures/ against the
// procedure files in data/procedures/, then checks coverage: every step of
// every procedure succeeds in some scenario, and every kind of refusal a step
// declares (each guard type, each conditional, each clock operation that can
// be refused) and a wrong-state conflict per procedure is exercised.
//
// Scenario format (one JSON object per file):
//   {"name", "procedure", "version", "opened_on": "YYYY-MM-DD",
//    "yellow_working_days"?: 3,
//    "steps": [
//      {"command": {"step","on","documents"?,"facts"?,"reason"?,"extension_days"?,"limit_days"?},
//       "expect": {"ok": true, "state"?, "facts"?: [...must hold],
//                  "clocks"?: {id: {"deadline"?,"status"?,"limit_days"?,"extension_days"?,
//                                   "excluded_days"?,"used_days"?,"left_days"?}},
//                  "today"?: date the clocks are evaluated on (default: the command's)}
//              | {"error": "conflict" | "rule_violation", "guards"?: [exact set of guard names]}},
//      {"check": {"today", "clocks": {...}}}]}
// Expected dates are computed by hand from data/holidays, never by the code.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "domain/procedure.h"

namespace quanze::domain {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string SourceDir() {
  if (const char* dir = std::getenv("QUANZE_SOURCE_DIR"); dir != nullptr && *dir != '\0')
    return dir;
  std::string here = __FILE__;
  return here.substr(0, here.rfind("/src/domain/"));
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> JsonFiles(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(SourceDir() + dir)) {
    if (e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Date D(const std::string& text) {
  Result<Date> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : Date();
}

std::set<std::string> Strings(const json& j, const char* key) {
  std::set<std::string> out;
  if (j.contains(key)) {
    for (const auto& v : j[key]) out.insert(v.get<std::string>());
  }
  return out;
}

// What the scenarios exercised, for the coverage check.
struct Coverage {
  std::map<std::string, std::set<std::string>> succeeded;  // procedure -> steps
  std::map<std::string, std::set<std::string>> refused;    // "procedure/step" -> refusal kinds
  std::set<std::string> conflicts;                         // procedures
};

// Refusal kinds a step can produce: "documents", "after_steps|<when>", ...
std::set<std::string> DeclaredRefusals(const ProcedureStep& s) {
  std::set<std::string> out;
  if (!s.guard.documents.empty()) out.insert("documents");
  if (!s.guard.after_steps.empty()) out.insert("after_steps");
  if (!s.guard.facts.empty()) out.insert("facts");
  for (const auto& c : s.guard.conditionals) {
    if (!c.after_steps.empty()) out.insert("after_steps|" + c.when_fact);
    if (!c.facts.empty()) out.insert("facts|" + c.when_fact);
  }
  if (s.guard.reason) out.insert("reason");
  if (!s.guard.waits.empty()) out.insert("waiting_period");
  for (const auto& op : s.clock_ops) {
    if (op.kind == ClockOpKind::kExtend) out.insert("extension");
    if (op.kind == ClockOpKind::kSuspend || op.kind == ClockOpKind::kResume)
      out.insert("suspension");
  }
  return out;
}

class ScenarioRunner {
 public:
  ScenarioRunner() {
    for (const char* year : {"2025", "2026"}) {
      Status st = calendar_.LoadYear(ReadFile(SourceDir() + "/data/holidays/cn-" + year + ".json"));
      EXPECT_TRUE(st.ok()) << year;
    }
    for (const auto& path : JsonFiles("/data/procedures")) {
      Result<Procedure> p = ParseProcedure(ReadFile(path));
      EXPECT_TRUE(p.ok()) << path << ": " << (p.ok() ? "" : p.error().detail.dump());
      if (p.ok()) {
        EXPECT_TRUE(library_.Add(std::move(p).value()).ok()) << path;
      }
    }
  }

  const ProcedureLibrary& library() const { return library_; }
  const Coverage& coverage() const { return coverage_; }

  void Run(const fs::path& path) {
    SCOPED_TRACE(path.filename().string());
    json sc = json::parse(ReadFile(path));
    const Procedure* pr =
        library_.Find(sc["procedure"].get<std::string>(), sc["version"].get<int>());
    ASSERT_NE(pr, nullptr) << sc["procedure"];
    yellow_ = sc.value("yellow_working_days", 3);
    CaseState state = OpenCase(*pr, D(sc["opened_on"]));
    for (size_t i = 0; i < sc["steps"].size(); ++i) {
      SCOPED_TRACE("step " + std::to_string(i));
      const json& entry = sc["steps"][i];
      if (entry.contains("check")) {
        ExpectClocks(*pr, state, entry["check"]["clocks"], D(entry["check"]["today"]));
      } else {
        RunCommand(*pr, state, entry["command"], entry["expect"]);
      }
    }
  }

 private:
  static StepCommand Command(const json& c) {
    StepCommand cmd;
    cmd.step = c["step"].get<std::string>();
    cmd.on = D(c["on"]);
    cmd.documents = Strings(c, "documents");
    cmd.facts = Strings(c, "facts");
    cmd.reason = c.value("reason", "");
    cmd.extension_days = c.value("extension_days", 0);
    cmd.limit_days = c.value("limit_days", 0);
    return cmd;
  }

  void RunCommand(const Procedure& pr, CaseState& state, const json& c, const json& expect) {
    StepCommand cmd = Command(c);
    Result<CaseState> next = ApplyStep(pr, state, cmd, &calendar_);
    if (expect.contains("error")) {
      ASSERT_FALSE(next.ok()) << "expected " << expect["error"] << " for " << cmd.step;
      ExpectError(pr, cmd, next.error(), expect);
      return;
    }
    ASSERT_TRUE(next.ok()) << cmd.step << ": " << next.error().Describe() << " "
                           << next.error().detail.dump();
    coverage_.succeeded[pr.id].insert(cmd.step);
    state = std::move(next).value();
    if (expect.contains("state")) {
      EXPECT_EQ(state.state, expect["state"].get<std::string>()) << cmd.step;
    }
    for (const std::string& f : Strings(expect, "facts")) EXPECT_TRUE(state.facts.contains(f)) << f;
    if (expect.contains("clocks")) {
      ExpectClocks(pr, state, expect["clocks"],
                   expect.contains("today") ? D(expect["today"]) : cmd.on);
    }
  }

  void ExpectError(const Procedure& pr, const StepCommand& cmd, const Error& e,
                   const json& expect) {
    const std::string want = expect["error"].get<std::string>();
    EXPECT_EQ(ErrorCodeName(e.code), want) << e.Describe();
    if (e.code == ErrorCode::kConflict) {
      coverage_.conflicts.insert(pr.id);
      EXPECT_TRUE(e.detail.contains("allowed_steps"));
      return;
    }
    if (e.code != ErrorCode::kRuleViolation) return;
    std::set<std::string> guards;
    for (const auto& f : e.detail["failures"]) {
      const std::string g = f["guard"].get<std::string>();
      guards.insert(g);
      coverage_.refused[pr.id + "/" + cmd.step].insert(
          f.contains("when") ? g + "|" + f["when"].get<std::string>() : g);
    }
    if (expect.contains("guards")) {
      EXPECT_EQ(guards, Strings(expect, "guards")) << e.detail.dump();
    }
  }

  void ExpectClocks(const Procedure& pr, const CaseState& state, const json& clocks, Date today) {
    for (const auto& [id, want] : clocks.items()) {
      SCOPED_TRACE("clock " + id);
      const ClockSpec* spec = pr.FindClock(id);
      ASSERT_NE(spec, nullptr);
      auto it = state.clocks.find(id);
      Result<ClockView> v = EvaluateClock(
          *spec, it == state.clocks.end() ? ClockState{} : it->second, today, yellow_, calendar_);
      ASSERT_TRUE(v.ok()) << v.error().Describe();
      if (want.contains("deadline")) {
        ASSERT_TRUE(v->deadline.has_value());
        EXPECT_EQ(v->deadline->ToString(), want["deadline"].get<std::string>());
      }
      if (want.contains("status")) {
        EXPECT_EQ(ClockStatusCode(v->status), want["status"].get<std::string>());
      }
      if (want.contains("limit_days")) {
        EXPECT_EQ(v->limit_days, want["limit_days"].get<int>());
      }
      if (want.contains("extension_days")) {
        EXPECT_EQ(v->extension_days, want["extension_days"].get<int>());
      }
      if (want.contains("excluded_days")) {
        EXPECT_EQ(v->excluded_days, want["excluded_days"].get<int>());
      }
      if (want.contains("used_days")) {
        EXPECT_EQ(v->used_days, want["used_days"].get<int>());
      }
      if (want.contains("left_days")) {
        EXPECT_EQ(v->left_days, want["left_days"].get<int>());
      }
    }
  }

  HolidayCalendar calendar_;
  ProcedureLibrary library_;
  Coverage coverage_;
  int yellow_ = 3;
};

TEST(ProcedureScenarios, AllScenariosPassAndCoverEveryStepAndRefusal) {
  ScenarioRunner runner;
  const auto files = JsonFiles("/tests/scenarios/procedures");
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) runner.Run(f);

  const Coverage& cov = runner.coverage();
  ASSERT_EQ(runner.library().All().size(), 4u);
  for (const Procedure* pr : runner.library().All()) {
    EXPECT_TRUE(cov.conflicts.contains(pr->id)) << pr->id << ": no wrong-state conflict scenario";
    for (const ProcedureStep& s : pr->steps) {
      auto ok = cov.succeeded.find(pr->id);
      EXPECT_TRUE(ok != cov.succeeded.end() && ok->second.contains(s.code))
          << pr->id << "/" << s.code << " never succeeds in a scenario";
      auto refused = cov.refused.find(pr->id + "/" + s.code);
      for (const std::string& kind : DeclaredRefusals(s)) {
        EXPECT_TRUE(refused != cov.refused.end() && refused->second.contains(kind))
            << pr->id << "/" << s.code << ": no scenario refuses it for " << kind;
      }
    }
  }
}

TEST(ProcedureScenarios, DataFilesAreTheFourProcedures) {
  ScenarioRunner runner;
  for (const char* id : {"licensing", "penalty_general", "penalty_summary", "inspection"}) {
    EXPECT_NE(runner.library().Latest(id), nullptr) << id;
  }
  const Procedure* summary = runner.library().Latest("penalty_summary");
  ASSERT_NE(summary, nullptr);
  ASSERT_TRUE(summary->limits.has_value());
  EXPECT_EQ(summary->limits->natural_person_fen, 20000);  // 二百元, 第五十一条
  EXPECT_EQ(summary->limits->organisation_fen, 300000);   // 三千元
}

}  // namespace
}  // namespace quanze::domain
