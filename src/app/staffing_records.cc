// Baselines, assessment weights, consultations and grade approvals: the
// records around the changes (see staffing_records.h and staffing.h).
#include "app/staffing_records.h"

#include <algorithm>
#include <span>

#include "app/staffing.h"
#include "app/staffing_internal.h"
#include "domain/access.h"
#include "domain/staffing_io.h"
#include "domain/staffing_io_internal.h"

namespace quanze::app {

using nlohmann::json;

namespace staffing {
namespace {

Error Refuse(Tx& tx, const Actor& actor, const std::string& region, const std::string& type,
             const domain::Violation& v) {
  const json violations = domain::ViolationsToJson(std::span<const domain::Violation>(&v, 1));
  Error e = MakeError(
      ErrorCode::kRuleViolation,
      "变更被拒绝（" + std::string(domain::RuleNameZh(v.rule)) + "）：" + v.evidence_zh,
      "Change refused (" + std::string(domain::RuleCodeName(v.rule)) + "): " + v.evidence_en,
      json{{"changes", json::array({type})}, {"violations", violations}});
  tx.RecordOnFailure(Event{"staffing.change_refused",
                           actor,
                           "region",
                           region,
                           {{"type", type},
                            {"town", region},
                            {"message_zh", e.message_zh},
                            {"message_en", e.message_en},
                            {"violations", violations}}});
  return e;
}

// Reads a request's fields with every problem listed (kValidation).
Status Problems(const std::vector<domain::InputProblem>& problems) {
  if (problems.empty()) return Ok();
  Error e = domain::ProblemsError(problems);
  e.message_zh = "请求有 " + std::to_string(problems.size()) + " 处错误：" + problems[0].field +
                 " " + problems[0].message_zh;
  e.message_en = "the request has " + std::to_string(problems.size()) +
                 " problem(s): " + problems[0].field + " " + problems[0].message_en;
  return e;
}

Status CheckScope(Tx& tx, const AuthUser& user, const Actor& actor, const store::RegionRecord& r) {
  if (domain::InScope(user.scope_path, r.path)) return Ok();
  Error e = OutOfScope(r.code);
  RecordDenied(tx, actor, "region:" + r.code, e);
  return e;
}

std::vector<domain::QuotaTotal> Sum(const std::vector<domain::TownStaffing>& towns) {
  std::vector<domain::QuotaTotal> out;
  for (const auto& t : towns) {
    for (const auto& total : domain::TownTotals(t)) {
      auto it =
          std::find_if(out.begin(), out.end(), [&](const auto& x) { return x.kind == total.kind; });
      if (it == out.end())
        out.push_back(total);
      else
        it->count += total.count;
    }
  }
  return out;
}

}  // namespace

Result<json> FixBaselineInTx(Tx& tx, const AuthUser& user, const Actor& actor, const json& request,
                             const domain::StaffingSettings& s) {
  std::vector<domain::InputProblem> problems;
  domain::staffing_io::FieldReader r(problems, request, "", 0,
                                     {"type", "region", "totals", "document", "note"});
  const std::string region_code = r.Text("region", true, 20);
  const std::string document = r.Text("document", false, 200);
  std::vector<domain::QuotaTotal> given;
  if (request.contains("totals")) {
    const json& t = request["totals"];
    if (!t.is_object())
      r.Fail("totals", "应为对象 {类别: 数量}", "must be an object {kind: count}");
    else {
      for (auto it = t.begin(); it != t.end(); ++it) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
          r.Fail("totals." + it.key(), "应为非负整数", "must be a non-negative integer");
          continue;
        }
        given.push_back({domain::NormaliseQuotaKind(it.key(), s), it->get<int>()});
      }
    }
  }
  QZ_TRY(Problems(problems));
  store::Connection& c = tx.conn();
  QZ_ASSIGN_OR_RETURN(store::RegionRecord region, RequireRegion(c, region_code));
  if (region.level != "town" && region.level != "county") {
    return MakeError(ErrorCode::kValidation, "编制基数只能核定到镇或县",
                     "a baseline is fixed for a town or a county");
  }
  QZ_TRY(CheckScope(tx, user, actor, region));
  QZ_ASSIGN_OR_RETURN(RegionStaffing loaded, LoadRegion(c, region.path, /*for_scan=*/true));
  if (given.empty()) given = Sum(loaded.towns);
  QZ_ASSIGN_OR_RETURN(auto current, store::ListStaffingBaselines(c, region_code));
  for (const domain::QuotaTotal& t : given) {
    if (current.empty()) break;
    std::int64_t old = 0;
    for (const auto& b : current) {
      if (b.kind == t.kind) old = b.count;
    }
    if (t.count <= old) continue;
    const std::string kind_zh(s.QuotaKindNameZh(t.kind));
    domain::Violation v{domain::RuleCode::kQuotaTotalIncrease,
                        0,
                        0,
                        "baseline:" + t.kind,
                        static_cast<int>(t.count - old),
                        region.name + kind_zh + "基数由 " + std::to_string(old) + " 名调高至 " +
                            std::to_string(t.count) + " 名；编制基数只减不增",
                        "The " + t.kind + " baseline of " + region_code + " would rise from " +
                            std::to_string(old) + " to " + std::to_string(t.count) +
                            "; baselines may only go down"};
    return Refuse(tx, actor, region_code, "fix_baseline", v);
  }
  json totals = json::object();
  for (const domain::QuotaTotal& t : given) {
    QZ_TRY(
        store::PutStaffingBaseline(c, {region_code, t.kind, t.count, document, tx.now_seconds()}));
    totals[t.kind] = t.count;
  }
  const std::string type =
      current.empty() ? "staffing.baseline_fixed" : "staffing.baseline_lowered";
  json data = {
      {"region", region_code}, {"level", region.level}, {"totals", totals}, {"document", document}};
  QZ_TRY(tx.Append(Event{type, actor, "region", region_code, data}));
  return json{{"type", "fix_baseline"},
              {"region", region_code},
              {"totals", totals},
              {"state", current.empty() ? "fixed" : "lowered"}};
}

