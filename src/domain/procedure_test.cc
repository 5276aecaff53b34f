#include "domain/procedure.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace quanze::domain {
namespace {

using nlohmann::json;

std::string SourceDir() {
  if (const char* dir = std::getenv("QUANZE_SOURCE_DIR"); dir != nullptr && *dir != '\0')
    return dir;
  std::string here = __FILE__;
  return here.substr(0, here.rfind("/src/domain/"));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Date D(std::string_view text) {
  Result<Date> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : Date();
}

HolidayCalendar Official() {
  HolidayCalendar cal;
  for (const char* year : {"2025", "2026"}) {
    EXPECT_TRUE(cal.LoadYear(ReadFile(SourceDir() + "/data/holidays/cn-" + year + ".json")).ok());
  }
  return cal;
}

// A small valid procedure to mutate in the parse tests.
json Tiny() {
  return json::parse(R"({
    "id": "tiny", "version": 1, "name_zh": "测试", "basis": "测试依据", "initial_state": "a",
    "opening_clock_starts": ["c"],
    "states": [{"code": "a", "label_zh": "甲"}, {"code": "b", "label_zh": "乙", "terminal": true}],
    "clocks": [{"id": "c", "label_zh": "时钟", "limit_days": 5, "unit": "working", "basis": "x"}],
    "steps": [{"code": "go", "label_zh": "前进", "from": ["a"], "to": "b", "basis": "x",
               "clock_ops": [{"clock": "c", "op": "stop"}]}]
  })");
}

std::set<std::string> ErrorPaths(const Result<Procedure>& r) {
  std::set<std::string> out;
  for (const auto& e : r.error().detail["errors"]) out.insert(e["path"].get<std::string>());
  return out;
}

StepCommand Cmd(std::string step, Date on) {
  StepCommand c;
  c.step = std::move(step);
  c.on = on;
  return c;
}

Procedure Load(const std::string& id) {
  Result<Procedure> p = ParseProcedure(ReadFile(SourceDir() + "/data/procedures/" + id + ".json"));
  EXPECT_TRUE(p.ok()) << id << (p.ok() ? "" : p.error().detail.dump());
  return p.ok() ? std::move(p).value() : Procedure{};
}

TEST(ProcedureParse, ReadsTheLicensingFile) {
  Procedure p = Load("licensing");
  EXPECT_EQ(p.id, "licensing");
  EXPECT_EQ(p.version, 1);
  const ClockSpec* decision = p.FindClock("decision");
  ASSERT_NE(decision, nullptr);
  EXPECT_EQ(decision->limit_days, 20);  // 第四十二条
  EXPECT_EQ(decision->unit, DayUnit::kWorking);
  EXPECT_EQ(decision->max_extension_days, 10);
  const ProcedureStep* extend = p.FindStep("extend");
  ASSERT_NE(extend, nullptr);
  EXPECT_TRUE(extend->guard.leader);
  EXPECT_TRUE(extend->guard.reason);
  EXPECT_FALSE(p.limits.has_value());
  EXPECT_TRUE(p.StepsFrom("closed").empty());
}

TEST(ProcedureParse, PenaltyDaysFollowArticle85) {
  Procedure p = Load("penalty_general");
  EXPECT_EQ(p.FindClock("decision")->unit, DayUnit::kCalendar);  // 九十日
  EXPECT_EQ(p.FindClock("payment")->unit, DayUnit::kCalendar);   // 十五日
  EXPECT_EQ(p.FindClock("service")->unit, DayUnit::kWorking);    // 七日
  EXPECT_EQ(p.FindClock("hearing_notice")->unit, DayUnit::kWorking);
  EXPECT_TRUE(p.FindStep("investigate")->enforcement);
  EXPECT_EQ(p.FindStep("investigate")->guard.min_officers, 2);
  EXPECT_TRUE(p.FindStep("legal_review")->guard.legal_reviewer);
}

TEST(ProcedureParse, MalformedJsonIsABadRequest) {
  Result<Procedure> r = ParseProcedure("{\"id\": ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
}

// Regression (fuzzing): a number beyond double escaped as an exception.
TEST(ProcedureParse, NumberBeyondDoubleIsABadRequest) {
  Result<Procedure> r = ParseProcedure("{\"version\": 1e400}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
}

TEST(ProcedureParse, ListsEveryDanglingReferenceWithItsPath) {
  json j = Tiny();
  j["steps"][0]["from"] = {"nowhere"};
  j["steps"][0]["to"] = "limbo";
  j["steps"][0]["clock_ops"][0]["clock"] = "ghost";
  j["opening_clock_starts"] = {"ghost"};
  Result<Procedure> r = ParseProcedure(j.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  std::set<std::string> paths = ErrorPaths(r);
  EXPECT_TRUE(paths.contains("steps[0].from[0]"));
  EXPECT_TRUE(paths.contains("steps[0].to"));
  EXPECT_TRUE(paths.contains("steps[0].clock_ops[0].clock"));
  EXPECT_TRUE(paths.contains("opening_clock_starts[0]"));
  for (const auto& e : r.error().detail["errors"]) {
    EXPECT_FALSE(e["message_zh"].get<std::string>().empty());
    EXPECT_FALSE(e["message_en"].get<std::string>().empty());
  }
}

TEST(ProcedureParse, TerminalStatesHaveNoOutgoingSteps) {
  json j = Tiny();
  j["steps"].push_back(
      {{"code", "back"}, {"label_zh", "回"}, {"from", {"b"}}, {"to", "a"}, {"basis", "x"}});
  Result<Procedure> r = ParseProcedure(j.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(ErrorPaths(r).contains("steps[1].from[0]"));
}

TEST(ProcedureParse, RefusesUnknownFieldsDuplicatesAndUnreachableStates) {
  json j = Tiny();
  j["steps"][0]["guard"] = {{"document", {"x"}}};  // typo of "documents"
  Result<Procedure> typo = ParseProcedure(j.dump());
  ASSERT_FALSE(typo.ok());
  EXPECT_TRUE(ErrorPaths(typo).contains("steps[0].guard.document"));

  j = Tiny();
  j["states"].push_back({{"code", "a"}, {"label_zh", "重复"}});
  j["states"].push_back({{"code", "island"}, {"label_zh", "孤岛"}, {"terminal", true}});
  Result<Procedure> r = ParseProcedure(j.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(ErrorPaths(r).contains("states[2].code"));
  EXPECT_TRUE(ErrorPaths(r).contains("states[3]"));
}

TEST(ProcedureParse, RefusesAnExtendOpOnAClockWithoutExtension) {
  json j = Tiny();
  j["steps"][0]["clock_ops"][0]["op"] = "extend";
  Result<Procedure> r = ParseProcedure(j.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(ErrorPaths(r).contains("steps[0].clock_ops[0]"));
}

TEST(ProcedureLibrary, KeepsEveryVersionAndRefusesDuplicates) {
  ProcedureLibrary lib;
  Procedure v1 = Load("licensing");
  Procedure v2 = v1;
  v2.version = 2;
  ASSERT_TRUE(lib.Add(v1).ok());
  ASSERT_TRUE(lib.Add(v2).ok());
  Status dup = lib.Add(v1);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  ASSERT_NE(lib.Find("licensing", 1), nullptr);
  EXPECT_EQ(lib.Find("licensing", 1)->version, 1);
  EXPECT_EQ(lib.Latest("licensing")->version, 2);
  EXPECT_EQ(lib.Find("licensing", 3), nullptr);
  EXPECT_EQ(lib.Latest("nothing"), nullptr);
  EXPECT_EQ(lib.All().size(), 2u);
}

TEST(ProcedureStep, OpenCaseStartsTheOpeningClocks) {
  Procedure p = Load("licensing");
  CaseState c = OpenCase(p, D("2025-03-03"));
  EXPECT_EQ(c.state, "applied");
  ASSERT_TRUE(c.clocks.contains("acceptance_notice"));
  EXPECT_EQ(c.clocks["acceptance_notice"].started, D("2025-03-03"));
  EXPECT_FALSE(c.clocks.contains("decision"));
}

TEST(ProcedureStep, ConflictNamesTheAllowedSteps) {
  Procedure p = Load("licensing");
  CaseState c = OpenCase(p, D("2025-03-03"));
  Result<CaseState> r = ApplyStep(p, c, Cmd("grant", D("2025-03-04")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().detail["state"], "applied");
  EXPECT_EQ(r.error().detail["step"], "grant");
  std::set<std::string> allowed;
  for (const auto& s : r.error().detail["allowed_steps"]) allowed.insert(s.get<std::string>());
  EXPECT_EQ(allowed, (std::set<std::string>{"accept", "deemed_accept", "request_correction",
                                            "reject", "withdraw"}));
  Result<CaseState> unknown = ApplyStep(p, c, Cmd("bribe", D("2025-03-04")));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kConflict);
}

TEST(ProcedureStep, RuleViolationListsEveryFailureAndLeavesNothingHalfDone) {
  Procedure p = Load("licensing");
  CaseState c = OpenCase(p, D("2025-03-03"));
  HolidayCalendar cal = Official();  // request_correction is allowed only within 5 working days
  Result<CaseState> r = ApplyStep(p, c, Cmd("request_correction", D("2025-03-04")), &cal);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRuleViolation);
  const json& failures = r.error().detail["failures"];
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0]["guard"], "documents");
  EXPECT_EQ(failures[0]["item"], "correction_notice");
  EXPECT_EQ(failures[1]["guard"], "reason");
  EXPECT_NE(r.error().message_zh.find("缺少文书"), std::string::npos);
}

TEST(ProcedureStep, WaitingPeriodNeedsTheCalendar) {
  Procedure p = Load("licensing");
  CaseState c = OpenCase(p, D("2025-03-03"));
  Result<CaseState> r = ApplyStep(p, c, Cmd("deemed_accept", D("2025-03-20")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  HolidayCalendar cal = Official();
  Result<CaseState> ok = ApplyStep(p, c, Cmd("deemed_accept", D("2025-03-20")), &cal);
  ASSERT_TRUE(ok.ok()) << ok.error().Describe();
  EXPECT_EQ(ok->clocks.at("decision").started, D("2025-03-03"));  // 自收到申请材料之日起即为受理
}

TEST(ProcedureStep, WaitingPeriodInAnUnpublishedYearIsFlagged) {
  Procedure p = Load("licensing");
  CaseState c = OpenCase(p, D("2026-12-28"));
  HolidayCalendar cal = Official();
  Result<CaseState> r = ApplyStep(p, c, Cmd("deemed_accept", D("2027-01-08")), &cal);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
}

ClockSpec WorkingClock(int limit) {
  ClockSpec s;
  s.id = "decision";
  s.limit_days = limit;
  s.unit = DayUnit::kWorking;
  return s;
}

TEST(ProcedureClock, SuspensionAcrossSpringFestivalMovesTheDeadlineByItsWorkingDays) {
  HolidayCalendar cal = Official();
  ClockState st;
  st.started = D("2026-02-10");  // + 20 WD = 2026-03-16 (deadline vector)
  Result<ClockView> plain = EvaluateClock(WorkingClock(20), st, D("2026-02-11"), 3, cal);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->deadline, D("2026-03-16"));
  // Suspended 02-12 .. 02-26: excluded (02-12, 02-26] = 02-13, 02-14 (make-up
  // Saturday), 02-24, 02-25, 02-26 = 5 working days; 02-15..02-23 are off.
  st.suspensions.push_back({D("2026-02-12"), D("2026-02-26"), "专家评审"});
  Result<ClockView> v = EvaluateClock(WorkingClock(20), st, D("2026-03-02"), 3, cal);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->excluded_days, 5);
  EXPECT_EQ(v->deadline, D("2026-03-23"));  // 03-16 + 5 WD
  EXPECT_EQ(v->status, ClockStatus::kRunning);
  // used: WD in (02-10, 03-02] = 02-11,12,13,14,24,25,26,27,28 (make-up
  // Saturday), 03-02 = 10, minus the 5 excluded.
  EXPECT_EQ(v->used_days, 5);
  EXPECT_EQ(v->left_days, 15);
}

TEST(ProcedureClock, OpenSuspensionRunsToTodayAndShowsSuspended) {
  HolidayCalendar cal = Official();
  ClockState st;
  st.started = D("2025-09-24");
  st.suspensions.push_back({D("2025-09-26"), std::nullopt, "鉴定"});
  // (09-26, 10-09] working days: 09-28 (Sun make-up), 09-29, 09-30, 10-09 = 4.
  Result<ClockView> v = EvaluateClock(WorkingClock(20), st, D("2025-10-09"), 3, cal);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->status, ClockStatus::kSuspended);
  EXPECT_EQ(v->excluded_days, 4);
  EXPECT_EQ(v->deadline, D("2025-11-03"));
}

TEST(ProcedureClock, CalendarClockEndingOnAHolidayMovesToTheNextWorkingDay) {
  HolidayCalendar cal = Official();
  ClockSpec spec;
  spec.id = "decision";
  spec.limit_days = 90;
  spec.unit = DayUnit::kCalendar;
  ClockState st;
  st.started = D("2026-01-06");  // + 90 = 2026-04-06, 清明 holiday -> 04-07
  Result<ClockView> v = EvaluateClock(spec, st, D("2026-04-08"), 3, cal);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->deadline, D("2026-04-07"));
  EXPECT_EQ(v->status, ClockStatus::kRed);
  EXPECT_EQ(v->left_days, -1);
  st.stopped = D("2026-04-07");
  Result<ClockView> stopped = EvaluateClock(spec, st, D("2026-05-01"), 3, cal);
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->status, ClockStatus::kStoppedOnTime);
}

TEST(ProcedureClock, YellowWhenFewWorkingDaysLeft) {
  HolidayCalendar cal = Official();
  ClockState st;
  st.started = D("2025-09-30");  // + 5 WD = 2025-10-14
  Result<ClockView> early = EvaluateClock(WorkingClock(5), st, D("2025-10-01"), 2, cal);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->status, ClockStatus::kRunning);  // 10-09, 10, 11, 13, 14 left
  Result<ClockView> late = EvaluateClock(WorkingClock(5), st, D("2025-10-11"), 2, cal);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->status, ClockStatus::kYellow);  // 10-13, 10-14 left
  EXPECT_EQ(late->left_days, 2);
}

