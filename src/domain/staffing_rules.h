// Staffing rules (机构编制规则): the five prohibited practices of the reform
// (超职数配备干部、超机构规格提拔干部、超审批权限设置机构、擅自提高干部职级待遇、
// 擅自设置职务名称) plus 超编, 混编混岗 and the quota baseline, checked in a
// full scan of a town and on every change.
//
// Scan reports every violation of a state, including legacy ones from
// imported data. CheckChange refuses a change only when it would introduce a
// NEW violation (or worsen an existing one): legacy violations do not block
// unrelated changes. docs/staffing.md gives each rule with its legal basis.
//
// Pure and thread-safe on const inputs. Scan allocates per town and per
// violation, never per person: ~100,000 people in well under a second.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/staffing.h"

namespace quanze::domain {

// RuleCode: stable codes; RuleCodeName() gives the snake_case string that
// scenario files, the API and the ledger use.
enum class RuleCode : std::uint8_t {
  kOverQuotaLeaders,          // over_quota_leaders 超职数配备干部 (1)
  kPromotionAboveAgencyRank,  // promotion_above_agency_rank 超机构规格提拔干部 (2)
  kAgencyBeyondAuthority,     // agency_beyond_authority 超审批权限设置机构 (3)
  kUnauthorisedGradeRaise,    // unauthorised_grade_raise 擅自提高干部职级待遇 (4)
  kUnauthorisedTitle,         // unauthorised_title 擅自设置职务名称 (5)
  kOverQuota,                 // over_quota 超编
  kWrongQuotaKind,            // wrong_quota_kind 混编混岗
  kTotalAboveBaseline,        // total_above_baseline 编制总额超过基数
  kDispatchedAssessment,      // dispatched_assessment 派驻机构考核未以镇为主
  // Checked on changes only (they need the change, not just a state):
  kQuotaTotalIncrease,    // quota_total_increase 编制总量只减不增
  kQuotaBeyondAuthority,  // quota_beyond_authority 超审批权限核定编制
  kConsultationMissing,   // consultation_missing 派驻机构干部任免未事先听取意见
};
inline constexpr int kRuleCodeCount = 12;

std::string_view RuleCodeName(RuleCode rule);
std::string_view RuleNameZh(RuleCode rule);
// Legal basis in Chinese, e.g. "《地方各级人民政府机构设置和编制管理条例》第十五条".
std::string_view RuleBasisZh(RuleCode rule);
std::optional<RuleCode> ParseRuleCode(std::string_view code);

// Violation: one broken rule. agency_id / person_id are 0 when the violation
// is town-wide / not about one person. `subject` tells apart violations of
// the same rule on the same agency or person (a quota kind, a grade code, a
// title); `excess` is how far over the limit (1 for yes/no rules). Evidence
// never contains an ID number.
struct Violation {
  RuleCode rule = RuleCode::kOverQuota;
  Id agency_id = 0;
  Id person_id = 0;
  std::string subject;
  int excess = 1;
  std::string evidence_zh;
  std::string evidence_en;
};

// QuotaKindDef: one configured quota kind.
struct QuotaKindDef {
  std::string code;     // "administrative"
  std::string name_zh;  // "行政编制"
  std::string name_en;  // "administrative quota"
};

// GradeSet: a set of grades (a bit mask).
class GradeSet {
 public:
  constexpr GradeSet() = default;
  constexpr GradeSet(std::initializer_list<Grade> grades) {
    for (Grade g : grades) Add(g);
  }
  constexpr void Add(Grade g) { bits_ |= 1u << static_cast<unsigned>(g); }
  constexpr bool Contains(Grade g) const { return (bits_ >> static_cast<unsigned>(g)) & 1u; }
  // The highest GradeLevel in the set; 0 when empty.
  int MaxLevel() const;
  std::vector<Grade> ToVector() const;

