// The province-scale demo (`quanze demo --scale province`): the small demo,
// then the rest of a province grown around it — by default 700 towns in all,
// 300 devolved items each, about 100,000 people and 1,000,000 cases with
// their ledger entries. Deterministic: the same towns, registers, grants and
// cases on every run (only the instants of the entries differ).
//
// Regions, staffing registers, reform batch, grants (proposal, readiness,
// mark_ready, make_effective, publish) and the towns' case set-up go through
// the use cases, as in the small demo. The cases do not: a million cases
// through CaseService would take hours. Each one is run through the same
// procedure engine (domain::ApplyStep, with the holiday calendar) in memory,
// and its rows and journal entries — "case.opened" and one "case.step" per
// step, in the shapes CaseService writes — are inserted in bulk (multi-row
// INSERTs, Journal bulk mode), one unit of work per town. Province cases
// follow the licensing and inspection procedures, with organisations as
// parties (no personal data); cases still in progress were opened recently,
// so that a sweep does not turn the generated backlog into accountability
// records.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "app/cases_internal.h"
#include "app/demo.h"
#include "app/demo_internal.h"
#include "app/staffing_demo_data.h"
#include "ledger/hash.h"
#include "store/case_store.h"

namespace quanze::app {

// data/catalogue/master-catalogue.csv, embedded at build time (embed_file.cmake).
extern const std::string_view kDemoMasterCatalogue;

using nlohmann::json;

namespace {

using demo::Rng;

constexpr int kSmallDemoTowns = 12;  // the towns of BuildDemo
constexpr int kTownsPerCounty = 7;
constexpr int kCountiesPerCity = 7;

// Two-character place names, distinct for the first 900 towns.
constexpr const char* kFirst[] = {"安", "宝", "昌", "大", "丰", "高", "广", "河", "华", "建",
                                  "金", "景", "聚", "乐", "临", "隆", "美", "宁", "平", "庆",
                                  "瑞", "盛", "泰", "同", "万", "祥", "兴", "永", "裕", "长"};
constexpr const char* kSecond[] = {"安", "埠", "川", "店", "渡", "丰", "港", "湖", "集", "江",
                                   "口", "林", "岭", "楼", "桥", "泉", "山", "市", "水", "塘",
                                   "田", "湾", "溪", "霞", "阳", "堰", "源", "圩", "洲", "庄"};

std::string PlaceName(int i, const char* suffix) {
  return std::string(kFirst[i % 30]) + kSecond[(i / 30 + i * 7) % 30] + suffix;
}

struct NewTown {
  std::string code, name, county_code, county_name;
  bool pilot = false;
  std::int64_t population = 0;
};

// The towns beyond the small demo's, their counties and cities.
std::vector<NewTown> PlanTowns(int count, std::vector<NewRegion>& parents) {
  std::vector<NewTown> towns;
  Rng rng(20261128);
  for (int i = 0; i < count; ++i) {
    int county = i / kTownsPerCounty, city = county / kCountiesPerCity;
    char city_code[24], county_code[24], town_code[32];
    std::snprintf(city_code, sizeof city_code, "99%02d00", city + 2);
    std::snprintf(county_code, sizeof county_code, "99%02d%02d", city + 2, 21 + county % kCountiesPerCity);
    std::snprintf(town_code, sizeof town_code, "%s1%02d", county_code, 1 + i % kTownsPerCounty);
    if (i % (kTownsPerCounty * kCountiesPerCity) == 0) {
      parents.push_back({city_code, PlaceName(city * 11 + 5, "市"), "city", "990000"});
    }
    if (i % kTownsPerCounty == 0) {
      parents.push_back({county_code, PlaceName(county * 3 + 400, "县"), "county", city_code});
    }
    NewTown t;
    t.code = town_code;
    t.name = PlaceName(i, "镇");
    t.county_code = county_code;
    t.county_name = PlaceName(county * 3 + 400, "县");
    t.pilot = i % 5 == 0;
    t.population = 90000 + rng.Below(80000);  // ~145 staff each: ~100,000 in all
    towns.push_back(std::move(t));
  }
  return towns;
}

class Progress {
 public:
  explicit Progress(const DemoProgress& fn) : fn_(fn) {}
  void operator()(const std::string& phase, std::int64_t done, std::int64_t total) const {
    if (fn_) fn_(phase, done, total);
  }

