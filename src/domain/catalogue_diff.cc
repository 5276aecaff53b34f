#include "domain/catalogue_diff.h"

#include <algorithm>
#include <map>
#include <set>

namespace quanze::domain {
namespace {

using nlohmann::json;

constexpr const char* kGrantKeys[] = {
    "grant_id", "mode", "exercising_body", "decision_doc", "grant_valid_from", "grant_valid_to"};

void Flatten(const json& j, const std::string& prefix, std::map<std::string, json>& out) {
  if (j.is_object() && !j.empty()) {
    for (const auto& [k, v] : j.items()) Flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    return;
  }
  out[prefix] = j;
}

std::map<std::string, const CatalogueItem*> ByCode(const std::vector<CatalogueItem>& items) {
  std::map<std::string, const CatalogueItem*> m;
  for (const auto& i : items) m.emplace(i.power.code, &i);  // first occurrence wins
  return m;
}

std::string Str(const json& obj, const char* key, std::vector<FieldError>& errors) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_string()) {
    errors.push_back({key, "须为字符串", "must be a string"});
    return {};
  }
  return it->get<std::string>();
}

}  // namespace

CatalogueItem MakeCatalogueItem(const Power& power, const Grant& grant,
                                std::string exercising_body) {
  return CatalogueItem{power,
                       grant.id,
                       grant.mode,
                       std::move(exercising_body),
                       grant.decision_doc,
                       grant.valid_from,
                       grant.valid_to};
}

json CatalogueItemToJson(const CatalogueItem& item) {
  json j = PowerToJson(item.power);
  j["grant_id"] = item.grant_id;
  j["mode"] = std::string(GrantModeCode(item.mode));
  j["exercising_body"] = item.exercising_body;
  j["decision_doc"] = {{"issuer", item.decision_doc.issuer},
                       {"number", item.decision_doc.number},
                       {"title", item.decision_doc.title},
                       {"date", item.decision_doc.date}};
  j["grant_valid_from"] = item.grant_valid_from;
  j["grant_valid_to"] = item.grant_valid_to.empty() ? json(nullptr) : json(item.grant_valid_to);
  return j;
}

Result<CatalogueItem> CatalogueItemFromJson(const json& j) {
  if (!j.is_object()) {
    return MakeError(ErrorCode::kValidation, "目录事项须为JSON对象",
                     "a catalogue item must be a JSON object");
  }
  json power_part = j;
  for (const char* k : kGrantKeys) power_part.erase(k);
  PowerReading reading = ReadPowerJson(power_part);
  CatalogueItem item;
  item.power = std::move(reading.power);
  std::vector<FieldError>& errors = reading.errors;
  item.grant_id = Str(j, "grant_id", errors);
  std::string mode = Str(j, "mode", errors);
  if (auto m = ParseGrantMode(mode)) {
    item.mode = *m;
  } else {
    errors.push_back({"mode", "赋权方式须为delegation或entrustment",
                      "mode must be \"delegation\" or \"entrustment\""});
  }
  item.exercising_body = Str(j, "exercising_body", errors);
  if (auto it = j.find("decision_doc"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) {
      errors.push_back({"decision_doc", "须为JSON对象", "must be a JSON object"});
    } else {
      item.decision_doc = {Str(*it, "issuer", errors), Str(*it, "number", errors),
                           Str(*it, "title", errors), Str(*it, "date", errors)};
    }
  }
  item.grant_valid_from = Str(j, "grant_valid_from", errors);
  item.grant_valid_to = Str(j, "grant_valid_to", errors);
  if (errors.empty()) return item;
  json list = json::array();
  for (const auto& e : errors) {
    list.push_back({{"field", e.field}, {"reason_zh", e.reason_zh}, {"reason_en", e.reason_en}});
  }
  return MakeError(ErrorCode::kValidation,
                   "目录事项JSON无效：" + errors[0].field + "：" + errors[0].reason_zh,
                   "invalid catalogue item JSON: " + errors[0].field + ": " + errors[0].reason_en,
                   {{"errors", std::move(list)}});
}

