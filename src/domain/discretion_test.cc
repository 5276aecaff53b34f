#include "domain/discretion.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace quanze::domain {
namespace {

std::string SourceDir() {
  if (const char* dir = std::getenv("QUANZE_SOURCE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::string here = __FILE__;
  return here.substr(0, here.rfind("/src/domain/"));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// 城市道路管理条例 第四十二条: 2万元以下; demo tiers.
constexpr std::string_view kRoadFile = R"({
  "province": "99",
  "benchmarks": [{
    "power_code": "CF-03-0016",
    "violation": "擅自占用或者挖掘城市道路",
    "basis": "《城市道路管理条例》第四十二条",
    "scheme": "four_tier",
    "statutory": {"min_fen": 0, "max_fen": 2000000},
    "tiers": [
      {"code": "minor", "circumstances": "首违及时改正", "no_penalty": true},
      {"code": "general", "circumstances": "一般", "min_fen": 50000, "max_fen": 600000},
      {"code": "serious", "circumstances": "较重", "min_fen": 600000, "max_fen": 1400000},
      {"code": "severe", "circumstances": "严重", "min_fen": 1400000, "max_fen": 2000000}
    ]}, {
    "power_code": "CF-04-0009",
    "violation": "掺杂掺假",
    "basis": "《产品质量法》第五十条：货值金额百分之五十以上三倍以下",
    "scheme": "five_tier",
    "statutory": {"min_multiple": 0.5, "max_multiple": 3.0},
    "tiers": [
      {"code": "lighter", "circumstances": "从轻", "min_multiple": 0.5, "max_multiple": 1.25},
      {"code": "general", "circumstances": "一般", "min_multiple": 1.25, "max_multiple": 2.25}
    ]}]
})";

PenaltyProposal P(std::string tier, std::int64_t amount, std::int64_t base = 0,
                  std::string reason = "", bool review = false) {
  PenaltyProposal p;
  p.tier = std::move(tier);
  p.amount_fen = amount;
  p.base_fen = base;
  p.written_reason = std::move(reason);
  p.legal_review_passed = review;
  return p;
}

DecidedPenalty C(std::string id, std::string power, std::string tier, std::int64_t amount,
                 std::int64_t base = 0) {
  DecidedPenalty d;
  d.case_id = std::move(id);
  d.power_code = std::move(power);
  d.tier = std::move(tier);
  d.amount_fen = amount;
  d.base_fen = base;
  return d;
}

std::vector<DiscretionBenchmark> Road() {
  auto r = ParseDiscretionBenchmarks(kRoadFile);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail.dump());
  return r.ok() ? *r : std::vector<DiscretionBenchmark>{};
}

TEST(Discretion, ParsesTiersAndFillsStandardLabels) {
  const auto list = Road();
  ASSERT_EQ(list.size(), 2u);
  const DiscretionBenchmark& b = list[0];
  EXPECT_EQ(b.power_code, "CF-03-0016");
  EXPECT_EQ(b.scheme, "four_tier");
  ASSERT_EQ(b.tiers.size(), 4u);
  EXPECT_TRUE(b.tiers[0].no_penalty);
  EXPECT_EQ(b.tiers[0].label_zh, "轻微");
  EXPECT_EQ(b.tiers[2].label_zh, "较重");
  EXPECT_EQ(b.tiers[1].max_fen, 600000);
  EXPECT_EQ(list[1].tiers[0].label_zh, "从轻处罚");
}

TEST(Discretion, RejectsMalformedJsonAsBadRequest) {
  auto r = ParseDiscretionBenchmarks("{\"province\": ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
}

TEST(Discretion, ListsEveryProblemOfAnInvalidFile) {
  auto r = ParseDiscretionBenchmarks(R"({"province": "99", "benchmarks": [{
    "power_code": "CF-1", "violation": "v", "basis": "b", "scheme": "four_tier",
    "statutory": {"max_fen": 100},
    "tiers": [
      {"code": "general", "circumstances": "c", "min_fen": 500, "max_fen": 100},
      {"code": "general", "circumstances": "c", "min_fen": 1},
      {"code": "heavier", "circumstances": "c", "min_fen": 1},
      {"code": "serious", "circumstances": "c", "min_fen": 1, "max_multiple": 2},
      {"code": "severe", "circumstances": "c", "min_fen": -5},
      {"code": "minor", "circumstances": "c", "min_fen": 1.5}
    ]}, {"power_code": "CF-2", "violation": "v", "basis": "b", "scheme": "three_tier",
         "tiers": []}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  std::vector<std::string> fields;
  for (const auto& e : r.error().detail["errors"]) {
    fields.push_back(e["field"]);
  }
  const auto has = [&](std::string_view f) {
    return std::find(fields.begin(), fields.end(), f) != fields.end();
  };
  EXPECT_TRUE(has("benchmarks[0].tiers[0].min_fen")) << r.error().detail.dump();  // min > max
  EXPECT_TRUE(has("benchmarks[0].tiers[1].code"));                                // repeated
  EXPECT_TRUE(has("benchmarks[0].tiers[2].code"));     // not a four_tier code
  EXPECT_TRUE(has("benchmarks[0].tiers[3]"));          // both kinds
  EXPECT_TRUE(has("benchmarks[0].tiers[4].min_fen"));  // negative
  EXPECT_TRUE(has("benchmarks[0].tiers[5].min_fen"));  // not integer fen
  EXPECT_TRUE(has("benchmarks[1].scheme"));
  EXPECT_TRUE(has("benchmarks[1].tiers"));
  EXPECT_NE(r.error().message_zh.find("裁量基准无效"), std::string::npos);
}

TEST(Discretion, TheDemoFileParsesAndNamesPenaltyItemsOfTheMasterCatalogue) {
  const std::string text = ReadFile(SourceDir() + "/data/discretion/demo.json");
  ASSERT_FALSE(text.empty());
  auto r = ParseDiscretionBenchmarks(text);
  ASSERT_TRUE(r.ok()) << r.error().Describe() << r.error().detail.dump();
  EXPECT_GE(r->size(), 10u);
  const std::string catalogue = ReadFile(SourceDir() + "/data/catalogue/master-catalogue.csv");
  for (const DiscretionBenchmark& b : *r) {
    const std::size_t at = catalogue.find("\n" + b.power_code + ",");
    ASSERT_NE(at, std::string::npos) << b.power_code;
    const std::string line = catalogue.substr(at + 1, catalogue.find('\n', at + 1) - at - 1);
    EXPECT_NE(line.find(",行政处罚,"), std::string::npos) << b.power_code;
    // The cited article is the one the catalogue gives as the legal basis.
    const std::string basis = catalogue.substr(at, 600);
    const std::string article = b.basis.substr(0, b.basis.find("条") + std::string("条").size());
    EXPECT_NE(basis.find(article), std::string::npos) << b.power_code << " " << article;
    for (const DiscretionTier& t : b.tiers) {
      if (t.no_penalty || t.min_multiple || t.max_multiple) {
        continue;
      }
      EXPECT_TRUE(RangeFor(b, t.code, 0).ok());
    }
  }
}

TEST(Discretion, RangeForAmountMultipleAndNoPenaltyTiers) {
  const auto list = Road();
  EXPECT_EQ(RangeFor(list[0], "general", 0).value(), (AllowedRange{50000, 600000}));
  EXPECT_EQ(RangeFor(list[0], "minor", 0).value(), (AllowedRange{0, 0}));
  // 货值金额 10,001元 × [0.5, 1.25] → [5000.50元, 12501.25元].
  EXPECT_EQ(RangeFor(list[1], "lighter", 1000100).value(), (AllowedRange{500050, 1250125}));
  // Rounded inwards to whole fen: 3 fen × 0.5 = 1.5 → 2; × 1.25 = 3.75 → 3.
  EXPECT_EQ(RangeFor(list[1], "lighter", 3).value(), (AllowedRange{2, 3}));
}

TEST(Discretion, RangeForRefusesUnknownTierAndMissingBase) {
  const auto list = Road();
  auto unknown = RangeFor(list[0], "heavier", 0);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kValidation);
  EXPECT_EQ(unknown.error().detail["tiers"].size(), 4u);
  auto no_base = RangeFor(list[1], "general", 0);
  ASSERT_FALSE(no_base.ok());
  EXPECT_EQ(no_base.error().code, ErrorCode::kValidation);
  EXPECT_EQ(no_base.error().detail["needs"][0], "base_fen");
}

TEST(Discretion, AcceptsAnAmountWithinTheTier) {
  const auto list = Road();
  EXPECT_TRUE(CheckPenalty(list[0], P("general", 50000)).ok());
  EXPECT_TRUE(CheckPenalty(list[0], P("general", 600000)).ok());
  EXPECT_TRUE(CheckPenalty(list[0], P("minor", 0)).ok());
  EXPECT_TRUE(CheckPenalty(list[1], P("general", 200000, 100000)).ok());
}

TEST(Discretion, RefusesAnAmountOutsideTheTierWithoutReasonAndReview) {
  const auto list = Road();
  Status s = CheckPenalty(list[0], P("general", 800000));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleViolation);
  const auto& d = s.error().detail;
  EXPECT_EQ(d["tier"], "general");
  EXPECT_EQ(d["min_fen"], 50000);
  EXPECT_EQ(d["max_fen"], 600000);
  EXPECT_EQ(d["amount_fen"], 800000);
  EXPECT_EQ(d["needs"], (nlohmann::json{"written_reason", "legal_review"}));
  EXPECT_EQ(s.error().message_zh,
            "拟处罚金额8000元超出事项 CF-03-0016 裁量阶次“一般”的幅度（500元至6000元），"
            "须书面说明理由并经法制审核通过");
  EXPECT_NE(s.error().message_en.find("(500 yuan to 6000 yuan)"), std::string::npos);
}

