// Fuzz target: catalogue import from CSV (domain::ParseCatalogueCsv), with
// the text decoding every import shares (domain::DecodeToUtf8) and the CSV
// reader and writer (ReadCsv, WriteCsvRecord).
//
// Input: the file's bytes (UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16).
// Properties: no crash; errors are values (kBadRequest or kValidation) with
// UTF-8 messages; decoded text is UTF-8 and valid UTF-8 is kept as it is;
// records survive WriteCsvRecord + ReadCsv; parsed powers survive
// WriteCatalogueCsv + ParseCatalogueCsv and WriteCatalogueJson +
// ParseCatalogueJson; the same text saved as GB18030 imports the same.
#include <cstdint>

#include "domain/catalogue_io.h"
#include "fuzz/fuzz_support.h"
#include "fuzz/gb18030.h"

namespace {

using namespace quanze::domain;
using quanze::ErrorCode;
using quanze::fuzz::CheckErrorValue;

void CheckDecode(std::string_view bytes) {
  auto text = DecodeToUtf8(bytes);
  if (!text.ok()) {
    CheckErrorValue(text.error());
    FUZZ_CHECK(text.error().code == ErrorCode::kBadRequest, text.error().Describe());
    // Only an .xlsx workbook (a ZIP file) is refused although its bytes may be UTF-8.
    FUZZ_CHECK(!IsValidUtf8(bytes) || bytes.rfind("PK\x03\x04", 0) == 0, "valid UTF-8 refused");
    return;
  }
  FUZZ_CHECK(IsValidUtf8(*text), "decoded text is not UTF-8");
  if (IsValidUtf8(bytes) && bytes.rfind("\xEF\xBB\xBF", 0) != 0) {
    FUZZ_CHECK(*text == bytes, "valid UTF-8 changed by decoding");
  }
  auto records = ReadCsv(*text);
  if (!records.ok()) {
    CheckErrorValue(records.error());
    return;
  }
  std::string again;
  for (const CsvRecord& r : *records) again += WriteCsvRecord(r.fields);
  auto reread = ReadCsv(again);
  FUZZ_CHECK(reread.ok(), "written CSV does not read back");
  FUZZ_CHECK(reread->size() == records->size(), "record count changed");
  for (std::size_t i = 0; i < records->size(); ++i) {
    FUZZ_CHECK((*reread)[i].fields == (*records)[i].fields, "record " + std::to_string(i));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes = quanze::fuzz::AsText(data, size);
  CheckDecode(bytes);
  auto powers = ParseCatalogueCsv(bytes);
  if (!powers.ok()) {
    CheckErrorValue(powers.error());
    FUZZ_CHECK(powers.error().code == ErrorCode::kBadRequest ||
                   powers.error().code == ErrorCode::kValidation,
               powers.error().Describe());
  } else {
    auto csv = ParseCatalogueCsv(WriteCatalogueCsv(*powers));
    FUZZ_CHECK(csv.ok(), csv.ok() ? "" : csv.error().Describe());
    FUZZ_CHECK(*csv == *powers, "CSV round trip changed the powers");
    auto json = ParseCatalogueJson(WriteCatalogueJson(*powers));
    FUZZ_CHECK(json.ok(), json.ok() ? "" : json.error().Describe());
    FUZZ_CHECK(*json == *powers, "JSON round trip changed the powers");
  }
  // The same text in GB18030 (when that differs and cannot pass for UTF-8).
  if (IsValidUtf8(bytes) && bytes.rfind("\xEF\xBB\xBF", 0) != 0) {
    auto gb = quanze::fuzz::Utf8ToGb18030(bytes);
    if (gb && *gb != bytes && !IsValidUtf8(*gb)) {
      auto from_gb = ParseCatalogueCsv(*gb);
      FUZZ_CHECK(from_gb.ok() == powers.ok(), "GB18030 and UTF-8 disagree");
      if (powers.ok()) {
        FUZZ_CHECK(*from_gb == *powers, "GB18030 gives other powers");
      } else {
        FUZZ_CHECK(from_gb.error().code == powers.error().code &&
                       from_gb.error().message_en == powers.error().message_en,
                   from_gb.error().Describe() + " vs " + powers.error().Describe());
      }
    }
  }
  return 0;
}
