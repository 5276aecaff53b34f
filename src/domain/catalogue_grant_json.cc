#include "domain/catalogue_grant_json.h"

#include <cmath>
#include <set>

namespace quanze::domain {
namespace {

using nlohmann::json;

// Collects problems while reading one JSON value.
class Reader {
 public:
  void Fail(const std::string& field, std::string zh, std::string en) {
    errors_.push_back(
        {{"field", field}, {"reason_zh", std::move(zh)}, {"reason_en", std::move(en)}});
  }
  bool ok() const { return errors_.empty(); }

  // Unknown keys of `obj` are errors.
  void OnlyKeys(const json& obj, std::initializer_list<const char*> keys, const std::string& at) {
    for (const auto& [k, v] : obj.items()) {
      bool known = false;
      for (const char* key : keys) known = known || k == key;
      if (!known) Fail(Join(at, k), "未知字段", "unknown field");
    }
  }
  bool Object(const json& j, const std::string& field) {
    if (j.is_object()) return true;
    Fail(field.empty() ? "$" : field, "须为JSON对象", "must be a JSON object");
    return false;
  }
  std::string Str(const json& obj, const char* key, const std::string& at, bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) Fail(Join(at, key), "不能为空", "is required");
      return {};
    }
    if (!it->is_string()) {
      Fail(Join(at, key), "须为字符串", "must be a string");
      return {};
    }
    std::string s = it->get<std::string>();
    if (required && s.empty()) Fail(Join(at, key), "不能为空", "is required");
    return s;
  }
  std::string Date(const json& obj, const char* key, const std::string& at, bool required) {
    std::string s = Str(obj, key, at, required);
    if (!s.empty() && !isodate::Valid(s)) {
      Fail(Join(at, key), "须为YYYY-MM-DD格式的日期", "must be a date in YYYY-MM-DD form");
    }
    return s;
  }
  std::optional<double> Number(const json& obj, const char* key, const std::string& at,
                               bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) Fail(Join(at, key), "不能为空", "is required");
      return std::nullopt;
    }
    if (!it->is_number() || !std::isfinite(it->get<double>())) {
      Fail(Join(at, key), "须为数值", "must be a number");
      return std::nullopt;
    }
    return it->get<double>();
  }
  std::optional<bool> Bool(const json& obj, const char* key, const std::string& at) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) {
      Fail(Join(at, key), "须为true或false", "must be true or false");
      return std::nullopt;
    }
    return it->get<bool>();
  }

  Error Finish(const std::string& what_zh, const std::string& what_en) {
    std::string zh = what_zh + "无效：" + errors_[0]["field"].get<std::string>() + "：" +
                     errors_[0]["reason_zh"].get<std::string>();
    std::string en = what_en + " is invalid: " + errors_[0]["field"].get<std::string>() + ": " +
                     errors_[0]["reason_en"].get<std::string>();
    return MakeError(ErrorCode::kValidation, std::move(zh), std::move(en),
                     {{"errors", std::move(errors_)}});
  }

  static std::string Join(const std::string& at, const std::string& key) {
    return at.empty() ? key : at + "." + key;
  }

 private:
  json errors_ = json::array();
};

std::string Index(const std::string& at, std::size_t i) {
  return at + "[" + std::to_string(i) + "]";
}

