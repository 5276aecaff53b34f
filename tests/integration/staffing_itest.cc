// Organisation and staffing (issue 5) through the real binary: the appointment of the head of
// a still-dispatched agency with and without the town's prior consultation, the quota
// baseline, role checks, the violations scan for a town, a county and the province, the
// public organisation page without personal data, and `quanze import staffing` /
// `quanze check staffing` on registers with known violations and on malformed input.
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>
#include <tuple>

#include "demo_fixture.h"
#include "harness.h"

namespace quanze::testing {
namespace {

using nlohmann::json;

DemoTemplate* demo = nullptr;

constexpr const char* kQiaotou = "990121101";   // 桥头镇, 清河县
constexpr const char* kMeilin = "990123104";    // 梅林镇, 松岭县
constexpr const char* kQingshan = "990123103";  // 青山镇, 松岭县

std::string Testdata(const std::string& name) {
  const char* dir = std::getenv("QUANZE_SOURCE_DIR");
  std::string root = dir != nullptr && *dir != '\0'
                         ? dir
                         : std::string(__FILE__).substr(0, std::string(__FILE__).rfind("/tests/"));
  return root + "/tests/integration/testdata/" + name;
}

class Staffing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo = new DemoTemplate({"qinghe.staffing", "province.staffing", "qiaotou.officer", "auditor"});
  }
  static void TearDownTestSuite() {
    delete demo;
    demo = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(demo != nullptr && demo->error().empty()) << (demo ? demo->error() : "no demo");
    db_ = demo->CopyTo(dir_);
  }

  CommandResult Quanze(std::vector<std::string> args) {
    args.insert(args.begin(), QuanzeBinary());
    return RunCommand(args);
  }

  // The agency of `town` named `name` in GET /api/v1/agencies.
  static json Agency(HttpClient& http, const std::string& town, const std::string& name) {
    HttpResponse r = http.Get("/api/v1/agencies?town=" + town);
    EXPECT_EQ(r.status, 200) << r.body;
    const json r_items = r.Json()["items"];  // a copy: Json() is a temporary
    for (const json& a : r_items) {
      if (a["name"] == name) return a;
    }
    ADD_FAILURE() << "no agency " << name << " in " << town << ": " << r.body;
    return json::object();
  }

  static std::set<std::string> Rules(const json& scan) {
    std::set<std::string> out;
    for (const json& v : scan["items"]) out.insert(v["rule"].get<std::string>());
    return out;
  }

  // (rule, agency name, person name, subject) of every item of a scan.
  static std::multiset<std::tuple<std::string, std::string, std::string, std::string>> Findings(
      const json& scan) {
    std::multiset<std::tuple<std::string, std::string, std::string, std::string>> out;
    for (const json& v : scan["items"]) {
      out.emplace(v["rule"].get<std::string>(),
                  v["agency_name"].is_string() ? v["agency_name"].get<std::string>() : "",
                  v["person_name"].is_string() ? v["person_name"].get<std::string>() : "",
                  v["subject"].get<std::string>());
    }
    return out;
  }

