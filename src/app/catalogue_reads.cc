// Staff reads of the catalogue area (scope-checked), the public town list and
// the public JSON catalogue: summaries or full items, and single items, each
// rendered once per published version and served from the cache.
#include <functional>

#include "app/catalogue.h"
#include "app/catalogue_cache.h"
#include "app/catalogue_internal.h"
#include "domain/access.h"

namespace quanze::app {

using nlohmann::json;
namespace ci = catalogue_internal;

namespace {

Status CheckLimit(int limit) {
  if (limit < 1 || limit > 500) {
    return MakeError(ErrorCode::kBadRequest, "limit 须在 1–500 之间",
                     "limit must be between 1 and 500");
  }
  return Ok();
}

Result<std::string> KindCode(const std::string& kind) {
  if (kind.empty()) return std::string();
  auto k = domain::ParsePowerKind(kind);
  if (!k) {
    return MakeError(ErrorCode::kBadRequest, "未知的事项类型：" + kind,
                     "unknown power kind: " + kind, {{"parameter", "kind"}});
  }
  return std::string(domain::PowerKindCode(*k));
}

json PowerListItem(const store::PowerRecord& p) {
  json j = {{"province_code", p.province_code},
            {"code", p.code},
            {"name", p.name},
            {"kind", p.kind},
            {"department", p.department},
            {"parent_code", p.parent_code ? json(*p.parent_code) : json(nullptr)},
            {"version", p.version},
            {"valid_from", p.valid_from},
            {"valid_to", p.valid_to ? json(*p.valid_to) : json(nullptr)}};
  if (auto k = domain::ParsePowerKind(p.kind))
    j["kind_label"] = std::string(domain::PowerKindLabel(*k));
  return j;
}

bool SameProvince(const std::string& scope_path, const std::string& province_code) {
  return scope_path == "all" || ci::ProvinceOfPath(scope_path) == province_code;
}

// ---- public JSON documents ----------------------------------------------------

constexpr const char* kJsonType = "application/json; charset=utf-8";

// A published version with the facts its JSON envelope names.
struct VersionDoc {
  store::VersionRecord v;  // with items
  ci::TownFacts town;
  std::string county_name;
};

using RenderFn = std::function<Result<std::shared_ptr<Rendered>>(const VersionDoc&)>;

std::string CacheKey(const std::string& town_code, std::int64_t version, const std::string& doc) {
  return town_code + "|" + std::to_string(version) + "|" + doc;
}

// The document `doc` of the town's version (the latest when none is given):
// from the cache, else rendered by `render` and kept. Published versions never
// change, so only "which is the latest" needs the database on a hit. Without
// `with_items` the VersionDoc handed to `render` has no items.
Result<std::shared_ptr<const Rendered>> CachedOrRender(store::Database& db, CatalogueCache& cache,
                                                       const std::string& town_code,
                                                       std::optional<std::int64_t> version,
                                                       const std::string& doc,
                                                       const RenderFn& render,
                                                       bool with_items = true) {
  if (version) {
    if (auto hit = cache.Get(CacheKey(town_code, *version, doc))) return hit;
  }
  std::shared_ptr<const Rendered> hit;
  VersionDoc d;
  QZ_TRY(db.WithReader([&](store::Connection& c) -> Status {
    if (!version) {
      QZ_ASSIGN_OR_RETURN(auto latest, store::LatestVersion(c, town_code));
      if (latest) {
        version = latest->version;
        if ((hit = cache.Get(CacheKey(town_code, *version, doc)))) return Ok();
      }
    }
    QZ_ASSIGN_OR_RETURN(d.town, ci::LoadTown(c, town_code));
    if (!version) {
      return MakeError(ErrorCode::kNotFound, "镇" + town_code + "尚未发布赋权目录",
                       "town " + town_code + " has not published a catalogue");
    }
    QZ_ASSIGN_OR_RETURN(auto v, store::GetVersion(c, town_code, *version, with_items));
    if (!v) {
      return MakeError(
          ErrorCode::kNotFound, "镇" + town_code + "没有第" + std::to_string(*version) + "版目录",
          "town " + town_code + " has no catalogue version " + std::to_string(*version));
    }
    d.v = std::move(*v);
    QZ_ASSIGN_OR_RETURN(auto county, store::GetRegion(c, d.town.county_code));
    if (county) d.county_name = county->name;
    return Ok();
  }));
  if (hit) return hit;
  QZ_ASSIGN_OR_RETURN(std::shared_ptr<Rendered> r, render(d));
  cache.Put(CacheKey(town_code, d.v.version, doc), r);
  return std::shared_ptr<const Rendered>(std::move(r));
}

Result<json> VersionItems(const store::VersionRecord& v) {
  json items = json::parse(v.items, nullptr, false);
  if (!items.is_array()) {
    return MakeError(ErrorCode::kInternal, "已发布目录数据损坏",
                     "a published catalogue is corrupt");
  }
  return items;
}

// The envelope without its closing brace: the items follow.
std::string EnvelopeHead(const VersionDoc& d, CatalogueView view) {
  json head = {{"town_code", d.v.town_code},
               {"town_name", d.town.town.name},
               {"county_code", d.town.county_code},
               {"county_name", d.county_name},
               {"exercising_body", d.town.town.name + "人民政府"},
               {"is_demo", d.town.town.is_demo},
               {"view", view == CatalogueView::kFull ? "full" : "summary"}};
  json version_json = ci::VersionToJson(d.v);
  for (auto it = version_json.begin(); it != version_json.end(); ++it) head[it.key()] = it.value();
  std::string out = head.dump(-1, ' ', false, json::error_handler_t::replace);
  out.pop_back();
  return out;
}

std::string VersionTag(const VersionDoc& d, const std::string& what) {
  return "v" + std::to_string(d.v.version) + "-" + what;
}

Result<std::shared_ptr<Rendered>> RenderSummary(const VersionDoc& d) {
  QZ_ASSIGN_OR_RETURN(json items, VersionItems(d.v));
  std::string body = EnvelopeHead(d, CatalogueView::kSummary) + ",\"items\":[";
  body.reserve(body.size() + items.size() * 400);
  bool first = true;
  for (const auto& item : items) {
    if (!first) body += ',';
    first = false;
    body +=
        domain::CatalogueItemSummaryJson(item).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  body += "]}";
  return MakeRenderedDocument(std::move(body), kJsonType, d.v.content_hash,
                              VersionTag(d, "summary"), true);
}

// The full items as published, each item's place in the body noted by code.
Result<std::shared_ptr<Rendered>> RenderFull(const VersionDoc& d) {
  QZ_ASSIGN_OR_RETURN(json items, VersionItems(d.v));
  std::string body = EnvelopeHead(d, CatalogueView::kFull) + ",\"items\":[";
  body.reserve(body.size() + d.v.items.size() + 2);
  std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> spans;
  bool first = true;
  for (const auto& item : items) {
    if (!first) body += ',';
    first = false;
    std::size_t at = body.size();
    body += item.dump(-1, ' ', false, json::error_handler_t::replace);
    auto code = item.find("code");
    if (code != item.end() && code->is_string()) {
      spans.emplace(code->get<std::string>(), std::pair{at, body.size() - at});
    }
  }
  body += "]}";
  auto r = MakeRenderedDocument(std::move(body), kJsonType, d.v.content_hash, VersionTag(d, "full"),
                                true);
  r->item_spans = std::move(spans);
  return r;
}

}  // namespace

namespace catalogue_internal {

json VersionToJson(const store::VersionRecord& v) {
  json counts = json::parse(v.counts, nullptr, false);
  return {{"version", v.version},
          {"published_at", v.published_at},
          {"content_hash", v.content_hash},
          {"item_count", v.item_count},
          {"counts_by_kind", counts.is_discarded() ? json::object() : counts},
          {"ledger_index", v.ledger_index}};
}

}  // namespace catalogue_internal

Result<std::string> CatalogueService::ResolveProvince(const std::string& scope_path,
                                                      const std::optional<std::string>& asked) {
  if (asked) {
    if (!SameProvince(scope_path, *asked)) {
      return ci::OutOfScope("省" + *asked, "province " + *asked);
    }
    return *asked;
  }
  if (scope_path != "all") return ci::ProvinceOfPath(scope_path);
  std::vector<std::string> provinces;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(provinces, store::ProvinceCodes(c));
    return Ok();
  }));
  if (provinces.size() == 1) return provinces[0];
  if (provinces.empty()) {
    return MakeError(ErrorCode::kNotFound, "数据库中还没有省级区划", "there is no province yet");
  }
  return MakeError(ErrorCode::kBadRequest, "有多个省，请指定 province 参数",
                   "there are several provinces; name one with the province parameter",
                   {{"parameter", "province"}});
}

