// JSON forms of grants, their readiness checklists and decision documents,
// and of reform batches (docs/catalogue.md §7–8): what the store keeps in its
// JSON columns and what the API reads and writes. Readers are strict (wrong
// types and unknown keys are errors) and collect every problem into one
// kValidation error with detail {"errors": [{field, reason_zh, reason_en}]}.
// Pure: dates are parameters.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/grant.h"

namespace quanze::domain {

// {"issuer","number","title","date"} (strings; "" when unknown).
nlohmann::json DecisionDocumentToJson(const DecisionDocument& doc);
// null → empty document. `date`, when not empty, must be a valid date.
Result<DecisionDocument> DecisionDocumentFromJson(const nlohmann::json& json);

// [{"key","label","done","note","done_at"}] in the canonical key order.
nlohmann::json ReadinessToJson(const std::vector<ReadinessItem>& items);
// The stored form (labels ignored); an empty array → the default checklist.
Result<std::vector<ReadinessItem>> ReadinessFromJson(const nlohmann::json& json);

// One change a client asks for: {"key", "done"?, "note"?, "done_at"?}.
struct ReadinessChange {
  ReadinessKey key = ReadinessKey::kStaffTrained;
  std::optional<bool> done;
  std::optional<std::string> note;
  std::optional<std::string> done_at;
};
// Accepts {"items": [...]} or a bare array; at least one change, keys not repeated.
Result<std::vector<ReadinessChange>> ReadinessChangesFromJson(const nlohmann::json& json);
// The checklist after the changes: an item marked done gets done_at (given,
// else `today`); an item reopened loses it. Items are kept in canonical order.
std::vector<ReadinessItem> ApplyReadinessChanges(std::vector<ReadinessItem> items,
                                                 const std::vector<ReadinessChange>& changes,
                                                 std::string_view today);

// Actions allowed from `state` by the transition table, in table order.
std::vector<GrantAction> AllowedGrantActions(GrantState state);

// The grant with labels: {"id","power_code","town_code","county_code","mode",
// "mode_label","batch_id","decision_doc","readiness","open_items","state",
// "state_label","allowed_actions","valid_from","valid_to","next_evaluation",
// "state_reason"}; empty valid_to / next_evaluation are null.
nlohmann::json GrantToJson(const Grant& grant);

nlohmann::json SelectionCriterionToJson(const SelectionCriterion& c);
nlohmann::json MilestoneToJson(const Milestone& m);
nlohmann::json BatchTownToJson(const BatchTown& t);
// {"id","province_code","name","start_date","criteria","towns","milestones"}.
nlohmann::json ReformBatchToJson(const ReformBatch& batch);

// Reads the arrays of a batch ({indicator,label,unit,comparison,threshold} and
// {date,title}); field paths in errors are prefixed with `field`.
Result<std::vector<SelectionCriterion>> CriteriaFromJson(const nlohmann::json& json);
Result<std::vector<Milestone>> MilestonesFromJson(const nlohmann::json& json);
// {"town_code", "indicators"?: {name: number}, "score"?: number}.
Result<BatchTown> BatchTownFromJson(const nlohmann::json& json);
// {"name","start_date","criteria"?,"milestones"?,"towns"?} (plus "id" and
// "province_code", which the caller may also set).
Result<ReformBatch> ReformBatchFromJson(const nlohmann::json& json);

// A selection score from 0 upward: the mean over the criteria of how far the
// town meets each threshold (value / threshold for "at least", threshold /
// value for "at most"), × 100, rounded to one decimal. 0 without criteria;
// an indicator missing or a threshold of 0 counts as 0 / 100.
double SelectionScore(const std::vector<SelectionCriterion>& criteria,
                      const std::map<std::string, double>& indicators);

}  // namespace quanze::domain
