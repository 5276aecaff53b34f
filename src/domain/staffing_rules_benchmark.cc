// The full scan of a province: 700 towns, 100,100 people (143 per town), with
// a few planted violations per town so evidence is built as in real use.
// Target (issue 5): under 1 s. Also one change check in a town of 143 people
// (what every appointment pays).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "domain/staffing_rules.h"

namespace quanze::domain {
namespace {

TownStaffing MakeTown(int t) {
  TownStaffing town;
  town.town_code = std::to_string(990100000 + t);
  const char* names[] = {"党政办公室",     "经济发展局",       "行政审批局",
                         "综合行政执法局", "社会事业局",       "自然资源和规划建设局",
                         "社会治理局",     "财政和资产管理局", "农业农村服务中心",
                         "派出所",         "市场监督管理分局"};
  for (int a = 0; a < 11; ++a) {
    Agency agency;
    agency.id = t * 100 + a + 1;
    agency.town_code = town.town_code;
    agency.name = names[a];
    agency.kind = a == 8   ? AgencyKind::kPublicInstitution
                  : a >= 9 ? AgencyKind::kDispatched
                           : AgencyKind::kIntegrated;
    agency.rank = a == 8 ? AgencyRank::kUnit : AgencyRank::kTownshipDeputy;
    agency.approving_authority = "县机构编制委员会";
    agency.approval_doc = "编〔2019〕1号";
    agency.approving_level = ApprovingLevel::kCounty;
    agency.town_assessment_weight = t % 50 == 0 && a == 9 ? 0.4 : 0.6;
    town.agencies.push_back(agency);
    town.leadership_quotas.push_back({agency.id, Grade::kTownshipDeputy, 1});
    town.leadership_quotas.push_back({agency.id, Grade::kNone, 1});
  }
  for (int p = 0; p < 143; ++p) {
    const Agency& agency = town.agencies[static_cast<std::size_t>(p % 11)];
    Person person;
    person.id = t * 1000 + p + 1;
    person.name = "人员" + std::to_string(p);
    person.agency_id = agency.id;
    person.title = t % 70 == 0 && p == 5 ? "首席服务官" : "科员";
    person.quota_kind =
        agency.kind == AgencyKind::kPublicInstitution ? "institutional" : "administrative";
    person.grade = agency.kind == AgencyKind::kPublicInstitution ? Grade::kNone : Grade::kClerk1;
    if (p < 11 && agency.kind != AgencyKind::kPublicInstitution) {
      person.is_leader = true;
      person.grade = Grade::kTownshipDeputy;
      person.grade_approval = "组干〔2020〕1号";
      person.approved_grade = Grade::kTownshipDeputy;
    }
    if (t % 90 == 0 && p == 20) person.grade = Grade::kPrincipal2;  // no approval
    town.persons.push_back(std::move(person));
  }
  for (const Agency& agency : town.agencies) {
    int n = 0;
    for (const Person& p : town.persons) n += p.agency_id == agency.id ? 1 : 0;
    if (t % 30 == 0 && agency.name == std::string("行政审批局")) --n;  // over quota
    town.quotas.push_back(
        {agency.id,
         agency.kind == AgencyKind::kPublicInstitution ? "institutional" : "administrative", n});
  }
  town.baseline.town_code = town.town_code;
  town.baseline.totals = TownTotals(town);
  return town;
}

const std::vector<TownStaffing>& Province() {
  static const std::vector<TownStaffing> kProvince = [] {
    std::vector<TownStaffing> towns;
    for (int t = 0; t < 700; ++t) towns.push_back(MakeTown(t));
    return towns;
  }();
  return kProvince;
}

void BM_ProvinceScan(benchmark::State& state) {
  const StaffingSettings settings = DefaultStaffingSettings();
  const auto& towns = Province();
  std::size_t people = 0;
  for (const auto& t : towns) people += t.persons.size();
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const TownStaffing& t : towns) found += Scan(t, settings).size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["towns"] = static_cast<double>(towns.size());
  state.counters["people"] = static_cast<double>(people);
  state.counters["violations"] = static_cast<double>(found);
}
BENCHMARK(BM_ProvinceScan)->Unit(benchmark::kMillisecond);

void BM_CheckAppointment(benchmark::State& state) {
  const StaffingSettings settings = DefaultStaffingSettings();
  TownStaffing town = MakeTown(1);
  for (Quota& q : town.quotas) q.count += 1;  // a vacancy everywhere
  Appoint appoint;
  appoint.person.id = 999999;
  appoint.person.name = "新进人员";
  appoint.person.agency_id = town.agencies[2].id;
  appoint.person.title = "科员";
  appoint.person.grade = Grade::kClerk2;
  appoint.person.quota_kind = "administrative";
  const Change change = appoint;
  for (auto _ : state) {
    Status s = CheckChange(town, change, settings);
    benchmark::DoNotOptimize(s.ok());
  }
}
BENCHMARK(BM_CheckAppointment)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace quanze::domain

BENCHMARK_MAIN();
