// Runs every declarative scenario in tests/scenarios/procedures/ through the
// decision function (domain::cases::Decide) with the real rule data
// (data/procedures, data/discretion, data/rules/cases.json, data/holidays),
// then checks coverage: every step of every procedure succeeds in some
// scenario, every kind of refusal a step declares is exercised, and every
// rule of Decide (the list kRules below) refuses in at least one scenario.
//
// Scenario format (one JSON object per file):
//   {"name", "procedure", "version", "opened_on": "YYYY-MM-DD",
//    "power_code"?: "CF-03-0022", "party_kind"?: "organisation" | "natural_person",
//    "yellow_working_days"?: 3,
//    "hearing_thresholds"?: {"natural_person_fen", "organisation_fen"} (default: the settings'),
//    "steps": [
//      {"command": {"step", "on", "today"?: the day it is recorded (default: on),
//                   "by"?: person id, "officers"?: [ids], "documents"?, "facts"?,
//                   "reason"?, "extension_days"?, "limit_days"?, "backdate_reason"?,
//                   "decision"?: {"content","tier","amount_fen","base_fen",
//                                 "confiscation_fen","licence_revoked_or_closure",
//                                 "written_reason"},
//                   "proposal"?: {...the same terms...},
//                   "violation"?: {"committed_on","discovered_on","serious_harm"},
//                   "receipt_number"?, "hearing_thresholds"?: as above, for this command},
//       "expect": {"ok": true, "state"?, "facts"?: [...must hold], "flags"?: [...],
//                  "decision"?: {"amount_fen"?, "responsible_id"?},
//                  "disclosure"?: false | {"title"?, "due_on"?: date | null},
//                  "appeal"?: {"reconsideration"?, "litigation"?},
//                  "clocks"?: {id: {"deadline"?,"status"?,"limit_days"?,"extension_days"?,
//                                   "excluded_days"?,"used_days"?,"left_days"?}},
//                  "today"?: date the clocks are evaluated on (default: the command's)}
//              | {"error": "conflict" | "rule_violation" | "validation_failed" |
//              "authority_denied",
//                 "guards"?: [exact set of guard names],
//                 "refusal"?: "case.step_denied" | "case.step_refused" | "case.decision_refused",
//                 "accountability"?: trigger | null}},
//      {"check": {"today", "clocks": {...}}}]}
// The people of the town (ids 1–7) are fixed below; "by" defaults to the
// legal reviewer for legal-review steps, to the hearing chair for steps that
// must be separate from others, and to the leader otherwise; "officers"
// defaults to enough certified officers for the step; a decision step
// without "decision" gets a content-only decision. Expected dates are
// computed by hand from data/holidays, never by the code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "domain/cases/decide.h"

namespace quanze::domain::cases {
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

constexpr const char* kTown = "990121101";
constexpr std::int64_t kAgency = 1;
// The people of the town's handling agency.
enum Person : std::int64_t {
  kOfficer1 = 1,  // 执法岗, certified
  kOfficer2 = 2,  // 执法岗, certified
  kLeader = 3,    // 负责人, certified
  kReviewer = 4,  // 法制审核岗, qualified, certified (may be sent to investigate)
  kDeputy1 = 5,   // 副职负责人
  kDeputy2 = 6,   // 副职负责人
  kChair = 7,     // 听证主持岗, certified, never investigates
};

// The rules every refusal scenario set must exercise at least once.
const std::vector<std::string> kRules = {"authority:officer_count",
                                         "authority:legal_reviewer",
                                         "authority:leader",
                                         "authority:all_leaders",
                                         "date",
                                         "backdate",
                                         "separation",
                                         "deadline",
                                         "expired",
                                         "violation",
                                         "limitation",
                                         "proposal",
                                         "hearing",
                                         "on_the_spot_cap",
                                         "discretion",
                                         "statutory_range",
                                         "collection",
                                         "decision_content",
                                         "facts",
                                         "waiting_period"};

// What the scenarios exercised, for the coverage check.
struct Coverage {
  std::map<std::string, std::set<std::string>> succeeded;  // procedure -> steps
  std::map<std::string, std::set<std::string>> refused;    // "procedure/step" -> refusal kinds
  std::set<std::string> conflicts;                         // procedures
  std::set<std::string> rules;                             // guard names seen anywhere
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
    if (!c.waits.empty()) out.insert("waiting_period|" + c.when_fact);
  }
  if (s.guard.reason) out.insert("reason");
  if (!s.guard.waits.empty()) out.insert("waiting_period");
  if (!s.guard.before_deadline.empty()) out.insert("deadline");
  if (!s.guard.separate_from.empty()) out.insert("separation");
  for (const auto& op : s.clock_ops) {
    if (op.optional) continue;  // skipped, never refused
    if (op.kind == ClockOpKind::kExtend) out.insert("extension");
    if (op.kind == ClockOpKind::kSuspend || op.kind == ClockOpKind::kResume)
      out.insert("suspension");
  }
  return out;
}

