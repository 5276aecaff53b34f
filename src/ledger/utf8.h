// UTF-8 decoding shared by the note and canonical JSON code (internal to
// ledger/). Strict RFC 3629: no overlong forms, no surrogates, <= U+10FFFF.
#pragma once

#include <cstddef>
#include <string_view>

namespace quanze::ledger::utf8 {

// One decoded code point and the number of bytes it took; length 0 means the
// bytes at the position are not valid UTF-8.
struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 0;
};

// Decodes the code point starting at s[pos]; requires pos < s.size().
Decoded DecodeAt(std::string_view s, std::size_t pos);

// True iff s is entirely valid UTF-8.
bool IsValid(std::string_view s);

}  // namespace quanze::ledger::utf8
