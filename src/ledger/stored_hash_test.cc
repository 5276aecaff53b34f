// The stored-hash index (tlog layout), MemoryHashStore, CompactRange and the
// read pattern of proofs.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <set>
#include <vector>

#include "ledger/hash.h"
#include "ledger/tree.h"
#include "ledger/tree_testing.h"

namespace quanze::ledger {
namespace {

using testing::CountingReader;
using testing::NaiveMth;
using testing::RandomLeaves;

TEST(StoredHash, IndexFollowsTheTlogLayoutForEightRecords) {
  // (level, n) in storage order for a tree of 8 records.
  const std::vector<std::pair<int, std::int64_t>> order = {{0, 0}, {0, 1}, {1, 0}, {0, 2}, {0, 3},
                                                           {1, 1}, {2, 0}, {0, 4}, {0, 5}, {1, 2},
                                                           {0, 6}, {0, 7}, {1, 3}, {2, 1}, {3, 0}};
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(StoredHashIndex(order[i].first, order[i].second), static_cast<std::int64_t>(i))
        << "level " << order[i].first << " n " << order[i].second;
  }
  EXPECT_EQ(StoredHashCount(8), 15);
}

TEST(StoredHash, CountIsTwiceTheRecordsMinusTheirPopcount) {
  EXPECT_EQ(StoredHashCount(0), 0);
  for (std::int64_t n = 1; n <= 5000; ++n) {
    ASSERT_EQ(StoredHashCount(n), 2 * n - std::popcount(static_cast<std::uint64_t>(n))) << n;
  }
  EXPECT_EQ(StoredHashCount(std::int64_t{1} << 40), (std::int64_t{1} << 41) - 1);
}

TEST(StoredHash, PositionsOfCompleteSubtreesAreDenseAndDistinct) {
  for (std::int64_t n : {1, 2, 3, 7, 8, 100, 1023, 1024, 1025}) {
    std::set<std::int64_t> seen;
    for (int level = 0; (std::int64_t{1} << level) <= n; ++level) {
      for (std::int64_t k = 0; (k + 1) << level <= n; ++k) seen.insert(StoredHashIndex(level, k));
    }
    ASSERT_EQ(static_cast<std::int64_t>(seen.size()), StoredHashCount(n)) << n;
    EXPECT_EQ(*seen.begin(), 0);
    EXPECT_EQ(*seen.rbegin(), StoredHashCount(n) - 1) << n;
  }
}

TEST(StoredHash, RecordHashesGoAtConsecutivePositionsStartingWithTheLeaf) {
  Hasher h;
  std::vector<Hash> leaves = RandomLeaves(h, 64, 5);
  MemoryHashStore store;
  for (std::int64_t n = 0; n < 64; ++n) {
    Result<std::vector<Hash>> add = StoredHashesForRecord(n, leaves[n], store);
    ASSERT_TRUE(add.ok());
    EXPECT_EQ((*add)[0], leaves[n]);
    EXPECT_EQ(static_cast<int>(add->size()), 1 + std::countr_one(static_cast<std::uint64_t>(n)));
    for (std::size_t i = 0; i < add->size(); ++i) {
      int level = static_cast<int>(i);
      EXPECT_EQ(StoredHashIndex(level, n >> level), StoredHashIndex(0, n) + level);
      // The hash at each level is the root of the subtree it completes.
      std::int64_t first = (n >> level) << level;
      EXPECT_EQ((*add)[i], NaiveMth(h, std::span<const Hash>(leaves).subspan(first, 1u << level)));
    }
    ASSERT_EQ(store.Append(leaves[n]), n);
    EXPECT_EQ(store.HashCount(), StoredHashCount(n + 1));
  }
  EXPECT_EQ(StoredHashesForRecord(-1, leaves[0], store).error().code, ErrorCode::kBadRequest);
}

TEST(StoredHash, TreeHashAgreesWithCompactRangeAndNaiveMthAtEverySize) {
  Hasher h;
  std::vector<Hash> leaves = RandomLeaves(h, 2100, 9);
  MemoryHashStore store;
  CompactRange range;
  EXPECT_EQ(range.Root(h), EmptyTreeHash());
  EXPECT_EQ(store.Root(), EmptyTreeHash());
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    store.Append(leaves[i]);
    range.Append(h, leaves[i]);
  }
  EXPECT_EQ(range.size(), 2100);
  CompactRange growing;
  for (std::int64_t size = 1; size <= 2100; ++size) {
    growing.Append(h, leaves[static_cast<std::size_t>(size - 1)]);
    Hash naive = NaiveMth(h, std::span<const Hash>(leaves).subspan(0, size));
    ASSERT_EQ(*TreeHash(size, store), naive) << size;
    ASSERT_EQ(growing.Root(h), naive) << size;
  }
  EXPECT_EQ(range.Root(h), store.Root());
}

