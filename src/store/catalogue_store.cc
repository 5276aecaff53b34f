#include "store/catalogue_store.h"
#include "store/row_helpers.h"

namespace quanze::store {
namespace {

using rows::All;
using rows::Done;
using rows::One;
using rows::OptValue;
using rows::PathRange;




// LIKE pattern for a substring, escaping the wildcards with '\'.
std::string LikeContains(const std::string& s) {
  std::string out = "%";
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

constexpr const char* kPowerColumns =
    "province_code, code, name, kind, department, parent_code, version, valid_from, valid_to, "
    "updated_at";

PowerRecord PowerFromRow(const Row& r) {
  PowerRecord p;
  p.province_code = r.Text(0);
  p.code = r.Text(1);
  p.name = r.Text(2);
  p.kind = r.Text(3);
  p.department = r.Text(4);
  p.parent_code = r.OptText(5);
  p.version = r.Int(6);
  p.valid_from = r.Text(7);
  p.valid_to = r.OptText(8);
  p.updated_at = r.Int(9);
  if (r.size() > 10) p.item = r.Text(10);
  return p;
}

constexpr const char* kBatchColumns =
    "id, province_code, name, start_date, criteria, milestones, created_at";

BatchRecord BatchFromRow(const Row& r) {
  return BatchRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)};
}

constexpr const char* kGrantColumns =
    "g.id, g.province_code, g.power_code, g.town_code, g.county_code, g.batch_id, g.mode, "
    "g.kind, g.decision_doc, g.readiness, g.state, g.valid_from, g.valid_to, g.next_evaluation, "
    "g.state_reason, g.created_at, g.updated_at, p.name, p.department, r.name";
constexpr const char* kGrantJoins =
    " FROM grants g"
    " JOIN catalogue_powers p ON p.province_code = g.province_code AND p.code = g.power_code"
    " JOIN regions r ON r.code = g.town_code";

GrantRecord GrantFromRow(const Row& r) {
  GrantRecord g;
  g.id = r.Int(0);
  g.province_code = r.Text(1);
  g.power_code = r.Text(2);
  g.town_code = r.Text(3);
  g.county_code = r.Text(4);
  g.batch_id = r.Int(5);
  g.mode = r.Text(6);
  g.kind = r.Text(7);
  g.decision_doc = r.Text(8);
  g.readiness = r.Text(9);
  g.state = r.Text(10);
  g.valid_from = r.Text(11);
  g.valid_to = r.OptText(12);
  g.next_evaluation = r.OptText(13);
  g.state_reason = r.Text(14);
  g.created_at = r.Int(15);
  g.updated_at = r.Int(16);
  g.power_name = r.Text(17);
  g.department = r.Text(18);
  g.town_name = r.Text(19);
  return g;
}

constexpr const char* kVersionColumns =
    "town_code, version, published_at, content_hash, item_count, counts, ledger_index";

VersionRecord VersionFromRow(const Row& r, std::size_t at = 0) {
  VersionRecord v;
  v.town_code = r.Text(at + 0);
  v.version = r.Int(at + 1);
  v.published_at = r.Text(at + 2);
  v.content_hash = r.Text(at + 3);
  v.item_count = r.Int(at + 4);
  v.counts = r.Text(at + 5);
  v.ledger_index = r.Int(at + 6);
  return v;
}



}  // namespace

// ---- master catalogue -------------------------------------------------------

Status UpsertPower(Connection& c, const PowerRecord& p, std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO catalogue_powers (province_code, code, name, kind, department, parent_code, "
      "version, valid_from, valid_to, item, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (province_code, code) DO UPDATE SET name = excluded.name, "
      "kind = excluded.kind, department = excluded.department, "
      "parent_code = excluded.parent_code, version = excluded.version, "
      "valid_from = excluded.valid_from, valid_to = excluded.valid_to, item = excluded.item, "
      "updated_at = excluded.updated_at",
      {p.province_code, p.code, p.name, p.kind, p.department, OptValue(p.parent_code), p.version,
       p.valid_from, OptValue(p.valid_to), p.item, now, now}));
}

Result<std::optional<PowerRecord>> GetPower(Connection& c, const std::string& province_code,
                                            const std::string& code) {
  return One<PowerRecord>(
      c.QueryOne(std::string("SELECT ") + kPowerColumns +
                     ", item FROM catalogue_powers WHERE province_code = ? AND code = ?",
                 {province_code, code}),
      [](const Row& r) { return PowerFromRow(r); });
}

Result<std::map<std::string, std::string>> PowerItems(Connection& c,
                                                      const std::string& province_code) {
  auto rows =
      c.Query("SELECT code, item FROM catalogue_powers WHERE province_code = ?", {province_code});
  if (!rows.ok()) return rows.take_error();
  std::map<std::string, std::string> out;
  for (const Row& r : *rows) out.emplace(r.Text(0), r.Text(1));
  return out;
}

