// The read side of the staffing service: agencies with quota vs actual, one
// agency with its people (ID numbers masked), the violations scan and the
// public organisation of a town.
#include "app/staffing.h"

#include <algorithm>
#include <map>

#include "app/staffing_internal.h"
#include "domain/access.h"

namespace quanze::app {

using nlohmann::json;
using namespace staffing;  // NOLINT: this file is the staffing service

StaffingService::StaffingService(store::Database& db, Writer& writer, const Clock& clock)
    : db_(db), writer_(writer), clock_(clock), settings_(domain::DefaultStaffingSettings()) {}

AuthUser SystemStaffingUser() {
  AuthUser u;
  u.id = 0;
  u.name = "system";
  u.role = domain::Role::kAdmin;
  u.scope = "all";
  u.scope_path = "all";
  return u;
}

namespace {

domain::Grade Bucket(const domain::Person& p) {
  return domain::IsLeadershipGrade(p.grade) ? p.grade : domain::Grade::kNone;
}

// An agency as the public and the staff see it: no personal data unless
// `holders` (the names of leaders, for staff).
json AgencySummary(const domain::Agency& a, const domain::TownStaffing& town,
                   const domain::StaffingSettings& s, bool holders) {
  std::vector<std::string> kinds;
  std::map<std::string, int> approved, actual;
  for (const domain::Quota& q : town.quotas) {
    if (q.agency_id != a.id) continue;
    if (approved.count(q.kind) == 0) kinds.push_back(q.kind);
    approved[q.kind] += q.count;
  }
  std::map<int, int> lead_approved, lead_filled;
  std::map<int, std::vector<std::string>> lead_names;
  int people = 0;
  for (const domain::Person& p : town.persons) {
    if (p.agency_id != a.id) continue;
    ++people;
    if (approved.count(p.quota_kind) == 0 && actual.count(p.quota_kind) == 0)
      kinds.push_back(p.quota_kind);
    ++actual[p.quota_kind];
    if (domain::OccupiesLeadershipPost(p)) {
      ++lead_filled[static_cast<int>(Bucket(p))];
      lead_names[static_cast<int>(Bucket(p))].push_back(p.name);
    }
  }
  for (const domain::LeadershipQuota& q : town.leadership_quotas) {
    if (q.agency_id == a.id) lead_approved[static_cast<int>(q.grade)] += q.count;
  }
  json quotas = json::array();
  int total_approved = 0;
  for (const std::string& k : kinds) {
    json row = QuotaKindJson(s, k);
    row["approved"] = approved[k];
    row["actual"] = actual[k];
    total_approved += approved[k];
    quotas.push_back(std::move(row));
  }
  json leaders = json::array();
  std::map<int, int> grades = lead_approved;
  for (const auto& [g, n] : lead_filled) grades.emplace(g, 0);
  for (const auto& entry : grades) {
    const int g = entry.first;
    const auto grade = static_cast<domain::Grade>(g);
    json row = {
        {"grade", std::string(domain::GradeCode(grade))},
        {"grade_zh", grade == domain::Grade::kNone ? "股级及以下领导岗位"
                                                   : std::string(domain::GradeNameZh(grade))},
        {"approved", lead_approved[g]},
        {"filled", lead_filled[g]}};
    if (holders) row["holders"] = lead_names[g];
    leaders.push_back(std::move(row));
  }
  return {{"id", a.id},
          {"town_code", town.town_code},
          {"name", a.name},
          {"nameplates", a.nameplates},
          {"kind", std::string(domain::AgencyKindCode(a.kind))},
          {"kind_zh", std::string(domain::AgencyKindNameZh(a.kind))},
          {"rank", std::string(domain::AgencyRankCode(a.rank))},
          {"rank_zh", std::string(domain::AgencyRankNameZh(a.rank))},
          {"functions", a.functions},
          {"approving_authority", a.approving_authority},
          {"approval_doc", a.approval_doc},
          {"approving_level", std::string(domain::ApprovingLevelCode(a.approving_level))},
          {"parent_department", a.parent_department},
          {"localised", a.localised},
          {"town_assessment_weight", a.town_assessment_weight},
          {"quotas", quotas},
          {"headcount", {{"approved", total_approved}, {"actual", people}}},
          {"leadership_posts", leaders}};
}

json TownTotalsJson(const domain::TownStaffing& town, const domain::StaffingSettings& s) {
  std::map<std::string, int> actual;
  for (const domain::Person& p : town.persons) {
    const domain::Agency* a = town.FindAgency(p.agency_id);
    if (a == nullptr || domain::CountsTowardTownTotal(*a)) ++actual[p.quota_kind];
  }
  json out = json::array();
  for (const domain::QuotaTotal& t : domain::TownTotals(town)) {
    json row = QuotaKindJson(s, t.kind);
    row["approved"] = t.count;
    row["actual"] = actual[t.kind];
    json base;
    for (const auto& b : town.baseline.totals) {
      if (b.kind == t.kind) base = b.count;
    }
    row["baseline"] = base;
    out.push_back(std::move(row));
  }
  return out;
}

json TownJson(const store::RegionRecord& r) { return {{"code", r.code}, {"name", r.name}}; }

}  // namespace

Result<json> StaffingService::ListAgencies(const AuthUser& user, const std::string& town_code) {
  json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(store::RegionRecord town, RequireTown(c, town_code));
    if (!domain::InScope(user.scope_path, town.path)) return OutOfScope(town_code);
    QZ_ASSIGN_OR_RETURN(domain::TownStaffing staffing, LoadTown(c, town_code));
    json items = json::array();
    int capped = 0;
    for (const domain::Agency& a : staffing.agencies) {
      items.push_back(AgencySummary(a, staffing, settings_, true));
      for (domain::AgencyKind k : settings_.capped_agency_kinds) capped += a.kind == k ? 1 : 0;
    }
    out = {
        {"town", TownJson(town)},
        {"items", items},
        {"next_cursor", nullptr},
        {"totals", TownTotalsJson(staffing, settings_)},
        {"integrated_agencies", {{"count", capped}, {"limit", settings_.max_integrated_agencies}}}};
    return Ok();
  }));
  return out;
}

