// Publishing a town's catalogue (an immutable version), the public documents
// rendered from versions (JSON, CSV, XLSX, diff) with their cache, and the
// master catalogue export.
#include "app/catalogue.h"
#include "app/catalogue_cache.h"
#include "app/catalogue_internal.h"
#include "domain/catalogue_diff.h"
#include "domain/catalogue_io.h"

namespace quanze::app {

using nlohmann::json;
namespace ci = catalogue_internal;

namespace {

// 实施主体: the town government; under entrustment it acts in the name of the
// originating department.
std::string ExercisingBody(const std::string& town_name, const domain::Grant& g,
                           const domain::Power& p) {
  std::string body = town_name + "人民政府";
  if (g.mode == domain::GrantMode::kEntrustment) {
    body += "（受" + p.originating_department + "委托）";
  }
  return body;
}

// Every item of a published version.
Result<std::vector<domain::CatalogueItem>> SnapshotItems(const std::string& items_json) {
  json list = json::parse(items_json, nullptr, false);
  if (!list.is_array()) {
    return MakeError(ErrorCode::kInternal, "已发布目录数据损坏",
                     "a published catalogue is corrupt");
  }
  std::vector<domain::CatalogueItem> items;
  items.reserve(list.size());
  for (const auto& j : list) {
    QZ_ASSIGN_OR_RETURN(auto item, domain::CatalogueItemFromJson(j));
    items.push_back(std::move(item));
  }
  return items;
}

const std::vector<std::string>& ExtraColumns() {
  static const std::vector<std::string> kColumns = {"赋权编号",     "赋权方式",     "实施主体",
                                                    "决定发文机关", "决定文号",     "决定标题",
                                                    "决定日期",     "赋权有效期起", "赋权有效期止"};
  return kColumns;
}

// The town catalogue as a table: the master catalogue columns of
// docs/catalogue.md §4, then the grant's columns (ExtraColumns).
Result<std::vector<std::vector<std::string>>> CatalogueTable(
    const std::vector<domain::CatalogueItem>& items) {
  std::vector<domain::Power> powers;
  powers.reserve(items.size());
  for (const auto& i : items) powers.push_back(i.power);
  std::string csv = domain::WriteCatalogueCsv(powers);
  std::string_view text = csv;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  QZ_ASSIGN_OR_RETURN(auto records, domain::ReadCsv(text));
  if (records.size() != items.size() + 1) {
    return MakeError(ErrorCode::kInternal, "目录表格生成失败",
                     "cannot lay out the catalogue table");
  }
  std::vector<std::vector<std::string>> table;
  table.reserve(records.size());
  table.push_back(std::move(records[0].fields));
  for (const auto& c : ExtraColumns()) table[0].push_back(c);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    std::vector<std::string> row = std::move(records[i + 1].fields);
    row.insert(row.end(),
               {it.grant_id, std::string(domain::GrantModeLabel(it.mode)), it.exercising_body,
                it.decision_doc.issuer, it.decision_doc.number, it.decision_doc.title,
                it.decision_doc.date, it.grant_valid_from, it.grant_valid_to});
    table.push_back(std::move(row));
  }
  return table;
}

std::string TableCsv(const std::vector<std::vector<std::string>>& table) {
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : table) out += domain::WriteCsvRecord(row);
  return out;
}

std::string Tag(const std::string& hash, const std::string& suffix) {
  return "\"" + hash.substr(0, 24) + "-" + suffix + "\"";
}

std::shared_ptr<Rendered> MakeRendered(std::string body, std::string content_type,
                                       const std::string& tag_base, const std::string& tag_suffix,
                                       bool compress) {
  auto r = std::make_shared<Rendered>();
  r->body = std::move(body);
  r->content_type = std::move(content_type);
  r->etag = Tag(tag_base, tag_suffix);
  if (compress && r->body.size() > 1024) {
    r->gzip = Gzip(r->body);
    r->etag_gzip = Tag(tag_base, tag_suffix + "-gz");
  }
  return r;
}

}  // namespace

