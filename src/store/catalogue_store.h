// Repositories of the power catalogue and devolution (schema: catalogue_schema.cc).
// Portable SQL with `?` placeholders; callers (app/) own the transaction.
// JSON columns are passed as text; app/ and domain/ give them meaning.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace quanze::store {

// ---- master catalogue -------------------------------------------------------
struct PowerRecord {
  std::string province_code;
  std::string code;
  std::string name;
  std::string kind;        // domain::PowerKindCode
  std::string department;  // originating department
  std::optional<std::string> parent_code;
  std::int64_t version = 1;
  std::string valid_from;
  std::optional<std::string> valid_to;
  std::string item;  // JSON of the whole item
  std::int64_t updated_at = 0;
};

// Inserts the item, or replaces the stored one with the same (province, code).
Status UpsertPower(Connection& c, const PowerRecord& p, std::int64_t now);
Result<std::optional<PowerRecord>> GetPower(Connection& c, const std::string& province_code,
                                            const std::string& code);
// code → item JSON of every item of the province.
Result<std::map<std::string, std::string>> PowerItems(Connection& c,
                                                      const std::string& province_code);

struct PowerFilter {
  std::optional<std::string> province_code;  // none: every province
  std::string search;                        // substring of the code or the name
  std::string kind;
  std::string department;
  std::string after_province;  // cursor: (province, code) strictly after
  std::string after_code;
  int limit = 100;
};
// Ordered by (province, code); `item` is left empty (lists show the columns).
Result<std::vector<PowerRecord>> ListPowers(Connection& c, const PowerFilter& f);
Result<std::int64_t> CountPowers(Connection& c, const std::string& province_code);
// Codes of the provinces (level 'province'), ordered.
Result<std::vector<std::string>> ProvinceCodes(Connection& c);

// ---- reform batches ---------------------------------------------------------
struct BatchRecord {
  std::int64_t id = 0;
  std::string province_code;
  std::string name;
  std::string start_date;
  std::string criteria = "[]";    // JSON array
  std::string milestones = "[]";  // JSON array
  std::int64_t created_at = 0;
};
Result<std::int64_t> InsertBatch(Connection& c, const BatchRecord& b, std::int64_t now);
Result<std::optional<BatchRecord>> GetBatch(Connection& c, std::int64_t id);
// Ordered by id; every province when `province_code` is empty.
Result<std::vector<BatchRecord>> ListBatches(Connection& c, const std::string& province_code);

struct BatchTownRecord {
  std::int64_t batch_id = 0;
  std::string town_code;
  std::string town_name;         // from regions (read only)
  std::string selection = "{}";  // {"indicators": {...}, "score": x}
};
Status InsertBatchTown(Connection& c, const BatchTownRecord& t, std::int64_t now);
// Ordered by town code.
Result<std::vector<BatchTownRecord>> ListBatchTowns(Connection& c, std::int64_t batch_id);
// The batches listing the town, ordered by id.
Result<std::vector<std::int64_t>> BatchesOfTown(Connection& c, const std::string& town_code);

// ---- grants -----------------------------------------------------------------
struct GrantRecord {
  std::int64_t id = 0;
  std::string province_code;
  std::string power_code;
  std::string town_code;
  std::string county_code;
  std::int64_t batch_id = 0;
  std::string mode;
  std::string kind;
  std::string decision_doc = "{}";  // JSON object
  std::string readiness = "[]";     // JSON array
  std::string state;
  std::string valid_from;
  std::optional<std::string> valid_to;
  std::optional<std::string> next_evaluation;
  std::string state_reason;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  // Read only, joined in: the power's name and department, the town's name.
  std::string power_name;
  std::string department;
  std::string town_name;
};
Result<std::int64_t> InsertGrant(Connection& c, const GrantRecord& g, std::int64_t now);
Result<std::optional<GrantRecord>> GetGrant(Connection& c, std::int64_t id);
// Writes the mutable fields (mode, decision_doc, readiness, state, validity,
// next_evaluation, state_reason) of grant g.id.
Status UpdateGrant(Connection& c, const GrantRecord& g, std::int64_t now);
// The grant of (town, power) that is not revoked, if any.
Result<std::optional<std::int64_t>> OpenGrantId(Connection& c, const std::string& town_code,
                                                const std::string& power_code);

struct GrantFilter {
  std::string scope_path = "all";  // only towns under this region path
  std::string town_code;
  std::string state;
  std::string kind;
  std::int64_t batch_id = 0;  // 0: any
  std::int64_t after_id = 0;  // cursor
  int limit = 100;
};
// Ordered by id.
Result<std::vector<GrantRecord>> ListGrants(Connection& c, const GrantFilter& f);

// The town's grants in `state` joined with their powers' item JSON, by power code.
struct GrantWithItem {
  GrantRecord grant;
  std::string item;
};
Result<std::vector<GrantWithItem>> TownGrantsWithItems(Connection& c, const std::string& town_code,
                                                       const std::string& state);

// ---- published town catalogue versions (insert only) ------------------------
struct VersionRecord {
  std::string town_code;
  std::int64_t version = 0;
  std::string published_at;
  std::string items;  // JSON array; empty when not loaded
  std::string content_hash;
  std::int64_t item_count = 0;
  std::string counts = "{}";  // JSON object: kind → count
  std::int64_t ledger_index = 0;
};
Status InsertVersion(Connection& c, const VersionRecord& v, std::int64_t now);
// With items when `with_items`.
Result<std::optional<VersionRecord>> GetVersion(Connection& c, const std::string& town_code,
                                                std::int64_t version, bool with_items);
// The highest version of the town (without items), if any.
Result<std::optional<VersionRecord>> LatestVersion(Connection& c, const std::string& town_code);
// Every version of the town without items, newest first.
Result<std::vector<VersionRecord>> ListVersions(Connection& c, const std::string& town_code);

// Towns (level 'town') under `scope_path`, ordered by code after `after_code`,
// each with its latest version (without items) if it has one.
struct TownCatalogueRecord {
  std::string code;
  std::string name;
  std::string county_code;
  bool is_pilot = false;
  std::optional<VersionRecord> latest;
};
Result<std::vector<TownCatalogueRecord>> ListTownCatalogues(Connection& c,
                                                            const std::string& scope_path,
                                                            const std::string& after_code,
                                                            int limit);

}  // namespace quanze::store
