// Fuzz target: discretion benchmark files (domain::ParseDiscretionBenchmarks,
// data/discretion/*.json) and the ranges they allow (domain::RangeFor).
//
// Input: the file's bytes.
// Properties: no crash, no undefined behaviour in the money arithmetic;
// refusals are kBadRequest or kValidation values with UTF-8 messages; every
// tier of an accepted benchmark is found by code and yields a range with
// min <= max for any positive base (min <= max + 1 for a multiple tier:
// whole fen); an unknown tier is a kValidation value.
#include <cstdint>
#include <limits>

#include "domain/discretion.h"
#include "fuzz/fuzz_support.h"

using namespace quanze::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = ParseDiscretionBenchmarks(quanze::fuzz::AsText(data, size));
  if (!r.ok()) {
    quanze::fuzz::CheckErrorValue(r.error());
    FUZZ_CHECK(r.error().code == quanze::ErrorCode::kBadRequest ||
                   r.error().code == quanze::ErrorCode::kValidation,
               r.error().Describe());
    return 0;
  }
  const std::int64_t bases[] = {1, 123457, 10'000'000'00, std::numeric_limits<std::int64_t>::max()};
  for (const DiscretionBenchmark& b : *r) {
    FUZZ_CHECK(FindBenchmark(*r, b.power_code, b.party) != nullptr, b.power_code);
    for (const DiscretionTier& t : b.tiers) {
      FUZZ_CHECK(b.FindTier(t.code) != nullptr, t.code);
      for (std::int64_t base : bases) {
        auto range = RangeFor(b, t.code, base);
        if (!range.ok()) {
          quanze::fuzz::CheckErrorValue(range.error());
          continue;
        }
        // A multiple range rounds min up and max down to whole fen, so a
        // range narrower than one fen can come out empty ([n+1, n]).
        bool multiple = t.min_multiple || t.max_multiple;
        FUZZ_CHECK(range->min_fen >= 0 && range->min_fen <= range->max_fen + (multiple ? 1 : 0),
                   t.code + " [" + std::to_string(range->min_fen) + ", " +
                       std::to_string(range->max_fen) + "]");
      }
    }
    auto unknown = RangeFor(b, "no-such-tier", 100);
    FUZZ_CHECK(!unknown.ok() && unknown.error().code == quanze::ErrorCode::kValidation,
               "unknown tier accepted");
  }
  return 0;
}
