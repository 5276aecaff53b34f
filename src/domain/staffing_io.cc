#include "domain/staffing_io.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "domain/access.h"
#include "domain/staffing_io_internal.h"
#include "domain/text_encoding.h"

namespace quanze::domain {

using nlohmann::json;

json ProblemsToJson(const std::vector<InputProblem>& problems) {
  json out = json::array();
  for (const InputProblem& p : problems) {
    out.push_back({{"row", p.line > 0 ? json(p.line) : json()},
                   {"where", p.where},
                   {"field", p.field},
                   {"message_zh", p.message_zh},
                   {"message_en", p.message_en}});
  }
  return out;
}

Error ProblemsError(const std::vector<InputProblem>& problems) {
  const std::string n = std::to_string(problems.size());
  std::string zh = "输入有 " + n + " 处错误，未导入任何数据";
  std::string en = "the input has " + n + " problem(s); nothing was imported";
  if (!problems.empty()) {
    zh += "。首个错误：" + problems[0].where + " " + problems[0].field + "：" +
          problems[0].message_zh;
    en += ". First: " + problems[0].where + " " + problems[0].field + ": " + problems[0].message_en;
  }
  return MakeError(ErrorCode::kValidation, std::move(zh), std::move(en),
                   json{{"errors", ProblemsToJson(problems)}});
}

bool IdNumberShapeValid(std::string_view id) {
  if (id.size() != 15 && id.size() != 18) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool digit = c >= '0' && c <= '9';
    const bool check_x = i == 17 && (c == 'X' || c == 'x');
    if (!digit && !check_x) return false;
  }
  return true;
}

std::string NormaliseQuotaKind(std::string_view text, const StaffingSettings& s) {
  for (const QuotaKindDef& k : s.quota_kinds) {
    if (k.code == text || k.name_zh == text) return k.code;
  }
  return std::string(text);
}

namespace staffing_io {

// ---- FieldReader ------------------------------------------------------------

FieldReader::FieldReader(std::vector<InputProblem>& problems, const json& j, std::string where,
                         int line, const std::vector<std::string_view>& allowed)
    : problems_(problems), j_(j), where_(std::move(where)), line_(line), object_(j.is_object()) {
  if (!object_) {
    Fail("", "应为 JSON 对象", "must be a JSON object");
    return;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      Fail(it.key(), "未知字段", "unknown field");
    }
  }
}

const json* FieldReader::Get(std::string_view key) const {
  if (!object_) return nullptr;
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool FieldReader::Has(std::string_view key) const {
  const json* v = Get(key);
  return v != nullptr && !(v->is_string() && v->get_ref<const std::string&>().empty());
}

void FieldReader::Fail(std::string_view field, std::string zh, std::string en) {
  problems_.push_back({line_, where_, std::string(field), std::move(zh), std::move(en)});
}

void FieldReader::Missing(std::string_view field) {
  Fail(field, "必填字段缺失", "required field is missing");
}

std::string FieldReader::Text(std::string_view key, bool required, std::size_t max_bytes) {
  const json* v = Get(key);
  if (v == nullptr) {
    if (required) Missing(key);
    return {};
  }
  if (!v->is_string()) {
    Fail(key, "应为文本", "must be text");
    return {};
  }
  std::string s = v->get<std::string>();
  if (required && s.empty()) Missing(key);
  if (s.size() > max_bytes) {
    Fail(key, "文本过长（最多 " + std::to_string(max_bytes) + " 字节）",
         "text too long (at most " + std::to_string(max_bytes) + " bytes)");
    return {};
  }
  return s;
}

namespace {
std::optional<std::int64_t> AsInt(const json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_unsigned()) return static_cast<std::int64_t>(v.get<std::uint64_t>());
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return out;
}
}  // namespace

std::int64_t FieldReader::Id(std::string_view key, bool required) {
  const json* v = Get(key);
  if (v == nullptr || (v->is_string() && v->get_ref<const std::string&>().empty())) {
    if (required) Missing(key);
    return 0;
  }
  auto n = AsInt(*v);
  if (!n || *n <= 0 || *n > (std::int64_t{1} << 53)) {
    Fail(key, "应为正整数编号", "must be a positive integer id");
    return 0;
  }
  return *n;
}