json OptDate(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

void ReadDecisionDocument(Reader& rd, const json& j, const std::string& at, DecisionDocument& d) {
  if (j.is_null()) return;
  if (!rd.Object(j, at)) return;
  rd.OnlyKeys(j, {"issuer", "number", "title", "date"}, at);
  d.issuer = rd.Str(j, "issuer", at, false);
  d.number = rd.Str(j, "number", at, false);
  d.title = rd.Str(j, "title", at, false);
  d.date = rd.Date(j, "date", at, false);
}

std::vector<SelectionCriterion> ReadCriteria(Reader& rd, const json& j, const std::string& at) {
  std::vector<SelectionCriterion> out;
  if (j.is_null()) return out;
  if (!j.is_array()) {
    rd.Fail(at, "须为数组", "must be an array");
    return out;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    std::string f = Index(at, i);
    if (!rd.Object(j[i], f)) continue;
    rd.OnlyKeys(j[i], {"indicator", "label", "unit", "comparison", "threshold"}, f);
    SelectionCriterion c;
    c.indicator = rd.Str(j[i], "indicator", f, true);
    c.label = rd.Str(j[i], "label", f, false);
    c.unit = rd.Str(j[i], "unit", f, false);
    std::string cmp = rd.Str(j[i], "comparison", f, false);
    if (cmp == "at_most") {
      c.comparison = Comparison::kAtMost;
    } else if (!cmp.empty() && cmp != "at_least") {
      rd.Fail(f + ".comparison", "须为at_least或at_most", "must be at_least or at_most");
    }
    c.threshold = rd.Number(j[i], "threshold", f, true).value_or(0);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Milestone> ReadMilestones(Reader& rd, const json& j, const std::string& at) {
  std::vector<Milestone> out;
  if (j.is_null()) return out;
  if (!j.is_array()) {
    rd.Fail(at, "须为数组", "must be an array");
    return out;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    std::string f = Index(at, i);
    if (!rd.Object(j[i], f)) continue;
    rd.OnlyKeys(j[i], {"date", "title"}, f);
    out.push_back({rd.Date(j[i], "date", f, true), rd.Str(j[i], "title", f, true)});
  }
  return out;
}

BatchTown ReadBatchTown(Reader& rd, const json& j, const std::string& at) {
  BatchTown t;
  if (!rd.Object(j, at)) return t;
  rd.OnlyKeys(j, {"town_code", "town_name", "indicators", "score"}, at);
  t.town_code = rd.Str(j, "town_code", at, true);
  t.town_name = rd.Str(j, "town_name", at, false);
  if (auto it = j.find("indicators"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) {
      rd.Fail(Reader::Join(at, "indicators"), "须为JSON对象", "must be a JSON object");
    } else {
      for (const auto& [k, v] : it->items()) {
        if (!v.is_number() || !std::isfinite(v.get<double>())) {
          rd.Fail(Reader::Join(at, "indicators." + k), "须为数值", "must be a number");
        } else {
          t.indicators[k] = v.get<double>();
        }
      }
    }
  }
  t.score = rd.Number(j, "score", at, false).value_or(-1);
  return t;
}

}  // namespace

json DecisionDocumentToJson(const DecisionDocument& d) {
  return {{"issuer", d.issuer}, {"number", d.number}, {"title", d.title}, {"date", d.date}};
}

Result<DecisionDocument> DecisionDocumentFromJson(const json& j) {
  Reader rd;
  DecisionDocument d;
  ReadDecisionDocument(rd, j, "decision_doc", d);
  if (!rd.ok()) return rd.Finish("赋权决定文件", "decision document");
  return d;
}

json ReadinessToJson(const std::vector<ReadinessItem>& items) {
  json out = json::array();
  for (ReadinessKey k : kAllReadinessKeys) {
    for (const auto& i : items) {
      if (i.key != k) continue;
      out.push_back({{"key", std::string(ReadinessKeyCode(k))},
                     {"label", std::string(ReadinessKeyLabel(k))},
                     {"done", i.done},
                     {"note", i.note},
                     {"done_at", OptDate(i.done_at)}});
    }
  }
  return out;
}

Result<std::vector<ReadinessItem>> ReadinessFromJson(const json& j) {
  Reader rd;
  if (!j.is_array()) {
    rd.Fail("readiness", "须为数组", "must be an array");
    return rd.Finish("承接准备清单", "readiness checklist");
  }
  if (j.empty()) return DefaultReadinessChecklist();
  std::vector<ReadinessItem> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    std::string f = Index("readiness", i);
    if (!rd.Object(j[i], f)) continue;
    rd.OnlyKeys(j[i], {"key", "label", "done", "note", "done_at"}, f);
    ReadinessItem item;
    std::string key = rd.Str(j[i], "key", f, true);
    if (auto k = ParseReadinessKey(key)) {
      item.key = *k;
    } else if (!key.empty()) {
      rd.Fail(f + ".key", "未知的承接准备事项：" + key, "unknown readiness item: " + key);
    }
    item.done = rd.Bool(j[i], "done", f).value_or(false);
    item.note = rd.Str(j[i], "note", f, false);
    item.done_at = rd.Date(j[i], "done_at", f, false);
    out.push_back(std::move(item));
  }
  if (!rd.ok()) return rd.Finish("承接准备清单", "readiness checklist");
  return out;
}

Result<std::vector<ReadinessChange>> ReadinessChangesFromJson(const json& body) {
  Reader rd;
  const json* list = &body;
  if (body.is_object()) {
    rd.OnlyKeys(body, {"items"}, "");
    auto it = body.find("items");
    if (it == body.end()) {
      rd.Fail("items", "不能为空", "is required");
      return rd.Finish("承接准备事项更新", "readiness update");
    }
    list = &*it;
  }
  if (!list->is_array() || list->empty()) {
    rd.Fail("items", "须为非空数组", "must be a non-empty array");
    return rd.Finish("承接准备事项更新", "readiness update");
  }
  std::vector<ReadinessChange> out;
  std::set<ReadinessKey> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& e = (*list)[i];
    std::string f = Index("items", i);
    if (!rd.Object(e, f)) continue;
    rd.OnlyKeys(e, {"key", "done", "note", "done_at"}, f);
    ReadinessChange c;
    std::string key = rd.Str(e, "key", f, true);
    if (auto k = ParseReadinessKey(key)) {
      c.key = *k;
      if (!seen.insert(*k).second) rd.Fail(f + ".key", "事项重复", "item repeated");
    } else if (!key.empty()) {
      rd.Fail(f + ".key", "未知的承接准备事项：" + key, "unknown readiness item: " + key);
    }
    c.done = rd.Bool(e, "done", f);
    if (e.contains("note") && !e["note"].is_null()) c.note = rd.Str(e, "note", f, false);
    if (c.note && c.note->size() > 500) rd.Fail(f + ".note", "过长", "too long");
    if (e.contains("done_at") && !e["done_at"].is_null())
      c.done_at = rd.Date(e, "done_at", f, false);
    out.push_back(std::move(c));
  }
  if (!rd.ok()) return rd.Finish("承接准备事项更新", "readiness update");
  return out;
}

