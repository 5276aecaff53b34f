// JSON form of a Power (docs/catalogue.md, "JSON format"):
//
//   {"code": "XK-01-0001", "name": "...", "kind": "licensing", "parent_code": null,
//    "legal_basis": [{"law": "...", "article": "第四十一条", "clause": "..."}],
//    "originating_department": "县自然资源局",
//    "statutory_limit": {"days": 20, "unit": "working"},
//    "promised_limit": {"days": 5, "unit": "working"},
//    "suspension_allowed": false, "extension_allowed": true, "max_extension_days": 10,
//    "fee": {"charged": false, "amount_fen": 0, "basis": ""},
//    "materials": [{"name": "...", "source": "...", "copies": 1, "required": true}],
//    "responsibility_items": [{"stage": "受理", "content": "..."}],
//    "accountability_situations": ["..."],
//    "valid_from": "2024-01-01", "valid_to": null, "version": 1, "remarks": ""}
//
// Reading is strict: unknown fields, wrong JSON types and fractional numbers
// are errors; "kind" and "unit" also accept the Chinese labels; parent_code
// and valid_to may be null or "". Optional on input (with the default shown
// above): parent_code, suspension_allowed, extension_allowed,
// max_extension_days, fee, materials, responsibility_items,
// accountability_situations, valid_to, version, remarks.
#include <initializer_list>
#include <limits>

#include "domain/catalogue.h"

namespace quanze::domain {
namespace {

using nlohmann::json;

std::string Join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

class JsonReader {
 public:
  explicit JsonReader(std::vector<FieldError>& errors) : errors_(errors) {}

  void Add(std::string field, std::string zh, std::string en) {
    errors_.push_back({std::move(field), std::move(zh), std::move(en)});
  }

  // False (and an error) unless `j` is an object; unknown keys are errors.
  bool Object(const json& j, std::string_view path, std::initializer_list<std::string_view> keys) {
    if (!j.is_object()) {
      Add(path.empty() ? "" : std::string(path), "须为JSON对象", "must be a JSON object");
      return false;
    }
    for (const auto& [k, v] : j.items()) {
      bool known = false;
      for (auto key : keys) known = known || key == k;
      if (!known) Add(Join(path, k), "未知字段", "unknown field");
    }
    return true;
  }

  const json* Field(const json& obj, std::string_view path, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || (it->is_null() && !required)) {
      if (required) Add(Join(path, key), "缺少必填字段", "required field is missing");
      return nullptr;
    }
    return &*it;
  }

  std::string Str(const json& obj, std::string_view path, const char* key, bool required) {
    const json* v = Field(obj, path, key, required);
    if (!v) return {};
    if (!v->is_string()) {
      Add(Join(path, key), "须为字符串", "must be a string");
      return {};
    }
    return v->get<std::string>();
  }

  std::int64_t Int(const json& obj, std::string_view path, const char* key, bool required,
                   std::int64_t fallback) {
    const json* v = Field(obj, path, key, required);
    if (!v) return fallback;
    if (v->is_number_integer()) return v->get<std::int64_t>();
    if (v->is_number_unsigned()) {
      Add(Join(path, key), "数值过大", "number is too large");
      return fallback;
    }
    Add(Join(path, key), "须为整数", "must be an integer");
    return fallback;
  }

  int SmallInt(const json& obj, std::string_view path, const char* key, bool required,
               int fallback) {
    std::int64_t v = Int(obj, path, key, required, fallback);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
      Add(Join(path, key), "数值超出范围", "number is out of range");
      return fallback;
    }
    return static_cast<int>(v);
  }

  bool Bool(const json& obj, std::string_view path, const char* key, bool required, bool fallback) {
    const json* v = Field(obj, path, key, required);
    if (!v) return fallback;
    if (!v->is_boolean()) {
      Add(Join(path, key), "须为true或false", "must be true or false");
      return fallback;
    }
    return v->get<bool>();
  }

  // An array field; nullptr when absent/null (optional) or not an array.
  const json* Array(const json& obj, std::string_view path, const char* key, bool required) {
    const json* v = Field(obj, path, key, required);
    if (!v) return nullptr;
    if (!v->is_array()) {
      Add(Join(path, key), "须为数组", "must be an array");
      return nullptr;
    }
    return v;
  }