int FieldReader::Count(std::string_view key, bool required) {
  const json* v = Get(key);
  if (v == nullptr || (v->is_string() && v->get_ref<const std::string&>().empty())) {
    if (required) Missing(key);
    return 0;
  }
  auto n = AsInt(*v);
  if (!n || *n < 0 || *n > 1000000) {
    Fail(key, "应为 0–1000000 的整数", "must be an integer from 0 to 1000000");
    return 0;
  }
  return static_cast<int>(*n);
}

bool FieldReader::Bool(std::string_view key) {
  const json* v = Get(key);
  if (v == nullptr) return false;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    for (const char* t : {"true", "1", "是", "yes", "y", "TRUE", "Y"}) {
      if (s == t) return true;
    }
    for (const char* f : {"false", "0", "否", "no", "n", "", "FALSE", "N"}) {
      if (s == f) return false;
    }
  }
  Fail(key, "应为 true/false（是/否）", "must be true or false");
  return false;
}

double FieldReader::Share(std::string_view key) {
  const json* v = Get(key);
  if (v == nullptr) return 0;
  double d = -1;
  if (v->is_number()) {
    d = v->get<double>();
  } else if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s.empty()) return 0;
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) d = -1;
  }
  if (!(d >= 0 && d <= 1)) {
    Fail(key, "应为 0 到 1 之间的小数（如 0.6）", "must be a number from 0 to 1 (e.g. 0.6)");
    return 0;
  }
  return d;
}

std::optional<Date> FieldReader::DateField(std::string_view key) {
  if (!Has(key)) return std::nullopt;
  const std::string s = Text(key, false, 20);
  auto d = ParseDate(s);
  if (!d.ok()) {
    Fail(key, "日期应为 YYYY-MM-DD", "date must be YYYY-MM-DD");
    return std::nullopt;
  }
  return *d;
}

std::vector<std::string> FieldReader::Strings(std::string_view key) {
  std::vector<std::string> out;
  const json* v = Get(key);
  if (v == nullptr) return out;
  if (v->is_string()) {  // CSV: names separated by 、 or ;
    std::string s = v->get<std::string>();
    std::size_t pos = 0;
    while (pos <= s.size()) {
      std::size_t a = s.find("、", pos), b = s.find(';', pos), c = s.find("；", pos);
      std::size_t end = std::min({a, b, c, s.size()});
      std::string part = s.substr(pos, end - pos);
      if (!part.empty()) out.push_back(part);
      if (end == s.size()) break;
      pos = end + (end == b ? 1 : std::string_view("、").size());
    }
    return out;
  }
  if (!v->is_array()) {
    Fail(key, "应为文本数组", "must be an array of text");
    return out;
  }
  for (const json& e : *v) {
    if (!e.is_string() || e.get_ref<const std::string&>().empty()) {
      Fail(key, "数组元素应为非空文本", "elements must be non-empty text");
      return {};
    }
    out.push_back(e.get<std::string>());
  }
  return out;
}

const json& FieldReader::Object(std::string_view key) {
  static const json kEmpty = json::object();
  const json* v = Get(key);
  if (v == nullptr) return kEmpty;
  if (!v->is_object()) {
    Fail(key, "应为 JSON 对象", "must be a JSON object");
    return kEmpty;
  }
  return *v;
}

// ---- Records ----------------------------------------------------------------

Approval ReadApproval(const json& j, std::vector<InputProblem>& problems, const std::string& where,
                      int line) {
  FieldReader r(problems, j, where + "/approval", line, {"authority", "doc", "level"});
  Approval a;
  a.authority = r.Text("authority", false, 200);
  a.doc = r.Text("doc", false, 200);
  a.level = r.Enum("level", ParseApprovingLevel, "审批机关层级", "approving level", false,
                   ApprovingLevel::kNone);
  return a;
}

