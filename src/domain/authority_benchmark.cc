// CheckAuthority against the facts of a province: 700 towns × 500 grants
// (350,000 grants), 100,100 officers (143 per town), and 11 agencies per town
// with 4 posts each, every post listing about a dozen "procedure:step" entries.
// Target: median ≤ 2 µs for one check, allowed or denied (every case step
// pays it). Run with --benchmark_repetitions=9 --benchmark_report_aggregates_only.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "domain/authority.h"

namespace quanze::domain {
namespace {

constexpr int kTowns = 700;
constexpr int kGrantsPerTown = 500;
constexpr int kOfficersPerTown = 143;
constexpr int kAgenciesPerTown = 11;

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d).value(); }

std::string TownCode(int t) { return std::to_string(990100000 + t); }
std::string PowerCode(int p) {
  std::string n = std::to_string(p % 100 + 1);
  return "CF-" + std::to_string(10 + p / 100) + "-" + std::string(4 - n.size(), '0') + n;
}
std::int64_t AgencyId(int t, int a) { return t * 100 + a + 1; }

const char* const kPosts[] = {"综合执法岗", "局长", "法制审核岗", "窗口受理岗"};

const AuthorityFacts& Province() {
  static const AuthorityFacts kFacts = [] {
    AuthorityFacts f;
    for (int t = 0; t < kTowns; ++t) {
      const std::string town = TownCode(t);
      f.SetTownName(town, "镇" + std::to_string(t));
      for (int p = 0; p < kGrantsPerTown; ++p) {
        // The enforcement agency (a == 3) handles most powers.
        const std::int64_t agency = AgencyId(t, p % 7 == 0 ? 1 : 3);
        f.SetGrant(town, PowerCode(p),
                   {p % 50 == 0 ? "suspended" : "effective", D(2024, 1, 1), std::nullopt, agency});
      }
      for (int a = 0; a < kAgenciesPerTown; ++a) {
        f.SetPostSteps(
            AgencyId(t, a), kPosts[0],
            {"penalty:open", "penalty:investigate", "penalty:inform", "penalty:serve",
             "penalty:enforce", "inspection:*", "coercion:seal", "coercion:release",
             "coercion:notify", "licensing:verify", "penalty:record", "penalty:hearing"});
        f.SetPostSteps(AgencyId(t, a), kPosts[1], {"penalty:*", "coercion:*", "licensing:*"});
        f.SetPostSteps(AgencyId(t, a), kPosts[2], {"penalty:legal_review"});
        f.SetPostSteps(AgencyId(t, a), kPosts[3],
                       {"licensing:accept", "licensing:correct", "licensing:reject"});
      }
      for (int o = 0; o < kOfficersPerTown; ++o) {
        OfficerFact officer;
        officer.person_id = t * 1000 + o + 1;
        officer.agency_id = AgencyId(t, o % kAgenciesPerTown);
        officer.name = "执法人员" + std::to_string(o);
        officer.post = kPosts[o % 4 == 3 ? 3 : o % 4 == 1 ? 1 : 0];
        officer.is_leader = o % 4 == 1;
        officer.legal_review_qualified = o % 13 == 0;
        officer.certificate = {"990100" + std::to_string(officer.person_id), D(2023, 1, 1),
                               D(2028, 12, 31)};
        f.SetOfficer(std::move(officer));
      }
    }
    return f;
  }();
  return kFacts;
}

// Two officers of the enforcement agency (agency index 3) of town 345.
AuthorityRequest Allowed() {
  AuthorityRequest r;
  r.town_code = "990100345";
  r.power_code = "CF-12-0002";  // p = 201: handled by agency 3
  r.procedure_id = "penalty";
  r.step = "investigate";
  r.requirements.enforcement = true;
  r.requirements.certificate = true;
  r.on = D(2025, 6, 10);
  r.performer = 345 * 1000 + 14 + 1;                // o = 14: agency 3, 综合执法岗
  r.officers = {r.performer, 345 * 1000 + 36 + 1};  // o = 36: agency 3, 综合执法岗
  return r;
}

void BM_CheckAuthorityAllowed(benchmark::State& state) {
  const AuthorityFacts& facts = Province();
  const AuthorityRequest r = Allowed();
  if (!CheckAuthority(facts, r).allowed) {
    state.SkipWithError("fixture is not allowed");
    return;
  }
  for (auto _ : state) {
    AuthorityDecision d = CheckAuthority(facts, r);
    benchmark::DoNotOptimize(d.allowed);
  }
  state.counters["grants"] = static_cast<double>(facts.grant_count());
  state.counters["officers"] = static_cast<double>(facts.officer_count());
}
BENCHMARK(BM_CheckAuthorityAllowed)->Unit(benchmark::kMicrosecond);

// Denied: the second officer belongs to another agency and the post may not
// decide — two failing findings with longer messages.
void BM_CheckAuthorityDenied(benchmark::State& state) {
  const AuthorityFacts& facts = Province();
  AuthorityRequest r = Allowed();
  r.step = "decide";
  r.officers = {r.performer, 345 * 1000 + 5 + 1};  // o = 5: agency 5
  if (CheckAuthority(facts, r).allowed) {
    state.SkipWithError("fixture is allowed");
    return;
  }
  for (auto _ : state) {
    AuthorityDecision d = CheckAuthority(facts, r);
    benchmark::DoNotOptimize(d.allowed);
  }
}
BENCHMARK(BM_CheckAuthorityDenied)->Unit(benchmark::kMicrosecond);

// The same denial turned into the error the API returns.
void BM_CheckAuthorityDeniedError(benchmark::State& state) {
  const AuthorityFacts& facts = Province();
  AuthorityRequest r = Allowed();
  r.power_code = "CF-99-0001";  // not granted
  for (auto _ : state) {
    AuthorityDecision d = CheckAuthority(facts, r);
    Error e = AuthorityDeniedError(d);
    benchmark::DoNotOptimize(e.code);
  }
}
BENCHMARK(BM_CheckAuthorityDeniedError)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace quanze::domain

BENCHMARK_MAIN();
