#include "domain/discretion.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace quanze::domain {
namespace {

using nlohmann::json;

constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();

struct TierName {
  std::string_view code;
  std::string_view label_zh;
};
constexpr TierName kFiveTier[] = {{"no_penalty", "不予处罚"},
                                  {"mitigated", "减轻处罚"},
                                  {"lighter", "从轻处罚"},
                                  {"general", "一般"},
                                  {"heavier", "从重处罚"}};
constexpr TierName kFourTier[] = {
    {"minor", "轻微"}, {"general", "一般"}, {"serious", "较重"}, {"severe", "严重"}};

std::span<const TierName> SchemeTiers(std::string_view scheme) {
  if (scheme == "five_tier") {
    return kFiveTier;
  }
  if (scheme == "four_tier") {
    return kFourTier;
  }
  return {};
}

std::string At(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}

// Collects problems while reading the file.
class Reader {
 public:
  void Fail(const std::string& field, std::string zh, std::string en) {
    errors_.push_back(
        {{"field", field}, {"reason_zh", std::move(zh)}, {"reason_en", std::move(en)}});
  }
  bool ok() const { return errors_.empty(); }
  void OnlyKeys(const json& obj, std::initializer_list<std::string_view> keys,
                const std::string& at) {
    for (const auto& [k, v] : obj.items()) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
        Fail(At(at, k), "未知字段", "unknown field");
      }
    }
  }
  std::string Str(const json& obj, const char* key, const std::string& at, bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) {
        Fail(At(at, key), "不能为空", "is required");
      }
      return {};
    }
    if (!it->is_string()) {
      Fail(At(at, key), "须为字符串", "must be a string");
      return {};
    }
    std::string s = it->get<std::string>();
    if (required && s.empty()) {
      Fail(At(at, key), "不能为空", "is required");
    }
    return s;
  }
  std::optional<std::int64_t> Fen(const json& obj, const char* key, const std::string& at) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      return std::nullopt;
    }
    if (!it->is_number_integer() ||
        (it->is_number_unsigned() &&
         it->get<std::uint64_t>() > static_cast<std::uint64_t>(kUnbounded))) {
      Fail(At(at, key), "须为以分计的整数金额", "must be an integer amount in fen");
      return std::nullopt;
    }
    const std::int64_t v = it->get<std::int64_t>();
    if (v < 0) {
      Fail(At(at, key), "金额不能为负", "must not be negative");
      return std::nullopt;
    }
    return v;
  }
  std::optional<double> Multiple(const json& obj, const char* key, const std::string& at) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      return std::nullopt;
    }
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0) {
      Fail(At(at, key), "须为非负数", "must be a non-negative number");
      return std::nullopt;
    }
    return it->get<double>();
  }
  bool Bool(const json& obj, const char* key, const std::string& at) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      return false;
    }
    if (!it->is_boolean()) {
      Fail(At(at, key), "须为true或false", "must be true or false");
      return false;
    }
    return it->get<bool>();
  }
  Error Finish() {
    const json& first = errors_[0];
    const std::string field = first["field"].get<std::string>();
    return MakeError(ErrorCode::kValidation,
                     "裁量基准无效：" + field + "：" + first["reason_zh"].get<std::string>(),
                     "discretion benchmarks are invalid: " + field + ": " +
                         first["reason_en"].get<std::string>(),
                     {{"errors", errors_}});
  }

 private:
  json errors_ = json::array();
};

