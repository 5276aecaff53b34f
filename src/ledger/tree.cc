#include "ledger/tree.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdlib>
#include <string>

namespace quanze::ledger {
namespace {

// A run of records [lo, hi) whose RFC 9162 MTH is a proof element.
struct Range {
  std::int64_t lo;
  std::int64_t hi;
};

// The largest power of 2 strictly less than n; requires n >= 2.
std::int64_t SplitPoint(std::int64_t n) {
  return static_cast<std::int64_t>(std::bit_floor(static_cast<std::uint64_t>(n - 1)));
}

// The number of elements of the RFC 9162 inclusion path for index in size:
// the iterations of the §2.1.3.2 walk until sn reaches 0.
std::size_t InclusionPathLength(std::int64_t index, std::int64_t size) {
  auto fn = static_cast<std::uint64_t>(index);
  auto sn = static_cast<std::uint64_t>(size - 1);
  std::size_t length = 0;
  for (; sn != 0; ++length) {
    if ((fn & 1) == 0 && fn == sn) {
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    }
    fn >>= 1;
    sn >>= 1;
  }
  return length;
}

Error BadArgument(std::string zh, std::string en, nlohmann::json detail) {
  return MakeError(ErrorCode::kBadRequest, std::move(zh), std::move(en), std::move(detail));
}

// The hashes of several ranges, planned so that all their stored hashes are
// read in one ReadHashes call. A range [lo, hi) splits, from the left, into
// maximal complete subtrees (sizes strictly decreasing powers of 2); each has
// one stored hash, and MTH folds them from the right. Proof ranges have at
// most one incomplete range (on the right edge), so a plan reads O(log n).
class RangePlan {
 public:
  void Add(Range r) {
    ranges_.push_back(r);
    std::int64_t lo = r.lo;
    std::size_t count = 0;
    while (lo < r.hi) {
      auto k = static_cast<std::int64_t>(std::bit_floor(static_cast<std::uint64_t>(r.hi - lo)));
      int level = std::countr_zero(static_cast<std::uint64_t>(k));
      assert((lo & (k - 1)) == 0 && "proof range not aligned to its subtrees");
      indexes_.push_back(StoredHashIndex(level, lo >> level));
      lo += k;
      ++count;
    }
    counts_.push_back(count);
  }

  // Reads all stored hashes at once and returns the MTH of every range, in
  // the order the ranges were added.
  Result<std::vector<Hash>> Resolve(Hasher& h, HashReader& reader) const {
    std::vector<Hash> out;
    if (ranges_.empty()) return out;
    QZ_ASSIGN_OR_RETURN(std::vector<Hash> stored, reader.ReadHashes(indexes_));
    if (stored.size() != indexes_.size()) {
      return MakeError(ErrorCode::kInternal, "哈希存储返回的哈希数量与请求不符",
                       "hash store returned a different number of hashes than requested",
                       {{"requested", indexes_.size()}, {"returned", stored.size()}});
    }
    out.reserve(ranges_.size());
    std::size_t next = 0;
    for (std::size_t count : counts_) {
      std::size_t first = next;
      next += count;
      Hash acc = stored[next - 1];
      for (std::size_t i = next - 1; i > first; --i) acc = h.Node(stored[i - 1], acc);
      out.push_back(acc);
    }
    return out;
  }

