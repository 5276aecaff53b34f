#include "store/records.h"
#include "store/row_helpers.h"

namespace quanze::store {
namespace {

using rows::All;
using rows::Done;
using rows::One;
using rows::OptValue;
using rows::PathRange;



RegionRecord RegionFromRow(const Row& r) {
  RegionRecord out;
  out.code = r.Text(0);
  out.name = r.Text(1);
  out.level = r.Text(2);
  out.parent_code = r.OptText(3);
  out.path = r.Text(4);
  out.is_pilot = r.Int(5) != 0;
  out.indicators = r.Text(6);
  out.is_demo = r.Int(7) != 0;
  return out;
}

constexpr const char* kRegionColumns =
    "code, name, level, parent_code, path, is_pilot, indicators, is_demo";

UserRecord UserFromRow(const Row& r) {
  UserRecord u;
  u.id = r.Int(0);
  u.name = r.Text(1);
  u.role = r.Text(2);
  u.scope = r.Text(3);
  u.password_hash = r.Text(4);
  u.disabled = r.Int(5) != 0;
  u.created_at = r.Int(6);
  return u;
}


}  // namespace

// ---- regions --------------------------------------------------------------

Status InsertRegion(Connection& c, const RegionRecord& r, std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO regions (code, name, level, parent_code, path, is_pilot, indicators, is_demo, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.code, r.name, r.level, OptValue(r.parent_code), r.path, std::int64_t{r.is_pilot},
       r.indicators, std::int64_t{r.is_demo}, now}));
}

Result<std::optional<RegionRecord>> GetRegion(Connection& c, const std::string& code) {
  return One<RegionRecord>(
      c.QueryOne(std::string("SELECT ") + kRegionColumns + " FROM regions WHERE code = ?", {code}),
      RegionFromRow);
}

Result<std::vector<RegionRecord>> ListRegions(Connection& c, const std::string& scope_path,
                                              const std::optional<std::string>& parent,
                                              const std::string& after_code, int limit) {
  std::string prefix = scope_path == "all" ? "/" : scope_path;
  // Range scan on path instead of LIKE so that no character needs escaping.
  std::string prefix_end = prefix;
  prefix_end.back() = static_cast<char>(prefix_end.back() + 1);
  std::string sql = std::string("SELECT ") + kRegionColumns +
                    " FROM regions WHERE path >= ? AND path < ? AND code > ?";
  Params params = {prefix, prefix_end, after_code};
  if (parent) {
    sql += " AND parent_code = ?";
    params.emplace_back(*parent);
  }
  sql += " ORDER BY code LIMIT ?";
  params.emplace_back(std::int64_t{limit});
  auto rows = c.Query(sql, params);
  if (!rows.ok()) return rows.take_error();
  std::vector<RegionRecord> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(RegionFromRow(r));
  return out;
}