 private:
  std::uint32_t bits_ = 0;
};

// StaffingSettings: every number and vocabulary the rules use. Values that
// are not fixed by statute (POLICY-FACTS.md marks them UNVERIFIED) are
// settings, never constants. DefaultStaffingSettings() documents the defaults.
struct StaffingSettings {
  // 综合设置10个以内职能机构: at most this many agencies of capped_agency_kinds.
  int max_integrated_agencies = 10;
  std::vector<AgencyKind> capped_agency_kinds;
  // The configured quota kinds; a person or quota of another kind is 自行设定
  // 其他类别的编制 (条例 第十五条).
  std::vector<QuotaKindDef> quota_kinds;
  // Quota kinds each agency kind may use (条例 第十五条), indexed by AgencyKind.
  std::array<std::vector<std::string>, kAgencyKindCount> allowed_quota_kinds;
  // The standard vocabulary of titles (职务名称).
  std::set<std::string, std::less<>> standard_titles;
  // Grades an agency of each rank may hold (公务员法 第十八条: 领导职务根据机构
  // 规格设置), indexed by AgencyRank.
  std::array<GradeSet, kAgencyRankCount> allowed_grades;
  // Levels entitled to approve setting up an agency or its quotas (条例 第九条:
  // the government one level up, on review by its 编办).
  std::vector<ApprovingLevel> entitled_approving_levels;
  // Highest grade a person may hold without a grade approval record (the
  // grades given on entry: 二级科员, 一级科员).
  Grade max_grade_without_approval = Grade::kClerk1;
  // A dispatched, not localised agency is assessed mainly by the town: the
  // town's weight must be strictly greater than this.
  double dispatched_town_weight = 0.5;

  // Display name of a quota kind ("行政编制"); the code itself when unknown.
  std::string_view QuotaKindNameZh(std::string_view code) const;
  bool IsConfiguredQuotaKind(std::string_view code) const;
  bool IsEntitled(ApprovingLevel level) const;
};

StaffingSettings DefaultStaffingSettings();

// ---- One function per rule: every violation of that rule in `town`. ----
std::vector<Violation> CheckOverQuotaLeaders(const TownStaffing& town,
                                             const StaffingSettings& settings);
std::vector<Violation> CheckPromotionAboveAgencyRank(const TownStaffing& town,
                                                     const StaffingSettings& settings);
std::vector<Violation> CheckAgencyBeyondAuthority(const TownStaffing& town,
                                                  const StaffingSettings& settings);
std::vector<Violation> CheckUnauthorisedGradeRaise(const TownStaffing& town,
                                                   const StaffingSettings& settings);
std::vector<Violation> CheckUnauthorisedTitle(const TownStaffing& town,
                                              const StaffingSettings& settings);
std::vector<Violation> CheckOverQuota(const TownStaffing& town, const StaffingSettings& settings);
std::vector<Violation> CheckWrongQuotaKind(const TownStaffing& town,
                                           const StaffingSettings& settings);
std::vector<Violation> CheckTotalAboveBaseline(const TownStaffing& town,
                                               const StaffingSettings& settings);
std::vector<Violation> CheckDispatchedAssessment(const TownStaffing& town,
                                                 const StaffingSettings& settings);

// Every violation of every state rule, in RuleCode order.
std::vector<Violation> Scan(const TownStaffing& town, const StaffingSettings& settings);

// The county's position, when the caller knows it: the county's current
// totals and its baseline per quota kind.
struct CountyQuotaPosition {
  std::string county_code;
  std::vector<QuotaTotal> totals;
  std::vector<QuotaTotal> baseline;
};

struct ChangeContext {
  std::optional<CountyQuotaPosition> county;
};

// The violations the changes (applied in order) would introduce: state rules
// that are new or worse than before (a merged agency inherits the violations
// of the agencies merged into it), plus the change rules — a town total of a
// quota kind above its value before, a county total raised, an approval by a
// level not entitled, a leader of a dispatched agency appointed or removed
// without a recorded consultation. Errors of ApplyChange (kNotFound,
// kConflict, kValidation) are returned as they are.
Result<std::vector<Violation>> NewViolations(const TownStaffing& before,
                                             std::span<const Change> changes,
                                             const StaffingSettings& settings,
                                             const ChangeContext& context = {});

// Ok when the change may be made. Otherwise kRuleViolation, a zh+en message
// naming the rules and the first violation, and detail
// {"changes": [code, ...], "violations": [{rule, rule_zh, basis_zh, agency_id,
// person_id, subject, excess, evidence_zh, evidence_en}, ...]}; or the
// ApplyChange error.
Status CheckChange(const TownStaffing& before, const Change& change,
                   const StaffingSettings& settings, const ChangeContext& context = {});
// Several changes judged together (a reorganisation that moves posts
// between agencies): only the final state counts for the state rules.
Status CheckChanges(const TownStaffing& before, std::span<const Change> changes,
                    const StaffingSettings& settings, const ChangeContext& context = {});

// The violations as the JSON array used in Error::detail.
nlohmann::json ViolationsToJson(std::span<const Violation> violations);

}  // namespace quanze::domain
