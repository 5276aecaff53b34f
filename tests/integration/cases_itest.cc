// Cases (issue 6) through the real binary: the working-day calendar helper
// against the official deadline vectors; a licensing case from an online
// application to disclosure and a bad rating, with a denied attempt, a
// suspension and an extension; a penalty case with the two-officer rule, a
// missing notice, an out-of-range amount and a decision inside the
// benchmark; and the deadline sweep that opens accountability records.
// The server's clock is a file (QUANZE_CLOCK_FILE) set to fixed instants.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "cases_fixture.h"

namespace quanze::testing {
namespace {

using nlohmann::json;


std::string SourceFile(const std::string& rel) {
  const char* dir = std::getenv("QUANZE_SOURCE_DIR");
  std::string root = dir != nullptr && *dir != '\0'
                         ? dir
                         : std::string(__FILE__).substr(0, std::string(__FILE__).rfind("/tests/"));
  return root + "/" + rel;
}

// A one-pixel PNG.
const char* kPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

class Cases : public CasesTest {};

TEST_F(Cases, DeadlineHelperPassesTheOfficialVectors) {
  std::ifstream in(SourceFile("data/holidays/deadline-vectors.tsv"));
  ASSERT_TRUE(in.good());
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream cols(line);
    std::string start, days, expected;
    std::getline(cols, start, '\t');
    std::getline(cols, days, '\t');
    std::getline(cols, expected, '\t');
    EXPECT_EQ(Deadline(start, std::stoi(days)), expected) << line;
    ++checked;
  }
  EXPECT_GE(checked, 5);
  // Calendar days: a period ending on a holiday moves to the next working day.
  // (2026-10-01 is in the National Day holiday, 10-01..10-07; 10-08 is a working day.)
  EXPECT_EQ(Deadline("2026-09-16", 15, "calendar"), "2026-10-08");
  // A year without a published schedule is flagged, not guessed.
  HttpResponse flagged = As("")->Get("/api/v1/calendar/deadline?start=2026-12-20&days=20&unit=working");
  EXPECT_EQ(flagged.status, 422) << flagged.body;
  EXPECT_NE(flagged.body.find("2027"), std::string::npos) << flagged.body;
  HttpResponse bad = As("")->Get("/api/v1/calendar/deadline?start=2026-13-01&days=2");
  EXPECT_EQ(bad.status, 422) << bad.body;
}

TEST_F(Cases, LicensingFromApplicationToDisclosureRatingAndAccountability) {
  const std::vector<std::string> licensing = TwentyDayLicensingItems();
  ASSERT_FALSE(licensing.empty());
  const std::string item = licensing.front();

  // The public applies online with a material; personal data stays out of answers.
  json application{{"town_code", kQiaotou},
                   {"power_code", item},
                   {"summary", "申请临时占用绿地"},
                   {"applicant", {{"kind", "natural_person"}, {"name", "欧阳明远"},
                                  {"id_number", "990121198805052316"}, {"phone", "13800001111"}}},
                   {"materials", {{{"kind", "application_form"}, {"file_name", "申请表.png"},
                                   {"content_type", "image/png"}, {"data_base64", kPngBase64}}}}};
  HttpResponse applied = As("")->PostJson("/api/v1/public/applications", application);
  ASSERT_EQ(applied.status, 201) << applied.body;
  const json a = applied.Json();
  const std::string code = a["receipt_code"].get<std::string>();
  const std::int64_t case_id = a["case_id"].get<std::int64_t>();
  EXPECT_EQ(a["files"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_TRUE(a.contains("receipt"));
  EXPECT_EQ(applied.body.find("990121198805052316"), std::string::npos);
  // Staff see only the last 4 characters of the applicant's receipt code (issue 14 §4).
  HttpResponse staff_view = As("qiaotou.clerk")->Get("/api/v1/cases/" + std::to_string(case_id));
  ASSERT_EQ(staff_view.status, 200) << staff_view.body;
  EXPECT_EQ(staff_view.body.find(code), std::string::npos);
  const std::string shown = staff_view.Json()["receipt_code"].get<std::string>();
  EXPECT_EQ(shown.substr(shown.size() - 4), code.substr(code.size() - 4));

  // A wrong file type is refused; an item the town does not hold names the competent body.
  json fake = application;
  fake["materials"][0]["data_base64"] = "aGVsbG8gd29ybGQ=";
  EXPECT_EQ(As("")->PostJson("/api/v1/public/applications", fake).status, 415);
  json elsewhere = application;
  elsewhere["power_code"] = "XK-NOT-HELD";
  elsewhere.erase("materials");
  HttpResponse not_held = As("")->PostJson("/api/v1/public/applications", elsewhere);
  EXPECT_EQ(not_held.status, 422) << not_held.body;
  EXPECT_TRUE(not_held.Json().contains("competent_body")) << not_held.body;

  HttpResponse progress = As("")->Get("/api/v1/public/applications/" + code);
  ASSERT_EQ(progress.status, 200) << progress.body;
  EXPECT_EQ(progress.Json()["state"], "applied");
  EXPECT_EQ(progress.body.find("欧阳明远"), std::string::npos);
  EXPECT_EQ(progress.body.find("13800001111"), std::string::npos);

  auto clerk = As("qiaotou.clerk");
  auto approver = As("qiaotou.approver");
  const std::string steps = "/api/v1/cases/" + std::to_string(case_id) + "/steps";

  HttpResponse accepted = clerk->PostJson(steps, {{"step", "accept"}, {"documents", {"acceptance_receipt"}}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  json decision_clock = Clock(accepted.Json(), "decision");
  ASSERT_TRUE(decision_clock.is_object()) << accepted.body;
  EXPECT_EQ(decision_clock["deadline"], Deadline("2026-11-02", 20));
  EXPECT_TRUE(accepted.Json().contains("receipt"));

  // Denied: the clerk may not decide (the head signs). 403, journaled, accountable.
  HttpResponse denied = clerk->PostJson(steps, {{"step", "grant"},
                                                {"documents", {"license_decision"}},
                                                {"decision", {{"content", "准予许可"}}}});
  ASSERT_EQ(denied.status, 403) << denied.body;
  json problem = denied.Json();
  EXPECT_EQ(problem["code"], "authority_denied");
  ASSERT_TRUE(problem.contains("findings")) << denied.body;
  bool leader_finding = false;
  for (const json& f : problem["findings"]) leader_finding |= f["code"] == "leader" && f["ok"] == false;
  EXPECT_TRUE(leader_finding) << denied.body;
  ASSERT_TRUE(problem.contains("receipt")) << denied.body;
  const std::int64_t denial_index = problem["receipt"]["index"].get<std::int64_t>();
  json denials = Accountability("denied_authority");
  bool linked = false;
  for (const json& d : denials) {
    linked |= d["case_id"] == case_id && d["evidence"].size() == 1 && d["evidence"][0] == denial_index;
  }
  EXPECT_TRUE(linked) << denials.dump();
  HttpResponse entry = As("auditor")->Get("/api/v1/ledger/entries/" + std::to_string(denial_index));
  ASSERT_EQ(entry.status, 200) << entry.body;
  EXPECT_NE(entry.body.find("case.step_denied"), std::string::npos);

  // Expert review suspends the clock (第四十五条); the deadline moves by the excluded days.
  SetClock("2026-11-03T09:00:00+08:00");
  ASSERT_EQ(clerk->PostJson(steps, {{"step", "suspend_expert_review"},
                                    {"documents", {"excluded_time_notice"}}}).status, 201);
  SetClock("2026-11-10T09:00:00+08:00");
  HttpResponse resumed = clerk->PostJson(steps, {{"step", "resume"}});
  ASSERT_EQ(resumed.status, 201) << resumed.body;
  decision_clock = Clock(resumed.Json(), "decision");
  const int excluded = decision_clock["excluded_days"].get<int>();
  EXPECT_GT(excluded, 0) << resumed.body;
  EXPECT_EQ(decision_clock["deadline"], Deadline(Deadline("2026-11-02", 20), excluded));
  const std::string before_extension = decision_clock["deadline"].get<std::string>();

  // One extension of 10 working days, approved by the head with a reason.
  HttpResponse no_reason = approver->PostJson(steps, {{"step", "extend"}, {"extension_days", 10},
                                                      {"documents", {"extension_notice"}}});
  EXPECT_EQ(no_reason.status, 409) << no_reason.body;
  HttpResponse extended = approver->PostJson(steps, {{"step", "extend"}, {"extension_days", 10},
                                                     {"reason", "需要现场核查"},
                                                     {"documents", {"extension_notice"}}});
  ASSERT_EQ(extended.status, 201) << extended.body;
  EXPECT_EQ(Clock(extended.Json(), "decision")["deadline"], Deadline(before_extension, 10));
  HttpResponse second = approver->PostJson(steps, {{"step", "extend"}, {"extension_days", 5},
                                                   {"reason", "再次延长"},
                                                   {"documents", {"extension_notice"}}});
  EXPECT_EQ(second.status, 409) << second.body;

  ASSERT_EQ(clerk->PostJson(steps, {{"step", "review"}, {"documents", {"review_opinion"}}}).status, 201);
  HttpResponse granted = approver->PostJson(
      steps, {{"step", "grant"},
              {"documents", {"license_decision"}},
              {"decision", {{"content", "准予欧阳明远（身份证号990121198805052316）临时占用绿地"}}}});
  ASSERT_EQ(granted.status, 201) << granted.body;
  json decision = granted.Json()["decision"];
  EXPECT_FALSE(decision["responsible_name"].get<std::string>().empty());
  EXPECT_FALSE(decision["responsible_post"].get<std::string>().empty());
  // The appeal periods run from service (送达), not from the decision's date.
  EXPECT_EQ(decision["appeal"]["pending"], true) << decision.dump();
  HttpResponse delivered =
      clerk->PostJson(steps, {{"step", "deliver"}, {"documents", {"service_receipt"}}});
  ASSERT_EQ(delivered.status, 201) << delivered.body;
  const json appeal = delivered.Json()["appeal"];
  EXPECT_EQ(appeal["served_on"], "2026-11-10") << appeal.dump();
  // 60 days from 2026-11-10 ends in 2027, whose schedule is not loaded: flagged, not guessed.
  EXPECT_EQ(appeal["reconsideration"]["days"], 60);
  EXPECT_TRUE(appeal["reconsideration"]["deadline"].is_null());
  EXPECT_TRUE(appeal["reconsideration"]["deadline_flag"].is_string()) << appeal.dump();
  EXPECT_TRUE(appeal["litigation"]["deadline_flag"].is_string()) << appeal.dump();

  // Disclosure: published, masked.
  HttpResponse published = clerk->PostJson("/api/v1/cases/" + std::to_string(case_id) + "/disclosure",
                                           {{"action", "publish"}});
  ASSERT_EQ(published.status, 200) << published.body;
  bool listed = false;
  std::string all_disclosures;
  for (std::int64_t cursor = 0;;) {
    HttpResponse page = As("")->Get(std::string("/api/v1/public/towns/") + kQiaotou +
                                    "/disclosures?limit=500&cursor=" + std::to_string(cursor));
    ASSERT_EQ(page.status, 200) << page.body;
    all_disclosures += page.body;
    const json p = page.Json();
    for (const json& d : p["items"]) {
      if (d["case_id"] != case_id) continue;
      listed = true;
      EXPECT_EQ(d["late"], false);
      EXPECT_NE(d["content"].get<std::string>().find("欧阳**"), std::string::npos) << d.dump();
    }
    if (p["next_cursor"].is_null()) break;
    cursor = p["next_cursor"].get<std::int64_t>();
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(all_disclosures.find("欧阳明远"), std::string::npos);
  EXPECT_EQ(all_disclosures.find("990121198805052316"), std::string::npos);

  // A bad rating opens a rectification with callback and fix deadlines.
  HttpResponse rated = As("")->PostJson("/api/v1/public/ratings",
                                        {{"receipt_code", code}, {"level", 1},
                                         {"scores", {{"timeliness", 1}}}, {"comment", "太慢"}});
  ASSERT_EQ(rated.status, 201) << rated.body;
  EXPECT_EQ(rated.Json()["rectification"], "open");
  EXPECT_EQ(rated.Json()["fix_due"], Deadline("2026-11-10", 15));
  EXPECT_EQ(As("")->PostJson("/api/v1/public/ratings", {{"receipt_code", code}, {"level", 5}}).status, 409);

  // Time passes: the bad rating is not rectified → accountability after the sweep.
  SetClock("2026-12-15T09:00:00+08:00");
  HttpResponse swept = As("auditor")->PostJson("/api/v1/cases/sweep", json::object());
  ASSERT_EQ(swept.status, 200) << swept.body;
  bool unresolved = false;
  for (const json& r : Accountability("unresolved_bad_rating")) unresolved |= r["case_id"] == case_id;
  EXPECT_TRUE(unresolved);
}

TEST_F(Cases, OverdueStatutoryStepOpensAccountabilityForTheHandler) {
  const std::vector<std::string> licensing = TwentyDayLicensingItems();
  ASSERT_GE(licensing.size(), 1u);
  auto clerk = As("qiaotou.clerk");
  HttpResponse opened = clerk->PostJson(
      "/api/v1/cases", {{"town_code", kQiaotou}, {"power_code", licensing.back()},
                        {"origin", "window"},
                        {"party", {{"kind", "organisation"}, {"name", "测试建材有限公司"}}}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::int64_t id = opened.Json()["case_id"].get<std::int64_t>();
  ASSERT_EQ(clerk->PostJson("/api/v1/cases/" + std::to_string(id) + "/steps",
                            {{"step", "accept"}, {"documents", {"acceptance_receipt"}}}).status, 201);
  SetClock("2026-11-27T09:00:00+08:00");
  HttpResponse inbox = clerk->Get(std::string("/api/v1/cases?town=") + kQiaotou + "&mine=1&limit=500");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  std::string status;
  const json items = inbox.Json()["items"];
  for (const json& c : items) {
    if (c["id"] == id) status = c["clock_status"].get<std::string>();
  }
  EXPECT_EQ(status, "yellow") << "three working days before 2026-11-30";
  SetClock("2026-12-02T09:00:00+08:00");
  ASSERT_EQ(As("auditor")->PostJson("/api/v1/cases/sweep", json::object()).status, 200);
  json overdue;
  for (const json& r : Accountability("overdue")) {
    if (r["case_id"] == id) overdue = r;
  }
  ASSERT_TRUE(overdue.is_object());
  EXPECT_EQ(overdue["person_id"], PersonOf("qiaotou.clerk"));
  EXPECT_GE(overdue["evidence"].size(), 1u);
  // Sweeping again adds nothing.
  ASSERT_EQ(As("auditor")->PostJson("/api/v1/cases/sweep", json::object()).status, 200);
  int count = 0;
  for (const json& r : Accountability("overdue")) count += r["case_id"] == id ? 1 : 0;
  EXPECT_EQ(count, 1);
  // Reviewed above the town.
  const std::string path = "/api/v1/accountability/" + std::to_string(overdue["id"].get<std::int64_t>());
  // The county supervision body reviews and concludes it; the auditor reads only.
  EXPECT_EQ(As("auditor")->PostJson(path, {{"to", "under_review"}}).status, 403);
  EXPECT_EQ(As("qinghe.supervision")->PostJson(path, {{"to", "concluded"}}).status, 409);
  ASSERT_EQ(As("qinghe.supervision")->PostJson(path, {{"to", "under_review"}}).status, 200);
  HttpResponse concluded =
      As("qinghe.supervision")->PostJson(path, {{"to", "concluded"}, {"conclusion", "约谈提醒"}});
  ASSERT_EQ(concluded.status, 200) << concluded.body;
  EXPECT_EQ(concluded.Json()["state"], "concluded");
  EXPECT_EQ(As("qiaotou.clerk")->PostJson(path, {{"to", "under_review"}}).status, 403);
}

TEST_F(Cases, PenaltyCaseHeldToTwoOfficersNoticeAndTheDiscretionBenchmark) {
  // A penalty item of 桥头镇 with a published discretion benchmark for organisations,
  // and the range of one of its fining tiers for a goods value of 10,000 yuan.
  const std::int64_t base = 1'000'000;
  std::string item, tier;
  std::int64_t min_fen = 0, max_fen = 0;
  for (const std::string& code : Items("penalty")) {
    HttpResponse b = As("")->Get("/api/v1/public/discretion/" + code);
    if (b.status != 200) continue;
    const json bj = b.Json();  // a copy: Json() is a temporary
    if (bj.value("party", "") == "natural_person") continue;
    for (const json& t : bj["tiers"]) {
      if (t["no_penalty"] == true) continue;
      HttpResponse r = As("")->Get("/api/v1/public/discretion/" + code + "?tier=" +
                                   t["code"].get<std::string>() + "&base_fen=" + std::to_string(base));
      if (r.status != 200 || r.Json()["range"]["max_fen"].get<std::int64_t>() == 0) continue;
      item = code;
      tier = t["code"].get<std::string>();
      min_fen = r.Json()["range"]["min_fen"].get<std::int64_t>();
      max_fen = r.Json()["range"]["max_fen"].get<std::int64_t>();
      break;
    }
    if (!item.empty()) break;
  }
  ASSERT_FALSE(item.empty()) << "no penalty item with a benchmark in 桥头镇's catalogue ("
                             << Items("penalty").size() << " penalty items)";

  auto chief = As("qiaotou.chief");
  auto officer = As("qiaotou.officer");
  const std::int64_t me = PersonOf("qiaotou.officer");
  const std::int64_t partner = PersonOf("qiaotou.inspector");
  HttpResponse opened = chief->PostJson(
      "/api/v1/cases", {{"town_code", kQiaotou}, {"power_code", item}, {"origin", "complaint"},
                        {"party", {{"kind", "organisation"}, {"name", "桥东五金加工厂"}}}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::int64_t id = opened.Json()["case_id"].get<std::int64_t>();
  const std::string steps = "/api/v1/cases/" + std::to_string(id) + "/steps";
  ASSERT_EQ(chief->PostJson(steps, {{"step", "open_case"}, {"documents", {"case_filing_form"}},
                                    {"violation", {{"committed_on", "2026-10-12"},
                                                   {"discovered_on", "2026-10-30"}}}}).status, 201);

  // One officer alone may not investigate (第四十二条: at least two).
  HttpResponse alone = officer->PostJson(steps, {{"step", "investigate"}, {"documents", {"inquiry_record"}},
                                                 {"officers", {me}}});
  ASSERT_EQ(alone.status, 403) << alone.body;
  HttpResponse together = officer->PostJson(steps, {{"step", "investigate"},
                                                    {"documents", {"inquiry_record"}},
                                                    {"officers", {me, partner}}});
  ASSERT_EQ(together.status, 201) << together.body;
  // A major case (重大案件): legal review and collective discussion before the decision.
  ASSERT_EQ(chief->PostJson(steps, {{"step", "review"}, {"documents", {"investigation_report"}},
                                    {"facts", {"major_case"}}}).status, 201);

  // No decision without the notice step (第六十二条): refused, and accountable.
  json decide{{"step", "decide"},
              {"documents", {"penalty_decision"}},
              {"decision", {{"content", "罚款"}, {"tier", tier}, {"amount_fen", min_fen}, {"base_fen", base}}}};
  HttpResponse early = chief->PostJson(steps, decide);
  ASSERT_EQ(early.status, 409) << early.body;
  bool missing = false;
  for (const json& r : Accountability("missing_step")) missing |= r["case_id"] == id;
  EXPECT_TRUE(missing);

  ASSERT_EQ(officer->PostJson(steps, {{"step", "notify"}, {"documents", {"penalty_notice"}},
                                      {"proposal", {{"tier", tier}, {"amount_fen", min_fen}, {"base_fen", base}}}})
                .status,
            201);
  // Notified but not yet reviewed: a major case cannot be decided (第五十八条).
  HttpResponse unreviewed = chief->PostJson(steps, decide);
  ASSERT_EQ(unreviewed.status, 409) << unreviewed.body;
  EXPECT_NE(unreviewed.body.find("legal_review"), std::string::npos) << unreviewed.body;
  // Only a qualified reviewer may do the legal review.
  HttpResponse not_qualified = officer->PostJson(
      steps, {{"step", "legal_review"}, {"documents", {"legal_review_opinion"}}, {"facts", {"legal_review_passed"}}});
  ASSERT_EQ(not_qualified.status, 403) << not_qualified.body;
  ASSERT_EQ(As("qiaotou.legal")->PostJson(steps, {{"step", "legal_review"},
                                                   {"documents", {"legal_review_opinion"}},
                                                   {"facts", {"legal_review_passed"}}}).status, 201);
  HttpResponse discussed = chief->PostJson(steps, {{"step", "collective_discussion"},
                                                   {"documents", {"collective_discussion_minutes"}},
                                                   {"officers", {40}}});  // 桥头镇's deputy head
  ASSERT_EQ(discussed.status, 201) << discussed.body;
  // Outside the tier's range without a written reason: 422 (the legal review alone is not enough).
  json too_much = decide;
  too_much["decision"]["amount_fen"] = max_fen + 100;
  HttpResponse refused = chief->PostJson(steps, too_much);
  ASSERT_EQ(refused.status, 422) << refused.body;
  bool ranged = false;
  for (const json& r : Accountability("out_of_range_attempt")) ranged |= r["case_id"] == id;
  EXPECT_TRUE(ranged);

  HttpResponse decided = chief->PostJson(steps, decide);
  ASSERT_EQ(decided.status, 201) << decided.body;
  EXPECT_EQ(decided.Json()["decision"]["tier"], tier);
  EXPECT_EQ(decided.Json()["decision"]["amount_fen"], min_fen);

  HttpResponse kase = chief->Get("/api/v1/cases/" + std::to_string(id));
  ASSERT_EQ(kase.status, 200) << kase.body;
  EXPECT_EQ(kase.Json()["state"], "decided");
  EXPECT_GE(kase.Json()["steps"].size(), 5u);
  const json kj = kase.Json();
  for (const json& s : kj["steps"]) EXPECT_TRUE(s["receipt"].is_object()) << s.dump();

  HttpResponse eval = As("auditor")->Get(std::string("/api/v1/evaluation?region=") + kQiaotou + "&by=officer");
  ASSERT_EQ(eval.status, 200) << eval.body;
  EXPECT_FALSE(eval.Json()["items"].empty());
  EXPECT_FALSE(eval.Json()["discretion_distribution"].empty());
  EXPECT_EQ(As("auditor")->Get(std::string("/api/v1/reports/penalty-outliers?region=") + kQiaotou).status, 200);
}

TEST_F(Cases, DemoHasCasesAcrossProceduresWithOverdueAndBadRatings) {
  auto auditor = As("auditor");
  HttpResponse inbox = auditor->Get(std::string("/api/v1/cases?town=") + kQiaotou + "&state=all&limit=500");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  std::set<std::string> procedures;
  const json items = inbox.Json()["items"];
  for (const json& c : items) procedures.insert(c["procedure"].get<std::string>());
  EXPECT_EQ(procedures.size(), 5u) << inbox.body.substr(0, 500);
  EXPECT_TRUE(procedures.contains("coercion"));
  HttpResponse records = auditor->Get("/api/v1/accountability?region=990000&limit=500");
  ASSERT_EQ(records.status, 200);
  std::set<std::string> triggers;
  const json ritems = records.Json()["items"];
  for (const json& r : ritems) triggers.insert(r["trigger"].get<std::string>());
  EXPECT_TRUE(triggers.count("denied_authority")) << records.body.substr(0, 500);
  EXPECT_TRUE(triggers.count("overdue")) << records.body.substr(0, 500);
}

}  // namespace
}  // namespace quanze::testing
