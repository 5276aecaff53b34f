// CatalogueVersion (赋权目录版本): the published list of one town, immutable once
// published; any later change makes a new version. DiffCatalogues tells what
// changed between two versions, field by field, and CanonicalCatalogueContent
// gives the bytes to hash so the store can tell whether a publish would change
// anything. The store journals each version; this file only decides.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/catalogue.h"
#include "domain/grant.h"

namespace quanze::domain {

// One published item: a snapshot of the power and of the grant behind it.
struct CatalogueItem {
  Power power;
  std::string grant_id;
  GrantMode mode = GrantMode::kDelegation;
  std::string exercising_body;    // 实施主体, e.g. "塘桥镇人民政府"
  DecisionDocument decision_doc;  // the decision that granted it
  std::string grant_valid_from;   // the grant's validity, "YYYY-MM-DD"
  std::string grant_valid_to;     // or empty (open-ended)
  bool operator==(const CatalogueItem&) const = default;
};

CatalogueItem MakeCatalogueItem(const Power& power, const Grant& grant,
                                std::string exercising_body);

// Flat JSON of an item: the Power's fields (catalogue_json.cc) plus
// "grant_id", "mode" ("delegation"|"entrustment"), "exercising_body",
// "decision_doc" {issuer, number, title, date}, "grant_valid_from",
// "grant_valid_to" (null when open). CatalogueItemFromJson reverses it.
nlohmann::json CatalogueItemToJson(const CatalogueItem& item);
Result<CatalogueItem> CatalogueItemFromJson(const nlohmann::json& json);

struct FieldChange {
  std::string field;  // dotted path: "name", "statutory_limit.days", "decision_doc.number"
  nlohmann::json before;
  nlohmann::json after;
  bool operator==(const FieldChange&) const = default;
};
struct ItemChange {
  std::string code;
  std::vector<FieldChange> fields;  // in field-name order
  bool operator==(const ItemChange&) const = default;
};
struct CatalogueDiff {
  std::vector<CatalogueItem> added;    // by code
  std::vector<CatalogueItem> removed;  // by code
  std::vector<ItemChange> changed;     // by code
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

// Items are matched by power code (codes are unique within a version; if not,
// the first occurrence counts). Nested objects are compared member by member
// ("fee.amount_fen"); lists (legal_basis, materials, ...) as a whole.
CatalogueDiff DiffCatalogues(const std::vector<CatalogueItem>& from,
                             const std::vector<CatalogueItem>& to);

// {"added": [item...], "removed": [item...],
//  "changed": [{"code", "fields": [{"field", "before", "after"}]}]}
nlohmann::json CatalogueDiffToJson(const CatalogueDiff& diff);

// Canonical bytes of a list, independent of item order: the line
// "quanze-catalogue-v1", then one line per item sorted by code, each the
// item's JSON with keys sorted and no insignificant whitespace (UTF-8, not
// \u-escaped), every line ending in "\n". Hash these (SHA-256) to compare.
std::string CanonicalCatalogueContent(const std::vector<CatalogueItem>& items);

struct CatalogueVersion {
  std::string town_code;
  int number = 0;                    // 1, 2, 3 ... per town
  std::string published_at;          // RFC 3339 instant, supplied by the caller
  std::vector<CatalogueItem> items;  // sorted by code
  bool operator==(const CatalogueVersion&) const = default;
};

// The next version of a town's list, or why not:
//  - kValidation: an item is invalid or two items share a code (detail
//    {"errors": [{"code", "field", "reason_zh", "reason_en"}]});
//  - kBadRequest: `previous` belongs to another town;
//  - kConflict: nothing changed since `previous` (detail {"version": n}).
// `previous` is null for a town's first publication.
Result<CatalogueVersion> PrepareCatalogueVersion(const CatalogueVersion* previous,
                                                 std::string town_code,
                                                 std::vector<CatalogueItem> items,
                                                 std::string published_at);

}  // namespace quanze::domain