AuthorityFacts Town(const ProcedureLibrary& library) {
  AuthorityFacts f;
  std::vector<std::string> all;
  for (const Procedure* p : library.All()) all.push_back(p->id + ":*");
  auto person = [&](std::int64_t id, std::string name, std::string post, bool leader, bool reviewer,
                    bool certified) {
    OfficerFact o;
    o.person_id = id;
    o.agency_id = kAgency;
    o.name = std::move(name);
    o.post = std::move(post);
    o.is_leader = leader;
    o.legal_review_qualified = reviewer;
    if (certified) {
      o.certificate.number = "99000" + std::to_string(id);
      o.certificate.valid_from = D("2020-01-01");
      o.certificate.valid_to = D("2030-12-31");
    }
    f.SetPostSteps(kAgency, o.post, all);
    f.SetOfficer(std::move(o));
  };
  person(kOfficer1, "张一", "执法岗", false, false, true);
  person(kOfficer2, "李二", "执法岗", false, false, true);
  person(kLeader, "王三", "负责人", true, false, true);
  person(kReviewer, "赵四", "法制审核岗", false, true, true);
  person(kDeputy1, "孙五", "负责人", true, false, false);
  person(kDeputy2, "周六", "负责人", true, false, false);
  person(kChair, "吴七", "听证主持岗", false, false, true);
  return f;
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
    auto b = ParseDiscretionBenchmarks(ReadFile(SourceDir() + "/data/discretion/demo.json"));
    EXPECT_TRUE(b.ok());
    if (b.ok()) benchmarks_ = std::move(b).value();
    auto book = ParseCaseRuleBook(ReadFile(SourceDir() + "/data/rules/cases.json"));
    EXPECT_TRUE(book.ok()) << (book.ok() ? "" : book.error().detail.dump());
    if (book.ok()) book_ = std::move(book).value();
    town_ = Town(library_);
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
    hearing_ = sc.value("hearing_thresholds", json());
    CaseFacts facts;
    facts.town_code = kTown;
    facts.power_code = sc.value("power_code", "CF-03-0022");
    facts.power_name = "演示事项";
    facts.party_kind = sc.value("party_kind", "organisation");
    facts.county_name = "示范县";
    facts.authority = &town_;
    facts.secrets = {"王小明"};
    GrantFact g;
    g.state = "effective";
    g.valid_from = D("2020-01-01");
    g.agency_id = kAgency;
    town_.SetGrant(kTown, facts.power_code, g);
    facts.state = OpenCase(*pr, D(sc["opened_on"]));
    for (size_t i = 0; i < sc["steps"].size(); ++i) {
      SCOPED_TRACE("step " + std::to_string(i));
      const json& entry = sc["steps"][i];
      if (entry.contains("check")) {
        ExpectClocks(*pr, facts.state, entry["check"]["clocks"], D(entry["check"]["today"]));
      } else {
        RunCommand(*pr, facts, entry["command"], entry["expect"]);
      }
    }
  }

 private:
  static std::int64_t DefaultPerformer(const ProcedureStep* s) {
    if (s == nullptr) return kLeader;
    if (s->guard.legal_reviewer) return kReviewer;
    if (!s->guard.separate_from.empty()) return kChair;
    return kLeader;
  }

  static std::vector<std::int64_t> DefaultOfficers(const ProcedureStep* s, std::int64_t by) {
    if (s == nullptr) return {};
    if (s->guard.all_leaders) return {kLeader, kDeputy1, kDeputy2};
    const int needed = std::max(s->guard.min_officers, s->enforcement ? 2 : 1);
    std::vector<std::int64_t> out{by};
    for (std::int64_t id : {kOfficer1, kOfficer2, kLeader}) {
      if (static_cast<int>(out.size()) >= needed) break;
      if (id != by) out.push_back(id);
    }
    return out;
  }

  static PenaltyTerms Terms(const json& j, std::int64_t* base) {
    PenaltyTerms t;
    t.tier = j.value("tier", "");
    t.amount_fen = j.value("amount_fen", std::int64_t{0});
    t.confiscation_fen = j.value("confiscation_fen", std::int64_t{0});
    t.licence_revoked_or_closure = j.value("licence_revoked_or_closure", false);
    *base = j.value("base_fen", std::int64_t{0});
    return t;
  }

  static CaseCommand Command(const Procedure& pr, const json& c) {
    CaseCommand cmd;
    cmd.step.step = c["step"].get<std::string>();
    cmd.step.on = D(c["on"]);
    cmd.step.documents = Strings(c, "documents");
    cmd.step.facts = Strings(c, "facts");
    cmd.step.reason = c.value("reason", "");
    cmd.step.extension_days = c.value("extension_days", 0);
    cmd.step.limit_days = c.value("limit_days", 0);
    const ProcedureStep* s = pr.FindStep(cmd.step.step);
    cmd.performer_id = c.value("by", DefaultPerformer(s));
    cmd.officers = c.contains("officers") ? c["officers"].get<std::vector<std::int64_t>>()
                                          : DefaultOfficers(s, cmd.performer_id);
    cmd.backdate_reason = c.value("backdate_reason", "");
    cmd.receipt_number = c.value("receipt_number", "");
    if (c.contains("decision")) {
      DecisionInput d;
      d.content = c["decision"].value("content", "");
      d.written_reason = c["decision"].value("written_reason", "");
      d.terms = Terms(c["decision"], &d.base_fen);
      cmd.decision = d;
    } else if (s != nullptr && s->decision) {
      cmd.decision = DecisionInput{"（" + s->label_zh + "决定书内容）", {}, 0, ""};
    }
    if (c.contains("proposal")) cmd.proposal = Terms(c["proposal"], &cmd.proposal_base_fen);
    if (c.contains("violation")) {
      cmd.violation =
          ViolationDates{D(c["violation"]["committed_on"]), D(c["violation"]["discovered_on"]),
                         c["violation"].value("serious_harm", false)};
    }
    return cmd;
  }

  void RunCommand(const Procedure& pr, CaseFacts& facts, const json& c, const json& expect) {
    CaseCommand cmd = Command(pr, c);
    CaseRules rules{pr, calendar_, benchmarks_, book_};
    DecideSettings settings;
    settings.today = c.contains("today") ? D(c["today"]) : cmd.step.on;
    const json thresholds = c.contains("hearing_thresholds") ? c["hearing_thresholds"] : hearing_;
    if (thresholds.is_object()) {
      settings.hearing.natural_person_fen =
          thresholds.value("natural_person_fen", settings.hearing.natural_person_fen);
      settings.hearing.organisation_fen =
          thresholds.value("organisation_fen", settings.hearing.organisation_fen);
    }
    Outcome o = Decide(rules, facts, cmd, settings);
    if (expect.contains("error")) {
      ASSERT_TRUE(o.refusal.has_value())
          << "expected " << expect["error"] << " for " << cmd.step.step;
      ExpectRefusal(pr, cmd, o, expect);
      return;
    }
    ASSERT_FALSE(o.refusal.has_value()) << cmd.step.step << ": " << o.refusal->error.Describe()
                                        << " " << o.refusal->error.detail.dump();
    coverage_.succeeded[pr.id].insert(cmd.step.step);
    facts.state = o.after;
    facts.history.push_back({cmd.step.step, cmd.step.on, cmd.performer_id, cmd.officers});
    if (expect.contains("state")) {
      EXPECT_EQ(o.after.state, expect["state"].get<std::string>());
    }
    for (const std::string& f : Strings(expect, "facts"))
      EXPECT_TRUE(o.after.facts.contains(f)) << f;
    for (const std::string& f : Strings(expect, "flags"))
      EXPECT_TRUE(o.after.flags.contains(f)) << f;
    ExpectProduced(o, expect);
    if (expect.contains("clocks")) {
      ExpectClocks(pr, o.after, expect["clocks"],
                   expect.contains("today") ? D(expect["today"]) : cmd.step.on);
    }
  }

  static void ExpectProduced(const Outcome& o, const json& expect) {
    if (expect.contains("decision")) {
      ASSERT_TRUE(o.decision.has_value());
      const json& d = expect["decision"];
      if (d.contains("amount_fen")) {
        EXPECT_EQ(o.decision->amount_fen, d["amount_fen"].get<std::int64_t>());
      }
      if (d.contains("responsible_id")) {
        EXPECT_EQ(o.decision->responsible_id, d["responsible_id"].get<std::int64_t>());
      }
    }
    if (expect.contains("disclosure")) {
      const json& d = expect["disclosure"];
      if (d.is_boolean()) {
        EXPECT_EQ(o.disclosure.has_value(), d.get<bool>());
      } else {
        ASSERT_TRUE(o.disclosure.has_value());
        if (d.contains("title")) {
          EXPECT_EQ(o.disclosure->title, d["title"].get<std::string>());
        }
        if (d.contains("due_on")) {
          if (d["due_on"].is_null()) {
            EXPECT_FALSE(o.disclosure->due_on.has_value());
            EXPECT_FALSE(o.disclosure->flag_zh.empty());
          } else {
            ASSERT_TRUE(o.disclosure->due_on.has_value());
            EXPECT_EQ(o.disclosure->due_on->ToString(), d["due_on"].get<std::string>());
          }
        }
        if (d.contains("content")) {
          EXPECT_EQ(o.disclosure->content, d["content"].get<std::string>());
        }
      }
    }
    if (expect.contains("appeal")) {
      ASSERT_TRUE(o.appeal.has_value());
      const json& a = expect["appeal"];
      auto date = [](const AppealRoute& r) { return r.deadline ? r.deadline->ToString() : "none"; };
      if (a.contains("reconsideration")) {
        EXPECT_EQ(date(o.appeal->reconsideration), a["reconsideration"]);
      }
      if (a.contains("litigation")) {
        EXPECT_EQ(date(o.appeal->litigation), a["litigation"]);
      }
    }
  }

  void ExpectRefusal(const Procedure& pr, const CaseCommand& cmd, const Outcome& o,
                     const json& expect) {
    const Error& e = o.refusal->error;
    EXPECT_EQ(ErrorCodeName(e.code), expect["error"].get<std::string>()) << e.Describe();
    if (expect.contains("refusal")) {
      EXPECT_EQ(RefusalEventType(o.refusal->kind), expect["refusal"].get<std::string>());
    }
    if (expect.contains("accountability")) {
      const std::string got = o.refusal->accountability ? o.refusal->accountability->trigger : "";
      EXPECT_EQ(got, expect["accountability"].is_null()
                         ? ""
                         : expect["accountability"].get<std::string>());
    }
    if (e.code == ErrorCode::kConflict) {
      coverage_.conflicts.insert(pr.id);
      EXPECT_TRUE(e.detail.contains("allowed_steps"));
      return;
    }
    std::set<std::string> guards;
    if (o.refusal->kind == RefusalKind::kDenied) {
      for (const AuthorityFinding& f : o.authority.findings) {
        if (!f.ok) guards.insert("authority:" + f.code);
      }
    } else if (e.detail.is_object() && e.detail.contains("failures")) {
      for (const auto& f : e.detail["failures"]) {
        const std::string g = f["guard"].get<std::string>();
        guards.insert(g);
        coverage_.refused[pr.id + "/" + cmd.step.step].insert(
            f.contains("when") ? g + "|" + f["when"].get<std::string>() : g);
      }
    } else if (e.detail.is_object() && e.detail.contains("guard")) {
      guards.insert(e.detail["guard"].get<std::string>());
      coverage_.refused[pr.id + "/" + cmd.step.step].insert(e.detail["guard"].get<std::string>());
    }
    coverage_.rules.insert(guards.begin(), guards.end());
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
  std::vector<DiscretionBenchmark> benchmarks_;
  CaseRuleBook book_;
  AuthorityFacts town_;
  Coverage coverage_;
  int yellow_ = 3;
  json hearing_;
};

