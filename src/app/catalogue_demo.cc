// The demo province's master catalogue, reform batches, grants and published
// versions, built through the use cases so that the log holds the history.
// Deterministic: the same selections, states and versions on every run (only
// the instants differ). One unit of work per town and round keeps it fast.
//
// Rounds: (1) the towns of both batches receive their selection and publish
// version 1; (2) every town revokes one grant, suspends one and adds a few
// more, then publishes version 2; (3) the pilots resume the suspension
// (桥头镇 keeps it), add the rest, leave two proposals open, publish version 3.
#include <algorithm>
#include <cstdint>
#include <map>

#include "app/catalogue.h"
#include "app/demo.h"

namespace quanze::app {

// data/catalogue/master-catalogue.csv, embedded at build time (embed_file.cmake).
extern const std::string_view kDemoMasterCatalogue;

namespace {

using domain::PowerKind;
using nlohmann::json;

constexpr const char* kProvince = "990000";

struct TownPlan {
  const char* code;
  std::int64_t batch;  // 1 (pilots) or 2
  double licensing;    // share of the licensing items selected
  double enforcement;  // share of penalty, coercion and inspection items
  double other;        // share of the other kinds
};

// 桥头镇, the large pilot: ~99 licensing items and ~340 of the master
// catalogue's 565 enforcement items (issue 4: "several hundred"); the other
// pilots 140–190 enforcement items, the batch-2 towns 50–100.
constexpr TownPlan kPlans[] = {
    {"990121101", 1, 0.93, 0.62, 0.60},  {"990121104", 1, 0.70, 0.28, 0.40},
    {"990122101", 1, 0.75, 0.315, 0.45}, {"990122104", 1, 0.62, 0.26, 0.35},
    {"990123102", 1, 0.68, 0.28, 0.40},  {"990121102", 2, 0.30, 0.13, 0.20},
    {"990122102", 2, 0.26, 0.12, 0.15},  {"990122103", 2, 0.34, 0.15, 0.20},
    {"990123104", 2, 0.28, 0.13, 0.15},
};

// FNV-1a: a stable pseudo-random share in [0, 1) for (town, code, salt).
double Share(const std::string& town, const std::string& code, char salt) {
  std::uint64_t h = 1469598103934665603ull;
  for (char ch : town + "|" + code + salt) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ull;
  }
  return static_cast<double>(h % 100000) / 100000.0;
}

bool Enforcement(PowerKind k) {
  return k == PowerKind::kPenalty || k == PowerKind::kCoercion || k == PowerKind::kInspection;
}

domain::DecisionDocument Decision(const TownPlan& plan) {
  std::string county = std::string(plan.code).substr(0, 6);
  if (plan.batch == 1) {
    return {"东海省人民政府", "东政发〔2024〕7号",
            "东海省人民政府关于赋予经济发达镇试点镇部分县级经济社会管理权限的决定（演示）",
            "2024-02-26"};
  }
  static const std::map<std::string, std::string> kCounty = {
      {"990121", "清河县"}, {"990122", "云溪县"}, {"990123", "松岭县"}};
  std::string name = kCounty.at(county);
  return {name + "人民政府", name.substr(0, 3) + "政发〔2025〕19号",
          name + "人民政府关于向新一批经济发达镇赋予部分县级行政权力事项的决定（演示）",
          "2025-09-20"};
}

std::string ValidFrom(const TownPlan& plan) {
  return plan.batch == 1 ? "2024-03-01" : "2025-10-01";
}

// Selected codes of a town, in code order, and the ones held back for later rounds.
struct Selection {
  std::vector<const domain::Power*> first;
  std::vector<const domain::Power*> later;
};

Selection Select(const TownPlan& plan, const std::vector<domain::Power>& powers) {
  Selection s;
  for (const auto& p : powers) {
    double rate = p.kind == PowerKind::kLicensing ? plan.licensing
                  : Enforcement(p.kind)           ? plan.enforcement
                                                  : plan.other;
    if (Share(plan.code, p.code, 's') >= rate) continue;
    (Share(plan.code, p.code, 'l') < 0.02 ? s.later : s.first).push_back(&p);
  }
  return s;
}

domain::GrantMode ModeFor(const std::string& town, const domain::Power& p) {
  // Enforcement is often entrusted (委托) rather than delegated (赋权).
  bool entrust = Enforcement(p.kind) && Share(town, p.code, 'm') < 0.25;
  return entrust ? domain::GrantMode::kEntrustment : domain::GrantMode::kDelegation;
}

std::vector<domain::ReadinessChange> AllReady(const domain::Power& p, const std::string& date) {
  std::vector<domain::ReadinessChange> c;
  for (auto k : domain::kAllReadinessKeys) {
    std::string note = k == domain::ReadinessKey::kGuidanceContact
                           ? p.originating_department + "法制股负责业务指导（演示）"
                           : "";
    c.push_back({k, true, note.empty() ? std::nullopt : std::optional<std::string>(note), date});
  }
  return c;
}

// Proposes the powers for the town and carries each grant through readiness,
// mark_ready and make_effective on `on_date`. Inside a unit of work.
Result<std::vector<std::int64_t>> GrantAll(Tx& tx, const CatalogueCaller& caller,
                                           const TownPlan& plan,
                                           const std::vector<const domain::Power*>& powers,
                                           const std::string& on_date) {
  std::vector<std::int64_t> ids;
  for (const domain::Power* p : powers) {
    GrantProposal proposal{plan.code,      p->code,         plan.batch, ModeFor(plan.code, *p),
                           Decision(plan), ValidFrom(plan), ""};
    QZ_ASSIGN_OR_RETURN(json g, CatalogueService::ProposeGrantIn(tx, caller, proposal));
    std::int64_t id = g["id"].get<std::int64_t>();
    QZ_TRY(CatalogueService::UpdateReadinessIn(tx, caller, id, AllReady(*p, on_date)));
    GrantTransitionRequest ready{id, domain::GrantAction::kMarkReady, "", on_date, std::nullopt};
    QZ_TRY(CatalogueService::TransitionIn(tx, caller, ready));
    GrantTransitionRequest effective{id, domain::GrantAction::kMakeEffective, "", on_date,
                                     std::nullopt};
    QZ_TRY(CatalogueService::TransitionIn(tx, caller, effective));
    ids.push_back(id);
  }
  return ids;
}

Status RunUnit(App& app, const Writer::Work& work) {
  auto r = app.writer().Run(work);
  if (!r.ok()) return r.take_error();
  return Ok();
}

Status BuildBatches(App& app, const CatalogueCaller& caller) {
  auto criteria = [](double population, double revenue, double urbanisation) {
    return std::vector<domain::SelectionCriterion>{
        {"built_up_population", "建成区常住人口", "人", domain::Comparison::kAtLeast, population},
        {"general_budget_revenue_10k_yuan", "一般公共预算收入", "万元",
         domain::Comparison::kAtLeast, revenue},
        {"urbanisation_rate_pct", "常住人口城镇化率", "%", domain::Comparison::kAtLeast,
         urbanisation}};
  };
  domain::ReformBatch first;
  first.province_code = kProvince;
  first.name = "第一批经济发达镇行政管理体制改革试点（演示）";
  first.start_date = "2023-07-01";
  first.criteria = criteria(80000, 100000, 65);
  first.milestones = {{"2024-03-01", "首批县级权限赋予试点镇并公布赋权目录"},
                      {"2025-06-30", "中期评估，调整赋权事项"},
                      {"2026-06-30", "试点总结验收"}};
  domain::ReformBatch second;
  second.province_code = kProvince;
  second.name = "第二批（新一批）经济发达镇（演示）";
  second.start_date = "2025-07-01";
  second.criteria = criteria(40000, 35000, 58);
  second.milestones = {{"2025-10-01", "成熟一批、赋予一批：首批事项赋权到位"},
                       {"2026-12-31", "中期评估"},
                       {"2028-06-30", "三年改革总结验收"}};
  for (const TownPlan& plan : kPlans) {
    (plan.batch == 1 ? first : second).towns.push_back({plan.code, "", {}, -1});
  }
  QZ_TRY(RunUnit(app, app.catalogue().CreateBatch(caller, first)));
  return RunUnit(app, app.catalogue().CreateBatch(caller, second));
}

}  // namespace