Result<json> StaffingService::GetAgency(const AuthUser& user, std::int64_t agency_id) {
  json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto rec, store::GetStaffingAgency(c, agency_id));
    if (!rec) {
      return MakeError(ErrorCode::kNotFound, "机构 " + std::to_string(agency_id) + " 不存在",
                       "agency " + std::to_string(agency_id) + " does not exist");
    }
    QZ_ASSIGN_OR_RETURN(store::RegionRecord town, RequireTown(c, rec->town_code));
    if (!domain::InScope(user.scope_path, town.path)) return OutOfScope(town.code);
    QZ_ASSIGN_OR_RETURN(domain::TownStaffing staffing, LoadTown(c, rec->town_code));
    domain::Agency agency = ToDomain(*rec);
    out = AgencySummary(agency, staffing, settings_, true);
    out["state"] = rec->state;
    out["merged_into"] = rec->merged_into ? json(*rec->merged_into) : json();
    out["town"] = TownJson(town);
    QZ_ASSIGN_OR_RETURN(auto people, store::ListStaffingPeopleOfAgency(c, agency_id));
    auto parsed_today = domain::ParseDate(FormatDate(clock_.Now()));
    const domain::Date today = parsed_today.ok() ? *parsed_today : domain::Date();
    json list = json::array();
    for (const auto& p : people) {
      domain::Person d = ToDomain(p);
      json cert;
      if (!d.certificate.number.empty()) {
        cert = {{"number", d.certificate.number},
                {"valid_from", p.cert_valid_from},
                {"valid_to", p.cert_valid_to},
                {"valid_today", domain::CertificateValidOn(d.certificate, today)}};
      }
      list.push_back(
          {{"id", p.id},
           {"name", p.name},
           {"id_number_masked", p.id_number ? json(domain::MaskIdNumber(*p.id_number)) : json()},
           {"post", p.post},
           {"title", p.title},
           {"grade", p.grade},
           {"grade_zh", std::string(domain::GradeNameZh(d.grade))},
           {"quota_kind", p.quota_kind},
           {"quota_kind_zh", std::string(settings_.QuotaKindNameZh(p.quota_kind))},
           {"is_leader", p.is_leader},
           {"grade_approval", p.grade_approval},
           {"approved_grade", p.approved_grade},
           {"certificate", cert}});
    }
    out["people"] = std::move(list);
    json violations = json::array();
    for (const domain::Violation& v : domain::Scan(staffing, settings_)) {
      if (v.agency_id == agency_id) violations.push_back(ViolationItem(v, staffing, town.name));
    }
    out["violations"] = std::move(violations);
    return Ok();
  }));
  return out;
}

