// Fuzz target: staffing register import from CSV (domain::ParseRegisterCsv)
// with the default staffing settings.
//
// Input: the file's bytes (UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16).
// Properties: no crash; refusals are kBadRequest or kValidation values whose
// messages and problems are valid UTF-8 (issue 14: a GB18030 file once gave
// invalid UTF-8 messages); ids are unique and positive per town; the same
// text saved as GB18030 imports the same.
#include <cstdint>

#include "domain/text_encoding.h"
#include "fuzz/gb18030.h"
#include "fuzz/staffing_check.h"

using namespace quanze::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const StaffingSettings settings = DefaultStaffingSettings();
  std::string_view bytes = quanze::fuzz::AsText(data, size);
  auto reg = ParseRegisterCsv(bytes, settings);
  quanze::fuzz::CheckRegister(reg);
  if (IsValidUtf8(bytes) && bytes.rfind("\xEF\xBB\xBF", 0) != 0) {
    auto gb = quanze::fuzz::Utf8ToGb18030(bytes);
    if (gb && *gb != bytes && !IsValidUtf8(*gb)) {
      quanze::fuzz::CheckSameOutcome(reg, ParseRegisterCsv(*gb, settings));
    }
  }
  return 0;
}
