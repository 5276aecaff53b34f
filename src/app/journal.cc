#include "app/journal.h"

#include <algorithm>
#include <span>

#include "ledger/canonical_json.h"
#include "app/ledger_reader.h"
#include "ledger/tree.h"
#include "store/records.h"

namespace quanze::app {
namespace {

std::string HashBytes(const ledger::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

// Reads stored hashes from the bulk buffer first, then from the database.
class BulkHashReader final : public ledger::HashReader {
 public:
  BulkHashReader(const std::map<std::int64_t, std::string>& pending, store::Connection& conn)
      : pending_(pending), db_(conn) {}
  Result<std::vector<ledger::Hash>> ReadHashes(std::span<const std::int64_t> indexes) override {
    std::vector<ledger::Hash> out(indexes.size());
    std::vector<std::int64_t> missing;
    std::vector<std::size_t> where;
    for (std::size_t i = 0; i < indexes.size(); ++i) {
      auto it = pending_.find(indexes[i]);
      if (it == pending_.end()) {
        missing.push_back(indexes[i]);
        where.push_back(i);
      } else {
        std::copy(it->second.begin(), it->second.end(), out[i].begin());
      }
    }
    if (!missing.empty()) {
      QZ_ASSIGN_OR_RETURN(std::vector<ledger::Hash> read, db_.ReadHashes(missing));
      for (std::size_t k = 0; k < where.size(); ++k) out[where[k]] = read[k];
    }
    return out;
  }

 private:
  const std::map<std::int64_t, std::string>& pending_;
  ConnectionHashReader db_;
};

}  // namespace

nlohmann::json Actor::ToJson() const {
  nlohmann::json j = nlohmann::json::object();
  j["channel"] = channel;
  if (user_id) j["user_id"] = *user_id;
  if (!role.empty()) j["role"] = role;
  if (person_id) j["person_id"] = *person_id;
  if (post_id) j["post_id"] = *post_id;
  return j;
}

nlohmann::json Receipt::ToJson() const {
  return {{"index", index}, {"leaf_hash", ledger::Base64Encode(leaf_hash)}};
}

Journal::Journal(std::string commitment_secret) : secret_(std::move(commitment_secret)) {}

Status Journal::BeginTransaction(store::Connection& conn) {
  auto size = store::LedgerSize(conn);
  if (!size.ok()) return size.take_error();
  size_ = *size;
  return Ok();
}

Result<Receipt> Journal::Append(store::Connection& conn, const Event& event, Instant now) {
  std::int64_t index = size_;
  std::string at = FormatRfc3339(now);
  nlohmann::json entry = {
      {"v", 1},
      {"seq", index},
      {"type", event.type},
      {"at", at},
      {"actor", event.actor.ToJson()},
      {"subject", {{"kind", event.subject_kind}, {"id", event.subject_id}}},
      {"data", event.data},
  };
  QZ_ASSIGN_OR_RETURN(std::string bytes, ledger::CanonicalJson(entry));
  ledger::Hasher& hasher = ledger::ThreadLocalHasher();
  ledger::Hash leaf = hasher.Leaf(bytes);

  std::int64_t first_id = ledger::StoredHashIndex(0, index);
  if (bulk_) {
    BulkHashReader reader(pending_hashes_, conn);
    QZ_ASSIGN_OR_RETURN(std::vector<ledger::Hash> stored,
                        ledger::StoredHashesForRecord(index, leaf, reader));
    for (std::size_t i = 0; i < stored.size(); ++i) {
      pending_hashes_.emplace(first_id + static_cast<std::int64_t>(i), HashBytes(stored[i]));
    }
    pending_entries_.push_back({index, event.type, at, std::move(bytes), HashBytes(leaf)});
    size_ = index + 1;
    return Receipt{index, leaf};
  }
  ConnectionHashReader reader(conn);
  QZ_ASSIGN_OR_RETURN(std::vector<ledger::Hash> stored,
                      ledger::StoredHashesForRecord(index, leaf, reader));
  for (std::size_t i = 0; i < stored.size(); ++i) {
    QZ_TRY(store::InsertLedgerHash(conn, first_id + static_cast<std::int64_t>(i),
                                   HashBytes(stored[i])));
  }
  QZ_TRY(store::InsertLedgerEntry(conn, {index, event.type, at, bytes, HashBytes(leaf)}));
  size_ = index + 1;
  return Receipt{index, leaf};
}

void Journal::Reset(std::int64_t mark) {
  size_ = mark;
  if (!bulk_) return;
  while (!pending_entries_.empty() && pending_entries_.back().idx >= mark) pending_entries_.pop_back();
  pending_hashes_.erase(pending_hashes_.lower_bound(ledger::StoredHashIndex(0, mark)),
                        pending_hashes_.end());
}

Status Journal::FlushBulk(store::Connection& conn) {
  if (!bulk_) return Ok();
  std::vector<std::pair<std::int64_t, std::string>> hashes(pending_hashes_.begin(),
                                                           pending_hashes_.end());
  Status s = store::InsertLedgerHashes(conn, hashes);
  if (s.ok()) s = store::InsertLedgerEntries(conn, pending_entries_);
  EndBulk();
  return s;
}

void Journal::EndBulk() {
  bulk_ = false;
  pending_entries_.clear();
  pending_hashes_.clear();
}

std::string Journal::Commitment(const std::string& kind, const std::string& value) const {
  ledger::Hash mac = ledger::HmacSha256(secret_, kind + '\n' + value);
  return "hmac-sha256:" + ledger::Base64Encode(mac);
}

Result<std::string> Journal::Commit(store::Connection& conn, const std::string& kind,
                                    const std::string& value, Instant now) {
  std::string commitment = Commitment(kind, value);
  QZ_TRY(store::InsertPersonalData(conn, commitment, kind, value, UnixSeconds(now)));
  return commitment;
}

}  // namespace quanze::app
