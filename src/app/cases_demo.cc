// Demo cases: the handling agencies of every effective grant, the steps each
// post may perform, legal reviewers, accounts linked to people, and a few
// thousand cases across the four procedures and their states — some overdue,
// some rated badly, one denied attempt and one out-of-range penalty — all
// made through CaseService, so every record has its journal entries.
// Deterministic except for receipt codes; dates count back from today.
#include <algorithm>
#include <map>

#include "app/app.h"
#include "app/cases_internal.h"
#include "app/demo.h"
#include "app/demo_internal.h"
#include "app/staffing_demo_data.h"

// The demo's case plans are tables of designated initialisers in spirit;
// omitted trailing members default on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace quanze::app {

using nlohmann::json;
using staffing::kDemoEnforcement;

namespace {

using demo::Rng;
using demo::Person;
using demo::TownSetup;

Result<std::int64_t> AgencyId(store::Connection& c, const std::string& town, const char* name) {
  auto row = c.QueryOne(
      "SELECT id FROM staffing_agencies WHERE town_code = ? AND name = ? AND state = 'active'",
      {town, std::string(name)});
  if (!row.ok()) return row.take_error();
  return *row ? (*row)->Int(0) : 0;
}

Result<std::vector<Person>> People(store::Connection& c, std::int64_t agency, domain::Date today) {
  auto rows = c.Query(
      "SELECT id, post, is_leader, cert_number, cert_valid_from, cert_valid_to "
      "FROM staffing_people WHERE agency_id = ? AND state = 'active' ORDER BY id",
      {agency});
  if (!rows.ok()) return rows.take_error();
  std::vector<Person> out;
  for (const auto& r : *rows) {
    Person p;
    p.id = r.Int(0);
    p.post = r.Text(1);
    p.leader = r.Int(2) != 0;
    domain::EnforcementCertificate cert;
    cert.number = r.Text(3);
    auto f = domain::ParseDate(r.Text(4));
    auto t = domain::ParseDate(r.Text(5));
    if (f.ok()) cert.valid_from = *f;
    if (t.ok()) cert.valid_to = *t;
    p.certified = domain::CertificateValidOn(cert, today);
    if (p.post != "工勤岗") out.push_back(p);
  }
  return out;
}

const std::vector<std::string> kClerkLicensing = {
    "licensing:accept", "licensing:deemed_accept", "licensing:request_correction",
    "licensing:reject", "licensing:withdraw", "licensing:verify", "licensing:review",
    "licensing:notify_hearing_rights", "licensing:request_hearing", "licensing:waive_hearing",
    "licensing:notice_hearing", "licensing:suspend_testing", "licensing:suspend_tender_auction",
    "licensing:suspend_expert_review", "licensing:resume", "licensing:deliver"};
const std::vector<std::string> kOfficerEnforcement = {
    "penalty_general:investigate", "penalty_general:notify", "penalty_general:request_hearing",
    "penalty_general:notice_hearing", "penalty_general:hold_hearing", "penalty_general:legal_review",
    "penalty_general:waive_hearing", "penalty_general:resume_case", "penalty_general:serve",
    "penalty_general:urge_payment", "penalty_general:execute", "penalty_summary:*",
    "inspection:inspect", "inspection:record_result", "inspection:order_rectification",
    "inspection:recheck", "inspection:close", "coercion:seize", "coercion:urgent_seize",
    "coercion:suspend_testing", "coercion:resume_testing", "coercion:record_custody",
    "coercion:close"};
const std::vector<std::string> kLeaderEnforcement = {"penalty_general:*", "penalty_summary:*",
                                                     "inspection:*", "coercion:*"};

}  // namespace