Agency ReadAgency(FieldReader& r, bool id_required) {
  Agency a;
  a.id = r.Id("id", id_required);
  a.name = r.Text("name", true, 200);
  a.kind =
      r.Enum("kind", ParseAgencyKind, "机构类别", "agency kind", true, AgencyKind::kIntegrated);
  a.rank = r.Enum("rank", ParseAgencyRank, "机构规格", "agency rank", false, AgencyRank::kNone);
  a.nameplates = r.Strings("nameplates");
  a.functions = r.Text("functions", false, 4000);
  if (r.Has("approval")) {
    const json& aj = r.Object("approval");
    std::vector<InputProblem> local;
    Approval ap = ReadApproval(aj, local, r.where(), r.line());
    for (InputProblem& p : local) r.Fail("approval." + p.field, p.message_zh, p.message_en);
    a.approving_authority = ap.authority;
    a.approval_doc = ap.doc;
    a.approving_level = ap.level;
  }
  a.parent_department = r.Text("parent_department", false, 200);
  a.localised = r.Bool("localised");
  a.town_assessment_weight = r.Share("town_assessment_weight");
  return a;
}

Person ReadPerson(FieldReader& r, const StaffingSettings& s, bool id_required) {
  Person p;
  p.id = r.Id("id", id_required);
  p.name = r.Text("name", true, 100);
  p.id_number = r.Text("id_number", false, 40);
  if (!p.id_number.empty() && !IdNumberShapeValid(p.id_number)) {
    p.id_number.clear();
    r.Fail("id_number", "公民身份号码格式不正确（应为18位，末位可为X）",
           "malformed ID number (18 characters, the last may be X)");
  }
  p.agency_id = r.Has("agency_id") ? r.Id("agency_id", true) : r.Id("agency", true);
  p.post = r.Text("post", false, 100);
  p.title = r.Text("title", false, 100);
  p.grade = r.Enum("grade", ParseGrade, "职级", "grade", false, Grade::kNone);
  const std::string kind = r.Text("quota_kind", false, 100);
  p.quota_kind = kind.empty() ? "" : NormaliseQuotaKind(kind, s);
  p.is_leader = r.Bool("is_leader");
  p.grade_approval = r.Text("grade_approval", false, 200);
  p.approved_grade = r.Enum("approved_grade", ParseGrade, "职级", "grade", false, Grade::kNone);
  if (r.Has("certificate")) {
    std::vector<InputProblem> local;
    FieldReader c(local, r.Object("certificate"), r.where(), r.line(),
                  {"number", "valid_from", "valid_to"});
    p.certificate.number = c.Text("number", false, 100);
    p.certificate.valid_from = c.DateField("valid_from");
    p.certificate.valid_to = c.DateField("valid_to");
    for (InputProblem& q : local) r.Fail("certificate." + q.field, q.message_zh, q.message_en);
  }
  return p;
}

