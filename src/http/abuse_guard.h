// AbuseGuard: the edge's limits per client address (issue 14 §2; the table
// and settings are in docs/operations.md "Abuse limits"). Which route gets
// which limit is decided here, from the route table, so a new public write
// is limited without being listed:
//   POST /api/v1/session                 server.rate_sign_in (token bucket)
//   any other non-GET route of kPublic    server.rate_public_writes
//   POST /api/v1/public/applications      also server.public_applications_per_day
// A refused request answers 429 problem+json with Retry-After and is not
// journaled (the point is that floods cost nothing). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/config.h"
#include "http/rate_limit.h"
#include "http/router.h"

namespace quanze::http {

class AbuseGuard {
 public:
  explicit AbuseGuard(const app::Config& config);

  // nullopt when `client` may send this request at `now` (Unix seconds);
  // otherwise the 429 to answer. Takes a token when allowed.
  std::optional<Reply> Admit(const Route& route, const std::string& client, double now);
  // Counts a public application that was accepted (status 2xx), for the daily cap.
  void Answered(const Route& route, const std::string& client, int status, double now);

 private:
  static std::int64_t Day(double now);  // calendar day in China time (UTC+8)

  RateLimiter sign_in_;
  RateLimiter public_writes_;
  DailyCounter applications_;
  int applications_per_day_;
};

// The 429 problem with Retry-After.
Reply TooManyRequests(std::int64_t retry_after, const std::string& why_zh,
                      const std::string& why_en);

}  // namespace quanze::http
