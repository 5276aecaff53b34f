// The JSON form of a change request (docs/staffing.md §9): the same field
// names as the "change" objects of the scenario files.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "domain/staffing_io.h"
#include "domain/staffing_io_internal.h"

namespace quanze::domain {
namespace {

using nlohmann::json;
using staffing_io::FieldReader;

// The keys of a change of one type, plus those the application layer reads
// from every request.
std::vector<std::string_view> Keys(std::initializer_list<std::string_view> own) {
  std::vector<std::string_view> keys = {"type", "town", "consultation_id", "grade_approval_id",
                                        "note"};
  keys.insert(keys.end(), own.begin(), own.end());
  return keys;
}

struct Ctx {
  std::vector<InputProblem>& problems;
  const StaffingSettings& s;
};

Approval ApprovalOf(FieldReader& r, Ctx& c) {
  if (!r.Has("approval")) return Approval{};
  return staffing_io::ReadApproval(r.Object("approval"), c.problems, "", 0);
}

std::vector<Quota> QuotaRows(FieldReader& r, const json& j, Ctx& c, bool agency_required) {
  std::vector<Quota> out;
  if (!r.Has("quotas")) return out;
  const json& list = j["quotas"];
  if (!list.is_array()) {
    r.Fail("quotas", "应为数组", "must be an array");
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    FieldReader q(c.problems, list[i], "/quotas/" + std::to_string(i), 0,
                  {"agency", "agency_id", "kind", "count"});
    if (!q.valid_object()) continue;
    Quota row;
    row.agency_id =
        q.Has("agency_id") ? q.Id("agency_id", agency_required) : q.Id("agency", agency_required);
    row.kind = NormaliseQuotaKind(q.Text("kind", true, 100), c.s);
    row.count = q.Count("count", true);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<LeadershipQuota> LeaderRows(FieldReader& r, const json& j, Ctx& c,
                                        bool agency_required) {
  std::vector<LeadershipQuota> out;
  if (!r.Has("leadership_quotas")) return out;
  const json& list = j["leadership_quotas"];
  if (!list.is_array()) {
    r.Fail("leadership_quotas", "应为数组", "must be an array");
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    FieldReader q(c.problems, list[i], "/leadership_quotas/" + std::to_string(i), 0,
                  {"agency", "agency_id", "grade", "count"});
    if (!q.valid_object()) continue;
    LeadershipQuota row;
    row.agency_id =
        q.Has("agency_id") ? q.Id("agency_id", agency_required) : q.Id("agency", agency_required);
    row.grade = q.Enum("grade", ParseGrade, "职级", "grade", true, Grade::kNone);
    row.count = q.Count("count", true);
    out.push_back(row);
  }
  return out;
}

std::vector<Id> IdList(FieldReader& r, const json& j, const char* key) {
  std::vector<Id> out;
  if (!r.Has(key)) {
    r.Missing(key);
    return out;
  }
  const json& list = j[key];
  if (!list.is_array() || list.empty()) {
    r.Fail(key, "应为非空的编号数组", "must be a non-empty array of ids");
    return out;
  }
  for (const json& v : list) {
    if (!v.is_number_integer() || v.get<Id>() <= 0) {
      r.Fail(key, "应为正整数编号", "must hold positive integer ids");
      return {};
    }
    out.push_back(v.get<Id>());
  }
  return out;
}

Grade GradeOf(FieldReader& r, bool required) {
  return r.Enum("grade", ParseGrade, "职级", "grade", required, Grade::kNone);
}

std::string QuotaKindOf(FieldReader& r, const StaffingSettings& s) {
  const std::string kind = r.Text("quota_kind", false, 100);
  return kind.empty() ? kind : NormaliseQuotaKind(kind, s);
}

}  // namespace

Result<Change> ParseChangeJson(const json& j, const StaffingSettings& s) {
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) {
    return MakeError(ErrorCode::kBadRequest, "请求应为含 type 字段的 JSON 对象",
                     "the request must be a JSON object with a \"type\" field");
  }
  const std::string type = j["type"].get<std::string>();
  std::vector<InputProblem> problems;
  Ctx c{problems, s};
  std::optional<Change> change;
  if (type == "establish_agency" || type == "设立机构") {
    FieldReader r(problems, j, "", 0, Keys({"agency", "quotas", "leadership_quotas"}));
    EstablishAgency e;
    if (!r.Has("agency")) r.Missing("agency");
    FieldReader a(problems, r.Object("agency"), "/agency", 0,
                  {"id", "name", "kind", "rank", "nameplates", "functions", "approval",
                   "parent_department", "localised", "town_assessment_weight"});
    e.agency = staffing_io::ReadAgency(a, false);
    e.quotas = QuotaRows(r, j, c, false);
    e.leadership_quotas = LeaderRows(r, j, c, false);
    change = std::move(e);
  } else if (type == "merge_agencies" || type == "合并机构") {
    FieldReader r(problems, j, "", 0,
                  Keys({"from", "into", "keep_names_as_nameplates", "approval"}));
    MergeAgencies m;
    m.from_agency_ids = IdList(r, j, "from");
    m.into_agency_id = r.Id("into", true);
    m.keep_names_as_nameplates =
        !r.Has("keep_names_as_nameplates") || r.Bool("keep_names_as_nameplates");
    m.approval = ApprovalOf(r, c);
    change = std::move(m);
  } else if (type == "abolish_agency" || type == "撤销机构") {
    FieldReader r(problems, j, "", 0, Keys({"agency", "staff_to", "approval"}));
    change = AbolishAgency{r.Id("agency", true), r.Id("staff_to", false), ApprovalOf(r, c)};
  } else if (type == "rename_agency" || type == "更名挂牌") {
    FieldReader r(problems, j, "", 0, Keys({"agency", "name", "nameplates", "approval"}));
    RenameAgency m;
    m.agency_id = r.Id("agency", true);
    m.name = r.Text("name", true, 200);
    m.nameplates = r.Strings("nameplates");
    m.approval = ApprovalOf(r, c);
    change = std::move(m);
  } else if (type == "adjust_quota" || type == "调整编制") {
    FieldReader r(problems, j, "", 0, Keys({"quotas", "leadership_quotas", "approval"}));
    AdjustQuota m;
    m.quotas = QuotaRows(r, j, c, true);
    m.leadership_quotas = LeaderRows(r, j, c, true);
    if (m.quotas.empty() && m.leadership_quotas.empty()) {
      r.Fail("quotas", "至少调整一项编制或领导职数",
             "adjust at least one quota or leadership post");
    }
    m.approval = ApprovalOf(r, c);
    change = std::move(m);
  } else if (type == "appoint" || type == "进人任职") {
    FieldReader r(problems, j, "", 0, Keys({"person", "consultation_record"}));
    if (!r.Has("person")) r.Missing("person");
    FieldReader p(problems, r.Object("person"), "/person", 0,
                  {"id", "name", "id_number", "agency", "agency_id", "post", "title", "grade",
                   "quota_kind", "is_leader", "grade_approval", "approved_grade", "certificate"});
    Appoint m;
    m.person = staffing_io::ReadPerson(p, s, false);
    m.consultation_record = r.Text("consultation_record", false, 200);
    change = std::move(m);
  } else if (type == "transfer" || type == "调动") {
    FieldReader r(
        problems, j, "", 0,
        Keys({"person", "to", "post", "title", "quota_kind", "is_leader", "consultation_record"}));
    Transfer m;
    m.person_id = r.Id("person", true);
    if (!r.Has("to")) r.Missing("to");
    m.to_agency_id = r.Count("to", false);  // 0: leaves the town
    m.post = r.Text("post", false, 100);
    m.title = r.Text("title", false, 100);
    m.quota_kind = QuotaKindOf(r, s);
    m.is_leader = r.Bool("is_leader");
    m.consultation_record = r.Text("consultation_record", false, 200);
    change = std::move(m);
  } else if (type == "promote" || type == "提拔") {
    FieldReader r(
        problems, j, "", 0,
        Keys({"person", "grade", "post", "title", "approval_record", "consultation_record"}));
    Promote m;
    m.person_id = r.Id("person", true);
    m.grade = GradeOf(r, true);
    m.post = r.Text("post", false, 100);
    m.title = r.Text("title", false, 100);
    m.approval_record = r.Text("approval_record", false, 200);
    m.consultation_record = r.Text("consultation_record", false, 200);
    change = std::move(m);
  } else if (type == "change_grade" || type == "职级调整") {
    FieldReader r(problems, j, "", 0,
                  Keys({"person", "grade", "approval_record", "consultation_record"}));
    ChangeGrade m;
    m.person_id = r.Id("person", true);
    m.grade = GradeOf(r, true);
    m.approval_record = r.Text("approval_record", false, 200);
    m.consultation_record = r.Text("consultation_record", false, 200);
    change = std::move(m);
  } else if (type == "set_title" || type == "设置职务名称") {
    FieldReader r(problems, j, "", 0, Keys({"person", "title"}));
    change = SetTitle{r.Id("person", true), r.Text("title", true, 100)};
  } else {
    return MakeError(ErrorCode::kBadRequest, "未知的变更类型“" + type + "”",
                     "unknown change type \"" + type + "\"");
  }
  if (!problems.empty()) {
    Error e = ProblemsError(problems);
    e.message_zh = "变更请求有 " + std::to_string(problems.size()) + " 处错误：" +
                   problems[0].where + (problems[0].where.empty() ? "" : " ") + problems[0].field +
                   " " + problems[0].message_zh;
    e.message_en = "the change request has " + std::to_string(problems.size()) +
                   " problem(s): " + problems[0].where + (problems[0].where.empty() ? "" : " ") +
                   problems[0].field + " " + problems[0].message_en;
    return e;
  }
  return std::move(*change);
}

}  // namespace quanze::domain