Result<json> SetAssessmentWeightInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                     const json& request, const domain::StaffingSettings& s) {
  std::vector<domain::InputProblem> problems;
  domain::staffing_io::FieldReader r(problems, request, "", 0,
                                     {"type", "agency", "town_assessment_weight", "note", "town"});
  const domain::Id agency_id = r.Id("agency", true);
  if (!r.Has("town_assessment_weight")) r.Missing("town_assessment_weight");
  const double weight = r.Share("town_assessment_weight");
  QZ_TRY(Problems(problems));
  store::Connection& c = tx.conn();
  QZ_ASSIGN_OR_RETURN(auto rec, store::GetStaffingAgency(c, agency_id));
  if (!rec || rec->state != "active") {
    return MakeError(ErrorCode::kNotFound, "机构 " + std::to_string(agency_id) + " 不存在",
                     "agency " + std::to_string(agency_id) + " does not exist");
  }
  QZ_ASSIGN_OR_RETURN(store::RegionRecord town, RequireTown(c, rec->town_code));
  QZ_TRY(CheckScope(tx, user, actor, town));
  domain::Agency a = ToDomain(*rec);
  if (a.kind != domain::AgencyKind::kDispatched) {
    return MakeError(ErrorCode::kValidation, "只有派驻机构才有镇考核权重",
                     "only a dispatched agency has a town assessment weight");
  }
  a.town_assessment_weight = weight;
  domain::TownStaffing probe;
  probe.town_code = a.town_code;
  probe.agencies.push_back(a);
  auto found = domain::CheckDispatchedAssessment(probe, s);
  if (!found.empty()) return Refuse(tx, actor, a.town_code, "set_assessment_weight", found[0]);
  store::StaffingAgencyRecord updated = ToRecord(a);
  QZ_TRY(store::UpdateStaffingAgency(c, updated, tx.now_seconds()));
  json data = {{"agency_id", agency_id}, {"town", a.town_code}, {"town_assessment_weight", weight}};
  QZ_TRY(tx.Append(
      Event{"staffing.assessment_weight_set", actor, "agency", std::to_string(agency_id), data}));
  return json{{"type", "set_assessment_weight"},
              {"agency_id", agency_id},
              {"town_assessment_weight", weight},
              {"state", "applied"}};
}

}  // namespace staffing

