// Merkle log throughput. Targets set for the project:
//   append through StoredHashesForRecord + MemoryHashStore >= 1,000,000 entries/s
//   inclusion proof at 2^20 leaves <= 10 us
//   full verify of 1,000,000 ~300-byte entries with CompactRange <= 5 s
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "ledger/hash.h"
#include "ledger/tree.h"

namespace quanze::ledger {
namespace {

// A ~300-byte canonical JSON event; the sequence number makes it unique.
std::string Entry(std::int64_t seq) {
  char buf[400];
  int n = std::snprintf(
      buf, sizeof buf,
      "{\"actor\":{\"person_id\":\"hmac-sha256:q1X7Jt0uYkqS3m2cWbZ8o5VdN4rLhE6aPfG9iTzKxyA=\","
      "\"post_id\":\"p-330102-017\",\"user_id\":\"u-000417\"},\"at\":\"2025-03-01T09:30:00+08:00\","
      "\"data\":{\"item\":\"330102-XK-0042\",\"note\":\"受理材料齐全\",\"outcome\":\"accepted\"},"
      "\"seq\":%lld,\"subject\":{\"id\":\"c-2025-%09lld\",\"kind\":\"case\"},"
      "\"type\":\"case.accepted\"}",
      static_cast<long long>(seq), static_cast<long long>(seq));
  return std::string(buf, static_cast<std::size_t>(n));
}

void BM_Sha256_64B(benchmark::State& state) {
  Hasher h;
  std::string input(64, 'x');
  for (auto _ : state) {
    Hash out = h.Sha256(input);
    benchmark::DoNotOptimize(out);
    input[0] = static_cast<char>(out[0]);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 64);
}
BENCHMARK(BM_Sha256_64B);

void BM_NodeHash(benchmark::State& state) {
  Hasher h;
  Hash a = h.Sha256("a");
  Hash b = h.Sha256("b");
  for (auto _ : state) {
    a = h.Node(a, b);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NodeHash);

void BM_LeafHash_300B(benchmark::State& state) {
  Hasher h;
  std::string entry = Entry(123456);
  for (auto _ : state) benchmark::DoNotOptimize(h.Leaf(entry));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(entry.size()));
}
BENCHMARK(BM_LeafHash_300B);

// Appends N precomputed leaf hashes to an empty store (the leaf hashing of
// the entries is measured separately above).
void BM_AppendMemoryStore(benchmark::State& state) {
  Hasher h;
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<Hash> leaves;
  leaves.reserve(n);
  for (std::size_t i = 0; i < n; ++i) leaves.push_back(h.Leaf(std::to_string(i)));
  for (auto _ : state) {
    MemoryHashStore store;
    for (const Hash& leaf : leaves) store.Append(leaf);
    benchmark::DoNotOptimize(store.HashCount());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AppendMemoryStore)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

MemoryHashStore& StoreOf(std::int64_t n) {
  static MemoryHashStore store;
  while (store.Size() < n) store.AppendEntry(Entry(store.Size()));
  return store;
}

void BM_InclusionProof(benchmark::State& state) {
  const std::int64_t size = state.range(0);
  MemoryHashStore& store = StoreOf(size);
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto index = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(size));
    Result<std::vector<Hash>> proof = ProveInclusion(index, size, store);
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InclusionProof)->Arg(1 << 20)->Arg((1 << 20) - 1)->Unit(benchmark::kMicrosecond);

void BM_ConsistencyProof(benchmark::State& state) {
  const std::int64_t size = state.range(0);
  MemoryHashStore& store = StoreOf(size);
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    auto from = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(size - 1));
    Result<std::vector<Hash>> proof = ProveConsistency(from, size, store);
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ConsistencyProof)->Arg((1 << 20) - 1)->Unit(benchmark::kMicrosecond);

void BM_VerifyInclusion(benchmark::State& state) {
  const std::int64_t size = state.range(0);
  MemoryHashStore& store = StoreOf(size);
  Hasher h;
  Hash root = *TreeHash(size, store);
  const std::int64_t index = size / 3;
  std::vector<Hash> proof = *ProveInclusion(index, size, store);
  Hash leaf = store.LeafHash(index);
  for (auto _ : state) {
    bool ok = VerifyInclusion(h, index, size, leaf, proof, root);
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyInclusion)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);

// `quanze verify`: stream every entry, hash it, fold it into a CompactRange,
// compare the root at the end. Entries are generated on the fly (~300 B).
void BM_CompactRangeFullVerify(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  std::vector<std::string> entries;
  entries.reserve(4096);
  for (std::int64_t i = 0; i < 4096; ++i) entries.push_back(Entry(i));
  Hasher h;
  for (auto _ : state) {
    CompactRange range;
    for (std::int64_t i = 0; i < n; ++i) {
      std::string& e = entries[static_cast<std::size_t>(i) & 4095];
      e[e.size() - 30] = static_cast<char>('0' + i % 10);  // vary the bytes
      range.Append(h, h.Leaf(e));
    }
    benchmark::DoNotOptimize(range.Root(h));
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<std::int64_t>(entries[0].size()));
}
BENCHMARK(BM_CompactRangeFullVerify)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace quanze::ledger

BENCHMARK_MAIN();
