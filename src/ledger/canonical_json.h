// RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes of a ledger
// entry (docs/ledger-format.md §1).
//
//   - no whitespace; object members sorted by key compared as UTF-16 code
//     units; arrays in order; literals null, true, false;
//   - strings: UTF-8 as is, except '"' -> \", '\' -> \\, U+0008 \b, U+0009 \t,
//     U+000A \n, U+000C \f, U+000D \r, other U+0000..U+001F -> \u00xx (lowercase);
//   - numbers: ECMAScript Number.prototype.toString of the IEEE 754 double
//     (shortest round trip; plain notation for 1e-7 <= |x| < 1e21, else
//     d.ddde+NN / d.ddde-NN; -0 -> 0). Integers are written in decimal and must
//     lie within ±(2^53 - 1) so that every JCS implementation agrees on them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"

namespace quanze::ledger {

// The canonical form of `value`. Error kBadRequest for NaN or infinity, an
// integer outside ±(2^53 - 1), invalid UTF-8 in a string or key, or a binary
// value. Thread-safe.
Result<std::string> CanonicalJson(const nlohmann::json& value);

// ECMAScript Number.prototype.toString for a finite double (RFC 8785 §3.2.2.3).
// Error kBadRequest for NaN or infinity.
Result<std::string> CanonicalNumber(double value);

}  // namespace quanze::ledger
