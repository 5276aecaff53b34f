#include "domain/access.h"

#include <gtest/gtest.h>

#include <string>

namespace quanze::domain {
namespace {

// ---- sessions -------------------------------------------------------------

constexpr SessionPolicy kSessions{/*idle_seconds=*/1800, /*absolute_seconds=*/43200};
constexpr std::int64_t kT0 = 1'790'000'000;  // 2026-09-21, any instant will do

TEST(Session, IsAliveWhileUsedWithinTheIdleAndAbsoluteLimits) {
  EXPECT_TRUE(SessionAlive(kSessions, kT0, kT0, kT0));
  EXPECT_TRUE(SessionAlive(kSessions, kT0, kT0, kT0 + 1799));
  EXPECT_TRUE(SessionAlive(kSessions, kT0, kT0 + 40000, kT0 + 41000));
}

TEST(Session, ExpiresOnceIdleForTheIdlePeriod) {
  EXPECT_FALSE(SessionAlive(kSessions, kT0, kT0, kT0 + 1800));
  EXPECT_FALSE(SessionAlive(kSessions, kT0, kT0 + 100, kT0 + 1900));
  EXPECT_TRUE(SessionAlive(kSessions, kT0, kT0 + 100, kT0 + 1899));
}

TEST(Session, ExpiresAtItsAbsoluteLifetimeEvenWhenInUse) {
  // Seen a second ago, but created twelve hours ago.
  EXPECT_FALSE(SessionAlive(kSessions, kT0, kT0 + 43199, kT0 + 43200));
  EXPECT_TRUE(SessionAlive(kSessions, kT0, kT0 + 43198, kT0 + 43199));
}

// ---- login throttle ---------------------------------------------------------

constexpr ThrottlePolicy kThrottle{/*slow_after=*/3, /*lock_after=*/8, /*lock_seconds=*/900,
                                   /*window_seconds=*/900};

ThrottleState FailTimes(int n, std::int64_t at) {
  ThrottleState s;
  for (int i = 0; i < n; ++i) s = ThrottleAfterFailure(kThrottle, s, at);
  return s;
}

TEST(Throttle, AFreshNameMayTryAtOnce) {
  EXPECT_EQ(ThrottleWait(kThrottle, ThrottleState{}, kT0), 0);
}

TEST(Throttle, FailuresBelowTheSlowThresholdCostNoWait) {
  ThrottleState s = FailTimes(2, kT0);
  EXPECT_EQ(s.failures, 2);
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0), 0);
}

TEST(Throttle, WaitDoublesWithEachFailureFromTheSlowThreshold) {
  EXPECT_EQ(ThrottleWait(kThrottle, FailTimes(3, kT0), kT0), 1);
  EXPECT_EQ(ThrottleWait(kThrottle, FailTimes(4, kT0), kT0), 2);
  EXPECT_EQ(ThrottleWait(kThrottle, FailTimes(5, kT0), kT0), 4);
  EXPECT_EQ(ThrottleWait(kThrottle, FailTimes(7, kT0), kT0), 16);
}

TEST(Throttle, WaitShrinksAsTimePassesAndEndsAtZero) {
  ThrottleState s = FailTimes(5, kT0);  // must wait 4 s
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0 + 1), 3);
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0 + 4), 0);
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0 + 100), 0);
}

TEST(Throttle, LocksTheNameForTheLockPeriodAtTheLockThreshold) {
  ThrottleState s = FailTimes(8, kT0);
  EXPECT_EQ(s.locked_until, kT0 + 900);
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0), 900);
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0 + 600), 300);
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0 + 900), 0);
}

TEST(Throttle, FailuresWhileLockedExtendTheLock) {
  ThrottleState s = FailTimes(8, kT0);
  s = ThrottleAfterFailure(kThrottle, s, kT0 + 899);
  EXPECT_EQ(s.failures, 9);
  EXPECT_EQ(s.locked_until, kT0 + 899 + 900);
}

TEST(Throttle, FailuresOlderThanTheWindowAreForgotten) {
  ThrottleState s = FailTimes(5, kT0);
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0 + 900), 0);
  s = ThrottleAfterFailure(kThrottle, s, kT0 + 900);
  EXPECT_EQ(s.failures, 1);
  EXPECT_EQ(ThrottleWait(kThrottle, s, kT0 + 900), 0);
}

