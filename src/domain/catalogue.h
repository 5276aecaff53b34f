// Power (权力事项): one item of a province master catalogue (通用目录).
//
// A county picks items from its province's master catalogue and grants them
// to towns (see grant.h); what a town may exercise is published as a town
// catalogue version (see catalogue_diff.h). This file holds the value types of
// one item, the rules an item must satisfy (ValidatePower) and its JSON form.
//
// Dates are ISO "YYYY-MM-DD" strings (an empty valid_to means open-ended);
// money is integer fen. The JSON field names are those of GLOSSARY.md in
// snake_case; docs/catalogue.md gives the full format.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace quanze::domain {

// 事项类型: the ten standard kinds of power.
enum class PowerKind {
  kLicensing,     // 行政许可
  kPenalty,       // 行政处罚
  kCoercion,      // 行政强制
  kLevy,          // 行政征收
  kBenefit,       // 行政给付
  kInspection,    // 行政检查
  kConfirmation,  // 行政确认
  kReward,        // 行政奖励
  kAdjudication,  // 行政裁决
  kOther,         // 其他 (其他行政权力)
};

inline constexpr PowerKind kAllPowerKinds[] = {
    PowerKind::kLicensing,    PowerKind::kPenalty,    PowerKind::kCoercion,     PowerKind::kLevy,
    PowerKind::kBenefit,      PowerKind::kInspection, PowerKind::kConfirmation, PowerKind::kReward,
    PowerKind::kAdjudication, PowerKind::kOther};

// Stable English code ("licensing", "penalty", ...): used in JSON and APIs.
std::string_view PowerKindCode(PowerKind kind);
// Chinese label ("行政许可", ..., "其他"): used in CSV and on screen.
std::string_view PowerKindLabel(PowerKind kind);
// Accepts the English code, the Chinese label, the short label ("许可") and
// the common variants "其他行政权力", "行政监督", "监督检查". nullopt otherwise.
std::optional<PowerKind> ParsePowerKind(std::string_view text);

// 工作日 / 自然日.
enum class TimeUnit { kWorkingDays, kCalendarDays };
std::string_view TimeUnitCode(TimeUnit unit);   // "working" | "calendar"
std::string_view TimeUnitLabel(TimeUnit unit);  // "工作日" | "自然日"
// Accepts the code, the label, "working_days"/"calendar_days" and "日历日".
std::optional<TimeUnit> ParseTimeUnit(std::string_view text);

// 设定依据: a law (name without 《》), an article ("第四十一条", may be empty)
// and the clause text (may be empty).
struct LegalBasis {
  std::string law;
  std::string article;
  std::string clause;
  bool operator==(const LegalBasis&) const = default;
};

// 申请材料: name, 来源渠道, 份数, 必要性.
struct Material {
  std::string name;
  std::string source;
  int copies = 1;
  bool required = true;
  bool operator==(const Material&) const = default;
};

// 责任事项: the duty at one stage (受理, 审查, 决定, 送达, 监管 ...).
struct ResponsibilityItem {
  std::string stage;
  std::string content;
  bool operator==(const ResponsibilityItem&) const = default;
};

// 法定时限 / 承诺时限. days == 0 means "decided on the spot" (即办).
struct TimeLimit {
  int days = 0;
  TimeUnit unit = TimeUnit::kWorkingDays;
  bool operator==(const TimeLimit&) const = default;
};

// 是否收费 / 收费标准 / 收费依据.
struct Fee {
  bool charged = false;
  std::int64_t amount_fen = 0;
  std::string basis;
  bool operator==(const Fee&) const = default;
};

struct Power {
  std::string code;                     // 事项编码
  std::string name;                     // 事项名称
  PowerKind kind = PowerKind::kOther;   // 事项类型
  std::string parent_code;              // 上级事项编码; empty for a main item
  std::vector<LegalBasis> legal_basis;  // 设定依据, at least one
  std::string originating_department;   // 原实施部门 (county department)
  TimeLimit statutory_limit;            // 法定时限
  TimeLimit promised_limit;             // 承诺时限, same unit, ≤ statutory
  bool suspension_allowed = false;      // 可中止
  bool extension_allowed = false;       // 可延期
  int max_extension_days = 0;           // 最长延期天数, in the limit's unit
  Fee fee;
  std::vector<Material> materials;                       // 申请材料
  std::vector<ResponsibilityItem> responsibility_items;  // 责任事项
  std::vector<std::string> accountability_situations;    // 追责情形
  std::string valid_from;                                // 有效期起, "YYYY-MM-DD"
  std::string valid_to;  // 有效期止, "YYYY-MM-DD" or empty (open-ended)
  int version = 1;       // 版本, ≥ 1
  std::string remarks;   // 备注

  bool operator==(const Power&) const = default;
};

// A province master catalogue (通用目录): the only source a county may pick from.
struct MasterCatalogue {
  std::string province_code;
  std::vector<Power> powers;
};

// One problem with one field. `field` is a JSON path into the Power
// ("promised_limit.days", "legal_basis[1].law").
struct FieldError {
  std::string field;
  std::string reason_zh;
  std::string reason_en;
};

// Every rule an item breaks, in field order; empty when the item is valid.
std::vector<FieldError> ValidatePowerFields(const Power& power);

// Ok, or kValidation whose message names the first problem and whose detail is
// {"code": ..., "errors": [{"field", "reason_zh", "reason_en"}, ...]}.
Status ValidatePower(const Power& power);

// JSON form (docs/catalogue.md). PowerToJson never fails; PowerFromJson
// rejects unknown fields, wrong types and invalid values, collecting every
// problem into one kValidation error shaped like ValidatePower's.
nlohmann::json PowerToJson(const Power& power);
Result<Power> PowerFromJson(const nlohmann::json& json);
// The summary of a published catalogue item (catalogue_diff.h,
// CatalogueItemToJson) for lists: {"code", "name", "kind", "parent_code",
// "originating_department", "statutory_limit", "promised_limit", "has_fee",
// "mode", "grant_id"}, each with the key and shape of the full item ("has_fee"
// is fee.charged). Missing keys come out null; never fails.
nlohmann::json CatalogueItemSummaryJson(const nlohmann::json& item);
// The power as far as it could be read, with every problem found (structure
// and ValidatePowerFields). Used by importers that report many items at once.
struct PowerReading {
  Power power;
  std::vector<FieldError> errors;
};
PowerReading ReadPowerJson(const nlohmann::json& json);

// ISO calendar dates as "YYYY-MM-DD" strings; lexicographic order is date order.
namespace isodate {
// True for a real Gregorian date in "YYYY-MM-DD" form, year 1900–9999.
bool Valid(std::string_view date);
// `date` plus `months` (negative allowed); the day is clamped to the month's
// length (2024-01-31 + 1 month = 2024-02-29). `date` must be Valid.
std::string AddMonths(std::string_view date, int months);
// True when `date` lies in [from, to]; an empty `to` is open-ended.
bool Within(std::string_view date, std::string_view from, std::string_view to);
}  // namespace isodate

}  // namespace quanze::domain
