// Inclusion and consistency proofs: RFC 6962 reference vectors (as used by
// certificate-transparency and transparency-dev/merkle, proof/verify_test.go)
// and exhaustive checks on random trees.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ledger/hash.h"
#include "ledger/tree.h"
#include "ledger/tree_testing.h"

namespace quanze::ledger {
namespace {

using testing::FlipBit;
using testing::NaiveMth;
using testing::RandomLeaves;

Hash H(std::string_view hex) { return HashFromHex(hex).value(); }

// The eight reference entries (hex) and the roots of the trees of size 1..8.
const std::vector<std::string> kEntriesHex = {"",
                                              "00",
                                              "10",
                                              "2021",
                                              "3031",
                                              "40414243",
                                              "5051525354555657",
                                              "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> kRootsHex = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

struct ProofVector {
  std::int64_t a;  // index (inclusion) or old size (consistency)
  std::int64_t size;
  std::vector<std::string> proof_hex;
};

// Inclusion proofs (0-based index).
const std::vector<ProofVector> kInclusion = {
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {0, 1, {}},
};

const std::vector<ProofVector> kConsistency = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

std::vector<Hash> Hashes(const std::vector<std::string>& hex) {
  std::vector<Hash> out;
  for (const auto& h : hex) out.push_back(H(h));
  return out;
}

MemoryHashStore ReferenceStore() {
  MemoryHashStore store;
  for (const auto& e : kEntriesHex) store.AppendEntry(HexDecode(e).value());
  return store;
}

Hash Root(int size) { return H(kRootsHex[static_cast<std::size_t>(size - 1)]); }

TEST(Merkle, TreeHashesMatchRfc6962ReferenceRoots) {
  MemoryHashStore store = ReferenceStore();
  for (int size = 1; size <= 8; ++size) {
    EXPECT_EQ(*TreeHash(size, store), Root(size)) << size;
  }
  EXPECT_EQ(*TreeHash(0, store), EmptyTreeHash());
  EXPECT_EQ(store.Root(), Root(8));
}

TEST(Merkle, InclusionProofsMatchReferenceVectorsAndVerify) {
  MemoryHashStore store = ReferenceStore();
  Hasher h;
  for (const auto& v : kInclusion) {
    std::vector<Hash> want = Hashes(v.proof_hex);
    Result<std::vector<Hash>> got = ProveInclusion(v.a, v.size, store);
    ASSERT_TRUE(got.ok()) << v.a << "/" << v.size;
    EXPECT_EQ(*got, want) << v.a << "/" << v.size;
    EXPECT_TRUE(
        VerifyInclusion(h, v.a, v.size, store.LeafHash(v.a), want, Root(static_cast<int>(v.size))));
  }
}

TEST(Merkle, ConsistencyProofsMatchReferenceVectorsAndVerify) {
  MemoryHashStore store = ReferenceStore();
  Hasher h;
  for (const auto& v : kConsistency) {
    std::vector<Hash> want = Hashes(v.proof_hex);
    Result<std::vector<Hash>> got = ProveConsistency(v.a, v.size, store);
    ASSERT_TRUE(got.ok()) << v.a << "/" << v.size;
    EXPECT_EQ(*got, want) << v.a << "/" << v.size;
    EXPECT_TRUE(VerifyConsistency(h, v.a, v.size, Root(static_cast<int>(v.a)),
                                  Root(static_cast<int>(v.size)), want));
  }
}

// The corruptions of transparency-dev/merkle's verifier tests: none may verify.
TEST(Merkle, TamperedReferenceInclusionProofsFail) {
  MemoryHashStore store = ReferenceStore();
  Hasher h;
  const Hash some = H("abacaba000000000000000000000000000000000000000000060061e00123456");
  for (const auto& v : kInclusion) {
    if (v.proof_hex.empty()) continue;
    std::vector<Hash> proof = Hashes(v.proof_hex);
    Hash root = Root(static_cast<int>(v.size));
    Hash leaf = store.LeafHash(v.a);
    auto verify = [&](std::int64_t i, std::int64_t n, const Hash& l, const std::vector<Hash>& p,
                      const Hash& r) { return VerifyInclusion(h, i, n, l, p, r); };
    EXPECT_FALSE(verify(v.a - 1, v.size, leaf, proof, root));
    EXPECT_FALSE(verify(v.a + 1, v.size, leaf, proof, root));
    EXPECT_FALSE(verify(v.a ^ 2, v.size, leaf, proof, root));
    EXPECT_FALSE(verify(v.a, v.size * 2, leaf, proof, root));
    EXPECT_FALSE(verify(v.a, v.size / 2, leaf, proof, root));
    EXPECT_FALSE(verify(v.a, v.size, h.Leaf("WrongLeaf"), proof, root));
    EXPECT_FALSE(verify(v.a, v.size, leaf, proof, EmptyTreeHash()));
    EXPECT_FALSE(verify(v.a, v.size, leaf, proof, some));
    auto longer = proof;
    longer.push_back(root);
    EXPECT_FALSE(verify(v.a, v.size, leaf, longer, root));
    auto prefixed = proof;
    prefixed.insert(prefixed.begin(), root);
    EXPECT_FALSE(verify(v.a, v.size, leaf, prefixed, root));
    for (std::size_t i = 0; i < proof.size(); ++i) {
      auto flipped = proof;
      flipped[i][0] ^= 8;
      EXPECT_FALSE(verify(v.a, v.size, leaf, flipped, root)) << i;
    }
    auto shorter = proof;
    shorter.pop_back();
    EXPECT_FALSE(verify(v.a, v.size, leaf, shorter, root));
    if (proof.size() > 1) {
      auto inserted = proof;
      inserted.insert(inserted.begin() + 1, some);
      EXPECT_FALSE(verify(v.a, v.size, leaf, inserted, root));
    }
  }
}

TEST(Merkle, TamperedReferenceConsistencyProofsFail) {
  Hasher h;
  for (const auto& v : kConsistency) {
    if (v.proof_hex.empty()) continue;
    std::vector<Hash> proof = Hashes(v.proof_hex);
    Hash r1 = Root(static_cast<int>(v.a));
    Hash r2 = Root(static_cast<int>(v.size));
    Hash wrong = h.Sha256("WrongRoot");
    auto verify = [&](std::int64_t m, std::int64_t n, const Hash& a, const Hash& b,
                      const std::vector<Hash>& p) { return VerifyConsistency(h, m, n, a, b, p); };
    EXPECT_FALSE(verify(v.a - 1, v.size, r1, r2, proof));
    EXPECT_FALSE(verify(v.a + 1, v.size, r1, r2, proof));
    EXPECT_FALSE(verify(v.a ^ 2, v.size, r1, r2, proof));
    EXPECT_FALSE(verify(v.a, v.size * 2, r1, r2, proof));
    EXPECT_FALSE(verify(v.a, v.size / 2, r1, r2, proof));
    EXPECT_FALSE(verify(v.a, v.size, wrong, r2, proof));
    EXPECT_FALSE(verify(v.a, v.size, r1, wrong, proof));
    EXPECT_FALSE(verify(v.a, v.size, r2, r1, proof));
    EXPECT_FALSE(verify(v.a, v.size, r1, r2, {}));
    for (const Hash& extra : {r1, r2, proof[0]}) {
      auto longer = proof;
      longer.push_back(extra);
      EXPECT_FALSE(verify(v.a, v.size, r1, r2, longer));
      auto prefixed = proof;
      prefixed.insert(prefixed.begin(), extra);
      EXPECT_FALSE(verify(v.a, v.size, r1, r2, prefixed));
    }
    auto shorter = proof;
    shorter.pop_back();
    EXPECT_FALSE(verify(v.a, v.size, r1, r2, shorter));
    for (std::size_t i = 0; i < proof.size(); ++i) {
      auto flipped = proof;
      flipped[i][0] ^= 16;
      EXPECT_FALSE(verify(v.a, v.size, r1, r2, flipped)) << i;
    }
  }
}

TEST(Merkle, ConsistencyOfTrivialSizesNeedsAnEmptyProof) {
  Hasher h;
  const Hash a = h.Sha256("a");
  const Hash b = h.Sha256("b");
  const std::vector<Hash> none;
  const std::vector<Hash> one = {EmptyTreeHash()};
  EXPECT_TRUE(VerifyConsistency(h, 0, 0, EmptyTreeHash(), EmptyTreeHash(), none));
  EXPECT_TRUE(VerifyConsistency(h, 0, 5, EmptyTreeHash(), b, none));
  EXPECT_TRUE(VerifyConsistency(h, 3, 3, a, a, none));
  EXPECT_FALSE(VerifyConsistency(h, 3, 3, a, b, none));  // same size, different roots
  EXPECT_FALSE(VerifyConsistency(h, 3, 3, a, a, one));   // proof must be empty
  EXPECT_FALSE(VerifyConsistency(h, 0, 5, EmptyTreeHash(), b, one));
  EXPECT_FALSE(VerifyConsistency(h, 0, 5, a, b, none));  // size 0 has the empty root
  EXPECT_FALSE(VerifyConsistency(h, 1, 2, a, b, none));  // non-trivial needs a proof
  EXPECT_FALSE(VerifyConsistency(h, 2, 1, a, b, none));  // time travel
  EXPECT_FALSE(VerifyConsistency(h, -1, 2, a, b, none));
}

TEST(Merkle, ProofRequestsWithBadArgumentsAreBadRequests) {
  MemoryHashStore store = ReferenceStore();
  struct Case {
    std::int64_t a, b;
  };
  for (Case c : {Case{8, 8}, Case{9, 8}, Case{-1, 8}, Case{0, 0}, Case{0, -1}}) {
    Result<std::vector<Hash>> r = ProveInclusion(c.a, c.b, store);
    ASSERT_FALSE(r.ok()) << c.a << "/" << c.b;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    EXPECT_FALSE(r.error().message_zh.empty());
    EXPECT_FALSE(r.error().message_en.empty());
  }
  for (Case c : {Case{5, 4}, Case{-1, 4}, Case{0, -1}}) {
    Result<std::vector<Hash>> r = ProveConsistency(c.a, c.b, store);
    ASSERT_FALSE(r.ok()) << c.a << "/" << c.b;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    EXPECT_FALSE(r.error().message_zh.empty());
  }
  EXPECT_EQ(TreeHash(-1, store).error().code, ErrorCode::kBadRequest);
  Hasher h;
  EXPECT_FALSE(VerifyInclusion(h, 0, 0, EmptyTreeHash(), {}, EmptyTreeHash()));
  EXPECT_FALSE(VerifyInclusion(h, -1, 8, Root(1), {}, Root(1)));
  EXPECT_FALSE(VerifyInclusion(h, 8, 8, Root(1), {}, Root(1)));
  EXPECT_FALSE(VerifyInclusion(h, 0, INT64_MIN, Root(1), {}, Root(1)));
  EXPECT_EQ(RootFromInclusionProof(h, 2, 1, Root(1), {}).error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(RootFromInclusionProof(h, 0, 2, Root(1), {}).error().code, ErrorCode::kValidation);
}

TEST(Merkle, ProofsBeyondTheStoredTreeAreNotFound) {
  MemoryHashStore store = ReferenceStore();
  EXPECT_EQ(ProveInclusion(0, 9, store).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ProveConsistency(3, 100, store).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(TreeHash(9, store).error().code, ErrorCode::kNotFound);
}

TEST(Merkle, SingleLeafTreeProofIsEmptyAndRootIsTheLeaf) {
  MemoryHashStore store;
  store.AppendEntry("data");
  Hasher h;
  EXPECT_TRUE(ProveInclusion(0, 1, store)->empty());
  EXPECT_EQ(store.Root(), h.Leaf("data"));
  EXPECT_TRUE(VerifyInclusion(h, 0, 1, h.Leaf("data"), {}, h.Leaf("data")));
  EXPECT_FALSE(VerifyInclusion(h, 0, 1, h.Leaf("data"), {}, EmptyTreeHash()));
}

// Every inclusion proof of every tree up to 64 leaves verifies, and flipping
// any single bit of a proof hash, of the leaf or of the root breaks it, as
// does a neighbouring index or size.
TEST(Merkle, EveryInclusionProofOfSmallTreesVerifiesAndEveryBitFlipFails) {
  Hasher h;
  std::vector<Hash> leaves = RandomLeaves(h, 64, 1);
  MemoryHashStore store;
  for (const Hash& l : leaves) store.Append(l);
  std::vector<Hash> roots;
  for (std::size_t size = 0; size <= 64; ++size) {
    roots.push_back(NaiveMth(h, std::span<const Hash>(leaves).subspan(0, size)));
  }
  for (std::int64_t size = 1; size <= 64; ++size) {
    const Hash& root = roots[static_cast<std::size_t>(size)];
    for (std::int64_t i = 0; i < size; ++i) {
      std::vector<Hash> proof = *ProveInclusion(i, size, store);
      const Hash& leaf = leaves[static_cast<std::size_t>(i)];
      ASSERT_TRUE(VerifyInclusion(h, i, size, leaf, proof, root)) << i << "/" << size;
      int bit_stride = size <= 16 ? 1 : 37;  // all 256 bits for small trees
      for (int bit = 0; bit < 256; bit += bit_stride) {
        ASSERT_FALSE(VerifyInclusion(h, i, size, FlipBit(leaf, bit), proof, root));
        ASSERT_FALSE(VerifyInclusion(h, i, size, leaf, proof, FlipBit(root, bit)));
        for (std::size_t p = 0; p < proof.size(); ++p) {
          auto bad = proof;
          bad[p] = FlipBit(bad[p], bit);
          ASSERT_FALSE(VerifyInclusion(h, i, size, leaf, bad, root)) << i << "/" << size;
        }
      }
      if (i > 0) {
        EXPECT_FALSE(VerifyInclusion(h, i - 1, size, leaf, proof, root));
      }
      if (i + 1 < size) {
        EXPECT_FALSE(VerifyInclusion(h, i + 1, size, leaf, proof, root));
      }
      // The proof for this size does not prove inclusion in a neighbouring
      // tree (the size alone only sets the shape; the root decides).
      if (size < 64) {
        EXPECT_FALSE(VerifyInclusion(h, i, size + 1, leaf, proof, roots[size + 1]));
      }
      if (i < size - 1) {
        EXPECT_FALSE(VerifyInclusion(h, i, size - 1, leaf, proof, roots[size - 1]));
      }
      EXPECT_FALSE(VerifyInclusion(h, i, size * 2, leaf, proof, root));
    }
  }
}

TEST(Merkle, EveryInclusionProofOfALargerRandomTreeVerifies) {
  Hasher h;
  std::mt19937 rng(7);
  for (std::int64_t size : {1000, 2049, 3001}) {
    std::vector<Hash> leaves = RandomLeaves(h, static_cast<std::size_t>(size), 2);
    MemoryHashStore store;
    for (const Hash& l : leaves) store.Append(l);
    Hash root = NaiveMth(h, leaves);
    ASSERT_EQ(store.Root(), root);
    for (std::int64_t i = 0; i < size; ++i) {
      std::vector<Hash> proof = *ProveInclusion(i, size, store);
      const Hash& leaf = leaves[static_cast<std::size_t>(i)];
      ASSERT_TRUE(VerifyInclusion(h, i, size, leaf, proof, root)) << i;
      int bit = static_cast<int>(rng() % 256);
      auto bad = proof;
      std::size_t p = rng() % bad.size();
      bad[p] = FlipBit(bad[p], bit);
      ASSERT_FALSE(VerifyInclusion(h, i, size, leaf, bad, root)) << i;
      ASSERT_FALSE(VerifyInclusion(h, i, size, FlipBit(leaf, bit), proof, root)) << i;
      ASSERT_FALSE(VerifyInclusion(h, i, size, leaf, proof, FlipBit(root, bit))) << i;
      ASSERT_FALSE(VerifyInclusion(h, (i + 1) % size, size, leaf, proof, root)) << i;
    }
  }
}

// All pairs 1 <= m < n <= 96, then sampled pairs of a 3,001-leaf tree.
TEST(Merkle, EveryConsistencyProofVerifiesAndAnyBitFlipFails) {
  Hasher h;
  std::vector<Hash> leaves = RandomLeaves(h, 3001, 3);
  MemoryHashStore store;
  for (const Hash& l : leaves) store.Append(l);
  std::vector<Hash> roots(leaves.size() + 1);
  CompactRange range;
  roots[0] = range.Root(h);
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    range.Append(h, leaves[i]);
    roots[i + 1] = range.Root(h);
  }
  std::mt19937 rng(11);
  auto check = [&](std::int64_t m, std::int64_t n, bool every_bit) {
    std::vector<Hash> proof = *ProveConsistency(m, n, store);
    const Hash& r1 = roots[static_cast<std::size_t>(m)];
    const Hash& r2 = roots[static_cast<std::size_t>(n)];
    ASSERT_TRUE(VerifyConsistency(h, m, n, r1, r2, proof)) << m << "->" << n;
    for (int bit = 0; bit < 256; bit += every_bit ? 1 : 256) {
      int b = every_bit ? bit : static_cast<int>(rng() % 256);
      ASSERT_FALSE(VerifyConsistency(h, m, n, FlipBit(r1, b), r2, proof)) << m << "->" << n;
      ASSERT_FALSE(VerifyConsistency(h, m, n, r1, FlipBit(r2, b), proof)) << m << "->" << n;
      for (std::size_t p = 0; p < proof.size(); ++p) {
        auto bad = proof;
        bad[p] = FlipBit(bad[p], b);
        ASSERT_FALSE(VerifyConsistency(h, m, n, r1, r2, bad)) << m << "->" << n << " @" << p;
      }
    }
    if (m > 1) {
      ASSERT_FALSE(VerifyConsistency(h, m - 1, n, roots[m - 1], r2, proof)) << m << "->" << n;
    }
    if (n < 3001) {
      ASSERT_FALSE(VerifyConsistency(h, m, n + 1, r1, roots[n + 1], proof)) << m << "->" << n;
    }
    ASSERT_FALSE(VerifyConsistency(h, m, n * 2, r1, r2, proof)) << m << "->" << n;
  };
  for (std::int64_t n = 2; n <= 96; ++n) {
    for (std::int64_t m = 1; m < n; ++m) check(m, n, n <= 12);
  }
  for (int s = 0; s < 3000; ++s) {
    std::int64_t n = 2 + static_cast<std::int64_t>(rng() % 3000);
    std::int64_t m = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint32_t>(n - 1));
    check(m, n, false);
  }
}

TEST(Merkle, ConsistencyProofSpansTwoAppends) {
  MemoryHashStore store;
  Hasher h;
  for (int i = 0; i < 5; ++i) store.AppendEntry("event " + std::to_string(i));
  Hash old_root = store.Root();
  store.AppendEntry("event 5");
  store.AppendEntry("event 6");
  Hash new_root = store.Root();
  std::vector<Hash> proof = *ProveConsistency(5, 7, store);
  EXPECT_TRUE(VerifyConsistency(h, 5, 7, old_root, new_root, proof));
  // A rewritten history is detected.
  MemoryHashStore forged;
  for (int i = 0; i < 7; ++i) forged.AppendEntry(i == 3 ? "forged" : "event " + std::to_string(i));
  EXPECT_FALSE(
      VerifyConsistency(h, 5, 7, old_root, forged.Root(), *ProveConsistency(5, 7, forged)));
}

}  // namespace
}  // namespace quanze::ledger
