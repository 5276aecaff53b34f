// The Merkle tree of the verifiable log: stored-hash index, tree heads and
// RFC 9162 inclusion and consistency proofs.
//
// Tree shape (RFC 9162 §2.1.1): MTH({}) = SHA-256(""); MTH({d0}) = leaf hash;
// MTH(D[n]) = Node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of 2 < n.
//
// Storage (golang.org/x/mod/sumdb/tlog semantics, docs/ledger-format.md §4):
// every complete subtree of 2^level records whose first record is n·2^level
// has one stored hash, at the dense position StoredHashIndex(level, n).
// Appending record n stores its leaf hash and the hashes of the subtrees it
// completes, at consecutive positions. For 4 records the positions are
//   0:(0,0) 1:(0,1) 2:(1,0) 3:(0,2) 4:(0,3) 5:(1,1) 6:(2,0)
// Stored hashes never change once written; a tree of any size n' <= n can be
// hashed and proven from the stored hashes of a tree of size n.
//
// Every function that reads stored hashes collects the positions it needs
// first and issues ONE HashReader::ReadHashes call of O(log n) positions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ledger/hash.h"

namespace quanze::ledger {

// The dense storage position of the hash of the complete subtree at `level`
// (0 = leaves) whose first record is n << level. Requires level >= 0, n >= 0.
std::int64_t StoredHashIndex(int level, std::int64_t n);

// The number of stored hashes of a tree of n records (= 2n - popcount(n)).
// Requires n >= 0.
std::int64_t StoredHashCount(std::int64_t n);

// Read access to stored hashes: a database table, a file, or memory.
class HashReader {
 public:
  virtual ~HashReader();
  // The hashes at the given storage positions, in the same order (positions
  // may repeat). An error (e.g. kNotFound for a position not yet written) is
  // passed through unchanged by every function below.
  virtual Result<std::vector<Hash>> ReadHashes(std::span<const std::int64_t> indexes) = 0;
};

// The hashes to store when appending record n whose leaf hash is `leaf`,
// given that the stored hashes of records 0..n-1 are readable through r.
// They go at StoredHashIndex(0, n) and the consecutive following positions
// (element 0 is `leaf` itself). Error kBadRequest if n < 0.
// Uses ThreadLocalHasher(); the overload takes an explicit Hasher.
Result<std::vector<Hash>> StoredHashesForRecord(std::int64_t n, const Hash& leaf, HashReader& r);
Result<std::vector<Hash>> StoredHashesForRecord(Hasher& h, std::int64_t n, const Hash& leaf,
                                                HashReader& r);

// RFC 9162 MTH of the first `size` records; EmptyTreeHash() for size 0
// (no read). Error kBadRequest if size < 0.
Result<Hash> TreeHash(std::int64_t size, HashReader& r);
Result<Hash> TreeHash(Hasher& h, std::int64_t size, HashReader& r);

// RFC 9162 §2.1.3.1 inclusion proof of record `index` in the tree of `size`
// records: the PATH, sibling of the leaf first, sibling below the root last.
// Error kBadRequest unless 0 <= index < size.
Result<std::vector<Hash>> ProveInclusion(std::int64_t index, std::int64_t size, HashReader& r);
Result<std::vector<Hash>> ProveInclusion(Hasher& h, std::int64_t index, std::int64_t size,
                                         HashReader& r);

// RFC 9162 §2.1.4.1 consistency proof PROOF(from, D[to]) = SUBPROOF(from,
// D[to], true). Empty when from == to or from == 0 (no read).
// Error kBadRequest unless 0 <= from <= to.
Result<std::vector<Hash>> ProveConsistency(std::int64_t from, std::int64_t to, HashReader& r);
Result<std::vector<Hash>> ProveConsistency(Hasher& h, std::int64_t from, std::int64_t to,
                                           HashReader& r);

// RFC 9162 §2.1.3.2: true iff `proof` shows that `leaf` is record `index` of
// the tree of `size` records whose root is `root`. False (never UB) for any
// bad argument: negative numbers, index >= size, wrong proof length.
bool VerifyInclusion(Hasher& h, std::int64_t index, std::int64_t size, const Hash& leaf,
                     std::span<const Hash> proof, const Hash& root);

// The root that `proof` implies for `leaf` at `index` in a tree of `size`
// records; error kValidation if the proof has the wrong length for them,
// kBadRequest unless 0 <= index < size. VerifyInclusion compares it to a root.
Result<Hash> RootFromInclusionProof(Hasher& h, std::int64_t index, std::int64_t size,
                                    const Hash& leaf, std::span<const Hash> proof);

// RFC 9162 §2.1.4.2: true iff `proof` shows that the tree of `from` records
// with root `old_root` is a prefix of the tree of `to` records with root
// `new_root`. Special cases: from == to needs an empty proof and equal roots;
// from == 0 needs an empty proof and old_root == EmptyTreeHash(). False
// (never UB) for any bad argument.
bool VerifyConsistency(Hasher& h, std::int64_t from, std::int64_t to, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof);

// MemoryHashStore: a whole log held in memory as one flat vector of stored
// hashes indexed by storage position. For tests, benchmarks and `quanze
// verify`. Not thread-safe.
class MemoryHashStore : public HashReader {
 public:
  MemoryHashStore() = default;

  // Appends the record with this leaf hash; returns its index (0-based).
  std::int64_t Append(const Hash& leaf);
  // Appends the record whose entry bytes are `entry` (leaf hash computed here).
  std::int64_t AppendEntry(std::string_view entry);

  // Number of records.
  std::int64_t Size() const { return size_; }
  // Number of stored hashes (== StoredHashCount(Size())).
  std::int64_t HashCount() const { return static_cast<std::int64_t>(hashes_.size()); }
  // Leaf hash of record i; requires 0 <= i < Size().
  const Hash& LeafHash(std::int64_t i) const { return hashes_[StoredHashIndex(0, i)]; }
  // Root of the whole tree (EmptyTreeHash() when empty).
  Hash Root();

  // Error kNotFound for a position >= HashCount() or < 0.
  Result<std::vector<Hash>> ReadHashes(std::span<const std::int64_t> indexes) override;

 private:
  Hasher hasher_;
  std::vector<Hash> hashes_;
  std::int64_t size_ = 0;
};

// CompactRange: the root of a growing tree from its leaves, keeping only the
// roots of the maximal complete subtrees (at most 63 hashes). Used to check
// a full log download against a checkpoint without storing it.
// Not thread-safe.
class CompactRange {
 public:
  // Adds the next leaf (record size()).
  void Append(Hasher& h, const Hash& leaf);
  // Number of leaves appended.
  std::int64_t size() const { return size_; }
  // RFC 9162 MTH of the leaves so far; EmptyTreeHash() when none.
  Hash Root(Hasher& h) const;

 private:
  std::vector<Hash> peaks_;  // roots of complete subtrees, largest (leftmost) first
  std::int64_t size_ = 0;
};

}  // namespace quanze::ledger
