// Helpers shared by the catalogue use cases (app/catalogue_*.cc). Not a
// public interface.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app/catalogue.h"
#include "domain/grant.h"
#include "store/catalogue_store.h"
#include "store/records.h"

namespace quanze::app::catalogue_internal {

// How often an effective grant is evaluated (行政处罚法 第二十四条); the
// interval is the province's choice, the demo's is 12 months.
inline constexpr int kEvaluationIntervalMonths = 12;

// A town and the codes of its county and province.
struct TownFacts {
  store::RegionRecord town;
  std::string county_code;
  std::string province_code;
};
// kNotFound when there is no region `code` or it is not a town.
Result<TownFacts> LoadTown(store::Connection& c, const std::string& code);
// kNotFound when there is no province `code`.
Result<store::RegionRecord> LoadProvince(store::Connection& c, const std::string& code);

// The first code of a region path ("/990000/990100/" → "990000"); "" for "all".
std::string ProvinceOfPath(std::string_view path);

Error OutOfScope(const std::string& what_zh, const std::string& what_en);
// Records "access.denied" should the unit fail, and returns `error`.
Error DenyIn(Tx& tx, const CatalogueCaller& caller, const std::string& subject_kind,
             const std::string& subject_id, Error error);
// Ok when `path` is inside the caller's scope; otherwise DenyIn.
Status CheckScope(Tx& tx, const CatalogueCaller& caller, const std::string& path,
                  const std::string& subject_kind, const std::string& subject_id);

// "YYYY-MM-DD" of the instant in Asia/Shanghai.
std::string Today(Instant now);
// Lowercase hex SHA-256.
std::string Sha256Hex(std::string_view data);

// The domain grant of a stored one (its JSON columns parsed).
Result<domain::Grant> GrantFromRecord(const store::GrantRecord& r);
// Writes the domain grant's mutable fields into the record.
void GrantIntoRecord(const domain::Grant& g, store::GrantRecord& r);
// The API form: domain::GrantToJson plus ids as numbers, power name, kind,
// department, town name, province, timestamps.
nlohmann::json GrantRecordToJson(const store::GrantRecord& r, const domain::Grant& g);

// The stored batch with its towns (catalogue_import.cc).
Result<domain::ReformBatch> LoadReformBatch(store::Connection& c, const store::BatchRecord& b);
// domain::ReformBatchToJson with the numeric id and the town count.
nlohmann::json BatchToApiJson(const domain::ReformBatch& b, std::int64_t id);

// {"version","published_at","content_hash","item_count","counts_by_kind",
// "ledger_index"} (catalogue_reads.cc).
nlohmann::json VersionToJson(const store::VersionRecord& v);

// An .xlsx workbook of one sheet: the first row is the header (bold, frozen),
// every cell text (catalogue_xlsx.cc).
Result<std::string> RenderXlsx(const std::vector<std::vector<std::string>>& table,
                               const std::string& sheet_name);

// {"licensing": 0, ...}: every kind, in the standard order.
nlohmann::json ZeroCountsByKind();

}  // namespace quanze::app::catalogue_internal