Result<std::int64_t> CountRegions(Connection& c) {
  auto row = c.QueryOne("SELECT COUNT(*) FROM regions");
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

// ---- users ----------------------------------------------------------------

Result<std::int64_t> InsertUser(Connection& c, const UserRecord& u, std::int64_t now) {
  auto row = c.QueryOne(
      "INSERT INTO users (name, role, scope, password_hash, disabled, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {u.name, u.role, u.scope, u.password_hash, std::int64_t{u.disabled}, now, now});
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

constexpr const char* kUserColumns =
    "u.id, u.name, u.role, u.scope, u.password_hash, u.disabled, u.created_at";

Result<std::optional<UserRecord>> FindUserByName(Connection& c, const std::string& name) {
  return One<UserRecord>(
      c.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.name = ?", {name}),
      UserFromRow);
}

Result<std::optional<UserRecord>> FindUserById(Connection& c, std::int64_t id) {
  return One<UserRecord>(
      c.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = ?", {id}),
      UserFromRow);
}

Result<std::vector<UserRecord>> ListUsers(Connection& c) {
  auto rows = c.Query(std::string("SELECT ") + kUserColumns + " FROM users u ORDER BY u.name");
  if (!rows.ok()) return rows.take_error();
  std::vector<UserRecord> out;
  for (const Row& r : *rows) out.push_back(UserFromRow(r));
  return out;
}

Status UpdatePasswordHash(Connection& c, std::int64_t user_id, const std::string& hash,
                          std::int64_t now) {
  return Done(c.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                     {hash, now, user_id}));
}

Status SetUserDisabled(Connection& c, std::int64_t user_id, bool disabled, std::int64_t now) {
  return Done(c.Exec("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
                     {std::int64_t{disabled}, now, user_id}));
}

Result<std::int64_t> DeleteUserTokens(Connection& c, std::int64_t user_id) {
  return c.Exec("DELETE FROM api_tokens WHERE user_id = ?", {user_id});
}

Status InsertToken(Connection& c, std::int64_t user_id, const std::string& token_hash,
                   std::int64_t now, std::int64_t expires_at) {
  return Done(c.Exec(
      "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
      {user_id, token_hash, now, expires_at}));
}

Result<std::optional<UserRecord>> FindUserByToken(Connection& c, const std::string& token_hash,
                                                  std::int64_t now) {
  return One<UserRecord>(
      c.QueryOne(std::string("SELECT ") + kUserColumns +
                     " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                     " WHERE t.token_hash = ? AND t.expires_at > ?",
                 {token_hash, now}),
      UserFromRow);
}

Status InsertSession(Connection& c, const SessionRecord& s) {
  return Done(c.Exec(
      "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {s.id_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at}));
}

Result<std::optional<SessionRecord>> FindSession(Connection& c, const std::string& id_hash) {
  return One<SessionRecord>(
      c.QueryOne("SELECT id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at "
                 "FROM sessions WHERE id_hash = ?",
                 {id_hash}),
      [](const Row& r) {
        return SessionRecord{r.Text(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5)};
      });
}

Status TouchSession(Connection& c, const std::string& id_hash, std::int64_t now) {
  return Done(c.Exec("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {now, id_hash}));
}

Status DeleteSession(Connection& c, const std::string& id_hash) {
  return Done(c.Exec("DELETE FROM sessions WHERE id_hash = ?", {id_hash}));
}

Status DeleteUserSessions(Connection& c, std::int64_t user_id) {
  return Done(c.Exec("DELETE FROM sessions WHERE user_id = ?", {user_id}));
}

Result<ThrottleRecord> GetThrottle(Connection& c, const std::string& key) {
  auto row = c.QueryOne(
      "SELECT failures, last_failure_at, locked_until FROM login_throttle WHERE key = ?", {key});
  if (!row.ok()) return row.take_error();
  if (!*row) return ThrottleRecord{};
  return ThrottleRecord{static_cast<int>((*row)->Int(0)), (*row)->Int(1), (*row)->Int(2)};
}

Status PutThrottle(Connection& c, const std::string& key, const ThrottleRecord& t) {
  return Done(c.Exec(
      "INSERT INTO login_throttle (key, failures, last_failure_at, locked_until) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
      "last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until",
      {key, std::int64_t{t.failures}, t.last_failure_at, t.locked_until}));
}

Status ClearThrottle(Connection& c, const std::string& key) {
  return Done(c.Exec("DELETE FROM login_throttle WHERE key = ?", {key}));
}

namespace {
Result<ThrottleSummary> SummariseAndDelete(Connection& c, const std::string& where,
                                           const Params& params) {
  auto row = c.QueryOne(
      "SELECT COUNT(*), COALESCE(SUM(failures), 0) FROM login_throttle WHERE "
      "failures > 1 AND (" +
          where + ")",
      params);
  if (!row.ok()) return row.take_error();
  ThrottleSummary out;
  if (*row) out = {(*row)->Int(0), (*row)->Int(1)};
  auto deleted = c.Exec("DELETE FROM login_throttle WHERE " + where, params);
  if (!deleted.ok()) return deleted.take_error();
  return out;
}
}  // namespace

Result<ThrottleSummary> PruneThrottles(Connection& c, std::int64_t stale_before, std::int64_t now) {
  return SummariseAndDelete(c, "last_failure_at < ? AND locked_until <= ?", {stale_before, now});
}

Result<ThrottleSummary> ClearAccountThrottles(Connection& c, const std::string& account) {
  // '|' + 1 == '}': a range scan on the primary key, no LIKE escaping.
  return SummariseAndDelete(c, "key = ? OR (key > ? AND key < ?)",
                            {"user:" + account, "user:" + account + "|", "user:" + account + "}"});
}

// ---- settings -------------------------------------------------------------

Result<std::optional<std::string>> GetSetting(Connection& c, const std::string& key) {
  return One<std::string>(c.QueryOne("SELECT value FROM instance_settings WHERE key = ?", {key}),
                          [](const Row& r) { return r.Text(0); });
}

Status PutSetting(Connection& c, const std::string& key, const std::string& value) {
  return Done(c.Exec(
      "INSERT INTO instance_settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {key, value}));
}

Status IncrementSetting(Connection& c, const std::string& key) {
  return Done(c.Exec(
      "INSERT INTO instance_settings (key, value) VALUES (?, '1') "
      "ON CONFLICT (key) DO UPDATE SET "
      "value = CAST(CAST(instance_settings.value AS BIGINT) + 1 AS TEXT)",
      {key}));
}

// ---- ledger ---------------------------------------------------------------

Result<std::int64_t> LedgerSize(Connection& c) {
  auto row = c.QueryOne("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries");
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

Status InsertLedgerEntry(Connection& c, const LedgerEntryRecord& e) {
  return Done(c.Exec(
      "INSERT INTO ledger_entries (idx, type, at, entry, leaf_hash) VALUES (?, ?, ?, ?, ?)",
      {e.idx, e.type, e.at, Blob{e.entry}, Blob{e.leaf_hash}}));
}

Result<std::int64_t> DatabaseBytes(Connection& c) {
  auto row = c.QueryOne(c.Dialect() == "postgres"
                            ? "SELECT pg_database_size(current_database())"
                            : "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
  if (!row.ok()) return row.take_error();
  return *row ? (*row)->Int(0) : 0;
}

Status InsertLedgerEntries(Connection& c, const std::vector<LedgerEntryRecord>& entries) {
  std::vector<Params> rows;
  rows.reserve(entries.size());
  for (const LedgerEntryRecord& e : entries) {
    rows.push_back({e.idx, e.type, e.at, Blob{e.entry}, Blob{e.leaf_hash}});
  }
  return InsertMany(c, "INSERT INTO ledger_entries (idx, type, at, entry, leaf_hash)", 5, rows);
}

namespace {
LedgerEntryRecord EntryFromRow(const Row& r) {
  return LedgerEntryRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)};
}
}  // namespace

Result<std::optional<LedgerEntryRecord>> GetLedgerEntry(Connection& c, std::int64_t idx) {
  return One<LedgerEntryRecord>(
      c.QueryOne("SELECT idx, type, at, entry, leaf_hash FROM ledger_entries WHERE idx = ?", {idx}),
      EntryFromRow);
}

Result<std::vector<LedgerEntryRecord>> ListLedgerEntries(Connection& c, std::int64_t from,
                                                         int limit) {
  auto rows = c.Query(
      "SELECT idx, type, at, entry, leaf_hash FROM ledger_entries WHERE idx >= ? AND idx < ? "
      "ORDER BY idx",
      {from, from + limit});
  if (!rows.ok()) return rows.take_error();
  std::vector<LedgerEntryRecord> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(EntryFromRow(r));
  return out;
}

Result<std::vector<std::pair<std::int64_t, std::string>>> ListLedgerHashes(Connection& c,
                                                                           std::int64_t from,
                                                                           int limit) {
  auto rows = c.Query("SELECT id, hash FROM ledger_hashes WHERE id >= ? AND id < ? ORDER BY id",
                      {from, from + limit});
  if (!rows.ok()) return rows.take_error();
  std::vector<std::pair<std::int64_t, std::string>> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.emplace_back(r.Int(0), r.Text(1));
  return out;
}

Status InsertLedgerHash(Connection& c, std::int64_t id, const std::string& hash) {
  return Done(c.Exec("INSERT INTO ledger_hashes (id, hash) VALUES (?, ?)", {id, Blob{hash}}));
}

Status InsertLedgerHashes(Connection& c,
                          const std::vector<std::pair<std::int64_t, std::string>>& hashes) {
  std::vector<Params> rows;
  rows.reserve(hashes.size());
  for (const auto& [id, hash] : hashes) rows.push_back({id, Blob{hash}});
  return InsertMany(c, "INSERT INTO ledger_hashes (id, hash)", 2, rows);
}

Result<std::vector<std::string>> ReadLedgerHashes(Connection& c,
                                                  const std::vector<std::int64_t>& ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    auto row = c.QueryOne("SELECT hash FROM ledger_hashes WHERE id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!*row) {
      return MakeError(ErrorCode::kInternal, "日志哈希缺失：" + std::to_string(id),
                       "stored ledger hash missing: " + std::to_string(id));
    }
    out.push_back((*row)->Text(0));
  }
  return out;
}

Status InsertCheckpoint(Connection& c, const CheckpointRecord& cp) {
  return Done(c.Exec(
      "INSERT INTO ledger_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (size) DO NOTHING",
      {cp.size, Blob{cp.root}, cp.note, cp.created_at}));
}

Result<std::optional<CheckpointRecord>> LatestCheckpoint(Connection& c) {
  return One<CheckpointRecord>(
      c.QueryOne("SELECT size, root, note, created_at FROM ledger_checkpoints "
                 "ORDER BY size DESC LIMIT 1"),
      [](const Row& r) { return CheckpointRecord{r.Int(0), r.Text(1), r.Text(2), r.Int(3)}; });
}

Result<std::vector<CheckpointRecord>> ListCheckpoints(Connection& c) {
  auto rows = c.Query("SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size");
  if (!rows.ok()) return rows.take_error();
  std::vector<CheckpointRecord> out;
  for (const Row& r : *rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Int(3)});
  return out;
}

Status InsertPersonalData(Connection& c, const std::string& commitment, const std::string& kind,
                          const std::string& value, std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO personal_data (commitment, kind, value, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (commitment) DO NOTHING",
      {commitment, kind, value, now}));
}

}  // namespace quanze::store
