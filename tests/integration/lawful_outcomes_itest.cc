// Lawful outcomes (issue 13) through the real binary, over HTTP: the limitation
// period, facts that only a step establishes, the proposed penalty of the
// notice, the hearing-request window, separation of duties, the statutory range,
// 第四十五条, appeal periods from service, the party's late payment; the
// coercion procedure (行政强制法); backdating; 行政许可法 第三十二条. Every refusal
// is journaled (the log grows by one entry) and the accountability records name
// the catalogue item's clause (追责情形). The rules themselves are tested one by
// one in tests/scenarios/procedures through the decision function.
#include <gtest/gtest.h>

#include "cases_fixture.h"

namespace quanze::testing {
namespace {

class LawfulOutcomes : public CasesTest {
 protected:
  // A penalty item of 桥头镇 whose benchmark (for organisations) has a fining
  // tier that reaches the hearing threshold (20,000 yuan): item, tier, amount
  // at the threshold, the statutory maximum.
  struct Fine {
    std::string item, tier;
    std::int64_t amount = 0, tier_max = 0;
  };
  Fine HearingSizedFine() {
    for (const std::string& code : Items("penalty")) {
      HttpResponse b = As("")->Get("/api/v1/public/discretion/" + code);
      if (b.status != 200) continue;
      const json bj = b.Json();
      if (bj.value("party", "") == "natural_person") continue;
      for (const json& t : bj["tiers"]) {
        if (t.value("no_penalty", false) || !t.contains("max_fen") || t["max_fen"].is_null())
          continue;
        const std::int64_t lo = t.value("min_fen", std::int64_t{0});
        const std::int64_t hi = t["max_fen"].get<std::int64_t>();
        if (hi <= 2'000'000 || lo > 2'000'000) continue;  // room above it for 第四十五条
        return {code, t["code"].get<std::string>(), 2'000'000, hi};
      }
    }
    return {};
  }

  // A licensing case of 桥头镇 entered at the window by the clerk (received on
  // `received_on`, "" = today); its id, 0 on failure.
  std::int64_t OpenLicensingCase(const std::string& item, const std::string& received_on,
                                 const std::string& firm) {
    json request{{"town_code", kQiaotou},
                 {"power_code", item},
                 {"origin", "window"},
                 {"party", {{"kind", "organisation"}, {"name", firm}}}};
    if (!received_on.empty()) request["opened_on"] = received_on;
    HttpResponse opened = As("qiaotou.clerk")->PostJson("/api/v1/cases", request);
    EXPECT_EQ(opened.status, 201) << opened.body;
    return opened.status == 201 ? opened.Json()["case_id"].get<std::int64_t>() : 0;
  }

  // A leader of the handling agency of the case other than `not`.
  std::int64_t OtherLeader(std::int64_t case_id, std::int64_t not_id) {
    HttpResponse r =
        As("qiaotou.chief")->Get("/api/v1/cases/" + std::to_string(case_id) + "/officers");
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.Json();  // a copy: Json() is a temporary
    for (const json& o : body["items"]) {
      if (o["is_leader"] == true && o["id"] != not_id) return o["id"].get<std::int64_t>();
    }
    ADD_FAILURE() << "no other leader among " << r.body.substr(0, 2000);
    return 0;
  }

