#include "domain/grant.h"

#include <algorithm>
#include <array>
#include <set>

namespace quanze::domain {
namespace {

using nlohmann::json;
using S = GrantState;
using A = GrantAction;

// The transition table. Every (state, action) pair not listed is refused.
//   from        action           to           readiness doc    reason validity
constexpr std::array<GrantTransitionRule, 8> kTable{{
    {S::kProposed, A::kMarkReady, S::kReady, true, false, false, false},
    {S::kReady, A::kMakeEffective, S::kEffective, true, true, false, true},
    {S::kEffective, A::kSuspend, S::kSuspended, false, false, true, false},
    {S::kSuspended, A::kResume, S::kEffective, true, true, false, true},
    {S::kProposed, A::kRevoke, S::kRevoked, false, false, true, false},
    {S::kReady, A::kRevoke, S::kRevoked, false, false, true, false},
    {S::kEffective, A::kRevoke, S::kRevoked, false, false, true, false},
    {S::kSuspended, A::kRevoke, S::kRevoked, false, false, true, false},
}};

template <typename E, size_t N>
struct Names {
  std::array<std::pair<E, std::string_view>, N> codes;
  std::array<std::string_view, N> labels;
  std::string_view Code(E e) const { return codes[static_cast<size_t>(e)].second; }
  std::string_view Label(E e) const { return labels[static_cast<size_t>(e)]; }
  std::optional<E> Parse(std::string_view s) const {
    for (size_t i = 0; i < N; ++i) {
      if (codes[i].second == s || labels[i] == s) return codes[i].first;
    }
    return std::nullopt;
  }
};

constexpr Names<GrantMode, 2> kModes{
    {{{GrantMode::kDelegation, "delegation"}, {GrantMode::kEntrustment, "entrustment"}}},
    {"赋权", "委托"}};
constexpr Names<GrantState, 5> kStates{{{{S::kProposed, "proposed"},
                                         {S::kReady, "ready"},
                                         {S::kEffective, "effective"},
                                         {S::kSuspended, "suspended"},
                                         {S::kRevoked, "revoked"}}},
                                       {"拟赋权", "待生效", "已生效", "已暂停", "已撤销"}};
constexpr Names<GrantAction, 5> kActions{{{{A::kMarkReady, "mark_ready"},
                                           {A::kMakeEffective, "make_effective"},
                                           {A::kSuspend, "suspend"},
                                           {A::kResume, "resume"},
                                           {A::kRevoke, "revoke"}}},
                                         {"确认具备承接条件", "生效", "暂停", "恢复", "撤销"}};
constexpr Names<ReadinessKey, 4> kReadiness{
    {{{ReadinessKey::kStaffTrained, "staff_trained"},
      {ReadinessKey::kSystemAccess, "system_access"},
      {ReadinessKey::kNetworkPort, "network_port"},
      {ReadinessKey::kGuidanceContact, "guidance_contact"}}},
    {"人员培训到位", "业务系统权限开通", "网络端口接通", "部门业务指导联系人明确"}};

std::string JoinLabels(const std::vector<ReadinessKey>& keys, bool zh) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += zh ? "、" : ", ";
    out += zh ? kReadiness.Label(keys[i]) : kReadiness.Code(keys[i]);
  }
  return out;
}

Error RefuseUnlisted(const Grant& g, GrantAction action) {
  json allowed = json::array();
  for (const auto& r : kTable) {
    if (r.from == g.state) allowed.push_back(std::string(kActions.Code(r.action)));
  }
  return MakeError(ErrorCode::kConflict,
                   "赋权" + g.id + "处于“" + std::string(kStates.Label(g.state)) + "”状态，不能" +
                       std::string(kActions.Label(action)),
                   "grant " + g.id + " is " + std::string(kStates.Code(g.state)) + "; cannot " +
                       std::string(kActions.Code(action)),
                   {{"state", kStates.Code(g.state)},
                    {"action", kActions.Code(action)},
                    {"allowed_actions", std::move(allowed)}});
}

