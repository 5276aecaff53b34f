// VerifyLog: the full audit behind `quanze verify --db`.
#include <algorithm>
#include <map>

#include "app/ledger_service.h"
#include "ledger/note.h"
#include "ledger/tree.h"
#include "store/records.h"

namespace quanze::app {
namespace {

// All stored hashes recomputed from the entries, indexed by stored-hash id.
class VectorReader final : public ledger::HashReader {
 public:
  Result<std::vector<ledger::Hash>> ReadHashes(std::span<const std::int64_t> indexes) override {
    std::vector<ledger::Hash> out;
    out.reserve(indexes.size());
    for (std::int64_t i : indexes) {
      if (i < 0 || i >= static_cast<std::int64_t>(hashes.size())) {
        return MakeError(ErrorCode::kInternal, "重算哈希越界", "recomputed hash index out of range");
      }
      out.push_back(hashes[static_cast<std::size_t>(i)]);
    }
    return out;
  }
  std::vector<ledger::Hash> hashes;
};

std::string Bytes(const ledger::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

}  // namespace

Result<VerifyReport> VerifyLog(store::Database& db, const std::string& verifier_key,
                               const std::function<void(std::int64_t, std::int64_t)>& progress) {
  VerifyReport report;
  QZ_ASSIGN_OR_RETURN(auto verifier, ledger::NoteVerifier::FromVerifierKey(verifier_key));
  ledger::Hasher hasher;
  VectorReader recomputed;
  std::vector<store::CheckpointRecord> checkpoints;
  auto flag = [&](std::int64_t index, const std::string& zh, const std::string& en) {
    if (!report.first_bad_index || index < *report.first_bad_index) report.first_bad_index = index;
    report.problems.push_back(zh + " / " + en);
  };

  QZ_TRY(db.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(std::int64_t total, store::LedgerSize(c));
    recomputed.hashes.reserve(static_cast<std::size_t>(ledger::StoredHashCount(total)));
    constexpr int kBatch = 20000;
    for (std::int64_t from = 0; from < total; from += kBatch) {
      QZ_ASSIGN_OR_RETURN(auto entries, store::ListLedgerEntries(c, from, kBatch));
      for (const auto& e : entries) {
        std::int64_t expected = report.entries;
        if (e.idx != expected) {
          flag(expected, "日志缺少第 " + std::to_string(expected) + " 条",
               "entry " + std::to_string(expected) + " is missing");
          return Ok();
        }
        ledger::Hash leaf = hasher.Leaf(e.entry);
        if (Bytes(leaf) != e.leaf_hash) {
          flag(e.idx, "第 " + std::to_string(e.idx) + " 条内容与其叶哈希不符（已被篡改）",
               "entry " + std::to_string(e.idx) + " does not match its leaf hash (tampered)");
        }
        QZ_ASSIGN_OR_RETURN(auto stored, ledger::StoredHashesForRecord(e.idx, leaf, recomputed));
        for (const auto& h : stored) recomputed.hashes.push_back(h);
        report.entries += 1;
      }
      if (progress) progress(report.entries, total);
    }
    // Compare the stored-hash index with the recomputed one.
    std::int64_t n_hashes = static_cast<std::int64_t>(recomputed.hashes.size());
    // The first record that wrote stored hash `id`.
    auto record_of = [&](std::int64_t id) {
      std::int64_t rec = 0;
      while (rec < report.entries && ledger::StoredHashIndex(0, rec + 1) <= id) ++rec;
      return rec;
    };
    for (std::int64_t from = 0; from < n_hashes; from += 50000) {
      int limit = static_cast<int>(std::min<std::int64_t>(50000, n_hashes - from));
      QZ_ASSIGN_OR_RETURN(auto rows, store::ListLedgerHashes(c, from, limit));
      std::int64_t expect_id = from;
      for (const auto& [id, hash] : rows) {
        if (id != expect_id ||
            hash != Bytes(recomputed.hashes[static_cast<std::size_t>(id)])) {
          break;
        }
        ++expect_id;
      }
      if (expect_id < from + limit) {
        std::int64_t rec = record_of(expect_id);
        flag(rec, "存储的树哈希 " + std::to_string(expect_id) + " 缺失或与重算值不符（第 " + std::to_string(rec) + " 条附近）",
             "stored tree hash " + std::to_string(expect_id) + " is missing or does not match (near entry " +
                 std::to_string(rec) + ")");
        break;
      }
    }
    // Stored hashes beyond those the entries account for: entries were removed.
    QZ_ASSIGN_OR_RETURN(auto extra, store::ListLedgerHashes(c, n_hashes, 1));
    if (!extra.empty()) {
      flag(report.entries, "存储的树哈希多于日志条目所需（日志可能被截断）",
           "there are more stored tree hashes than the entries account for (the log may have been truncated)");
    }
    QZ_ASSIGN_OR_RETURN(checkpoints, store::ListCheckpoints(c));
    return Ok();
  }));

  // Checkpoints: signature, root, and pairwise consistency (via the recomputed tree).
  const store::CheckpointRecord* previous = nullptr;
  std::map<std::int64_t, ledger::Hash> roots;
  for (const auto& cp : checkpoints) {
    report.checkpoints += 1;
    auto body = verifier.Verify(cp.note);
    if (!body.ok()) {
      flag(cp.size > 0 ? cp.size - 1 : 0,
           "大小为 " + std::to_string(cp.size) + " 的检查点签名无效",
           "checkpoint of size " + std::to_string(cp.size) + " has an invalid signature");
      continue;
    }
    auto parsed = ledger::ParseCheckpoint(*body);
    if (!parsed.ok() || parsed->size != cp.size) {
      flag(cp.size > 0 ? cp.size - 1 : 0, "检查点内容无效", "checkpoint body is invalid");
      continue;
    }
    if (cp.size > report.entries) {
      flag(report.entries, "检查点大小 " + std::to_string(cp.size) + " 超出日志条数",
           "checkpoint size " + std::to_string(cp.size) + " exceeds the log");
      continue;
    }
    auto root = ledger::TreeHash(cp.size, recomputed);
    if (!root.ok() || !ledger::HashEqual(*root, parsed->root)) {
      flag(cp.size > 0 ? cp.size - 1 : 0,
           "大小为 " + std::to_string(cp.size) + " 的检查点树根与重算值不符",
           "checkpoint of size " + std::to_string(cp.size) + " has a root that does not match the log");
      continue;
    }
    if (previous) {
      auto proof = ledger::ProveConsistency(previous->size, cp.size, recomputed);
      if (!proof.ok() || !ledger::VerifyConsistency(hasher, previous->size, cp.size,
                                                     roots[previous->size], parsed->root, *proof)) {
        flag(previous->size, "检查点 " + std::to_string(previous->size) + " 与 " + std::to_string(cp.size) + " 不一致",
             "checkpoints " + std::to_string(previous->size) + " and " + std::to_string(cp.size) +
                 " are not consistent");
      }
    }
    roots[cp.size] = parsed->root;
    previous = &cp;
  }
  return report;
}

}  // namespace quanze::app