  bool HasRecord(const std::string& trigger, std::int64_t case_id, json* out = nullptr) {
    for (const json& r : Accountability(trigger)) {
      if (r["case_id"] != case_id) continue;
      if (out) *out = r;
      return true;
    }
    return false;
  }
};

TEST_F(LawfulOutcomes, APenaltyCaseFollowsTheStatuteFromLimitationToLatePayment) {
  const Fine fine = HearingSizedFine();
  ASSERT_FALSE(fine.item.empty()) << "no benchmarked penalty item reaching the hearing threshold";
  auto chief = As("qiaotou.chief");
  auto officer = As("qiaotou.officer");
  const std::int64_t me = PersonOf("qiaotou.officer");
  const std::int64_t partner = PersonOf("qiaotou.inspector");
  const std::int64_t head = PersonOf("qiaotou.chief");
  HttpResponse opened = chief->PostJson(
      "/api/v1/cases", {{"town_code", kQiaotou},
                        {"power_code", fine.item},
                        {"origin", "complaint"},
                        {"party", {{"kind", "organisation"}, {"name", "桥东五金加工厂"}}}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::int64_t id = opened.Json()["case_id"].get<std::int64_t>();
  const std::string steps = "/api/v1/cases/" + std::to_string(id) + "/steps";

  // 第三十六条: the dates are required, and a violation found after two years is out of reach.
  std::int64_t size = LedgerSize();
  HttpResponse no_dates =
      chief->PostJson(steps, {{"step", "open_case"}, {"documents", {"case_filing_form"}}});
  EXPECT_EQ(no_dates.status, 422) << no_dates.body;
  EXPECT_EQ(LedgerSize(), size + 1) << "the refusal is journaled";
  HttpResponse stale = chief->PostJson(
      steps, {{"step", "open_case"},
              {"documents", {"case_filing_form"}},
              {"violation", {{"committed_on", "2024-10-01"}, {"discovered_on", "2026-10-30"}}}});
  ASSERT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.Json()["guard"], "limitation") << stale.body;
  ASSERT_EQ(
      chief
          ->PostJson(steps, {{"step", "open_case"},
                             {"documents", {"case_filing_form"}},
                             {"violation",
                              {{"committed_on", "2026-10-20"}, {"discovered_on", "2026-10-30"}}}})
          .status,
      201);
  ASSERT_EQ(officer
                ->PostJson(steps, {{"step", "investigate"},
                                   {"documents", {"inquiry_record"}},
                                   {"officers", {me, partner}}})
                .status,
            201);
  ASSERT_EQ(chief
                ->PostJson(steps, {{"step", "review"},
                                   {"documents", {"investigation_report"}},
                                   {"facts", {"major_case"}}})
                .status,
            201);

  // The notice states the proposed penalty; at the threshold it carries the right to a hearing.
  EXPECT_EQ(
      officer->PostJson(steps, {{"step", "notify"}, {"documents", {"penalty_notice"}}}).status,
      422);
  HttpResponse asserted =
      officer->PostJson(steps, {{"step", "notify"},
                                {"documents", {"penalty_notice"}},
                                {"facts", {"hearing_rights_notified"}},
                                {"proposal", {{"tier", fine.tier}, {"amount_fen", 1}}}});
  EXPECT_EQ(asserted.status, 409) << "a fact only a step establishes cannot be asserted: "
                                  << asserted.body;
  ASSERT_EQ(officer
                ->PostJson(
                    steps,
                    {{"step", "notify"},
                     {"documents", {"penalty_notice"}},
                     {"proposal",
                      {{"tier", fine.tier}, {"amount_fen", fine.amount}, {"base_fen", 1'000'000}}}})
                .status,
            201);
  json k = Case(id);
  EXPECT_NE(k["facts"].dump().find("hearing_rights_notified"), std::string::npos)
      << k["facts"].dump();
  EXPECT_EQ(k["proposal"]["amount_fen"], fine.amount);

  const json decision{{"content", "责令改正，罚款二万元"},
                      {"tier", fine.tier},
                      {"amount_fen", fine.amount},
                      {"base_fen", 1'000'000}};
  json decide{{"step", "decide"}, {"documents", {"penalty_decision"}}, {"decision", decision}};
  // Not before the 5-day hearing window has closed, and not on a claimed legal review.
  size = LedgerSize();
  HttpResponse early = chief->PostJson(steps, decide);
  ASSERT_EQ(early.status, 409) << early.body;
  EXPECT_NE(early.body.find("waiting_period"), std::string::npos) << early.body;
  EXPECT_NE(early.body.find("legal_review"), std::string::npos) << early.body;
  json claimed = decide;
  claimed["facts"] = {"legal_review_passed"};
  HttpResponse claim = chief->PostJson(steps, claimed);
  ASSERT_EQ(claim.status, 409) << claim.body;
  EXPECT_NE(claim.body.find("legal_review_passed"), std::string::npos);
  EXPECT_GE(LedgerSize(), size + 2) << "both refusals are journaled";

  // Separation: a reviewer is qualified, and collective discussion is by heads only.
  EXPECT_EQ(officer
                ->PostJson(steps, {{"step", "legal_review"},
                                   {"documents", {"legal_review_opinion"}},
                                   {"facts", {"legal_review_passed"}}})
                .status,
            403);
  ASSERT_EQ(As("qiaotou.legal")
                ->PostJson(steps, {{"step", "legal_review"},
                                   {"documents", {"legal_review_opinion"}},
                                   {"facts", {"legal_review_passed"}}})
                .status,
            201);
  HttpResponse officers_discuss =
      chief->PostJson(steps, {{"step", "collective_discussion"},
                              {"documents", {"collective_discussion_minutes"}},
                              {"officers", {me, partner}}});
  ASSERT_EQ(officers_discuss.status, 403) << officers_discuss.body;
  EXPECT_NE(officers_discuss.body.find("all_leaders"), std::string::npos) << officers_discuss.body;
  const std::int64_t deputy = OtherLeader(id, head);
  ASSERT_NE(deputy, 0);
  ASSERT_EQ(chief
                ->PostJson(steps, {{"step", "collective_discussion"},
                                   {"documents", {"collective_discussion_minutes"}},
                                   {"officers", {deputy}}})
                .status,
            201);

  // After the window (11-02 + 5 working days = 11-09): the amount rules.
  SetClock("2026-11-10T09:00:00+08:00");
  json heavier = decide;
  heavier["decision"]["amount_fen"] = fine.amount + 100;
  heavier["decision"]["written_reason"] = "情节较重";
  HttpResponse heavy = chief->PostJson(steps, heavier);
  ASSERT_EQ(heavy.status, 422) << heavy.body;
  EXPECT_EQ(heavy.Json()["guard"], "proposal") << "第四十五条: " << heavy.body;
  json beyond = decide;
  beyond["decision"]["amount_fen"] = fine.tier_max * 10;
  beyond["decision"]["written_reason"] = "情节特别严重";
  HttpResponse over = chief->PostJson(steps, beyond);
  ASSERT_EQ(over.status, 422) << over.body;
  EXPECT_EQ(over.Json()["guard"], "statutory_range") << "第三十四条: " << over.body;
  json record;
  ASSERT_TRUE(HasRecord("out_of_range_attempt", id, &record));
  EXPECT_FALSE(record["detail"].value("clause", "").empty()) << "§5: " << record.dump();

  HttpResponse decided = chief->PostJson(steps, decide);
  ASSERT_EQ(decided.status, 201) << decided.body;
  EXPECT_EQ(decided.Json()["decision"]["appeal"]["pending"], true);
  EXPECT_TRUE(decided.Json()["disclosure"]["due_on"].is_string()) << decided.body;

  // Served two days later: the appeal periods and the party's payment period run from service.
  SetClock("2026-11-12T09:00:00+08:00");
  HttpResponse served =
      officer->PostJson(steps, {{"step", "serve"}, {"documents", {"service_receipt"}}});
  ASSERT_EQ(served.status, 201) << served.body;
  EXPECT_EQ(served.Json()["appeal"]["served_on"], "2026-11-12");
  EXPECT_EQ(served.Json()["appeal"]["reconsideration"]["days"], 60);

  // The party does not pay: a surcharge, the path to enforcement — and no record against the
  // handler.
  SetClock("2026-12-07T09:00:00+08:00");  // payment due 11-27: 10 days late
  ASSERT_EQ(As("auditor")->PostJson("/api/v1/cases/sweep", json::object()).status, 200);
  k = Case(id);
  ASSERT_TRUE(k["late_payment"].is_object()) << k.dump().substr(0, 600);
  EXPECT_EQ(k["late_payment"]["days_late"], 10);
  EXPECT_EQ(k["late_payment"]["surcharge_fen"], fine.amount * 30 / 1000 * 10);
  EXPECT_FALSE(HasRecord("overdue", id)) << "late payment is the party's, not the officer's";
  ASSERT_EQ(
      officer->PostJson(steps, {{"step", "urge_payment"}, {"documents", {"payment_reminder"}}})
          .status,
      201);
}

TEST_F(LawfulOutcomes, CoercionIsApprovedBeforehandDecidedOnTheSpotAndHeldToItsPeriod) {
  const std::vector<std::string> items = Items("coercion");
  ASSERT_FALSE(items.empty());
  auto chief = As("qiaotou.chief");
  auto officer = As("qiaotou.officer");
  const std::int64_t me = PersonOf("qiaotou.officer");
  const std::int64_t partner = PersonOf("qiaotou.inspector");
  HttpResponse opened = chief->PostJson(
      "/api/v1/cases", {{"town_code", kQiaotou},
                        {"power_code", items.front()},
                        {"origin", "inspection"},
                        {"party", {{"kind", "organisation"}, {"name", "临江物流有限公司"}}}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  EXPECT_EQ(opened.Json()["procedure"], "coercion");
  const std::int64_t id = opened.Json()["case_id"].get<std::int64_t>();
  const std::string steps = "/api/v1/cases/" + std::to_string(id) + "/steps";
  const json seize{{"step", "seize"},
                   {"documents", {"onsite_record", "seizure_decision", "seizure_list"}},
                   {"officers", {me, partner}},
                   {"decision", {{"content", "扣押涉案货物三十箱（清单附后）"}}}};
  // 第十八条(一): approval beforehand.
  EXPECT_EQ(officer->PostJson(steps, seize).status, 409);
  EXPECT_EQ(
      officer->PostJson(steps, {{"step", "approve"}, {"documents", {"coercion_approval"}}}).status,
      403);
  ASSERT_EQ(
      chief->PostJson(steps, {{"step", "approve"}, {"documents", {"coercion_approval"}}}).status,
      201);
  json alone = seize;
  alone["officers"] = {me};
  EXPECT_EQ(officer->PostJson(steps, alone).status, 403) << "第十八条(二): two officers";
  HttpResponse seized = officer->PostJson(steps, seize);
  ASSERT_EQ(seized.status, 201) << seized.body;
  EXPECT_EQ(seized.Json()["appeal"]["served_on"], "2026-11-02")
      << "第二十四条: handed over on the spot";
  EXPECT_EQ(seized.Json()["deadline"], "2026-12-02") << "第二十五条: 30 days";
  // Testing time is excluded; one extension of at most 30 days with the head's approval.
  SetClock("2026-11-03T09:00:00+08:00");
  ASSERT_EQ(
      officer->PostJson(steps, {{"step", "suspend_testing"}, {"documents", {"testing_notice"}}})
          .status,
      201);
  SetClock("2026-11-13T09:00:00+08:00");
  HttpResponse resumed = officer->PostJson(steps, {{"step", "resume_testing"}});
  ASSERT_EQ(resumed.status, 201) << resumed.body;
  EXPECT_EQ(resumed.Json()["deadline"], "2026-12-14") << resumed.body;  // 12-12 is a Saturday
  const json extend{{"step", "extend_seizure"},
                    {"documents", {"extension_notice"}},
                    {"reason", "涉案货物来源复杂"},
                    {"extension_days", 30}};
  ASSERT_EQ(chief->PostJson(steps, extend).status, 201);
  EXPECT_EQ(chief->PostJson(steps, extend).status, 409) << "only once";
  ASSERT_EQ(chief
                ->PostJson(steps, {{"step", "release"},
                                   {"documents", {"release_decision", "return_record"}},
                                   {"reason", "经检测货物合格"},
                                   {"decision", {{"content", "解除扣押，退还全部货物"}}}})
                .status,
            201);
  ASSERT_EQ(officer->PostJson(steps, {{"step", "close"}, {"documents", {"closing_report"}}}).status,
            201);
  const json k = Case(id);
  EXPECT_EQ(k["state"], "closed");
  EXPECT_EQ(k["decision"]["outcome"], "released");
}

TEST_F(LawfulOutcomes, BackdatedStepsNeedAReasonStayWithinTheLimitAndAreFlagged) {
  const std::vector<std::string> licensing = TwentyDayLicensingItems();
  ASSERT_FALSE(licensing.empty());
  auto clerk = As("qiaotou.clerk");
  const std::int64_t id = OpenLicensingCase(licensing.front(), "2026-10-26", "松岭建材有限公司");
  ASSERT_NE(id, 0);
  const std::string steps = "/api/v1/cases/" + std::to_string(id) + "/steps";
  const json accept{{"step", "accept"}, {"documents", {"acceptance_receipt"}}};
  std::int64_t size = LedgerSize();
  json too_far = accept;
  too_far["on"] = "2026-10-27";  // 4 working days before 11-02
  too_far["backdate_reason"] = "系统故障补录";
  EXPECT_EQ(clerk->PostJson(steps, too_far).status, 409);
  json no_reason = accept;
  no_reason["on"] = "2026-10-29";
  EXPECT_EQ(clerk->PostJson(steps, no_reason).status, 409);
  EXPECT_EQ(LedgerSize(), size + 2);
  json ok = no_reason;
  ok["backdate_reason"] = "窗口断网，纸质受理凭证补录";
  HttpResponse accepted = clerk->PostJson(steps, ok);
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_NE(accepted.Json()["flags"].dump().find("backdated"), std::string::npos) << accepted.body;
  // ... and in evaluation: the clerk's cases show one backdated case.
  HttpResponse eval = As("auditor")->Get(std::string("/api/v1/evaluation?region=") + kQiaotou +
                                         "&by=officer&from=2026-10-01&to=2026-11-30");
  ASSERT_EQ(eval.status, 200) << eval.body;
  std::int64_t backdated = 0;
  const json rows = eval.Json()["items"];
  for (const json& row : rows) {
    if (row["key"] == std::to_string(PersonOf("qiaotou.clerk"))) backdated = row["backdated_cases"];
  }
  EXPECT_EQ(backdated, 1) << eval.body.substr(0, 800);
}

TEST_F(LawfulOutcomes, AnApplicationNotSentBackWithinFiveDaysCountsAsAcceptedFromReceipt) {
  const std::vector<std::string> licensing = TwentyDayLicensingItems();
  ASSERT_FALSE(licensing.empty());
  auto clerk = As("qiaotou.clerk");
  const std::int64_t id =
      OpenLicensingCase(licensing.front(), "2026-10-22", "清河餐饮管理有限公司");
  ASSERT_NE(id, 0);
  const std::string steps = "/api/v1/cases/" + std::to_string(id) + "/steps";
  // Received 10-22; five working days ran out on 10-29: no more correction request.
  HttpResponse late = clerk->PostJson(steps, {{"step", "request_correction"},
                                              {"documents", {"correction_notice"}},
                                              {"reason", "缺少营业执照复印件"}});
  ASSERT_EQ(late.status, 409) << late.body;
  EXPECT_NE(late.body.find("\"deadline\""), std::string::npos) << late.body;
  HttpResponse accepted =
      clerk->PostJson(steps, {{"step", "accept"}, {"documents", {"acceptance_receipt"}}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  // The decision clock runs from receipt (10-22), not from today (11-02).
  EXPECT_EQ(accepted.Json()["deadline"], Deadline("2026-10-22", 20)) << accepted.body;
}

TEST_F(LawfulOutcomes, ACaseOverdueAgainOnALaterClockGetsANewRecord) {
  const std::vector<std::string> licensing = TwentyDayLicensingItems();
  ASSERT_FALSE(licensing.empty());
  auto clerk = As("qiaotou.clerk");
  const std::int64_t id = OpenLicensingCase(licensing.front(), "", "云溪农产品专业合作社");
  ASSERT_NE(id, 0);
  const std::string steps = "/api/v1/cases/" + std::to_string(id) + "/steps";
  ASSERT_EQ(
      clerk->PostJson(steps, {{"step", "accept"}, {"documents", {"acceptance_receipt"}}}).status,
      201);
  auto overdue = [&] {
    std::vector<json> out;
    for (const json& r : Accountability("overdue")) {
      if (r["case_id"] == id) out.push_back(r);
    }
    return out;
  };
  SetClock("2026-12-02T09:00:00+08:00");  // the decision was due 11-30
  ASSERT_EQ(As("auditor")->PostJson("/api/v1/cases/sweep", json::object()).status, 200);
  ASSERT_EQ(overdue().size(), 1u);
  EXPECT_FALSE(overdue()[0]["detail"].value("clause", "").empty()) << overdue()[0].dump();
  // Decided late; the licence is then not delivered within 10 working days (第四十四条).
  ASSERT_EQ(clerk->PostJson(steps, {{"step", "review"}, {"documents", {"review_opinion"}}}).status,
            201);
  ASSERT_EQ(As("qiaotou.approver")
                ->PostJson(steps, {{"step", "grant"},
                                   {"documents", {"license_decision"}},
                                   {"decision", {{"content", "准予许可"}}}})
                .status,
            201);
  SetClock("2026-12-18T09:00:00+08:00");  // delivery was due 12-16
  ASSERT_EQ(As("auditor")->PostJson("/api/v1/cases/sweep", json::object()).status, 200);
  const std::vector<json> records = overdue();
  ASSERT_EQ(records.size(), 2u) << "one flag per case is not enough";
  EXPECT_NE(records[0]["detail"].dump() + records[1]["detail"].dump(), "");
  bool delivery = false;
  for (const json& r : records)
    delivery |= r["detail"]["clocks"].dump().find("delivery") != std::string::npos;
  EXPECT_TRUE(delivery);
}

TEST_F(LawfulOutcomes, OnlyOutcomesTheRulesDiscloseCreateADisclosureDuty) {
  const std::vector<std::string> penalties = Items("penalty");
  ASSERT_FALSE(penalties.empty());
  auto chief = As("qiaotou.chief");
  const std::int64_t me = PersonOf("qiaotou.officer");
  const std::int64_t partner = PersonOf("qiaotou.inspector");
  HttpResponse opened = chief->PostJson(
      "/api/v1/cases", {{"town_code", kQiaotou},
                        {"power_code", penalties.front()},
                        {"origin", "complaint"},
                        {"party", {{"kind", "organisation"}, {"name", "临江物流有限公司"}}}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::int64_t id = opened.Json()["case_id"].get<std::int64_t>();
  const std::string steps = "/api/v1/cases/" + std::to_string(id) + "/steps";
  ASSERT_EQ(
      chief
          ->PostJson(steps, {{"step", "open_case"},
                             {"documents", {"case_filing_form"}},
                             {"violation",
                              {{"committed_on", "2026-10-26"}, {"discovered_on", "2026-10-28"}}}})
          .status,
      201);
  ASSERT_EQ(As("qiaotou.officer")
                ->PostJson(steps, {{"step", "investigate"},
                                   {"documents", {"inquiry_record"}},
                                   {"officers", {me, partner}}})
                .status,
            201);
  ASSERT_EQ(
      chief->PostJson(steps, {{"step", "review"}, {"documents", {"investigation_report"}}}).status,
      201);
  HttpResponse none = chief->PostJson(steps, {{"step", "decide_no_penalty"},
                                              {"documents", {"no_penalty_decision"}},
                                              {"reason", "首次违法且危害后果轻微并及时改正"},
                                              {"decision", {{"content", "不予行政处罚"}}}});
  ASSERT_EQ(none.status, 201) << none.body;
  EXPECT_FALSE(none.Json().contains("disclosure")) << "不予处罚 is not disclosed: " << none.body;
  EXPECT_TRUE(Case(id)["disclosure"].is_null()) << Case(id).dump().substr(0, 400);
}

}  // namespace
}  // namespace quanze::testing