using namespace staffing;  // NOLINT: this file is the staffing service

Result<json> StaffingService::ConsultationInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                               const json& request) const {
  std::vector<domain::InputProblem> problems;
  domain::staffing_io::FieldReader r(problems, request, "", 0,
                                     {"agency", "action", "person", "candidate_name", "post",
                                      "town_opinion", "document", "consulted_on", "note"});
  store::StaffingConsultationRecord rec;
  rec.agency_id = r.Id("agency", true);
  rec.action = r.Has("action") ? r.Text("action", true, 20) : "appoint";
  if (rec.action != "appoint" && rec.action != "remove") {
    r.Fail("action", "应为 appoint（任命）或 remove（免职）", "must be appoint or remove");
  }
  if (r.Has("person")) rec.person_id = r.Id("person", true);
  rec.candidate_name = r.Text("candidate_name", false, 100);
  rec.post = r.Text("post", false, 100);
  rec.town_opinion = r.Text("town_opinion", false, 2000);
  rec.document = r.Text("document", true, 200);
  auto on = r.DateField("consulted_on");
  if (!r.Has("consulted_on")) r.Missing("consulted_on");
  QZ_TRY(Problems(problems));
  rec.consulted_on = on ? on->ToString() : "";
  store::Connection& c = tx.conn();
  QZ_ASSIGN_OR_RETURN(auto agency, store::GetStaffingAgency(c, rec.agency_id));
  if (!agency || agency->state != "active") {
    return MakeError(ErrorCode::kNotFound, "机构 " + std::to_string(rec.agency_id) + " 不存在",
                     "agency " + std::to_string(rec.agency_id) + " does not exist");
  }
  QZ_ASSIGN_OR_RETURN(store::RegionRecord town, RequireTown(c, agency->town_code));
  QZ_TRY(CheckScope(tx, user, actor, town));
  if (agency->kind != "dispatched") {
    return MakeError(ErrorCode::kValidation, "只有派驻机构的干部任免需要事先征求镇党委和政府意见",
                     "only leaders of dispatched agencies need a prior consultation");
  }
  if (rec.person_id) {
    QZ_ASSIGN_OR_RETURN(auto person, store::GetStaffingPerson(c, *rec.person_id));
    if (!person || person->town_code != town.code || person->state != "active") {
      return MakeError(ErrorCode::kNotFound, "人员 " + std::to_string(*rec.person_id) + " 不存在",
                       "person " + std::to_string(*rec.person_id) + " does not exist");
    }
    if (rec.candidate_name.empty()) rec.candidate_name = person->name;
  } else if (rec.candidate_name.empty()) {
    return MakeError(ErrorCode::kValidation,
                     "请填写 person（现有人员）或 candidate_name（拟任人选）",
                     "give person (an existing person) or candidate_name");
  }
  rec.town_code = town.code;
  QZ_ASSIGN_OR_RETURN(rec.id, store::NextStaffingId(c, "consultations"));
  QZ_TRY(store::InsertStaffingConsultation(c, rec, tx.now_seconds()));
  json out = {{"consultation_id", rec.id},
              {"town", town.code},
              {"agency_id", rec.agency_id},
              {"action", rec.action},
              {"candidate_name", rec.candidate_name},
              {"post", rec.post},
              {"town_opinion", rec.town_opinion},
              {"document", rec.document},
              {"consulted_on", rec.consulted_on}};
  if (rec.person_id) out["person_id"] = *rec.person_id;
  QZ_TRY(tx.Append(Event{"staffing.consultation_recorded", actor, "agency",
                         std::to_string(rec.agency_id), out}));
  return out;
}