 private:
  std::vector<Range> ranges_;
  std::vector<std::int64_t> indexes_;
  std::vector<std::size_t> counts_;  // stored hashes per range
};

}  // namespace

HashReader::~HashReader() = default;

std::int64_t StoredHashIndex(int level, std::int64_t n) {
  // Level L's n-th hash is stored right after level L-1's (2n+1)-th hash.
  for (int l = level; l > 0; --l) n = 2 * n + 1;
  // Level 0's n-th hash is stored at n + n/2 + n/4 + ... (the hashes of all
  // subtrees completed by earlier records come first).
  std::int64_t i = 0;
  for (; n > 0; n >>= 1) i += n;
  return i + level;
}

std::int64_t StoredHashCount(std::int64_t n) {
  if (n <= 0) return 0;
  std::int64_t count = StoredHashIndex(0, n - 1) + 1;
  for (auto i = static_cast<std::uint64_t>(n - 1); (i & 1) != 0; i >>= 1) ++count;
  return count;
}

Result<std::vector<Hash>> StoredHashesForRecord(std::int64_t n, const Hash& leaf, HashReader& r) {
  return StoredHashesForRecord(ThreadLocalHasher(), n, leaf, r);
}

Result<std::vector<Hash>> StoredHashesForRecord(Hasher& h, std::int64_t n, const Hash& leaf,
                                                HashReader& r) {
  if (n < 0) {
    return BadArgument("记录序号不能为负数", "record index must not be negative", {{"index", n}});
  }
  // Each trailing 1 bit of n completes a subtree: record n is its last leaf,
  // and the left half of that subtree is already stored.
  int m = std::countr_one(static_cast<std::uint64_t>(n));
  std::vector<Hash> out;
  out.reserve(1 + m);
  out.push_back(leaf);
  if (m == 0) return out;
  std::int64_t indexes[64];
  for (int i = 0; i < m; ++i) indexes[i] = StoredHashIndex(i, (n >> i) - 1);
  QZ_ASSIGN_OR_RETURN(std::vector<Hash> left,
                      r.ReadHashes(std::span<const std::int64_t>(indexes, m)));
  if (left.size() != static_cast<std::size_t>(m)) {
    return MakeError(ErrorCode::kInternal, "哈希存储返回的哈希数量与请求不符",
                     "hash store returned a different number of hashes than requested");
  }
  Hash acc = leaf;
  for (int i = 0; i < m; ++i) {
    acc = h.Node(left[i], acc);
    out.push_back(acc);
  }
  return out;
}

Result<Hash> TreeHash(std::int64_t size, HashReader& r) {
  return TreeHash(ThreadLocalHasher(), size, r);
}

Result<Hash> TreeHash(Hasher& h, std::int64_t size, HashReader& r) {
  if (size < 0) {
    return BadArgument("树的大小不能为负数", "tree size must not be negative", {{"size", size}});
  }
  if (size == 0) return EmptyTreeHash();
  RangePlan plan;
  plan.Add({0, size});
  QZ_ASSIGN_OR_RETURN(std::vector<Hash> roots, plan.Resolve(h, r));
  return roots[0];
}

Result<std::vector<Hash>> ProveInclusion(std::int64_t index, std::int64_t size, HashReader& r) {
  return ProveInclusion(ThreadLocalHasher(), index, size, r);
}

Result<std::vector<Hash>> ProveInclusion(Hasher& h, std::int64_t index, std::int64_t size,
                                         HashReader& r) {
  if (index < 0 || size < 0 || index >= size) {
    return BadArgument("包含证明的参数无效：需要 0 ≤ index < size",
                       "invalid inclusion proof request: need 0 <= index < size",
                       {{"index", index}, {"size", size}});
  }
  // Walk from the root down to the leaf, taking the sibling at each level.
  std::vector<Range> siblings;
  std::int64_t lo = 0;
  std::int64_t hi = size;
  while (hi - lo > 1) {
    std::int64_t k = SplitPoint(hi - lo);
    if (index < lo + k) {
      siblings.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      siblings.push_back({lo, lo + k});
      lo += k;
    }
  }
  RangePlan plan;
  for (auto it = siblings.rbegin(); it != siblings.rend(); ++it) plan.Add(*it);  // leaf side first
  return plan.Resolve(h, r);
}

Result<std::vector<Hash>> ProveConsistency(std::int64_t from, std::int64_t to, HashReader& r) {
  return ProveConsistency(ThreadLocalHasher(), from, to, r);
}

Result<std::vector<Hash>> ProveConsistency(Hasher& h, std::int64_t from, std::int64_t to,
                                           HashReader& r) {
  if (from < 0 || to < 0 || from > to) {
    return BadArgument("一致性证明的参数无效：需要 0 ≤ from ≤ to",
                       "invalid consistency proof request: need 0 <= from <= to",
                       {{"from", from}, {"to", to}});
  }
  if (from == 0 || from == to) return std::vector<Hash>{};
  // SUBPROOF(m, D[lo:hi], b), unrolled; elements are collected outermost
  // first, and the proof lists them innermost first.
  std::vector<Range> elements;
  std::int64_t m = from;
  std::int64_t lo = 0;
  std::int64_t hi = to;
  bool whole_old_tree = true;  // b: D[lo:hi] prefix of m records is the old tree itself
  while (true) {
    std::int64_t n = hi - lo;
    if (m == n) {
      if (!whole_old_tree) elements.push_back({lo, hi});
      break;
    }
    std::int64_t k = SplitPoint(n);
    if (m <= k) {
      elements.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      elements.push_back({lo, lo + k});
      m -= k;
      lo += k;
      whole_old_tree = false;
    }
  }
  RangePlan plan;
  for (auto it = elements.rbegin(); it != elements.rend(); ++it) plan.Add(*it);
  return plan.Resolve(h, r);
}

Result<Hash> RootFromInclusionProof(Hasher& h, std::int64_t index, std::int64_t size,
                                    const Hash& leaf, std::span<const Hash> proof) {
  if (index < 0 || size < 0 || index >= size) {
    return BadArgument("包含证明的参数无效：需要 0 ≤ index < size",
                       "invalid inclusion proof: need 0 <= index < size",
                       {{"index", index}, {"size", size}});
  }
  std::size_t want = InclusionPathLength(index, size);
  if (proof.size() != want) {
    return MakeError(ErrorCode::kValidation, "包含证明的长度与索引和树大小不符",
                     "inclusion proof length does not match index and tree size",
                     {{"index", index},
                      {"size", size},
                      {"proof_length", proof.size()},
                      {"expected_length", want}});
  }
  // RFC 9162 §2.1.3.2 steps 2-4; with the length checked, the walk ends
  // exactly when sn reaches 0 (step 5).
  auto fn = static_cast<std::uint64_t>(index);
  auto sn = static_cast<std::uint64_t>(size - 1);
  Hash r = leaf;
  for (const Hash& p : proof) {
    if ((fn & 1) != 0 || fn == sn) {
      r = h.Node(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = h.Node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return r;
}

bool VerifyInclusion(Hasher& h, std::int64_t index, std::int64_t size, const Hash& leaf,
                     std::span<const Hash> proof, const Hash& root) {
  Result<Hash> computed = RootFromInclusionProof(h, index, size, leaf, proof);
  return computed.ok() && HashEqual(*computed, root);
}

bool VerifyConsistency(Hasher& h, std::int64_t from, std::int64_t to, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof) {
  if (from < 0 || to < 0 || from > to) return false;
  if (from == 0) return proof.empty() && HashEqual(old_root, EmptyTreeHash());
  if (from == to) return proof.empty() && HashEqual(old_root, new_root);
  // RFC 9162 §2.1.4.2.
  if (proof.empty()) return false;                 // step 1
  auto fn = static_cast<std::uint64_t>(from - 1);  // step 3
  auto sn = static_cast<std::uint64_t>(to - 1);
  std::size_t next = 0;
  Hash fr;
  Hash sr;
  if (std::has_single_bit(static_cast<std::uint64_t>(from))) {  // step 2
    fr = old_root;
  } else {
    fr = proof[next++];
  }
  sr = fr;                 // step 5
  while ((fn & 1) != 0) {  // step 4
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {  // step 6
    const Hash& c = proof[next];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = h.Node(c, fr);
      sr = h.Node(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = h.Node(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && HashEqual(fr, old_root) && HashEqual(sr, new_root);  // step 7
}

std::int64_t MemoryHashStore::Append(const Hash& leaf) {
  Result<std::vector<Hash>> add = StoredHashesForRecord(hasher_, size_, leaf, *this);
  // Reads only positions this store has written: failure is a bug here.
  if (!add.ok()) std::abort();
  hashes_.insert(hashes_.end(), add->begin(), add->end());
  return size_++;
}

std::int64_t MemoryHashStore::AppendEntry(std::string_view entry) {
  return Append(hasher_.Leaf(entry));
}

Hash MemoryHashStore::Root() {
  Result<Hash> root = TreeHash(hasher_, size_, *this);
  if (!root.ok()) std::abort();  // all positions of the current size exist
  return *root;
}

Result<std::vector<Hash>> MemoryHashStore::ReadHashes(std::span<const std::int64_t> indexes) {
  std::vector<Hash> out;
  out.reserve(indexes.size());
  for (std::int64_t i : indexes) {
    if (i < 0 || i >= HashCount()) {
      return MakeError(ErrorCode::kNotFound, "存储位置 " + std::to_string(i) + " 尚无哈希",
                       "no stored hash at position " + std::to_string(i),
                       {{"position", i}, {"count", HashCount()}});
    }
    out.push_back(hashes_[static_cast<std::size_t>(i)]);
  }
  return out;
}

void CompactRange::Append(Hasher& h, const Hash& leaf) {
  peaks_.push_back(leaf);
  // Each trailing 1 bit of the old size is a subtree the new leaf completes.
  for (auto s = static_cast<std::uint64_t>(size_); (s & 1) != 0; s >>= 1) {
    Hash right = peaks_.back();
    peaks_.pop_back();
    peaks_.back() = h.Node(peaks_.back(), right);
  }
  ++size_;
}

Hash CompactRange::Root(Hasher& h) const {
  if (peaks_.empty()) return EmptyTreeHash();
  Hash acc = peaks_.back();
  for (auto it = peaks_.rbegin() + 1; it != peaks_.rend(); ++it) acc = h.Node(*it, acc);
  return acc;
}

}  // namespace quanze::ledger
