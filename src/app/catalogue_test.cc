// CatalogueService on a real SQLite database with a manual clock: import,
// grant lifecycle and refusals (with their journal entries), scope, publish
// and version immutability, diff, rendered documents and their cache.
#include "app/catalogue.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <future>

#include "app/app.h"
#include "app/catalogue_cache.h"
#include "domain/catalogue_io.h"
#include "domain/catalogue_testing.h"
#include "store/records.h"

namespace quanze::app {
namespace {

using domain::testing::SamplePower;
using nlohmann::json;

GrantProposal P(std::string town, std::string power) {
  GrantProposal p;
  p.town_code = std::move(town);
  p.power_code = std::move(power);
  return p;
}

class CatalogueServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/quanze-cat-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Config config;
    config.db = dir_ + "/q.db";
    auto clock = std::make_unique<ManualClock>(*ParseRfc3339("2026-03-02T10:00:00+08:00"));
    clock_ = clock.get();
    auto opened = App::Open(config, std::move(clock));
    ASSERT_TRUE(opened.ok()) << opened.error().Describe();
    app_ = std::move(opened).value();
    auto seeded = app_->writer().Run([](Tx& tx) -> Result<json> {
      Actor a = Actor::System();
      for (NewRegion r : std::vector<NewRegion>{
               {"990000", "东海省", "province", std::nullopt},
               {"990100", "临江市", "city", "990000"},
               {"990121", "清河县", "county", "990100"},
               {"990122", "云溪县", "county", "990100"},
               {"990121101", "桥头镇", "town", "990121", true, {{"built_up_population", 128000}}},
               {"990121103", "柳营镇", "town", "990121", false, {{"built_up_population", 38500}}},
               {"990122101",
                "云阳镇",
                "town",
                "990122",
                true,
                {{"built_up_population", 112000}}}}) {
        QZ_TRY(Regions::Create(tx, a, r));
      }
      return json::object();
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().Describe();

    std::vector<domain::Power> powers;
    for (const char* code : {"XK-01-0001", "XK-01-0002", "CF-01-0001"})
      powers.push_back(SamplePower(code));
    powers[1].name = "乡村建设规划许可证核发";
    powers[2].name = "对擅自占用城市绿化用地的处罚";
    powers[2].kind = domain::PowerKind::kPenalty;
    auto parsed = ParseMasterCatalogue(domain::WriteCatalogueCsv(powers), "");
    ASSERT_TRUE(parsed.ok()) << parsed.error().Describe();
    ASSERT_TRUE(Run(cat().ImportMaster(system_, "990000", *parsed)).ok());

    domain::ReformBatch batch;
    batch.province_code = "990000";
    batch.name = "第一批试点";
    batch.start_date = "2025-01-01";
    batch.criteria = {
        {"built_up_population", "建成区常住人口", "人", domain::Comparison::kAtLeast, 80000}};
    batch.towns = {{"990121101", "", {}, -1}, {"990122101", "", {}, -1}};
    auto created = Run(cat().CreateBatch(system_, batch));
    ASSERT_TRUE(created.ok()) << created.error().Describe();
    EXPECT_EQ(created->value["towns"][0]["score"], 160.0);  // 128000 / 80000
  }

  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  CatalogueService& cat() { return app_->catalogue(); }
  Result<Committed> Run(Writer::Work w) { return app_->writer().Run(std::move(w)); }

  // Runs a unit and returns the refusal receipt's entry type ("" if none).
  std::pair<Result<Committed>, std::string> RunWithRefusal(Writer::Work w) {
    std::promise<std::pair<Result<Committed>, std::optional<Receipt>>> p;
    app_->writer().Submit(std::move(w), [&p](Result<Committed> r, std::optional<Receipt> refusal) {
      p.set_value({std::move(r), refusal});
    });
    auto [r, refusal] = p.get_future().get();
    std::string type;
    if (refusal) {
      (void)app_->db().WithReader([&](store::Connection& c) -> Status {
        auto e = store::GetLedgerEntry(c, refusal->index);
        if (e.ok() && *e) type = (*e)->type;
        return Ok();
      });
    }
    return {std::move(r), type};
  }

  std::string LastEntryType() {
    std::string type;
    (void)app_->db().WithReader([&](store::Connection& c) -> Status {
      auto size = store::LedgerSize(c);
      auto e = store::GetLedgerEntry(c, *size - 1);
      if (e.ok() && *e) type = (*e)->type;
      return Ok();
    });
    return type;
  }

  std::int64_t Propose(const std::string& town, const std::string& power) {
    GrantProposal p = P(town, power);
    p.decision_doc = domain::testing::SampleDecision();
    auto r = Run(cat().ProposeGrants(system_, {p}));
    EXPECT_TRUE(r.ok()) << r.error().Describe();
    return r.ok() ? r->value["id"].get<std::int64_t>() : 0;
  }

  Result<Committed> Act(std::int64_t id, domain::GrantAction a, std::string reason = "") {
    return Run(cat().Transition(system_, {id, a, std::move(reason), "", std::nullopt}));
  }

  Status MakeEffective(std::int64_t id) {
    std::vector<domain::ReadinessChange> all;
    for (auto k : domain::kAllReadinessKeys) all.push_back({k, true, std::nullopt, std::nullopt});
    auto r = Run(cat().UpdateReadiness(system_, id, all));
    if (!r.ok()) return r.take_error();
    if (auto s = Act(id, domain::GrantAction::kMarkReady); !s.ok()) return s.take_error();
    if (auto s = Act(id, domain::GrantAction::kMakeEffective); !s.ok()) return s.take_error();
    return Ok();
  }

  std::string dir_;
  ManualClock* clock_ = nullptr;
  std::unique_ptr<App> app_;
  CatalogueCaller system_ = CatalogueCaller::System("test");
};

TEST_F(CatalogueServiceTest, ReimportingTheSameFileChangesNothingAndExportRoundTrips) {
  auto csv = cat().ExportMaster("990000", CatalogueFormat::kCsv);
  ASSERT_TRUE(csv.ok());
  auto parsed = ParseMasterCatalogue(*csv, "csv");
  ASSERT_TRUE(parsed.ok());
  auto r = Run(cat().ImportMaster(system_, "990000", *parsed));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value["unchanged"], 3);
  EXPECT_EQ(r->value["added"], 0);
  EXPECT_EQ(LastEntryType(), "catalogue.imported");
}

TEST_F(CatalogueServiceTest, ImportReportsEveryBadRowAndImportsNothing) {
  std::string csv =
      domain::WriteCatalogueCsv({SamplePower("XK-09-0001"), SamplePower("XK-09-0002")});
  std::size_t pos = csv.find("行政许可");
  csv.replace(pos, std::string("行政许可").size(), "行政审批");
  pos = csv.find("行政许可", pos);
  csv.replace(pos, std::string("行政许可").size(), "未知类型");
  auto parsed = ParseMasterCatalogue(csv, "csv");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kValidation);
  EXPECT_EQ(parsed.error().detail["bad_rows"], 2);
}