TEST(Discretion, NamesOnlyWhatIsStillMissing) {
  const auto list = Road();
  Status reason_only = CheckPenalty(list[0], P("general", 800000, 0, "当事人拒不整改", false));
  ASSERT_FALSE(reason_only.ok());
  EXPECT_EQ(reason_only.error().detail["needs"], (nlohmann::json{"legal_review"}));
  Status review_only = CheckPenalty(list[0], P("general", 800000, 0, "  ", true));
  ASSERT_FALSE(review_only.ok());
  EXPECT_EQ(review_only.error().detail["needs"], (nlohmann::json{"written_reason"}));
}

TEST(Discretion, AcceptsAnAmountOutsideTheTierWithReasonAndPassedReview) {
  const auto list = Road();
  EXPECT_TRUE(CheckPenalty(list[0], P("general", 800000, 0, "占道时间长达三个月", true)).ok());
  EXPECT_TRUE(CheckPenalty(list[0], P("minor", 10000, 0, "首违但造成损失", true)).ok());
}

TEST(Discretion, CheckPenaltyRefusesUnknownTierNegativeAmountAndMissingBase) {
  const auto list = Road();
  Status unknown = CheckPenalty(list[0], P("heavier", 1000));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kValidation);
  EXPECT_EQ(unknown.error().detail["tiers"],
            (nlohmann::json{"minor", "general", "serious", "severe"}));
  Status negative = CheckPenalty(list[0], P("general", -1));
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, ErrorCode::kValidation);
  Status no_base = CheckPenalty(list[1], P("general", 1000));
  ASSERT_FALSE(no_base.ok());
  EXPECT_EQ(no_base.error().code, ErrorCode::kValidation);
}