DiscretionTier ReadTier(Reader& in, const json& j, const std::string& at,
                        std::span<const TierName> allowed) {
  DiscretionTier t;
  if (!j.is_object()) {
    in.Fail(at, "须为JSON对象", "must be a JSON object");
    return t;
  }
  in.OnlyKeys(j,
              {"code", "label_zh", "circumstances", "min_fen", "max_fen", "min_multiple",
               "max_multiple", "no_penalty"},
              at);
  t.code = in.Str(j, "code", at, true);
  t.label_zh = in.Str(j, "label_zh", at, false);
  t.circumstances = in.Str(j, "circumstances", at, true);
  t.min_fen = in.Fen(j, "min_fen", at);
  t.max_fen = in.Fen(j, "max_fen", at);
  t.min_multiple = in.Multiple(j, "min_multiple", at);
  t.max_multiple = in.Multiple(j, "max_multiple", at);
  t.no_penalty = in.Bool(j, "no_penalty", at);
  auto known = std::find_if(allowed.begin(), allowed.end(),
                            [&](const TierName& n) { return n.code == t.code; });
  if (!t.code.empty() && !allowed.empty() && known == allowed.end()) {
    in.Fail(At(at, "code"), "阶次代码不属于该裁量方案：" + t.code,
            "tier code is not part of the scheme: " + t.code);
  } else if (known != allowed.end() && t.label_zh.empty()) {
    t.label_zh = std::string(known->label_zh);
  }
  const bool money = t.min_fen || t.max_fen;
  const bool multiple = t.min_multiple || t.max_multiple;
  if (static_cast<int>(money) + static_cast<int>(multiple) + static_cast<int>(t.no_penalty) != 1) {
    in.Fail(at, "须且只能为金额幅度、倍数幅度或不予处罚之一",
            "must be exactly one of an amount range, a multiple range or no_penalty");
  }
  if (t.min_fen && t.max_fen && *t.min_fen > *t.max_fen) {
    in.Fail(At(at, "min_fen"), "下限不能高于上限", "must not exceed max_fen");
  }
  if (multiple && !t.max_multiple) {
    in.Fail(At(at, "max_multiple"), "倍数幅度须有上限", "a multiple range needs max_multiple");
  }
  if (t.min_multiple && t.max_multiple && *t.min_multiple > *t.max_multiple) {
    in.Fail(At(at, "min_multiple"), "下限不能高于上限", "must not exceed max_multiple");
  }
  return t;
}

// "statutory": the legal basis's own range, amounts or multiples (required).
void ReadStatutory(Reader& in, const json& j, const std::string& at, DiscretionBenchmark& b) {
  const std::string sat = At(at, "statutory");
  auto it = j.find("statutory");
  if (it == j.end() || !it->is_object()) {
    in.Fail(sat, "须写明法定幅度（statutory）", "the statutory range is required");
    return;
  }
  in.OnlyKeys(*it, {"min_fen", "max_fen", "min_multiple", "max_multiple"}, sat);
  b.statutory_min_fen = in.Fen(*it, "min_fen", sat);
  b.statutory_max_fen = in.Fen(*it, "max_fen", sat);
  b.statutory_min_multiple = in.Multiple(*it, "min_multiple", sat);
  b.statutory_max_multiple = in.Multiple(*it, "max_multiple", sat);
  const bool money = b.statutory_max_fen.has_value();
  const bool multiple = b.statutory_max_multiple.has_value();
  if (money == multiple) {
    in.Fail(sat, "须且只能有金额上限（max_fen）或倍数上限（max_multiple）之一",
            "needs exactly one of max_fen or max_multiple");
  }
}

DiscretionBenchmark ReadBenchmark(Reader& in, const json& j, const std::string& at) {
  DiscretionBenchmark b;
  if (!j.is_object()) {
    in.Fail(at, "须为JSON对象", "must be a JSON object");
    return b;
  }
  in.OnlyKeys(j, {"power_code", "violation", "basis", "scheme", "party", "statutory", "tiers"},
              at);
  b.power_code = in.Str(j, "power_code", at, true);
  b.violation = in.Str(j, "violation", at, true);
  b.basis = in.Str(j, "basis", at, true);
  b.scheme = in.Str(j, "scheme", at, true);
  b.party = in.Str(j, "party", at, false);
  const std::span<const TierName> allowed = SchemeTiers(b.scheme);
  if (!b.scheme.empty() && allowed.empty()) {
    in.Fail(At(at, "scheme"), "裁量方案须为five_tier或four_tier",
            "scheme must be five_tier or four_tier");
  }
  if (!b.party.empty() && b.party != "natural_person" && b.party != "organisation") {
    in.Fail(At(at, "party"), "当事人类别须为natural_person或organisation",
            "party must be natural_person or organisation");
  }
  ReadStatutory(in, j, at, b);
  auto tiers = j.find("tiers");
  if (tiers == j.end() || !tiers->is_array() || tiers->empty()) {
    in.Fail(At(at, "tiers"), "须为非空数组", "must be a non-empty array");
    return b;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < tiers->size(); ++i) {
    const std::string tat = At(at, "tiers[" + std::to_string(i) + "]");
    b.tiers.push_back(ReadTier(in, (*tiers)[i], tat, allowed));
    const std::string& code = b.tiers.back().code;
    if (!code.empty() && !seen.insert(code).second) {
      in.Fail(At(tat, "code"), "阶次重复：" + code, "tier repeated: " + code);
    }
  }
  return b;
}