 private:
  const DemoProgress& fn_;
};

Status Run(App& app, const Writer::Work& work) {
  auto r = app.writer().Run(work);
  if (!r.ok()) return r.take_error();
  return Ok();
}

// 1. Regions, one unit.
Status BuildRegions(App& app, const std::vector<NewRegion>& parents, const std::vector<NewTown>& towns) {
  Actor actor = Actor::System();
  actor.channel = "demo";
  return Run(app, [&](Tx& tx) -> Result<json> {
    for (NewRegion n : parents) {
      n.is_demo = true;
      QZ_TRY(Regions::Create(tx, actor, n));
    }
    for (const NewTown& t : towns) {
      Rng rng(std::hash<std::string>{}(t.code));
      NewRegion n{t.code, t.name, "town", t.county_code, t.pilot,
                  {{"built_up_population", t.population},
                   {"general_budget_revenue_10k_yuan", 40000 + rng.Below(160000)},
                   {"gdp_10k_yuan", 900000 + rng.Below(4000000)},
                   {"urbanisation_rate_pct", 58 + rng.Below(25)}},
                  true};
      QZ_TRY(Regions::Create(tx, actor, n));
    }
    return json::object();
  });
}

// 2. The reform batch that brings the new towns in.
Status BuildBatch(App& app, const std::vector<NewTown>& towns) {
  domain::ReformBatch batch;
  batch.province_code = "990000";
  batch.name = "第三批经济发达镇（演示·省级规模）";
  batch.start_date = "2025-07-01";
  batch.criteria = {{"built_up_population", "建成区常住人口", "人", domain::Comparison::kAtLeast, 40000}};
  batch.milestones = {{"2025-10-01", "成熟一批、赋予一批：首批事项赋权到位"},
                      {"2028-06-30", "三年改革总结验收"}};
  for (const NewTown& t : towns) batch.towns.push_back({t.code, "", {}, -1});
  return Run(app, app.catalogue().CreateBatch(CatalogueCaller::System("demo"), std::move(batch)));
}

// 3. Staffing registers (imported as legacy data) and baselines.
Status BuildStaffing(App& app, const std::vector<NewTown>& towns, const Progress& progress) {
  std::vector<staffing::DemoTownInfo> infos;
  for (const NewTown& t : towns) infos.push_back({t.code, t.name, t.county_name, t.pilot, t.population});
  Actor actor = Actor::System();
  actor.channel = "demo";
  constexpr std::size_t kChunk = kTownsPerCounty * kCountiesPerCity;  // whole counties
  for (std::size_t start = 0; start < infos.size(); start += kChunk) {
    std::vector<staffing::DemoTownInfo> chunk(infos.begin() + static_cast<std::ptrdiff_t>(start),
                                              infos.begin() + static_cast<std::ptrdiff_t>(std::min(infos.size(), start + kChunk)));
    StaffingImportOptions options;
    options.source = "demo-province";
    auto imported = app.staffing().Import(actor, staffing::DemoRegister(chunk), options);
    if (!imported.ok()) return imported.take_error();
    StaffingService& svc = app.staffing();
    QZ_TRY(Run(app, [&](Tx& tx) -> Result<json> {
      std::set<std::string> counties;
      for (const auto& t : chunk) {
        QZ_TRY(svc.ChangeInTx(tx, SystemStaffingUser(), actor,
                              {{"type", "fix_baseline"}, {"region", t.code},
                               {"document", t.county_name.substr(0, 6) + "编〔2025〕8号（进入改革时核定）"}}));
        counties.insert(t.code.substr(0, 6));
      }
      for (const std::string& county : counties) {
        QZ_TRY(svc.ChangeInTx(tx, SystemStaffingUser(), actor,
                              {{"type", "fix_baseline"}, {"region", county}, {"document", "编〔2025〕9号"}}));
      }
      return json::object();
    }));
    progress("staffing", static_cast<std::int64_t>(start + chunk.size()),
             static_cast<std::int64_t>(infos.size()));
  }
  return Ok();
}

// 4. Grants: `items` powers per town, each carried to effective; then publish.
Status BuildGrants(App& app, const std::vector<NewTown>& towns, int items, const Progress& progress) {
  CatalogueCaller caller = CatalogueCaller::System("demo");
  QZ_ASSIGN_OR_RETURN(ParsedCatalogue parsed, ParseMasterCatalogue(kDemoMasterCatalogue, "csv"));
  std::vector<domain::Power> powers;
  for (auto& p : parsed.powers) {
    if (p.parent_code.empty()) powers.push_back(std::move(p));
  }
  const std::string on = "2025-10-01";
  for (std::size_t i = 0; i < towns.size(); ++i) {
    const NewTown& t = towns[i];
    // A stable pseudo-random choice per town; every town gets licensing items.
    std::vector<std::pair<std::uint64_t, const domain::Power*>> ranked;
    for (const auto& p : powers) {
      std::uint64_t h = std::hash<std::string>{}(t.code + "|" + p.code);
      if (p.kind == domain::PowerKind::kLicensing) h >>= 2;  // favoured
      ranked.push_back({h, &p});
    }
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    ranked.resize(std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(items)));
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.second->code < b.second->code; });
    domain::DecisionDocument decision{
        t.county_name + "人民政府", t.county_name.substr(0, 6) + "政发〔2025〕21号",
        t.county_name + "人民政府关于向第三批经济发达镇赋予部分县级行政权力事项的决定（演示）",
        "2025-09-20"};
    QZ_TRY(Run(app, [&](Tx& tx) -> Result<json> {
      for (const auto& [hash, p] : ranked) {
        GrantProposal proposal{t.code, p->code, 0, domain::GrantMode::kDelegation, decision, on, ""};
        QZ_ASSIGN_OR_RETURN(json g, CatalogueService::ProposeGrantIn(tx, caller, proposal));
        std::int64_t id = g["id"].get<std::int64_t>();
        std::vector<domain::ReadinessChange> ready;
        for (auto k : domain::kAllReadinessKeys) ready.push_back({k, true, std::nullopt, on});
        QZ_TRY(CatalogueService::UpdateReadinessIn(tx, caller, id, ready));
        QZ_TRY(CatalogueService::TransitionIn(tx, caller, {id, domain::GrantAction::kMarkReady, "", on, std::nullopt}));
        QZ_TRY(CatalogueService::TransitionIn(tx, caller, {id, domain::GrantAction::kMakeEffective, "", on, std::nullopt}));
      }
      return CatalogueService::PublishIn(tx, caller, t.code);
    }));
    progress("grants", static_cast<std::int64_t>(i + 1), static_cast<std::int64_t>(towns.size()));
  }
  return Ok();
}

