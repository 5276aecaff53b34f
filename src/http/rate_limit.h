// Rate limits of the edge (issue 14 §2, docs/operations.md "Abuse limits"):
// token buckets keyed by client address (or any string), and a per-key daily
// counter. Both live in one process's memory, are thread-safe, and stay
// bounded: at most `max_keys` keys are tracked; idle keys are evicted first.
// Time is passed in (seconds, fractional allowed), never read from a clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app/config.h"

namespace quanze::http {

// A bucket holds up to `capacity` tokens and gains `refill_per_second`; each
// request takes one. capacity 0 means "no limit" (the setting "off").
using BucketPolicy = app::RateSetting;

class RateLimiter {
 public:
  explicit RateLimiter(BucketPolicy policy, std::size_t max_keys = 100000);

  // Takes a token from `key`'s bucket at time `now`. Returns 0 when allowed,
  // else the whole seconds (≥ 1) until a token is available (Retry-After).
  // When the table is full, buckets that have refilled completely are
  // forgotten (they are indistinguishable from new ones); if none has, the
  // longest-idle bucket is dropped.
  std::int64_t Take(const std::string& key, double now);

  std::size_t tracked() const;

 private:
  struct Bucket {
    double tokens = 0;
    double updated = 0;
  };
  void MakeRoom(double now);

  BucketPolicy policy_;
  std::size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// Counts events per key and day (a day number the caller computes, e.g. the
// China-time calendar day). Entries of earlier days are dropped first when
// the table is full; if all are of today, the smallest count is dropped.
class DailyCounter {
 public:
  explicit DailyCounter(std::size_t max_keys = 100000) : max_keys_(max_keys) {}

  // Today's count for `key`.
  std::int64_t Count(const std::string& key, std::int64_t day) const;
  // Adds one to today's count for `key`.
  void Add(const std::string& key, std::int64_t day);
  std::size_t tracked() const;

 private:
  struct Entry {
    std::int64_t day = 0;
    std::int64_t count = 0;
  };
  std::size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> counts_;
};

}  // namespace quanze::http
