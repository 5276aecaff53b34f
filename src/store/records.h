// Typed repositories over a Connection: one function per query, portable SQL
// with `?` placeholders, shared by every backend. Callers (app/) own the
// transaction; these functions never begin or commit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/db.h"

namespace quanze::store {

// ---- regions --------------------------------------------------------------
struct RegionRecord {
  std::string code;
  std::string name;
  std::string level;  // province | city | county | town
  std::optional<std::string> parent_code;
  std::string path;
  bool is_pilot = false;
  std::string indicators = "{}";  // JSON object text
  bool is_demo = false;
};

Status InsertRegion(Connection& c, const RegionRecord& r, std::int64_t now);
Result<std::optional<RegionRecord>> GetRegion(Connection& c, const std::string& code);
// Regions under `scope_path` (a path prefix, or "all"), optionally children
// of `parent`, ordered by code, starting after `after_code`.
Result<std::vector<RegionRecord>> ListRegions(Connection& c, const std::string& scope_path,
                                              const std::optional<std::string>& parent,
                                              const std::string& after_code, int limit);
Result<std::int64_t> CountRegions(Connection& c);

// ---- users, tokens, sessions ---------------------------------------------
struct UserRecord {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  std::string scope;  // "all" or a region code
  std::string password_hash;
  bool disabled = false;
  std::int64_t created_at = 0;
};

Result<std::int64_t> InsertUser(Connection& c, const UserRecord& u, std::int64_t now);
Result<std::optional<UserRecord>> FindUserByName(Connection& c, const std::string& name);
Result<std::optional<UserRecord>> FindUserById(Connection& c, std::int64_t id);
Result<std::vector<UserRecord>> ListUsers(Connection& c);
Status UpdatePasswordHash(Connection& c, std::int64_t user_id, const std::string& hash,
                          std::int64_t now);
Status SetUserDisabled(Connection& c, std::int64_t user_id, bool disabled, std::int64_t now);

Status InsertToken(Connection& c, std::int64_t user_id, const std::string& token_hash,
                   std::int64_t now, std::int64_t expires_at);
// Deletes every token of the user; returns how many there were.
Result<std::int64_t> DeleteUserTokens(Connection& c, std::int64_t user_id);
// The user owning an unexpired token with this hash.
Result<std::optional<UserRecord>> FindUserByToken(Connection& c, const std::string& token_hash,
                                                  std::int64_t now);

struct SessionRecord {
  std::string id_hash;
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t last_seen_at = 0;
};
Status InsertSession(Connection& c, const SessionRecord& s);
Result<std::optional<SessionRecord>> FindSession(Connection& c, const std::string& id_hash);
Status TouchSession(Connection& c, const std::string& id_hash, std::int64_t now);
Status DeleteSession(Connection& c, const std::string& id_hash);
Status DeleteUserSessions(Connection& c, std::int64_t user_id);

struct ThrottleRecord {
  int failures = 0;
  std::int64_t last_failure_at = 0;
  std::int64_t locked_until = 0;
};
Result<ThrottleRecord> GetThrottle(Connection& c, const std::string& key);
Status PutThrottle(Connection& c, const std::string& key, const ThrottleRecord& t);
Status ClearThrottle(Connection& c, const std::string& key);
// What a set of deleted throttle rows held: rows with more than one failure
// (bursts whose count was never journaled) and their failures.
struct ThrottleSummary {
  std::int64_t bursts = 0;
  std::int64_t failures = 0;
};
// Deletes rows whose last failure is before `stale_before` and that are not
// locked at `now`.
Result<ThrottleSummary> PruneThrottles(Connection& c, std::int64_t stale_before, std::int64_t now);
// Deletes every row of `account` (all client addresses; the key prefix
// "user:NAME|", and the legacy key "user:NAME").
Result<ThrottleSummary> ClearAccountThrottles(Connection& c, const std::string& account);

// ---- instance settings ----------------------------------------------------
Result<std::optional<std::string>> GetSetting(Connection& c, const std::string& key);
Status PutSetting(Connection& c, const std::string& key, const std::string& value);
// Adds one to the integer setting `key` (absent counts as 0) in a single statement, so
// writers in several processes on one database never lose an increment.
Status IncrementSetting(Connection& c, const std::string& key);

// ---- ledger ---------------------------------------------------------------
struct LedgerEntryRecord {
  std::int64_t idx = 0;
  std::string type;
  std::string at;
  std::string entry;      // canonical JSON bytes
  std::string leaf_hash;  // 32 raw bytes
};
Result<std::int64_t> LedgerSize(Connection& c);
Status InsertLedgerEntry(Connection& c, const LedgerEntryRecord& e);
// The database's size on disk in bytes (SQLite: pages in use; PostgreSQL:
// pg_database_size).
Result<std::int64_t> DatabaseBytes(Connection& c);
// Many at once (multi-row INSERTs), for app::Journal's bulk mode.
Status InsertLedgerEntries(Connection& c, const std::vector<LedgerEntryRecord>& entries);
Result<std::optional<LedgerEntryRecord>> GetLedgerEntry(Connection& c, std::int64_t idx);
// Entries with idx in [from, from+limit), in order.
Result<std::vector<LedgerEntryRecord>> ListLedgerEntries(Connection& c, std::int64_t from,
                                                         int limit);
// Stored hashes with id in [from, from+limit), in id order, as (id, hash).
Result<std::vector<std::pair<std::int64_t, std::string>>> ListLedgerHashes(Connection& c,
                                                                           std::int64_t from,
                                                                           int limit);
Status InsertLedgerHash(Connection& c, std::int64_t id, const std::string& hash);
Status InsertLedgerHashes(Connection& c,
                          const std::vector<std::pair<std::int64_t, std::string>>& hashes);
// The stored hashes with these ids, in the order given; a missing one is an error.
Result<std::vector<std::string>> ReadLedgerHashes(Connection& c,
                                                  const std::vector<std::int64_t>& ids);

struct CheckpointRecord {
  std::int64_t size = 0;
  std::string root;  // 32 raw bytes
  std::string note;
  std::int64_t created_at = 0;
};
Status InsertCheckpoint(Connection& c, const CheckpointRecord& cp);
Result<std::optional<CheckpointRecord>> LatestCheckpoint(Connection& c);
Result<std::vector<CheckpointRecord>> ListCheckpoints(Connection& c);

Status InsertPersonalData(Connection& c, const std::string& commitment, const std::string& kind,
                          const std::string& value, std::int64_t now);

}  // namespace quanze::store
