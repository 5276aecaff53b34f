// Costs around the Merkle log: canonical JSON of an event, keyed personal-data
// commitments, checkpoint signing and verification.
#include <benchmark/benchmark.h>

#include <string>

#include "ledger/canonical_json.h"
#include "ledger/hash.h"
#include "ledger/note.h"

namespace quanze::ledger {
namespace {

void BM_CanonicalJsonEvent(benchmark::State& state) {
  nlohmann::json event = {
      {"type", "case.accepted"},
      {"at", "2025-03-01T09:30:00+08:00"},
      {"actor", {{"user_id", "u-000417"}, {"post_id", "p-330102-017"}}},
      {"subject", {{"kind", "case"}, {"id", "c-2025-000123456"}}},
      {"data",
       {{"item", "330102-XK-0042"},
        {"outcome", "accepted"},
        {"fee_fen", 12000},
        {"applicant", "hmac-sha256:q1X7Jt0uYkqS3m2cWbZ8o5VdN4rLhE6aPfG9iTzKxyA="}}},
      {"seq", 123456},
  };
  for (auto _ : state) {
    Result<std::string> bytes = CanonicalJson(event);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalJsonEvent);

void BM_HmacCommitment(benchmark::State& state) {
  std::string key(32, 'k');
  for (auto _ : state) {
    std::string c =
        "hmac-sha256:" +
        Base64Encode(std::span<const std::uint8_t>(HmacSha256(key, "330102199001011234")));
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HmacCommitment);

void BM_SignCheckpoint(benchmark::State& state) {
  NoteSigner signer = NoteSigner::Generate("quanze.demo/ledger").value();
  std::string body = FormatCheckpoint({"quanze.demo/ledger", 1 << 20, EmptyTreeHash()});
  for (auto _ : state) benchmark::DoNotOptimize(signer.Sign(body));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignCheckpoint);

void BM_VerifyCheckpoint(benchmark::State& state) {
  NoteSigner signer = NoteSigner::Generate("quanze.demo/ledger").value();
  NoteVerifier verifier = NoteVerifier::FromVerifierKey(signer.VerifierKey()).value();
  std::string note =
      signer.Sign(FormatCheckpoint({"quanze.demo/ledger", 1 << 20, EmptyTreeHash()}));
  for (auto _ : state) {
    Result<std::string> body = verifier.Verify(note);
    benchmark::DoNotOptimize(body);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyCheckpoint);

}  // namespace
}  // namespace quanze::ledger

BENCHMARK_MAIN();
