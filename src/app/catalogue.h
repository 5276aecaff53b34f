// CatalogueService: the power catalogue and its devolution to towns
// (赋权目录): master catalogue, reform batches, grants and their lifecycle,
// published town catalogue versions, import and export.
//
// Writes are units of work (Writer::Work) to hand to Writer::Submit (HTTP:
// answer from the callback) or Writer::Run (CLI, demo). Each unit checks the
// caller's scope, applies the domain rule (domain/grant.h, catalogue_diff.h),
// writes state and journals its event in the same transaction. A caller
// outside its scope is refused with kForbidden and an "access.denied" entry;
// a refused grant proposal or transition is journaled as
// "grant.proposal_refused" / "grant.transition_refused". The receipt of the
// refusal comes back through Writer::Done.
//
// Reads run on reader connections from any thread. Public documents (a town's
// published catalogue as JSON/CSV/XLSX, diffs) are rendered once per
// (town, version, format) and kept in a bounded in-memory cache: published
// versions never change, so an entry never goes stale. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts.h"
#include "app/writer.h"
#include "common/clock.h"
#include "domain/catalogue.h"
#include "domain/catalogue_grant_json.h"
#include "domain/grant.h"
#include "store/db.h"

namespace quanze::app {

class CatalogueCache;  // app/catalogue_cache.h

// Who acts, and the region subtree (a path, or "all") they may act on.
struct CatalogueCaller {
  Actor actor;
  std::string scope_path = "all";
  static CatalogueCaller Of(const AuthUser& user, std::string channel = "http");
  static CatalogueCaller System(std::string channel);  // "cli", "demo": scope "all"
};

enum class CatalogueFormat { kJson, kCsv, kXlsx };
std::optional<CatalogueFormat> ParseCatalogueFormat(std::string_view text);
std::string_view CatalogueFormatCode(CatalogueFormat format);

// The JSON catalogue's items: summaries for lists (the default) or in full.
enum class CatalogueView { kSummary, kFull };
// "summary" | "full"; nullopt otherwise.
std::optional<CatalogueView> ParseCatalogueView(std::string_view text);

// A master catalogue file, decoded and checked, ready to import.
struct ParsedCatalogue {
  std::vector<domain::Power> powers;
  std::string format;         // "csv" | "json"
  std::string source_sha256;  // hex SHA-256 of the bytes as received
  std::size_t bytes = 0;
};
// `format` is "csv", "json" or "" (guess: a first non-blank byte '{' or '['
// means JSON). All or nothing: kValidation with detail {"errors": [{row,
// column, column_letter, reason_zh, reason_en}], "bad_rows": n} listing every
// problem of every bad row; kBadRequest for bytes that are not text.
Result<ParsedCatalogue> ParseMasterCatalogue(std::string_view bytes, std::string format);

struct GrantProposal {
  std::string town_code;
  std::string power_code;
  std::int64_t batch_id = 0;  // 0: the first batch that lists the town
  domain::GrantMode mode = domain::GrantMode::kDelegation;
  domain::DecisionDocument decision_doc;
  std::string valid_from;  // "" = the day of the proposal
  std::string valid_to;    // "" = open-ended
};
// {"town_code","power_code","batch_id"?,"mode"?,"decision_doc"?,"valid_from"?,"valid_to"?}
Result<GrantProposal> GrantProposalFromJson(const nlohmann::json& json);

struct GrantTransitionRequest {
  std::int64_t grant_id = 0;
  domain::GrantAction action = domain::GrantAction::kMarkReady;
  std::string reason;
  std::string on_date;                                   // "" = today (Asia/Shanghai)
  std::optional<domain::DecisionDocument> decision_doc;  // recorded before the transition
};
// {"action", "reason"?, "on_date"?, "decision_doc"?}
Result<GrantTransitionRequest> GrantTransitionFromJson(std::int64_t grant_id,
                                                       const nlohmann::json& json);

struct PowerQuery {
  std::optional<std::string> province_code;
  std::string search, kind, department, cursor;
  int limit = 100;
};
struct GrantQuery {
  std::string town_code, state, kind;
  std::int64_t batch_id = 0;
  std::int64_t cursor = 0;
  int limit = 100;
};

// A rendered public document, immutable once made.
struct Rendered {
  std::string body;
  std::string gzip;  // gzip of body; empty when not worth it (XLSX)
  std::string content_type;
  std::string etag;       // strong entity tag, quoted
  std::string etag_gzip;  // the entity tag of the gzip representation
  std::string filename;   // download name (ASCII); empty for inline JSON
  // Full JSON view only: where each item's object lies in `body`, by power
  // code ({offset, length}), so one item can be served without parsing again.
  std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> item_spans;
};

class CatalogueService {
 public:
  CatalogueService(store::Database& db, Writer& writer, const Clock& clock);
  ~CatalogueService();
  CatalogueService(const CatalogueService&) = delete;
  CatalogueService& operator=(const CatalogueService&) = delete;

