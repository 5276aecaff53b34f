// Helpers shared by the libFuzzer targets of this folder (docs/fuzzing.md).
//
// FUZZ_CHECK states a property the code under test promises; when it fails
// the target prints what broke and aborts, which libFuzzer records as a crash
// with the input that caused it. Not for production code: input there never
// aborts (HOUSE-STYLE.md, Errors).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

#define FUZZ_CHECK(cond, what)                                                  \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "%s:%d: property failed: %s (%s)\n", __FILE__,       \
                   __LINE__, #cond, std::string(what).c_str());                 \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

namespace quanze::fuzz {

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// True when `s` is well-formed UTF-8 (nlohmann's strict dump refuses anything else).
inline bool Utf8(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

// What every error value must be: messages in both languages, valid UTF-8
// (they reach users, logs and JSON answers), and a detail that serialises.
inline void CheckErrorValue(const Error& e) {
  FUZZ_CHECK(!e.message_zh.empty() && !e.message_en.empty(), e.Describe());
  FUZZ_CHECK(Utf8(e.message_zh), "message_zh is not UTF-8");
  FUZZ_CHECK(Utf8(e.message_en), "message_en is not UTF-8");
  std::string detail;
  try {
    detail = e.detail.dump();
  } catch (const std::exception& ex) {
    FUZZ_CHECK(false, std::string("error detail does not serialise: ") + ex.what());
  }
  FUZZ_CHECK(e.code != ErrorCode::kInternal, "input produced an internal error: " + e.Describe());
}

}  // namespace quanze::fuzz