 private:
  std::vector<FieldError>& errors_;
};

std::string Elem(std::string_view key, size_t i) {
  return std::string(key) + "[" + std::to_string(i) + "]";
}

TimeLimit ReadLimit(JsonReader& r, const json& obj, const char* key) {
  TimeLimit limit;
  const json* v = r.Field(obj, "", key, true);
  if (!v || !r.Object(*v, key, {"days", "unit"})) return limit;
  limit.days = r.SmallInt(*v, key, "days", true, 0);
  std::string unit = r.Str(*v, key, "unit", true);
  if (auto u = ParseTimeUnit(unit)) {
    limit.unit = *u;
  } else if (v->contains("unit") && (*v)["unit"].is_string()) {
    r.Add(Join(key, "unit"), "时限单位须为working（工作日）或calendar（自然日）",
          "unit must be \"working\" or \"calendar\"");
  }
  return limit;
}

void ReadLists(JsonReader& r, const json& j, Power& p) {
  if (const json* a = r.Array(j, "", "legal_basis", true)) {
    for (size_t i = 0; i < a->size(); ++i) {
      std::string path = Elem("legal_basis", i);
      const json& e = (*a)[i];
      if (!r.Object(e, path, {"law", "article", "clause"})) continue;
      p.legal_basis.push_back({r.Str(e, path, "law", true), r.Str(e, path, "article", false),
                               r.Str(e, path, "clause", false)});
    }
  }
  if (const json* a = r.Array(j, "", "materials", false)) {
    for (size_t i = 0; i < a->size(); ++i) {
      std::string path = Elem("materials", i);
      const json& e = (*a)[i];
      if (!r.Object(e, path, {"name", "source", "copies", "required"})) continue;
      p.materials.push_back({r.Str(e, path, "name", true), r.Str(e, path, "source", false),
                             r.SmallInt(e, path, "copies", false, 1),
                             r.Bool(e, path, "required", false, true)});
    }
  }
  if (const json* a = r.Array(j, "", "responsibility_items", false)) {
    for (size_t i = 0; i < a->size(); ++i) {
      std::string path = Elem("responsibility_items", i);
      const json& e = (*a)[i];
      if (!r.Object(e, path, {"stage", "content"})) continue;
      p.responsibility_items.push_back(
          {r.Str(e, path, "stage", true), r.Str(e, path, "content", true)});
    }
  }
  if (const json* a = r.Array(j, "", "accountability_situations", false)) {
    for (size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_string()) {
        r.Add(Elem("accountability_situations", i), "须为字符串", "must be a string");
        continue;
      }
      p.accountability_situations.push_back((*a)[i].get<std::string>());
    }
  }
}

}  // namespace

json PowerToJson(const Power& p) {
  json basis = json::array();
  for (const auto& b : p.legal_basis) {
    basis.push_back({{"law", b.law}, {"article", b.article}, {"clause", b.clause}});
  }
  json materials = json::array();
  for (const auto& m : p.materials) {
    materials.push_back(
        {{"name", m.name}, {"source", m.source}, {"copies", m.copies}, {"required", m.required}});
  }
  json duties = json::array();
  for (const auto& d : p.responsibility_items) {
    duties.push_back({{"stage", d.stage}, {"content", d.content}});
  }
  auto limit = [](const TimeLimit& l) {
    return json{{"days", l.days}, {"unit", std::string(TimeUnitCode(l.unit))}};
  };
  auto nullable = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return json{
      {"code", p.code},
      {"name", p.name},
      {"kind", std::string(PowerKindCode(p.kind))},
      {"parent_code", nullable(p.parent_code)},
      {"legal_basis", std::move(basis)},
      {"originating_department", p.originating_department},
      {"statutory_limit", limit(p.statutory_limit)},
      {"promised_limit", limit(p.promised_limit)},
      {"suspension_allowed", p.suspension_allowed},
      {"extension_allowed", p.extension_allowed},
      {"max_extension_days", p.max_extension_days},
      {"fee",
       {{"charged", p.fee.charged}, {"amount_fen", p.fee.amount_fen}, {"basis", p.fee.basis}}},
      {"materials", std::move(materials)},
      {"responsibility_items", std::move(duties)},
      {"accountability_situations", p.accountability_situations},
      {"valid_from", p.valid_from},
      {"valid_to", nullable(p.valid_to)},
      {"version", p.version},
      {"remarks", p.remarks},
  };
}