// 5. Cases of one town, in bulk.
struct CasePlan {
  std::string item;
  const domain::Procedure* proc = nullptr;
  std::vector<std::string> steps;
  std::int64_t performer = 0;
  std::vector<std::int64_t> officers;
};

class CaseGenerator {
 public:
  CaseGenerator(const CaseService& cs, domain::Date today) : cs_(cs), today_(today) {}

  Result<json> Town(Tx& tx, const demo::TownSetup& t, std::int64_t count, std::int64_t& next_id,
                    std::uint64_t seed) {
    store::Connection& c = tx.conn();
    tx.journal().BeginBulk();
    Rng rng(seed);
    const domain::Procedure* licensing = cs_.rules().procedures.Latest("licensing");
    const domain::Procedure* inspection = cs_.rules().procedures.Latest("inspection");
    if (!licensing || !inspection) {
      return MakeError(ErrorCode::kInternal, "缺少办案流程", "procedures missing");
    }
    auto certified = t.Certified();
    std::vector<store::CaseRecord> cases;
    std::vector<store::CaseStepRecord> steps;
    std::vector<store::DecisionRecord> decisions;
    cases.reserve(static_cast<std::size_t>(count));
    Actor actor = Actor::System();
    actor.channel = "demo";
    for (std::int64_t n = 0; n < count; ++n) {
      bool inspect = certified.size() >= 2 && !t.inspection_items.empty() && rng.Chance(15);
      const domain::Procedure* proc = inspect ? inspection : licensing;
      const auto& items = inspect ? t.inspection_items : t.licensing_items;
      const std::string& item = items[rng.Below(static_cast<int>(items.size()))];
      // Most cases are closed; the ones in progress were opened in the last
      // days. None before the grants took effect (2025-10-01).
      bool closed = rng.Chance(88);
      auto opened = cs_.rules().calendar.AddWorkingDays(today_, closed ? -(15 + rng.Below(250)) : -rng.Below(3));
      if (!opened.ok()) return opened.take_error();
      if (*opened < kFirstCaseDay) *opened = kFirstCaseDay;
      std::vector<std::string> plan;
      std::int64_t performer = inspect ? t.Chief() : t.Clerk();
      std::vector<std::int64_t> officers;
      if (inspect) {
        officers = {certified[0], certified[1]};
        plan = {"approve_plan", "inspect", "record_result", "close"};
      } else {
        plan = {"accept", "review", rng.Chance(6) ? "refuse" : "grant"};
        if (plan.back() == "grant") plan.push_back("deliver");
      }
      if (!closed) plan.resize(static_cast<std::size_t>(rng.Below(static_cast<int>(plan.size()))));

      domain::CaseState st = domain::OpenCase(*proc, *opened);
      QZ_TRY(LimitsFor(c, *proc, item, st));
      QZ_ASSIGN_OR_RETURN(const store::GrantAuthorityRecord* grant, Grant(c, t.code, item));
      store::CaseRecord r = cases::CaseRecordFor(t.code, item, *grant, *proc);
      r.id = next_id++;
      r.receipt_code = ReceiptCode(tx, r.id);
      r.origin = inspect ? "inspection" : (rng.Chance(40) ? "online" : "window");
      r.party_kind = "organisation";
      r.party_display = PlaceName(rng.Below(900), rng.Chance(50) ? "实业有限公司" : "商贸有限公司");
      r.opened_on = opened->ToString();
      r.handler_id = performer;
      r.created_at = r.updated_at = tx.now_seconds();
      QZ_ASSIGN_OR_RETURN(Receipt opened_receipt,
                          tx.Append(cases::CaseEvent("case.opened", actor, r,
                                                     {{"origin", r.origin},
                                                      {"party_kind", r.party_kind},
                                                      {"party", r.party_display},
                                                      {"id_number", nullptr},
                                                      {"opened_on", r.opened_on},
                                                      {"files", json::array()},
                                                      {"deadline", nullptr}})));
      r.ledger_index = opened_receipt.index;
      domain::Date on = *opened;
      std::int64_t seq = 0;
      for (const std::string& code : plan) {
        const domain::ProcedureStep* step = proc->FindStep(code);
        if (!step) return MakeError(ErrorCode::kInternal, "演示步骤未知", "unknown demo step " + code);
        auto next = cs_.rules().calendar.AddWorkingDays(on, 1 + rng.Below(3));
        if (!next.ok()) return next.take_error();
        if (*next > today_) break;
        on = *next;
        domain::StepCommand cmd{code, on, {step->guard.documents.begin(), step->guard.documents.end()},
                                {}, {}, "", 0, 0};
        if (step->guard.reason) cmd.reason = "依法办理";
        domain::CaseState before = st;
        auto after = domain::ApplyStep(*proc, st, cmd, &cs_.rules().calendar);
        if (!after.ok()) {
          return MakeError(after.error().code, "演示案件步骤失败：" + after.error().message_zh,
                           "demo case step " + code + " failed: " + after.error().message_en,
                           after.error().detail);
        }
        st = std::move(after).value();
        const domain::ProcedureState* to = proc->FindState(st.state);
        r.state = st.state;
        r.terminal = to && to->terminal;
        if (!step->outcome.empty()) r.outcome = step->outcome;
        if (r.terminal) r.closed_on = on.ToString();
        std::vector<std::int64_t> step_officers = step->guard.min_officers >= 2 ? officers : std::vector<std::int64_t>{};
        std::int64_t by = code == "grant" || code == "refuse" ? t.ApprovalLeader() : performer;
        json event{{"step", code},     {"from", before.state},         {"to", st.state},
                   {"on", on.ToString()}, {"performer_id", by},        {"officers", step_officers},
                   {"facts", cmd.facts},  {"documents", cmd.documents}, {"outcome", step->outcome},
                   {"deadlines", json::object()}};
        if (!cmd.reason.empty()) event["reason"] = cmd.reason;
        std::optional<store::DecisionRecord> decision;
        if (step->decision) {
          store::DecisionRecord d;
          d.case_id = r.id;
          d.town_code = r.town_code;
          d.power_code = r.power_code;
          d.outcome = step->outcome;
          d.responsible_id = by;
          d.responsible_post = "局长";
          d.content = code == "refuse" ? "经审查，申请不符合法定条件，决定不予许可"
                                       : "经审查，申请符合法定条件、标准，决定准予许可";
          d.decided_on = d.effective_on = on.ToString();
          event["decision"] = {{"outcome", d.outcome},
                               {"responsible_id", d.responsible_id},
                               {"responsible_post", d.responsible_post},
                               {"tier", ""},
                               {"amount_fen", 0},
                               {"content_sha256", ledger::HexEncode(std::span<const std::uint8_t>(
                                                      ledger::Hasher().Sha256(d.content)))}};
          decision = d;
        }
        QZ_ASSIGN_OR_RETURN(Receipt receipt, tx.Append(cases::CaseEvent("case.step", actor, r, event)));
        store::CaseStepRecord sr;
        sr.case_id = r.id;
        sr.seq = ++seq;
        sr.step = code;
        sr.on_date = on.ToString();
        sr.performer_id = by;
        sr.officers = json(step_officers).dump();
        sr.detail = json{{"facts", cmd.facts}, {"documents", cmd.documents}}.dump();
        sr.ledger_index = receipt.index;
        sr.created_at = tx.now_seconds();
        steps.push_back(std::move(sr));
        if (decision) {
          decision->ledger_index = receipt.index;
          decisions.push_back(std::move(*decision));
        }
      }
      cases::ClockSummary clocks = cases::SummariseClocks(*proc, st, today_, cs_.rules(), cs_.settings());
      r.state = st.state;
      r.state_json = cases::CaseStateToJson(st).dump();
      r.deadline = clocks.deadline;
      r.clock_status = clocks.status;
      r.limit_days = clocks.limit_days;
      r.days_used = clocks.days_used;
      cases.push_back(std::move(r));
    }
    QZ_TRY(store::InsertCases(c, cases));
    QZ_TRY(store::InsertCaseSteps(c, steps));
    QZ_TRY(store::InsertDecisions(c, decisions, tx.now_seconds()));
    return json{{"cases", cases.size()}, {"steps", steps.size()}};
  }