TEST(CaseScenarios, AllScenariosPassAndCoverEveryStepRefusalAndRule) {
  ScenarioRunner runner;
  const auto files = JsonFiles("/tests/scenarios/procedures");
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) runner.Run(f);

  const Coverage& cov = runner.coverage();
  ASSERT_EQ(runner.library().All().size(), 5u);
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
  for (const std::string& rule : kRules) {
    EXPECT_TRUE(cov.rules.contains(rule)) << "no scenario exercises the rule " << rule;
  }
}

TEST(CaseScenarios, DataFilesAreTheFiveProcedures) {
  ScenarioRunner runner;
  for (const char* id :
       {"licensing", "penalty_general", "penalty_summary", "inspection", "coercion"}) {
    EXPECT_NE(runner.library().Latest(id), nullptr) << id;
  }
  const Procedure* summary = runner.library().Latest("penalty_summary");
  ASSERT_NE(summary, nullptr);
  ASSERT_TRUE(summary->limits.has_value());
  EXPECT_EQ(summary->limits->natural_person_fen, 20000);   // 二百元, 第五十一条
  EXPECT_EQ(summary->limits->organisation_fen, 300000);    // 三千元
  EXPECT_EQ(summary->limits->collect_on_spot_fen, 10000);  // 一百元, 第六十八条
}

}  // namespace
}  // namespace quanze::domain::cases
