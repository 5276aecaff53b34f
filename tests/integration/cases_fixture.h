// The fixture of the case integration tests (cases_itest.cc,
// lawful_outcomes_itest.cc): a copy of the demo province per test, served by
// the real binary whose clock is a file (QUANZE_CLOCK_FILE) set to fixed
// instants, bearer tokens of the demo accounts, and readers of the public
// catalogue, the accountability records and the log size.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "demo_fixture.h"
#include "harness.h"

namespace quanze::testing {

using nlohmann::json;
inline constexpr const char* kQiaotou = "990121101";

class CasesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_ = new DemoTemplate({"qiaotou.clerk", "qiaotou.approver", "qiaotou.chief",
                              "qiaotou.officer", "qiaotou.inspector", "qiaotou.legal", "qiaotou.leader",
                              "auditor", "qinghe.supervision", "qinghe.legal"});
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(demo_ != nullptr && demo_->error().empty()) << (demo_ ? demo_->error() : "no demo");
    db_ = demo_->CopyTo(dir_);
    SetClock("2026-11-02T10:00:00+08:00");
    server_ = Serve(db_, {"QUANZE_CLOCK_FILE=" + dir_.File("clock")});
  }

  void SetClock(const std::string& rfc3339) {
    std::ofstream(dir_.File("clock")) << rfc3339 << "\n";
  }

  std::unique_ptr<HttpClient> As(const std::string& user) {
    auto c = std::make_unique<HttpClient>(server_->port());
    if (!user.empty()) c->SetDefaultHeader("Authorization", "Bearer " + demo_->token(user));
    return c;
  }

  std::int64_t PersonOf(const std::string& user) {
    HttpResponse r = As(user)->Get("/api/v1/me");
    EXPECT_EQ(r.status, 200) << r.body;
    json j = r.Json();
    EXPECT_TRUE(j["person"].is_object()) << user << ": " << r.body;
    return j["person"].is_object() ? j["person"]["id"].get<std::int64_t>() : 0;
  }

  // Items of 桥头镇's public catalogue of one kind.
  std::vector<std::string> Items(const std::string& kind) {
    HttpResponse r = As("")->Get(std::string("/api/v1/public/towns/") + kQiaotou + "/catalogue");
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
    std::vector<std::string> out;
    const json items = r.Json()["items"];
    for (const json& i : items) {
      if (i["kind"] == kind) out.push_back(i["code"].get<std::string>());
    }
    return out;
  }

  // Licensing items whose statutory limit is the Licensing Law's 20 working days (第四十二条),
  // so that the expected deadlines below follow from the statute alone.
  std::vector<std::string> TwentyDayLicensingItems() {
    std::vector<std::string> out;
    for (const std::string& code : Items("licensing")) {
      HttpResponse r =
          As("")->Get(std::string("/api/v1/public/towns/") + kQiaotou + "/catalogue/items/" + code);
      if (r.status != 200) continue;
      const json item = r.Json();
      const json limit = item.value("statutory_limit", json::object());
      if (limit.value("days", 0) == 20 && limit.value("unit", "") == "working") out.push_back(code);
      if (out.size() >= 2) break;
    }
    return out;
  }

  std::string Deadline(const std::string& start, int days, const std::string& unit = "working") {
    HttpResponse r = As("")->Get("/api/v1/calendar/deadline?start=" + start +
                                 "&days=" + std::to_string(days) + "&unit=" + unit);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json()["deadline"].get<std::string>();
  }

  static json Clock(const json& kase, const std::string& id) {
    for (const json& c : kase["clocks"]) {
      if (c["id"] == id) return c;
    }
    return json();
  }

  json Accountability(const std::string& trigger) {
    HttpResponse r = As("auditor")->Get(std::string("/api/v1/accountability?region=") + kQiaotou +
                                        "&trigger=" + trigger + "&limit=500");
    EXPECT_EQ(r.status, 200) << r.body;
    json found = json::array();
    const json items = r.Json()["items"];
    for (const json& a : items) {
      if (a["trigger"] == trigger) found.push_back(a);
    }
    return found;
  }

  // The log's size (a refusal is journaled: the log grows by one entry).
  std::int64_t LedgerSize() {
    HttpResponse r = As("")->Get("/healthz");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json()["ledger_size"].get<std::int64_t>();
  }

  json Case(std::int64_t id, const std::string& user = "auditor") {
    HttpResponse r = As(user)->Get("/api/v1/cases/" + std::to_string(id));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json() : json();
  }

  static inline DemoTemplate* demo_ = nullptr;
  TempDir dir_;
  std::string db_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace quanze::testing