json CatalogueItemSummaryJson(const json& item) {
  auto pick = [&item](const char* key) {
    auto it = item.find(key);
    return it == item.end() ? json(nullptr) : *it;
  };
  json fee = pick("fee");
  bool has_fee = fee.is_object() && fee.value("charged", false);
  return json{{"code", pick("code")},
              {"name", pick("name")},
              {"kind", pick("kind")},
              {"parent_code", pick("parent_code")},
              {"originating_department", pick("originating_department")},
              {"statutory_limit", pick("statutory_limit")},
              {"promised_limit", pick("promised_limit")},
              {"has_fee", has_fee},
              {"mode", pick("mode")},
              {"grant_id", pick("grant_id")}};
}

PowerReading ReadPowerJson(const json& j) {
  PowerReading out;
  JsonReader r(out.errors);
  Power& p = out.power;
  if (!r.Object(j, "",
                {"code", "name", "kind", "parent_code", "legal_basis", "originating_department",
                 "statutory_limit", "promised_limit", "suspension_allowed", "extension_allowed",
                 "max_extension_days", "fee", "materials", "responsibility_items",
                 "accountability_situations", "valid_from", "valid_to", "version", "remarks"})) {
    return out;
  }
  p.code = r.Str(j, "", "code", true);
  p.name = r.Str(j, "", "name", true);
  if (j.contains("kind")) {
    if (!j["kind"].is_string()) {
      r.Add("kind", "须为字符串", "must be a string");
    } else if (auto k = ParsePowerKind(j["kind"].get<std::string>())) {
      p.kind = *k;
    } else {
      r.Add("kind", "未知的事项类型：" + j["kind"].get<std::string>(),
            "unknown power kind: " + j["kind"].get<std::string>());
    }
  } else {
    r.Add("kind", "缺少必填字段", "required field is missing");
  }
  p.parent_code = r.Str(j, "", "parent_code", false);
  p.originating_department = r.Str(j, "", "originating_department", true);
  p.statutory_limit = ReadLimit(r, j, "statutory_limit");
  p.promised_limit = ReadLimit(r, j, "promised_limit");
  p.suspension_allowed = r.Bool(j, "", "suspension_allowed", false, false);
  p.extension_allowed = r.Bool(j, "", "extension_allowed", false, false);
  p.max_extension_days = r.SmallInt(j, "", "max_extension_days", false, 0);
  if (const json* fee = r.Field(j, "", "fee", false)) {
    if (r.Object(*fee, "fee", {"charged", "amount_fen", "basis"})) {
      p.fee.charged = r.Bool(*fee, "fee", "charged", true, false);
      p.fee.amount_fen = r.Int(*fee, "fee", "amount_fen", false, 0);
      p.fee.basis = r.Str(*fee, "fee", "basis", false);
    }
  }
  ReadLists(r, j, p);
  p.valid_from = r.Str(j, "", "valid_from", true);
  p.valid_to = r.Str(j, "", "valid_to", false);
  p.version = r.SmallInt(j, "", "version", false, 1);
  p.remarks = r.Str(j, "", "remarks", false);
  // Rules are checked once the shape is right, so that one wrong type does
  // not also produce follow-on rule errors.
  if (out.errors.empty()) out.errors = ValidatePowerFields(p);
  return out;
}

Result<Power> PowerFromJson(const json& j) {
  PowerReading reading = ReadPowerJson(j);
  if (reading.errors.empty()) return std::move(reading.power);
  json list = json::array();
  for (const auto& e : reading.errors) {
    list.push_back({{"field", e.field}, {"reason_zh", e.reason_zh}, {"reason_en", e.reason_en}});
  }
  const auto& first = reading.errors.front();
  return MakeError(ErrorCode::kValidation,
                   "权力事项JSON无效：" + first.field + "：" + first.reason_zh,
                   "invalid power JSON: " + first.field + ": " + first.reason_en,
                   {{"code", reading.power.code}, {"errors", std::move(list)}});
}

}  // namespace quanze::domain
