// The demo towns' agencies, quotas, people and planted violations, built
// through the use cases: the towns' registers are imported as legacy data
// (with one planted problem of each rule somewhere), the baselines are fixed
// as the towns enter the reform, and then a few changes go through the
// change requests as they would in production — the development zone of
// 桥头镇 merged with its town (一套班子、两块牌子), new staff appointed, the
// head of a dispatched police station appointed after consulting the town, a
// quota moved between agencies, a nameplate added, a grade raised with its
// approval.
#include <map>
#include <set>

#include "app/demo.h"
#include "app/staffing_demo_data.h"
#include "app/staffing_internal.h"
#include "domain/staffing_io.h"

namespace quanze::app {

using nlohmann::json;
using namespace staffing;  // NOLINT: the staffing demo

namespace {

Result<std::vector<DemoTownInfo>> DemoTowns(store::Database& db) {
  std::vector<DemoTownInfo> towns;
  QZ_TRY(db.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto regions, store::ListRegions(c, "all", std::nullopt, "", 100000));
    std::map<std::string, std::string> names;
    for (const auto& r : regions) names[r.code] = r.name;
    for (const auto& r : regions) {
      if (r.level != "town" || !r.is_demo) continue;
      json indicators = json::parse(r.indicators, nullptr, false);
      DemoTownInfo t;
      t.code = r.code;
      t.name = r.name;
      t.county_name = names[r.code.substr(0, 6)];
      t.pilot = r.is_pilot;
      t.population =
          indicators.is_object() ? indicators.value("built_up_population", 40000) : 40000;
      towns.push_back(std::move(t));
    }
    return Ok();
  }));
  return towns;
}

Result<std::int64_t> AgencyId(Tx& tx, const std::string& town, const std::string& name) {
  QZ_ASSIGN_OR_RETURN(auto agencies, store::ListStaffingAgenciesOfTown(tx.conn(), town));
  for (const auto& a : agencies) {
    if (a.name == name) return a.id;
  }
  return MakeError(ErrorCode::kInternal, "演示数据缺少机构" + name, "demo agency missing: " + name);
}

json Approval(const std::string& authority, const std::string& doc, const char* level) {
  return {{"authority", authority}, {"doc", doc}, {"level", level}};
}

