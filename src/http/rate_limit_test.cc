#include "http/rate_limit.h"

#include <gtest/gtest.h>

#include "http/abuse_guard.h"

namespace quanze::http {
namespace {

TEST(RateLimiter, ABucketAllowsItsCapacityAtOnceThenOneRequestPerRefill) {
  RateLimiter limiter({3, 0.5});  // three at once, then one every two seconds
  EXPECT_EQ(limiter.Take("a", 100), 0);
  EXPECT_EQ(limiter.Take("a", 100), 0);
  EXPECT_EQ(limiter.Take("a", 100), 0);
  EXPECT_EQ(limiter.Take("a", 100), 2) << "the fourth waits two seconds";
  EXPECT_EQ(limiter.Take("a", 101), 1);
  EXPECT_EQ(limiter.Take("a", 102), 0);
  EXPECT_EQ(limiter.Take("a", 102), 2);
}

TEST(RateLimiter, ABucketNeverFillsBeyondItsCapacity) {
  RateLimiter limiter({2, 1});
  EXPECT_EQ(limiter.Take("a", 0), 0);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(limiter.Take("a", 10000), 0);
  EXPECT_GT(limiter.Take("a", 10000), 0) << "a long pause earns at most `capacity` requests";
}

TEST(RateLimiter, EachKeyHasItsOwnBucket) {
  RateLimiter limiter({1, 0.1});
  EXPECT_EQ(limiter.Take("203.0.113.7", 0), 0);
  EXPECT_EQ(limiter.Take("203.0.113.7", 0), 10);
  EXPECT_EQ(limiter.Take("198.51.100.1", 0), 0) << "another client is not slowed by the first";
}

TEST(RateLimiter, OffLimitsNothing) {
  RateLimiter limiter({0, 0});
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Take("a", 0), 0);
  EXPECT_EQ(limiter.tracked(), 0u);
}

TEST(RateLimiter, MemoryStaysBoundedUnderAFloodOfAddresses) {
  RateLimiter limiter({5, 1}, /*max_keys=*/100);
  for (int i = 0; i < 10000; ++i) limiter.Take("client-" + std::to_string(i), i * 0.001);
  EXPECT_LE(limiter.tracked(), 100u);
}

TEST(RateLimiter, IdleBucketsAreEvictedBeforeBusyOnes) {
  RateLimiter limiter({2, 1}, /*max_keys=*/2);
  limiter.Take("idle", 0);
  limiter.Take("busy", 9);
  limiter.Take("busy", 9);
  limiter.Take("new", 10);  // "idle" has refilled: forgotten
  EXPECT_EQ(limiter.Take("busy", 10), 0) << "busy kept its bucket (one token back after 1 s)";
  EXPECT_GT(limiter.Take("busy", 10), 0);
  EXPECT_LE(limiter.tracked(), 2u);
}

TEST(DailyCounter, CountsPerKeyAndStartsAgainEachDay) {
  DailyCounter counter;
  counter.Add("a", 1);
  counter.Add("a", 1);
  counter.Add("b", 1);
  EXPECT_EQ(counter.Count("a", 1), 2);
  EXPECT_EQ(counter.Count("b", 1), 1);
  EXPECT_EQ(counter.Count("a", 2), 0);
  counter.Add("a", 2);
  EXPECT_EQ(counter.Count("a", 2), 1);
}

TEST(DailyCounter, MemoryStaysBoundedAndEarlierDaysGoFirst) {
  DailyCounter counter(/*max_keys=*/10);
  for (int i = 0; i < 10; ++i) counter.Add("old-" + std::to_string(i), 1);
  counter.Add("today", 2);
  counter.Add("today", 2);
  for (int i = 0; i < 1000; ++i) counter.Add("new-" + std::to_string(i), 2);
  EXPECT_LE(counter.tracked(), 10u);
}

Route MakeRoute(std::string method, std::string pattern, Access access) {
  return Route{std::move(method), std::move(pattern), access, nullptr};
}

TEST(AbuseGuard, SignInAndPublicWritesHaveSeparateBucketsAndReadsAreFree) {
  app::Config config;
  config.rate_sign_in = {2, 0.01};
  config.rate_public_writes = {1, 0.01};
  AbuseGuard guard(config);
  Route sign_in = MakeRoute("POST", "/api/v1/session", Access::kPublic);
  Route rating = MakeRoute("POST", "/api/v1/public/ratings", Access::kPublic);
  Route read = MakeRoute("GET", "/api/v1/public/applications/{code}", Access::kPublic);
  Route staff = MakeRoute("POST", "/api/v1/cases", Access::kUser);
  EXPECT_FALSE(guard.Admit(sign_in, "a", 0));
  EXPECT_FALSE(guard.Admit(sign_in, "a", 0));
  auto refused = guard.Admit(sign_in, "a", 0);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  ASSERT_EQ(refused->headers.size(), 1u);
  EXPECT_EQ(refused->headers[0].first, "Retry-After");
  EXPECT_EQ(refused->headers[0].second, "100");
  EXPECT_FALSE(guard.Admit(rating, "a", 0)) << "sign-ins do not use up public writes";
  EXPECT_TRUE(guard.Admit(rating, "a", 0));
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(guard.Admit(read, "a", 0));
    EXPECT_FALSE(guard.Admit(staff, "a", 0));
  }
}

TEST(AbuseGuard, PublicApplicationsHaveADailyCapPerClientCountingAcceptedOnes) {
  app::Config config;
  config.rate_public_writes = {1000, 1000};
  config.public_applications_per_day = 2;
  AbuseGuard guard(config);
  Route apply = MakeRoute("POST", "/api/v1/public/applications", Access::kPublic);
  double noon = 1767240000;  // 2026-01-01 04:00 UTC = 12:00 in China
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(guard.Admit(apply, "a", noon));
    guard.Answered(apply, "a", 400, noon);  // refused applications do not count
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_FALSE(guard.Admit(apply, "a", noon));
    guard.Answered(apply, "a", 201, noon);
  }
  auto refused = guard.Admit(apply, "a", noon);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->headers[0].second, "43200") << "until midnight in China";
  EXPECT_FALSE(guard.Admit(apply, "b", noon)) << "another client has its own cap";
  EXPECT_FALSE(guard.Admit(apply, "a", noon + 43200)) << "a new day, a new cap";
}

}  // namespace
}  // namespace quanze::http
