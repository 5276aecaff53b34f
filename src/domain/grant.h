// Grant (赋权): a power of the master catalogue handed to one town.
//
// A grant moves through proposed → ready → effective → suspended | revoked
// along the transition table below (data, not a class hierarchy). It may take
// effect only when its readiness checklist (承接能力: 接得住、用得好) is complete
// and a province or county decision document grants it; the town must be in a
// reform batch (改革批次) and the power must come from the master catalogue of
// the county's province. Grants are evaluated periodically (行政处罚法 第二十四条
// "定期组织评估"). Everything here is pure: dates are parameters.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/catalogue.h"

namespace quanze::domain {

// 赋权 (delegation: the town acts in its own name) / 委托 (entrustment: the
// town acts in the originating department's name).
enum class GrantMode { kDelegation, kEntrustment };
std::string_view GrantModeCode(GrantMode mode);                  // "delegation" | "entrustment"
std::string_view GrantModeLabel(GrantMode mode);                 // "赋权" | "委托"
std::optional<GrantMode> ParseGrantMode(std::string_view text);  // code or label

enum class GrantState { kProposed, kReady, kEffective, kSuspended, kRevoked };
std::string_view GrantStateCode(GrantState state);   // "proposed", "ready", ...
std::string_view GrantStateLabel(GrantState state);  // "拟赋权", "待生效", ...
std::optional<GrantState> ParseGrantState(std::string_view code);

enum class GrantAction { kMarkReady, kMakeEffective, kSuspend, kResume, kRevoke };
std::string_view GrantActionCode(GrantAction action);   // "mark_ready", ...
std::string_view GrantActionLabel(GrantAction action);  // "确认具备承接条件", ...
std::optional<GrantAction> ParseGrantAction(std::string_view code);

// The four readiness items: 人员培训 / 系统权限 / 网络端口 / 业务指导联系人.
enum class ReadinessKey { kStaffTrained, kSystemAccess, kNetworkPort, kGuidanceContact };
inline constexpr ReadinessKey kAllReadinessKeys[] = {
    ReadinessKey::kStaffTrained, ReadinessKey::kSystemAccess, ReadinessKey::kNetworkPort,
    ReadinessKey::kGuidanceContact};
std::string_view ReadinessKeyCode(ReadinessKey key);   // "staff_trained", ...
std::string_view ReadinessKeyLabel(ReadinessKey key);  // "人员培训到位", ...
std::optional<ReadinessKey> ParseReadinessKey(std::string_view code);

struct ReadinessItem {
  ReadinessKey key = ReadinessKey::kStaffTrained;
  bool done = false;
  std::string note;     // e.g. the guidance contact's name and phone
  std::string done_at;  // "YYYY-MM-DD" when done
  bool operator==(const ReadinessItem&) const = default;
};

// The four items, all open.
std::vector<ReadinessItem> DefaultReadinessChecklist();
// Keys not done, in the canonical order; a key absent from the list is open.
std::vector<ReadinessKey> OpenReadinessItems(const std::vector<ReadinessItem>& items);

// The province or county decision that grants the power (e.g. 粤府令第261号).
struct DecisionDocument {
  std::string issuer;  // 发文机关
  std::string number;  // 文号
  std::string title;
  std::string date;  // "YYYY-MM-DD"
  bool operator==(const DecisionDocument&) const = default;
  // A document counts when it has an issuer, a number and a valid date.
  bool Present() const;
};

struct Grant {
  std::string id;
  std::string power_code;
  std::string town_code;
  std::string county_code;  // the county that selected the item for the town
  GrantMode mode = GrantMode::kDelegation;
  std::string batch_id;
  DecisionDocument decision_doc;
  std::vector<ReadinessItem> readiness = DefaultReadinessChecklist();
  GrantState state = GrantState::kProposed;
  std::string valid_from;       // "YYYY-MM-DD"
  std::string valid_to;         // "YYYY-MM-DD" or empty (open-ended)
  std::string next_evaluation;  // "YYYY-MM-DD" or empty before it takes effect
  std::string state_reason;     // why it was last suspended or revoked
  bool operator==(const Grant&) const = default;
};

// Structural checks: ids present, dates valid and ordered, readiness keys not
// repeated. kValidation with detail {"errors": [{field, reason_zh, reason_en}]}.
Status ValidateGrant(const Grant& grant);

// One row of the transition table.
struct GrantTransitionRule {
  GrantState from;
  GrantAction action;
  GrantState to;
  bool needs_readiness;     // every readiness item done
  bool needs_decision_doc;  // DecisionDocument::Present()
  bool needs_reason;        // TransitionFacts::reason non-empty
  bool needs_validity;      // TransitionFacts::on_date within the grant's validity
};
std::span<const GrantTransitionRule> GrantTransitionTable();

// What the caller knows at the moment of the transition.
struct TransitionFacts {
  std::string on_date;  // "YYYY-MM-DD": the day the transition takes effect
  std::string reason;   // required for suspend and revoke
};

// The state after `action`, or why not:
//  - kConflict: no row for (state, action) — detail {"state", "action",
//    "allowed_actions": [...]}; or readiness items open / decision document
//    missing — detail {"open_items": [...codes], "missing": ["decision_doc"]?},
//    the message naming the open items in Chinese and English;
//  - kValidation: reason missing, or on_date not a date;
//  - kRuleViolation: on_date outside the grant's validity interval.
Result<GrantState> ApplyGrantTransition(const Grant& grant, GrantAction action,
                                        const TransitionFacts& facts);

// Periodic evaluation: `from` + `interval_months` (the interval is the
// province's choice; the demo uses 12). `from` must be a valid date.
std::string NextEvaluationDate(std::string_view from, int interval_months);
// True when an effective or suspended grant's evaluation date has come.
bool EvaluationDue(const Grant& grant, std::string_view today);

// ReformBatch (改革批次): the province names a batch, its selection criteria,
// the towns selected with their indicator values and scores, and milestones
// over the 3-year horizon.
enum class Comparison { kAtLeast, kAtMost };
struct SelectionCriterion {
  std::string indicator;  // key into BatchTown::indicators, e.g. "population"
  std::string label;      // "建成区常住人口"
  std::string unit;       // "人", "亿元", "%": statistics, not payments
  Comparison comparison = Comparison::kAtLeast;
  double threshold = 0;
  bool operator==(const SelectionCriterion&) const = default;
};
struct BatchTown {
  std::string town_code;
  std::string town_name;
  std::map<std::string, double> indicators;
  double score = 0;
  bool operator==(const BatchTown&) const = default;
};
struct Milestone {
  std::string date;  // "YYYY-MM-DD"
  std::string title;
  bool operator==(const Milestone&) const = default;
};
struct ReformBatch {
  std::string id;
  std::string province_code;
  std::string name;
  std::string start_date;  // "YYYY-MM-DD"; the horizon is 3 years from it
  std::vector<SelectionCriterion> criteria;
  std::vector<BatchTown> towns;
  std::vector<Milestone> milestones;
  bool operator==(const ReformBatch&) const = default;
};

// kValidation for structural problems (missing ids, bad dates, milestones
// outside [start, start + 36 months], repeated towns or indicators);
// kRuleViolation when a selected town lacks an indicator or misses a
// threshold — detail {"failures": [{"town_code","indicator","value","threshold"}]}.
Status ValidateReformBatch(const ReformBatch& batch);

// A town outside any batch cannot receive grants: Ok when batch `batch_id`
// exists among `batches` and lists `town_code`; kRuleViolation otherwise
// (detail {"town_code", "batch_id", "batches_of_town": [...]}).
Status CheckTownInBatch(std::string_view town_code, std::string_view batch_id,
                        const std::vector<ReformBatch>& batches);

// A county may only select items from its province's master catalogue: Ok
// when `master` is the catalogue of `county_province_code`, lists
// `power_code`, and that item is valid on `on_date`; kRuleViolation otherwise.
Status CheckPowerInMasterCatalogue(std::string_view power_code,
                                   std::string_view county_province_code,
                                   const MasterCatalogue& master, std::string_view on_date);

}  // namespace quanze::domain