void AddField(json& list, std::string field, std::string zh, std::string en) {
  list.push_back(
      {{"field", std::move(field)}, {"reason_zh", std::move(zh)}, {"reason_en", std::move(en)}});
}

}  // namespace

std::string_view GrantModeCode(GrantMode m) { return kModes.Code(m); }
std::string_view GrantModeLabel(GrantMode m) { return kModes.Label(m); }
std::optional<GrantMode> ParseGrantMode(std::string_view s) { return kModes.Parse(s); }
std::string_view GrantStateCode(GrantState s) { return kStates.Code(s); }
std::string_view GrantStateLabel(GrantState s) { return kStates.Label(s); }
std::optional<GrantState> ParseGrantState(std::string_view s) { return kStates.Parse(s); }
std::string_view GrantActionCode(GrantAction a) { return kActions.Code(a); }
std::string_view GrantActionLabel(GrantAction a) { return kActions.Label(a); }
std::optional<GrantAction> ParseGrantAction(std::string_view s) { return kActions.Parse(s); }
std::string_view ReadinessKeyCode(ReadinessKey k) { return kReadiness.Code(k); }
std::string_view ReadinessKeyLabel(ReadinessKey k) { return kReadiness.Label(k); }
std::optional<ReadinessKey> ParseReadinessKey(std::string_view s) { return kReadiness.Parse(s); }

std::vector<ReadinessItem> DefaultReadinessChecklist() {
  std::vector<ReadinessItem> items;
  for (auto k : kAllReadinessKeys) items.push_back({k, false, "", ""});
  return items;
}

std::vector<ReadinessKey> OpenReadinessItems(const std::vector<ReadinessItem>& items) {
  std::vector<ReadinessKey> open;
  for (auto k : kAllReadinessKeys) {
    bool done = std::any_of(items.begin(), items.end(),
                            [&](const ReadinessItem& i) { return i.key == k && i.done; });
    if (!done) open.push_back(k);
  }
  return open;
}

bool DecisionDocument::Present() const {
  return !issuer.empty() && !number.empty() && isodate::Valid(date);
}

std::span<const GrantTransitionRule> GrantTransitionTable() { return kTable; }

Status ValidateGrant(const Grant& g) {
  json errors = json::array();
  auto required = [&](const std::string& v, const char* field, const char* zh) {
    if (v.empty())
      AddField(errors, field, std::string(zh) + "不能为空", std::string(field) + " is required");
  };
  required(g.id, "id", "赋权编号");
  required(g.power_code, "power_code", "事项编码");
  required(g.town_code, "town_code", "镇区划代码");
  required(g.county_code, "county_code", "县区划代码");
  required(g.batch_id, "batch_id", "改革批次");
  if (!isodate::Valid(g.valid_from)) {
    AddField(errors, "valid_from", "有效期起须为YYYY-MM-DD格式的日期",
             "valid_from must be a date in YYYY-MM-DD form");
  }
  if (!g.valid_to.empty() && (!isodate::Valid(g.valid_to) || g.valid_to < g.valid_from)) {
    AddField(errors, "valid_to", "有效期止须为不早于有效期起的日期",
             "valid_to must be a date not before valid_from");
  }
  if (!g.next_evaluation.empty() && !isodate::Valid(g.next_evaluation)) {
    AddField(errors, "next_evaluation", "下次评估日期格式不正确",
             "next_evaluation must be a date in YYYY-MM-DD form");
  }
  std::set<ReadinessKey> seen;
  for (size_t i = 0; i < g.readiness.size(); ++i) {
    const auto& item = g.readiness[i];
    std::string field = "readiness[" + std::to_string(i) + "]";
    if (!seen.insert(item.key).second) {
      AddField(errors, field + ".key", "承接准备事项重复", "readiness item is repeated");
    }
    if (!item.done_at.empty() && !isodate::Valid(item.done_at)) {
      AddField(errors, field + ".done_at", "完成日期格式不正确",
               "done_at must be a date in YYYY-MM-DD form");
    }
  }
  if (errors.empty()) return Ok();
  // Messages first: the detail below takes `errors` by move.
  std::string zh = "赋权" + g.id + "无效：" + errors[0]["reason_zh"].get<std::string>();
  std::string en = "grant " + g.id + " is invalid: " + errors[0]["field"].get<std::string>() +
                   ": " + errors[0]["reason_en"].get<std::string>();
  return MakeError(ErrorCode::kValidation, std::move(zh), std::move(en),
                   {{"errors", std::move(errors)}});
}

