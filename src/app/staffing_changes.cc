// The change request use case: one unit of work per request — load the
// town's staffing → domain::CheckChange → apply → journal. Requests of the
// types the domain does not model (fix_baseline, set_assessment_weight) are
// in staffing_records.cc.
#include <set>
#include <type_traits>
#include <variant>

#include "app/staffing.h"
#include "app/staffing_internal.h"
#include "app/staffing_records.h"
#include "domain/access.h"
#include "domain/staffing_io.h"

namespace quanze::app {

using nlohmann::json;
using namespace staffing;  // NOLINT: this file is the staffing service

namespace {

Error Invalid(std::string zh, std::string en) {
  return MakeError(ErrorCode::kValidation, std::move(zh), std::move(en));
}

// Agencies and people a change refers to (to find its town).
void Refs(const domain::Change& change, std::vector<domain::Id>& agencies,
          std::vector<domain::Id>& persons) {
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, domain::MergeAgencies>) {
          agencies.push_back(c.into_agency_id);
          agencies.insert(agencies.end(), c.from_agency_ids.begin(), c.from_agency_ids.end());
        } else if constexpr (std::is_same_v<T, domain::AbolishAgency> ||
                             std::is_same_v<T, domain::RenameAgency>) {
          agencies.push_back(c.agency_id);
        } else if constexpr (std::is_same_v<T, domain::AdjustQuota>) {
          for (const auto& q : c.quotas) agencies.push_back(q.agency_id);
          for (const auto& q : c.leadership_quotas) agencies.push_back(q.agency_id);
        } else if constexpr (std::is_same_v<T, domain::Appoint>) {
          agencies.push_back(c.person.agency_id);
        } else if constexpr (std::is_same_v<T, domain::EstablishAgency>) {
        } else {
          persons.push_back(c.person_id);
        }
      },
      change);
}

Result<std::string> TownOfChange(store::Connection& conn, const json& request,
                                 const domain::Change& change) {
  if (request.contains("town")) {
    if (!request["town"].is_string())
      return Invalid("town 应为区划代码", "town must be a region code");
    return request["town"].get<std::string>();
  }
  std::vector<domain::Id> agencies, persons;
  Refs(change, agencies, persons);
  for (domain::Id id : agencies) {
    QZ_ASSIGN_OR_RETURN(auto a, store::GetStaffingAgency(conn, id));
    if (a && a->state == "active") return a->town_code;
  }
  for (domain::Id id : persons) {
    QZ_ASSIGN_OR_RETURN(auto p, store::GetStaffingPerson(conn, id));
    if (p && p->state == "active") return p->town_code;
  }
  if (!agencies.empty() || !persons.empty()) {
    return MakeError(ErrorCode::kNotFound, "变更所涉机构或人员不存在",
                     "the agency or person the change refers to does not exist");
  }
  return Invalid("请用 town 指明所属的镇", "name the town with \"town\"");
}

// Approval defaults (docs/staffing.md §9): a missing level is the level of
// the account's role, a missing authority that of its scope region.
void FillApproval(json& approval, domain::ApprovingLevel level, const std::string& authority) {
  if (!approval.is_object()) return;
  if (!approval.contains("level"))
    approval["level"] = std::string(domain::ApprovingLevelCode(level));
  if (!approval.contains("authority") && !authority.empty()) approval["authority"] = authority;
}

// The request without ID numbers in clear, for the log and the change table.
json Sanitised(Tx& tx, json request) {
  if (request.contains("person") && request["person"].is_object()) {
    json& p = request["person"];
    if (p.contains("id_number") && p["id_number"].is_string()) {
      const std::string v = p["id_number"].get<std::string>();
      p.erase("id_number");
      if (!v.empty()) p["id_number_commitment"] = tx.Commitment("id_number", v);
    }
  }
  return request;
}

const domain::Approval* ApprovalOf(const domain::Change& change) {
  if (auto* c = std::get_if<domain::MergeAgencies>(&change)) return &c->approval;
  if (auto* c = std::get_if<domain::AbolishAgency>(&change)) return &c->approval;
  if (auto* c = std::get_if<domain::RenameAgency>(&change)) return &c->approval;
  if (auto* c = std::get_if<domain::AdjustQuota>(&change)) return &c->approval;
  return nullptr;
}