 private:
  // The item's limits (catalogue), read once per item.
  Status LimitsFor(store::Connection& c, const domain::Procedure& proc, const std::string& item,
                   domain::CaseState& st) {
    auto key = proc.id + "|" + item;
    auto it = limits_.find(key);
    if (it == limits_.end()) {
      domain::CaseState probe = domain::OpenCase(proc, st.opened_on);
      QZ_TRY(cases::ApplyItemLimits(c, proc, item, probe));
      std::map<std::string, std::optional<int>> days;
      for (const auto& [id, clock] : probe.clocks) days[id] = clock.limit_days;
      it = limits_.emplace(key, std::move(days)).first;
    }
    for (const auto& [id, days] : it->second) st.clocks[id].limit_days = days;
    return Ok();
  }

  Result<const store::GrantAuthorityRecord*> Grant(store::Connection& c, const std::string& town,
                                                   const std::string& item) {
    auto key = town + "|" + item;
    auto it = grants_.find(key);
    if (it == grants_.end()) {
      QZ_ASSIGN_OR_RETURN(auto g, store::FindGrantForCase(c, town, item));
      if (!g) return MakeError(ErrorCode::kInternal, "演示事项未赋权", "demo item not granted: " + key);
      it = grants_.emplace(key, std::move(*g)).first;
    }
    return &it->second;
  }

