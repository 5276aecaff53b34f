// Working-day calendar (工作日历): dates, the official holiday schedule and
// statutory time limits counted in working days (工作日) or calendar days
// (自然日).
//
// Rules the functions follow:
//  - The start day is not counted (民法典 第二百零一条: 开始的当日不计入).
//  - A working day is a Monday–Friday that is not an off day of the State
//    Council schedule (法定节假日 and 调休 rest days), or a weekend day the
//    schedule declares a make-up workday (调休上班). Whether make-up workdays
//    count is a setting (CalendarOptions), on by default as most government
//    systems do.
//  - A period counted in calendar days whose last day is a rest day or a
//    statutory holiday ends on the next working day (民法典 第二百零三条).
//  - The schedule of each year is published by the State Council a few weeks
//    before the year starts. A computation that needs a year whose schedule
//    is not loaded returns ErrorCode::kValidation naming the year: it is
//    flagged, never guessed from weekdays alone.
//
// Pure: no files, no clock. The caller reads the schedule files and passes
// their text to LoadYear. Date and HolidayCalendar are values; a const
// HolidayCalendar may be shared between threads.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace quanze::domain {

enum class Weekday { kMonday = 1, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };

// Date (日期): a civil date of the proleptic Gregorian calendar, held as the
// number of days since 1970-01-01. Years 1..9999 only.
class Date {
 public:
  constexpr Date() = default;  // 1970-01-01

  // The date `days` days after 1970-01-01 (negative: before it).
  static constexpr Date FromDaysSinceEpoch(std::int32_t days) { return Date(days); }
  // Validates the month and the day of the month; kValidation otherwise.
  static Result<Date> FromYmd(int year, int month, int day);

  std::int32_t days_since_epoch() const { return days_; }
  int year() const;
  int month() const;  // 1..12
  int day() const;    // 1..31
  Weekday weekday() const;
  bool IsWeekend() const;

  Date AddDays(int n) const { return Date(days_ + n); }
  // "YYYY-MM-DD".
  std::string ToString() const;

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

// Parses exactly "YYYY-MM-DD" (four-digit year, two-digit month and day).
// kBadRequest on a malformed string, kValidation on an impossible date.
Result<Date> ParseDate(std::string_view text);

// What a day is under the loaded schedule.
enum class DayKind {
  kWorkday,        // Monday–Friday, no holiday
  kRestDay,        // Saturday or Sunday, not a make-up workday
  kHoliday,        // an off day of the schedule (法定节假日 or 调休 rest day)
  kMakeupWorkday,  // 调休上班: a weekend day worked in exchange
};

struct CalendarOptions {
  // Whether 调休上班 days count as working days (the usual convention; the
  // deadline vectors in data/holidays/ assume it).
  bool makeup_workdays_count = true;
};

// HolidayCalendar: the official schedule for the years loaded so far.
class HolidayCalendar {
 public:
  explicit HolidayCalendar(CalendarOptions options = {}) : options_(options) {}

  // Loads one year from the text of a schedule file (data/holidays/cn-YYYY.json):
  //   {"year": 2025, "source": [...],
  //    "off_days": [{"date": "2025-01-01", "name": "元旦"}, ...],
  //    "makeup_workdays": [{"date": "2025-01-26", "name": "春节"}, ...]}
  // Every date must fall in "year"; a make-up workday must be a Saturday or
  // Sunday; a date may not be both; "off_days" may not be empty (an empty list
  // means the schedule is not published). On success replaces any schedule
  // already loaded for that year; on failure (kBadRequest for malformed JSON,
  // kValidation otherwise) leaves the calendar unchanged.
  Status LoadYear(std::string_view json_text);

  bool HasYear(int year) const;
  std::vector<int> LoadedYears() const;

  // The kind of `date`; kValidation when its year is not loaded.
  Result<DayKind> Classify(Date date) const;
  // Name of the holiday or make-up workday ("春节"), empty for ordinary days
  // and for dates of years not loaded.
  std::string_view HolidayName(Date date) const;

  // True when `date` is a working day. For a year that is not loaded this
  // returns false: callers that must not guess use Classify or the functions
  // below, which refuse such years.
  bool IsWorkingDay(Date date) const;

  // The day on which a limit of n working days starting on `start` ends; the
  // start day itself is not counted. n == 0 yields start; n < 0 counts back.
  // kValidation when the count passes through a year that is not loaded.
  Result<Date> AddWorkingDays(Date start, int n) const;

  // The last day of a period of n calendar days (n >= 0) starting on `start`
  // (start not counted): start + n, moved forward to the next working day
  // when it is a rest day or holiday (民法典 第二百零三条).
  // kValidation for n < 0 or when a needed year is not loaded.
  Result<Date> AddCalendarDays(Date start, int n) const;

  // Number of working days in (a, b] — so WorkingDaysBetween(s,
  // AddWorkingDays(s, n)) == n — or the negated count of (b, a] when b < a.
  // kValidation when a needed year is not loaded.
  Result<int> WorkingDaysBetween(Date a, Date b) const;

 private:
  struct YearSchedule {
    // Indexed by day of the year (0-based): kind flags and holiday name index.
    std::array<std::uint8_t, 366> flags{};
    std::array<std::uint8_t, 366> name_index{};
    std::vector<std::string> names;
  };
  const YearSchedule* Find(int year) const;
  Result<bool> IsWorking(Date date) const;

  CalendarOptions options_;
  std::map<int, YearSchedule> years_;
};

// The error returned when a year has no loaded schedule (exposed for tests and
// for callers that check HasYear first and want the same message).
Error MissingYearError(int year);

}  // namespace quanze::domain