TEST(StoredHash, TreeHashOfAnOlderSizeIsUnchangedByLaterAppends) {
  Hasher h;
  MemoryHashStore store;
  for (int i = 0; i < 13; ++i) store.AppendEntry("e" + std::to_string(i));
  Hash at13 = store.Root();
  for (int i = 13; i < 100; ++i) store.AppendEntry("e" + std::to_string(i));
  EXPECT_EQ(*TreeHash(13, store), at13);
}

// A proof is served from a database: it must read O(log n) stored hashes, in
// one call.
TEST(StoredHash, ProofsReadLogarithmicallyManyHashesInOneCall) {
  MemoryHashStore store;
  Hasher h;
  const std::int64_t n = 100'003;
  for (std::int64_t i = 0; i < n; ++i) store.Append(h.Leaf(std::to_string(i)));
  const auto log2n = static_cast<std::int64_t>(std::ceil(std::log2(static_cast<double>(n))));
  for (std::int64_t size : {std::int64_t{1} << 16, n - 1, n}) {
    for (std::int64_t index : {std::int64_t{0}, size / 3, size - 2, size - 1}) {
      CountingReader counting(store);
      Result<std::vector<Hash>> proof = ProveInclusion(index, size, counting);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(counting.calls, 1);
      EXPECT_LE(counting.hashes_read, 2 * log2n) << index << "/" << size;
      EXPECT_TRUE(
          VerifyInclusion(h, index, size, store.LeafHash(index), *proof, *TreeHash(size, store)));
    }
    for (std::int64_t from : {std::int64_t{1}, size / 2, size - 1}) {
      CountingReader counting(store);
      ASSERT_TRUE(ProveConsistency(from, size, counting).ok());
      EXPECT_EQ(counting.calls, 1);
      EXPECT_LE(counting.hashes_read, 3 * log2n) << from << "->" << size;
    }
    CountingReader counting(store);
    ASSERT_TRUE(TreeHash(size, counting).ok());
    EXPECT_EQ(counting.calls, 1);
    EXPECT_LE(counting.hashes_read, log2n + 1);
  }
  // Trivial requests read nothing.
  CountingReader counting(store);
  EXPECT_TRUE(ProveConsistency(0, n, counting)->empty());
  EXPECT_TRUE(ProveConsistency(n, n, counting)->empty());
  EXPECT_EQ(*TreeHash(0, counting), EmptyTreeHash());
  EXPECT_TRUE(ProveInclusion(0, 1, counting)->empty());
  EXPECT_EQ(counting.calls, 0);
}

class FailingReader : public HashReader {
 public:
  explicit FailingReader(std::size_t give) : give_(give) {}
  Result<std::vector<Hash>> ReadHashes(std::span<const std::int64_t>) override {
    if (give_ == SIZE_MAX) {
      return MakeError(ErrorCode::kUnavailable, "数据库忙", "database busy");
    }
    return std::vector<Hash>(give_);
  }

 private:
  std::size_t give_;
};

TEST(StoredHash, ReaderErrorsArePassedThroughUnchanged) {
  FailingReader failing(SIZE_MAX);
  EXPECT_EQ(ProveInclusion(3, 10, failing).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ProveConsistency(3, 10, failing).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(TreeHash(10, failing).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(StoredHashesForRecord(3, EmptyTreeHash(), failing).error().code,
            ErrorCode::kUnavailable);
}

TEST(StoredHash, AReaderReturningTheWrongNumberOfHashesIsAnInternalError) {
  FailingReader short_reader(1);
  EXPECT_EQ(ProveInclusion(3, 10, short_reader).error().code, ErrorCode::kInternal);
  EXPECT_EQ(StoredHashesForRecord(7, EmptyTreeHash(), short_reader).error().code,
            ErrorCode::kInternal);
}

TEST(MemoryHashStore, ReadingAPositionNotYetWrittenIsNotFound) {
  MemoryHashStore store;
  store.AppendEntry("a");
  store.AppendEntry("b");
  const std::int64_t ok[] = {0, 1, 2};
  EXPECT_EQ(store.ReadHashes(ok)->size(), 3u);
  const std::int64_t past[] = {3};
  EXPECT_EQ(store.ReadHashes(past).error().code, ErrorCode::kNotFound);
  const std::int64_t negative[] = {-1};
  EXPECT_EQ(store.ReadHashes(negative).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace quanze::ledger