TEST(Discretion, FindBenchmarkPrefersThePartysOwnBenchmark) {
  std::vector<DiscretionBenchmark> list(3);
  list[0].power_code = "P";
  list[0].party = "organisation";
  list[1].power_code = "P";
  list[2].power_code = "Q";
  list[2].party = "natural_person";
  EXPECT_EQ(FindBenchmark(list, "P", "organisation"), &list[0]);
  EXPECT_EQ(FindBenchmark(list, "P", "natural_person"), &list[1]);
  EXPECT_EQ(FindBenchmark(list, "Q", "organisation"), nullptr);
  EXPECT_EQ(FindBenchmark(list, "R"), nullptr);
}

TEST(Discretion, FindsTheCaseFarFromItsGroupMedian) {
  const std::vector<DecidedPenalty> decided = {
      C("c1", "CF-03-0016", "general", 300000), C("c2", "CF-03-0016", "general", 320000),
      C("c3", "CF-03-0016", "general", 280000), C("c4", "CF-03-0016", "general", 590000),
      C("c5", "CF-03-0016", "serious", 900000), C("c6", "CF-03-0016", "serious", 100000)};
  const auto out = FindOutliers(decided, 0.5);
  ASSERT_EQ(out.size(), 1u);  // the serious group has only 2 cases
  EXPECT_EQ(out[0].case_id, "c4");
  EXPECT_EQ(out[0].median_fen, 310000);  // mean of 300000 and 320000
  EXPECT_NEAR(out[0].deviation, 280000.0 / 310000.0, 1e-9);
  EXPECT_FALSE(out[0].outside_range);
  EXPECT_TRUE(FindOutliers(decided, 1.0).empty());
}

TEST(Discretion, GroupsBySameTierAndPowerOnly) {
  const std::vector<DecidedPenalty> decided = {
      C("a1", "P", "general", 100), C("a2", "P", "general", 100), C("b1", "Q", "general", 1000),
      C("b2", "P", "serious", 1000), C("a3", "P", "general", 110)};
  EXPECT_TRUE(FindOutliers(decided, 0.5).empty());
}

