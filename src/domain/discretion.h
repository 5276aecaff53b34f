// Discretion benchmarks (行政处罚裁量基准): the published scale that splits a
// statutory fine range into tiers (裁量阶次) by circumstances, so that like
// cases get like penalties (同案同罚). 行政处罚法 第三十四条: "行政机关可以依法
// 制定行政处罚裁量基准…裁量基准应当向社会公布"; 国办发〔2022〕27号. Also the
// hearing rule of 第六十三条 (较大数额罚款 needs a hearing notice).
//
// Benchmark file format (data/discretion/*.json), money as integer fen:
//   {"province": "99",
//    "benchmarks": [
//      {"power_code": "CF-03-0016",            // master catalogue item (行政处罚)
//       "violation": "擅自占用或者挖掘城市道路",  // 违法行为
//       "basis": "《城市道路管理条例》第四十二条…", // 处罚依据 with its stated range
//       "scheme": "four_tier",                  // or "five_tier"
//       "party": "organisation",                // optional: "natural_person" | "organisation"
//       "statutory": {"min_fen": 50000, "max_fen": 2000000},  // the basis's own range
//                    // (or min_multiple/max_multiple of the base)
//       "tiers": [{"code": "general", "label_zh": "一般", "circumstances": "…",
//                  "min_fen": 100000, "max_fen": 600000}, …]}]}
// A tier is either an amount range (min_fen/max_fen), or a multiple range of
// a base such as 违法所得 / 货值金额 (min_multiple/max_multiple), or
// no_penalty: true (不予处罚, 第三十三条). Tier codes: five_tier
// no_penalty 不予处罚 / mitigated 减轻 / lighter 从轻 / general 一般 / heavier 从重;
// four_tier minor 轻微 / general 一般 / serious 较重 / severe 严重.
//
// Pure: no I/O, no clock. Values are thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace quanze::domain {

// DiscretionTier (裁量阶次): one step of a benchmark.
struct DiscretionTier {
  std::string code;
  std::string label_zh;
  std::string circumstances;  // 适用情形
  std::optional<std::int64_t> min_fen, max_fen;
  std::optional<double> min_multiple, max_multiple;  // multiples of a base (违法所得 / 货值金额)
  bool no_penalty = false;
  bool operator==(const DiscretionTier&) const = default;
};

// DiscretionBenchmark (裁量基准): the tiers for one violation of one power.
struct DiscretionBenchmark {
  std::string power_code;
  std::string violation;
  std::string basis;
  std::string scheme;  // "five_tier" 不予处罚/减轻/从轻/一般/从重 | "four_tier" 轻微/一般/较重/严重
  std::vector<DiscretionTier> tiers;
  std::string party;  // "" (any), "natural_person" or "organisation": statutes often differ
  // The range the legal basis itself states ("statutory" in the file, required):
  // an amount range or a multiple range of the base. 第三十四条: a benchmark
  // works inside the law, so no reason and no review can leave this range.
  std::optional<std::int64_t> statutory_min_fen, statutory_max_fen;
  std::optional<double> statutory_min_multiple, statutory_max_multiple;
  bool operator==(const DiscretionBenchmark&) const = default;
  const DiscretionTier* FindTier(std::string_view code) const;
};

// Reads a benchmark file (format above). kBadRequest when the text is not
// JSON; kValidation with detail {"errors": [{field, reason_zh, reason_en}]}
// for missing or wrong fields, unknown schemes or tier codes, repeated tiers,
// negative amounts, min > max, a tier with both or neither kind of range.
Result<std::vector<DiscretionBenchmark>> ParseDiscretionBenchmarks(std::string_view json_text);

// The benchmark of `power_code` for `party` ("" matches any); one without a
// party applies to both. Null when none.
const DiscretionBenchmark* FindBenchmark(std::span<const DiscretionBenchmark> benchmarks,
                                         std::string_view power_code, std::string_view party = {});

struct AllowedRange {
  std::int64_t min_fen = 0;
  std::int64_t max_fen = 0;
  bool operator==(const AllowedRange&) const = default;
};

// The amounts a tier allows: its fen range; for a multiple tier the multiples
// of `base_fen` (min rounded up, max rounded down, to whole fen); [0, 0] for
// no_penalty. An open min is 0; an open max of an amount tier is unbounded
// (INT64_MAX). kValidation when the tier is unknown (detail {"tier",
// "tiers": [...]}) or a multiple tier gets base_fen <= 0 (detail {"needs":
// ["base_fen"]}).
Result<AllowedRange> RangeFor(const DiscretionBenchmark& b, std::string_view tier,
                              std::int64_t base_fen);

