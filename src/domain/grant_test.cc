#include "domain/grant.h"

#include <gtest/gtest.h>

#include "domain/catalogue_testing.h"

namespace quanze::domain {
namespace {

using testing::CompleteReadiness;
using testing::SampleDecision;
using testing::SampleGrant;
using testing::SamplePower;

Grant InState(GrantState state) {
  Grant g = SampleGrant();
  CompleteReadiness(g);
  g.decision_doc = SampleDecision();
  g.state = state;
  return g;
}

const TransitionFacts kOnDate{"2024-03-01", ""};
const TransitionFacts kWithReason{"2024-06-01", "承接人员调离，暂不具备执法条件"};

TEST(Grant, NewGrantIsProposedWithFourOpenReadinessItems) {
  Grant g = SampleGrant();
  EXPECT_EQ(g.state, GrantState::kProposed);
  EXPECT_EQ(OpenReadinessItems(g.readiness).size(), 4u);
  EXPECT_TRUE(ValidateGrant(g).ok());
}

TEST(Grant, ProposedBecomesReadyWhenTheChecklistIsComplete) {
  auto r = ApplyGrantTransition(InState(GrantState::kProposed), GrantAction::kMarkReady, kOnDate);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(*r, GrantState::kReady);
}

TEST(Grant, CannotBeMarkedReadyWithOpenReadinessItems) {
  Grant g = SampleGrant();
  g.readiness[0].done = true;  // staff trained
  g.readiness[2].done = true;  // network port
  auto r = ApplyGrantTransition(g, GrantAction::kMarkReady, kOnDate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().detail["open_items"],
            nlohmann::json::array({"system_access", "guidance_contact"}));
  EXPECT_NE(r.error().message_zh.find("业务系统权限开通"), std::string::npos);
  EXPECT_NE(r.error().message_en.find("system_access, guidance_contact"), std::string::npos);
}

TEST(Grant, ReadyBecomesEffectiveWithChecklistAndDecisionDocument) {
  auto r = ApplyGrantTransition(InState(GrantState::kReady), GrantAction::kMakeEffective, kOnDate);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(*r, GrantState::kEffective);
}

TEST(Grant, CannotBecomeEffectiveWithOpenReadinessItems) {
  Grant g = InState(GrantState::kReady);
  g.readiness[3].done = false;  // the checklist was reopened after marking ready
  auto r = ApplyGrantTransition(g, GrantAction::kMakeEffective, kOnDate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().detail["open_items"], nlohmann::json::array({"guidance_contact"}));
  EXPECT_NE(r.error().message_zh.find("部门业务指导联系人明确"), std::string::npos);
}

TEST(Grant, AMissingReadinessItemCountsAsOpen) {
  Grant g = InState(GrantState::kReady);
  g.readiness.pop_back();
  auto r = ApplyGrantTransition(g, GrantAction::kMakeEffective, kOnDate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().detail["open_items"], nlohmann::json::array({"guidance_contact"}));
}

TEST(Grant, CannotBecomeEffectiveWithoutADecisionDocument) {
  Grant g = InState(GrantState::kReady);
  g.decision_doc.number.clear();
  auto r = ApplyGrantTransition(g, GrantAction::kMakeEffective, kOnDate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().detail["missing"], nlohmann::json::array({"decision_doc"}));
  EXPECT_TRUE(r.error().detail["open_items"].empty());
}

TEST(Grant, RefusalNamesOpenItemsAndMissingDocumentTogether) {
  Grant g = SampleGrant();
  g.state = GrantState::kReady;
  auto r = ApplyGrantTransition(g, GrantAction::kMakeEffective, kOnDate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().detail["open_items"].size(), 4u);
  EXPECT_EQ(r.error().detail["missing"], nlohmann::json::array({"decision_doc"}));
}

TEST(Grant, CannotBecomeEffectiveStraightFromProposed) {
  auto r =
      ApplyGrantTransition(InState(GrantState::kProposed), GrantAction::kMakeEffective, kOnDate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().detail["state"], "proposed");
  EXPECT_EQ(r.error().detail["allowed_actions"], nlohmann::json::array({"mark_ready", "revoke"}));
}

TEST(Grant, CannotBecomeEffectiveOutsideItsValidity) {
  auto r = ApplyGrantTransition(InState(GrantState::kReady), GrantAction::kMakeEffective,
                                {"2024-02-29", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRuleViolation);
  r = ApplyGrantTransition(InState(GrantState::kReady), GrantAction::kMakeEffective,
                           {"2027-03-01", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRuleViolation);
}

TEST(Grant, EffectiveDateMustBeADate) {
  auto r =
      ApplyGrantTransition(InState(GrantState::kReady), GrantAction::kMakeEffective, {"soon", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
}

TEST(Grant, EffectiveIsSuspendedWithAReason) {
  auto r =
      ApplyGrantTransition(InState(GrantState::kEffective), GrantAction::kSuspend, kWithReason);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, GrantState::kSuspended);
}

TEST(Grant, SuspendingWithoutAReasonIsRefused) {
  auto r = ApplyGrantTransition(InState(GrantState::kEffective), GrantAction::kSuspend, kOnDate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_EQ(r.error().detail["field"], "reason");
}

TEST(Grant, SuspendedResumesToEffective) {
  auto r = ApplyGrantTransition(InState(GrantState::kSuspended), GrantAction::kResume,
                                {"2024-07-01", ""});
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(*r, GrantState::kEffective);
}

TEST(Grant, CannotResumeWhileAReadinessItemIsOpen) {
  Grant g = InState(GrantState::kSuspended);
  g.readiness[0].done = false;
  auto r = ApplyGrantTransition(g, GrantAction::kResume, {"2024-07-01", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().detail["open_items"], nlohmann::json::array({"staff_trained"}));
}

TEST(Grant, OnlySuspendedGrantsResume) {
  auto r = ApplyGrantTransition(InState(GrantState::kEffective), GrantAction::kResume, kOnDate);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST(Grant, EveryLiveStateCanBeRevokedWithAReason) {
  for (auto s : {GrantState::kProposed, GrantState::kReady, GrantState::kEffective,
                 GrantState::kSuspended}) {
    auto r = ApplyGrantTransition(InState(s), GrantAction::kRevoke, kWithReason);
    ASSERT_TRUE(r.ok()) << GrantStateCode(s);
    EXPECT_EQ(*r, GrantState::kRevoked);
    auto no_reason = ApplyGrantTransition(InState(s), GrantAction::kRevoke, kOnDate);
    ASSERT_FALSE(no_reason.ok());
    EXPECT_EQ(no_reason.error().code, ErrorCode::kValidation);
  }
}

TEST(Grant, RevokedIsTerminal) {
  Grant g = InState(GrantState::kRevoked);
  for (auto a : {GrantAction::kMarkReady, GrantAction::kMakeEffective, GrantAction::kSuspend,
                 GrantAction::kResume, GrantAction::kRevoke}) {
    auto r = ApplyGrantTransition(g, a, kWithReason);
    ASSERT_FALSE(r.ok()) << GrantActionCode(a);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_TRUE(r.error().detail["allowed_actions"].empty());
  }
}

TEST(Grant, TransitionTableListsEightTransitions) {
  auto table = GrantTransitionTable();
  EXPECT_EQ(table.size(), 8u);
  for (const auto& row : table) {
    EXPECT_NE(row.from, GrantState::kRevoked);
    if (row.to == GrantState::kEffective) {
      EXPECT_TRUE(row.needs_readiness);
      EXPECT_TRUE(row.needs_decision_doc);
    }
  }
}

TEST(Grant, NamesParseBackFromCodesAndLabels) {
  EXPECT_EQ(ParseGrantMode("委托"), GrantMode::kEntrustment);
  EXPECT_EQ(ParseGrantMode("delegation"), GrantMode::kDelegation);
  EXPECT_EQ(GrantModeLabel(GrantMode::kDelegation), "赋权");
  EXPECT_EQ(ParseGrantState("suspended"), GrantState::kSuspended);
  EXPECT_EQ(ParseGrantAction("make_effective"), GrantAction::kMakeEffective);
  EXPECT_EQ(ParseReadinessKey("network_port"), ReadinessKey::kNetworkPort);
  EXPECT_FALSE(ParseReadinessKey("coffee").has_value());
}

TEST(Grant, ValidationNamesMissingIdsAndBadDates) {
  Grant g = SampleGrant();
  g.batch_id.clear();
  g.valid_to = "2023-01-01";
  g.readiness.push_back(g.readiness[0]);
  Status s = ValidateGrant(g);
  ASSERT_FALSE(s.ok());
  std::set<std::string> fields;
  for (const auto& e : s.error().detail["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_TRUE(fields.count("batch_id"));
  EXPECT_TRUE(fields.count("valid_to"));
  EXPECT_TRUE(fields.count("readiness[4].key"));
}

TEST(Grant, PeriodicEvaluationFallsDueOnItsDate) {
  Grant g = InState(GrantState::kEffective);
  g.next_evaluation = NextEvaluationDate("2024-03-01", 12);
  EXPECT_EQ(g.next_evaluation, "2025-03-01");
  EXPECT_FALSE(EvaluationDue(g, "2025-02-28"));
  EXPECT_TRUE(EvaluationDue(g, "2025-03-01"));
  g.state = GrantState::kRevoked;
  EXPECT_FALSE(EvaluationDue(g, "2025-03-01"));
}

ReformBatch SampleBatch() {
  ReformBatch b;
  b.id = "JS-2024-1";
  b.province_code = "32";
  b.name = "第二批经济发达镇行政管理体制改革";
  b.start_date = "2024-01-01";
  b.criteria = {{"population", "建成区常住人口", "人", Comparison::kAtLeast, 100000},
                {"fiscal_revenue", "一般公共预算收入", "亿元", Comparison::kAtLeast, 10}};
  b.towns = {{"320582104", "塘桥镇", {{"population", 150000}, {"fiscal_revenue", 18.5}}, 92.5},
             {"320581102", "海虞镇", {{"population", 120000}, {"fiscal_revenue", 12}}, 88}};
  b.milestones = {{"2024-12-31", "完成首批赋权"}, {"2026-12-31", "改革评估验收"}};
  return b;
}

TEST(GrantBatch, AValidBatchPasses) { EXPECT_TRUE(ValidateReformBatch(SampleBatch()).ok()); }

TEST(GrantBatch, MilestonesMustFallWithinTheThreeYearHorizon) {
  ReformBatch b = SampleBatch();
  b.milestones.push_back({"2027-01-02", "太晚"});
  Status s = ValidateReformBatch(b);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidation);
  EXPECT_EQ(s.error().detail["errors"][0]["field"], "milestones[2].date");
}

TEST(GrantBatch, ATownBelowAThresholdIsARuleViolation) {
  ReformBatch b = SampleBatch();
  b.towns[1].indicators["fiscal_revenue"] = 8;
  b.towns[1].indicators.erase("population");
  Status s = ValidateReformBatch(b);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleViolation);
  ASSERT_EQ(s.error().detail["failures"].size(), 2u);
  EXPECT_TRUE(s.error().detail["failures"][0]["value"].is_null());
  EXPECT_EQ(s.error().detail["failures"][1]["indicator"], "fiscal_revenue");
}

TEST(GrantBatch, ATownOutsideAnyBatchCannotReceiveGrants) {
  std::vector<ReformBatch> batches{SampleBatch()};
  EXPECT_TRUE(CheckTownInBatch("320582104", "JS-2024-1", batches).ok());
  Status s = CheckTownInBatch("320583001", "JS-2024-1", batches);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleViolation);
  EXPECT_TRUE(s.error().detail["batches_of_town"].empty());
}

TEST(GrantBatch, TheGrantMustNameTheTownsOwnBatch) {
  std::vector<ReformBatch> batches{SampleBatch()};
  Status s = CheckTownInBatch("320582104", "JS-2020-1", batches);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ(s.error().detail["batches_of_town"], nlohmann::json::array({"JS-2024-1"}));
}

TEST(GrantCatalogue, ACountyMaySelectOnlyFromItsProvincesMasterCatalogue) {
  MasterCatalogue master{"32", {SamplePower("XK-01-0001")}};
  EXPECT_TRUE(CheckPowerInMasterCatalogue("XK-01-0001", "32", master, "2024-03-01").ok());

  Status other_province = CheckPowerInMasterCatalogue("XK-01-0001", "44", master, "2024-03-01");
  ASSERT_FALSE(other_province.ok());
  EXPECT_EQ(other_province.error().code, ErrorCode::kRuleViolation);

  Status not_listed = CheckPowerInMasterCatalogue("XK-09-0009", "32", master, "2024-03-01");
  ASSERT_FALSE(not_listed.ok());
  EXPECT_EQ(not_listed.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ(not_listed.error().detail["power_code"], "XK-09-0009");
}

TEST(GrantCatalogue, AnItemOutsideItsValidityCannotBeSelected) {
  Power p = SamplePower();
  p.valid_to = "2024-12-31";
  MasterCatalogue master{"32", {p}};
  Status s = CheckPowerInMasterCatalogue(p.code, "32", master, "2025-01-01");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleViolation);
}

}  // namespace
}  // namespace quanze::domain