Result<json> CatalogueService::PublishIn(Tx& tx, const CatalogueCaller& caller,
                                         const std::string& town_code) {
  store::Connection& c = tx.conn();
  QZ_ASSIGN_OR_RETURN(auto town, ci::LoadTown(c, town_code));
  QZ_TRY(ci::CheckScope(tx, caller, town.town.path, "town", town_code));
  QZ_ASSIGN_OR_RETURN(auto grants, store::TownGrantsWithItems(c, town_code, "effective"));
  std::vector<domain::CatalogueItem> items;
  items.reserve(grants.size());
  json counts = ci::ZeroCountsByKind();
  for (const auto& gi : grants) {
    QZ_ASSIGN_OR_RETURN(auto power, domain::PowerFromJson(json::parse(gi.item, nullptr, false)));
    QZ_ASSIGN_OR_RETURN(auto grant, ci::GrantFromRecord(gi.grant));
    std::string body = ExercisingBody(town.town.name, grant, power);
    counts[std::string(domain::PowerKindCode(power.kind))] =
        counts[std::string(domain::PowerKindCode(power.kind))].get<std::int64_t>() + 1;
    items.push_back(domain::MakeCatalogueItem(power, grant, std::move(body)));
  }
  std::string hash = ci::Sha256Hex(domain::CanonicalCatalogueContent(items));
  QZ_ASSIGN_OR_RETURN(auto latest, store::LatestVersion(c, town_code));
  if (latest && latest->content_hash == hash) {
    return MakeError(ErrorCode::kConflict,
                     "与第" + std::to_string(latest->version) + "版相比没有变化，未发布新版本",
                     "nothing changed since version " + std::to_string(latest->version) +
                         "; no new version was published",
                     {{"version", latest->version}, {"content_hash", hash}});
  }
  if (!latest && items.empty()) {
    return MakeError(ErrorCode::kConflict, "镇" + town_code + "还没有已生效的赋权，无可发布",
                     "town " + town_code + " has no effective grant to publish");
  }
  // The content comparison is done above (by hash); the domain numbers the
  // version and checks the items.
  domain::CatalogueVersion previous{
      town_code, latest ? static_cast<int>(latest->version) : 0, "", {}};
  std::string published_at = FormatRfc3339(tx.now());
  bool use_previous = latest && !items.empty();
  QZ_ASSIGN_OR_RETURN(auto version,
                      domain::PrepareCatalogueVersion(use_previous ? &previous : nullptr, town_code,
                                                      std::move(items), published_at));
  if (latest && !use_previous) version.number = static_cast<int>(latest->version) + 1;

  std::string snapshot = "[";
  for (std::size_t i = 0; i < version.items.size(); ++i) {
    if (i) snapshot += ",";
    snapshot += domain::CatalogueItemToJson(version.items[i]).dump();
  }
  snapshot += "]";
  store::VersionRecord v;
  v.town_code = town_code;
  v.version = version.number;
  v.published_at = published_at;
  v.items = std::move(snapshot);
  v.content_hash = hash;
  v.item_count = static_cast<std::int64_t>(version.items.size());
  v.counts = counts.dump();
  QZ_ASSIGN_OR_RETURN(
      auto receipt,
      tx.Append({"catalogue.published",
                 caller.actor,
                 "town",
                 town_code,
                 {{"town_code", town_code},
                  {"version", v.version},
                  {"previous_version", latest ? json(latest->version) : json(nullptr)},
                  {"published_at", published_at},
                  {"content_hash", hash},
                  {"item_count", v.item_count},
                  {"counts_by_kind", counts}}}));
  v.ledger_index = receipt.index;
  QZ_TRY(store::InsertVersion(c, v, tx.now_seconds()));
  json out = ci::VersionToJson(v);
  out["town_code"] = town_code;
  out["town_name"] = town.town.name;
  return out;
}

Writer::Work CatalogueService::Publish(CatalogueCaller caller, std::string town_code) const {
  return [caller = std::move(caller), town_code = std::move(town_code)](Tx& tx) {
    return PublishIn(tx, caller, town_code);
  };
}