CatalogueDiff DiffCatalogues(const std::vector<CatalogueItem>& from,
                             const std::vector<CatalogueItem>& to) {
  CatalogueDiff diff;
  auto before = ByCode(from);
  auto after = ByCode(to);
  for (const auto& [code, item] : before) {
    if (!after.count(code)) diff.removed.push_back(*item);
  }
  for (const auto& [code, item] : after) {
    auto it = before.find(code);
    if (it == before.end()) {
      diff.added.push_back(*item);
      continue;
    }
    if (*it->second == *item) continue;
    std::map<std::string, json> a, b;
    Flatten(CatalogueItemToJson(*it->second), "", a);
    Flatten(CatalogueItemToJson(*item), "", b);
    std::set<std::string> keys;
    for (const auto& [k, v] : a) keys.insert(k);
    for (const auto& [k, v] : b) keys.insert(k);
    ItemChange change{code, {}};
    for (const auto& k : keys) {
      json va = a.count(k) ? a[k] : json(nullptr);
      json vb = b.count(k) ? b[k] : json(nullptr);
      if (va != vb) change.fields.push_back({k, std::move(va), std::move(vb)});
    }
    if (!change.fields.empty()) diff.changed.push_back(std::move(change));
  }
  return diff;
}

json CatalogueDiffToJson(const CatalogueDiff& diff) {
  json added = json::array(), removed = json::array(), changed = json::array();
  for (const auto& i : diff.added) added.push_back(CatalogueItemToJson(i));
  for (const auto& i : diff.removed) removed.push_back(CatalogueItemToJson(i));
  for (const auto& c : diff.changed) {
    json fields = json::array();
    for (const auto& f : c.fields) {
      fields.push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
    }
    changed.push_back({{"code", c.code}, {"fields", std::move(fields)}});
  }
  return {{"added", std::move(added)},
          {"removed", std::move(removed)},
          {"changed", std::move(changed)}};
}

std::string CanonicalCatalogueContent(const std::vector<CatalogueItem>& items) {
  std::vector<const CatalogueItem*> sorted;
  for (const auto& i : items) sorted.push_back(&i);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* x, const auto* y) { return x->power.code < y->power.code; });
  std::string out = "quanze-catalogue-v1\n";
  for (const auto* i : sorted) {
    // nlohmann::json objects are std::map-backed: keys come out sorted.
    out += CatalogueItemToJson(*i).dump(-1, ' ', false, json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

Result<CatalogueVersion> PrepareCatalogueVersion(const CatalogueVersion* previous,
                                                 std::string town_code,
                                                 std::vector<CatalogueItem> items,
                                                 std::string published_at) {
  if (previous && previous->town_code != town_code) {
    return MakeError(
        ErrorCode::kBadRequest, "上一版本属于镇" + previous->town_code + "，不是镇" + town_code,
        "the previous version belongs to town " + previous->town_code + ", not " + town_code);
  }
  json errors = json::array();
  std::set<std::string> seen;
  for (const auto& item : items) {
    if (!seen.insert(item.power.code).second) {
      errors.push_back({{"code", item.power.code},
                        {"field", "code"},
                        {"reason_zh", "事项编码重复"},
                        {"reason_en", "code is repeated"}});
    }
    for (const auto& e : ValidatePowerFields(item.power)) {
      errors.push_back({{"code", item.power.code},
                        {"field", e.field},
                        {"reason_zh", e.reason_zh},
                        {"reason_en", e.reason_en}});
    }
  }
  if (!errors.empty()) {
    std::string count = std::to_string(errors.size());  // before `errors` is moved
    return MakeError(ErrorCode::kValidation, "目录有" + count + "处问题，未发布",
                     "the list has " + count + " problem(s); nothing was published",
                     {{"errors", std::move(errors)}});
  }
  std::sort(items.begin(), items.end(),
            [](const auto& x, const auto& y) { return x.power.code < y.power.code; });
  if (previous && CanonicalCatalogueContent(previous->items) == CanonicalCatalogueContent(items)) {
    return MakeError(ErrorCode::kConflict,
                     "与第" + std::to_string(previous->number) + "版相比没有变化，无需发布新版本",
                     "nothing changed since version " + std::to_string(previous->number),
                     {{"version", previous->number}});
  }
  return CatalogueVersion{std::move(town_code), previous ? previous->number + 1 : 1,
                          std::move(published_at), std::move(items)};
}

}  // namespace quanze::domain
