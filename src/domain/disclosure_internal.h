// Shared by disclosure.cc (names, secrets, MaskPublicText) and
// disclosure_scan.cc (the normalised view of a text, the e-mail and number
// scanners and the masks of the policy). Not part of the public API.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace quanze::domain::disclosure_internal {

// One character of a text: its bytes [begin, end) in the original and its
// code point normalised for matching: full-width ASCII (０-９, Ｘ, ＠, （, －,
// ...) folded to ASCII, ASCII letters lower-cased, every kind of space and
// line break → ' ', dashes and minus signs → '-', middle dots → '.',
// zero-width characters and the soft hyphen → kZeroWidth. An invalid UTF-8
// byte is one character with code point kInvalid.
struct Char {
  char32_t c = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};
constexpr char32_t kZeroWidth = 0x200B;
constexpr char32_t kInvalid = 0xFFFD;

std::vector<Char> NormalisedChars(std::string_view text);

// Length in bytes of the UTF-8 character starting at s[i]; 1 for an invalid byte.
std::size_t CharLength(std::string_view s, std::size_t i);

inline bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiLetter(char32_t c) { return c >= 'a' && c <= 'z'; }

// Characters that may stand between the digits of one number as people
// write it: spaces, dashes, dots, ASCII commas, '/', brackets, '+', '_' and
// zero-width characters (after normalisation). The full-width comma "，" ends
// a clause and is not one.
bool IsSeparator(char32_t c);

// A range [first, last] of characters replaced by `replacement` on output.
struct Span {
  std::size_t first = 0;
  std::size_t last = 0;
  std::string replacement;
};

// What a run of digits is, by the policy of disclosure.h.
enum class NumberKind { kNone, kIdNumber, kMobile, kLandline, kBankCard };

// A recognised number: its kind, how many leading digits are a country
// prefix ("86", "0086") left as written, and the area-code length of a
// landline (0 otherwise).
struct NumberMatch {
  NumberKind kind = NumberKind::kNone;
  std::size_t prefix = 0;
  std::size_t area = 0;
};

// The kind of `digits` (ASCII digits, possibly ending in 'x' for an ID
// number). `groups` are the lengths of the runs it was written in (one
// entry when written without separators); spaced-out ID numbers must carry
// a plausible birth date and spaced-out bank cards be grouped in runs of 3
// or more, so that dates and lists of small numbers are left alone.
NumberMatch ClassifyNumber(std::string_view digits, const std::vector<std::size_t>& groups);

// The published form of a recognised number (without its prefix).
std::string MaskNumber(const NumberMatch& m, std::string_view digits);

// The spans of every e-mail address / every recognised number among the
// characters not yet `taken`; both mark what they take.
std::vector<Span> FindEmails(const std::vector<Char>& chars, std::vector<bool>& taken);
std::vector<Span> FindNumbers(const std::vector<Char>& chars, std::vector<bool>& taken);

}  // namespace quanze::domain::disclosure_internal
