// The catalogue vertical through the real binary: the demo's catalogue, a grant's whole
// lifecycle with every refusal (open readiness items named, illegal transition, town
// outside any batch, power outside the master catalogue, out-of-scope county → 403),
// publication and the public catalogue (immutable versions, diff, ETag/304, gzip,
// CSV/JSON/XLSX), imports (GBK, bad rows: all or nothing) through the API and the CLI,
// exports, and the journal entries behind the receipts.
#include <gtest/gtest.h>
#include <iconv.h>

#include <fstream>
#include <set>

#include "demo_fixture.h"
#include "harness.h"

namespace quanze::testing {
namespace {

using nlohmann::json;

DemoTemplate* demo = nullptr;
constexpr const char* kQiaotou = "990121101";  // 桥头镇, the large pilot (清河县)
constexpr const char* kLiuying = "990121103";  // 柳营镇 (清河县), in no batch
constexpr const char* kYunyang = "990122101";  // 云阳镇 (云溪县)

std::string ToGbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) throw HarnessError("iconv_open");
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* o = out.data();
  std::size_t out_left = out.size();
  std::size_t rc = iconv(cd, &in, &in_left, &o, &out_left);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) throw HarnessError("iconv");
  out.resize(out.size() - out_left);
  return out;
}

const char* kSmallCsv =
    "事项编码,事项名称,事项类型,设定依据,原实施部门,法定时限,承诺时限,时限单位,有效期起\r\n"
    "XK-77-0001,临时占用城市绿化用地审批（测试）,行政许可,《城市绿化条例》第十九条,"
    "县住房和城乡建设局,20,3,工作日,2024-01-01\r\n"
    "CF-77-0001,对擅自砍伐城市树木的处罚（测试）,行政处罚,《城市绿化条例》第二十六条,"
    "县住房和城乡建设局,90,30,自然日,2024-01-01\r\n";