Status BuildCatalogueDemo(App& app) {
  CatalogueCaller caller = CatalogueCaller::System("demo");
  QZ_ASSIGN_OR_RETURN(ParsedCatalogue parsed, ParseMasterCatalogue(kDemoMasterCatalogue, "csv"));
  std::vector<domain::Power> powers = parsed.powers;
  std::sort(powers.begin(), powers.end(),
            [](const auto& a, const auto& b) { return a.code < b.code; });
  QZ_TRY(RunUnit(app, app.catalogue().ImportMaster(caller, kProvince, std::move(parsed))));
  QZ_TRY(BuildBatches(app, caller));

  std::map<std::string, Selection> selections;
  std::map<std::string, std::vector<std::int64_t>> granted;
  for (const TownPlan& plan : kPlans) selections[plan.code] = Select(plan, powers);

  // Round 1: the first selection, version 1.
  for (const TownPlan& plan : kPlans) {
    QZ_TRY(RunUnit(app, [&](Tx& tx) -> Result<json> {
      QZ_ASSIGN_OR_RETURN(granted[plan.code],
                          GrantAll(tx, caller, plan, selections[plan.code].first, ValidFrom(plan)));
      return CatalogueService::PublishIn(tx, caller, plan.code);
    }));
  }
  // Round 2: one revoked, one suspended, some of the held-back items; version 2.
  for (const TownPlan& plan : kPlans) {
    QZ_TRY(RunUnit(app, [&](Tx& tx) -> Result<json> {
      const auto& ids = granted[plan.code];
      std::string date = plan.batch == 1 ? "2025-06-30" : "2026-03-31";
      QZ_TRY(CatalogueService::TransitionIn(
          tx, caller,
          {ids[ids.size() / 3], domain::GrantAction::kRevoke,
           "定期评估：镇里办件量少、专业性强，承接效果不佳，收回县级部门行使（演示）", date,
           std::nullopt}));
      QZ_TRY(CatalogueService::TransitionIn(
          tx, caller,
          {ids[ids.size() / 2], domain::GrantAction::kSuspend,
           "执法人员岗位调整，暂停承接，待培训到位后恢复（演示）", date, std::nullopt}));
      auto& later = selections[plan.code].later;
      auto half = static_cast<std::ptrdiff_t>((later.size() + 1) / 2);
      std::vector<const domain::Power*> add(later.begin(), later.begin() + half);
      later.erase(later.begin(), later.begin() + half);
      QZ_TRY(GrantAll(tx, caller, plan, add, date));
      return CatalogueService::PublishIn(tx, caller, plan.code);
    }));
  }
  // Round 3 (pilots): resume (桥头镇 stays suspended), the rest, two open proposals.
  for (const TownPlan& plan : kPlans) {
    if (plan.batch != 1) continue;
    QZ_TRY(RunUnit(app, [&](Tx& tx) -> Result<json> {
      const auto& ids = granted[plan.code];
      std::string date = "2026-01-15";
      if (std::string(plan.code) != "990121101") {
        QZ_TRY(
            CatalogueService::TransitionIn(tx, caller,
                                           {ids[ids.size() / 2], domain::GrantAction::kResume,
                                            "培训考核合格，恢复承接（演示）", date, std::nullopt}));
      }
      QZ_TRY(GrantAll(tx, caller, plan, selections[plan.code].later, date));
      QZ_ASSIGN_OR_RETURN(json v, CatalogueService::PublishIn(tx, caller, plan.code));
      // Two proposals still being prepared: one with part of its checklist done.
      int open = 0;
      for (const auto& p : powers) {
        if (open == 2 || Share(plan.code, p.code, 's') < 0.97) continue;
        if (p.kind != PowerKind::kLicensing && p.kind != PowerKind::kConfirmation) continue;
        GrantProposal proposal{plan.code, p.code,       1, domain::GrantMode::kDelegation,
                               {},        "2026-02-01", ""};
        Result<json> g = json();
        Status tried = tx.Attempt([&]() -> Status {
          g = CatalogueService::ProposeGrantIn(tx, caller, proposal);
          return g.ok() ? Ok() : Status(g.error());
        });
        if (!tried.ok()) continue;  // already granted: try the next item
        if (open == 0) {
          QZ_TRY(CatalogueService::UpdateReadinessIn(
              tx, caller, (*g)["id"].get<std::int64_t>(),
              {{domain::ReadinessKey::kStaffTrained, true, std::nullopt, date}}));
        }
        ++open;
      }
      return v;
    }));
  }
  return Ok();
}

}  // namespace quanze::app