json TierCodes(const DiscretionBenchmark& b) {
  json codes = json::array();
  for (const DiscretionTier& t : b.tiers) {
    codes.push_back(t.code);
  }
  return codes;
}

Error UnknownTier(const DiscretionBenchmark& b, std::string_view tier) {
  return MakeError(ErrorCode::kValidation,
                   "事项 " + b.power_code + " 的裁量基准没有阶次“" + std::string(tier) + "”",
                   "the discretion benchmark of power " + b.power_code + " has no tier \"" +
                       std::string(tier) + "\"",
                   {{"tier", tier}, {"tiers", TierCodes(b)}});
}

// "1234567" fen -> "12345.67".
std::string Amount(std::int64_t fen) {
  const bool negative = fen < 0;
  const std::uint64_t abs =
      negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  std::string out = negative ? "-" : "";
  out += std::to_string(abs / 100);
  const std::uint64_t cents = abs % 100;
  if (cents != 0) {
    out += '.';
    out += static_cast<char>('0' + cents / 10);
    if (cents % 10 != 0) {
      out += static_cast<char>('0' + cents % 10);
    }
  }
  return out;
}

std::string Yuan(std::int64_t fen, bool zh) { return Amount(fen) + (zh ? "元" : " yuan"); }

std::string RangeText(const AllowedRange& r, bool zh) {
  if (r.max_fen == kUnbounded) {
    return Yuan(r.min_fen, zh) + (zh ? "以上" : " or more");
  }
  return Yuan(r.min_fen, zh) + (zh ? "至" : " to ") + Yuan(r.max_fen, zh);
}

std::int64_t Median(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  if (n % 2 == 1) {
    return v[n / 2];
  }
  const std::int64_t a = v[n / 2 - 1], b = v[n / 2];
  return a + (b - a) / 2;
}

}  // namespace

const DiscretionTier* DiscretionBenchmark::FindTier(std::string_view code) const {
  for (const DiscretionTier& t : tiers) {
    if (t.code == code) {
      return &t;
    }
  }
  return nullptr;
}

Result<std::vector<DiscretionBenchmark>> ParseDiscretionBenchmarks(std::string_view json_text) {
  json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return MakeError(ErrorCode::kBadRequest, "裁量基准文件不是有效的JSON",
                     "the discretion benchmark file is not valid JSON");
  }
  Reader in;
  std::vector<DiscretionBenchmark> out;
  if (!root.is_object()) {
    in.Fail("$", "须为JSON对象", "must be a JSON object");
    return in.Finish();
  }
  in.OnlyKeys(root, {"province", "benchmarks", "source", "note"}, "");
  in.Str(root, "province", "", true);
  auto list = root.find("benchmarks");
  if (list == root.end() || !list->is_array()) {
    in.Fail("benchmarks", "须为数组", "must be an array");
    return in.Finish();
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = "benchmarks[" + std::to_string(i) + "]";
    out.push_back(ReadBenchmark(in, (*list)[i], at));
    const DiscretionBenchmark& b = out.back();
    if (!b.power_code.empty() && !seen.insert({b.power_code, b.party}).second) {
      in.Fail(At(at, "power_code"), "同一事项和当事人类别的裁量基准重复：" + b.power_code,
              "benchmark repeated for this power and party: " + b.power_code);
    }
  }
  if (!in.ok()) {
    return in.Finish();
  }
  return out;
}