TEST_F(CatalogueServiceTest, GrantWalksTheLifecycleAndJournalsEachStep) {
  std::int64_t id = Propose("990121101", "XK-01-0001");
  EXPECT_EQ(LastEntryType(), "grant.proposed");
  auto [early, refusal] = RunWithRefusal(
      cat().Transition(system_, {id, domain::GrantAction::kMarkReady, "", "", std::nullopt}));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);
  EXPECT_EQ(early.error().detail["open_items"].size(), 4u);
  EXPECT_EQ(refusal, "grant.transition_refused");

  ASSERT_TRUE(MakeEffective(id).ok());
  EXPECT_EQ(LastEntryType(), "grant.effective");
  auto g = cat().GetGrant({1, "t", domain::Role::kAdmin, "all", "all"}, id);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)["state"], "effective");
  EXPECT_EQ((*g)["next_evaluation"], "2027-03-02");

  auto no_reason = Act(id, domain::GrantAction::kSuspend);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code, ErrorCode::kValidation);
  ASSERT_TRUE(Act(id, domain::GrantAction::kSuspend, "人员调整").ok());
  EXPECT_EQ(LastEntryType(), "grant.suspended");
  ASSERT_TRUE(Act(id, domain::GrantAction::kResume).ok());
  EXPECT_EQ(LastEntryType(), "grant.resumed");
  ASSERT_TRUE(Act(id, domain::GrantAction::kRevoke, "评估不达标").ok());
  auto illegal = Act(id, domain::GrantAction::kResume);
  ASSERT_FALSE(illegal.ok());
  EXPECT_EQ(illegal.error().code, ErrorCode::kConflict);
  EXPECT_EQ(illegal.error().detail["state"], "revoked");
}