TEST(Throttle, WaitIsCappedNearSeventeenMinutes) {
  ThrottlePolicy never_lock = kThrottle;
  never_lock.lock_after = 1000;
  never_lock.window_seconds = 1 << 20;
  ThrottleState s;
  for (int i = 0; i < 40; ++i) s = ThrottleAfterFailure(never_lock, s, kT0);
  EXPECT_EQ(ThrottleWait(never_lock, s, kT0), 1024);
}

// ---- scope ------------------------------------------------------------------

const std::string kProvince = "/990000/";
const std::string kCounty = "/990000/990100/990121/";
const std::string kTown = "/990000/990100/990121/990121101/";
const std::string kOtherCountysTown = "/990000/990100/990122/990122101/";

TEST(Scope, AllCoversEveryRegion) {
  EXPECT_TRUE(InScope("all", kProvince));
  EXPECT_TRUE(InScope("all", kOtherCountysTown));
}

TEST(Scope, ACountyCoversItselfAndItsTownsButNotAnotherCountysTowns) {
  EXPECT_TRUE(InScope(kCounty, kCounty));
  EXPECT_TRUE(InScope(kCounty, kTown));
  EXPECT_FALSE(InScope(kCounty, kOtherCountysTown));
  EXPECT_FALSE(InScope(kCounty, kProvince));
}

TEST(Scope, ATownDoesNotCoverItsCounty) {
  EXPECT_TRUE(InScope(kTown, kTown));
  EXPECT_FALSE(InScope(kTown, kCounty));
}

TEST(Scope, PrefixMatchesOnlyWholePathSegments) {
  // 990121 must not cover a sibling code that merely starts with it.
  EXPECT_FALSE(InScope("/990000/990100/990121/", "/990000/990100/9901211/"));
}

TEST(Scope, EmptyScopeCoversNothing) {
  EXPECT_FALSE(InScope("", kTown));
  EXPECT_FALSE(InScope("", ""));
}

TEST(Scope, ChildPathAppendsTheCodeAsOneSegment) {
  EXPECT_EQ(ChildPath("", "990000"), "/990000/");
  EXPECT_EQ(ChildPath("/990000/", "990100"), "/990000/990100/");
  EXPECT_EQ(ChildPath(ChildPath(ChildPath("/990000/", "990100"), "990121"), "990121101"), kTown);
}

// ---- region codes -----------------------------------------------------------

struct CodeCase {
  const char* code;
  const char* level;
  bool valid;
};

TEST(RegionCode, AcceptsAndRejectsCodesByShapeAndLevel) {
  const CodeCase cases[] = {
      {"990000", "province", true},   {"990100", "city", true},
      {"990121", "county", true},     {"990121101", "town", true},
      {"990100", "province", false},  // a province ends in 0000
      {"990000", "city", false},      // a city has a non-zero city part
      {"990121", "city", false},      // ... and ends in 00
      {"990100", "county", false},    // a county does not end in 00
      {"99012", "county", false},     {"9901211", "county", false},
      {"990121", "town", false},      {"99012110", "town", false},
      {"9901211010", "town", false},  {"99a121", "county", false},
      {"", "province", false},        {"-99121", "county", false},
  };
  for (const auto& c : cases) {
    Status s = ValidateRegionCode(c.code, c.level);
    EXPECT_EQ(s.ok(), c.valid) << c.code << " as " << c.level;
  }
}

TEST(RegionCode, RejectionIsAValidationErrorInChineseAndEnglish) {
  Status s = ValidateRegionCode("12ab56", "county");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidation);
  EXPECT_NE(s.error().message_zh.find("区划代码"), std::string::npos);
  EXPECT_NE(s.error().message_en.find("12ab56"), std::string::npos);
}

// ---- roles and permissions --------------------------------------------------

TEST(Roles, EveryRoleCodeParsesBackToItsRole) {
  for (Role r : AllRoles()) {
    auto parsed = ParseRole(RoleCode(r));
    ASSERT_TRUE(parsed.ok()) << RoleCode(r);
    EXPECT_EQ(*parsed, r);
    EXPECT_NE(RoleLabelZh(r), "未知");
  }
  EXPECT_EQ(AllRoles().size(), 9u);
}

TEST(Roles, UnknownRoleIsRefusedWithTheListOfRoles) {
  auto r = ParseRole("mayor");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(r.error().message_en.find("town_officer"), std::string::npos);
  EXPECT_NE(r.error().message_zh.find("mayor"), std::string::npos);
}