  // "XXXX-XXXX-XXXX" from a keyed hash of the case id: deterministic for one
  // database's secret, not guessable from outside.
  static std::string ReceiptCode(Tx& tx, std::int64_t id) {
    static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string mac = tx.Commitment("demo_receipt", std::to_string(id));
    std::uint64_t h = std::hash<std::string>{}(mac);
    std::string out;
    for (int i = 0; i < 12; ++i) {
      if (i && i % 4 == 0) out += '-';
      out += kAlphabet[(h >> (i * 5)) % 32];
    }
    return out;
  }

  const domain::Date kFirstCaseDay = domain::Date::FromYmd(2025, 10, 9).value();
  const CaseService& cs_;
  domain::Date today_;
  std::map<std::string, std::map<std::string, std::optional<int>>> limits_;
  std::map<std::string, store::GrantAuthorityRecord> grants_;
};

Status BuildCases(App& app, const std::vector<NewTown>& towns, std::int64_t total,
                  const Progress& progress) {
  CaseService& cs = app.cases();
  AuthUser sys = SystemStaffingUser();
  domain::Date today = cs.Today();
  if (!cs.rules().calendar.HasYear(today.year())) {
    auto years = cs.rules().calendar.LoadedYears();
    if (years.empty()) return Ok();
    today = domain::Date::FromYmd(years.back(), 12, 31).value();
  }
  CaseGenerator generator(cs, today);
  std::int64_t next_id = 0;
  QZ_TRY(app.db().WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(next_id, store::NextCaseId(c));
    return Ok();
  }));
  std::int64_t done = 0;
  for (std::size_t i = 0; i < towns.size(); ++i) {
    std::int64_t count = total * static_cast<std::int64_t>(i + 1) / static_cast<std::int64_t>(towns.size()) -
                         total * static_cast<std::int64_t>(i) / static_cast<std::int64_t>(towns.size());
    QZ_TRY(Run(app, [&](Tx& tx) -> Result<json> {
      QZ_ASSIGN_OR_RETURN(demo::TownSetup t, demo::SetUpTown(tx, cs, sys, towns[i].code, today));
      if (!t.approval_agency || t.licensing_items.empty()) return json::object();
      return generator.Town(tx, t, count, next_id, 0x51ED270B + i);
    }));
    done += count;
    progress("cases", done, total);
  }
  return Ok();
}

}  // namespace