Result<json> CatalogueService::ListPowers(const AuthUser& user, const PowerQuery& q) {
  QZ_TRY(CheckLimit(q.limit));
  store::PowerFilter f;
  if (q.province_code || user.scope_path != "all") {
    QZ_ASSIGN_OR_RETURN(f.province_code, ResolveProvince(user.scope_path, q.province_code));
  }
  QZ_ASSIGN_OR_RETURN(f.kind, KindCode(q.kind));
  f.search = q.search;
  f.department = q.department;
  if (!q.cursor.empty()) {
    std::size_t slash = q.cursor.find('/');
    if (slash == std::string::npos) {
      return MakeError(ErrorCode::kBadRequest, "cursor 无效", "invalid cursor",
                       {{"parameter", "cursor"}});
    }
    f.after_province = q.cursor.substr(0, slash);
    f.after_code = q.cursor.substr(slash + 1);
  }
  f.limit = q.limit + 1;
  std::vector<store::PowerRecord> rows;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(rows, store::ListPowers(c, f));
    return Ok();
  }));
  bool more = static_cast<int>(rows.size()) > q.limit;
  if (more) rows.pop_back();
  json items = json::array();
  for (const auto& p : rows) items.push_back(PowerListItem(p));
  json next = more ? json(rows.back().province_code + "/" + rows.back().code) : json(nullptr);
  return json{{"items", std::move(items)}, {"next_cursor", next}};
}

