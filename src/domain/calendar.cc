#include "domain/calendar.h"

#include <cstdlib>
#include <utility>

namespace quanze::domain {
namespace {

// Howard Hinnant's civil-date algorithms (public domain): exact for the whole
// proleptic Gregorian calendar.
constexpr std::int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Ymd {
  int y, m, d;
};

constexpr Ymd CivilFromDays(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return Ymd{yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int DaysInMonth(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(CivilFromDays(DaysFromCivil(2024, 2, 29)).d == 29);

// Flags of YearSchedule::flags.
constexpr std::uint8_t kOff = 1;
constexpr std::uint8_t kMakeup = 2;

std::string Pad(int v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

Error BadSchedule(std::string zh, std::string en) {
  return MakeError(ErrorCode::kValidation, "节假日安排文件无效：" + std::move(zh),
                   "Invalid holiday schedule: " + std::move(en));
}

}  // namespace

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    const std::string text =
        std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day);
    return MakeError(ErrorCode::kValidation, "日期不存在：" + text, "No such date: " + text);
  }
  return Date(DaysFromCivil(year, month, day));
}

int Date::year() const { return CivilFromDays(days_).y; }
int Date::month() const { return CivilFromDays(days_).m; }
int Date::day() const { return CivilFromDays(days_).d; }

Weekday Date::weekday() const {
  // 1970-01-01 was a Thursday (ISO weekday 4).
  int w = (days_ + 3) % 7;  // 0 = Monday
  if (w < 0) w += 7;
  return static_cast<Weekday>(w + 1);
}

bool Date::IsWeekend() const {
  const Weekday w = weekday();
  return w == Weekday::kSaturday || w == Weekday::kSunday;
}

std::string Date::ToString() const {
  const Ymd c = CivilFromDays(days_);
  return Pad(c.y, 4) + "-" + Pad(c.m, 2) + "-" + Pad(c.d, 2);
}

Result<Date> ParseDate(std::string_view text) {
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, y) ||
      !digits(5, 2, m) || !digits(8, 2, d)) {
    return MakeError(ErrorCode::kBadRequest, "日期格式应为 YYYY-MM-DD：" + std::string(text),
                     "A date must be written YYYY-MM-DD: " + std::string(text));
  }
  return Date::FromYmd(y, m, d);
}

Error MissingYearError(int year) {
  const std::string y = std::to_string(year);
  return MakeError(
      ErrorCode::kValidation,
      y + "年的节假日安排尚未载入（可能国务院尚未公布），无法按工作日计算，请人工核定期限",
      "No holiday schedule is loaded for " + y +
          " (it may not be published yet); the time limit cannot be computed and "
          "must be checked by hand",
      nlohmann::json{{"year", year}});
}

Status HolidayCalendar::LoadYear(std::string_view json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return MakeError(ErrorCode::kBadRequest, "节假日安排文件不是有效的 JSON",
                     "The holiday schedule is not valid JSON");
  }
  if (!doc.is_object() || !doc.contains("year") || !doc["year"].is_number_integer()) {
    return BadSchedule("缺少整数字段 year", "the integer field \"year\" is missing");
  }
  const std::int64_t year64 = doc["year"].get<std::int64_t>();
  if (year64 < 1900 || year64 > 9999) {
    return BadSchedule("年份超出范围", "the year is out of range");
  }
  const int year = static_cast<int>(year64);
  const std::int32_t jan1 = DaysFromCivil(year, 1, 1);

  YearSchedule schedule;
  schedule.names.emplace_back();  // index 0: no name
  auto load_list = [&](const char* key, std::uint8_t flag) -> Status {
    if (!doc.contains(key) || !doc[key].is_array()) {
      return BadSchedule(std::string("缺少数组字段 ") + key,
                         std::string("the array field \"") + key + "\" is missing");
    }
    for (const nlohmann::json& item : doc[key]) {
      if (!item.is_object() || !item.contains("date") || !item["date"].is_string()) {
        return BadSchedule(std::string(key) + " 的每一项都需要 date 字段",
                           std::string("every item of \"") + key + "\" needs a \"date\"");
      }
      QZ_ASSIGN_OR_RETURN(const Date date, ParseDate(item["date"].get<std::string>()));
      if (date.year() != year) {
        return BadSchedule(date.ToString() + " 不属于 " + std::to_string(year) + " 年",
                           date.ToString() + " is not in " + std::to_string(year));
      }
      const int doy = date.days_since_epoch() - jan1;
      if (schedule.flags[doy] != 0) {
        return BadSchedule(date.ToString() + " 重复出现或既放假又上班",
                           date.ToString() + " is listed twice or both off and worked");
      }
      if (flag == kMakeup && !date.IsWeekend()) {
        return BadSchedule(date.ToString() + " 不是周末，不能作为调休上班日",
                           date.ToString() +
                               " is not a weekend day, so it cannot be a "
                               "make-up workday");
      }
      schedule.flags[doy] = flag;
      std::string name;
      if (item.contains("name") && item["name"].is_string()) name = item["name"].get<std::string>();
      std::size_t idx = 0;
      while (idx < schedule.names.size() && schedule.names[idx] != name) ++idx;
      if (idx == schedule.names.size()) {
        if (idx > 255) return BadSchedule("节日名称过多", "too many holiday names");
        schedule.names.push_back(name);
      }
      schedule.name_index[doy] = static_cast<std::uint8_t>(idx);
    }
    return Ok();
  };
  QZ_TRY(load_list("off_days", kOff));
  QZ_TRY(load_list("makeup_workdays", kMakeup));
  if (doc["off_days"].empty()) {
    return BadSchedule(
        std::to_string(year) + " 年没有任何放假日，视为尚未公布",
        "no off days for " + std::to_string(year) + "; treated as not yet published");
  }
  years_[year] = std::move(schedule);
  return Ok();
}