Result<std::vector<PowerRecord>> ListPowers(Connection& c, const PowerFilter& f) {
  std::string sql = std::string("SELECT ") + kPowerColumns +
                    " FROM catalogue_powers WHERE (province_code > ? OR "
                    "(province_code = ? AND code > ?))";
  Params params = {f.after_province, f.after_province, f.after_code};
  if (f.province_code) {
    sql += " AND province_code = ?";
    params.emplace_back(*f.province_code);
  }
  if (!f.kind.empty()) {
    sql += " AND kind = ?";
    params.emplace_back(f.kind);
  }
  if (!f.department.empty()) {
    sql += " AND department = ?";
    params.emplace_back(f.department);
  }
  if (!f.search.empty()) {
    sql += " AND (name LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\')";
    params.emplace_back(LikeContains(f.search));
    params.emplace_back(LikeContains(f.search));
  }
  sql += " ORDER BY province_code, code LIMIT ?";
  params.emplace_back(std::int64_t{f.limit});
  return All<PowerRecord>(c.Query(sql, params), [](const Row& r) { return PowerFromRow(r); });
}

Result<std::int64_t> CountPowers(Connection& c, const std::string& province_code) {
  auto row =
      c.QueryOne("SELECT COUNT(*) FROM catalogue_powers WHERE province_code = ?", {province_code});
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

Result<std::vector<std::string>> ProvinceCodes(Connection& c) {
  return All<std::string>(
      c.Query("SELECT code FROM regions WHERE level = 'province' ORDER BY code"),
      [](const Row& r) { return r.Text(0); });
}

// ---- reform batches ---------------------------------------------------------

Result<std::int64_t> InsertBatch(Connection& c, const BatchRecord& b, std::int64_t now) {
  auto row = c.QueryOne(
      "INSERT INTO reform_batches (province_code, name, start_date, criteria, milestones, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {b.province_code, b.name, b.start_date, b.criteria, b.milestones, now});
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

Result<std::optional<BatchRecord>> GetBatch(Connection& c, std::int64_t id) {
  return One<BatchRecord>(
      c.QueryOne(std::string("SELECT ") + kBatchColumns + " FROM reform_batches WHERE id = ?",
                 {id}),
      BatchFromRow);
}

Result<std::vector<BatchRecord>> ListBatches(Connection& c, const std::string& province_code) {
  if (province_code.empty()) {
    return All<BatchRecord>(
        c.Query(std::string("SELECT ") + kBatchColumns + " FROM reform_batches ORDER BY id"),
        BatchFromRow);
  }
  return All<BatchRecord>(c.Query(std::string("SELECT ") + kBatchColumns +
                                      " FROM reform_batches WHERE province_code = ? ORDER BY id",
                                  {province_code}),
                          BatchFromRow);
}

Status InsertBatchTown(Connection& c, const BatchTownRecord& t, std::int64_t now) {
  return Done(
      c.Exec("INSERT INTO reform_batch_towns (batch_id, town_code, selection, added_at) "
             "VALUES (?, ?, ?, ?)",
             {t.batch_id, t.town_code, t.selection, now}));
}

Result<std::vector<BatchTownRecord>> ListBatchTowns(Connection& c, std::int64_t batch_id) {
  return All<BatchTownRecord>(
      c.Query("SELECT t.batch_id, t.town_code, r.name, t.selection FROM reform_batch_towns t "
              "JOIN regions r ON r.code = t.town_code WHERE t.batch_id = ? ORDER BY t.town_code",
              {batch_id}),
      [](const Row& r) {
        return BatchTownRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3)};
      });
}

Result<std::vector<std::int64_t>> BatchesOfTown(Connection& c, const std::string& town_code) {
  return All<std::int64_t>(
      c.Query("SELECT batch_id FROM reform_batch_towns WHERE town_code = ? ORDER BY batch_id",
              {town_code}),
      [](const Row& r) { return r.Int(0); });
}

// ---- grants -----------------------------------------------------------------

Result<std::int64_t> InsertGrant(Connection& c, const GrantRecord& g, std::int64_t now) {
  auto row = c.QueryOne(
      "INSERT INTO grants (province_code, power_code, town_code, county_code, batch_id, mode, "
      "kind, decision_doc, readiness, state, valid_from, valid_to, next_evaluation, "
      "state_reason, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {g.province_code, g.power_code, g.town_code, g.county_code, g.batch_id, g.mode, g.kind,
       g.decision_doc, g.readiness, g.state, g.valid_from, OptValue(g.valid_to), OptValue(g.next_evaluation),
       g.state_reason, now, now});
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

Result<std::optional<GrantRecord>> GetGrant(Connection& c, std::int64_t id) {
  return One<GrantRecord>(
      c.QueryOne(std::string("SELECT ") + kGrantColumns + kGrantJoins + " WHERE g.id = ?", {id}),
      GrantFromRow);
}

Status UpdateGrant(Connection& c, const GrantRecord& g, std::int64_t now) {
  return Done(c.Exec(
      "UPDATE grants SET mode = ?, decision_doc = ?, readiness = ?, state = ?, valid_from = ?, "
      "valid_to = ?, next_evaluation = ?, state_reason = ?, updated_at = ? WHERE id = ?",
      {g.mode, g.decision_doc, g.readiness, g.state, g.valid_from, OptValue(g.valid_to),
       OptValue(g.next_evaluation), g.state_reason, now, g.id}));
}

Result<std::optional<std::int64_t>> OpenGrantId(Connection& c, const std::string& town_code,
                                                const std::string& power_code) {
  return One<std::int64_t>(
      c.QueryOne("SELECT id FROM grants WHERE town_code = ? AND power_code = ? "
                 "AND state <> 'revoked'",
                 {town_code, power_code}),
      [](const Row& r) { return r.Int(0); });
}

Result<std::vector<GrantRecord>> ListGrants(Connection& c, const GrantFilter& f) {
  auto [from, to] = PathRange(f.scope_path);
  std::string sql = std::string("SELECT ") + kGrantColumns + kGrantJoins +
                    " WHERE r.path >= ? AND r.path < ? AND g.id > ?";
  Params params = {from, to, f.after_id};
  if (!f.town_code.empty()) {
    sql += " AND g.town_code = ?";
    params.emplace_back(f.town_code);
  }
  if (!f.state.empty()) {
    sql += " AND g.state = ?";
    params.emplace_back(f.state);
  }
  if (!f.kind.empty()) {
    sql += " AND g.kind = ?";
    params.emplace_back(f.kind);
  }
  if (f.batch_id > 0) {
    sql += " AND g.batch_id = ?";
    params.emplace_back(f.batch_id);
  }
  sql += " ORDER BY g.id LIMIT ?";
  params.emplace_back(std::int64_t{f.limit});
  return All<GrantRecord>(c.Query(sql, params), GrantFromRow);
}

Result<std::vector<GrantWithItem>> TownGrantsWithItems(Connection& c, const std::string& town_code,
                                                       const std::string& state) {
  return All<GrantWithItem>(
      c.Query(std::string("SELECT ") + kGrantColumns + ", p.item" + kGrantJoins +
                  " WHERE g.town_code = ? AND g.state = ? ORDER BY g.power_code",
              {town_code, state}),
      [](const Row& r) {
        return GrantWithItem{GrantFromRow(r), r.Text(20)};
      });
}

// ---- versions ---------------------------------------------------------------

Status InsertVersion(Connection& c, const VersionRecord& v, std::int64_t now) {
  return Done(
      c.Exec("INSERT INTO town_catalogue_versions (town_code, version, published_at, items, "
             "content_hash, item_count, counts, ledger_index, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             {v.town_code, v.version, v.published_at, v.items, v.content_hash, v.item_count,
              v.counts, v.ledger_index, now}));
}