Result<json> CatalogueService::GetPower(const AuthUser& user, const std::string& code,
                                        const std::optional<std::string>& province_code) {
  QZ_ASSIGN_OR_RETURN(std::string province, ResolveProvince(user.scope_path, province_code));
  std::optional<store::PowerRecord> p;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(p, store::GetPower(c, province, code));
    return Ok();
  }));
  if (!p) {
    return MakeError(ErrorCode::kNotFound, "本省通用目录中没有事项" + code,
                     "no power " + code + " in the province master catalogue");
  }
  json j = json::parse(p->item, nullptr, false);
  if (!j.is_object()) j = PowerListItem(*p);
  j["province_code"] = p->province_code;
  if (auto k = domain::ParsePowerKind(p->kind))
    j["kind_label"] = std::string(domain::PowerKindLabel(*k));
  j["updated_at"] = FormatRfc3339(FromUnixSeconds(p->updated_at));
  return j;
}

Result<json> CatalogueService::ListBatches(const AuthUser& user) {
  std::string province = user.scope_path == "all" ? "" : ci::ProvinceOfPath(user.scope_path);
  json items = json::array();
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto rows, store::ListBatches(c, province));
    for (const auto& r : rows) {
      QZ_ASSIGN_OR_RETURN(auto b, ci::LoadReformBatch(c, r));
      items.push_back(ci::BatchToApiJson(b, r.id));
    }
    return Ok();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> CatalogueService::GetBatch(const AuthUser& user, std::int64_t id) {
  json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto r, store::GetBatch(c, id));
    if (!r) {
      return MakeError(ErrorCode::kNotFound, "改革批次" + std::to_string(id) + "不存在",
                       "no reform batch " + std::to_string(id));
    }
    if (!SameProvince(user.scope_path, r->province_code)) {
      return ci::OutOfScope("改革批次" + std::to_string(id), "reform batch " + std::to_string(id));
    }
    QZ_ASSIGN_OR_RETURN(auto b, ci::LoadReformBatch(c, *r));
    out = ci::BatchToApiJson(b, id);
    return Ok();
  }));
  return out;
}

Result<json> CatalogueService::ListGrants(const AuthUser& user, const GrantQuery& q) {
  QZ_TRY(CheckLimit(q.limit));
  store::GrantFilter f;
  f.scope_path = user.scope_path;
  f.town_code = q.town_code;
  QZ_ASSIGN_OR_RETURN(f.kind, KindCode(q.kind));
  if (!q.state.empty()) {
    auto s = domain::ParseGrantState(q.state);
    if (!s) {
      return MakeError(ErrorCode::kBadRequest, "未知的赋权状态：" + q.state,
                       "unknown grant state: " + q.state, {{"parameter", "state"}});
    }
    f.state = std::string(domain::GrantStateCode(*s));
  }
  f.batch_id = q.batch_id;
  f.after_id = q.cursor;
  f.limit = q.limit + 1;
  json items = json::array();
  bool more = false;
  std::int64_t last = 0;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    if (!q.town_code.empty()) {
      QZ_ASSIGN_OR_RETURN(auto town, ci::LoadTown(c, q.town_code));
      if (!domain::InScope(user.scope_path, town.town.path)) {
        return ci::OutOfScope("镇" + q.town_code, "town " + q.town_code);
      }
    }
    QZ_ASSIGN_OR_RETURN(auto rows, store::ListGrants(c, f));
    more = static_cast<int>(rows.size()) > q.limit;
    if (more) rows.pop_back();
    for (const auto& r : rows) {
      QZ_ASSIGN_OR_RETURN(auto g, ci::GrantFromRecord(r));
      items.push_back(ci::GrantRecordToJson(r, g));
      last = r.id;
    }
    return Ok();
  }));
  return json{{"items", std::move(items)},
              {"next_cursor", more ? json(std::to_string(last)) : json(nullptr)}};
}