Result<GrantState> ApplyGrantTransition(const Grant& g, GrantAction action,
                                        const TransitionFacts& facts) {
  const GrantTransitionRule* rule = nullptr;
  for (const auto& r : kTable) {
    if (r.from == g.state && r.action == action) rule = &r;
  }
  if (!rule) return RefuseUnlisted(g, action);

  if (rule->needs_reason && facts.reason.empty()) {
    return MakeError(ErrorCode::kValidation, std::string(kActions.Label(action)) + "赋权须说明理由",
                     "a reason is required to " + std::string(kActions.Code(action)) + " a grant",
                     {{"field", "reason"}});
  }
  if (rule->needs_validity && !isodate::Valid(facts.on_date)) {
    return MakeError(ErrorCode::kValidation, "生效日期须为YYYY-MM-DD格式的日期",
                     "on_date must be a date in YYYY-MM-DD form", {{"field", "on_date"}});
  }

  std::vector<ReadinessKey> open;
  if (rule->needs_readiness) open = OpenReadinessItems(g.readiness);
  bool doc_missing = rule->needs_decision_doc && !g.decision_doc.Present();
  if (!open.empty() || doc_missing) {
    json open_codes = json::array();
    for (auto k : open) open_codes.push_back(std::string(kReadiness.Code(k)));
    json detail = {{"open_items", std::move(open_codes)}};
    std::string zh = "赋权" + g.id + "不能" + std::string(kActions.Label(action)) + "：";
    std::string en = "grant " + g.id + " cannot " + std::string(kActions.Code(action)) + ": ";
    if (!open.empty()) {
      zh += "承接准备事项未完成（" + JoinLabels(open, true) + "）";
      en += "readiness items still open (" + JoinLabels(open, false) + ")";
    }
    if (doc_missing) {
      detail["missing"] = json::array({"decision_doc"});
      zh += std::string(open.empty() ? "" : "；") + "缺少赋权决定文件（发文机关、文号、日期）";
      en += std::string(open.empty() ? "" : "; ") +
            "the decision document (issuer, number, date) is missing";
    }
    return MakeError(ErrorCode::kConflict, std::move(zh), std::move(en), std::move(detail));
  }

  if (rule->needs_validity && !isodate::Within(facts.on_date, g.valid_from, g.valid_to)) {
    return MakeError(
        ErrorCode::kRuleViolation,
        "日期" + facts.on_date + "不在赋权有效期（" + g.valid_from + "至" +
            (g.valid_to.empty() ? "长期" : g.valid_to) + "）内",
        "date " + facts.on_date + " is outside the grant's validity (" + g.valid_from + " to " +
            (g.valid_to.empty() ? "open" : g.valid_to) + ")",
        {{"on_date", facts.on_date}, {"valid_from", g.valid_from}, {"valid_to", g.valid_to}});
  }
  return rule->to;
}

std::string NextEvaluationDate(std::string_view from, int interval_months) {
  return isodate::AddMonths(from, interval_months);
}

bool EvaluationDue(const Grant& g, std::string_view today) {
  if (g.state != S::kEffective && g.state != S::kSuspended) return false;
  return !g.next_evaluation.empty() && today >= g.next_evaluation;
}

}  // namespace quanze::domain