Result<std::shared_ptr<const Rendered>> CatalogueService::TownCatalogue(
    const std::string& town_code, std::optional<std::int64_t> version, CatalogueFormat format) {
  std::string fmt(CatalogueFormatCode(format));
  if (version) {
    if (auto hit = cache_->Get(town_code + "|" + std::to_string(*version) + "|" + fmt)) return hit;
  }
  std::optional<store::VersionRecord> v;
  std::optional<ci::TownFacts> town;
  std::string county_name;
  std::shared_ptr<const Rendered> hit;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    if (!version) {
      QZ_ASSIGN_OR_RETURN(auto latest, store::LatestVersion(c, town_code));
      if (latest) {
        hit = cache_->Get(town_code + "|" + std::to_string(latest->version) + "|" + fmt);
        if (hit) return Ok();
        version = latest->version;
      }
    }
    QZ_ASSIGN_OR_RETURN(town, ci::LoadTown(c, town_code));
    if (!version) {
      return MakeError(ErrorCode::kNotFound, "镇" + town_code + "尚未发布赋权目录",
                       "town " + town_code + " has not published a catalogue");
    }
    QZ_ASSIGN_OR_RETURN(v, store::GetVersion(c, town_code, *version, true));
    if (!v) {
      return MakeError(
          ErrorCode::kNotFound, "镇" + town_code + "没有第" + std::to_string(*version) + "版目录",
          "town " + town_code + " has no catalogue version " + std::to_string(*version));
    }
    QZ_ASSIGN_OR_RETURN(auto county, store::GetRegion(c, town->county_code));
    if (county) county_name = county->name;
    return Ok();
  }));
  if (hit) return hit;

  std::string stem = town_code + "-catalogue-v" + std::to_string(v->version);
  std::shared_ptr<Rendered> r;
  if (format == CatalogueFormat::kJson) {
    json head = {{"town_code", town_code},
                 {"town_name", town->town.name},
                 {"county_code", town->county_code},
                 {"county_name", county_name},
                 {"exercising_body", town->town.name + "人民政府"},
                 {"is_demo", town->town.is_demo}};
    json version_json = ci::VersionToJson(*v);
    for (auto it = version_json.begin(); it != version_json.end(); ++it)
      head[it.key()] = it.value();
    std::string body = head.dump();
    body.pop_back();  // the closing brace: the items follow
    body += ",\"items\":" + v->items + "}";
    r = MakeRendered(std::move(body), "application/json; charset=utf-8", v->content_hash,
                     "v" + std::to_string(v->version) + "-json", true);
  } else {
    QZ_ASSIGN_OR_RETURN(auto items, SnapshotItems(v->items));
    QZ_ASSIGN_OR_RETURN(auto table, CatalogueTable(items));
    if (format == CatalogueFormat::kCsv) {
      r = MakeRendered(TableCsv(table), "text/csv; charset=utf-8", v->content_hash,
                       "v" + std::to_string(v->version) + "-csv", true);
      r->filename = stem + ".csv";
    } else {
      QZ_ASSIGN_OR_RETURN(std::string xlsx, ci::RenderXlsx(table, "赋权目录"));
      r = MakeRendered(std::move(xlsx),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       v->content_hash, "v" + std::to_string(v->version) + "-xlsx", false);
      r->filename = stem + ".xlsx";
    }
  }
  cache_->Put(town_code + "|" + std::to_string(v->version) + "|" + fmt, r);
  return std::shared_ptr<const Rendered>(std::move(r));
}

Result<std::shared_ptr<const Rendered>> CatalogueService::TownCatalogueDiff(
    const std::string& town_code, std::int64_t from, std::int64_t to) {
  std::string key = town_code + "|" + std::to_string(from) + ".." + std::to_string(to) + "|diff";
  if (auto hit = cache_->Get(key)) return hit;
  std::optional<store::VersionRecord> a, b;
  std::string town_name;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto town, ci::LoadTown(c, town_code));
    town_name = town.town.name;
    QZ_ASSIGN_OR_RETURN(a, store::GetVersion(c, town_code, from, true));
    QZ_ASSIGN_OR_RETURN(b, store::GetVersion(c, town_code, to, true));
    for (auto [v, n] : {std::pair{&a, from}, std::pair{&b, to}}) {
      if (!*v) {
        return MakeError(ErrorCode::kNotFound,
                         "镇" + town_code + "没有第" + std::to_string(n) + "版目录",
                         "town " + town_code + " has no catalogue version " + std::to_string(n));
      }
    }
    return Ok();
  }));
  QZ_ASSIGN_OR_RETURN(auto items_a, SnapshotItems(a->items));
  QZ_ASSIGN_OR_RETURN(auto items_b, SnapshotItems(b->items));
  domain::CatalogueDiff diff = domain::DiffCatalogues(items_a, items_b);
  json body = domain::CatalogueDiffToJson(diff);
  body["town_code"] = town_code;
  body["town_name"] = town_name;
  body["from"] = ci::VersionToJson(*a);
  body["to"] = ci::VersionToJson(*b);
  body["summary"] = {{"added", diff.added.size()},
                     {"removed", diff.removed.size()},
                     {"changed", diff.changed.size()}};
  auto r = MakeRendered(body.dump(-1, ' ', false, json::error_handler_t::replace),
                        "application/json; charset=utf-8",
                        a->content_hash.substr(0, 12) + b->content_hash.substr(0, 12),
                        "diff-" + std::to_string(from) + "-" + std::to_string(to), true);
  cache_->Put(key, r);
  return std::shared_ptr<const Rendered>(std::move(r));
}

Result<std::string> CatalogueService::ExportMaster(const std::string& province_code,
                                                   CatalogueFormat format) {
  if (format == CatalogueFormat::kXlsx) {
    return MakeError(ErrorCode::kBadRequest, "通用目录只能导出为 csv 或 json",
                     "a master catalogue is exported as csv or json");
  }
  std::map<std::string, std::string> items;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_TRY(ci::LoadProvince(c, province_code));
    QZ_ASSIGN_OR_RETURN(items, store::PowerItems(c, province_code));
    return Ok();
  }));
  std::vector<domain::Power> powers;
  powers.reserve(items.size());
  for (const auto& [code, item] : items) {
    QZ_ASSIGN_OR_RETURN(auto p, domain::PowerFromJson(json::parse(item, nullptr, false)));
    powers.push_back(std::move(p));
  }
  return format == CatalogueFormat::kCsv ? domain::WriteCatalogueCsv(powers)
                                         : domain::WriteCatalogueJson(powers);
}

}  // namespace quanze::app
