// Preconditions of a grant that depend on facts outside the grant itself:
// reform batches (a town outside any batch cannot receive grants) and the
// province master catalogue (a county may only select items from it).
#include <algorithm>
#include <set>

#include "domain/grant.h"

namespace quanze::domain {
namespace {

using nlohmann::json;

constexpr int kReformHorizonMonths = 36;  // "3年左右" (POLICY-FACTS §2)

void Add(json& list, std::string field, std::string zh, std::string en) {
  list.push_back(
      {{"field", std::move(field)}, {"reason_zh", std::move(zh)}, {"reason_en", std::move(en)}});
}

json StructuralErrors(const ReformBatch& b) {
  json errors = json::array();
  if (b.id.empty()) Add(errors, "id", "批次编号不能为空", "id is required");
  if (b.province_code.empty()) {
    Add(errors, "province_code", "省级区划代码不能为空", "province_code is required");
  }
  if (b.name.empty()) Add(errors, "name", "批次名称不能为空", "name is required");
  bool start_ok = isodate::Valid(b.start_date);
  if (!start_ok) {
    Add(errors, "start_date", "开始日期须为YYYY-MM-DD格式的日期",
        "start_date must be a date in YYYY-MM-DD form");
  }
  std::set<std::string> indicators;
  for (size_t i = 0; i < b.criteria.size(); ++i) {
    std::string f = "criteria[" + std::to_string(i) + "].indicator";
    if (b.criteria[i].indicator.empty()) {
      Add(errors, f, "指标不能为空", "indicator is required");
    } else if (!indicators.insert(b.criteria[i].indicator).second) {
      Add(errors, f, "指标重复：" + b.criteria[i].indicator,
          "indicator repeated: " + b.criteria[i].indicator);
    }
  }
  std::set<std::string> towns;
  for (size_t i = 0; i < b.towns.size(); ++i) {
    std::string f = "towns[" + std::to_string(i) + "].town_code";
    if (b.towns[i].town_code.empty()) {
      Add(errors, f, "镇区划代码不能为空", "town_code is required");
    } else if (!towns.insert(b.towns[i].town_code).second) {
      Add(errors, f, "入选镇重复：" + b.towns[i].town_code,
          "town listed twice: " + b.towns[i].town_code);
    }
  }
  std::string horizon_end = start_ok ? isodate::AddMonths(b.start_date, kReformHorizonMonths) : "";
  for (size_t i = 0; i < b.milestones.size(); ++i) {
    const auto& m = b.milestones[i];
    std::string f = "milestones[" + std::to_string(i) + "]";
    if (m.title.empty()) Add(errors, f + ".title", "节点名称不能为空", "title is required");
    if (!isodate::Valid(m.date)) {
      Add(errors, f + ".date", "节点日期须为YYYY-MM-DD格式的日期",
          "date must be a date in YYYY-MM-DD form");
    } else if (start_ok && !isodate::Within(m.date, b.start_date, horizon_end)) {
      Add(errors, f + ".date", "节点日期须在改革期（" + b.start_date + "至" + horizon_end + "）内",
          "milestone must fall within the 3-year horizon (" + b.start_date + " to " + horizon_end +
              ")");
    }
  }
  return errors;
}

}  // namespace

Status ValidateReformBatch(const ReformBatch& b) {
  json errors = StructuralErrors(b);
  if (!errors.empty()) {
    // Messages first: the detail below takes `errors` by move.
    std::string zh = "改革批次" + b.id + "无效：" + errors[0]["reason_zh"].get<std::string>();
    std::string en = "reform batch " + b.id +
                     " is invalid: " + errors[0]["field"].get<std::string>() + ": " +
                     errors[0]["reason_en"].get<std::string>();
    return MakeError(ErrorCode::kValidation, std::move(zh), std::move(en),
                     {{"errors", std::move(errors)}});
  }
  json failures = json::array();
  for (const auto& town : b.towns) {
    for (const auto& c : b.criteria) {
      auto it = town.indicators.find(c.indicator);
      if (it == town.indicators.end()) {
        failures.push_back({{"town_code", town.town_code},
                            {"indicator", c.indicator},
                            {"value", nullptr},
                            {"threshold", c.threshold}});
        continue;
      }
      bool meets = c.comparison == Comparison::kAtLeast ? it->second >= c.threshold
                                                        : it->second <= c.threshold;
      if (!meets) {
        failures.push_back({{"town_code", town.town_code},
                            {"indicator", c.indicator},
                            {"value", it->second},
                            {"threshold", c.threshold}});
      }
    }
  }
  if (failures.empty()) return Ok();
  const json& f = failures[0];
  std::string town = f["town_code"].get<std::string>();
  std::string indicator = f["indicator"].get<std::string>();
  std::string count = std::to_string(failures.size());
  return MakeError(ErrorCode::kRuleViolation,
                   "入选镇" + town + "的指标“" + indicator + "”未达到遴选标准（共" + count + "处）",
                   "town " + town + " misses the selection threshold on " + indicator + " (" +
                       count + " failure(s) in all)",
                   {{"failures", std::move(failures)}});
}

Status CheckTownInBatch(std::string_view town_code, std::string_view batch_id,
                        const std::vector<ReformBatch>& batches) {
  json batches_of_town = json::array();
  bool ok = false;
  for (const auto& b : batches) {
    bool listed = std::any_of(b.towns.begin(), b.towns.end(),
                              [&](const BatchTown& t) { return t.town_code == town_code; });
    if (!listed) continue;
    batches_of_town.push_back(b.id);
    if (b.id == batch_id) ok = true;
  }
  if (ok) return Ok();
  std::string town(town_code), batch(batch_id);
  json detail = {{"town_code", town}, {"batch_id", batch}, {"batches_of_town", batches_of_town}};
  if (batches_of_town.empty()) {
    return MakeError(ErrorCode::kRuleViolation, "镇" + town + "未列入任何改革批次，不能承接赋权",
                     "town " + town + " is in no reform batch and cannot receive grants",
                     std::move(detail));
  }
  return MakeError(ErrorCode::kRuleViolation, "镇" + town + "不在改革批次" + batch + "中",
                   "town " + town + " is not in reform batch " + batch, std::move(detail));
}

Status CheckPowerInMasterCatalogue(std::string_view power_code,
                                   std::string_view county_province_code,
                                   const MasterCatalogue& master, std::string_view on_date) {
  std::string code(power_code), province(county_province_code);
  if (master.province_code != county_province_code) {
    return MakeError(ErrorCode::kRuleViolation,
                     "县所在省（" + province + "）与通用目录所属省（" + master.province_code +
                         "）不一致：县只能从本省通用目录中选取事项",
                     "the county's province (" + province + ") is not the catalogue's (" +
                         master.province_code +
                         "): a county may only select from its own province's master catalogue",
                     {{"power_code", code},
                      {"county_province_code", province},
                      {"catalogue_province_code", master.province_code}});
  }
  auto it = std::find_if(master.powers.begin(), master.powers.end(),
                         [&](const Power& p) { return p.code == power_code; });
  if (it == master.powers.end()) {
    return MakeError(ErrorCode::kRuleViolation, "事项" + code + "不在本省通用目录中",
                     "power " + code + " is not in the province master catalogue",
                     {{"power_code", code}, {"province_code", province}});
  }
  if (!isodate::Within(on_date, it->valid_from, it->valid_to)) {
    return MakeError(ErrorCode::kRuleViolation,
                     "事项" + code + "在" + std::string(on_date) + "不在有效期内",
                     "power " + code + " is not valid on " + std::string(on_date),
                     {{"power_code", code},
                      {"on_date", std::string(on_date)},
                      {"valid_from", it->valid_from},
                      {"valid_to", it->valid_to}});
  }
  return Ok();
}

}  // namespace quanze::domain
