// Clock: the only source of "now". Domain code never reads a clock; app/
// receives one by injection, so tests (and the integration suite, through
// QUANZE_CLOCK_FILE) control time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace quanze {

using Instant = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant Now() const override { return std::chrono::system_clock::now(); }
};

// A clock set by hand (unit tests). Thread-safe reads; Set/Advance from one thread.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(start) {}
  Instant Now() const override { return now_; }
  void Set(Instant t) { now_ = t; }
  void Advance(std::chrono::seconds s) { now_ += s; }

 private:
  Instant now_;
};

// Reads the instant from a file (an RFC 3339 line) on every call; used by the
// integration tests to move the server's time without sleeping. Falls back to
// the system clock when the file is missing or malformed.
class FileClock final : public Clock {
 public:
  explicit FileClock(std::string path) : path_(std::move(path)) {}
  Instant Now() const override;

 private:
  std::string path_;
};

// Makes the process clock: FileClock if QUANZE_CLOCK_FILE is set, else SystemClock.
std::unique_ptr<Clock> MakeProcessClock();

std::int64_t UnixSeconds(Instant t);
Instant FromUnixSeconds(std::int64_t s);

// RFC 3339 with a fixed offset, e.g. "2026-11-28T09:43:10+08:00".
// Asia/Shanghai has no daylight saving time, so a fixed +480 minutes is exact.
std::string FormatRfc3339(Instant t, int offset_minutes = 480);
// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)".
Result<Instant> ParseRfc3339(std::string_view text);
// "YYYY-MM-DD" of the instant in the given offset.
std::string FormatDate(Instant t, int offset_minutes = 480);

}  // namespace quanze
