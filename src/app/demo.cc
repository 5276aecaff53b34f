#include "app/demo.h"

#include "store/records.h"

namespace quanze::app {
namespace {

struct DemoTown {
  const char* code;
  const char* name;
  bool pilot;
  std::int64_t population;       // 建成区常住人口
  std::int64_t revenue_10k;      // 一般公共预算收入（万元）
  std::int64_t gdp_10k;          // 地区生产总值（万元）
  std::int64_t urbanisation_pct; // 常住人口城镇化率（%）
};

constexpr DemoTown kTowns[] = {
    {"990121101", "桥头镇", true, 128000, 186500, 4125000, 78},
    {"990121102", "白沙镇", false, 46000, 41200, 986000, 61},
    {"990121103", "柳营镇", false, 38500, 29800, 742000, 57},
    {"990121104", "东坝镇", true, 96000, 132400, 2870000, 72},
    {"990122101", "云阳镇", true, 112000, 158900, 3650000, 75},
    {"990122102", "石门镇", false, 41000, 35600, 815000, 58},
    {"990122103", "南渡镇", false, 52000, 47300, 1102000, 63},
    {"990122104", "新市镇", true, 89000, 121700, 2540000, 70},
    {"990123101", "松溪镇", false, 35000, 26100, 688000, 55},
    {"990123102", "龙泉镇", true, 101000, 140200, 3015000, 74},
    {"990123103", "青山镇", false, 29500, 21900, 571000, 52},
    {"990123104", "梅林镇", false, 44000, 38800, 902000, 60},
};

}  // namespace

const std::vector<DemoAccount>& DemoAccounts() {
  static const std::vector<DemoAccount> kAccounts = {
      {"admin", "admin-demo-2026", "admin", "all", "系统管理员 / administrator"},
      {"province.staffing", "demo-pass-2026", "province_staffing", "990000", "东海省委编办 / provincial staffing office"},
      {"qinghe.staffing", "demo-pass-2026", "county_staffing", "990121", "清河县委编办 / county staffing office"},
      {"qinghe.market", "demo-pass-2026", "county_department", "990121", "清河县市场监管局 / county department"},
      {"qinghe.supervision", "demo-pass-2026", "county_supervision", "990121", "清河县监察委员会 / county supervision (accountability review)"},
      {"qinghe.legal", "demo-pass-2026", "county_legal", "990121", "清河县司法局 / county legal affairs (qualifies legal reviewers)"},
      {"qiaotou.leader", "demo-pass-2026", "town_leader", "990121101", "桥头镇镇长 / town leader"},
      {"qiaotou.officer", "demo-pass-2026", "town_officer", "990121101", "桥头镇综合行政执法局 / town officer"},
      {"qiaotou.clerk", "demo-pass-2026", "town_officer", "990121101", "桥头镇行政审批局窗口 / licensing clerk"},
      {"qiaotou.approver", "demo-pass-2026", "town_officer", "990121101", "桥头镇行政审批局局长 / head of licensing"},
      {"qiaotou.chief", "demo-pass-2026", "town_officer", "990121101", "桥头镇综合行政执法局局长 / head of enforcement"},
      {"qiaotou.inspector", "demo-pass-2026", "town_officer", "990121101", "桥头镇综合行政执法局 / enforcement officer"},
      {"qiaotou.legal", "demo-pass-2026", "town_officer", "990121101", "桥头镇法制审核人员 / legal reviewer"},
      {"yunyang.officer", "demo-pass-2026", "town_officer", "990122101", "云阳镇行政审批局 / town officer"},
      {"auditor", "demo-pass-2026", "auditor", "all", "审计与纪检监察 / auditor"},
  };
  return kAccounts;
}

Status BuildDemo(App& app) {
  Actor actor = Actor::System();
  actor.channel = "demo";
  auto r = app.writer().Run([&](Tx& tx) -> Result<nlohmann::json> {
    QZ_TRY(store::PutSetting(tx.conn(), "demo", "东海省（演示数据） / demo province"));
    auto add = [&](NewRegion n) -> Status {
      n.is_demo = true;
      auto created = Regions::Create(tx, actor, n);
      if (!created.ok()) return created.take_error();
      return Ok();
    };
    QZ_TRY(add({"990000", "东海省（演示）", "province", std::nullopt}));
    QZ_TRY(add({"990100", "临江市", "city", "990000"}));
    QZ_TRY(add({"990121", "清河县", "county", "990100"}));
    QZ_TRY(add({"990122", "云溪县", "county", "990100"}));
    QZ_TRY(add({"990123", "松岭县", "county", "990100"}));
    for (const DemoTown& t : kTowns) {
      std::string code = t.code;
      NewRegion n{code, t.name, "town", code.substr(0, 6), t.pilot,
                  {{"built_up_population", t.population},
                   {"general_budget_revenue_10k_yuan", t.revenue_10k},
                   {"gdp_10k_yuan", t.gdp_10k},
                   {"urbanisation_rate_pct", t.urbanisation_pct}}};
      QZ_TRY(add(n));
    }
    return nlohmann::json::object();
  });
  if (!r.ok()) return r.take_error();
  Actor cli = Actor::System();
  cli.channel = "demo";
  for (const DemoAccount& a : DemoAccounts()) {
    auto added = app.accounts().AddUser(cli, a.name, a.role, a.scope, a.password);
    if (!added.ok()) return added.take_error();
  }
  QZ_TRY(BuildCatalogueDemo(app));
  QZ_TRY(BuildStaffingDemo(app));
  QZ_TRY(BuildCasesDemo(app));
  auto signed_note = app.ledger().SignNow();
  if (!signed_note.ok()) return signed_note.take_error();
  return Ok();
}

}  // namespace quanze::app