// The person a change is about, before and after: (id, name, grade, agency).
struct PersonTarget {
  domain::Id id = 0;
  std::string name;
  domain::Grade grade = domain::Grade::kNone;
  std::set<domain::Id> agencies;  // where the post is (before and after)
  std::string* consultation_record = nullptr;
  std::string* approval_record = nullptr;  // Promote / ChangeGrade
  domain::Person* appointed = nullptr;     // Appoint
};

std::optional<PersonTarget> TargetOf(domain::Change& change, const domain::TownStaffing& town) {
  PersonTarget t;
  auto existing = [&](domain::Id id) {
    t.id = id;
    if (const domain::Person* p = town.FindPerson(id)) {
      t.name = p->name;
      t.grade = p->grade;
      t.agencies.insert(p->agency_id);
    }
  };
  if (auto* c = std::get_if<domain::Appoint>(&change)) {
    t.id = c->person.id;
    t.name = c->person.name;
    t.grade = c->person.grade;
    t.agencies.insert(c->person.agency_id);
    t.consultation_record = &c->consultation_record;
    t.appointed = &c->person;
  } else if (auto* c = std::get_if<domain::Transfer>(&change)) {
    existing(c->person_id);
    if (c->to_agency_id != 0) t.agencies.insert(c->to_agency_id);
    t.consultation_record = &c->consultation_record;
  } else if (auto* c = std::get_if<domain::Promote>(&change)) {
    existing(c->person_id);
    t.grade = c->grade;
    t.consultation_record = &c->consultation_record;
    t.approval_record = &c->approval_record;
  } else if (auto* c = std::get_if<domain::ChangeGrade>(&change)) {
    existing(c->person_id);
    t.grade = c->grade;
    t.consultation_record = &c->consultation_record;
    t.approval_record = &c->approval_record;
  } else {
    return std::nullopt;
  }
  return t;
}

Status ResolveConsultation(store::Connection& conn, std::int64_t id, const std::string& town,
                           PersonTarget& target) {
  QZ_ASSIGN_OR_RETURN(auto rec, store::GetStaffingConsultation(conn, id));
  const std::string n = std::to_string(id);
  if (!rec || rec->town_code != town) {
    return MakeError(ErrorCode::kNotFound, "征求意见记录 " + n + " 不存在",
                     "no consultation record " + n + " in this town");
  }
  if (rec->used_by_change) {
    return MakeError(ErrorCode::kConflict,
                     "征求意见记录 " + n + " 已用于变更 " + std::to_string(*rec->used_by_change),
                     "consultation record " + n + " was already used by change " +
                         std::to_string(*rec->used_by_change));
  }
  const bool agency_ok = target.agencies.count(rec->agency_id) != 0;
  const bool person_ok = rec->person_id
                             ? *rec->person_id == target.id
                             : rec->candidate_name.empty() || rec->candidate_name == target.name;
  if (!agency_ok || !person_ok) {
    return Invalid("征求意见记录 " + n + " 针对的是另一机构或人员",
                   "consultation record " + n + " concerns another agency or person");
  }
  *target.consultation_record = "征求意见记录#" + n + " " + rec->document;
  return Ok();
}

Status ResolveGradeApproval(store::Connection& conn, std::int64_t id, const std::string& town,
                            PersonTarget& target) {
  QZ_ASSIGN_OR_RETURN(auto rec, store::GetStaffingGradeApproval(conn, id));
  const std::string n = std::to_string(id);
  if (!rec || rec->town_code != town) {
    return MakeError(ErrorCode::kNotFound, "职级审批记录 " + n + " 不存在",
                     "no grade approval " + n + " in this town");
  }
  if (rec->used_by_change) {
    return MakeError(ErrorCode::kConflict, "职级审批记录 " + n + " 已被使用",
                     "grade approval " + n + " was already used");
  }
  const bool person_ok =
      rec->person_id ? *rec->person_id == target.id : rec->candidate_name == target.name;
  if (!person_ok || rec->grade != domain::GradeCode(target.grade)) {
    return Invalid("职级审批记录 " + n + " 针对的是另一人员或职级",
                   "grade approval " + n + " is for another person or grade");
  }
  if (target.appointed != nullptr) {
    target.appointed->grade_approval = rec->doc;
    target.appointed->approved_grade = target.grade;
  } else if (target.approval_record != nullptr) {
    *target.approval_record = rec->doc;
  } else {
    return Invalid("此类变更不使用职级审批记录", "this change type takes no grade approval");
  }
  return Ok();
}

