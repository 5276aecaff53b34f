// Journal: the one function through which every state change records its
// event in the verifiable log (全程留痕), inside the caller's transaction.
//
// An event becomes an entry: the RFC 8785 canonical JSON of
//   {"v":1,"seq":I,"type":...,"at":RFC3339,"actor":{...},"subject":{...},"data":{...}}
// whose leaf hash SHA-256(0x00||entry) and the stored-hash index (Go sumdb
// tlog layout) are written with it. See docs/ledger-format.md.
//
// Personal data of natural persons never enters an entry in clear: callers
// pass it through Commit(), which stores the clear value in the erasable
// personal_data table and returns "hmac-sha256:<base64>" for the entry.
//
// Thread safety: used only by the writer thread (app::Writer).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "ledger/hash.h"
#include "store/db.h"
#include "store/records.h"

namespace quanze::app {

// Who did it: the account, and (for acts of power) the person and post.
struct Actor {
  std::optional<std::int64_t> user_id;
  std::string role;  // account role code, "" for the public or the system
  std::optional<std::int64_t> person_id;
  std::optional<std::int64_t> post_id;
  std::string channel = "system";  // system | cli | http | public

  nlohmann::json ToJson() const;
  static Actor System() { return Actor{}; }
  static Actor Cli() { Actor a; a.channel = "cli"; return a; }
  static Actor Public() { Actor a; a.channel = "http"; return a; }
};

struct Event {
  std::string type;  // e.g. "user.created", "login.failed", "grant.effective"
  Actor actor;
  std::string subject_kind;  // e.g. "user", "region", "grant"
  std::string subject_id;
  nlohmann::json data = nlohmann::json::object();
};

// The receipt (存证回执) handed back for every recorded event.
struct Receipt {
  std::int64_t index = 0;
  ledger::Hash leaf_hash{};
  nlohmann::json ToJson() const;  // {"index":I,"leaf_hash":"<base64>"}
};

class Journal {
 public:
  explicit Journal(std::string commitment_secret);

  // Loads the log size from the database at the start of a transaction.
  Status BeginTransaction(store::Connection& conn);
  // Appends an event as the next entry. Fails only on storage errors.
  Result<Receipt> Append(store::Connection& conn, const Event& event, Instant now);
  // Keyed commitment of a personal value; stores the clear value.
  Result<std::string> Commit(store::Connection& conn, const std::string& kind,
                             const std::string& value, Instant now);
  // Commitment without storing (for matching, e.g. failed-login names).
  std::string Commitment(const std::string& kind, const std::string& value) const;

  // Savepoint support: the size to return to when a unit of work rolls back.
  std::int64_t Mark() const { return size_; }
  void Reset(std::int64_t mark);
  std::int64_t size() const { return size_; }

  // Bulk mode, for generators writing millions of entries: until FlushBulk,
  // entries and stored hashes are kept in memory (the tree's hashes are read
  // from there first) and then written with multi-row inserts — one round
  // trip per 500 rows instead of three per entry. app::Writer flushes after
  // each unit's work and ends bulk mode; a unit in bulk mode must not read
  // the log back through the connection before then.
  void BeginBulk() { bulk_ = true; }
  Status FlushBulk(store::Connection& conn);
  void EndBulk();

 private:
  std::string secret_;
  std::int64_t size_ = 0;
  bool bulk_ = false;
  std::vector<store::LedgerEntryRecord> pending_entries_;
  std::map<std::int64_t, std::string> pending_hashes_;  // stored-hash id → hash
};

}  // namespace quanze::app