namespace {

const std::vector<std::string_view> kAgencyKeys = {"id",         "name",
                                                   "kind",       "rank",
                                                   "nameplates", "functions",
                                                   "approval",   "parent_department",
                                                   "localised",  "town_assessment_weight"};
const std::vector<std::string_view> kPersonKeys = {
    "id",    "name",       "id_number", "agency",         "agency_id",      "post",       "title",
    "grade", "quota_kind", "is_leader", "grade_approval", "approved_grade", "certificate"};

std::string Where(const std::string& base, const char* list, std::size_t i) {
  return base + "/" + list + "/" + std::to_string(i);
}

void BuildTown(TownItems& t, const StaffingSettings& s, std::vector<InputProblem>& problems,
               StaffingRegister& out) {
  RegisterTown town;
  town.where = t.where;
  town.staffing.town_code = t.town_code;
  town.staffing.baseline.town_code = t.town_code;
  if (!ValidateRegionCode(t.town_code, "town").ok()) {
    problems.push_back({t.line, t.where, "town_code", "镇的区划代码应为9位数字",
                        "a town code must have 9 digits"});
  }
  std::set<Id> agency_ids;
  for (Item& it : t.agencies) {
    FieldReader r(problems, it.j, it.where, it.line, kAgencyKeys);
    if (!r.valid_object()) continue;
    Agency a = ReadAgency(r, true);
    if (a.id != 0 && !agency_ids.insert(a.id).second) {
      r.Fail("id", "机构编号在本镇重复", "duplicate agency id in this town");
    }
    a.town_code = t.town_code;
    town.staffing.agencies.push_back(std::move(a));
  }
  auto check_agency = [&](FieldReader& r, Id id, const char* field) {
    if (id != 0 && agency_ids.count(id) == 0) {
      r.Fail(field, "引用的机构编号 " + std::to_string(id) + " 在本镇不存在",
             "agency " + std::to_string(id) + " is not defined in this town");
    }
  };
  std::set<std::pair<Id, std::string>> quota_keys;
  for (Item& it : t.quotas) {
    FieldReader r(problems, it.j, it.where, it.line, {"agency", "agency_id", "kind", "count"});
    if (!r.valid_object()) continue;
    Quota q;
    q.agency_id = r.Has("agency_id") ? r.Id("agency_id", true) : r.Id("agency", true);
    check_agency(r, q.agency_id, "agency");
    q.kind = NormaliseQuotaKind(r.Text("kind", true, 100), s);
    q.count = r.Count("count", true);
    if (!quota_keys.insert({q.agency_id, q.kind}).second) {
      r.Fail("kind", "同一机构的同类编制重复登记", "the same agency and quota kind appear twice");
    }
    town.staffing.quotas.push_back(std::move(q));
  }
  std::set<std::pair<Id, int>> leader_keys;
  for (Item& it : t.leadership_quotas) {
    FieldReader r(problems, it.j, it.where, it.line, {"agency", "agency_id", "grade", "count"});
    if (!r.valid_object()) continue;
    LeadershipQuota q;
    q.agency_id = r.Has("agency_id") ? r.Id("agency_id", true) : r.Id("agency", true);
    check_agency(r, q.agency_id, "agency");
    q.grade = r.Enum("grade", ParseGrade, "职级", "grade", true, Grade::kNone);
    q.count = r.Count("count", true);
    if (!leader_keys.insert({q.agency_id, static_cast<int>(q.grade)}).second) {
      r.Fail("grade", "同一机构的同级领导职数重复登记", "the same agency and grade appear twice");
    }
    town.staffing.leadership_quotas.push_back(q);
  }
  std::set<Id> person_ids;
  std::map<std::string, std::string> id_numbers;  // number -> where first seen
  Id max_id = 0;
  for (Item& it : t.persons) {
    FieldReader r(problems, it.j, it.where, it.line, kPersonKeys);
    if (!r.valid_object()) continue;
    Person p = ReadPerson(r, s, false);
    check_agency(r, p.agency_id, "agency");
    if (p.id != 0 && !person_ids.insert(p.id).second) {
      r.Fail("id", "人员编号在本镇重复", "duplicate person id in this town");
    }
    if (!p.id_number.empty()) {
      auto [pos, fresh] = id_numbers.emplace(p.id_number, it.where);
      if (!fresh) {
        r.Fail("id_number", "公民身份号码与 " + pos->second + " 重复",
               "the ID number repeats the one at " + pos->second);
      }
    }
    max_id = std::max(max_id, p.id);
    town.staffing.persons.push_back(std::move(p));
  }
  for (Person& p : town.staffing.persons) {
    if (p.id == 0) p.id = ++max_id;
  }
  std::set<std::string> baseline_kinds;
  for (Item& it : t.baseline) {
    FieldReader r(problems, it.j, it.where, it.line, {"kind", "quota_kind", "count"});
    if (!r.valid_object()) continue;
    const std::string raw = r.Has("quota_kind") ? r.Text("quota_kind", true) : r.Text("kind", true);
    QuotaTotal total{NormaliseQuotaKind(raw, s), r.Count("count", true)};
    if (!baseline_kinds.insert(total.kind).second) {
      r.Fail("kind", "编制基数的同一类别重复", "the baseline names a quota kind twice");
    }
    town.staffing.baseline.totals.push_back(std::move(total));
  }
  town.has_baseline = !t.baseline.empty();
  out.agencies += static_cast<std::int64_t>(town.staffing.agencies.size());
  out.persons += static_cast<std::int64_t>(town.staffing.persons.size());
  out.towns.push_back(std::move(town));
}

}  // namespace

