// The province master catalogue import and the reform batches (改革批次).
#include "app/catalogue.h"
#include "app/catalogue_internal.h"

namespace quanze::app {

using nlohmann::json;
namespace ci = catalogue_internal;

namespace {

std::map<std::string, double> RegionIndicators(const store::RegionRecord& r) {
  std::map<std::string, double> out;
  json j = json::parse(r.indicators, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) {
    if (v.is_number()) out[k] = v.get<double>();
  }
  return out;
}

// Fills a selected town from its region: the name, the indicators when none
// were given, the score when none was given (SelectionScore). kValidation when
// the town is not in the batch's province.
Result<domain::BatchTown> CompleteTown(store::Connection& c, const domain::ReformBatch& batch,
                                       domain::BatchTown t) {
  QZ_ASSIGN_OR_RETURN(auto town, ci::LoadTown(c, t.town_code));
  if (town.province_code != batch.province_code) {
    return MakeError(
        ErrorCode::kValidation, "镇" + t.town_code + "不属于批次所在省" + batch.province_code,
        "town " + t.town_code + " is not in the batch's province " + batch.province_code,
        {{"errors", json::array({{{"field", "town_code"},
                                  {"reason_zh", "不属于本省"},
                                  {"reason_en", "not in the province"}}})}});
  }
  t.town_name = town.town.name;
  if (t.indicators.empty()) t.indicators = RegionIndicators(town.town);
  if (t.score < 0) t.score = domain::SelectionScore(batch.criteria, t.indicators);
  return t;
}

json TownSelection(const domain::BatchTown& t) {
  json j = domain::BatchTownToJson(t);
  return {{"indicators", j["indicators"]}, {"score", t.score}};
}

}  // namespace

namespace catalogue_internal {

Result<domain::ReformBatch> LoadReformBatch(store::Connection& c, const store::BatchRecord& r) {
  domain::ReformBatch b;
  b.id = std::to_string(r.id);
  b.province_code = r.province_code;
  b.name = r.name;
  b.start_date = r.start_date;
  QZ_ASSIGN_OR_RETURN(b.criteria,
                      domain::CriteriaFromJson(json::parse(r.criteria, nullptr, false)));
  QZ_ASSIGN_OR_RETURN(b.milestones,
                      domain::MilestonesFromJson(json::parse(r.milestones, nullptr, false)));
  QZ_ASSIGN_OR_RETURN(auto towns, store::ListBatchTowns(c, r.id));
  for (const auto& t : towns) {
    json sel = json::parse(t.selection, nullptr, false);
    domain::BatchTown bt{t.town_code, t.town_name, {}, 0};
    if (sel.is_object()) {
      json indicators = sel.value("indicators", json::object());
      for (const auto& [k, v] : indicators.items()) {
        if (v.is_number()) bt.indicators[k] = v.get<double>();
      }
      if (sel.contains("score") && sel["score"].is_number()) bt.score = sel["score"].get<double>();
    }
    b.towns.push_back(std::move(bt));
  }
  return b;
}

json BatchToApiJson(const domain::ReformBatch& b, std::int64_t id) {
  json j = domain::ReformBatchToJson(b);
  j["id"] = id;
  j["town_count"] = b.towns.size();
  if (domain::isodate::Valid(b.start_date)) {
    j["end_date"] = domain::isodate::AddMonths(b.start_date, 36);
  }
  return j;
}

}  // namespace catalogue_internal

Writer::Work CatalogueService::ImportMaster(CatalogueCaller caller, std::string province_code,
                                            ParsedCatalogue parsed) const {
  return [caller = std::move(caller), province_code = std::move(province_code),
          parsed = std::move(parsed)](Tx& tx) -> Result<json> {
    store::Connection& c = tx.conn();
    QZ_ASSIGN_OR_RETURN(auto province, ci::LoadProvince(c, province_code));
    QZ_TRY(ci::CheckScope(tx, caller, province.path, "province", province_code));
    QZ_ASSIGN_OR_RETURN(auto existing, store::PowerItems(c, province_code));
    json added = json::array(), updated = json::array();
    std::int64_t unchanged = 0;
    for (const domain::Power& p : parsed.powers) {
      std::string item = domain::PowerToJson(p).dump(-1, ' ', false, json::error_handler_t::strict);
      auto it = existing.find(p.code);
      if (it != existing.end() && it->second == item) {
        ++unchanged;
        continue;
      }
      (it == existing.end() ? added : updated).push_back(p.code);
      store::PowerRecord r;
      r.province_code = province_code;
      r.code = p.code;
      r.name = p.name;
      r.kind = std::string(domain::PowerKindCode(p.kind));
      r.department = p.originating_department;
      if (!p.parent_code.empty()) r.parent_code = p.parent_code;
      r.version = p.version;
      r.valid_from = p.valid_from;
      if (!p.valid_to.empty()) r.valid_to = p.valid_to;
      r.item = std::move(item);
      QZ_TRY(store::UpsertPower(c, r, tx.now_seconds()));
    }
    std::int64_t total = static_cast<std::int64_t>(existing.size() + added.size());
    json summary = {{"province_code", province_code},
                    {"format", parsed.format},
                    {"source_sha256", parsed.source_sha256},
                    {"bytes", parsed.bytes},
                    {"items", parsed.powers.size()},
                    {"added", added.size()},
                    {"updated", updated.size()},
                    {"unchanged", unchanged},
                    {"total", total}};
    json data = summary;
    data["added_codes"] = added;
    data["updated_codes"] = updated;
    QZ_TRY(tx.Append({"catalogue.imported", caller.actor, "province", province_code, data}));
    summary["added_codes"] = std::move(added);
    summary["updated_codes"] = std::move(updated);
    return summary;
  };
}

Writer::Work CatalogueService::CreateBatch(CatalogueCaller caller,
                                           domain::ReformBatch batch) const {
  return [caller = std::move(caller), batch = std::move(batch)](Tx& tx) mutable -> Result<json> {
    store::Connection& c = tx.conn();
    QZ_ASSIGN_OR_RETURN(auto province, ci::LoadProvince(c, batch.province_code));
    QZ_TRY(ci::CheckScope(tx, caller, province.path, "province", batch.province_code));
    QZ_ASSIGN_OR_RETURN(auto others, store::ListBatches(c, batch.province_code));
    for (const auto& o : others) {
      if (o.name == batch.name) {
        return MakeError(ErrorCode::kConflict, "本省已有名为“" + batch.name + "”的改革批次",
                         "the province already has a reform batch named '" + batch.name + "'",
                         {{"batch_id", o.id}});
      }
    }
    for (auto& t : batch.towns) {
      QZ_ASSIGN_OR_RETURN(t, CompleteTown(c, batch, std::move(t)));
    }
    batch.id = "new";
    QZ_TRY(domain::ValidateReformBatch(batch));
    json criteria = json::array(), milestones = json::array();
    for (const auto& x : batch.criteria) criteria.push_back(domain::SelectionCriterionToJson(x));
    for (const auto& m : batch.milestones) milestones.push_back(domain::MilestoneToJson(m));
    store::BatchRecord r{0,
                         batch.province_code,
                         batch.name,
                         batch.start_date,
                         criteria.dump(),
                         milestones.dump(),
                         tx.now_seconds()};
    QZ_ASSIGN_OR_RETURN(std::int64_t id, store::InsertBatch(c, r, tx.now_seconds()));
    for (const auto& t : batch.towns) {
      QZ_TRY(store::InsertBatchTown(c, {id, t.town_code, t.town_name, TownSelection(t).dump()},
                                    tx.now_seconds()));
    }
    batch.id = std::to_string(id);
    json out = ci::BatchToApiJson(batch, id);
    QZ_TRY(tx.Append({"batch.created", caller.actor, "batch", batch.id, out}));
    return out;
  };
}

Writer::Work CatalogueService::AddBatchTowns(CatalogueCaller caller, std::int64_t batch_id,
                                             std::vector<domain::BatchTown> towns) const {
  return [caller = std::move(caller), batch_id, towns = std::move(towns)](Tx& tx) -> Result<json> {
    store::Connection& c = tx.conn();
    QZ_ASSIGN_OR_RETURN(auto record, store::GetBatch(c, batch_id));
    if (!record) {
      return MakeError(ErrorCode::kNotFound, "改革批次" + std::to_string(batch_id) + "不存在",
                       "no reform batch " + std::to_string(batch_id));
    }
    QZ_ASSIGN_OR_RETURN(auto province, ci::LoadProvince(c, record->province_code));
    QZ_TRY(ci::CheckScope(tx, caller, province.path, "batch", std::to_string(batch_id)));
    if (towns.empty()) {
      return MakeError(ErrorCode::kValidation, "请列出要加入批次的镇", "list the towns to add");
    }
    QZ_ASSIGN_OR_RETURN(auto batch, ci::LoadReformBatch(c, *record));
    json added = json::array();
    for (domain::BatchTown t : towns) {
      for (const auto& existing : batch.towns) {
        if (existing.town_code == t.town_code) {
          return MakeError(ErrorCode::kConflict, "镇" + t.town_code + "已在本批次中",
                           "town " + t.town_code + " is already in this batch",
                           {{"town_code", t.town_code}});
        }
      }
      QZ_ASSIGN_OR_RETURN(t, CompleteTown(c, batch, std::move(t)));
      batch.towns.push_back(t);
      added.push_back(domain::BatchTownToJson(t));
    }
    QZ_TRY(domain::ValidateReformBatch(batch));
    for (std::size_t i = batch.towns.size() - towns.size(); i < batch.towns.size(); ++i) {
      const auto& t = batch.towns[i];
      QZ_TRY(store::InsertBatchTown(
          c, {batch_id, t.town_code, t.town_name, TownSelection(t).dump()}, tx.now_seconds()));
    }
    QZ_TRY(tx.Append({"batch.towns_added",
                      caller.actor,
                      "batch",
                      batch.id,
                      {{"batch_id", batch_id}, {"towns", added}}}));
    return ci::BatchToApiJson(batch, batch_id);
  };
}

}  // namespace quanze::app
