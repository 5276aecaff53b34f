// Text encodings of imported files (导入文件编码). Excel on Chinese Windows
// saves "CSV" as GB18030/GBK and "Unicode text" as UTF-16; everything inside
// quanze is UTF-8. Used by every import (catalogue, staffing) so that all of
// them accept the same files and report undecodable bytes the same way.
//
// Pure functions; thread-safe (each call opens its own iconv descriptor).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace quanze::domain {

// UTF-8 text of `bytes`: a UTF-8 BOM is stripped; valid UTF-8 is returned as
// is; UTF-16 with a BOM and otherwise GB18030 (a superset of GBK and GB2312)
// are converted with iconv. kBadRequest, naming the byte offset, when the
// bytes are neither (or look like an .xlsx workbook).
Result<std::string> DecodeToUtf8(std::string_view bytes);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view text);

}  // namespace quanze::domain