Result<StaffingRegister> BuildRegister(std::vector<TownItems> towns,
                                       std::vector<InputProblem> problems,
                                       const StaffingSettings& s) {
  StaffingRegister out;
  std::map<std::string, std::string> seen;
  for (TownItems& t : towns) {
    auto [pos, fresh] = seen.emplace(t.town_code, t.where);
    if (!fresh) {
      problems.push_back({t.line, t.where, "town_code",
                          "同一个镇在文件中出现两次（首次：" + pos->second + "）",
                          "the town appears twice in the file (first at " + pos->second + ")"});
      continue;
    }
    BuildTown(t, s, problems, out);
  }
  if (towns.empty()) {
    problems.push_back({0, "/", "towns", "文件中没有任何镇的数据", "the file holds no town"});
  }
  // CSV problems in line order (JSON ones keep the order of the file's lists).
  std::stable_sort(problems.begin(), problems.end(),
                   [](const InputProblem& a, const InputProblem& b) { return a.line < b.line; });
  if (!problems.empty()) return ProblemsError(problems);
  return out;
}

}  // namespace staffing_io

// ---- JSON register ----------------------------------------------------------

Result<StaffingRegister> ParseRegisterJson(std::string_view bytes, const StaffingSettings& s) {
  QZ_ASSIGN_OR_RETURN(const std::string text, DecodeToUtf8(bytes));
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return MakeError(ErrorCode::kBadRequest,
                     "文件不是合法的 JSON（第 " + std::to_string(e.byte) + " 字节附近）",
                     "the file is not valid JSON (near byte " + std::to_string(e.byte) + ")");
  } catch (const json::out_of_range&) {  // a number beyond double, e.g. 1e400 (found by fuzzing)
    return MakeError(ErrorCode::kBadRequest, "文件中的数值超出范围", "a number in the file is out of range");
  }
  std::vector<InputProblem> problems;
  json towns = json::array();
  std::string base = "/towns";
  if (doc.is_object() && doc.contains("towns")) {
    towns = doc["towns"];
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (it.key() != "towns" && it.key() != "format" && it.key() != "description") {
        problems.push_back({0, "/", it.key(), "未知字段", "unknown field"});
      }
    }
  } else if (doc.is_array()) {
    towns = doc;
    base = "";
  } else if (doc.is_object()) {
    towns.push_back(doc);
  } else {
    return MakeError(ErrorCode::kBadRequest, "JSON 顶层应为对象或数组",
                     "the top level of the JSON must be an object or an array");
  }
  if (!towns.is_array()) {
    return MakeError(ErrorCode::kBadRequest, "towns 应为数组", "towns must be an array");
  }
  std::vector<staffing_io::TownItems> items;
  for (std::size_t i = 0; i < towns.size(); ++i) {
    const json& t = towns[i];
    staffing_io::TownItems ti;
    ti.where = base + "/" + std::to_string(i);
    staffing_io::FieldReader r(problems, t, ti.where, 0,
                               {"town_code", "baseline", "agencies", "quotas", "leadership_quotas",
                                "persons", "name", "description"});
    if (!r.valid_object()) continue;
    ti.town_code = r.Text("town_code", true, 20);
    auto list = [&](const char* key, std::vector<staffing_io::Item>& into) {
      if (!t.contains(key)) return;
      if (!t[key].is_array()) {
        r.Fail(key, "应为数组", "must be an array");
        return;
      }
      for (std::size_t k = 0; k < t[key].size(); ++k) {
        into.push_back({t[key][k], staffing_io::Where(ti.where, key, k), 0});
      }
    };
    list("agencies", ti.agencies);
    list("quotas", ti.quotas);
    list("leadership_quotas", ti.leadership_quotas);
    list("persons", ti.persons);
    if (t.contains("baseline")) {
      const json& b = t["baseline"];
      if (b.is_object()) {
        for (auto it = b.begin(); it != b.end(); ++it) {
          ti.baseline.push_back({json{{"kind", it.key()}, {"count", it.value()}},
                                 ti.where + "/baseline/" + it.key(), 0});
        }
      } else if (b.is_array()) {
        list("baseline", ti.baseline);
      } else {
        r.Fail("baseline", "应为对象 {类别: 数量}", "must be an object {kind: count}");
      }
    }
    items.push_back(std::move(ti));
  }
  return staffing_io::BuildRegister(std::move(items), std::move(problems), s);
}

}  // namespace quanze::domain