TEST(ProcedureClock, NotStartedHasNoDeadline) {
  HolidayCalendar cal = Official();
  Result<ClockView> v = EvaluateClock(WorkingClock(20), ClockState{}, D("2025-05-05"), 3, cal);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->status, ClockStatus::kNotStarted);
  EXPECT_FALSE(v->deadline.has_value());
  EXPECT_EQ(v->limit_days, 20);
}

TEST(ProcedureClock, DeadlineInAnUnpublishedYearIsFlaggedNotGuessed) {
  HolidayCalendar cal = Official();
  ClockState st;
  st.started = D("2026-12-15");  // 20 WD runs into 2027, not published
  Result<ClockView> v = EvaluateClock(WorkingClock(20), st, D("2026-12-16"), 3, cal);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kValidation);
  EXPECT_NE(v.error().Describe().find("2027"), std::string::npos);
}

TEST(ProcedureClock, WaitingClocksAreNeverLate) {
  HolidayCalendar cal = Official();
  ClockSpec spec = WorkingClock(7);
  spec.waiting = true;
  ClockState st;
  st.started = D("2025-10-14");
  Result<ClockView> v = EvaluateClock(spec, st, D("2025-12-01"), 3, cal);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->status, ClockStatus::kRunning);
}

TEST(ProcedureClock, CodesRoundTrip) {
  EXPECT_EQ(DayUnitCode(DayUnit::kCalendar), "calendar");
  EXPECT_EQ(ParseDayUnit("working"), DayUnit::kWorking);
  EXPECT_FALSE(ParseDayUnit("weekly").has_value());
  EXPECT_EQ(ClockOpKindCode(ClockOpKind::kResume), "resume");
  EXPECT_EQ(ParseClockOpKind("extend"), ClockOpKind::kExtend);
  EXPECT_EQ(ClockStatusCode(ClockStatus::kStoppedLate), "stopped_late");
  EXPECT_EQ(ClockStatusCode(ClockStatus::kNotStarted), "not_started");
}

}  // namespace
}  // namespace quanze::domain