namespace demo {

Result<TownSetup> SetUpTown(Tx& tx, const CaseService& cs, const AuthUser& sys,
                            const std::string& town, domain::Date today) {
  TownSetup t;
  t.code = town;
  store::Connection& c = tx.conn();
  QZ_ASSIGN_OR_RETURN(t.approval_agency, AgencyId(c, town, "行政审批局"));
  QZ_ASSIGN_OR_RETURN(t.enforcement_agency, AgencyId(c, town, kDemoEnforcement));
  if (!t.approval_agency || !t.enforcement_agency) return t;
  QZ_ASSIGN_OR_RETURN(t.approval, People(c, t.approval_agency, today));
  QZ_ASSIGN_OR_RETURN(t.enforcement, People(c, t.enforcement_agency, today));
  auto grants = c.Query("SELECT id, power_code, kind FROM grants WHERE town_code = ? AND state = 'effective' ORDER BY power_code",
                        {town});
  if (!grants.ok()) return grants.take_error();
  for (const auto& g : *grants) {
    std::string kind = g.Text(2);
    bool enforcement = kind == "penalty" || kind == "inspection" || kind == "coercion";
    QZ_TRY(cs.AssignAgencyWork(sys, json{{"grant_id", g.Int(0)},
                                         {"agency_id", enforcement ? t.enforcement_agency
                                                                   : t.approval_agency}})(tx));
    if (kind == "licensing") t.licensing_items.push_back(g.Text(1));
    if (kind == "inspection") t.inspection_items.push_back(g.Text(1));
    if (kind == "coercion" && cs.rules().procedures.Latest("coercion")) t.coercion_items.push_back(g.Text(1));
    if (kind == "penalty" && cs.rules().FindBenchmark(g.Text(1))) t.penalty_items.push_back(g.Text(1));
  }
  std::map<std::pair<std::int64_t, std::string>, bool> posts;
  for (const auto& p : t.approval) posts[{t.approval_agency, p.post}] = p.leader;
  for (const auto& p : t.enforcement) posts[{t.enforcement_agency, p.post}] = p.leader;
  for (const auto& [key, leader] : posts) {
    std::vector<std::string> steps;
    if (key.first == t.approval_agency) {
      steps = leader ? std::vector<std::string>{"licensing:*"} : kClerkLicensing;
    } else {
      steps = leader ? kLeaderEnforcement : kOfficerEnforcement;
    }
    QZ_TRY(cs.PostStepsWork(sys, json{{"agency_id", key.first}, {"post", key.second},
                                      {"steps", steps}})(tx));
  }
  for (const auto& p : t.enforcement) {
    if (p.certified && !p.leader) {
      t.legal_reviewer = p.id;
      QZ_TRY(cs.LegalReviewerWork(sys, json{{"person_id", p.id},
                                            {"document", "A2019" + std::to_string(100000 + p.id)}})(tx));
      break;
    }
  }
  return t;
}

}  // namespace demo

namespace {

using demo::SetUpTown;

// Runs one case along `steps` (step, performer, officers, facts, decision),
// each dated `gap` working days after the previous, stopping at today.
struct Planned {
  std::string step;
  std::int64_t performer = 0;
  std::vector<std::int64_t> officers;
  std::vector<std::string> facts;
  json decision;
  std::string reason;
  json extra = json::object();  // more request fields (violation, proposal)
  int min_gap = 1;              // working days after the previous step, at least
};

Status RunCase(Tx& tx, const CaseService& cs, const AuthUser& sys, Rng& rng,
               const json& open, std::int64_t opener, domain::Date opened,
               const std::vector<Planned>& plan, domain::Date today, int max_gap) {
  QZ_ASSIGN_OR_RETURN(json created, cs.OpenInTx(tx, sys, open, opener));
  std::int64_t id = created["case_id"].get<std::int64_t>();
  const domain::Procedure* proc = cs.rules().procedures.Latest(created["procedure"].get<std::string>());
  domain::Date on = opened;
  for (const Planned& p : plan) {
    auto next = cs.rules().calendar.AddWorkingDays(on, std::max(p.min_gap, 1 + rng.Below(max_gap)));
    if (!next.ok() || *next > today) break;
    on = *next;
    const domain::ProcedureStep* step = proc->FindStep(p.step);
    if (!step) return MakeError(ErrorCode::kInternal, "演示步骤未知", "unknown demo step " + p.step);
    json req{{"step", p.step}, {"on", on.ToString()}, {"documents", step->guard.documents},
             {"facts", p.facts}, {"officers", p.officers}};
    if (!p.reason.empty() || step->guard.reason) req["reason"] = p.reason.empty() ? "依法办理" : p.reason;
    req.update(p.extra);
    if (!p.decision.is_null()) {
      req["decision"] = p.decision;
    } else if (step->decision) {
      req["decision"] = {{"content", step->label_zh + "（演示）"}};
    }
    auto r = cs.StepInTx(tx, sys, id, req, p.performer, on);  // recorded as of its day
    if (!r.ok()) {
      return MakeError(r.error().code, "演示案件步骤失败：" + r.error().message_zh,
                       "demo case step " + p.step + " failed: " + r.error().message_en, r.error().detail);
    }
  }
  return Ok();
}

json Party(Rng& rng, int i, const std::string& kind = "") {
  static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"};
  static const char* kGiven[] = {"建国", "秀英", "伟", "芳", "敏", "静", "强", "磊", "洋", "艳"};
  static const char* kFirms[] = {"桥东五金加工厂", "云溪农产品专业合作社", "松岭建材有限公司",
                                 "清河餐饮管理有限公司", "临江物流有限公司", "东海服装厂"};
  if (kind == "natural_person" || (kind.empty() && rng.Chance(55))) {
    std::string id = "990121" + std::to_string(19700101 + rng.Below(300000) % 300000);
    while (id.size() < 17) id += std::to_string(rng.Below(10));
    id += "X";
    return json{{"kind", "natural_person"},
                {"name", std::string(kSurnames[rng.Below(10)]) + kGiven[rng.Below(10)]},
                {"id_number", id.substr(0, 18)},
                {"phone", "1380000" + std::to_string(1000 + i % 9000)}};
  }
  return json{{"kind", "organisation"}, {"name", kFirms[rng.Below(6)]}};
}

}  // namespace