TEST_F(CatalogueServiceTest, ProposalsOutsideABatchOrTheCatalogueAreRefusedAndJournaled) {
  auto [outside, type] =
      RunWithRefusal(cat().ProposeGrants(system_, {P("990121103", "XK-01-0001")}));
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ(type, "grant.proposal_refused");

  auto [missing, type2] =
      RunWithRefusal(cat().ProposeGrants(system_, {P("990121101", "XK-99-9999")}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ(type2, "grant.proposal_refused");

  Propose("990121101", "XK-01-0001");
  auto [twice, type3] =
      RunWithRefusal(cat().ProposeGrants(system_, {P("990121101", "XK-01-0001")}));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
}

TEST_F(CatalogueServiceTest, ACountyCallerCannotActOnAnotherCountysTown) {
  CatalogueCaller county{Actor::System(), "/990000/990100/990121/"};
  auto [r, type] = RunWithRefusal(cat().ProposeGrants(county, {P("990122101", "XK-01-0001")}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(type, "access.denied");
  auto [ok, none] = RunWithRefusal(cat().ProposeGrants(county, {P("990121101", "XK-01-0001")}));
  EXPECT_TRUE(ok.ok());
}

TEST_F(CatalogueServiceTest, PublishedVersionsAreImmutableAndDiffable) {
  std::int64_t a = Propose("990121101", "XK-01-0001");
  std::int64_t b = Propose("990121101", "CF-01-0001");
  ASSERT_TRUE(MakeEffective(a).ok());
  ASSERT_TRUE(MakeEffective(b).ok());
  auto v1 = Run(cat().Publish(system_, "990121101"));
  ASSERT_TRUE(v1.ok()) << v1.error().Describe();
  EXPECT_EQ(v1->value["version"], 1);
  EXPECT_EQ(v1->value["counts_by_kind"]["penalty"], 1);
  EXPECT_EQ(LastEntryType(), "catalogue.published");

  auto again = Run(cat().Publish(system_, "990121101"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().detail["version"], 1);

  auto json1 = cat().TownCatalogue("990121101", std::nullopt, CatalogueFormat::kJson);
  ASSERT_TRUE(json1.ok());
  std::string body1 = (*json1)->body, etag1 = (*json1)->etag;

  clock_->Advance(std::chrono::seconds(86400));
  ASSERT_TRUE(Act(b, domain::GrantAction::kSuspend, "人员调整").ok());
  ASSERT_TRUE(MakeEffective(Propose("990121101", "XK-01-0002")).ok());
  auto v2 = Run(cat().Publish(system_, "990121101"));
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->value["version"], 2);
  EXPECT_NE(v2->value["content_hash"], v1->value["content_hash"]);

  auto old = cat().TownCatalogue("990121101", 1, CatalogueFormat::kJson);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ((*old)->body, body1);
  EXPECT_EQ((*old)->etag, etag1);
  auto latest = cat().TownCatalogue("990121101", std::nullopt, CatalogueFormat::kJson);
  ASSERT_TRUE(latest.ok());
  EXPECT_NE((*latest)->etag, etag1);
  json doc = json::parse((*latest)->body);
  EXPECT_EQ(doc["version"], 2);
  EXPECT_EQ(doc["items"].size(), 2u);

  auto diff = cat().TownCatalogueDiff("990121101", 1, 2);
  ASSERT_TRUE(diff.ok());
  json d = json::parse((*diff)->body);
  ASSERT_EQ(d["added"].size(), 1u);
  EXPECT_EQ(d["added"][0]["code"], "XK-01-0002");
  ASSERT_EQ(d["removed"].size(), 1u);
  EXPECT_EQ(d["removed"][0]["code"], "CF-01-0001");
  EXPECT_EQ(d["summary"]["changed"], 0);
}

TEST_F(CatalogueServiceTest, RendersCsvWithBomAndXlsxAsZip) {
  std::int64_t a = Propose("990121101", "XK-01-0001");
  ASSERT_TRUE(MakeEffective(a).ok());
  ASSERT_TRUE(Run(cat().Publish(system_, "990121101")).ok());
  auto csv = cat().TownCatalogue("990121101", 1, CatalogueFormat::kCsv);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ((*csv)->body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE((*csv)->body.find("实施主体"), std::string::npos);
  EXPECT_NE((*csv)->body.find("桥头镇人民政府"), std::string::npos);
  EXPECT_EQ((*csv)->filename, "990121101-catalogue-v1.csv");
  auto xlsx = cat().TownCatalogue("990121101", 1, CatalogueFormat::kXlsx);
  ASSERT_TRUE(xlsx.ok()) << xlsx.error().Describe();
  EXPECT_EQ((*xlsx)->body.substr(0, 2), "PK");
  EXPECT_NE((*xlsx)->etag, (*csv)->etag);
  auto unknown = cat().TownCatalogue("990121101", 7, CatalogueFormat::kJson);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST(CatalogueCache, EvictsTheLeastRecentlyUsedEntriesPastItsBound) {
  CatalogueCache cache(3000);
  auto doc = [](char c) {
    auto r = std::make_shared<Rendered>();
    r->body = std::string(1000, c);
    return r;
  };
  cache.Put("a", doc('a'));
  cache.Put("b", doc('b'));
  ASSERT_NE(cache.Get("a"), nullptr);  // a is now the most recent
  cache.Put("c", doc('c'));
  EXPECT_EQ(cache.Get("b"), nullptr);
  EXPECT_NE(cache.Get("a"), nullptr);
  EXPECT_NE(cache.Get("c"), nullptr);
  EXPECT_LE(cache.bytes(), 3000u);
}

TEST(CatalogueGzip, ProducesAGzipStream) {
  std::string z = Gzip(std::string(10000, 'x'));
  ASSERT_GE(z.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
  EXPECT_LT(z.size(), 200u);
}

}  // namespace
}  // namespace quanze::app
