// UTF-8 → GB18030 with iconv, for the fuzz targets' encoding property: a file
// saved as GB18030 (Excel on Chinese Windows) imports exactly like the same
// text saved as UTF-8.
#pragma once

#include <iconv.h>

#include <optional>
#include <string>
#include <string_view>

namespace quanze::fuzz {

// nullopt when some character has no GB18030 form (GB18030 covers all of
// Unicode, so in practice only for invalid UTF-8).
inline std::optional<std::string> Utf8ToGb18030(std::string_view utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* outp = out.data();
  std::size_t out_left = out.size();
  std::size_t r = iconv(cd, &in, &in_left, &outp, &out_left);
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1) || in_left != 0) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace quanze::fuzz