Result<std::optional<VersionRecord>> GetVersion(Connection& c, const std::string& town_code,
                                                std::int64_t version, bool with_items) {
  std::string sql = std::string("SELECT ") + kVersionColumns + (with_items ? ", items" : "") +
                    " FROM town_catalogue_versions WHERE town_code = ? AND version = ?";
  return One<VersionRecord>(c.QueryOne(sql, {town_code, version}), [with_items](const Row& r) {
    VersionRecord v = VersionFromRow(r);
    if (with_items) v.items = r.Text(7);
    return v;
  });
}

Result<std::optional<VersionRecord>> LatestVersion(Connection& c, const std::string& town_code) {
  return One<VersionRecord>(c.QueryOne(std::string("SELECT ") + kVersionColumns +
                                           " FROM town_catalogue_versions WHERE town_code = ? "
                                           "ORDER BY version DESC LIMIT 1",
                                       {town_code}),
                            [](const Row& r) { return VersionFromRow(r); });
}

Result<std::vector<VersionRecord>> ListVersions(Connection& c, const std::string& town_code) {
  return All<VersionRecord>(
      c.Query(std::string("SELECT ") + kVersionColumns +
                  " FROM town_catalogue_versions WHERE town_code = ? ORDER BY version DESC",
              {town_code}),
      [](const Row& r) { return VersionFromRow(r); });
}

Result<std::vector<TownCatalogueRecord>> ListTownCatalogues(Connection& c,
                                                            const std::string& scope_path,
                                                            const std::string& after_code,
                                                            int limit) {
  auto [from, to] = PathRange(scope_path);
  auto rows = c.Query(
      "SELECT r.code, r.name, r.parent_code, r.is_pilot, v.town_code, v.version, "
      "v.published_at, v.content_hash, v.item_count, v.counts, v.ledger_index "
      "FROM regions r LEFT JOIN town_catalogue_versions v ON v.town_code = r.code AND "
      "v.version = (SELECT MAX(version) FROM town_catalogue_versions x WHERE x.town_code = r.code) "
      "WHERE r.level = 'town' AND r.path >= ? AND r.path < ? AND r.code > ? "
      "ORDER BY r.code LIMIT ?",
      {from, to, after_code, std::int64_t{limit}});
  return All<TownCatalogueRecord>(std::move(rows), [](const Row& r) {
    TownCatalogueRecord t{r.Text(0), r.Text(1), r.Text(2), r.Int(3) != 0, std::nullopt};
    if (!r.IsNull(5)) t.latest = VersionFromRow(r, 4);
    return t;
  });
}

}  // namespace quanze::store