const DiscretionBenchmark* FindBenchmark(std::span<const DiscretionBenchmark> benchmarks,
                                         std::string_view power_code, std::string_view party) {
  const DiscretionBenchmark* general = nullptr;
  for (const DiscretionBenchmark& b : benchmarks) {
    if (b.power_code != power_code) {
      continue;
    }
    if (party.empty() || b.party == party) {
      return &b;
    }
    if (b.party.empty()) {
      general = &b;
    }
  }
  return general;
}

Result<AllowedRange> RangeFor(const DiscretionBenchmark& b, std::string_view tier,
                              std::int64_t base_fen) {
  const DiscretionTier* t = b.FindTier(tier);
  if (t == nullptr) {
    return UnknownTier(b, tier);
  }
  if (t->no_penalty) {
    return AllowedRange{0, 0};
  }
  if (t->min_multiple || t->max_multiple) {
    if (base_fen <= 0) {
      return MakeError(
          ErrorCode::kValidation, "阶次“" + t->label_zh + "”按倍数计罚，须提供违法所得或货值金额",
          "tier " + t->code + " is a multiple of a base: the illegal gain or goods value is needed",
          {{"tier", tier}, {"needs", json::array({"base_fen"})}});
    }
    const double base = static_cast<double>(base_fen);
    const double lo = std::ceil(t->min_multiple.value_or(0.0) * base - 1e-6);
    const double hi = std::floor(t->max_multiple.value_or(0.0) * base + 1e-6);
    const double cap = static_cast<double>(kUnbounded) / 2;
    return AllowedRange{static_cast<std::int64_t>(std::min(lo, cap)),
                        static_cast<std::int64_t>(std::min(hi, cap))};
  }
  return AllowedRange{t->min_fen.value_or(0), t->max_fen.value_or(kUnbounded)};
}

Status CheckPenalty(const DiscretionBenchmark& b, const PenaltyProposal& p) {
  if (p.amount_fen < 0) {
    return MakeError(ErrorCode::kValidation, "罚款金额不能为负", "the amount must not be negative",
                     {{"amount_fen", p.amount_fen}});
  }
  QZ_ASSIGN_OR_RETURN(const AllowedRange range, RangeFor(b, p.tier, p.base_fen));
  if (p.amount_fen >= range.min_fen && p.amount_fen <= range.max_fen) {
    return Ok();
  }
  const bool has_reason = p.written_reason.find_first_not_of(" \t\r\n") != std::string::npos;
  if (has_reason && p.legal_review_passed) {
    return Ok();
  }
  json needs = json::array();
  std::string needs_zh, needs_en;
  if (!has_reason) {
    needs.push_back("written_reason");
    needs_zh = "书面说明理由";
    needs_en = "a written reason";
  }
  if (!p.legal_review_passed) {
    needs.push_back("legal_review");
    needs_zh += needs_zh.empty() ? "经法制审核通过" : "并经法制审核通过";
    needs_en += needs_en.empty() ? "a passed legal review" : " and a passed legal review";
  }
  const DiscretionTier& t = *b.FindTier(p.tier);
  return MakeError(
      ErrorCode::kRuleViolation,
      "拟处罚金额" + Yuan(p.amount_fen, true) + "超出事项 " + b.power_code + " 裁量阶次“" +
          t.label_zh + "”的幅度（" + RangeText(range, true) + "），须" + needs_zh,
      "the amount " + Yuan(p.amount_fen, false) + " is outside the range of tier " + t.code +
          " of power " + b.power_code + " (" + RangeText(range, false) + "); it needs " + needs_en,
      {{"tier", p.tier},
       {"min_fen", range.min_fen},
       {"max_fen", range.max_fen},
       {"amount_fen", p.amount_fen},
       {"needs", needs}});
}

std::vector<PenaltyOutlier> FindOutliers(std::span<const DecidedPenalty> decided,
                                         double tolerance) {
  return FindOutliers(decided, tolerance, {});
}