  // ---- units of work -------------------------------------------------------
  // Adds new items and replaces changed ones in the province's master
  // catalogue; items not in the file stay (grants refer to them). One
  // "catalogue.imported" entry. Result {"province_code","added","updated",
  // "unchanged","total","added_codes","updated_codes"}.
  Writer::Work ImportMaster(CatalogueCaller caller, std::string province_code,
                            ParsedCatalogue parsed) const;
  // A reform batch (its id is assigned); towns may be listed now or later.
  Writer::Work CreateBatch(CatalogueCaller caller, domain::ReformBatch batch) const;
  Writer::Work AddBatchTowns(CatalogueCaller caller, std::int64_t batch_id,
                             std::vector<domain::BatchTown> towns) const;
  // One proposal → the grant; several → {"items": [...], "count"} (all or none).
  Writer::Work ProposeGrants(CatalogueCaller caller, std::vector<GrantProposal> proposals) const;
  Writer::Work UpdateReadiness(CatalogueCaller caller, std::int64_t grant_id,
                               std::vector<domain::ReadinessChange> changes) const;
  Writer::Work Transition(CatalogueCaller caller, GrantTransitionRequest request) const;
  // A new immutable version of the town's catalogue from its effective
  // grants. kConflict (detail {"version","content_hash"}) when nothing changed
  // since the latest version: no new version, nothing journaled.
  Writer::Work Publish(CatalogueCaller caller, std::string town_code) const;

  // The steps of the units above inside an open unit, so that a caller (the
  // demo) can put many in one transaction. Refusal events go to tx.
  static Result<nlohmann::json> ProposeGrantIn(Tx& tx, const CatalogueCaller& caller,
                                               const GrantProposal& proposal);
  static Result<nlohmann::json> UpdateReadinessIn(
      Tx& tx, const CatalogueCaller& caller, std::int64_t grant_id,
      const std::vector<domain::ReadinessChange>& changes);
  static Result<nlohmann::json> TransitionIn(Tx& tx, const CatalogueCaller& caller,
                                             const GrantTransitionRequest& request);
  static Result<nlohmann::json> PublishIn(Tx& tx, const CatalogueCaller& caller,
                                          const std::string& town_code);

  // ---- staff reads (kForbidden outside `user`'s scope) ----------------------
  // {"items": [...], "next_cursor"}; the master catalogue of the user's province
  // (or of `province_code`; every province for an "all" scope without one).
  Result<nlohmann::json> ListPowers(const AuthUser& user, const PowerQuery& query);
  Result<nlohmann::json> GetPower(const AuthUser& user, const std::string& code,
                                  const std::optional<std::string>& province_code);
  Result<nlohmann::json> ListBatches(const AuthUser& user);
  Result<nlohmann::json> GetBatch(const AuthUser& user, std::int64_t id);
  Result<nlohmann::json> ListGrants(const AuthUser& user, const GrantQuery& query);
  Result<nlohmann::json> GetGrant(const AuthUser& user, std::int64_t id);
  // {"town_code","town_name","items": [{version, published_at, content_hash,
  // item_count, counts_by_kind, ledger_index}]}, newest first.
  Result<nlohmann::json> ListVersions(const std::string& scope_path, const std::string& town_code);
  // The province a caller means: `asked` (checked against the scope), else the
  // scope's province, else the only province in the database.
  Result<std::string> ResolveProvince(const std::string& scope_path,
                                      const std::optional<std::string>& asked);

  // ---- public reads: no account, no personal data ---------------------------
  // {"items": [{code, name, county_code, is_pilot, version, published_at,
  // item_count, counts_by_kind, content_hash}], "next_cursor"}.
  Result<nlohmann::json> PublicTowns(const std::string& cursor, int limit);
  // The published catalogue (latest version when none is given). JSON here is
  // the full list without "view"; the public API uses TownCatalogueJson.
  Result<std::shared_ptr<const Rendered>> TownCatalogue(const std::string& town_code,
                                                        std::optional<std::int64_t> version,
                                                        CatalogueFormat format);
  // The published catalogue as JSON (latest version when none is given):
  // {town_code, town_name, county_code, county_name, exercising_body, version,
  // published_at, content_hash, ledger_index, item_count, counts_by_kind,
  // is_demo, view, items}; items are CatalogueItemSummaryJson (kSummary) or
  // the full items (kFull). content_hash is always that of the full content.
  // kNotFound for an unknown town or version or a town that never published.
  Result<std::shared_ptr<const Rendered>> TownCatalogueJson(const std::string& town_code,
                                                            std::optional<std::int64_t> version,
                                                            CatalogueView view);
  // One item of a published version, in full (as the full view lists it)
  // plus "town_code" and "catalogue_version" (not "version": that key is the
  // item's own). kNotFound when the version does not list `power_code`.
  Result<std::shared_ptr<const Rendered>> TownCatalogueItem(const std::string& town_code,
                                                            std::optional<std::int64_t> version,
                                                            const std::string& power_code);
  // {"town_code","from","to","added","removed","changed","summary"}.
  Result<std::shared_ptr<const Rendered>> TownCatalogueDiff(const std::string& town_code,
                                                            std::int64_t from, std::int64_t to);
  // The province's master catalogue as CSV or JSON (docs/catalogue.md §4–5);
  // importing it again changes nothing.
  Result<std::string> ExportMaster(const std::string& province_code, CatalogueFormat format);

 private:
  store::Database& db_;
  Writer& writer_;
  const Clock& clock_;
  std::unique_ptr<CatalogueCache> cache_;
};

}  // namespace quanze::app
