// LedgerService: the public face of the verifiable log — signing keys,
// signed checkpoints, inclusion and consistency proofs, entries — and the
// full verification behind `quanze verify --db`.
//
// Checkpoints are signed on demand (when a reader asks for the latest one
// and the log has grown) but at most once per `min_interval`; every signed
// checkpoint is stored, and before signing the service proves the new tree
// consistent with the previous checkpoint, so it never signs two
// inconsistent checkpoints.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/writer.h"
#include "ledger/note.h"
#include "store/db.h"

namespace quanze::app {

struct LedgerKeys {
  ledger::NoteSigner signer;
  std::string commitment_secret;  // raw bytes
};

// Loads the signing key and the commitment secret from their files, creating
// them (mode 0600) when absent and `may_create` (a database whose log is still
// empty). For a log that exists a missing file is an input error (kBadRequest):
// a new key would sign checkpoints that match none already published, a new
// secret commitments that match none already in the log.
// `origin` names the log in new keys.
Result<LedgerKeys> LoadOrCreateLedgerKeys(const std::string& key_file,
                                          const std::string& secret_file,
                                          const std::string& origin, bool may_create = true);

class LedgerService {
 public:
  LedgerService(store::Database& db, Writer& writer, const ledger::NoteSigner& signer,
                const Clock& clock, std::string origin, std::chrono::milliseconds min_interval);

  std::string VerifierKey() const { return signer_.VerifierKey(); }
  const std::string& origin() const { return origin_; }

  // The latest signed checkpoint note, signing a new one first if the log
  // has grown and the last signature is older than the minimum interval.
  Result<std::string> LatestCheckpoint();
  // Signs a checkpoint of the current log now (if it grew) and returns it.
  Result<std::string> SignNow();

  Result<std::int64_t> Size();
  // The size as of this process's last commit, falling back to Size().
  Result<std::int64_t> ApproximateSize();
  // {"index","size","leaf_hash","hashes"}; kBadRequest for index >= size or size beyond the log.
  Result<nlohmann::json> InclusionProof(std::int64_t index, std::int64_t size);
  // {"from","to","hashes"}; kBadRequest for from > to or to beyond the log.
  Result<nlohmann::json> ConsistencyProof(std::int64_t from, std::int64_t to);
  // {"index","type","at","leaf_hash","entry":<parsed event>}.
  Result<nlohmann::json> Entry(std::int64_t index);
  Result<std::string> RawEntry(std::int64_t index);

 private:
  Result<std::string> Sign(Tx& tx);

  store::Database& db_;
  Writer& writer_;
  const ledger::NoteSigner& signer_;
  const Clock& clock_;
  std::string origin_;
  std::chrono::milliseconds min_interval_;
  std::mutex sign_mu_;
  std::chrono::steady_clock::time_point last_sign_{};
  std::atomic<std::int64_t> startup_size_{-1};
};

// Result of a full verification of a database's log.
struct VerifyReport {
  std::int64_t entries = 0;
  std::int64_t checkpoints = 0;
  std::optional<std::int64_t> first_bad_index;  // entry or stored hash that does not match
  std::vector<std::string> problems;            // human-readable, zh / en
  bool ok() const { return problems.empty(); }
};

// Recomputes every leaf and stored hash from the stored entries, checks every
// stored checkpoint's signature against `verifier_key` and root, and their
// pairwise consistency. `progress(done, total)` is called now and then.
Result<VerifyReport> VerifyLog(store::Database& db, const std::string& verifier_key,
                               const std::function<void(std::int64_t, std::int64_t)>& progress);

}  // namespace quanze::app
