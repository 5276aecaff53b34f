// CaseRuleBook: the statute rules of case handling that are data, not code
// (data/rules/cases.json): which decision outcomes must be disclosed and under
// which title, the appeal periods, the limitation period of penalties, the
// late-payment surcharge and the catalogue's accountability clauses
// (追责情形) each kind of accountability record falls under. Read by
// domain::cases::Decide and the sweep; a change of law is a change of the file.
//
// File format (unknown fields are refused, every problem is listed):
//   {"disclosure": [{"procedure": "licensing", "outcome": "granted",
//                    "kind": "licensing", "title_zh": "行政许可决定",
//                    "basis": "行政许可法 第四十条"}, ...],
//    "appeal": {"reconsideration_days": 60, "reconsideration_basis": "...",
//               "litigation_months": 6, "litigation_basis": "..."},
//    "limitation": {"years": 2, "serious_harm_years": 5, "basis": "..."},
//    "late_payment": {"daily_permille": 30, "basis": "..."},
//    "clauses": [{"trigger": "overdue", "patterns": ["未按规定时限", ...]}, ...],
//    "procedures": [{"kind": "penalty", "procedures": ["penalty_general", "penalty_summary"]},
//    ...]}
//
// Pure: no I/O. Values are immutable after parsing and may be shared.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace quanze::domain::cases {

// An outcome that creates a duty to disclose (公开) and its title.
struct DisclosureRule {
  std::string procedure_id, outcome, kind, title_zh, basis;
};

// Periods for 行政复议 and 行政诉讼, counted from service of the decision.
struct AppealRule {
  int reconsideration_days = 60;
  std::string reconsideration_basis;
  int litigation_months = 6;
  std::string litigation_basis;
};

// 行政处罚法 第三十六条: not discovered within `years` (serious_harm_years where
// life, health or financial safety was involved and harm followed) → no penalty.
struct LimitationRule {
  int years = 2;
  int serious_harm_years = 5;
  std::string basis;
};

// 行政处罚法 第七十二条(一): a surcharge per day late, at most the fine itself.
struct LatePaymentRule {
  int daily_permille = 30;  // 3 %
  std::string basis;
};

// The accountability clauses (追责情形) a trigger falls under: the first of
// the item's clauses that contains one of `patterns` (tried in order).
struct ClauseRule {
  std::string trigger;
  std::vector<std::string> patterns;
};

// The procedures that handle a power kind; the first is the default.
struct KindProcedures {
  std::string kind;  // domain::PowerKindCode: licensing, penalty, coercion, inspection, ...
  std::vector<std::string> procedures;
};

struct CaseRuleBook {
  std::vector<DisclosureRule> disclosure;
  std::vector<KindProcedures> procedures;
  AppealRule appeal;
  LimitationRule limitation;
  LatePaymentRule late_payment;
  std::vector<ClauseRule> clauses;

  // Null when the outcome creates no duty to disclose.
  const DisclosureRule* DisclosureFor(std::string_view procedure_id,
                                      std::string_view outcome) const;
  // The item's clause that `trigger` falls under: the first clause containing
  // a pattern of the trigger (patterns in order); otherwise the item's last
  // clause (the catalogue's catch-all 玩忽职守、滥用职权、徇私舞弊); "" when
  // the item lists none.
  std::string ClauseFor(std::string_view trigger, std::span<const std::string> item_clauses) const;
  // The procedure id for an item of `kind`: `requested` when it is one of the
  // kind's, the kind's default when `requested` is empty. kValidation naming
  // the allowed procedures otherwise, or when the kind has none.
  Result<std::string> ProcedureFor(std::string_view kind, std::string_view requested) const;
};

// kBadRequest for malformed JSON; kValidation with detail {"errors": [{"path",
// "message_zh", "message_en"}]} for missing, wrong or unknown fields.
Result<CaseRuleBook> ParseCaseRuleBook(std::string_view json_text);

}  // namespace quanze::domain::cases