TEST(Discretion, FlagsAmountsOutsideTheTierRangeInAnyGroupSize) {
  const auto list = Road();
  const std::vector<DecidedPenalty> decided = {
      C("c1", "CF-03-0016", "serious", 2000000),  // above 14000元
      C("c2", "CF-03-0016", "serious", 700000),
      C("c3", "CF-04-0009", "general", 300000, 100000),  // 3× > 2.25×
      C("c4", "CF-04-0009", "general", 300000),          // no base: not judged
      C("c5", "CF-99-0001", "general", 1)};
  const auto out = FindOutliers(decided, 0.5, list);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].case_id, "c1");
  EXPECT_TRUE(out[0].outside_range);
  EXPECT_EQ(out[0].median_fen, 0);  // group of 2: no median
  EXPECT_EQ(out[1].case_id, "c3");
}

TEST(Discretion, MedianOfZeroStillFlagsANonZeroPenalty) {
  const std::vector<DecidedPenalty> decided = {C("c1", "P", "minor", 0), C("c2", "P", "minor", 0),
                                               C("c3", "P", "minor", 50000)};
  const auto out = FindOutliers(decided, 0.5);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].case_id, "c3");
  EXPECT_GT(out[0].deviation, 1.0);
}

TEST(Discretion, HearingRequiredAtTheProvincesLargerAmount) {
  const HearingThresholds t;  // 3,000元 / 20,000元
  EXPECT_FALSE(HearingRequired(t, PartyKind::kNaturalPerson, 299999, 0, false));
  EXPECT_TRUE(HearingRequired(t, PartyKind::kNaturalPerson, 300000, 0, false));
  EXPECT_FALSE(HearingRequired(t, PartyKind::kOrganisation, 1999999, 0, false));
  EXPECT_TRUE(HearingRequired(t, PartyKind::kOrganisation, 2000000, 0, false));
  EXPECT_TRUE(HearingRequired(t, PartyKind::kOrganisation, 0, 2500000, false));  // 没收
  EXPECT_TRUE(HearingRequired(t, PartyKind::kNaturalPerson, 0, 0, true));  // 吊销/停产停业
  const HearingThresholds strict{50000, 100000};
  EXPECT_TRUE(HearingRequired(strict, PartyKind::kNaturalPerson, 50000, 0, false));
}

TEST(Discretion, FormatYuan) {
  EXPECT_EQ(FormatYuan(1234567), "12345.67元");
  EXPECT_EQ(FormatYuan(50), "0.5元");
  EXPECT_EQ(FormatYuan(200000), "2000元");
  EXPECT_EQ(FormatYuan(-105), "-1.05元");
}

}  // namespace
}  // namespace quanze::domain

namespace quanze::domain {
namespace {

// 第三十四条: the legal basis's own range binds even with a reason and a review;
// 第三十二条: only a mitigated (减轻) tier may go below its minimum.
TEST(Discretion, StatutoryRangeBindsEveryTierButMitigatedBelowTheMinimum) {
  std::vector<DiscretionBenchmark> all = Road();
  ASSERT_EQ(all.size(), 2u);
  const DiscretionBenchmark& road = all[0];
  EXPECT_TRUE(CheckStatutoryRange(road, "severe", 2000000, 0).ok());
  Status over = CheckStatutoryRange(road, "severe", 2000001, 0);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ(over.error().detail["statutory_max_fen"], 2000000);
  EXPECT_TRUE(CheckStatutoryRange(road, "minor", 0, 0).ok());  // a no_penalty tier
  const DiscretionBenchmark& goods = all[1];
  EXPECT_EQ(CheckStatutoryRange(goods, "general", 100, 0).error().code, ErrorCode::kValidation);
  EXPECT_TRUE(CheckStatutoryRange(goods, "general", 500000, 1000000).ok());
  EXPECT_FALSE(CheckStatutoryRange(goods, "lighter", 499999, 1000000).ok());
  EXPECT_TRUE(CheckStatutoryRange(goods, "mitigated", 200000, 1000000).ok());
  EXPECT_FALSE(CheckStatutoryRange(goods, "mitigated", 3000001, 1000000).ok());
}

TEST(Discretion, ABenchmarkWithoutItsStatutoryRangeIsRefused) {
  auto r = ParseDiscretionBenchmarks(R"({"province": "99", "benchmarks": [{
    "power_code": "CF-1", "violation": "v", "basis": "b", "scheme": "four_tier",
    "tiers": [{"code": "general", "circumstances": "c", "min_fen": 1, "max_fen": 2}]}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.dump().find("statutory"), std::string::npos);
}

}  // namespace
}  // namespace quanze::domain
