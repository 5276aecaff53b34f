#include "app/regions.h"

#include <cstdlib>

#include "domain/access.h"
#include "store/records.h"

namespace quanze::app {
namespace {

// instance_settings key of the regions' generation: bumped in the transaction of every
// Create, so every process on the database (several `quanze serve` on one PostgreSQL)
// sees a region change as soon as it is committed and drops its cached lists.
constexpr const char* kGenerationKey = "regions.generation";

Error OutOfScope() {
  return MakeError(ErrorCode::kForbidden, "该区划不在您的授权范围内",
                   "this region is outside your scope");
}

std::string_view ParentLevel(std::string_view level) {
  if (level == "city") return "province";
  if (level == "county") return "city";
  if (level == "town") return "county";
  return "";
}

}  // namespace

nlohmann::json RegionToJson(const store::RegionRecord& r) {
  nlohmann::json j = {{"code", r.code},
                      {"name", r.name},
                      {"level", r.level},
                      {"parent_code", r.parent_code ? nlohmann::json(*r.parent_code) : nlohmann::json()},
                      {"is_demo", r.is_demo}};
  if (r.level == "town") {
    j["is_pilot"] = r.is_pilot;
    j["indicators"] = nlohmann::json::parse(r.indicators, nullptr, false);
  }
  return j;
}

Result<nlohmann::json> Regions::Create(Tx& tx, const Actor& actor, const NewRegion& n) {
  if (n.level != "province" && n.level != "city" && n.level != "county" && n.level != "town") {
    return MakeError(ErrorCode::kValidation, "区划层级须为 province、city、county 或 town",
                     "level must be province, city, county or town");
  }
  QZ_TRY(domain::ValidateRegionCode(n.code, n.level));
  if (n.name.empty() || n.name.size() > 200) {
    return MakeError(ErrorCode::kValidation, "区划名称不能为空", "region name is required");
  }
  std::string parent_path;
  if (n.level == "province") {
    if (n.parent_code) {
      return MakeError(ErrorCode::kValidation, "省级区划没有上级", "a province has no parent");
    }
  } else {
    if (!n.parent_code) {
      return MakeError(ErrorCode::kValidation, "须指定上级区划", "a parent region is required");
    }
    QZ_ASSIGN_OR_RETURN(auto parent, store::GetRegion(tx.conn(), *n.parent_code));
    if (!parent || parent->level != ParentLevel(n.level)) {
      return MakeError(ErrorCode::kValidation,
                       "上级区划“" + *n.parent_code + "”不存在或层级不符",
                       "parent region '" + *n.parent_code + "' does not exist or has the wrong level");
    }
    parent_path = parent->path;
  }
  QZ_ASSIGN_OR_RETURN(auto existing, store::GetRegion(tx.conn(), n.code));
  if (existing) {
    return MakeError(ErrorCode::kConflict, "区划代码“" + n.code + "”已存在",
                     "region code '" + n.code + "' already exists");
  }
  store::RegionRecord r;
  r.code = n.code;
  r.name = n.name;
  r.level = n.level;
  r.parent_code = n.parent_code;
  r.path = domain::ChildPath(parent_path, n.code);
  r.is_pilot = n.is_pilot;
  r.indicators = n.indicators.dump();
  r.is_demo = n.is_demo;
  QZ_TRY(store::InsertRegion(tx.conn(), r, tx.now_seconds()));
  QZ_TRY(store::IncrementSetting(tx.conn(), kGenerationKey));
  nlohmann::json out = RegionToJson(r);
  QZ_TRY(tx.Append({"region.created", actor, "region", n.code, out}));
  return out;
}

Result<std::uint64_t> Regions::Generation() {
  std::uint64_t generation = 0;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto value, store::GetSetting(c, kGenerationKey));
    if (value) generation = std::strtoull(value->c_str(), nullptr, 10);
    return Ok();
  }));
  return generation;
}

Result<nlohmann::json> Regions::List(const AuthUser& user, const std::optional<std::string>& parent,
                                     const std::string& cursor, int limit) {
  QZ_ASSIGN_OR_RETURN(std::uint64_t generation, Generation());
  return ListAt(generation, user, parent, cursor, limit);
}

// The generation is read before the rows: a list is never older than the
// generation it is cached under (at worst newer, which costs one more read).
Result<nlohmann::json> Regions::ListAt(std::uint64_t generation, const AuthUser& user,
                                       const std::optional<std::string>& parent,
                                       const std::string& cursor, int limit) {
  if (limit < 1 || limit > 500) {
    return MakeError(ErrorCode::kBadRequest, "limit 须在 1–500 之间", "limit must be between 1 and 500");
  }
  std::string key = user.scope_path + "|" + parent.value_or("-") + "|" + cursor + "|" +
                    std::to_string(limit);
  {
    std::lock_guard lock(cache_mu_);
    auto it = list_cache_.find(key);
    if (it != list_cache_.end() && it->second.first == generation) return it->second.second;
  }
  nlohmann::json items = nlohmann::json::array();
  bool more = false;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    if (parent) {
      QZ_ASSIGN_OR_RETURN(auto p, store::GetRegion(c, *parent));
      if (!p) {
        return MakeError(ErrorCode::kNotFound, "区划“" + *parent + "”不存在", "no region '" + *parent + "'");
      }
      // Listing the children of an ancestor of the scope is allowed but
      // shows only what lies inside the scope (the path filter below).
    }
    QZ_ASSIGN_OR_RETURN(auto rows, store::ListRegions(c, user.scope_path, parent, cursor, limit + 1));
    more = static_cast<int>(rows.size()) > limit;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < limit; ++i) {
      items.push_back(RegionToJson(rows[static_cast<std::size_t>(i)]));
    }
    return Ok();
  }));
  nlohmann::json next = more ? nlohmann::json(items.back()["code"]) : nlohmann::json();
  nlohmann::json out{{"items", items}, {"next_cursor", next}};
  std::lock_guard lock(cache_mu_);
  if (list_cache_.size() > 4096) list_cache_.clear();
  list_cache_[key] = {generation, out};
  return out;
}

Result<std::string> Regions::ListText(const AuthUser& user, const std::optional<std::string>& parent,
                                     const std::string& cursor, int limit) {
  std::string key = user.scope_path + "|" + parent.value_or("-") + "|" + cursor + "|" +
                    std::to_string(limit);
  QZ_ASSIGN_OR_RETURN(std::uint64_t generation, Generation());
  {
    std::lock_guard lock(cache_mu_);
    auto it = text_cache_.find(key);
    if (it != text_cache_.end() && it->second.first == generation) return it->second.second;
  }
  QZ_ASSIGN_OR_RETURN(nlohmann::json list, ListAt(generation, user, parent, cursor, limit));
  std::string text = list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(cache_mu_);
  if (text_cache_.size() > 4096) text_cache_.clear();
  text_cache_[key] = {generation, text};
  return text;
}

Result<nlohmann::json> Regions::Get(const AuthUser& user, const std::string& code) {
  std::optional<store::RegionRecord> r;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(r, store::GetRegion(c, code));
    return Ok();
  }));
  if (!r) return MakeError(ErrorCode::kNotFound, "区划“" + code + "”不存在", "no region '" + code + "'");
  if (!domain::InScope(user.scope_path, r->path)) return OutOfScope();
  return RegionToJson(*r);
}

}  // namespace quanze::app
