#include "domain/calendar.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace quanze::domain {
namespace {

// The repository root: $QUANZE_SOURCE_DIR (set by ctest), else derived from
// this file's path so the binary also runs on its own.
std::string SourceDir() {
  if (const char* dir = std::getenv("QUANZE_SOURCE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
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

HolidayCalendar LoadOfficial(CalendarOptions options = {}) {
  HolidayCalendar cal(options);
  for (const char* year : {"2025", "2026"}) {
    const std::string text = ReadFile(SourceDir() + "/data/holidays/cn-" + year + ".json");
    EXPECT_FALSE(text.empty()) << "missing data/holidays/cn-" << year << ".json";
    Status st = cal.LoadYear(text);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().Describe());
  }
  return cal;
}

TEST(Date, ParsesPrintsAndKnowsItsWeekday) {
  Date d = D("2025-10-01");
  EXPECT_EQ(d.year(), 2025);
  EXPECT_EQ(d.month(), 10);
  EXPECT_EQ(d.day(), 1);
  EXPECT_EQ(d.weekday(), Weekday::kWednesday);
  EXPECT_EQ(d.ToString(), "2025-10-01");
  EXPECT_EQ(D("1970-01-01").days_since_epoch(), 0);
  EXPECT_EQ(D("1969-12-31").weekday(), Weekday::kWednesday);
  EXPECT_EQ(D("2026-02-14").weekday(), Weekday::kSaturday);
  EXPECT_EQ(D("2024-02-28").AddDays(1).ToString(), "2024-02-29");
  EXPECT_EQ(D("2025-02-28").AddDays(1).ToString(), "2025-03-01");
  EXPECT_EQ(D("2025-12-31").AddDays(1).ToString(), "2026-01-01");
  EXPECT_LT(D("2025-12-31"), D("2026-01-01"));
}

TEST(Date, RejectsMalformedAndImpossibleDates) {
  for (const char* bad :
       {"2025-1-01", "2025/01/01", "20250101", "2025-01-01T00:00", "", "abcd-ef-gh"}) {
    Result<Date> d = ParseDate(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().code, ErrorCode::kBadRequest) << bad;
  }
  for (const char* impossible : {"2025-02-29", "2025-13-01", "2025-04-31", "2025-00-10"}) {
    Result<Date> d = ParseDate(impossible);
    ASSERT_FALSE(d.ok()) << impossible;
    EXPECT_EQ(d.error().code, ErrorCode::kValidation) << impossible;
  }
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
}

TEST(HolidayCalendar, MeetsEveryDeadlineVector) {
  HolidayCalendar cal = LoadOfficial();
  std::istringstream tsv(ReadFile(SourceDir() + "/data/holidays/deadline-vectors.tsv"));
  std::string line;
  int checked = 0;
  while (std::getline(tsv, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string start, n, expected;
    std::getline(fields, start, '\t');
    std::getline(fields, n, '\t');
    std::getline(fields, expected, '\t');
    Result<Date> due = cal.AddWorkingDays(D(start), std::stoi(n));
    ASSERT_TRUE(due.ok()) << line;
    EXPECT_EQ(due->ToString(), expected) << line;
    Result<int> back = cal.WorkingDaysBetween(D(start), *due);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, std::stoi(n)) << line;
    ++checked;
  }
  EXPECT_EQ(checked, 7);
}

TEST(HolidayCalendar, BothYearsHave248WorkingDays) {
  HolidayCalendar cal = LoadOfficial();
  EXPECT_EQ(*cal.WorkingDaysBetween(D("2024-12-31"), D("2025-12-31")), 248);
  EXPECT_EQ(*cal.WorkingDaysBetween(D("2025-12-31"), D("2026-12-31")), 248);
}

TEST(HolidayCalendar, CountsMakeupWorkdays) {
  HolidayCalendar cal = LoadOfficial();
  EXPECT_EQ(*cal.Classify(D("2026-02-14")), DayKind::kMakeupWorkday);
  EXPECT_EQ(cal.HolidayName(D("2026-02-14")), "春节");
  EXPECT_TRUE(cal.IsWorkingDay(D("2026-02-14")));
  EXPECT_EQ(cal.AddWorkingDays(D("2026-02-13"), 1)->ToString(), "2026-02-14");
  EXPECT_EQ(cal.AddWorkingDays(D("2026-02-13"), 2)->ToString(), "2026-02-24");
  EXPECT_EQ(cal.AddWorkingDays(D("2025-09-26"), 1)->ToString(), "2025-09-28");  // Sunday worked
}

TEST(HolidayCalendar, MakeupWorkdaysCanBeSwitchedOff) {
  HolidayCalendar cal = LoadOfficial(CalendarOptions{.makeup_workdays_count = false});
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-02-14")));
  EXPECT_EQ(cal.AddWorkingDays(D("2026-02-13"), 1)->ToString(), "2026-02-24");
}

TEST(HolidayCalendar, ClassifiesOrdinaryDaysAndHolidays) {
  HolidayCalendar cal = LoadOfficial();
  EXPECT_EQ(*cal.Classify(D("2025-10-08")), DayKind::kHoliday);  // a Wednesday off
  EXPECT_EQ(cal.HolidayName(D("2025-10-08")), "国庆节、中秋节");
  EXPECT_EQ(*cal.Classify(D("2025-10-09")), DayKind::kWorkday);
  EXPECT_EQ(*cal.Classify(D("2025-10-12")), DayKind::kRestDay);
  EXPECT_EQ(cal.HolidayName(D("2025-10-09")), "");
}

TEST(HolidayCalendar, CountsBackwards) {
  HolidayCalendar cal = LoadOfficial();
  EXPECT_EQ(cal.AddWorkingDays(D("2025-10-09"), -1)->ToString(), "2025-09-30");
  EXPECT_EQ(cal.AddWorkingDays(D("2025-10-09"), 0)->ToString(), "2025-10-09");
  EXPECT_EQ(*cal.WorkingDaysBetween(D("2025-10-09"), D("2025-09-30")), -1);
}

TEST(HolidayCalendar, CalendarPeriodEndingOnHolidayRollsToNextWorkingDay) {
  HolidayCalendar cal = LoadOfficial();
  // 15 days from 2025-09-16 end on 10-01 (National Day): next working day 10-09.
  EXPECT_EQ(cal.AddCalendarDays(D("2025-09-16"), 15)->ToString(), "2025-10-09");
  // Ending on an ordinary Saturday moves to Monday.
  EXPECT_EQ(cal.AddCalendarDays(D("2025-03-07"), 1)->ToString(), "2025-03-10");
  // Ending on a make-up Sunday stays: it is a working day.
  EXPECT_EQ(cal.AddCalendarDays(D("2025-09-13"), 15)->ToString(), "2025-09-28");
  // Ending on a working day stays.
  EXPECT_EQ(cal.AddCalendarDays(D("2025-03-03"), 15)->ToString(), "2025-03-18");
  // Spring Festival 2026: 2026-02-15 .. 02-23 off.
  EXPECT_EQ(cal.AddCalendarDays(D("2026-02-01"), 15)->ToString(), "2026-02-24");
  // Year boundary: 2025-12-17 + 15 = 2026-01-01 (元旦, 01-01..01-03), 01-04 is a make-up Sunday.
  EXPECT_EQ(cal.AddCalendarDays(D("2025-12-17"), 15)->ToString(), "2026-01-04");
  EXPECT_FALSE(cal.AddCalendarDays(D("2025-12-17"), -1).ok());
}

TEST(HolidayCalendar, RefusesToGuessAYearWithoutSchedule) {
  HolidayCalendar cal = LoadOfficial();
  EXPECT_FALSE(cal.HasYear(2027));
  Result<Date> due = cal.AddWorkingDays(D("2026-12-20"), 20);
  ASSERT_FALSE(due.ok());
  EXPECT_EQ(due.error().code, ErrorCode::kValidation);
  EXPECT_NE(due.error().message_zh.find("2027"), std::string::npos);
  EXPECT_NE(due.error().message_en.find("2027"), std::string::npos);
  EXPECT_EQ(due.error().detail["year"], 2027);

  Result<Date> calendar_due = cal.AddCalendarDays(D("2026-12-20"), 15);
  ASSERT_FALSE(calendar_due.ok());
  EXPECT_EQ(calendar_due.error().code, ErrorCode::kValidation);

  EXPECT_FALSE(cal.WorkingDaysBetween(D("2024-12-01"), D("2025-01-10")).ok());
  EXPECT_FALSE(cal.Classify(D("2027-01-04")).ok());
  EXPECT_FALSE(cal.IsWorkingDay(D("2027-01-04")));  // documented: unknown is not working

  // A deadline that stays inside loaded years still works at the boundary.
  EXPECT_TRUE(cal.AddWorkingDays(D("2026-12-20"), 5).ok());
}

TEST(HolidayCalendar, RejectsBrokenScheduleFiles) {
  HolidayCalendar cal;
  EXPECT_EQ(cal.LoadYear("{not json").error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(cal.LoadYear(R"({"off_days": [], "makeup_workdays": []})").error().code,
            ErrorCode::kValidation);
  // An empty schedule (as holiday-cn publishes before the State Council does).
  EXPECT_FALSE(cal.LoadYear(R"({"year": 2027, "off_days": [], "makeup_workdays": []})").ok());
  // A date outside the year.
  EXPECT_FALSE(cal.LoadYear(R"({"year": 2027, "off_days": [{"date": "2026-01-01"}],
                               "makeup_workdays": []})")
                   .ok());
  // A make-up workday that is not a weekend day.
  EXPECT_FALSE(cal.LoadYear(R"({"year": 2027, "off_days": [{"date": "2027-01-01"}],
                               "makeup_workdays": [{"date": "2027-01-05"}]})")
                   .ok());
  // Both off and worked.
  EXPECT_FALSE(cal.LoadYear(R"({"year": 2027, "off_days": [{"date": "2027-01-02"}],
                               "makeup_workdays": [{"date": "2027-01-02"}]})")
                   .ok());
  EXPECT_FALSE(cal.HasYear(2027));
  EXPECT_TRUE(cal.LoadYear(R"({"year": 2027, "off_days": [{"date": "2027-01-01", "name": "元旦"}],
                              "makeup_workdays": []})")
                  .ok());
  EXPECT_TRUE(cal.HasYear(2027));
  EXPECT_EQ(cal.LoadedYears(), std::vector<int>{2027});
}

}  // namespace
}  // namespace quanze::domain