Result<json> CatalogueService::GetGrant(const AuthUser& user, std::int64_t id) {
  json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto r, store::GetGrant(c, id));
    if (!r) {
      return MakeError(ErrorCode::kNotFound, "赋权" + std::to_string(id) + "不存在",
                       "no grant " + std::to_string(id));
    }
    QZ_ASSIGN_OR_RETURN(auto town, ci::LoadTown(c, r->town_code));
    if (!domain::InScope(user.scope_path, town.town.path)) {
      return ci::OutOfScope("赋权" + std::to_string(id), "grant " + std::to_string(id));
    }
    QZ_ASSIGN_OR_RETURN(auto g, ci::GrantFromRecord(*r));
    out = ci::GrantRecordToJson(*r, g);
    return Ok();
  }));
  return out;
}

Result<json> CatalogueService::ListVersions(const std::string& scope_path,
                                            const std::string& town_code) {
  json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto town, ci::LoadTown(c, town_code));
    if (!domain::InScope(scope_path, town.town.path)) {
      return ci::OutOfScope("镇" + town_code, "town " + town_code);
    }
    QZ_ASSIGN_OR_RETURN(auto versions, store::ListVersions(c, town_code));
    json items = json::array();
    for (const auto& v : versions) items.push_back(ci::VersionToJson(v));
    out = {{"town_code", town_code}, {"town_name", town.town.name}, {"items", std::move(items)}};
    return Ok();
  }));
  return out;
}

Result<json> CatalogueService::PublicTowns(const std::string& cursor, int limit) {
  QZ_TRY(CheckLimit(limit));
  std::vector<store::TownCatalogueRecord> rows;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(rows, store::ListTownCatalogues(c, "all", cursor, limit + 1));
    return Ok();
  }));
  bool more = static_cast<int>(rows.size()) > limit;
  if (more) rows.pop_back();
  json items = json::array();
  for (const auto& t : rows) {
    json j = {{"code", t.code},
              {"name", t.name},
              {"county_code", t.county_code},
              {"is_pilot", t.is_pilot},
              {"version", nullptr},
              {"published_at", nullptr},
              {"item_count", 0},
              {"counts_by_kind", ci::ZeroCountsByKind()},
              {"content_hash", nullptr}};
    if (t.latest) {
      json v = ci::VersionToJson(*t.latest);
      for (const char* k :
           {"version", "published_at", "item_count", "counts_by_kind", "content_hash"}) {
        j[k] = v[k];
      }
    }
    items.push_back(std::move(j));
  }
  return json{{"items", std::move(items)},
              {"next_cursor", more ? json(rows.back().code) : json(nullptr)}};
}

std::optional<CatalogueView> ParseCatalogueView(std::string_view text) {
  if (text == "summary") return CatalogueView::kSummary;
  if (text == "full") return CatalogueView::kFull;
  return std::nullopt;
}

Result<std::shared_ptr<const Rendered>> CatalogueService::TownCatalogueJson(
    const std::string& town_code, std::optional<std::int64_t> version, CatalogueView view) {
  bool full = view == CatalogueView::kFull;
  return CachedOrRender(db_, *cache_, town_code, version, full ? "json-full" : "json-summary",
                        full ? RenderFn(RenderFull) : RenderFn(RenderSummary));
}

Result<std::shared_ptr<const Rendered>> CatalogueService::TownCatalogueItem(
    const std::string& town_code, std::optional<std::int64_t> version,
    const std::string& power_code) {
  return CachedOrRender(
      db_, *cache_, town_code, version, "item|" + power_code,
      [&](const VersionDoc& d) -> Result<std::shared_ptr<Rendered>> {
        QZ_ASSIGN_OR_RETURN(auto full, CachedOrRender(db_, *cache_, town_code, d.v.version,
                                                      "json-full", RenderFull));
        auto span = full->item_spans.find(power_code);
        if (span == full->item_spans.end()) {
          return MakeError(
              ErrorCode::kNotFound,
              "镇" + town_code + "第" + std::to_string(d.v.version) + "版目录中没有事项" +
                  power_code,
              "version " + std::to_string(d.v.version) + " of the catalogue of town " + town_code +
                  " lists no item " + power_code,
              {{"town_code", town_code}, {"version", d.v.version}, {"power_code", power_code}});
        }
        // The item's own keys (sorted), after the catalogue's: the item object
        // without its opening brace.
        json head = {{"catalogue_version", d.v.version}, {"town_code", town_code}};
        std::string body = head.dump();
        body.back() = ',';
        body.append(full->body, span->second.first + 1, span->second.second - 1);
        return MakeRenderedDocument(std::move(body), kJsonType, d.v.content_hash,
                                    VersionTag(d, "item-" + power_code), true);
      },
      false);
}

}  // namespace quanze::app