std::string SourceFile(const std::string& relative) {
  const char* root = std::getenv("QUANZE_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class Catalogue : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo = new DemoTemplate({"province.staffing", "qinghe.staffing", "yunyang.officer", "auditor"});
  }
  static void TearDownTestSuite() {
    delete demo;
    demo = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(demo != nullptr && demo->error().empty()) << (demo ? demo->error() : "no demo");
    db_ = demo->CopyTo(dir_);
  }
  void Start() {
    server_ = Serve(db_);
    http_ = std::make_unique<HttpClient>(server_->port());
  }
  Headers As(const std::string& user) { return Bearer(demo->token(user)); }

  HttpResponse Transition(std::int64_t id, json body, const std::string& user = "qinghe.staffing") {
    return http_->PostJson("/api/v1/grants/" + std::to_string(id) + "/transitions", body, As(user));
  }
  HttpResponse Readiness(std::int64_t id, json items) {
    return http_->Patch("/api/v1/grants/" + std::to_string(id) + "/readiness",
                        json{{"items", items}}.dump(), As("qinghe.staffing"));
  }
  // The type of the journal entry a receipt names, read as the auditor.
  std::string EntryType(const json& receipt) {
    HttpResponse r = http_->Get("/api/v1/ledger/entries/" + receipt["index"].dump(), As("auditor"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json().value("type", "");
  }
  json Entry(const json& receipt) {
    return http_->Get("/api/v1/ledger/entries/" + receipt["index"].dump(), As("auditor")).Json();
  }
  static void ExpectProblem(const HttpResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Json()["code"], code) << r.body;
  }
  // A licensing power of the master catalogue that `town` holds no open grant for.
  std::string UngrantedLicensingPower(const std::string& town) {
    json powers =
        http_->Get("/api/v1/powers?kind=licensing&limit=500", As("qinghe.staffing")).Json();
    std::set<std::string> held;
    std::string cursor;
    do {
      json page = http_
                      ->Get("/api/v1/grants?town=" + town + "&limit=500" +
                                (cursor.empty() ? "" : "&cursor=" + cursor),
                            As("qinghe.staffing"))
                      .Json();
      for (const auto& g : page["items"]) {
        if (g["state"] != "revoked") held.insert(g["power_code"].get<std::string>());
      }
      cursor = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
    } while (!cursor.empty());
    for (const auto& p : powers["items"]) {
      if (!held.count(p["code"].get<std::string>())) return p["code"].get<std::string>();
    }
    return "";
  }
  CommandResult Quanze(std::vector<std::string> args) {
    args.insert(args.begin(), QuanzeBinary());
    return RunCommand(args);
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> http_;
};

TEST_F(Catalogue, DemoPublishesVersionedCatalogues) {
  Start();
  json towns = http_->Get("/api/v1/public/towns").Json();
  std::map<std::string, json> by_code;
  for (const auto& t : towns["items"]) by_code[t["code"].get<std::string>()] = t;
  ASSERT_EQ(by_code.size(), 12u) << towns.dump();
  const json& qt = by_code[kQiaotou];
  EXPECT_EQ(qt["version"], 3);
  int licensing = qt["counts_by_kind"]["licensing"].get<int>();
  int enforcement = qt["counts_by_kind"]["penalty"].get<int>() +
                    qt["counts_by_kind"]["coercion"].get<int>() +
                    qt["counts_by_kind"]["inspection"].get<int>();
  EXPECT_GE(licensing, 85);
  EXPECT_LE(licensing, 104);
  EXPECT_GE(enforcement, 300);  // issue 4: "several hundred" enforcement items
  EXPECT_LE(enforcement, 400);
  EXPECT_TRUE(by_code[kLiuying]["version"].is_null());
  EXPECT_EQ(by_code["990121102"]["version"], 2);  // 白沙镇, batch 2

  json versions =
      http_->Get(std::string("/api/v1/public/towns/") + kQiaotou + "/catalogue/versions").Json();
  ASSERT_EQ(versions["items"].size(), 3u);
  json states = http_
                    ->Get(std::string("/api/v1/grants?town=") + kQiaotou + "&state=suspended",
                          As("qinghe.staffing"))
                    .Json();
  EXPECT_EQ(states["items"].size(), 1u);
  json revoked =
      http_->Get("/api/v1/grants?state=revoked&limit=500", As("province.staffing")).Json();
  EXPECT_GE(revoked["items"].size(), 9u);
  json batches = http_->Get("/api/v1/batches", As("province.staffing")).Json();
  ASSERT_EQ(batches["items"].size(), 2u);
  EXPECT_EQ(batches["items"][0]["town_count"], 5);
}

TEST_F(Catalogue, GrantLifecycleRefusesEachWayAndJournalsEveryStep) {
  Start();
  std::string code = UngrantedLicensingPower(kQiaotou);
  ASSERT_FALSE(code.empty());
  HttpResponse proposed = http_->PostJson(
      "/api/v1/grants", {{"town_code", kQiaotou}, {"power_code", code}}, As("qinghe.staffing"));
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  json g = proposed.Json();
  std::int64_t id = g["id"].get<std::int64_t>();
  EXPECT_EQ(g["state"], "proposed");
  EXPECT_EQ(EntryType(g["receipt"]), "grant.proposed");

  // Illegal transition: proposed → effective is not in the table.
  HttpResponse illegal = Transition(id, {{"action", "make_effective"}});
  ExpectProblem(illegal, 409, "conflict");
  EXPECT_EQ(illegal.Json()["allowed_actions"], json::array({"mark_ready", "revoke"}));

  // Readiness items open: named in the 409, the refusal journaled.
  HttpResponse open = Transition(id, {{"action", "mark_ready"}});
  ExpectProblem(open, 409, "conflict");
  EXPECT_EQ(open.Json()["open_items"].size(), 4u);
  EXPECT_TRUE(Contains(open.Json()["message_zh"].get<std::string>(), "人员培训到位")) << open.body;
  EXPECT_EQ(EntryType(open.Json()["receipt"]), "grant.transition_refused");

  HttpResponse partly = Readiness(id, {{{"key", "staff_trained"}, {"done", true}},
                                       {{"key", "system_access"}, {"done", true}},
                                       {{"key", "network_port"}, {"done", true}}});
  ASSERT_EQ(partly.status, 200) << partly.body;
  EXPECT_EQ(partly.Json()["open_items"], json::array({"guidance_contact"}));
  EXPECT_EQ(EntryType(partly.Json()["receipt"]), "grant.readiness_updated");
  HttpResponse still = Transition(id, {{"action", "mark_ready"}});
  ExpectProblem(still, 409, "conflict");
  EXPECT_EQ(still.Json()["open_items"], json::array({"guidance_contact"}));
  EXPECT_TRUE(Contains(still.Json()["message_en"].get<std::string>(), "guidance_contact"))
      << still.body;

  HttpResponse contact = Readiness(
      id,
      {{{"key", "guidance_contact"}, {"done", true}, {"note", "县自然资源局 李工 13800000000"}}});
  ASSERT_EQ(contact.status, 200) << contact.body;
  json note_entry = Entry(contact.Json()["receipt"]);
  EXPECT_FALSE(Contains(note_entry.dump(), "13800000000")) << "a phone number reached the log";

  HttpResponse ready = Transition(id, {{"action", "mark_ready"}});
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.Json()["state"], "ready");
  EXPECT_EQ(EntryType(ready.Json()["receipt"]), "grant.ready");

  HttpResponse no_doc = Transition(id, {{"action", "make_effective"}});
  ExpectProblem(no_doc, 409, "conflict");
  EXPECT_EQ(no_doc.Json()["missing"], json::array({"decision_doc"}));
  json doc = {{"issuer", "清河县人民政府"},
              {"number", "清政发〔2026〕3号"},
              {"title", "关于赋权的决定"},
              {"date", "2026-11-01"}};
  HttpResponse effective = Transition(id, {{"action", "make_effective"}, {"decision_doc", doc}});
  ASSERT_EQ(effective.status, 200) << effective.body;
  EXPECT_EQ(effective.Json()["state"], "effective");
  EXPECT_TRUE(effective.Json()["next_evaluation"].is_string());
  EXPECT_EQ(EntryType(effective.Json()["receipt"]), "grant.effective");

  ExpectProblem(Transition(id, {{"action", "suspend"}}), 422, "validation_failed");
  HttpResponse suspended = Transition(id, {{"action", "suspend"}, {"reason", "执法人员调整"}});
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(EntryType(suspended.Json()["receipt"]), "grant.suspended");
  HttpResponse resumed = Transition(id, {{"action", "resume"}});
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(EntryType(resumed.Json()["receipt"]), "grant.resumed");
  HttpResponse revoked = Transition(id, {{"action", "revoke"}, {"reason", "评估不达标"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  json revoke_entry = Entry(revoked.Json()["receipt"]);
  EXPECT_EQ(revoke_entry["type"], "grant.revoked");
  EXPECT_EQ(revoke_entry["entry"]["data"]["reason"], "评估不达标");
  ExpectProblem(Transition(id, {{"action", "resume"}}), 409, "conflict");
  EXPECT_EQ(
      http_->Get("/api/v1/grants/" + std::to_string(id), As("qinghe.staffing")).Json()["state"],
      "revoked");
}

TEST_F(Catalogue, ProposalsAreRefusedOutsideBatchCatalogueAndScope) {
  Start();
  HttpResponse outside =
      http_->PostJson("/api/v1/grants", {{"town_code", kLiuying}, {"power_code", "XK-01-0001"}},
                      As("qinghe.staffing"));
  ExpectProblem(outside, 409, "rule_violation");
  EXPECT_TRUE(outside.Json()["batches_of_town"].empty());
  EXPECT_EQ(EntryType(outside.Json()["receipt"]), "grant.proposal_refused");

  HttpResponse unknown =
      http_->PostJson("/api/v1/grants", {{"town_code", kQiaotou}, {"power_code", "XK-99-9999"}},
                      As("qinghe.staffing"));
  ExpectProblem(unknown, 409, "rule_violation");
  EXPECT_EQ(unknown.Json()["power_code"], "XK-99-9999");

  HttpResponse other_county =
      http_->PostJson("/api/v1/grants", {{"town_code", kYunyang}, {"power_code", "XK-01-0001"}},
                      As("qinghe.staffing"));
  ExpectProblem(other_county, 403, "forbidden");
  EXPECT_EQ(EntryType(other_county.Json()["receipt"]), "access.denied");

  json yunyang =
      http_->Get(std::string("/api/v1/grants?town=") + kYunyang, As("province.staffing")).Json();
  ASSERT_FALSE(yunyang["items"].empty());
  std::string yid = yunyang["items"][0]["id"].dump();
  ExpectProblem(http_->Get("/api/v1/grants/" + yid, As("qinghe.staffing")), 403, "forbidden");
  ExpectProblem(Transition(std::stoll(yid), {{"action", "revoke"}, {"reason", "越权"}}), 403,
                "forbidden");
  ExpectProblem(http_->PostJson("/api/v1/towns/990122101/catalogue/publish", json::object(),
                                As("qinghe.staffing")),
                403, "forbidden");
  // A town officer may read the catalogue but not grant.
  ExpectProblem(
      http_->PostJson("/api/v1/grants", {{"town_code", kYunyang}, {"power_code", "XK-01-0001"}},
                      As("yunyang.officer")),
      403, "forbidden");
  EXPECT_EQ(http_->Get("/api/v1/powers?limit=5", As("yunyang.officer")).status, 200);
}

TEST_F(Catalogue, PublishingMakesANewImmutableVersionServedWithETags) {
  Start();
  std::string base = std::string("/api/v1/public/towns/") + kQiaotou + "/catalogue";
  HttpResponse v3 = http_->Get(base);
  ASSERT_EQ(v3.status, 200) << v3.body;
  json doc3 = v3.Json();
  EXPECT_EQ(doc3["version"], 3);
  std::string etag3 = v3.Header("etag");
  ASSERT_FALSE(etag3.empty());
  EXPECT_FALSE(Contains(v3.body, "\"note\"")) << "readiness notes must not be public";

  // A change: one effective grant suspended; publishing makes version 4.
  json effective = http_
                       ->Get(std::string("/api/v1/grants?town=") + kQiaotou +
                                 "&state=effective&kind=penalty&limit=1",
                             As("qinghe.staffing"))
                       .Json();
  ASSERT_EQ(effective["items"].size(), 1u);
  std::string code = effective["items"][0]["power_code"].get<std::string>();
  ASSERT_EQ(Transition(effective["items"][0]["id"].get<std::int64_t>(),
                       {{"action", "suspend"}, {"reason", "人员调整"}})
                .status,
            200);
  HttpResponse published =
      http_->PostJson(std::string("/api/v1/towns/") + kQiaotou + "/catalogue/publish",
                      json::object(), As("qinghe.staffing"));
  ASSERT_EQ(published.status, 201) << published.body;
  json pub = published.Json();
  EXPECT_EQ(pub["version"], 4);
  json entry = Entry(pub["receipt"]);
  EXPECT_EQ(entry["type"], "catalogue.published");
  EXPECT_EQ(entry["entry"]["data"]["content_hash"], pub["content_hash"]);
  HttpResponse again =
      http_->PostJson(std::string("/api/v1/towns/") + kQiaotou + "/catalogue/publish",
                      json::object(), As("qinghe.staffing"));
  ExpectProblem(again, 409, "conflict");
  EXPECT_EQ(again.Json()["version"], 4);

  HttpResponse old = http_->Get(base + "?version=3");
  EXPECT_EQ(old.body, v3.body);
  EXPECT_EQ(old.Header("etag"), etag3);
  EXPECT_TRUE(Contains(old.Header("cache-control"), "immutable"));
  HttpResponse v4 = http_->Get(base);
  EXPECT_EQ(v4.Json()["version"], 4);
  EXPECT_NE(v4.Header("etag"), etag3);
  EXPECT_EQ(v4.Json()["items"].size() + 1, doc3["items"].size());

  json diff = http_->Get(base + "/diff?from=3&to=4").Json();
  ASSERT_EQ(diff["removed"].size(), 1u) << diff.dump();
  EXPECT_EQ(diff["removed"][0]["code"], code);
  EXPECT_TRUE(diff["added"].empty());
  EXPECT_EQ(diff["summary"]["removed"], 1);

  // Conditional requests and gzip.
  HttpResponse not_modified = http_->Get(base, {{"If-None-Match", v4.Header("etag")}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(http_->Get(base, {{"If-None-Match", etag3}}).status, 200);
  HttpResponse gz = http_->Get(base, {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);
  EXPECT_LT(gz.body.size(), v4.body.size() / 5);
  EXPECT_NE(gz.Header("etag"), v4.Header("etag"));
  EXPECT_EQ(
      http_->Get(base, {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz.Header("etag")}}).status,
      304);

  // CSV and XLSX downloads; unknown versions and formats.
  HttpResponse csv = http_->Get(base + "?format=csv&version=4");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(Contains(csv.Header("content-type"), "text/csv"));
  EXPECT_TRUE(Contains(csv.Header("content-disposition"), "attachment"));
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_TRUE(Contains(csv.body, "事项编码")) << csv.body.substr(0, 200);
  HttpResponse xlsx = http_->Get(base + "?format=xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  ExpectProblem(http_->Get(base + "?version=99"), 404, "not_found");
  ExpectProblem(http_->Get(base + "?format=pdf"), 400, "bad_request");
  ExpectProblem(http_->Get(std::string("/api/v1/public/towns/") + kLiuying + "/catalogue"), 404,
                "not_found");

  json towns = http_->Get("/api/v1/public/towns").Json();
  for (const auto& t : towns["items"]) {
    if (t["code"] == kQiaotou) {
      EXPECT_EQ(t["version"], 4);
    }
  }
}

TEST_F(Catalogue, PublicCatalogueListsSummariesAndServesFullItemsOnRequest) {
  Start();
  std::string base = std::string("/api/v1/public/towns/") + kQiaotou + "/catalogue";
  HttpResponse summary = http_->Get(base);
  ASSERT_EQ(summary.status, 200) << summary.body;
  HttpResponse full = http_->Get(base + "?view=full");
  ASSERT_EQ(full.status, 200) << full.body;
  json s = summary.Json(), f = full.Json();
  EXPECT_EQ(s["view"], "summary");
  EXPECT_EQ(f["view"], "full");
  for (const char* k : {"town_code", "town_name", "county_code", "county_name", "exercising_body",
                        "version", "published_at", "content_hash", "ledger_index", "item_count",
                        "counts_by_kind", "is_demo"}) {
    EXPECT_TRUE(s.contains(k)) << k;
    EXPECT_EQ(s[k], f[k]) << k;  // the hash is that of the full content in both views
  }
  ASSERT_EQ(s["items"].size(), f["items"].size());
  ASSERT_EQ(s["items"].size(), s["item_count"].get<std::size_t>());
  EXPECT_LT(summary.body.size(), full.body.size() / 4);

  // A summary holds exactly the list fields, with the full item's keys and values.
  const std::set<std::string> kSummaryKeys = {"code",
                                              "name",
                                              "kind",
                                              "parent_code",
                                              "originating_department",
                                              "statutory_limit",
                                              "promised_limit",
                                              "has_fee",
                                              "mode",
                                              "grant_id"};
  bool some_fee = false;
  for (std::size_t i = 0; i < s["items"].size(); ++i) {
    const json& a = s["items"][i];
    const json& b = f["items"][i];
    std::set<std::string> keys;
    for (const auto& [k, v] : a.items()) keys.insert(k);
    ASSERT_EQ(keys, kSummaryKeys) << a.dump();
    for (const auto& k : kSummaryKeys) {
      if (k == "has_fee") continue;
      EXPECT_EQ(a[k], b[k]) << k << " of " << a["code"];
    }
    EXPECT_EQ(a["has_fee"], b["fee"]["charged"]) << a["code"];
    some_fee = some_fee || a["has_fee"].get<bool>();
    EXPECT_TRUE(b.contains("legal_basis") && b.contains("materials")) << b["code"];
  }
  EXPECT_TRUE(some_fee) << "the demo town holds charged (levy) items";

  // The view is part of the representation: four different entity tags.
  std::set<std::string> tags = {
      summary.Header("etag"), full.Header("etag"),
      http_->Get(base, {{"Accept-Encoding", "gzip"}}).Header("etag"),
      http_->Get(base + "?view=full", {{"Accept-Encoding", "gzip"}}).Header("etag")};
  EXPECT_EQ(tags.size(), 4u);
  EXPECT_EQ(http_->Get(base + "?view=full", {{"If-None-Match", summary.Header("etag")}}).status,
            200);
  EXPECT_EQ(http_->Get(base + "?view=full", {{"If-None-Match", full.Header("etag")}}).status, 304);
  EXPECT_EQ(http_->Get(base + "?view=summary", {{"If-None-Match", summary.Header("etag")}}).status,
            304);
  HttpResponse pinned = http_->Get(base + "?view=full&version=" + f["version"].dump());
  EXPECT_EQ(pinned.body, full.body);
  EXPECT_TRUE(Contains(pinned.Header("cache-control"), "immutable"));
  EXPECT_TRUE(Contains(full.Header("cache-control"), "no-cache"));
  ExpectProblem(http_->Get(base + "?view=brief"), 400, "bad_request");
  // Downloads stay in full whatever the view.
  HttpResponse csv = http_->Get(base + "?format=csv&view=summary");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(Contains(csv.body, "设定依据"));

  // One item in full, as the full view lists it.
  const json& pick = f["items"][f["items"].size() / 2];
  std::string code = pick["code"].get<std::string>();
  HttpResponse item = http_->Get(base + "/items/" + code);
  ASSERT_EQ(item.status, 200) << item.body;
  json it = item.Json();
  EXPECT_EQ(it["town_code"], kQiaotou);
  EXPECT_EQ(it["catalogue_version"], f["version"]);
  it.erase("town_code");
  it.erase("catalogue_version");
  EXPECT_EQ(it, pick);  // with its own "version" (the power's)
  std::string item_tag = item.Header("etag");
  EXPECT_FALSE(item_tag.empty());
  EXPECT_EQ(tags.count(item_tag), 0u);
  EXPECT_TRUE(Contains(item.Header("cache-control"), "no-cache"));
  EXPECT_EQ(http_->Get(base + "/items/" + code, {{"If-None-Match", item_tag}}).status, 304);
  HttpResponse item_pinned =
      http_->Get(base + "/items/" + code + "?version=" + f["version"].dump());
  EXPECT_EQ(item_pinned.body, item.body);
  EXPECT_TRUE(Contains(item_pinned.Header("cache-control"), "immutable"));
  HttpResponse item_gz = http_->Get(base + "/items/" + code, {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(item_gz.Header("content-encoding"), "gzip");
  EXPECT_NE(item_gz.Header("etag"), item_tag);
  HttpResponse other = http_->Get(base + "/items/" + f["items"][0]["code"].get<std::string>());
  EXPECT_NE(other.Header("etag"), item_tag);

  // Unknown items and versions: 404 problems in both languages.
  HttpResponse missing = http_->Get(base + "/items/XK-99-9999");
  ExpectProblem(missing, 404, "not_found");
  EXPECT_TRUE(Contains(missing.Header("content-type"), "problem+json"));
  EXPECT_FALSE(missing.Json()["message_zh"].get<std::string>().empty());
  EXPECT_FALSE(missing.Json()["message_en"].get<std::string>().empty());
  ExpectProblem(http_->Get(base + "/items/" + code + "?version=99"), 404, "not_found");
  ExpectProblem(
      http_->Get(std::string("/api/v1/public/towns/") + kLiuying + "/catalogue/items/" + code), 404,
      "not_found");
}

TEST_F(Catalogue, ImportsGbkAndRefusesBadRowsWithNothingImported) {
  Start();
  auto count = [&] {
    std::size_t n = 0;
    std::string cursor;
    do {
      json page =
          http_
              ->Get("/api/v1/powers?limit=500" + (cursor.empty() ? "" : "&cursor=" + cursor),
                    As("province.staffing"))
              .Json();
      n += page["items"].size();
      cursor = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
    } while (!cursor.empty());
    return n;
  };
  std::size_t before = count();
  EXPECT_GE(before, 300u);

  HttpResponse bad =
      http_->Post("/api/v1/powers/import", SourceFile("src/domain/testdata/catalogue/bad-rows.csv"),
                  {{"Content-Type", "text/csv"},
                   {"Authorization", "Bearer " + demo->token("province.staffing")}});
  ExpectProblem(bad, 422, "validation_failed");
  std::set<int> rows;
  json problem = bad.Json();
  for (const auto& e : problem["errors"]) rows.insert(e["row"].get<int>());
  EXPECT_EQ(rows, (std::set<int>{3, 4, 6, 7})) << bad.body.substr(0, 600);
  EXPECT_EQ(problem["bad_rows"], 4);
  EXPECT_EQ(count(), before);

  Headers gbk_headers = As("province.staffing");
  gbk_headers.emplace_back("Content-Type", "text/csv");
  HttpResponse gbk = http_->Post("/api/v1/powers/import", ToGbk(kSmallCsv), gbk_headers);
  ASSERT_EQ(gbk.status, 200) << gbk.body;
  EXPECT_EQ(gbk.Json()["added"], 2);
  EXPECT_EQ(EntryType(gbk.Json()["receipt"]), "catalogue.imported");
  EXPECT_EQ(count(), before + 2);
  json item = http_->Get("/api/v1/powers/CF-77-0001", As("qinghe.staffing")).Json();
  EXPECT_EQ(item["name"], "对擅自砍伐城市树木的处罚（测试）");
  EXPECT_EQ(item["kind"], "penalty");

  Headers county = As("qinghe.staffing");
  county.emplace_back("Content-Type", "text/csv");
  ExpectProblem(http_->Post("/api/v1/powers/import", kSmallCsv, county), 403, "forbidden");
  Headers wrong = As("province.staffing");
  wrong.emplace_back("Content-Type", "text/plain");
  ExpectProblem(http_->Post("/api/v1/powers/import", kSmallCsv, wrong), 415,
                "unsupported_media_type");
}

TEST_F(Catalogue, CommandLineImportsAndExports) {
  std::string bad_file = dir_.File("bad.csv");
  std::ofstream(bad_file, std::ios::binary)
      << SourceFile("src/domain/testdata/catalogue/bad-rows.csv");
  CommandResult bad = Quanze({"import", "catalogue", bad_file, "--db", db_});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  for (const char* row : {"第3行", "第4行", "第6行", "第7行"})
    EXPECT_TRUE(Contains(bad.err, row)) << bad.err;
  EXPECT_TRUE(Contains(bad.err, "nothing was imported")) << bad.err;

  std::string gbk_file = dir_.File("gbk.csv");
  std::ofstream(gbk_file, std::ios::binary) << ToGbk(kSmallCsv);
  CommandResult ok = Quanze({"import", "catalogue", gbk_file, "--db", db_, "--province", "990000"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(Contains(ok.out, "added 2")) << ok.out;

  CommandResult csv =
      Quanze({"export", "catalogue", "--town", kQiaotou, "--format", "csv", "--db", db_});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, 3), "\xEF\xBB\xBF");
  CommandResult js = Quanze({"export", "catalogue", "--town", kQiaotou, "--version", "2",
                             "--format", "json", "--db", db_});
  ASSERT_EQ(js.exit_code, 0) << js.err;
  EXPECT_EQ(json::parse(js.out)["version"], 2);
  std::string xlsx_file = dir_.File("q.xlsx");
  CommandResult xlsx = Quanze({"export", "catalogue", "--town", kQiaotou, "--format", "xlsx",
                               "--out", xlsx_file, "--db", db_});
  ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
  std::ifstream in(xlsx_file, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");

  // The master catalogue round-trips: exported, re-imported, nothing changes.
  std::string master = dir_.File("master.csv");
  ASSERT_EQ(Quanze({"export", "catalogue", "--province", "990000", "--format", "csv", "--out",
                    master, "--db", db_})
                .exit_code,
            0);
  CommandResult again = Quanze({"import", "catalogue", master, "--db", db_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(Contains(again.out, "added 0, updated 0")) << again.out;
  EXPECT_EQ(Quanze({"export", "catalogue", "--town", "990121103", "--db", db_}).exit_code, 1);
}

}  // namespace
}  // namespace quanze::testing