bool HolidayCalendar::HasYear(int year) const { return years_.count(year) != 0; }

std::vector<int> HolidayCalendar::LoadedYears() const {
  std::vector<int> out;
  out.reserve(years_.size());
  for (const auto& [year, schedule] : years_) out.push_back(year);
  return out;
}

const HolidayCalendar::YearSchedule* HolidayCalendar::Find(int year) const {
  auto it = years_.find(year);
  return it == years_.end() ? nullptr : &it->second;
}

Result<DayKind> HolidayCalendar::Classify(Date date) const {
  const int year = date.year();
  const YearSchedule* s = Find(year);
  if (s == nullptr) return MissingYearError(year);
  const int doy = date.days_since_epoch() - DaysFromCivil(year, 1, 1);
  if (s->flags[doy] == kOff) return DayKind::kHoliday;
  if (s->flags[doy] == kMakeup) return DayKind::kMakeupWorkday;
  return date.IsWeekend() ? DayKind::kRestDay : DayKind::kWorkday;
}

std::string_view HolidayCalendar::HolidayName(Date date) const {
  const int year = date.year();
  const YearSchedule* s = Find(year);
  if (s == nullptr) return {};
  const int doy = date.days_since_epoch() - DaysFromCivil(year, 1, 1);
  return s->names[s->name_index[doy]];
}

Result<bool> HolidayCalendar::IsWorking(Date date) const {
  QZ_ASSIGN_OR_RETURN(const DayKind kind, Classify(date));
  return kind == DayKind::kWorkday ||
         (kind == DayKind::kMakeupWorkday && options_.makeup_workdays_count);
}

bool HolidayCalendar::IsWorkingDay(Date date) const {
  Result<bool> r = IsWorking(date);
  return r.ok() && *r;
}

Result<Date> HolidayCalendar::AddWorkingDays(Date start, int n) const {
  const int step = n < 0 ? -1 : 1;
  int remaining = std::abs(n);
  Date day = start;
  while (remaining > 0) {
    day = day.AddDays(step);
    QZ_ASSIGN_OR_RETURN(const bool working, IsWorking(day));
    if (working) --remaining;
  }
  return day;
}

Result<Date> HolidayCalendar::AddCalendarDays(Date start, int n) const {
  if (n < 0) {
    return MakeError(ErrorCode::kValidation, "期间天数不能为负数",
                     "A period cannot have a negative number of days");
  }
  Date day = start.AddDays(n);
  while (true) {
    QZ_ASSIGN_OR_RETURN(const bool working, IsWorking(day));
    if (working) return day;
    day = day.AddDays(1);
  }
}

Result<int> HolidayCalendar::WorkingDaysBetween(Date a, Date b) const {
  const bool reversed = b < a;
  if (reversed) std::swap(a, b);
  int count = 0;
  for (Date day = a.AddDays(1); day <= b; day = day.AddDays(1)) {
    QZ_ASSIGN_OR_RETURN(const bool working, IsWorking(day));
    if (working) ++count;
  }
  return reversed ? -count : count;
}

}  // namespace quanze::domain