Result<json> StaffingService::Violations(const AuthUser& user, const std::string& region_code,
                                         std::int64_t offset, int limit) {
  json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(store::RegionRecord region, RequireRegion(c, region_code));
    if (!domain::InScope(user.scope_path, region.path)) return OutOfScope(region_code);
    QZ_ASSIGN_OR_RETURN(RegionStaffing loaded, LoadRegion(c, region.path, /*for_scan=*/true));
    QZ_ASSIGN_OR_RETURN(auto regions,
                        store::ListRegions(c, region.path, std::nullopt, "", 1 << 20));
    std::map<std::string, std::string> names;
    for (const auto& r : regions) names[r.code] = r.name;
    json items = json::array();
    std::map<std::string, int> by_rule;
    std::int64_t persons = 0, agencies = 0, total = 0;
    auto add = [&](json item) {
      ++by_rule[item["rule"].get<std::string>()];
      if (total >= offset && total < offset + limit) items.push_back(std::move(item));
      ++total;
    };
    std::map<std::string, std::vector<domain::QuotaTotal>> county_totals;
    for (const domain::TownStaffing& t : loaded.towns) {
      persons += static_cast<std::int64_t>(t.persons.size());
      agencies += static_cast<std::int64_t>(t.agencies.size());
      for (const domain::Violation& v : domain::Scan(t, settings_))
        add(ViolationItem(v, t, names[t.town_code]));
      auto& sums = county_totals[t.town_code.substr(0, 6)];
      for (const domain::QuotaTotal& q : domain::TownTotals(t)) {
        auto it =
            std::find_if(sums.begin(), sums.end(), [&](const auto& x) { return x.kind == q.kind; });
        if (it == sums.end())
          sums.push_back(q);
        else
          it->count += q.count;
      }
    }
    // The county's total against the county's baseline.
    for (const auto& [county, baseline] : loaded.other_baselines) {
      for (const domain::QuotaTotal& q : county_totals[county]) {
        int base = 0;
        for (const auto& b : baseline) base = b.kind == q.kind ? b.count : base;
        if (q.count <= base) continue;
        const std::string kind_zh(settings_.QuotaKindNameZh(q.kind));
        add({{"town_code", county},
             {"town_name", names[county]},
             {"rule", "total_above_baseline"},
             {"rule_zh", std::string(domain::RuleNameZh(domain::RuleCode::kTotalAboveBaseline))},
             {"basis_zh", std::string(domain::RuleBasisZh(domain::RuleCode::kTotalAboveBaseline))},
             {"agency_id", 0},
             {"agency_name", nullptr},
             {"person_id", 0},
             {"person_name", nullptr},
             {"subject", "county:" + q.kind},
             {"excess", q.count - base},
             {"evidence_zh", names[county] + kind_zh + "总额 " + std::to_string(q.count) +
                                 " 名，超过县编制基数 " + std::to_string(base) + " 名"},
             {"evidence_en", "The county " + county + " " + q.kind + " total is " +
                                 std::to_string(q.count) + ", above its baseline of " +
                                 std::to_string(base)}});
      }
    }
    out = {{"region", {{"code", region.code}, {"name", region.name}, {"level", region.level}}},
           {"towns_scanned", loaded.towns.size()},
           {"agencies_scanned", agencies},
           {"persons_scanned", persons},
           {"count", total},
           {"by_rule", by_rule},
           {"items", items},
           {"next_cursor", offset + limit < total ? json(std::to_string(offset + limit)) : json()}};
    return Ok();
  }));
  return out;
}

Result<json> StaffingService::PublicOrganisation(const std::string& town_code) {
  json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(store::RegionRecord town, RequireTown(c, town_code));
    QZ_ASSIGN_OR_RETURN(domain::TownStaffing staffing, LoadTown(c, town_code));
    json agencies = json::array();
    for (const domain::Agency& a : staffing.agencies) {
      json s = AgencySummary(a, staffing, settings_, false);
      agencies.push_back({{"id", s["id"]},
                          {"name", s["name"]},
                          {"nameplates", s["nameplates"]},
                          {"kind", s["kind"]},
                          {"kind_zh", s["kind_zh"]},
                          {"rank", s["rank"]},
                          {"rank_zh", s["rank_zh"]},
                          {"functions", s["functions"]},
                          {"parent_department", s["parent_department"]},
                          {"localised", s["localised"]},
                          {"approving_authority", s["approving_authority"]},
                          {"approval_doc", s["approval_doc"]},
                          {"quotas", s["quotas"]},
                          {"headcount", s["headcount"]},
                          {"leadership_posts", s["leadership_posts"]}});
    }
    out = {{"town", TownJson(town)},
           {"agencies", agencies},
           {"totals", TownTotalsJson(staffing, settings_)},
           {"note_zh", "机构编制信息公开：机构、挂牌名称、核定编制与实有人数；不含个人信息"},
           {"note_en",
            "Organisation disclosure: agencies, nameplates, approved quotas and actual "
            "headcount; no personal data"}};
    return Ok();
  }));
  return out;
}

}  // namespace quanze::app
