// Regions' cached lists on a real SQLite database: the cache follows the
// generation stored in the database, so a region committed by another process
// (several `quanze serve` on one PostgreSQL) shows in this process's lists.
#include "app/regions.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "app/app.h"
#include "domain/access.h"
#include "store/records.h"

namespace quanze::app {
namespace {

using nlohmann::json;

class RegionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/quanze-regions-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Config config;
    config.db = dir_ + "/q.db";
    auto opened = App::Open(
        config, std::make_unique<ManualClock>(*ParseRfc3339("2026-03-02T10:00:00+08:00")));
    ASSERT_TRUE(opened.ok()) << opened.error().Describe();
    app_ = std::move(opened).value();
    admin_.role = domain::Role::kAdmin;
    admin_.scope = "all";
    admin_.scope_path = "all";
    ASSERT_TRUE(Create({"990000", "东海省", "province", std::nullopt}).ok());
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<Committed> Create(NewRegion region) {
    return app_->writer().Run(
        [region](Tx& tx) -> Result<json> { return Regions::Create(tx, Actor::System(), region); });
  }

  std::string Generation() {
    std::string value;
    (void)app_->db().WithReader([&](store::Connection& c) -> Status {
      QZ_ASSIGN_OR_RETURN(auto v, store::GetSetting(c, "regions.generation"));
      value = v.value_or("");
      return Ok();
    });
    return value;
  }

  std::size_t Listed() {
    auto text = app_->regions().ListText(admin_, std::nullopt, "", 100);
    EXPECT_TRUE(text.ok()) << text.error().Describe();
    auto list = app_->regions().List(admin_, std::nullopt, "", 100);
    EXPECT_TRUE(list.ok()) << list.error().Describe();
    EXPECT_EQ(json::parse(*text)["items"].size(), (*list)["items"].size());
    return (*list)["items"].size();
  }

  std::string dir_;
  std::unique_ptr<App> app_;
  AuthUser admin_;
};

TEST_F(RegionsTest, CreateBumpsTheStoredGeneration) {
  EXPECT_EQ(Generation(), "1");
  ASSERT_TRUE(Create({"990100", "临江市", "city", "990000"}).ok());
  EXPECT_EQ(Generation(), "2");
  // A refused Create rolls back with its transaction.
  EXPECT_FALSE(Create({"990100", "临江市", "city", "990000"}).ok());
  EXPECT_EQ(Generation(), "2");
}

// Regression: the cache was invalidated by an in-process counter, so a region
// committed by another process never showed in this one's cached list.
TEST_F(RegionsTest, AListCachedBeforeAnotherProcessAddsARegionShowsIt) {
  EXPECT_EQ(Listed(), 1u);
  EXPECT_EQ(Listed(), 1u);  // now cached
  // What another process's Regions::Create commits: the row and the generation.
  auto other = app_->writer().Run([](Tx& tx) -> Result<json> {
    store::RegionRecord r;
    r.code = "990100";
    r.name = "临江市";
    r.level = "city";
    r.parent_code = "990000";
    r.path = domain::ChildPath(domain::ChildPath("", "990000"), "990100");
    r.indicators = "{}";
    QZ_TRY(store::InsertRegion(tx.conn(), r, tx.now_seconds()));
    QZ_TRY(store::IncrementSetting(tx.conn(), "regions.generation"));
    return json::object();
  });
  ASSERT_TRUE(other.ok()) << other.error().Describe();
  EXPECT_EQ(Listed(), 2u);
}

}  // namespace
}  // namespace quanze::app