std::vector<ReadinessItem> ApplyReadinessChanges(std::vector<ReadinessItem> items,
                                                 const std::vector<ReadinessChange>& changes,
                                                 std::string_view today) {
  std::vector<ReadinessItem> out;
  for (ReadinessKey k : kAllReadinessKeys) {
    ReadinessItem item{k, false, "", ""};
    for (const auto& i : items) {
      if (i.key == k) item = i;
    }
    for (const auto& c : changes) {
      if (c.key != k) continue;
      if (c.note) item.note = *c.note;
      if (c.done) {
        if (*c.done && !item.done) item.done_at = c.done_at.value_or(std::string(today));
        if (*c.done && item.done && c.done_at) item.done_at = *c.done_at;
        if (!*c.done) item.done_at.clear();
        item.done = *c.done;
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

std::vector<GrantAction> AllowedGrantActions(GrantState state) {
  std::vector<GrantAction> out;
  for (const auto& r : GrantTransitionTable()) {
    if (r.from == state) out.push_back(r.action);
  }
  return out;
}

json GrantToJson(const Grant& g) {
  json open = json::array();
  for (ReadinessKey k : OpenReadinessItems(g.readiness))
    open.push_back(std::string(ReadinessKeyCode(k)));
  json allowed = json::array();
  for (GrantAction a : AllowedGrantActions(g.state))
    allowed.push_back(std::string(GrantActionCode(a)));
  return {{"id", g.id},
          {"power_code", g.power_code},
          {"town_code", g.town_code},
          {"county_code", g.county_code},
          {"mode", std::string(GrantModeCode(g.mode))},
          {"mode_label", std::string(GrantModeLabel(g.mode))},
          {"batch_id", g.batch_id},
          {"decision_doc", DecisionDocumentToJson(g.decision_doc)},
          {"readiness", ReadinessToJson(g.readiness)},
          {"open_items", std::move(open)},
          {"state", std::string(GrantStateCode(g.state))},
          {"state_label", std::string(GrantStateLabel(g.state))},
          {"allowed_actions", std::move(allowed)},
          {"valid_from", g.valid_from},
          {"valid_to", OptDate(g.valid_to)},
          {"next_evaluation", OptDate(g.next_evaluation)},
          {"state_reason", g.state_reason}};
}

json SelectionCriterionToJson(const SelectionCriterion& c) {
  return {
      {"indicator", c.indicator},
      {"label", c.label},
      {"unit", c.unit},
      {"comparison", std::string(c.comparison == Comparison::kAtLeast ? "at_least" : "at_most")},
      {"threshold", c.threshold}};
}

json MilestoneToJson(const Milestone& m) { return {{"date", m.date}, {"title", m.title}}; }

json BatchTownToJson(const BatchTown& t) {
  json indicators = json::object();
  for (const auto& [k, v] : t.indicators) indicators[k] = v;
  return {{"town_code", t.town_code},
          {"town_name", t.town_name},
          {"indicators", std::move(indicators)},
          {"score", t.score}};
}

json ReformBatchToJson(const ReformBatch& b) {
  json criteria = json::array(), towns = json::array(), milestones = json::array();
  for (const auto& c : b.criteria) criteria.push_back(SelectionCriterionToJson(c));
  for (const auto& t : b.towns) towns.push_back(BatchTownToJson(t));
  for (const auto& m : b.milestones) milestones.push_back(MilestoneToJson(m));
  return {{"id", b.id},
          {"province_code", b.province_code},
          {"name", b.name},
          {"start_date", b.start_date},
          {"criteria", std::move(criteria)},
          {"towns", std::move(towns)},
          {"milestones", std::move(milestones)}};
}

Result<std::vector<SelectionCriterion>> CriteriaFromJson(const json& j) {
  Reader rd;
  auto out = ReadCriteria(rd, j, "criteria");
  if (!rd.ok()) return rd.Finish("遴选标准", "selection criteria");
  return out;
}

Result<std::vector<Milestone>> MilestonesFromJson(const json& j) {
  Reader rd;
  auto out = ReadMilestones(rd, j, "milestones");
  if (!rd.ok()) return rd.Finish("改革节点", "milestones");
  return out;
}

Result<BatchTown> BatchTownFromJson(const json& j) {
  Reader rd;
  BatchTown t = ReadBatchTown(rd, j, "");
  if (!rd.ok()) return rd.Finish("入选镇", "selected town");
  return t;
}

Result<ReformBatch> ReformBatchFromJson(const json& j) {
  Reader rd;
  ReformBatch b;
  if (!rd.Object(j, "")) return rd.Finish("改革批次", "reform batch");
  rd.OnlyKeys(j, {"id", "province_code", "name", "start_date", "criteria", "towns", "milestones"},
              "");
  if (j.contains("id") && j["id"].is_number_integer()) {
    b.id = std::to_string(j["id"].get<std::int64_t>());
  } else {
    b.id = rd.Str(j, "id", "", false);
  }
  b.province_code = rd.Str(j, "province_code", "", false);
  b.name = rd.Str(j, "name", "", true);
  if (b.name.size() > 200) rd.Fail("name", "过长", "too long");
  b.start_date = rd.Date(j, "start_date", "", true);
  b.criteria = ReadCriteria(rd, j.value("criteria", json()), "criteria");
  b.milestones = ReadMilestones(rd, j.value("milestones", json()), "milestones");
  if (auto it = j.find("towns"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) {
      rd.Fail("towns", "须为数组", "must be an array");
    } else {
      for (std::size_t i = 0; i < it->size(); ++i) {
        b.towns.push_back(ReadBatchTown(rd, (*it)[i], Index("towns", i)));
      }
    }
  }
  if (!rd.ok()) return rd.Finish("改革批次", "reform batch");
  return b;
}

double SelectionScore(const std::vector<SelectionCriterion>& criteria,
                      const std::map<std::string, double>& indicators) {
  if (criteria.empty()) return 0;
  double sum = 0;
  for (const auto& c : criteria) {
    auto it = indicators.find(c.indicator);
    if (it == indicators.end() || c.threshold == 0) continue;
    double v = it->second;
    double ratio =
        c.comparison == Comparison::kAtLeast ? v / c.threshold : (v == 0 ? 0 : c.threshold / v);
    sum += ratio;
  }
  return std::round(sum / static_cast<double>(criteria.size()) * 1000.0) / 10.0;
}

}  // namespace quanze::domain
