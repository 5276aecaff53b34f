// Clock arithmetic (时限计算) and the code tables of the procedure types.
// Working-day clocks count through HolidayCalendar::AddWorkingDays; calendar
// clocks through AddCalendarDays (end moved off rest days, 民法典 第二百零三条).
// Suspended periods (中止, e.g. 行政许可法 第四十五条) push the deadline back by
// the days they cover, in the clock's unit.
#include <algorithm>
#include <array>
#include <utility>

#include "domain/procedure.h"

namespace quanze::domain {
namespace {

constexpr std::array<std::pair<DayUnit, std::string_view>, 2> kUnits{
    {{DayUnit::kWorking, "working"}, {DayUnit::kCalendar, "calendar"}}};
constexpr std::array<std::pair<ClockOpKind, std::string_view>, 6> kOps{
    {{ClockOpKind::kStart, "start"},
     {ClockOpKind::kStop, "stop"},
     {ClockOpKind::kSuspend, "suspend"},
     {ClockOpKind::kResume, "resume"},
     {ClockOpKind::kExtend, "extend"},
     {ClockOpKind::kRestart, "restart"}}};
constexpr std::array<std::string_view, 7> kStatuses{
    "not_started", "running", "yellow", "red", "suspended", "stopped_on_time", "stopped_late"};

template <typename E, size_t N>
std::optional<E> ParseCode(const std::array<std::pair<E, std::string_view>, N>& table,
                           std::string_view code) {
  for (const auto& [e, c] : table) {
    if (c == code) return e;
  }
  return std::nullopt;
}

// Days in (a, b] in the clock's unit (0 when b <= a).
Result<int> DaysBetween(DayUnit unit, Date a, Date b, const HolidayCalendar& cal) {
  if (b <= a) return 0;
  if (unit == DayUnit::kCalendar) return b.days_since_epoch() - a.days_since_epoch();
  return cal.WorkingDaysBetween(a, b);
}

Result<Date> AddDays(DayUnit unit, Date start, int n, const HolidayCalendar& cal) {
  return unit == DayUnit::kWorking ? cal.AddWorkingDays(start, n) : cal.AddCalendarDays(start, n);
}

// The day the clock's count runs to: its stop, else today (never before start).
Date AsOf(const ClockState& state, Date today) {
  Date d = state.stopped ? *state.stopped : today;
  return std::max(d, *state.started);
}

Result<int> ExcludedDays(DayUnit unit, const ClockState& state, Date as_of,
                         const HolidayCalendar& cal) {
  int total = 0;
  for (const Suspension& s : state.suspensions) {
    QZ_ASSIGN_OR_RETURN(int days, DaysBetween(unit, s.from, s.to.value_or(as_of), cal));
    total += days;
  }
  return total;
}

Result<ClockStatus> ComputeStatus(const ClockSpec& spec, const ClockState& state, Date today,
                                  Date deadline, int yellow_working_days,
                                  const HolidayCalendar& cal) {
  if (state.stopped) {
    return spec.waiting || *state.stopped <= deadline ? ClockStatus::kStoppedOnTime
                                                      : ClockStatus::kStoppedLate;
  }
  if (!state.suspensions.empty() && !state.suspensions.back().to) return ClockStatus::kSuspended;
  if (spec.waiting) return ClockStatus::kRunning;
  if (today > deadline) return ClockStatus::kRed;
  QZ_ASSIGN_OR_RETURN(int left_working, cal.WorkingDaysBetween(today, deadline));
  return left_working <= yellow_working_days ? ClockStatus::kYellow : ClockStatus::kRunning;
}

}  // namespace

std::string_view DayUnitCode(DayUnit unit) { return kUnits[static_cast<size_t>(unit)].second; }
std::optional<DayUnit> ParseDayUnit(std::string_view code) { return ParseCode(kUnits, code); }
std::string_view ClockOpKindCode(ClockOpKind kind) {
  return kOps[static_cast<size_t>(kind)].second;
}
std::optional<ClockOpKind> ParseClockOpKind(std::string_view code) { return ParseCode(kOps, code); }
std::string_view ClockStatusCode(ClockStatus s) { return kStatuses[static_cast<size_t>(s)]; }

Result<ClockView> EvaluateClock(const ClockSpec& spec, const ClockState& state, Date today,
                                int yellow_working_days, const HolidayCalendar& calendar) {
  ClockView v;
  v.id = spec.id;
  v.limit_days = state.limit_days.value_or(spec.limit_days);
  v.extension_days = state.extension_days;
  if (!state.started) return v;
  const Date start = *state.started;
  const Date as_of = AsOf(state, today);
  QZ_ASSIGN_OR_RETURN(v.excluded_days, ExcludedDays(spec.unit, state, as_of, calendar));
  QZ_ASSIGN_OR_RETURN(
      Date deadline,
      spec.exact_end
          ? Result<Date>(start.AddDays(v.limit_days + v.extension_days + v.excluded_days))
          : AddDays(spec.unit, start, v.limit_days + v.extension_days + v.excluded_days, calendar));
  v.deadline = deadline;
  QZ_ASSIGN_OR_RETURN(int elapsed, DaysBetween(spec.unit, start, as_of, calendar));
  v.used_days = elapsed - v.excluded_days;
  if (as_of <= deadline) {
    QZ_ASSIGN_OR_RETURN(v.left_days, DaysBetween(spec.unit, as_of, deadline, calendar));
  } else {
    QZ_ASSIGN_OR_RETURN(int over, DaysBetween(spec.unit, deadline, as_of, calendar));
    v.left_days = -over;
  }
  QZ_ASSIGN_OR_RETURN(v.status,
                      ComputeStatus(spec, state, today, deadline, yellow_working_days, calendar));
  return v;
}

}  // namespace quanze::domain
