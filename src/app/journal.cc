#include "app/journal.h"

#include "ledger/canonical_json.h"
#include "app/ledger_reader.h"
#include "ledger/tree.h"
#include "store/records.h"

namespace quanze::app {
namespace {

std::string HashBytes(const ledger::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

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

  ConnectionHashReader reader(conn);
  QZ_ASSIGN_OR_RETURN(std::vector<ledger::Hash> stored,
                      ledger::StoredHashesForRecord(index, leaf, reader));
  std::int64_t first_id = ledger::StoredHashIndex(0, index);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    QZ_TRY(store::InsertLedgerHash(conn, first_id + static_cast<std::int64_t>(i),
                                   HashBytes(stored[i])));
  }
  QZ_TRY(store::InsertLedgerEntry(conn, {index, event.type, at, bytes, HashBytes(leaf)}));
  size_ = index + 1;
  return Receipt{index, leaf};
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