// The demo steps after the import, all in one unit of work.
Result<json> DemoChanges(Tx& tx, const StaffingService& svc,
                         const std::vector<DemoTownInfo>& towns) {
  const AuthUser user = SystemStaffingUser();
  Actor actor = Actor::System();
  actor.channel = "demo";
  auto run = [&](const json& request) { return svc.ChangeInTx(tx, user, actor, request); };
  std::set<std::string> counties;
  for (const DemoTownInfo& t : towns) {
    counties.insert(t.code.substr(0, 6));
    if (t.code == kAboveBaselineTown) continue;  // came with its (legacy) baseline
    QZ_TRY(run({{"type", "fix_baseline"},
                {"region", t.code},
                {"document", t.county_name.substr(0, 3) + "编〔2024〕1号（进入改革时核定）"}}));
  }
  for (const std::string& county : counties) {
    QZ_TRY(run({{"type", "fix_baseline"}, {"region", county}, {"document", "临编〔2024〕2号"}}));
  }
  // 一套班子、两块牌子: the zone's committee and the economy bureau become one body.
  QZ_ASSIGN_OR_RETURN(std::int64_t zone, AgencyId(tx, kZoneTown, kDemoZone));
  QZ_ASSIGN_OR_RETURN(std::int64_t economy, AgencyId(tx, kZoneTown, kDemoEconomy));
  QZ_TRY(run({{"type", "merge_agencies"},
              {"from", json::array({zone})},
              {"into", economy},
              {"keep_names_as_nameplates", true},
              {"approval", Approval("临江市机构编制委员会", "临编〔2024〕6号", "city")}}));
  std::uint64_t seed = 1;
  for (const DemoTownInfo& t : towns) {
    QZ_ASSIGN_OR_RETURN(std::int64_t social, AgencyId(tx, t.code, kDemoSocial));
    for (int i = 0; i < 2; ++i) {
      DemoIdentity who = DemoPerson(seed++, t.code.substr(0, 6), 1998 + i);
      QZ_TRY(run({{"type", "appoint"},
                  {"person",
                   {{"name", who.name},
                    {"id_number", who.id_number},
                    {"agency", social},
                    {"post", "社会事务岗"},
                    {"title", "科员"},
                    {"grade", "clerk_2"},
                    {"quota_kind", "administrative"}}}}));
    }
  }
  // 云阳镇派出所所长: consult the town, record the grade approval, appoint.
  QZ_ASSIGN_OR_RETURN(std::int64_t police, AgencyId(tx, kGradeRaiseTown, kDemoPolice));
  DemoIdentity head = DemoPerson(seed++, "990122", 1981);
  QZ_ASSIGN_OR_RETURN(json consultation,
                      svc.ConsultationInTx(tx, user, actor,
                                           {{"agency", police},
                                            {"action", "appoint"},
                                            {"candidate_name", head.name},
                                            {"post", "所长"},
                                            {"town_opinion", "同意"},
                                            {"document", "云阳镇党委意见函〔2025〕3号"},
                                            {"consulted_on", "2025-03-12"}}));
  QZ_ASSIGN_OR_RETURN(json approval, svc.GradeApprovalInTx(tx, user, actor,
                                                           {{"town", kGradeRaiseTown},
                                                            {"candidate_name", head.name},
                                                            {"grade", "township_deputy"},
                                                            {"authority", "云溪县委组织部"},
                                                            {"doc", "云组干〔2025〕12号"},
                                                            {"level", "county"},
                                                            {"approved_on", "2025-03-20"}}));
  QZ_TRY(run({{"type", "appoint"},
              {"person",
               {{"name", head.name},
                {"id_number", head.id_number},
                {"agency", police},
                {"post", "所长岗"},
                {"title", "所长"},
                {"grade", "township_deputy"},
                {"quota_kind", "administrative"},
                {"is_leader", true}}},
              {"consultation_id", consultation["consultation_id"]},
              {"grade_approval_id", approval["grade_approval_id"]}}));
  // 东坝镇: one administrative post moves from the office to enforcement.
  QZ_ASSIGN_OR_RETURN(std::int64_t office, AgencyId(tx, kTownApprovedTown, kDemoOffice));
  QZ_ASSIGN_OR_RETURN(std::int64_t enforcement, AgencyId(tx, kTownApprovedTown, kDemoEnforcement));
  QZ_ASSIGN_OR_RETURN(domain::TownStaffing dongba, LoadTown(tx.conn(), kTownApprovedTown));
  int office_n = 0, enforcement_n = 0;
  for (const domain::Quota& q : dongba.quotas) {
    if (q.kind != "administrative") continue;
    if (q.agency_id == office) office_n = q.count;
    if (q.agency_id == enforcement) enforcement_n = q.count;
  }
  QZ_TRY(run(
      {{"type", "adjust_quota"},
       {"quotas",
        json::array({json{{"agency", office}, {"kind", "administrative"}, {"count", office_n - 1}},
                     json{{"agency", enforcement},
                          {"kind", "administrative"},
                          {"count", enforcement_n + 1}}})},
       {"approval", Approval("清河县机构编制委员会", "清编〔2025〕7号", "county")}}));
  // 新市镇: the governance bureau also carries the grid-management centre's name.
  QZ_ASSIGN_OR_RETURN(std::int64_t governance, AgencyId(tx, kTitleTown, kDemoGovernance));
  QZ_TRY(run({{"type", "rename_agency"},
              {"agency", governance},
              {"name", kDemoGovernance},
              {"nameplates", json::array({"综治中心", "网格化服务管理中心"})},
              {"approval", Approval("云溪县机构编制委员会", "云编〔2025〕4号", "county")}}));
  // 龙泉镇: a deputy's grade raised, with the approval recorded first.
  QZ_ASSIGN_OR_RETURN(std::int64_t longquan_economy, AgencyId(tx, kWrongKindTown, kDemoEconomy));
  QZ_ASSIGN_OR_RETURN(auto people, store::ListStaffingPeopleOfAgency(tx.conn(), longquan_economy));
  for (const auto& p : people) {
    if (p.title != "副局长") continue;
    QZ_ASSIGN_OR_RETURN(json raise, svc.GradeApprovalInTx(tx, user, actor,
                                                          {{"person", p.id},
                                                           {"grade", "principal_staff_2"},
                                                           {"authority", "松岭县委组织部"},
                                                           {"doc", "松组干〔2025〕9号"},
                                                           {"level", "county"},
                                                           {"approved_on", "2025-06-30"}}));
    QZ_TRY(run({{"type", "change_grade"},
                {"person", p.id},
                {"grade", "principal_staff_2"},
                {"grade_approval_id", raise["grade_approval_id"]}}));
    break;
  }
  return json::object();
}

}  // namespace

Status BuildStaffingDemo(App& app) {
  QZ_ASSIGN_OR_RETURN(std::vector<DemoTownInfo> towns, DemoTowns(app.db()));
  if (towns.empty()) return Ok();
  const domain::StaffingRegister reg = DemoRegister(towns);
  Actor actor = Actor::System();
  actor.channel = "demo";
  StaffingImportOptions options;
  options.source = "demo";
  auto imported = app.staffing().Import(actor, reg, options);
  if (!imported.ok()) return imported.take_error();
  StaffingService& svc = app.staffing();
  auto changed = app.writer().Run([&](Tx& tx) { return DemoChanges(tx, svc, towns); });
  if (!changed.ok()) return changed.take_error();
  return Ok();
}

}  // namespace quanze::app
