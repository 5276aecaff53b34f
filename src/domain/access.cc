#include "domain/access.h"

#include <algorithm>
#include <array>

namespace quanze::domain {
namespace {

struct RoleInfo {
  Role role;
  std::string_view code;
  std::string_view zh;
};

constexpr std::array<RoleInfo, 9> kRoles = {{
    {Role::kAdmin, "admin", "系统管理员"},
    {Role::kProvinceStaffing, "province_staffing", "省级机构编制部门"},
    {Role::kCountyStaffing, "county_staffing", "县级机构编制部门"},
    {Role::kCountyDepartment, "county_department", "县级业务部门"},
    {Role::kTownLeader, "town_leader", "镇领导"},
    {Role::kTownOfficer, "town_officer", "镇工作人员"},
    {Role::kAuditor, "auditor", "审计与纪检监察"},
    {Role::kCountySupervision, "county_supervision", "县级监察机关（问责审查）"},
    {Role::kCountyLegal, "county_legal", "县级司法行政部门（法制审核资格）"},
}};

using P = Permission;

// Role → permissions. One table; read it as a sentence per row.
struct Grant {
  Role role;
  std::vector<Permission> permissions;
};
const std::vector<Grant>& PermissionTable() {
  static const std::vector<Grant> kTable = {
      {Role::kAdmin,
       {P::kReadRegions, P::kManageRegions, P::kManageUsers, P::kReadLedgerEntries,
        P::kReadStaffing, P::kManageStaffing, P::kReadCatalogue, P::kManageCatalogue,
        P::kReadCases, P::kConfigureCases}},
      {Role::kProvinceStaffing,
       {P::kReadRegions, P::kManageRegions, P::kReadStaffing, P::kManageStaffing,
        P::kReadCatalogue, P::kManageCatalogue, P::kConfigureCases}},
      {Role::kCountyStaffing,
       {P::kReadRegions, P::kReadStaffing, P::kManageStaffing, P::kReadCatalogue,
        P::kManageCatalogue, P::kConfigureCases}},
      {Role::kCountyDepartment,
       {P::kReadRegions, P::kReadCatalogue, P::kManageCatalogue, P::kReadCases}},
      {Role::kTownLeader,
       {P::kReadRegions, P::kReadStaffing, P::kReadCatalogue, P::kHandleCases, P::kReadCases,
        P::kConfigureCases}},
      {Role::kTownOfficer, {P::kReadRegions, P::kReadCatalogue, P::kHandleCases, P::kReadCases}},
      {Role::kAuditor,
       {P::kReadRegions, P::kReadLedgerEntries, P::kReadStaffing, P::kReadCatalogue,
        P::kReadCases}},
      // Separation of duties (issue 14 §3): accountability is reviewed above the
      // town, and legal reviewers are qualified by the county, never by the town
      // whose cases they review.
      {Role::kCountySupervision,
       {P::kReadRegions, P::kReadStaffing, P::kReadCatalogue, P::kReadCases,
        P::kReviewAccountability}},
      {Role::kCountyLegal,
       {P::kReadRegions, P::kReadStaffing, P::kReadCatalogue, P::kReadCases,
        P::kQualifyLegalReviewers}},
  };
  return kTable;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Status NotReviewingOneself(std::optional<std::int64_t> actor, std::optional<std::int64_t> subject) {
  if (!actor || !subject || *actor != *subject) return Ok();
  return MakeError(ErrorCode::kForbidden, "不能审查、批准或认定与本人有关的事项（职能分离）",
                   "nobody reviews, approves or qualifies themselves (separation of duties)",
                   {{"rule", "self_review"}});
}

std::string_view RoleCode(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.code;
  }
  return "unknown";
}

std::string_view RoleLabelZh(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.zh;
  }
  return "未知";
}

Result<Role> ParseRole(std::string_view code) {
  for (const auto& r : kRoles) {
    if (r.code == code) return r.role;
  }
  std::string all;
  for (const auto& r : kRoles) {
    if (!all.empty()) all += ", ";
    all += r.code;
  }
  return MakeError(ErrorCode::kBadRequest, "未知角色“" + std::string(code) + "”，可选：" + all,
                   "unknown role '" + std::string(code) + "'; one of: " + all);
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = [] {
    std::vector<Role> v;
    for (const auto& r : kRoles) v.push_back(r.role);
    return v;
  }();
  return kAll;
}

bool RoleHas(Role role, Permission permission) {
  for (const auto& g : PermissionTable()) {
    if (g.role == role) {
      return std::find(g.permissions.begin(), g.permissions.end(), permission) !=
             g.permissions.end();
    }
  }
  return false;
}

bool InScope(std::string_view scope_path, std::string_view region_path) {
  if (scope_path == "all") return true;
  if (scope_path.empty()) return false;
  return region_path.substr(0, scope_path.size()) == scope_path;
}

std::string ChildPath(std::string_view parent_path, std::string_view code) {
  std::string path = parent_path.empty() ? "/" : std::string(parent_path);
  path += code;
  path += '/';
  return path;
}

Status ValidateRegionCode(std::string_view code, std::string_view level) {
  bool ok = AllDigits(code) && ((level == "town" && code.size() == 9) ||
                                (level != "town" && code.size() == 6));
  if (!ok) {
    return MakeError(ErrorCode::kValidation,
                     "区划代码“" + std::string(code) + "”格式错误：省、市、县为 6 位数字，镇为 9 位数字",
                     "region code '" + std::string(code) +
                         "' is malformed: 6 digits for province/city/county, 9 for a town");
  }
  if (level == "province" && code.substr(2) != "0000") {
    return MakeError(ErrorCode::kValidation, "省级区划代码应以 0000 结尾",
                     "a province code ends in 0000");
  }
  if (level == "city" && (code.substr(4) != "00" || code.substr(2, 2) == "00")) {
    return MakeError(ErrorCode::kValidation, "市级区划代码应以 00 结尾", "a city code ends in 00");
  }
  if (level == "county" && code.substr(4) == "00") {
    return MakeError(ErrorCode::kValidation, "县级区划代码末两位不能为 00",
                     "a county code does not end in 00");
  }
  return Ok();
}

bool SessionAlive(const SessionPolicy& policy, std::int64_t created_at,
                  std::int64_t last_seen_at, std::int64_t now) {
  return now < created_at + policy.absolute_seconds && now < last_seen_at + policy.idle_seconds;
}

std::int64_t ThrottleWait(const ThrottlePolicy& policy, const ThrottleState& state,
                          std::int64_t now) {
  if (state.locked_until > now) return state.locked_until - now;
  if (now - state.last_failure_at >= policy.window_seconds) return 0;
  if (state.failures < policy.slow_after) return 0;
  int exponent = std::min(state.failures - policy.slow_after, 10);
  std::int64_t delay = std::int64_t{1} << exponent;
  std::int64_t ready = state.last_failure_at + delay;
  return ready > now ? ready - now : 0;
}

ThrottleState ThrottleAfterFailure(const ThrottlePolicy& policy, ThrottleState state,
                                   std::int64_t now) {
  if (now - state.last_failure_at >= policy.window_seconds && state.locked_until <= now) {
    state.failures = 0;
  }
  state.failures += 1;
  state.last_failure_at = now;
  if (state.failures >= policy.lock_after) state.locked_until = now + policy.lock_seconds;
  return state;
}

Status ValidatePassword(std::string_view password) {
  if (password.size() < 10) {
    return MakeError(ErrorCode::kValidation, "密码至少 10 个字符", "password must have at least 10 characters");
  }
  if (password.size() > 256) {
    return MakeError(ErrorCode::kValidation, "密码最多 256 个字符", "password must have at most 256 characters");
  }
  return Ok();
}

Status ValidateUserName(std::string_view name) {
  bool ok = name.size() >= 2 && name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z' &&
            std::all_of(name.begin(), name.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                     c == '-';
            });
  if (!ok) {
    return MakeError(ErrorCode::kValidation,
                     "账号名须为 2–64 个小写字母、数字或 _ . -，并以字母开头",
                     "account names are 2–64 of lowercase letters, digits, _ . -, starting with a letter");
  }
  return Ok();
}

}  // namespace quanze::domain