  json CheckJson(const std::string& region) {
    CommandResult r = Quanze({"check", "staffing", "--db", db_, "--region", region, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(Staffing, DispatchedHeadIsAppointedOnlyAfterTheTownWasConsulted) {
  auto server = Serve(db_);
  HttpClient http(server->port());
  http.SetDefaultHeader("Authorization", "Bearer " + demo->token("qinghe.staffing"));
  const json market = Agency(http, kQiaotou, "市场监督管理分局");
  ASSERT_EQ(market["kind"], "dispatched");
  ASSERT_EQ(market["localised"], false);
  const std::int64_t agency = market["id"].get<std::int64_t>();

  HttpResponse approval =
      http.PostJson("/api/v1/staffing/grade-approvals", {{"town", kQiaotou},
                                                         {"candidate_name", "欧阳测试"},
                                                         {"grade", "township_deputy"},
                                                         {"doc", "清组干〔2026〕1号"},
                                                         {"approved_on", "2026-01-10"}});
  ASSERT_EQ(approval.status, 201) << approval.body;
  EXPECT_EQ(approval.Json()["level"], "county");  // derived from the county_staffing role
  const json appoint = {{"type", "appoint"},
                        {"person",
                         {{"name", "欧阳测试"},
                          {"id_number", "990121199001013218"},
                          {"agency", agency},
                          {"post", "分局长"},
                          {"title", "局长"},
                          {"grade", "township_deputy"},
                          {"quota_kind", "administrative"},
                          {"is_leader", true}}},
                        {"grade_approval_id", approval.Json()["grade_approval_id"]}};

  // Without the consultation: refused, explained, and the refusal is in the log.
  HttpResponse refused = http.PostJson("/api/v1/staffing/changes", appoint);
  ASSERT_EQ(refused.status, 409) << refused.body;
  json problem = refused.Json();
  EXPECT_EQ(problem["code"], "rule_violation");
  EXPECT_NE(problem["message_zh"].get<std::string>().find("事先听取"), std::string::npos)
      << refused.body;
  ASSERT_EQ(problem["violations"].size(), 1u) << refused.body;
  EXPECT_EQ(problem["violations"][0]["rule"], "consultation_missing");
  EXPECT_FALSE(problem["violations"][0]["evidence_en"].get<std::string>().empty());
  ASSERT_TRUE(problem.contains("receipt")) << refused.body;
  const std::int64_t refusal_index = problem["receipt"]["index"].get<std::int64_t>();
  EXPECT_EQ(refused.body.find("990121199001013218"), std::string::npos);

  HttpClient audit(server->port());
  audit.SetDefaultHeader("Authorization", "Bearer " + demo->token("auditor"));
  HttpResponse entry = audit.Get("/api/v1/ledger/entries/" + std::to_string(refusal_index));
  ASSERT_EQ(entry.status, 200) << entry.body;
  EXPECT_EQ(entry.Json()["type"], "staffing.change_refused");
  EXPECT_EQ(entry.Json()["entry"]["data"]["violations"][0]["rule"], "consultation_missing");
  EXPECT_EQ(entry.body.find("990121199001013218"), std::string::npos) << "ID number in the log";

  // Record the consultation, then the same appointment takes effect.
  HttpResponse consultation =
      http.PostJson("/api/v1/staffing/consultations", {{"agency", agency},
                                                       {"action", "appoint"},
                                                       {"candidate_name", "欧阳测试"},
                                                       {"post", "分局长"},
                                                       {"town_opinion", "同意"},
                                                       {"document", "桥头镇党委意见函〔2026〕2号"},
                                                       {"consulted_on", "2026-01-12"}});
  ASSERT_EQ(consultation.status, 201) << consultation.body;
  EXPECT_TRUE(consultation.Json().contains("receipt"));
  json with = appoint;
  with["consultation_id"] = consultation.Json()["consultation_id"];
  HttpResponse accepted = http.PostJson("/api/v1/staffing/changes", with);
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  json done = accepted.Json();
  EXPECT_EQ(done["state"], "applied");
  EXPECT_TRUE(done["receipt"]["index"].is_number_integer()) << accepted.body;
  EXPECT_TRUE(done["receipt"]["leaf_hash"].is_string()) << accepted.body;

  // The consultation is used up: a second appointment cannot reuse it.
  HttpResponse again = http.PostJson("/api/v1/staffing/changes", with);
  EXPECT_EQ(again.status, 409) << again.body;
  // Real-name staffing: one person, one post.
  HttpResponse twice =
      http.PostJson("/api/v1/staffing/changes", {{"type", "appoint"},
                                                 {"person",
                                                  {{"name", "欧阳测试"},
                                                   {"id_number", "990121199001013218"},
                                                   {"agency", agency},
                                                   {"post", "执法岗"},
                                                   {"title", "科员"},
                                                   {"grade", "clerk_2"},
                                                   {"quota_kind", "administrative"}}}});
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.Json()["code"], "conflict") << twice.body;
  EXPECT_EQ(twice.body.find("990121199001013218"), std::string::npos);

  HttpResponse detail = http.Get("/api/v1/agencies/" + std::to_string(agency));
  ASSERT_EQ(detail.status, 200) << detail.body;
  bool found = false;
  const json detail_people = detail.Json()["people"];  // a copy: Json() is a temporary
  for (const json& p : detail_people) {
    if (p["name"] != "欧阳测试") continue;
    found = true;
    EXPECT_EQ(p["id_number_masked"], "990121********3218");
    EXPECT_TRUE(p["is_leader"].get<bool>());
  }
  EXPECT_TRUE(found) << detail.body;
  EXPECT_EQ(detail.body.find("990121199001013218"), std::string::npos)
      << "ID number shown in clear";
}

TEST_F(Staffing, QuotaIncreaseAboveTheBaselineIsRefusedAndJournaled) {
  auto server = Serve(db_);
  HttpClient http(server->port());
  http.SetDefaultHeader("Authorization", "Bearer " + demo->token("qinghe.staffing"));
  const json approvals = Agency(http, kQiaotou, "行政审批局");
  int approved = 0;
  for (const json& q : approvals["quotas"]) {
    if (q["kind"] == "administrative") approved = q["approved"].get<int>();
  }
  ASSERT_GT(approved, 0);
  HttpResponse r = http.PostJson("/api/v1/staffing/changes",
                                 {{"type", "adjust_quota"},
                                  {"quotas", json::array({json{{"agency", approvals["id"]},
                                                               {"kind", "administrative"},
                                                               {"count", approved + 1}}})},
                                  {"approval", {{"doc", "清编〔2026〕3号"}}}});
  ASSERT_EQ(r.status, 409) << r.body;
  std::set<std::string> rules;
  const json r_violations = r.Json()["violations"];  // a copy: Json() is a temporary
  for (const json& v : r_violations) rules.insert(v["rule"].get<std::string>());
  EXPECT_TRUE(rules.count("quota_total_increase")) << r.body;
  EXPECT_TRUE(r.Json().contains("receipt")) << r.body;
  // Nothing changed.
  const json after = Agency(http, kQiaotou, "行政审批局");
  EXPECT_EQ(after["quotas"], approvals["quotas"]);

  // The baseline itself may only be lowered.
  HttpResponse raise =
      http.PostJson("/api/v1/staffing/changes", {{"type", "fix_baseline"},
                                                 {"region", kQiaotou},
                                                 {"totals", {{"administrative", 9999}}},
                                                 {"document", "x"}});
  ASSERT_EQ(raise.status, 409) << raise.body;
  EXPECT_EQ(raise.Json()["violations"][0]["rule"], "quota_total_increase");
  HttpResponse lower =
      http.PostJson("/api/v1/staffing/changes", {{"type", "fix_baseline"},
                                                 {"region", "990121"},
                                                 {"totals", {{"institutional", 0}}},
                                                 {"document", "清编〔2026〕5号"}});
  EXPECT_EQ(lower.status, 201) << lower.body;
  EXPECT_EQ(lower.Json()["state"], "lowered");

  // A dispatched agency is assessed mainly by the town (weight above 50 %).
  const json market = Agency(http, kQiaotou, "市场监督管理分局");
  HttpResponse half = http.PostJson("/api/v1/staffing/changes", {{"type", "set_assessment_weight"},
                                                                 {"agency", market["id"]},
                                                                 {"town_assessment_weight", 0.5}});
  ASSERT_EQ(half.status, 409) << half.body;
  EXPECT_EQ(half.Json()["violations"][0]["rule"], "dispatched_assessment");
  HttpResponse most = http.PostJson("/api/v1/staffing/changes", {{"type", "set_assessment_weight"},
                                                                 {"agency", market["id"]},
                                                                 {"town_assessment_weight", 0.7}});
  EXPECT_EQ(most.status, 201) << most.body;
}

TEST_F(Staffing, CountyOfficerCannotChangeATownOfAnotherCounty) {
  auto server = Serve(db_);
  HttpClient http(server->port());
  http.SetDefaultHeader("Authorization", "Bearer " + demo->token("qinghe.staffing"));
  HttpResponse r =
      http.PostJson("/api/v1/staffing/changes", {{"type", "establish_agency"},
                                                 {"town", "990122101"},
                                                 {"agency",
                                                  {{"name", "新设机构"},
                                                   {"kind", "integrated"},
                                                   {"approval", {{"doc", "清编〔2026〕9号"}}}}}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(r.Json().contains("receipt")) << "the denial is journaled: " << r.body;
  EXPECT_EQ(http.Get("/api/v1/agencies?town=990122101").status, 403);
}

TEST_F(Staffing, TownOfficerCannotChangeStaffing) {
  auto server = Serve(db_);
  HttpClient http(server->port());
  http.SetDefaultHeader("Authorization", "Bearer " + demo->token("qiaotou.officer"));
  HttpResponse r = http.PostJson("/api/v1/staffing/changes",
                                 {{"type", "set_title"}, {"person", 1}, {"title", "科员"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.Json()["code"], "forbidden");
  EXPECT_TRUE(r.Json().contains("receipt")) << "the denial is journaled: " << r.body;
}

TEST_F(Staffing, ViolationsListThePlantedOnesForATownACountyAndTheProvince) {
  auto server = Serve(db_);
  HttpClient http(server->port());
  http.SetDefaultHeader("Authorization", "Bearer " + demo->token("province.staffing"));
  HttpResponse town = http.Get("/api/v1/staffing/violations?region=990121102");
  ASSERT_EQ(town.status, 200) << town.body;
  EXPECT_EQ(Rules(town.Json()), std::set<std::string>({"over_quota_leaders"})) << town.body;
  const json town_items = town.Json()["items"];  // a copy: Json() is a temporary
  for (const json& v : town_items) {
    EXPECT_FALSE(v["evidence_zh"].get<std::string>().empty());
    EXPECT_FALSE(v["evidence_en"].get<std::string>().empty());
    EXPECT_EQ(v["agency_name"], "综合行政执法局");
  }
  HttpResponse county = http.Get("/api/v1/staffing/violations?region=990121");
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(Rules(county.Json()),
            std::set<std::string>(
                {"over_quota_leaders", "promotion_above_agency_rank", "agency_beyond_authority"}))
      << county.body;
  HttpResponse province = http.Get("/api/v1/staffing/violations?region=990000");
  ASSERT_EQ(province.status, 200) << province.body;
  EXPECT_EQ(Rules(province.Json()),
            std::set<std::string>({"over_quota_leaders", "promotion_above_agency_rank",
                                   "agency_beyond_authority", "unauthorised_grade_raise",
                                   "unauthorised_title", "over_quota", "wrong_quota_kind",
                                   "total_above_baseline", "dispatched_assessment"}))
      << province.body;
  EXPECT_EQ(province.Json()["towns_scanned"], 12);

  // A county officer may not scan the province.
  HttpClient county_http(server->port());
  county_http.SetDefaultHeader("Authorization", "Bearer " + demo->token("qinghe.staffing"));
  EXPECT_EQ(county_http.Get("/api/v1/staffing/violations?region=990000").status, 403);
}

TEST_F(Staffing, PublicOrganisationShowsAgenciesAndHeadcountButNoPersonalData) {
  auto server = Serve(db_);
  HttpClient anonymous(server->port());
  HttpResponse r = anonymous.Get(std::string("/api/v1/public/towns/") + kQiaotou + "/organisation");
  ASSERT_EQ(r.status, 200) << r.body;
  const json page = r.Json();
  ASSERT_GE(page["agencies"].size(), 8u);
  bool zone_plate = false;
  for (const json& a : page["agencies"]) {
    EXPECT_TRUE(a["headcount"]["approved"].is_number_integer());
    EXPECT_TRUE(a["headcount"]["actual"].is_number_integer());
    for (const json& p : a["nameplates"])
      zone_plate = zone_plate || p == "桥头经济开发区管理委员会";
    EXPECT_FALSE(a.contains("people"));
  }
  EXPECT_TRUE(zone_plate) << "一套班子、两块牌子: the zone is a nameplate of one agency";
  EXPECT_EQ(r.body.find("id_number"), std::string::npos);
  EXPECT_FALSE(std::regex_search(r.body, std::regex(R"(\d{17}[\dX])")))
      << "an ID number in the public page";
  std::set<std::string> values;  // every string value of the page
  std::function<void(const json&)> collect = [&](const json& j) {
    if (j.is_string()) values.insert(j.get<std::string>());
    if (j.is_structured()) {
      for (const json& e : j) collect(e);
    }
  };
  collect(page);

  // None of the names the staff API shows appears on the public page.
  HttpClient staff(server->port());
  staff.SetDefaultHeader("Authorization", "Bearer " + demo->token("qinghe.staffing"));
  int names = 0;
  for (const json& a : page["agencies"]) {
    HttpResponse d = staff.Get("/api/v1/agencies/" + std::to_string(a["id"].get<std::int64_t>()));
    ASSERT_EQ(d.status, 200) << d.body;
    const json d_people = d.Json()["people"];  // a copy: Json() is a temporary
    for (const json& p : d_people) {
      ++names;
      const std::string name = p["name"].get<std::string>();
      EXPECT_EQ(values.count(name), 0u) << name;
      if (name.size() >= 9) {  // 3+ characters: a substring would not be a coincidence
        EXPECT_EQ(r.body.find(name), std::string::npos) << name;
      }
    }
  }
  EXPECT_GT(names, 50);
}

const std::multiset<std::tuple<std::string, std::string, std::string, std::string>>
    kLegacyFindings = {
        {"over_quota_leaders", "党政办公室", "", "township_deputy"},
        {"promotion_above_agency_rank", "自然资源所", "沈逸凡", ""},
        {"agency_beyond_authority", "经济服务中心", "", "approval:town:"},
        {"unauthorised_grade_raise", "经济服务中心", "冯立新", ""},
        {"unauthorised_title", "党政办公室", "郑晓雯", "秘书长"},
        {"over_quota", "文化站", "", "institutional"},
        {"wrong_quota_kind", "党政办公室", "蒋一鸣", "integrated/institutional"},
        {"total_above_baseline", "", "", "administrative"},
        {"dispatched_assessment", "自然资源所", "", ""},
};

// The approval subject names the document; compare without it.
std::multiset<std::tuple<std::string, std::string, std::string, std::string>> Normalised(
    std::multiset<std::tuple<std::string, std::string, std::string, std::string>> in) {
  std::multiset<std::tuple<std::string, std::string, std::string, std::string>> out;
  for (auto [rule, agency, person, subject] : in) {
    if (subject.rfind("approval:", 0) == 0) subject = subject.substr(0, subject.find(':', 9) + 1);
    out.emplace(rule, agency, person, subject);
  }
  return out;
}

TEST_F(Staffing, ImportedRegisterWithKnownViolationsIsReportedExactly) {
  CommandResult refused =
      Quanze({"import", "staffing", Testdata("staffing-legacy.json"), "--db", db_});
  EXPECT_EQ(refused.exit_code, 2) << "a town with a register needs --replace: " << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--replace")) << refused.err;

  CommandResult json_import =
      Quanze({"import", "staffing", Testdata("staffing-legacy.json"), "--replace", "--db", db_});
  ASSERT_EQ(json_import.exit_code, 0) << json_import.err;
  EXPECT_TRUE(Contains(json_import.out, "9 persons")) << json_import.out;
  EXPECT_EQ(Normalised(Findings(CheckJson(kMeilin))), kLegacyFindings);

  CommandResult csv_import =
      Quanze({"import", "staffing", Testdata("staffing-legacy.csv"), "--replace", "--db", db_});
  ASSERT_EQ(csv_import.exit_code, 0) << csv_import.err;
  EXPECT_EQ(Normalised(Findings(CheckJson(kQingshan))), kLegacyFindings);

  // The text report names the rule, agency, person and evidence; exit 0 with findings.
  CommandResult text = Quanze({"check", "staffing", "--db", db_, "--region", kMeilin});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(Contains(text.out, "unauthorised_title")) << text.out;
  EXPECT_TRUE(Contains(text.out, "郑晓雯")) << text.out;
  EXPECT_TRUE(Contains(text.out, "共 9 项违规")) << text.out;
  EXPECT_FALSE(Contains(text.out, "99012319900101002X")) << "an ID number in the report";
  EXPECT_EQ(Quanze({"check", "staffing", "--db", db_, "--region", kMeilin, "--strict"}).exit_code,
            3);
}

TEST_F(Staffing, MalformedImportExitsTwoListsEveryBadRowAndImportsNothing) {
  const json before = CheckJson(kMeilin);
  CommandResult r =
      Quanze({"import", "staffing", Testdata("staffing-malformed.csv"), "--replace", "--db", db_});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  for (const char* line : {"line 2", "line 3", "line 4", "line 5", "line 6", "line 7"}) {
    EXPECT_TRUE(Contains(r.err, line)) << line << " not reported:\n" << r.err;
  }
  EXPECT_TRUE(Contains(r.err, "id_number")) << r.err;
  EXPECT_TRUE(Contains(r.err, "certificate.valid_from")) << r.err;
  EXPECT_FALSE(Contains(r.err, "12345,")) << r.err;
  EXPECT_EQ(CheckJson(kMeilin), before) << "a malformed import changed the database";
}

// What Excel saves as "CSV" on Chinese Windows: the same registers in GB18030.
TEST_F(Staffing, Gb18030RegisterImportsLikeItsUtf8Original) {
  CommandResult r = Quanze(
      {"import", "staffing", Testdata("staffing-legacy-gb18030.csv"), "--replace", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Normalised(Findings(CheckJson(kQingshan))), kLegacyFindings);
  CommandResult text = Quanze({"check", "staffing", "--db", db_, "--region", kQingshan});
  EXPECT_TRUE(Contains(text.out, "郑晓雯")) << "names decoded from GB18030:\n" << text.out;
}

TEST_F(Staffing, Gb18030MalformedImportReportsInUtf8NamingFileLineAndColumn) {
  const json before = CheckJson(kMeilin);
  const std::string file = Testdata("staffing-malformed-gb18030.csv");
  CommandResult r = Quanze({"import", "staffing", file, "--replace", "--db", db_});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NO_THROW(static_cast<void>(json(r.err).dump())) << "stderr is not valid UTF-8";
  EXPECT_TRUE(Contains(r.err, "staffing-malformed-gb18030.csv")) << r.err;
  EXPECT_TRUE(Contains(r.err, "line 5, column Q")) << r.err;  // grade 处长
  EXPECT_TRUE(Contains(r.err, "处长")) << r.err;
  EXPECT_TRUE(Contains(r.err, "委员会")) << r.err;
  EXPECT_FALSE(Contains(r.err, "12345,")) << r.err;
  EXPECT_FALSE(Contains(r.err, "internal")) << r.err;
  EXPECT_EQ(CheckJson(kMeilin), before) << "a malformed import changed the database";
}

}  // namespace
}  // namespace quanze::testing
