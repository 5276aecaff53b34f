// Set-up of legal authority, each a journaled change: which town agency
// handles a granted power, which procedure steps each post may perform,
// who is qualified for 法制审核, and which real-name person an account is.
#include <regex>

#include "app/cases_internal.h"
#include "app/staffing_internal.h"
#include "domain/access.h"
#include "store/catalogue_store.h"

namespace quanze::app {

using nlohmann::json;

namespace {

bool MaySetUp(const AuthUser& user) {
  return user.role == domain::Role::kAdmin || user.role == domain::Role::kTownLeader ||
         user.role == domain::Role::kCountyStaffing || user.role == domain::Role::kProvinceStaffing;
}

Error NotAllowed() {
  return MakeError(ErrorCode::kForbidden, "只有管理员、镇领导或编办可以配置办理权限",
                   "only admins, town leaders and staffing offices may configure case authority");
}

Result<std::int64_t> RequiredId(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<std::int64_t>() <= 0) {
    return MakeError(ErrorCode::kBadRequest, std::string("缺少 ") + key + "（正整数）",
                     std::string(key) + " (a positive integer) is required");
  }
  return j[key].get<std::int64_t>();
}

// The agency (active) and its town, in the user's scope.
Result<std::string> AgencyTown(store::Connection& c, const AuthUser& user, std::int64_t agency_id) {
  QZ_ASSIGN_OR_RETURN(auto found, store::ActiveAgencyTown(c, agency_id));
  if (!found) {
    return MakeError(ErrorCode::kNotFound, "机构 " + std::to_string(agency_id) + " 不存在或已撤销",
                     "agency " + std::to_string(agency_id) + " does not exist or is not active");
  }
  std::string town = *found;
  QZ_TRY(cases::TownInScope(c, user, town));
  return town;
}

}  // namespace

Writer::Work CaseService::AssignAgencyWork(const AuthUser& user, json request) const {
  return [user, request = std::move(request)](Tx& tx) -> Result<json> {
    if (!MaySetUp(user)) return NotAllowed();
    QZ_ASSIGN_OR_RETURN(std::int64_t grant_id, RequiredId(request, "grant_id"));
    QZ_ASSIGN_OR_RETURN(std::int64_t agency_id, RequiredId(request, "agency_id"));
    QZ_ASSIGN_OR_RETURN(auto grant, store::GetGrant(tx.conn(), grant_id));
    if (!grant) {
      return MakeError(ErrorCode::kNotFound, "赋权 " + std::to_string(grant_id) + " 不存在",
                       "grant " + std::to_string(grant_id) + " does not exist");
    }
    QZ_ASSIGN_OR_RETURN(std::string town, AgencyTown(tx.conn(), user, agency_id));
    if (town != grant->town_code) {
      return MakeError(ErrorCode::kValidation, "承办机构须属于被赋权的镇",
                       "the handling agency must belong to the town that holds the grant");
    }
    QZ_TRY(store::AssignGrantAgency(tx.conn(), grant_id, agency_id, tx.now_seconds()));
    QZ_ASSIGN_OR_RETURN(Receipt receipt,
                        tx.Append(Event{"grant.agency_assigned", user.AsActor(), "grant",
                                        std::to_string(grant_id),
                                        {{"town_code", town},
                                         {"power_code", grant->power_code},
                                         {"agency_id", agency_id}}}));
    return json{{"grant_id", grant_id}, {"agency_id", agency_id}, {"receipt_index", receipt.index}};
  };
}

Writer::Work CaseService::PostStepsWork(const AuthUser& user, json request) const {
  return [this, user, request = std::move(request)](Tx& tx) -> Result<json> {
    if (!MaySetUp(user)) return NotAllowed();
    QZ_ASSIGN_OR_RETURN(std::int64_t agency_id, RequiredId(request, "agency_id"));
    std::string post = request.value("post", "");
    if (post.empty() || post.size() > 100) {
      return MakeError(ErrorCode::kBadRequest, "缺少岗位（post）", "post is required");
    }
    if (!request.contains("steps") || !request["steps"].is_array() || request["steps"].size() > 200) {
      return MakeError(ErrorCode::kBadRequest, "steps 须为数组，如 [\"licensing:accept\", \"inspection:*\"]",
                       "steps must be an array such as [\"licensing:accept\", \"inspection:*\"]");
    }
    json errors = json::array();
    std::vector<std::string> steps;
    for (const auto& s : request["steps"]) {
      std::string v = s.is_string() ? s.get<std::string>() : "";
      auto colon = v.find(':');
      const domain::Procedure* p =
          colon == std::string::npos ? nullptr : rules_.procedures.Latest(v.substr(0, colon));
      std::string step = colon == std::string::npos ? "" : v.substr(colon + 1);
      if (!p || (step != "*" && !p->FindStep(step))) {
        errors.push_back(v);
        continue;
      }
      steps.push_back(v);
    }
    if (!errors.empty()) {
      return MakeError(ErrorCode::kValidation, "未知的程序步骤", "unknown procedure steps",
                       json{{"unknown", errors}});
    }
    QZ_ASSIGN_OR_RETURN(std::string town, AgencyTown(tx.conn(), user, agency_id));
    QZ_TRY(store::PutPostSteps(tx.conn(), agency_id, post, json(steps).dump(), tx.now_seconds()));
    QZ_ASSIGN_OR_RETURN(Receipt receipt,
                        tx.Append(Event{"post.steps_set", user.AsActor(), "agency",
                                        std::to_string(agency_id),
                                        {{"town_code", town}, {"post", post}, {"steps", steps}}}));
    return json{{"agency_id", agency_id}, {"post", post}, {"steps", steps},
                {"receipt_index", receipt.index}};
  };
}