// A penalty an officer proposes (拟处罚).
struct PenaltyProposal {
  std::string tier;
  std::int64_t amount_fen = 0;
  std::int64_t base_fen = 0;   // 违法所得 / 货值金额, for multiple tiers
  std::string written_reason;  // 书面说明理由 for leaving the range
  bool legal_review_passed = false;
};

// Ok when the amount is within the tier's range, or outside it with a written
// reason AND a passed legal review (法制审核). Otherwise kRuleViolation with
// detail {"tier","min_fen","max_fen","amount_fen","needs":["written_reason",
// "legal_review"]} (needs lists only what is missing) and a message naming the
// range in yuan. kValidation when the tier is unknown (detail lists the tiers),
// a multiple tier has no base, or the amount is negative.
Status CheckPenalty(const DiscretionBenchmark& b, const PenaltyProposal& p);

// 第三十四条: Ok when the amount lies within the statutory range of the
// benchmark's legal basis. Its maximum always binds; its minimum does not bind
// the "mitigated" tier (减轻处罚, 第三十二条: below the statutory minimum) or a
// tier marked no_penalty (whatever its code). kRuleViolation with detail {"statutory_min_fen",
// "statutory_max_fen","amount_fen"} and a message naming the range in yuan;
// kValidation when a multiple range has no base.
Status CheckStatutoryRange(const DiscretionBenchmark& b, std::string_view tier,
                           std::int64_t amount_fen, std::int64_t base_fen);

// 同案同罚: penalties already decided, grouped by (power_code, party, tier).
struct DecidedPenalty {
  std::string case_id;
  std::string power_code;
  std::string tier;
  std::int64_t amount_fen = 0;
  std::int64_t base_fen = 0;  // for multiple tiers; 0 when none
  std::string party;          // "" or as in DiscretionBenchmark::party
};
struct PenaltyOutlier {
  std::string case_id, power_code, tier;
  std::int64_t amount_fen = 0, median_fen = 0;
  double deviation = 0;        // |amount - median| / median (median 0: / 1 fen); 0 when no group
  bool outside_range = false;  // outside the tier's range of its benchmark
};

// Outliers among `decided`, in input order: a case deviates from the median of
// its (power, party, tier) group by more than `tolerance` (0.5 = 50%); the group must
// hold at least 3 cases. The median of an even group is the mean of the two
// middle amounts, rounded down.
std::vector<PenaltyOutlier> FindOutliers(std::span<const DecidedPenalty> decided, double tolerance);
// As above, and also every case whose amount lies outside its tier's range in
// the benchmark of its power (any group size; cases of unknown powers or
// tiers, or of multiple tiers without a base, are not judged on range).
std::vector<PenaltyOutlier> FindOutliers(std::span<const DecidedPenalty> decided, double tolerance,
                                         std::span<const DiscretionBenchmark> benchmarks);

// 较大数额 thresholds for the hearing notice of 第六十三条 — a per-province
// setting. Defaults: Jiangxi's 2021 rules, 公民 ≥ 3,000元, 法人或者其他组织
// ≥ 20,000元 (POLICY-FACTS.md §5, 第六十三条; secondary source). Provinces
// differ (e.g. older Jiangsu rules: 公民 500元 / 法人 1,000元 outside business
// activity), so load the province's own values.
struct HearingThresholds {
  std::int64_t natural_person_fen = 300000;
  std::int64_t organisation_fen = 2000000;
};
enum class PartyKind { kNaturalPerson, kOrganisation };

// 第六十三条: true when the hearing notice is required — a fine or a
// confiscation (没收违法所得/非法财物, by value) at or above the party's
// threshold ("以上" includes the amount itself), or a licence revocation,
// qualification downgrade, closure, suspension of business or restriction of
// practice (licence_revoked_or_closure).
bool HearingRequired(const HearingThresholds& t, PartyKind party, std::int64_t fine_fen,
                     std::int64_t confiscation_fen, bool licence_revoked_or_closure);

// "1234567" fen → "12345.67元"; used in messages.
std::string FormatYuan(std::int64_t fen);

}  // namespace quanze::domain