Status BuildCasesDemo(App& app) {
  CaseService& cs = app.cases();
  AuthUser sys = SystemStaffingUser();
  domain::Date today = cs.Today();
  // Past the last published holiday schedule the calendar cannot count
  // working days (it refuses to guess): anchor the demo on that year's end.
  if (!cs.rules().calendar.HasYear(today.year())) {
    auto years = cs.rules().calendar.LoadedYears();
    if (years.empty()) return Ok();
    today = domain::Date::FromYmd(years.back(), 12, 31).value();
  }
  Rng rng;
  std::vector<TownSetup> towns;
  auto setup = app.writer().Run([&](Tx& tx) -> Result<json> {
    auto rows = tx.conn().Query("SELECT code FROM regions WHERE level = 'town' ORDER BY code");
    if (!rows.ok()) return rows.take_error();
    for (const auto& r : *rows) {
      QZ_ASSIGN_OR_RETURN(TownSetup t, SetUpTown(tx, cs, sys, r.Text(0), today));
      if (t.approval_agency && !t.licensing_items.empty()) towns.push_back(std::move(t));
    }
    // Demo accounts act as real-name people of 桥头镇 and 云阳镇.
    for (const auto& t : towns) {
      std::vector<std::pair<std::string, std::int64_t>> links;
      if (t.code == "990121101") {
        auto certified = t.Certified();
        links = {{"qiaotou.leader", t.ApprovalLeader()}, {"qiaotou.approver", t.ApprovalLeader()},
                 {"qiaotou.clerk", t.Clerk()},          {"qiaotou.chief", t.Chief()},
                 {"qiaotou.legal", t.legal_reviewer},
                 {"qiaotou.officer", certified.empty() ? 0 : certified[0]},
                 {"qiaotou.inspector", certified.size() > 1 ? certified[1] : 0}};
      } else if (t.code == "990122101") {
        links = {{"yunyang.officer", t.Clerk()}};
      }
      for (const auto& [name, person] : links) {
        QZ_ASSIGN_OR_RETURN(auto u, store::FindUserByName(tx.conn(), name));
        if (!u || !person) continue;
        QZ_TRY(cs.LinkUserWork(sys, json{{"user_id", u->id}, {"person_id", person}})(tx));
      }
    }
    return json::object();
  });
  if (!setup.ok()) return setup.take_error();

  int n = 0;
  for (const TownSetup& t : towns) {
    const int licensing = t.code == "990121101" ? 700 : 110;
    const int penalties = t.penalty_items.empty() ? 0 : (t.code == "990121101" ? 200 : 25);
    const int inspections = t.inspection_items.empty() ? 0 : (t.code == "990121101" ? 80 : 10);
    auto certified = t.Certified();
    if (certified.size() < 2) continue;
    auto r = app.writer().Run([&](Tx& tx) -> Result<json> {
      for (int i = 0; i < licensing; ++i, ++n) {
        auto opened = cs.rules().calendar.AddWorkingDays(today, -(1 + rng.Below(70)));
        if (!opened.ok()) return opened.take_error();
        std::int64_t clerk = t.Clerk(), boss = t.ApprovalLeader();
        std::vector<Planned> plan;
        int path = rng.Below(100);
        if (path < 6) {
          plan = {{"reject", clerk, {}, {}, json{{"content", "申请事项依法不属于本机关职权范围，不予受理"}}, "不属于受理范围"}};
        } else {
          if (path < 16) plan.push_back({"request_correction", clerk, {}, {}, nullptr, "缺少申请材料"});
          plan.push_back({"accept", clerk});
          if (path >= 16 && path < 24) {
            plan.push_back({"suspend_expert_review", clerk});
            plan.push_back({"resume", clerk});
          }
          plan.push_back({"review", clerk});
          if (path >= 24 && path < 28) plan.push_back({"extend", boss, {}, {}, nullptr, "情况复杂，需延长审查期限"});
          if (path >= 28 && path < 33) {
            plan.push_back({"refuse", boss, {}, {}, json{{"content", "经审查，申请不符合法定条件，决定不予许可"}}, "不符合法定条件"});
          } else {
            plan.push_back({"grant", boss, {}, {}, json{{"content", "经审查，申请符合法定条件、标准，决定准予许可"}}});
            plan.push_back({"deliver", clerk});
          }
        }
        // Some cases stall after acceptance: they run out of time (overdue).
        if (rng.Chance(4)) plan.resize(std::min<std::size_t>(plan.size(), 1));
        json open{{"town_code", t.code},
                  {"power_code", t.licensing_items[rng.Below(static_cast<int>(t.licensing_items.size()))]},
                  {"origin", "window"},
                  {"party", Party(rng, n)},
                  {"opened_on", opened->ToString()}};
        QZ_TRY(RunCase(tx, cs, sys, rng, open, clerk, *opened, plan, today, 3));
      }
      for (int i = 0; i < penalties; ++i, ++n) {
        auto opened = cs.rules().calendar.AddWorkingDays(today, -(5 + rng.Below(100)));
        if (!opened.ok()) return opened.take_error();
        std::int64_t a = certified[rng.Below(static_cast<int>(certified.size()))];
        std::int64_t b = certified[(rng.Below(static_cast<int>(certified.size()) - 1) + 1 +
                                    std::find(certified.begin(), certified.end(), a) - certified.begin()) %
                                   certified.size()];
        std::string item = t.penalty_items[rng.Below(static_cast<int>(t.penalty_items.size()))];
        const domain::DiscretionBenchmark* bm = cs.rules().FindBenchmark(item);
        json open{{"town_code", t.code}, {"power_code", item}, {"party", Party(rng, n, bm->party)},
                  {"opened_on", opened->ToString()}};
        const std::int64_t base = 1'000'000;  // 货值金额 / 违法所得 of the demo cases: 10,000 yuan
        if (rng.Chance(30)) {
          // On-the-spot (当场处罚): a small fine within 第五十一条's limits.
          open["procedure"] = "penalty_summary";
          open["origin"] = "on_the_spot";
          const std::int64_t cap = open["party"]["kind"] == "natural_person" ? 20000 : 300000;
          json decision;
          for (const auto& tier : bm->tiers) {
            auto range = domain::RangeFor(*bm, tier.code, base);
            if (tier.no_penalty || !range.ok() || range->max_fen == 0 || range->min_fen > cap) continue;
            decision = {{"content", "当场作出罚款决定"}, {"tier", tier.code}, {"base_fen", base},
                        {"amount_fen", std::min(cap, std::max<std::int64_t>(range->min_fen, 5000))}};
            break;
          }
          if (decision.is_null()) continue;
          const json violation{{"violation", {{"committed_on", opened->ToString()},
                                              {"discovered_on", opened->ToString()}}}};
          const json proposal{{"proposal", {{"tier", decision["tier"]}, {"amount_fen", decision["amount_fen"]},
                                            {"base_fen", base}}}};
          std::vector<Planned> plan = {{"show_identity", a, {a, b}, {}, nullptr, "", violation},
                                       {"notify", a, {}, {}, nullptr, "", proposal},
                                       {"hear_statement", a},
                                       {"decide", a, {a, b}, {}, decision},
                                       {"serve", a},
                                       {"file_record", a}};
          QZ_TRY(RunCase(tx, cs, sys, rng, open, a, *opened, plan, today, 1));
          continue;
        }
        open["origin"] = rng.Chance(50) ? "complaint" : "inspection";
        const domain::DiscretionTier& tier = bm->tiers[rng.Below(static_cast<int>(bm->tiers.size()))];
        auto range = domain::RangeFor(*bm, tier.code, base);
        std::int64_t amount =
            tier.no_penalty || !range.ok() ? 0 : range->min_fen + (range->max_fen - range->min_fen) / 3;
        bool major = amount >= 5'000'000;
        const json violation{
            {"violation", {{"committed_on", opened->AddDays(-10 - rng.Below(200)).ToString()},
                           {"discovered_on", opened->ToString()}}}};
        std::vector<Planned> plan = {{"open_case", t.Chief(), {}, {}, nullptr, "", violation},
                                     {"investigate", a, {a, b}},
                                     {"review", t.Chief()}};
        if (major) {
          plan.push_back({"legal_review", t.legal_reviewer, {}, {"legal_review_passed"}});
        }
        plan.push_back({"notify", a, {}, {}, nullptr, "",
                        json{{"proposal", {{"tier", tier.code}, {"amount_fen", amount}, {"base_fen", base}}}}});
        if (tier.no_penalty || amount == 0) {
          plan.push_back({"decide_no_penalty", t.Chief(), {}, {}, json{{"content", "违法行为轻微并及时改正，没有造成危害后果，决定不予行政处罚"}}, "首违不罚"});
          plan.push_back({"serve", a});
        } else {
          // After the party's 5-day hearing-request window (第六十四条).
          plan.push_back({"decide", t.Chief(), {}, {},
                          json{{"content", "责令改正违法行为，并处罚款"}, {"tier", tier.code}, {"amount_fen", amount},
                               {"base_fen", base}}, "", json::object(), 6});
          plan.push_back({"serve", a});
          plan.push_back({"execute", a});
          plan.push_back({"close", t.Chief()});
        }
        QZ_TRY(RunCase(tx, cs, sys, rng, open, t.Chief(), *opened, plan, today, 4));
      }
      for (int i = 0; i < inspections; ++i, ++n) {
        auto opened = cs.rules().calendar.AddWorkingDays(today, -(3 + rng.Below(60)));
        if (!opened.ok()) return opened.take_error();
        std::int64_t a = certified[0], b = certified[1];
        json open{{"town_code", t.code},
                  {"power_code", t.inspection_items[rng.Below(static_cast<int>(t.inspection_items.size()))]},
                  {"origin", "inspection"}, {"party", Party(rng, n)},
                  {"opened_on", opened->ToString()}};
        std::vector<Planned> plan = {{"approve_plan", t.Chief()}, {"inspect", a, {a, b}}};
        if (rng.Chance(40)) {
          plan.push_back({"record_result", a, {}, {"issues_found"}});
          plan.push_back({"order_rectification", a, {}, {}, nullptr, "发现安全隐患，责令限期整改"});
          plan.push_back({"recheck", a, {a, b}, {"rectified"}});
        } else {
          plan.push_back({"record_result", a});
        }
        plan.push_back({"close", a});
        QZ_TRY(RunCase(tx, cs, sys, rng, open, t.Chief(), *opened, plan, today, 3));
      }
      // 查封、扣押 (行政强制法): approved beforehand or urgent, then handled.
      const int coercions = t.coercion_items.empty() ? 0 : (t.code == "990121101" ? 16 : 3);
      for (int i = 0; i < coercions; ++i, ++n) {
        auto opened = cs.rules().calendar.AddWorkingDays(today, -(3 + rng.Below(40)));
        if (!opened.ok()) return opened.take_error();
        std::int64_t a = certified[0], b = certified[1];
        json open{{"town_code", t.code},
                  {"power_code", t.coercion_items[rng.Below(static_cast<int>(t.coercion_items.size()))]},
                  {"origin", "inspection"}, {"party", Party(rng, n, "organisation")},
                  {"opened_on", opened->ToString()}};
        std::vector<Planned> plan;
        const json seized{{"content", "查封涉案场所、设施、财物（清单附后）"}};
        if (rng.Chance(25)) {
          plan = {{"urgent_seize", a, {a, b}, {}, seized, "现场发现证据可能灭失，情况紧急"},
                  {"confirm_urgent", t.Chief()}};
        } else {
          plan = {{"approve", t.Chief()}, {"seize", a, {a, b}, {}, seized}};
        }
        plan.push_back({"record_custody", a});
        switch (rng.Below(4)) {
          case 0:
            plan.push_back({"release", t.Chief(), {}, {}, json{{"content", "解除查封、扣押，退还财物"}},
                            "经查与违法行为无关"});
            plan.push_back({"close", a});
            break;
          case 1:
            plan.push_back({"confiscate", t.Chief(), {}, {}, json{{"content", "没收非法财物"}}});
            plan.push_back({"close", a});
            break;
          default:  // still under seizure: the 30-day clock runs
            break;
        }
        QZ_TRY(RunCase(tx, cs, sys, rng, open, t.Chief(), *opened, plan, today, 3));
      }
      return json::object();
    });
    if (!r.ok()) return r.take_error();
  }

  // Publish most disclosures; rate closed cases (some badly).
  auto finish = app.writer().Run([&](Tx& tx) -> Result<json> {
    auto rows = tx.conn().Query(
        "SELECT d.case_id, c.receipt_code FROM disclosures d JOIN cases c ON c.id = d.case_id "
        "ORDER BY d.case_id");
    if (!rows.ok()) return rows.take_error();
    for (const auto& r : *rows) {
      if (rng.Chance(96)) QZ_TRY(cs.DisclosureWork(sys, r.Int(0), json{{"action", "publish"}})(tx));
    }
    auto closed = tx.conn().Query("SELECT receipt_code FROM cases WHERE terminal = 1 ORDER BY id");
    if (!closed.ok()) return closed.take_error();
    for (const auto& r : *closed) {
      if (!rng.Chance(60)) continue;
      int level = rng.Chance(8) ? 1 + rng.Below(2) : 3 + rng.Below(3);
      QZ_TRY(cs.RatingWork(json{{"receipt_code", r.Text(0)},
                                {"level", level},
                                {"scores", {{"timeliness", level}, {"attitude", std::min(5, level + 1)}}}})(tx));
    }
    return json::object();
  });
  if (!finish.ok()) return finish.take_error();
  // Planted refusals, each its own unit so that the refusal is journaled:
  // a clerk tries to decide (needs the head), and an out-of-range fine.
  for (const TownSetup& t : towns) {
    if (t.code != "990121101") continue;
    auto rows = [&]() -> Result<std::vector<store::Row>> {
      std::vector<store::Row> out;
      QZ_TRY(app.db().WithReader([&](store::Connection& c) -> Status {
        auto r = c.Query("SELECT id, procedure_id, state, power_code FROM cases WHERE town_code = ? AND terminal = 0 "
                         "AND state IN ('reviewed','notified') ORDER BY id", {t.code});
        if (!r.ok()) return r.take_error();
        out = std::move(r).value();
        return Ok();
      }));
      return out;
    }();
    if (!rows.ok()) return rows.take_error();
    bool denied = false, ranged = false;
    for (const auto& row : *rows) {
      if (!denied && row.Text(1) == "licensing" && row.Text(2) == "reviewed") {
        (void)app.writer().Run([&, id = row.Int(0)](Tx& tx) -> Result<json> {
          return cs.StepInTx(tx, sys, id, json{{"step", "grant"}, {"documents", {"license_decision"}},
                                               {"decision", {{"content", "准予许可"}}}}, t.Clerk());
        });
        denied = true;
      }
      if (!ranged && row.Text(1) == "penalty_general" && row.Text(2) == "notified") {
        const domain::DiscretionBenchmark* bm = cs.rules().FindBenchmark(row.Text(3));
        if (!bm || bm->tiers.empty()) continue;
        (void)app.writer().Run([&, id = row.Int(0), tier = bm->tiers.back().code](Tx& tx) -> Result<json> {
          return cs.StepInTx(tx, sys, id, json{{"step", "decide"}, {"documents", {"penalty_decision"}},
                                               {"decision", {{"content", "罚款"}, {"tier", tier},
                                                             {"base_fen", 1'000'000},
                                                             {"amount_fen", 999'999'999}}}},
                             t.Chief());
        });
        ranged = true;
      }
    }
  }
  auto swept = app.writer().Run(cs.SweepWork());
  if (!swept.ok()) return swept.take_error();
  return Ok();
}

}  // namespace quanze::app
