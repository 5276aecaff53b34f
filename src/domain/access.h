// Account permissions (who may use which function, inside which region
// subtree). This is the simple layer in front of the legal-authority check
// (法无授权不可为), which lives with the cases. Pure: no clock, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace quanze::domain {

// Role (角色) of an account.
enum class Role {
  kAdmin,             // 系统管理员
  kProvinceStaffing,  // 省编办
  kCountyStaffing,    // 县编办
  kCountyDepartment,  // 县级部门
  kTownLeader,        // 镇领导
  kTownOfficer,       // 镇工作人员
  kAuditor,           // 审计、纪检监察
  kCountySupervision, // 县级监察机关（问责审查）: reviews accountability records
  kCountyLegal,       // 县级司法行政部门（法制审核资格认定）: qualifies legal reviewers
};

std::string_view RoleCode(Role role);       // "admin", "town_officer", ...
std::string_view RoleLabelZh(Role role);    // "系统管理员", ...
Result<Role> ParseRole(std::string_view code);
const std::vector<Role>& AllRoles();

// What an account may do. Checked by app/ before any use case runs.
enum class Permission {
  kReadRegions,
  kManageRegions,
  kManageUsers,
  kReadLedgerEntries,  // raw entries of the log (auditors, admins)
  kReadStaffing,
  kManageStaffing,
  kReadCatalogue,
  kManageCatalogue,
  kHandleCases,           // perform case steps (the legal-authority check comes after)
  kReadCases,             // inboxes, case pages, evaluation, accountability lists
  kConfigureCases,        // handling agencies of grants, steps per post, legal reviewers
  kReviewAccountability,  // move accountability records open → under_review → concluded
                          // (a county supervision body, never the town it reviews)
  kQualifyLegalReviewers,  // qualify people for 法制审核 (county legal affairs, not the town)
};

bool RoleHas(Role role, Permission permission);

// Separation of duties: nobody reviews, approves or qualifies themselves.
// kForbidden when `actor` (the acting person, if the account has one) is
// `subject` (the person the record names / who proposed the change).
Status NotReviewingOneself(std::optional<std::int64_t> actor, std::optional<std::int64_t> subject);

// A scope is "all" or a region path such as "/99/9901/990121/". A region is
// inside a scope when its path starts with the scope's path.
bool InScope(std::string_view scope_path, std::string_view region_path);

// The region path of a code, built from its ancestors' codes; the caller
// supplies the parent's path ("" for a province).
std::string ChildPath(std::string_view parent_path, std::string_view code);

// Region codes: 6 digits for province/city/county (GB/T 2260 style), 9 for a
// town (county code + 3). Validates the shape and the level.
Status ValidateRegionCode(std::string_view code, std::string_view level);

// Sessions expire after an idle period and after an absolute lifetime.
struct SessionPolicy {
  std::int64_t idle_seconds = 30 * 60;
  std::int64_t absolute_seconds = 12 * 3600;
};
bool SessionAlive(const SessionPolicy& policy, std::int64_t created_at,
                  std::int64_t last_seen_at, std::int64_t now);

// Login throttling: after `slow_after` consecutive failures each further
// attempt must wait an exponentially growing delay (1 s, 2 s, 4 s …); after
// `lock_after` failures the name is refused for `lock_seconds`.
struct ThrottlePolicy {
  int slow_after = 3;
  int lock_after = 8;
  std::int64_t lock_seconds = 15 * 60;
  std::int64_t window_seconds = 15 * 60;  // failures older than this are forgotten
};
struct ThrottleState {
  int failures = 0;
  std::int64_t last_failure_at = 0;
  std::int64_t locked_until = 0;
};
// Seconds the caller must still wait before trying again (0: may try now).
std::int64_t ThrottleWait(const ThrottlePolicy& policy, const ThrottleState& state,
                          std::int64_t now);
// The state after one more failure at `now`.
ThrottleState ThrottleAfterFailure(const ThrottlePolicy& policy, ThrottleState state,
                                   std::int64_t now);

// Passwords must be at least 10 characters (bytes of UTF-8) and at most 256.
Status ValidatePassword(std::string_view password);
// Account names: 2–64 of [a-z0-9_.-], starting with a letter.
Status ValidateUserName(std::string_view name);

}  // namespace quanze::domain
