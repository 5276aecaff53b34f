#include "domain/catalogue_grant_json.h"

#include <gtest/gtest.h>

#include "domain/catalogue_testing.h"

namespace quanze::domain {
namespace {

using nlohmann::json;

TEST(GrantJson, ReadinessRoundTripsAndKeepsTheCanonicalOrder) {
  std::vector<ReadinessItem> items = {
      {ReadinessKey::kNetworkPort, true, "端口已开通", "2026-01-02"},
      {ReadinessKey::kStaffTrained, false, "", ""}};
  json j = ReadinessToJson(items);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["key"], "staff_trained");
  EXPECT_EQ(j[1]["label"], "网络端口接通");
  auto back = ReadinessFromJson(j);
  ASSERT_TRUE(back.ok()) << back.error().Describe();
  EXPECT_EQ(back->size(), 2u);
  EXPECT_EQ(ReadinessFromJson(json::array())->size(), 4u);  // empty = the default checklist
}

TEST(GrantJson, ReadinessChangesStampTheDayAndReopeningClearsIt) {
  auto changes =
      ReadinessChangesFromJson(json{{"items",
                                     {{{"key", "staff_trained"}, {"done", true}},
                                      {{"key", "guidance_contact"}, {"note", "王工"}}}}});
  ASSERT_TRUE(changes.ok()) << changes.error().Describe();
  auto items = ApplyReadinessChanges(DefaultReadinessChecklist(), *changes, "2026-03-02");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_TRUE(items[0].done);
  EXPECT_EQ(items[0].done_at, "2026-03-02");
  EXPECT_FALSE(items[3].done);
  EXPECT_EQ(items[3].note, "王工");
  auto reopen =
      ReadinessChangesFromJson(json::array({{{"key", "staff_trained"}, {"done", false}}}));
  ASSERT_TRUE(reopen.ok());
  items = ApplyReadinessChanges(items, *reopen, "2026-03-03");
  EXPECT_FALSE(items[0].done);
  EXPECT_TRUE(items[0].done_at.empty());
}

TEST(GrantJson, ReadinessChangesRejectUnknownKeysRepeatsAndBadDates) {
  auto r =
      ReadinessChangesFromJson(json::array({{{"key", "coffee"}},
                                            {{"key", "system_access"}, {"done_at", "2026-13-01"}},
                                            {{"key", "system_access"}, {"done", "yes"}}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_EQ(r.error().detail["errors"].size(), 4u) << r.error().detail.dump();
  EXPECT_FALSE(ReadinessChangesFromJson(json::array()).ok());
}

TEST(GrantJson, GrantJsonNamesOpenItemsAndAllowedActions) {
  Grant g = testing::SampleGrant();
  json j = GrantToJson(g);
  EXPECT_EQ(j["state"], "proposed");
  EXPECT_EQ(j["open_items"].size(), 4u);
  EXPECT_EQ(j["allowed_actions"], json::array({"mark_ready", "revoke"}));
  EXPECT_EQ(j["mode_label"], "赋权");
  EXPECT_TRUE(j["next_evaluation"].is_null());
  g.state = GrantState::kRevoked;
  EXPECT_TRUE(GrantToJson(g)["allowed_actions"].empty());
}

TEST(GrantJson, DecisionDocumentRejectsABadDateAndUnknownFields) {
  EXPECT_TRUE(DecisionDocumentFromJson(nullptr).ok());
  auto ok = DecisionDocumentFromJson(DecisionDocumentToJson(testing::SampleDecision()));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, testing::SampleDecision());
  EXPECT_FALSE(DecisionDocumentFromJson(json{{"date", "2026/01/01"}}).ok());
  EXPECT_FALSE(DecisionDocumentFromJson(json{{"signer", "x"}}).ok());
}

TEST(GrantJson, ReformBatchRoundTripsThroughJson) {
  json in = {{"name", "第一批"},
             {"start_date", "2025-01-01"},
             {"criteria",
              {{{"indicator", "pop"}, {"label", "人口"}, {"unit", "人"}, {"threshold", 50000}}}},
             {"milestones", {{{"date", "2026-01-01"}, {"title", "中期评估"}}}},
             {"towns", {{{"town_code", "990121101"}, {"indicators", {{"pop", 60000}}}}}}};
  auto b = ReformBatchFromJson(in);
  ASSERT_TRUE(b.ok()) << b.error().Describe();
  EXPECT_EQ(b->criteria[0].comparison, Comparison::kAtLeast);
  EXPECT_EQ(b->towns[0].score, -1);  // not given: the caller computes it
  json out = ReformBatchToJson(*b);
  EXPECT_EQ(out["criteria"][0]["comparison"], "at_least");
  EXPECT_EQ(out["towns"][0]["indicators"]["pop"], 60000.0);
  auto bad = ReformBatchFromJson(json{{"name", ""}, {"start_date", "soon"}, {"colour", "red"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail["errors"].size(), 3u) << bad.error().detail.dump();
}

TEST(GrantJson, SelectionScoreAveragesHowFarEachThresholdIsMet) {
  std::vector<SelectionCriterion> c = {{"pop", "", "", Comparison::kAtLeast, 50000},
                                       {"debt", "", "", Comparison::kAtMost, 10}};
  EXPECT_DOUBLE_EQ(SelectionScore(c, {{"pop", 100000}, {"debt", 10}}), 150.0);  // (2 + 1) / 2
  EXPECT_DOUBLE_EQ(SelectionScore(c, {{"pop", 50000}}), 50.0);                  // debt missing: 0
  EXPECT_DOUBLE_EQ(SelectionScore({}, {{"pop", 1}}), 0.0);
}

}  // namespace
}  // namespace quanze::domain