Writer::Work CaseService::LegalReviewerWork(const AuthUser& user, json request) const {
  return [user, request = std::move(request)](Tx& tx) -> Result<json> {
    // Qualified by the county's legal-affairs body, never by the town it reviews
    // (the system user sets up the demo).
    if (user.id != 0 && !domain::RoleHas(user.role, domain::Permission::kQualifyLegalReviewers)) {
      tx.RecordOnFailure(Event{"person.legal_reviewer_refused", user.AsActor(), "person",
                               request.contains("person_id") ? request["person_id"].dump() : "",
                               {{"rule", "qualified_by_county_legal"}}});
      return MakeError(ErrorCode::kForbidden, "法制审核人员资格由县级司法行政部门认定",
                       "legal reviewers are qualified by the county legal-affairs body");
    }
    QZ_ASSIGN_OR_RETURN(std::int64_t person_id, RequiredId(request, "person_id"));
    std::string document = request.value("document", "");
    if (document.empty() || document.size() > 200) {
      return MakeError(ErrorCode::kBadRequest, "缺少资格依据（document，如法律职业资格证书编号）",
                       "document (e.g. the legal qualification certificate) is required");
    }
    QZ_ASSIGN_OR_RETURN(auto people, store::LoadOfficers(tx.conn(), {person_id}));
    if (people.empty() || !people[0].active) {
      return MakeError(ErrorCode::kNotFound, "人员不存在或已离岗", "no such active person");
    }
    QZ_TRY(cases::TownInScope(tx.conn(), user, people[0].town_code));
    QZ_TRY(store::PutLegalReviewer(tx.conn(), person_id, document, tx.now_seconds()));
    QZ_ASSIGN_OR_RETURN(Receipt receipt,
                        tx.Append(Event{"person.legal_reviewer", user.AsActor(), "person",
                                        std::to_string(person_id),
                                        {{"town_code", people[0].town_code}, {"document", document}}}));
    return json{{"person_id", person_id}, {"legal_reviewer", true}, {"receipt_index", receipt.index}};
  };
}

Writer::Work CaseService::LinkUserWork(const AuthUser& user, json request) const {
  return [user, request = std::move(request)](Tx& tx) -> Result<json> {
    if (user.role != domain::Role::kAdmin) {
      return MakeError(ErrorCode::kForbidden, "只有管理员可以关联账号与实名人员",
                       "only admins may link accounts to people");
    }
    QZ_ASSIGN_OR_RETURN(std::int64_t user_id, RequiredId(request, "user_id"));
    QZ_ASSIGN_OR_RETURN(std::int64_t person_id, RequiredId(request, "person_id"));
    QZ_ASSIGN_OR_RETURN(auto account, store::FindUserById(tx.conn(), user_id));
    if (!account) return MakeError(ErrorCode::kNotFound, "账号不存在", "no such account");
    QZ_ASSIGN_OR_RETURN(auto people, store::LoadOfficers(tx.conn(), {person_id}));
    if (people.empty()) return MakeError(ErrorCode::kNotFound, "人员不存在", "no such person");
    QZ_TRY(store::LinkUserPerson(tx.conn(), user_id, person_id, tx.now_seconds()));
    QZ_ASSIGN_OR_RETURN(Receipt receipt,
                        tx.Append(Event{"user.person_linked", user.AsActor(), "user",
                                        std::to_string(user_id), {{"person_id", person_id}}}));
    return json{{"user_id", user_id}, {"person_id", person_id}, {"receipt_index", receipt.index}};
  };
}

}  // namespace quanze::app
