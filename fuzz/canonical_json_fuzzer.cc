// Fuzz target: the ledger's RFC 8785 canonical JSON (ledger::CanonicalJson,
// ledger::CanonicalNumber), the exact bytes every log entry is hashed over.
//
// Input: a JSON text (values nest at most as deep as the edge accepts, 64),
// or any 8 bytes read as a double.
// Properties: no crash; refusals are kBadRequest values with UTF-8 messages;
// canonical output is valid UTF-8 JSON that parses back, and is a fixed point
// (canonicalising the parsed output gives the same bytes); a finite double's
// canonical text reads back as the same double.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "fuzz/fuzz_support.h"
#include "fuzz/json_depth.h"
#include "ledger/canonical_json.h"

using namespace quanze;

namespace {

void CheckNumber(const std::uint8_t* data, std::size_t size) {
  if (size < sizeof(double)) return;
  double d;
  std::memcpy(&d, data, sizeof d);
  auto text = ledger::CanonicalNumber(d);
  if (!std::isfinite(d)) {
    FUZZ_CHECK(!text.ok() && text.error().code == ErrorCode::kBadRequest, "NaN or infinity");
    return;
  }
  FUZZ_CHECK(text.ok(), text.ok() ? "" : text.error().Describe());
  double back = std::strtod(text->c_str(), nullptr);
  FUZZ_CHECK(back == d, *text);
  FUZZ_CHECK(*text != "-0", "negative zero written");
}

void AsDoubles(nlohmann::json& j) {
  constexpr std::int64_t kMaxSafe = (std::int64_t{1} << 53) - 1;
  if (j.is_structured()) {
    for (auto& v : j) AsDoubles(v);
  } else if (j.is_number_unsigned()) {
    if (j.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxSafe)) j = j.get<double>();
  } else if (j.is_number_integer()) {
    std::int64_t v = j.get<std::int64_t>();
    if (v > kMaxSafe || v < -kMaxSafe) j = j.get<double>();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  CheckNumber(data, size);
  std::string_view text = fuzz::AsText(data, size);
  auto depth = fuzz::JsonDepth(text);
  if (!depth || *depth > 64) return 0;
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded()) return 0;
  auto canonical = ledger::CanonicalJson(value);
  if (!canonical.ok()) {
    fuzz::CheckErrorValue(canonical.error());
    FUZZ_CHECK(canonical.error().code == ErrorCode::kBadRequest, canonical.error().Describe());
    return 0;
  }
  FUZZ_CHECK(fuzz::Utf8(*canonical), "canonical output is not UTF-8");
  nlohmann::json back = nlohmann::json::parse(*canonical, nullptr, false);
  FUZZ_CHECK(!back.is_discarded(), "canonical output is not JSON: " + *canonical);
  // JCS readers take every number as a double; nlohmann reads digits as an
  // integer, which the encoder refuses beyond 2^53 - 1 although a double of
  // that size is written in integer notation. Read such integers as doubles.
  AsDoubles(back);
  auto again = ledger::CanonicalJson(back);
  FUZZ_CHECK(again.ok(), *canonical + (again.ok() ? "" : ": " + again.error().Describe()));
  FUZZ_CHECK(*again == *canonical, *canonical + " vs " + *again);
  return 0;
}