std::vector<PenaltyOutlier> FindOutliers(std::span<const DecidedPenalty> decided, double tolerance,
                                         std::span<const DiscretionBenchmark> benchmarks) {
  using Key = std::tuple<std::string_view, std::string_view, std::string_view>;
  std::map<Key, std::vector<std::int64_t>> groups;
  for (const DecidedPenalty& d : decided) {
    groups[{d.power_code, d.party, d.tier}].push_back(d.amount_fen);
  }
  std::map<Key, std::int64_t> medians;
  for (auto& [key, amounts] : groups) {
    if (amounts.size() >= 3) {
      medians[key] = Median(std::move(amounts));
    }
  }
  std::vector<PenaltyOutlier> out;
  for (const DecidedPenalty& d : decided) {
    PenaltyOutlier o{d.case_id, d.power_code, d.tier, d.amount_fen, 0, 0, false};
    bool flagged = false;
    if (auto m = medians.find({d.power_code, d.party, d.tier}); m != medians.end()) {
      o.median_fen = m->second;
      const double diff = std::abs(static_cast<double>(d.amount_fen - m->second));
      o.deviation = diff / static_cast<double>(std::max<std::int64_t>(m->second, 1));
      flagged = o.deviation > tolerance;
    }
    if (const DiscretionBenchmark* b = FindBenchmark(benchmarks, d.power_code, d.party);
        b != nullptr) {
      const DiscretionTier* t = b->FindTier(d.tier);
      const bool needs_base = t != nullptr && (t->min_multiple || t->max_multiple);
      if (t != nullptr && !(needs_base && d.base_fen <= 0)) {
        Result<AllowedRange> r = RangeFor(*b, d.tier, d.base_fen);
        o.outside_range = r.ok() && (d.amount_fen < r->min_fen || d.amount_fen > r->max_fen);
        flagged = flagged || o.outside_range;
      }
    }
    if (flagged) {
      out.push_back(std::move(o));
    }
  }
  return out;
}

bool HearingRequired(const HearingThresholds& t, PartyKind party, std::int64_t fine_fen,
                     std::int64_t confiscation_fen, bool licence_revoked_or_closure) {
  if (licence_revoked_or_closure) {
    return true;
  }
  const std::int64_t threshold =
      party == PartyKind::kNaturalPerson ? t.natural_person_fen : t.organisation_fen;
  return fine_fen >= threshold || confiscation_fen >= threshold;
}

std::string FormatYuan(std::int64_t fen) { return Amount(fen) + "元"; }

Status CheckStatutoryRange(const DiscretionBenchmark& b, std::string_view tier,
                           std::int64_t amount_fen, std::int64_t base_fen) {
  std::int64_t lo = 0, hi = std::numeric_limits<std::int64_t>::max();
  if (b.statutory_max_fen) {
    lo = b.statutory_min_fen.value_or(0);
    hi = *b.statutory_max_fen;
  } else if (b.statutory_max_multiple) {
    if (base_fen <= 0) {
      return MakeError(ErrorCode::kValidation, "法定幅度按倍数计算，须填写基数（base_fen）",
                       "the statutory range is a multiple: base_fen is required",
                       {{"needs", json::array({"base_fen"})}});
    }
    const double base = static_cast<double>(base_fen);
    lo = static_cast<std::int64_t>(std::ceil(b.statutory_min_multiple.value_or(0) * base));
    hi = static_cast<std::int64_t>(std::floor(*b.statutory_max_multiple * base));
  } else {
    return Ok();
  }
  const DiscretionTier* t = b.FindTier(tier);
  const bool below_binds = tier != "mitigated" && (t == nullptr || !t->no_penalty);
  if (amount_fen <= hi && (!below_binds || amount_fen >= lo)) return Ok();
  return MakeError(ErrorCode::kRuleViolation,
                   "罚款" + FormatYuan(amount_fen) + "超出法定幅度（" + FormatYuan(lo) + "至" +
                       FormatYuan(hi) + "，" + b.basis.substr(0, b.basis.find("：")) +
                       "）；即使书面说明理由并经法制审核也不得超出（行政处罚法 第三十四条）",
                   "the fine of " + FormatYuan(amount_fen) + " is outside the statutory range " +
                       FormatYuan(lo) + "–" + FormatYuan(hi) +
                       "; no reason or review allows it (Administrative Penalty Law art. 34)",
                   {{"statutory_min_fen", lo}, {"statutory_max_fen", hi}, {"amount_fen", amount_fen}});
}

}  // namespace quanze::domain