Status RejectFreeText(const json& request) {
  const bool free = request.contains("consultation_record") ||
                    request.contains("approval_record") ||
                    (request.contains("person") && request["person"].is_object() &&
                     (request["person"].contains("grade_approval") ||
                      request["person"].contains("approved_grade")));
  if (!free) return Ok();
  return Invalid("征求意见和职级审批须先登记，再以 consultation_id / grade_approval_id 引用",
                 "record consultations and grade approvals first, then refer to them with "
                 "consultation_id / grade_approval_id");
}

std::optional<std::int64_t> OptId(const json& request, const char* key) {
  if (!request.contains(key) || !request[key].is_number_integer()) return std::nullopt;
  return request[key].get<std::int64_t>();
}

}  // namespace

Result<json> StaffingService::ChangeInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                         const json& raw) const {
  if (!raw.is_object() || !raw.contains("type") || !raw["type"].is_string()) {
    return MakeError(ErrorCode::kBadRequest, "请求应为含 type 字段的 JSON 对象",
                     "the request must be a JSON object with a \"type\" field");
  }
  const std::string type = raw["type"].get<std::string>();
  if (type == "fix_baseline") return FixBaselineInTx(tx, user, actor, raw, settings_);
  if (type == "set_assessment_weight")
    return SetAssessmentWeightInTx(tx, user, actor, raw, settings_);
  QZ_TRY(RejectFreeText(raw));
  store::Connection& conn = tx.conn();

  json request = raw;
  std::string authority;
  if (user.scope != "all") {
    QZ_ASSIGN_OR_RETURN(auto scope_region, store::GetRegion(conn, user.scope));
    if (scope_region) authority = scope_region->name + "机构编制委员会";
  }
  const domain::ApprovingLevel level = LevelOfRole(user.role);
  if (request.contains("approval")) FillApproval(request["approval"], level, authority);
  if (request.contains("agency") && request["agency"].is_object() &&
      request["agency"].contains("approval")) {
    FillApproval(request["agency"]["approval"], level, authority);
  }
  QZ_ASSIGN_OR_RETURN(domain::Change change, domain::ParseChangeJson(request, settings_));
  QZ_ASSIGN_OR_RETURN(const std::string town_code, TownOfChange(conn, request, change));
  QZ_ASSIGN_OR_RETURN(store::RegionRecord town, RequireTown(conn, town_code));
  if (!domain::InScope(user.scope_path, town.path)) {
    Error e = OutOfScope(town_code);
    RecordDenied(tx, actor, "town:" + town_code, e);
    return e;
  }

  // Ids the system assigns.
  json created = json::object();
  if (auto* c = std::get_if<domain::EstablishAgency>(&change)) {
    QZ_ASSIGN_OR_RETURN(c->agency.id, store::NextStaffingId(conn, "agencies"));
    c->agency.town_code = town_code;
    for (auto& q : c->quotas) q.agency_id = c->agency.id;
    for (auto& q : c->leadership_quotas) q.agency_id = c->agency.id;
    created["agency_id"] = c->agency.id;
  } else if (auto* c = std::get_if<domain::Appoint>(&change)) {
    QZ_ASSIGN_OR_RETURN(c->person.id, store::NextStaffingId(conn, "people"));
    created["person_id"] = c->person.id;
    if (!c->person.id_number.empty()) {  // one person, one post (实名制)
      QZ_ASSIGN_OR_RETURN(auto holder, store::FindActiveStaffingPersonByCommitment(
                                           conn, tx.Commitment("id_number", c->person.id_number)));
      if (holder) {
        return MakeError(ErrorCode::kConflict,
                         "该公民身份号码的人员已在编在岗（人员 " + std::to_string(holder->id) +
                             "，" + holder->town_code + "）；请用调动（transfer）",
                         "a person with this ID number already holds a post (person " +
                             std::to_string(holder->id) + ", " + holder->town_code +
                             "); use a transfer");
      }
    }
  }

  QZ_ASSIGN_OR_RETURN(domain::TownStaffing before, LoadTown(conn, town_code));
  const auto consultation_id = OptId(request, "consultation_id");
  const auto approval_id = OptId(request, "grade_approval_id");
  if (consultation_id || approval_id) {
    std::optional<PersonTarget> target = TargetOf(change, before);
    if (!target) {
      return Invalid("此类变更不引用征求意见或职级审批记录",
                     "this change type takes no consultation or grade approval");
    }
    if (consultation_id) QZ_TRY(ResolveConsultation(conn, *consultation_id, town_code, *target));
    if (approval_id) QZ_TRY(ResolveGradeApproval(conn, *approval_id, town_code, *target));
  }

  domain::ChangeContext context;
  if (town.parent_code) {
    QZ_ASSIGN_OR_RETURN(auto county, LoadCountyPosition(conn, *town.parent_code));
    if (!county.baseline.empty()) context.county = std::move(county);
  }
  Status checked = domain::CheckChange(before, change, settings_, context);
  if (!checked.ok()) {
    Error e = checked.take_error();
    if (e.code == ErrorCode::kRuleViolation) {
      json data = {{"type", std::string(domain::ChangeCode(change))},
                   {"town", town_code},
                   {"request", Sanitised(tx, request)},
                   {"message_zh", e.message_zh},
                   {"message_en", e.message_en},
                   {"violations", e.detail.value("violations", json::array())}};
      tx.RecordOnFailure(
          Event{"staffing.change_refused", actor, "town", town_code, std::move(data)});
    }
    return e;
  }
  QZ_ASSIGN_OR_RETURN(domain::TownStaffing after, domain::ApplyChange(before, change));
  RemovedAgencies removed;
  if (auto* m = std::get_if<domain::MergeAgencies>(&change)) {
    removed.state = "merged";
    removed.merged_into = m->into_agency_id;
  }
  QZ_TRY(PersistDiff(tx, before, after, removed));

  QZ_ASSIGN_OR_RETURN(const std::int64_t change_id, store::NextStaffingId(conn, "changes"));
  if (consultation_id)
    QZ_TRY(store::MarkStaffingConsultationUsed(conn, *consultation_id, change_id));
  if (approval_id) {
    std::optional<PersonTarget> target = TargetOf(change, before);
    QZ_TRY(store::MarkStaffingGradeApprovalUsed(conn, *approval_id, change_id, target->id));
  }
  const domain::Approval* approval = ApprovalOf(change);
  domain::Approval own;  // an established agency carries its approval itself
  if (auto* e = std::get_if<domain::EstablishAgency>(&change)) {
    own = {e->agency.approving_authority, e->agency.approval_doc, e->agency.approving_level};
    approval = &own;
  }
  const std::string code(domain::ChangeCode(change));
  json sanitised = Sanitised(tx, request);
  json data = {{"change_id", change_id}, {"town", town_code}, {"request", sanitised}};
  data.update(created);
  if (approval != nullptr) {
    data["approval"] = {{"authority", approval->authority},
                        {"doc", approval->doc},
                        {"level", std::string(domain::ApprovingLevelCode(approval->level))}};
  }
  QZ_ASSIGN_OR_RETURN(Receipt receipt,
                      tx.Append(Event{"staffing." + code, actor, "town", town_code, data}));
  store::StaffingChangeRecord rec;
  rec.id = change_id;
  rec.town_code = town_code;
  rec.type = code;
  rec.request = sanitised.dump();
  if (approval != nullptr) {
    rec.approving_authority = approval->authority;
    rec.approval_doc = approval->doc;
    rec.approving_level = std::string(domain::ApprovingLevelCode(approval->level));
  }
  if (user.id != 0) rec.requested_by = user.id;
  rec.ledger_index = receipt.index;
  QZ_TRY(store::InsertStaffingChange(conn, rec, tx.now_seconds()));
  json out = {{"change_id", change_id}, {"type", code}, {"town", town_code}, {"state", "applied"}};
  out.update(created);
  return out;
}

Writer::Work StaffingService::ChangeWork(const AuthUser& user, const Actor& actor,
                                         json request) const {
  return [this, user, actor, request = std::move(request)](Tx& tx) {
    return ChangeInTx(tx, user, actor, request);
  };
}

}  // namespace quanze::app