Result<json> StaffingService::GradeApprovalInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                                const json& request) const {
  std::vector<domain::InputProblem> problems;
  domain::staffing_io::FieldReader r(problems, request, "", 0,
                                     {"town", "person", "candidate_name", "grade", "authority",
                                      "doc", "level", "approved_on", "note"});
  store::StaffingGradeApprovalRecord rec;
  rec.town_code = r.Text("town", false, 20);
  if (r.Has("person")) rec.person_id = r.Id("person", true);
  rec.candidate_name = r.Text("candidate_name", false, 100);
  const domain::Grade grade =
      r.Enum("grade", domain::ParseGrade, "职级", "grade", true, domain::Grade::kNone);
  rec.grade = std::string(domain::GradeCode(grade));
  rec.authority = r.Text("authority", false, 200);
  rec.doc = r.Text("doc", true, 200);
  const domain::ApprovingLevel level = r.Enum("level", domain::ParseApprovingLevel, "审批机关层级",
                                              "approving level", false, LevelOfRole(user.role));
  auto on = r.DateField("approved_on");
  if (!r.Has("approved_on")) r.Missing("approved_on");
  QZ_TRY(Problems(problems));
  rec.level = std::string(domain::ApprovingLevelCode(level));
  rec.approved_on = on ? on->ToString() : "";
  store::Connection& c = tx.conn();
  if (rec.person_id) {
    QZ_ASSIGN_OR_RETURN(auto person, store::GetStaffingPerson(c, *rec.person_id));
    if (!person || person->state != "active") {
      return MakeError(ErrorCode::kNotFound, "人员 " + std::to_string(*rec.person_id) + " 不存在",
                       "person " + std::to_string(*rec.person_id) + " does not exist");
    }
    rec.town_code = person->town_code;
    if (rec.candidate_name.empty()) rec.candidate_name = person->name;
  } else if (rec.candidate_name.empty() || rec.town_code.empty()) {
    return MakeError(ErrorCode::kValidation, "请填写 person，或 town 和 candidate_name",
                     "give person, or town and candidate_name");
  }
  QZ_ASSIGN_OR_RETURN(store::RegionRecord town, RequireTown(c, rec.town_code));
  QZ_TRY(CheckScope(tx, user, actor, town));
  if (!settings_.IsEntitled(level)) {
    return MakeError(ErrorCode::kValidation,
                     "职级审批须由有权机关作出，" +
                         std::string(domain::ApprovingLevelNameZh(level)) + "机关无权审批",
                     "a grade approval must come from an entitled body; level " +
                         std::string(domain::ApprovingLevelCode(level)) + " is not entitled");
  }
  if (rec.authority.empty() && user.scope != "all") {
    QZ_ASSIGN_OR_RETURN(auto scope_region, store::GetRegion(c, user.scope));
    if (scope_region) rec.authority = scope_region->name + "委组织部";
  }
  QZ_ASSIGN_OR_RETURN(rec.id, store::NextStaffingId(c, "grade_approvals"));
  QZ_TRY(store::InsertStaffingGradeApproval(c, rec, tx.now_seconds()));
  json out = {{"grade_approval_id", rec.id},
              {"town", rec.town_code},
              {"candidate_name", rec.candidate_name},
              {"grade", rec.grade},
              {"authority", rec.authority},
              {"doc", rec.doc},
              {"level", rec.level},
              {"approved_on", rec.approved_on}};
  if (rec.person_id) out["person_id"] = *rec.person_id;
  QZ_TRY(tx.Append(Event{"staffing.grade_approval_recorded", actor, "town", rec.town_code, out}));
  return out;
}

Writer::Work StaffingService::ConsultationWork(const AuthUser& user, const Actor& actor,
                                               json request) const {
  return [this, user, actor, request = std::move(request)](Tx& tx) {
    return ConsultationInTx(tx, user, actor, request);
  };
}

Writer::Work StaffingService::GradeApprovalWork(const AuthUser& user, const Actor& actor,
                                                json request) const {
  return [this, user, actor, request = std::move(request)](Tx& tx) {
    return GradeApprovalInTx(tx, user, actor, request);
  };
}

}  // namespace quanze::app
