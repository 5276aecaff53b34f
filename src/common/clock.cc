#include "common/clock.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace quanze {
namespace {

// Days from civil date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += (m <= 2);
}

Error BadInstant(std::string_view text) {
  return MakeError(ErrorCode::kBadRequest,
                   "时间格式无效（应为 RFC 3339，如 2026-01-05T09:00:00+08:00）：" + std::string(text),
                   "invalid instant (expected RFC 3339, e.g. 2026-01-05T09:00:00+08:00): " +
                       std::string(text));
}

}  // namespace

Instant FileClock::Now() const {
  std::ifstream in(path_);
  std::string line;
  if (in && std::getline(in, line)) {
    auto t = ParseRfc3339(line);
    if (t.ok()) return *t;
  }
  return std::chrono::system_clock::now();
}

std::unique_ptr<Clock> MakeProcessClock() {
  if (const char* f = std::getenv("QUANZE_CLOCK_FILE"); f && *f) {
    return std::make_unique<FileClock>(f);
  }
  return std::make_unique<SystemClock>();
}

std::int64_t UnixSeconds(Instant t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Instant FromUnixSeconds(std::int64_t s) {
  return Instant(std::chrono::seconds(s));
}

std::string FormatRfc3339(Instant t, int offset_minutes) {
  std::int64_t secs = UnixSeconds(t) + offset_minutes * 60;
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  std::int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[64];
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  if (offset_minutes == 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld%c%02d:%02d",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                  offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  }
  return buf;
}

std::string FormatDate(Instant t, int offset_minutes) {
  return FormatRfc3339(t, offset_minutes).substr(0, 10);
}

Result<Instant> ParseRfc3339(std::string_view s) {
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se;
  if (s.size() < 20 || !digits(0, 4, y) || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, h) ||
      s[13] != ':' || !digits(14, 2, mi) || s[16] != ':' || !digits(17, 2, se)) {
    return BadInstant(s);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return BadInstant(s);
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  int offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(pos + 4, 2, om)) {
      return BadInstant(s);
    }
    offset = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return BadInstant(s);
  }
  while (pos < s.size() && (s[pos] == '\n' || s[pos] == '\r' || s[pos] == ' ')) ++pos;
  if (pos != s.size()) return BadInstant(s);
  std::int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset * 60;
  return FromUnixSeconds(secs);
}

}  // namespace quanze