TEST(Roles, OnlyTheAdministratorManagesAccounts) {
  for (Role r : AllRoles()) {
    EXPECT_EQ(RoleHas(r, Permission::kManageUsers), r == Role::kAdmin) << RoleCode(r);
  }
}

TEST(Roles, EveryRoleMayReadRegions) {
  for (Role r : AllRoles()) EXPECT_TRUE(RoleHas(r, Permission::kReadRegions)) << RoleCode(r);
}

TEST(Roles, OnlyAuditorsAndAdministratorsReadRawLedgerEntries) {
  for (Role r : AllRoles()) {
    EXPECT_EQ(RoleHas(r, Permission::kReadLedgerEntries), r == Role::kAdmin || r == Role::kAuditor)
        << RoleCode(r);
  }
}

// Separation of duties: review and qualification sit above the town.
TEST(Roles, OnlyCountySupervisionReviewsAccountabilityAndOnlyCountyLegalQualifiesReviewers) {
  for (Role r : AllRoles()) {
    EXPECT_EQ(RoleHas(r, Permission::kReviewAccountability), r == Role::kCountySupervision)
        << RoleCode(r);
    EXPECT_EQ(RoleHas(r, Permission::kQualifyLegalReviewers), r == Role::kCountyLegal)
        << RoleCode(r);
  }
}

TEST(Separation, NobodyReviewsOneself) {
  EXPECT_TRUE(NotReviewingOneself(1, 2).ok());
  EXPECT_TRUE(NotReviewingOneself(std::nullopt, 2).ok());
  EXPECT_TRUE(NotReviewingOneself(1, std::nullopt).ok());
  EXPECT_EQ(NotReviewingOneself(3, 3).error().code, ErrorCode::kForbidden);
}

TEST(Roles, TableSpotChecks) {
  EXPECT_TRUE(RoleHas(Role::kCountyStaffing, Permission::kManageStaffing));
  EXPECT_FALSE(RoleHas(Role::kCountyStaffing, Permission::kManageRegions));
  EXPECT_TRUE(RoleHas(Role::kProvinceStaffing, Permission::kManageRegions));
  EXPECT_TRUE(RoleHas(Role::kTownOfficer, Permission::kHandleCases));
  EXPECT_FALSE(RoleHas(Role::kTownOfficer, Permission::kReadStaffing));
  EXPECT_TRUE(RoleHas(Role::kTownLeader, Permission::kReadStaffing));
  EXPECT_FALSE(RoleHas(Role::kTownLeader, Permission::kManageStaffing));
  EXPECT_FALSE(RoleHas(Role::kAuditor, Permission::kManageCatalogue));
  EXPECT_FALSE(RoleHas(Role::kAuditor, Permission::kHandleCases));
  EXPECT_TRUE(RoleHas(Role::kCountyDepartment, Permission::kManageCatalogue));
  EXPECT_FALSE(RoleHas(Role::kAdmin, Permission::kHandleCases));
}

// ---- account names and passwords -------------------------------------------

TEST(Password, MustHaveTenToTwoHundredFiftySixBytes) {
  EXPECT_FALSE(ValidatePassword("123456789").ok());
  EXPECT_TRUE(ValidatePassword("1234567890").ok());
  EXPECT_TRUE(ValidatePassword(std::string(256, 'x')).ok());
  EXPECT_FALSE(ValidatePassword(std::string(257, 'x')).ok());
  EXPECT_TRUE(ValidatePassword("密码口令八").ok());  // 5 characters, 15 bytes
}

TEST(Password, TooShortIsAValidationErrorInBothLanguages) {
  Status s = ValidatePassword("short");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidation);
  EXPECT_NE(s.error().message_zh.find("10"), std::string::npos);
  EXPECT_NE(s.error().message_en.find("10 characters"), std::string::npos);
}

TEST(UserName, AcceptsLowercaseNamesStartingWithALetter) {
  const std::string longest(64, 'a');
  for (const char* ok : {"admin", "qiaotou.officer", "a1", "zhang_san-2", longest.c_str()}) {
    EXPECT_TRUE(ValidateUserName(ok).ok()) << ok;
  }
}

TEST(UserName, RejectsEverythingElse) {
  const std::string too_long(65, 'a');
  for (const char* bad : {"", "a", "1abc", "Admin", "zhang san", "张三", "a/b", ".hidden", "a@b",
                          too_long.c_str()}) {
    EXPECT_FALSE(ValidateUserName(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace quanze::domain
