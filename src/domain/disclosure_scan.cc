// The pattern half of disclosure masking: a normalised view of the text, and
// scanners for e-mail addresses and for numbers (ID, mobile, landline, bank
// card) however they are spaced, dashed, bracketed or written in full width.
//
// Numbers: the digits of the text form runs ("groups"); groups joined by at
// most kMaxGap separator characters form a chain. Each chain is split by a
// small dynamic programme into recognised numbers and leftovers, maximising
// the digits masked, so "138 0013 8000 139-0013-9000" is two mobiles. A date
// (2026-12-06) that would start a chain stands alone, so "2026-12-06
// 13800138000" is a date, left as it is, and a mobile.
#include <algorithm>
#include <array>

#include "domain/disclosure_internal.h"

namespace quanze::domain::disclosure_internal {
namespace {

constexpr std::size_t kMaxGap = 4;            // separator characters between two groups
constexpr std::size_t kMaxNumberDigits = 22;  // "0086" + 18 is more than any kind needs

char32_t Decode(std::string_view s, std::size_t i, std::size_t n) {
  const auto b = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]));
  };
  if (n == 1) return b(0) < 0x80 ? b(0) : kInvalid;
  if (n == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (n == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

char32_t Normalise(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
  if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  if (c == '\t' || c == '\n' || c == '\r' || c == 0x00A0 || c == 0x1680 ||
      (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
      c == 0x3000) {
    return ' ';
  }
  if (c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x00AD) {
    return kZeroWidth;
  }
  if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 || c == 0xFE63) return '-';
  if (c == 0x00B7 || c == 0x2022 || c == 0x2027 || c == 0x30FB || c == 0x2219) return '.';
  return c;
}

bool PlausibleDate(std::string_view month, std::string_view day) {
  const int m = (month[0] - '0') * 10 + (month[1] - '0');
  const int d = (day[0] - '0') * 10 + (day[1] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The first two digits of an ID number: a province (GB/T 2260), 91 for
// foreigners' permanent residence cards, 99 for the demo province.
bool ProvinceCode(std::string_view d) {
  static constexpr std::array<std::string_view, 37> kCodes = {
      "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35",
      "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
      "61", "62", "63", "64", "65", "71", "81", "82", "83", "91", "99"};
  return std::find(kCodes.begin(), kCodes.end(), d.substr(0, 2)) != kCodes.end();
}

// 18 characters (the last may be 'x') or 15 digits; spaced out, only with a
// province code and a plausible birth date (YYYYMMDD from the 7th character,
// YYMMDD for 15), so that a date next to a phone number is not taken for one.
bool IsIdNumber(std::string_view d, bool spaced) {
  if (d.size() < 15 || d[0] == '0' || (spaced && !ProvinceCode(d))) return false;
  if (d.size() == 18 && AllDigits(d.substr(0, 17)) && (AllDigits(d.substr(17)) || d[17] == 'x')) {
    const std::string_view century = d.substr(6, 2);
    const bool century_ok = century == "18" || century == "19" || century == "20";
    return !spaced || (century_ok && PlausibleDate(d.substr(10, 2), d.substr(12, 2)));
  }
  if (d.size() == 15 && AllDigits(d))
    return !spaced || PlausibleDate(d.substr(8, 2), d.substr(10, 2));
  return false;
}

bool IsMobile(std::string_view d) {
  return d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

// Area code and local number: 0 + 2 digits for 010 and 02x, else 0 + 3; 7 or 8
// local digits. Returns the area-code length, or 0.
std::size_t LandlineArea(std::string_view d) {
  if (d.size() < 10 || d[0] != '0' || d[1] == '0') return 0;
  const std::size_t area = d[1] == '1' || d[1] == '2' ? 3 : 4;
  const std::size_t local = d.size() - area;
  return local == 7 || local == 8 ? area : 0;
}

// A number spaced out digit by digit, or in runs of two or more (the last
// run may be shorter): "1 3 8 ...", "138 0013 8000", but not the mixed runs
// of a list ("3 4 5 6 7 8 9 10 11 12").
bool PlausibleGrouping(const std::vector<std::size_t>& groups) {
  const bool singles =
      std::all_of(groups.begin(), groups.end(), [](std::size_t g) { return g == 1; });
  return singles ||
         std::all_of(groups.begin(), groups.end() - 1, [](std::size_t g) { return g >= 2; });
}

bool LuhnValid(std::string_view d) {
  int sum = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    int v = d[d.size() - 1 - i] - '0';
    if (i % 2 == 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  return sum % 10 == 0;
}

}  // namespace

std::size_t CharLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 1;
  if (i + n > s.size()) return 1;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

std::vector<Char> NormalisedChars(std::string_view text) {
  std::vector<Char> out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = CharLength(text, i);
    out.push_back({Normalise(Decode(text, i, n)), i, i + n});
    i += n;
  }
  return out;
}

bool IsSeparator(char32_t c) {
  return c == ' ' || c == '-' || c == '.' || c == ',' || c == '/' || c == '(' || c == ')' ||
         c == '[' || c == ']' || c == '+' || c == '_' || c == kZeroWidth;
}

NumberMatch ClassifyNumber(std::string_view d, const std::vector<std::size_t>& groups) {
  const bool spaced = groups.size() > 1;
  if (spaced && !PlausibleGrouping(groups)) return {};
  if (IsIdNumber(d, spaced)) return {NumberKind::kIdNumber, 0, 0};
  if (!AllDigits(d)) return {};
  for (std::string_view prefix : {"", "86", "0086"}) {
    if (!d.starts_with(prefix)) continue;
    const std::string_view rest = d.substr(prefix.size());
    if (IsMobile(rest)) return {NumberKind::kMobile, prefix.size(), 0};
    if (prefix.empty()) {
      if (const std::size_t area = LandlineArea(rest)) return {NumberKind::kLandline, 0, area};
    } else if (rest.size() >= 9 && rest[0] != '0') {  // +86 571 8888 6666: no trunk 0
      const std::string with_zero = "0" + std::string(rest);
      if (const std::size_t area = LandlineArea(with_zero)) {
        return {NumberKind::kLandline, prefix.size(), area - 1};
      }
    }
  }
  if (d.size() < 16 || d.size() > 19 || d[0] == '0') return {};
  if (!spaced) return {NumberKind::kBankCard, 0, 0};
  // Spaced out: runs of 3 or more, and a card brand's first digit or a valid
  // Luhn check digit, so that a list of years is not a card.
  const bool runs =
      std::all_of(groups.begin(), groups.end() - 1, [](std::size_t g) { return g >= 3; });
  const bool brand = std::string_view("345689").find(d[0]) != std::string_view::npos;
  return runs && (brand || LuhnValid(d)) ? NumberMatch{NumberKind::kBankCard, 0, 0} : NumberMatch{};
}

std::string MaskNumber(const NumberMatch& m, std::string_view digits) {
  std::string d(digits.substr(m.prefix));
  std::transform(d.begin(), d.end(), d.begin(), [](char c) { return c == 'x' ? 'X' : c; });
  const auto keep = [&d](std::size_t head, std::size_t tail) {
    return d.substr(0, head) + std::string(d.size() - head - tail, '*') + d.substr(d.size() - tail);
  };
  switch (m.kind) {
    case NumberKind::kIdNumber:
      return keep(3, 2);
    case NumberKind::kMobile:
      return keep(3, 4);
    case NumberKind::kLandline:
      return d.substr(0, m.area) + "-" + keep(m.area, 2).substr(m.area);
    case NumberKind::kBankCard:
      return keep(0, 4);
    case NumberKind::kNone:
      break;
  }
  return std::string(d.size(), '*');
}

namespace {

// One run of digits: the character index of each digit, and whether it ends
// in the 'x' check character of an ID number.
struct Group {
  std::vector<std::size_t> at;
  bool x = false;
};

constexpr std::size_t kSkip = static_cast<std::size_t>(-1);

// Splits a chain of groups into numbers (see the top of the file) and
// appends their spans.
void SplitChain(const std::vector<Char>& chars, const std::vector<Group>& chain,
                std::vector<bool>& taken, std::vector<Span>& spans) {
  const std::size_t m = chain.size();
  std::vector<std::size_t> best(m + 1, 0), end(m, kSkip);
  std::vector<NumberMatch> match(m);
  for (std::size_t i = m; i-- > 0;) {
    best[i] = best[i + 1];
    std::string digits;
    std::vector<std::size_t> lengths;
    for (std::size_t j = i; j < m && (j == i || !chain[j - 1].x); ++j) {
      for (std::size_t k : chain[j].at) digits += static_cast<char>(chars[k].c);
      lengths.push_back(chain[j].at.size() - (chain[j].x ? 1 : 0));  // digits only
      if (digits.size() > kMaxNumberDigits) break;
      const NumberMatch nm = ClassifyNumber(digits, lengths);
      if (nm.kind == NumberKind::kNone) continue;
      const std::size_t score =
          digits.size() * 2 + (nm.kind != NumberKind::kBankCard) + best[j + 1];
      if (score > best[i]) {
        best[i] = score;
        end[i] = j;
        match[i] = nm;
      }
    }
  }
  for (std::size_t i = 0; i < m;) {
    if (end[i] == kSkip) {
      ++i;
      continue;
    }
    std::string digits;
    std::vector<std::size_t> at;
    for (std::size_t j = i; j <= end[i]; ++j) {
      for (std::size_t k : chain[j].at) {
        digits += static_cast<char>(chars[k].c);
        at.push_back(k);
      }
    }
    std::size_t first = at[match[i].prefix];
    if (match[i].kind == NumberKind::kLandline && first > 0 && chars[first - 1].c == '(' &&
        !taken[first - 1]) {
      --first;  // "(0571) 8888 6666": the bracket goes with the area code
    }
    std::fill(taken.begin() + static_cast<std::ptrdiff_t>(first),
              taken.begin() + static_cast<std::ptrdiff_t>(at.back() + 1), true);
    spans.push_back({first, at.back(), MaskNumber(match[i], digits)});
    i = end[i] + 1;
  }
}

// True when the characters strictly between two groups may join them.
bool Joins(const std::vector<Char>& chars, const std::vector<bool>& taken, const Group& before,
           const Group& after) {
  const std::size_t from = before.at.back() + 1, to = after.at.front();
  if (before.x || to - from > kMaxGap) return false;
  for (std::size_t k = from; k < to; ++k) {
    if (taken[k] || !IsSeparator(chars[k].c)) return false;
  }
  return true;
}

}  // namespace

namespace {

// The runs of digits among the characters not yet taken.
std::vector<Group> Groups(const std::vector<Char>& chars, const std::vector<bool>& taken) {
  std::vector<Group> out;
  const std::size_t n = chars.size();
  for (std::size_t i = 0; i < n;) {
    if (taken[i] || !IsDigit(chars[i].c)) {
      ++i;
      continue;
    }
    Group g;
    while (i < n && !taken[i] && IsDigit(chars[i].c)) g.at.push_back(i++);
    // The check character of an ID number, also when spaced off: "... 1 2 9 X".
    std::size_t x = i;
    while (x < n && x - i < kMaxGap && !taken[x] && IsSeparator(chars[x].c)) ++x;
    const bool word_follows =
        x + 1 < n && (IsAsciiLetter(chars[x + 1].c) || IsDigit(chars[x + 1].c));
    if (x < n && !taken[x] && chars[x].c == 'x' && !word_follows) {
      g.at.push_back(x);
      g.x = true;
      i = x + 1;
    }
    out.push_back(std::move(g));
  }
  return out;
}

int Value(const std::vector<Char>& chars, const Group& g) {
  int v = 0;
  for (std::size_t k : g.at) v = v * 10 + static_cast<int>(chars[k].c - '0');
  return v;
}

// Groups i, i+1, i+2 are a date: 2026-12-06, 2026/1/5, 2026.12.06.
bool DateAt(const std::vector<Char>& chars, const std::vector<Group>& gs, std::size_t i) {
  if (i + 2 >= gs.size()) return false;
  const Group &y = gs[i], &m = gs[i + 1], &d = gs[i + 2];
  if (y.x || m.x || d.x || y.at.size() != 4 || m.at.size() > 2 || d.at.size() > 2) return false;
  if (m.at.front() != y.at.back() + 2 || d.at.front() != m.at.back() + 2) return false;
  const char32_t sep = chars[y.at.back() + 1].c;
  if (chars[m.at.back() + 1].c != sep || (sep != '-' && sep != '/' && sep != '.')) return false;
  const int year = Value(chars, y), month = Value(chars, m), day = Value(chars, d);
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

std::vector<Span> FindNumbers(const std::vector<Char>& chars, std::vector<bool>& taken) {
  std::vector<Span> spans;
  const std::vector<Group> groups = Groups(chars, taken);
  std::vector<Group> chain;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    if (chain.empty() || !Joins(chars, taken, chain.back(), groups[k])) {
      SplitChain(chars, chain, taken, spans);
      chain.clear();
      // A date that starts a chain is a date, not the head of a phone number;
      // inside a chain ("110101-1990-03-07-1234") it may be a birth date.
      if (DateAt(chars, groups, k)) {
        k += 2;
        continue;
      }
    }
    chain.push_back(groups[k]);
  }
  SplitChain(chars, chain, taken, spans);
  return spans;
}

namespace {

bool LocalChar(char32_t c) {
  return IsDigit(c) || IsAsciiLetter(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool LabelChar(char32_t c) { return IsDigit(c) || IsAsciiLetter(c) || c == '-'; }
bool Blank(char32_t c) { return c == ' ' || c == kZeroWidth; }

// Length in characters of the word `w` in brackets at k ("(at)", "[dot]"), or 0.
std::size_t Bracketed(const std::vector<Char>& chars, std::size_t k, std::string_view w) {
  if (k + w.size() + 1 >= chars.size() || (chars[k].c != '(' && chars[k].c != '[')) return 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (chars[k + 1 + i].c != static_cast<char32_t>(w[i])) return 0;
  }
  const char32_t close = chars[k + w.size() + 1].c;
  return close == ')' || close == ']' ? w.size() + 2 : 0;
}

// The labels of a domain starting at k ("163 . com", "qq(dot)com"), and the
// index of its last character; empty unless it has two labels or more and
// ends in a top-level domain of letters.
std::vector<std::string> DomainAt(const std::vector<Char>& chars, const std::vector<bool>& taken,
                                  std::size_t k, std::size_t& last) {
  std::vector<std::string> labels;
  const std::size_t n = chars.size();
  for (std::size_t i = k;;) {
    std::string label;
    std::size_t j = i;
    for (; j < n && !taken[j] && LabelChar(chars[j].c); ++j) label += static_cast<char>(chars[j].c);
    if (label.empty()) break;
    labels.push_back(label);
    last = j - 1;
    std::size_t d = j;
    if (d < n && Blank(chars[d].c)) ++d;
    const std::size_t dot = d < n && chars[d].c == '.' ? 1 : Bracketed(chars, d, "dot");
    if (dot == 0) break;
    i = d + dot;
    if (i < n && Blank(chars[i].c)) ++i;
  }
  const std::string& tld = labels.empty() ? std::string() : labels.back();
  const bool letters = tld.size() >= 2 && std::all_of(tld.begin(), tld.end(),
                                                      [](char c) { return c >= 'a' && c <= 'z'; });
  if (labels.size() < 2 || !letters) labels.clear();
  return labels;
}

}  // namespace

std::vector<Span> FindEmails(const std::vector<Char>& chars, std::vector<bool>& taken) {
  std::vector<Span> spans;
  for (std::size_t k = 0; k < chars.size(); ++k) {
    const std::size_t at = chars[k].c == '@' ? 1 : Bracketed(chars, k, "at");
    if (at == 0 || taken[k]) continue;
    std::size_t l = k;
    for (int blanks = 0; blanks < 2 && l > 0 && Blank(chars[l - 1].c); ++blanks) --l;
    std::size_t begin = l;
    while (begin > 0 && !taken[begin - 1] && LocalChar(chars[begin - 1].c)) --begin;
    while (begin < l && !IsDigit(chars[begin].c) && !IsAsciiLetter(chars[begin].c)) ++begin;
    std::size_t r = k + at;
    for (int blanks = 0; blanks < 2 && r < chars.size() && Blank(chars[r].c); ++blanks) ++r;
    std::size_t last = 0;
    const std::vector<std::string> labels = DomainAt(chars, taken, r, last);
    if (begin == l || labels.empty()) continue;
    std::string out(1, static_cast<char>(chars[begin].c));
    out += "***@" + labels[0];
    for (std::size_t i = 1; i < labels.size(); ++i) out += "." + labels[i];
    std::fill(taken.begin() + static_cast<std::ptrdiff_t>(begin),
              taken.begin() + static_cast<std::ptrdiff_t>(last + 1), true);
    spans.push_back({begin, last, std::move(out)});
    k = last;
  }
  return spans;
}

}  // namespace quanze::domain::disclosure_internal