Status BuildProvinceDemo(App& app, const ProvinceScale& scale, const DemoProgress& progress_fn) {
  Progress progress(progress_fn);
  if (scale.towns < kSmallDemoTowns || scale.towns > kSmallDemoTowns + 98 * kCountiesPerCity * kTownsPerCounty) {
    return MakeError(ErrorCode::kBadRequest,
                     "--towns 须在 12 到 4814 之间", "--towns must be between 12 and 4814");
  }
  progress("demo", 0, 1);
  QZ_TRY(BuildDemo(app));
  progress("demo", 1, 1);
  std::vector<NewRegion> parents;
  std::vector<NewTown> towns = PlanTowns(scale.towns - kSmallDemoTowns, parents);
  progress("regions", 0, 1);
  QZ_TRY(BuildRegions(app, parents, towns));
  QZ_TRY(BuildBatch(app, towns));
  progress("regions", 1, 1);
  QZ_TRY(BuildStaffing(app, towns, progress));
  QZ_TRY(BuildGrants(app, towns, scale.items_per_town, progress));
  QZ_TRY(BuildCases(app, towns, scale.cases, progress));
  auto signed_note = app.ledger().SignNow();
  if (!signed_note.ok()) return signed_note.take_error();
  return Ok();
}

}  // namespace quanze::app
