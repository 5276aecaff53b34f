// Fuzz target: catalogue import from JSON (domain::ParseCatalogueJson).
//
// Input: the file's bytes.
// Properties: no crash; errors are values (kBadRequest or kValidation) with
// UTF-8 messages; parsed powers survive WriteCatalogueJson +
// ParseCatalogueJson and WriteCatalogueCsv + ParseCatalogueCsv.
#include <cstdint>

#include "domain/catalogue_io.h"
#include "fuzz/fuzz_support.h"

using namespace quanze::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto powers = ParseCatalogueJson(quanze::fuzz::AsText(data, size));
  if (!powers.ok()) {
    quanze::fuzz::CheckErrorValue(powers.error());
    FUZZ_CHECK(powers.error().code == quanze::ErrorCode::kBadRequest ||
                   powers.error().code == quanze::ErrorCode::kValidation,
               powers.error().Describe());
    return 0;
  }
  auto json = ParseCatalogueJson(WriteCatalogueJson(*powers));
  FUZZ_CHECK(json.ok(), json.ok() ? "" : json.error().Describe());
  FUZZ_CHECK(*json == *powers, "JSON round trip changed the powers");
  auto csv = ParseCatalogueCsv(WriteCatalogueCsv(*powers));
  FUZZ_CHECK(csv.ok(), csv.ok() ? "" : csv.error().Describe());
  FUZZ_CHECK(*csv == *powers, "CSV round trip changed the powers");
  return 0;
}
