// Test helpers for the Merkle tree code (used by *_test.cc and benchmarks
// only): an independent recursive MTH and a HashReader that counts reads.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "ledger/hash.h"
#include "ledger/tree.h"

namespace quanze::ledger::testing {

// RFC 9162 §2.1.1 MTH written straight from the definition.
inline Hash NaiveMth(Hasher& h, std::span<const Hash> leaves) {
  if (leaves.empty()) return EmptyTreeHash();
  if (leaves.size() == 1) return leaves[0];
  std::size_t k = 1;
  while (k * 2 < leaves.size()) k *= 2;
  return h.Node(NaiveMth(h, leaves.subspan(0, k)), NaiveMth(h, leaves.subspan(k)));
}

// Wraps a reader and records how it is called.
class CountingReader : public HashReader {
 public:
  explicit CountingReader(HashReader& inner) : inner_(inner) {}

  Result<std::vector<Hash>> ReadHashes(std::span<const std::int64_t> indexes) override {
    ++calls;
    hashes_read += static_cast<std::int64_t>(indexes.size());
    return inner_.ReadHashes(indexes);
  }

  int calls = 0;
  std::int64_t hashes_read = 0;

 private:
  HashReader& inner_;
};

// `count` pseudo-random leaf hashes, reproducible from `seed`.
inline std::vector<Hash> RandomLeaves(Hasher& h, std::size_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Hash> leaves;
  leaves.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    leaves.push_back(h.Leaf("entry " + std::to_string(i) + " " + std::to_string(rng())));
  }
  return leaves;
}

// A copy of h with one bit flipped.
inline Hash FlipBit(Hash h, int bit) {
  h[static_cast<std::size_t>(bit / 8)] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return h;
}

}  // namespace quanze::ledger::testing
