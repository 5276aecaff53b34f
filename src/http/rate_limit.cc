#include "http/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace quanze::http {

RateLimiter::RateLimiter(BucketPolicy policy, std::size_t max_keys)
    : policy_(policy), max_keys_(std::max<std::size_t>(max_keys, 1)) {}

std::int64_t RateLimiter::Take(const std::string& key, double now) {
  if (policy_.capacity <= 0) return 0;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) MakeRoom(now);
    it = buckets_.emplace(key, Bucket{policy_.capacity, now}).first;
  }
  Bucket& b = it->second;
  if (now > b.updated) {
    b.tokens = std::min(policy_.capacity, b.tokens + (now - b.updated) * policy_.refill_per_second);
    b.updated = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  double wait = (1 - b.tokens) / policy_.refill_per_second;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait)));
}

void RateLimiter::MakeRoom(double now) {
  // Full buckets carry no information: drop them all.
  double full_after = policy_.capacity / policy_.refill_per_second;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = now - it->second.updated >= full_after ? buckets_.erase(it) : std::next(it);
  }
  if (buckets_.size() < max_keys_) return;
  auto oldest = std::min_element(
      buckets_.begin(), buckets_.end(),
      [](const auto& x, const auto& y) { return x.second.updated < y.second.updated; });
  buckets_.erase(oldest);
}

std::size_t RateLimiter::tracked() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

std::int64_t DailyCounter::Count(const std::string& key, std::int64_t day) const {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  return it == counts_.end() || it->second.day != day ? 0 : it->second.count;
}

void DailyCounter::Add(const std::string& key, std::int64_t day) {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  if (it == counts_.end()) {
    if (counts_.size() >= max_keys_) {
      for (auto e = counts_.begin(); e != counts_.end();) {
        e = e->second.day != day ? counts_.erase(e) : std::next(e);
      }
      if (counts_.size() >= max_keys_) {
        counts_.erase(std::min_element(
            counts_.begin(), counts_.end(),
            [](const auto& x, const auto& y) { return x.second.count < y.second.count; }));
      }
    }
    it = counts_.emplace(key, Entry{day, 0}).first;
  }
  if (it->second.day != day) it->second = Entry{day, 0};
  it->second.count += 1;
}

std::size_t DailyCounter::tracked() const {
  std::lock_guard lock(mu_);
  return counts_.size();
}

}  // namespace quanze::http
