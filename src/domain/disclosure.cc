#include "domain/disclosure.h"

#include <algorithm>
#include <vector>

#include "domain/disclosure_internal.h"

namespace quanze::domain {
namespace {

// Common two-character compound surnames (复姓).
constexpr std::string_view kCompoundSurnames[] = {
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "呼延",
    "澹台", "公冶", "太史", "申屠", "闻人", "万俟", "司空", "钟离", "赫连", "第五"};

using disclosure_internal::Char;
using disclosure_internal::CharLength;
using disclosure_internal::Span;
namespace di = disclosure_internal;

// A secret as matched: its normalised characters without spacing, and the
// text that replaces it.
struct Secret {
  std::vector<char32_t> pattern;
  std::string mask;
};

// Digits (and letters) only, with a digit: an ID, phone or card number, masked
// by the number policy; anything else is a name, masked by MaskPersonName.
Secret MakeSecret(const std::string& text) {
  Secret s;
  std::string ascii;
  bool numeric = true, digit = false;
  for (const Char& ch : di::NormalisedChars(text)) {
    if (di::IsSeparator(ch.c)) continue;
    s.pattern.push_back(ch.c);
    numeric = numeric && (di::IsDigit(ch.c) || di::IsAsciiLetter(ch.c));
    digit = digit || di::IsDigit(ch.c);
    if (ch.c < 0x80) ascii += static_cast<char>(ch.c);
  }
  if (!numeric || !digit) {
    std::string_view name = text;
    for (std::string_view blank : {" ", "\t", "\u3000"}) {
      while (name.starts_with(blank)) name.remove_prefix(blank.size());
      while (name.ends_with(blank)) name.remove_suffix(blank.size());
    }
    s.mask = MaskPersonName(name);
    return s;
  }
  const di::NumberMatch m = di::ClassifyNumber(ascii, {ascii.size()});
  if (m.kind != di::NumberKind::kNone) {
    s.mask = di::MaskNumber(m, ascii);
  } else {
    const std::size_t keep = ascii.size() >= 7 ? 2 : 0;
    s.mask = std::string(ascii.size() - keep, '*') + ascii.substr(ascii.size() - keep);
  }
  return s;
}

// The index of the last character of `pattern` matched at i (up to three
// separators may stand between two of its characters), or npos.
std::size_t MatchAt(const std::vector<Char>& chars, const std::vector<bool>& taken, std::size_t i,
                    const std::vector<char32_t>& pattern) {
  std::size_t k = i;
  for (std::size_t p = 0; p < pattern.size(); ++p, ++k) {
    for (int skipped = 0; p > 0 && skipped < 3 && k < chars.size() && !taken[k] &&
                          chars[k].c != pattern[p] && di::IsSeparator(chars[k].c);
         ++skipped) {
      ++k;
    }
    if (k >= chars.size() || taken[k] || chars[k].c != pattern[p]) return std::string::npos;
  }
  return k - 1;
}

std::vector<Span> FindSecrets(const std::vector<Char>& chars, std::vector<bool>& taken,
                              std::span<const std::string> secrets) {
  std::vector<Secret> list;
  for (const std::string& s : secrets) {
    Secret secret = MakeSecret(s);
    if (!secret.pattern.empty()) list.push_back(std::move(secret));
  }
  std::stable_sort(list.begin(), list.end(), [](const Secret& a, const Secret& b) {
    return a.pattern.size() > b.pattern.size();
  });
  std::vector<Span> spans;
  for (std::size_t i = 0; i < chars.size() && !list.empty(); ++i) {
    for (const Secret& s : list) {
      const std::size_t last = MatchAt(chars, taken, i, s.pattern);
      if (last == std::string::npos) continue;
      std::fill(taken.begin() + static_cast<std::ptrdiff_t>(i),
                taken.begin() + static_cast<std::ptrdiff_t>(last + 1), true);
      spans.push_back({i, last, s.mask});
      i = last;
      break;
    }
  }
  return spans;
}

}  // namespace

std::string MaskPersonName(std::string_view name) {
  if (name.empty()) {
    return {};
  }
  std::size_t keep = CharLength(name, 0);
  for (std::string_view surname : kCompoundSurnames) {
    if (name.starts_with(surname) && name.size() > surname.size()) {
      keep = surname.size();
      break;
    }
  }
  if (keep == name.size()) {
    return "*";
  }
  std::string out(name.substr(0, keep));
  for (std::size_t i = keep; i < name.size();) {
    const std::size_t n = CharLength(name, i);
    const std::string_view ch = name.substr(i, n);
    out.append(ch == " " || ch == "·" ? ch : std::string_view("*"));
    i += n;
  }
  return out;
}

std::string MaskPublicText(std::string_view text, std::span<const std::string> secrets) {
  const std::vector<Char> chars = di::NormalisedChars(text);
  std::vector<bool> taken(chars.size(), false);
  std::vector<Span> spans = di::FindEmails(chars, taken);
  for (Span& s : FindSecrets(chars, taken, secrets)) spans.push_back(std::move(s));
  for (Span& s : di::FindNumbers(chars, taken)) spans.push_back(std::move(s));
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.first < b.first; });
  std::string out;
  out.reserve(text.size());
  auto next = spans.begin();
  for (std::size_t i = 0; i < chars.size(); ++i) {
    if (next != spans.end() && next->first == i) {
      out += next->replacement;
      i = next->last;
      ++next;
    } else {
      out.append(text.substr(chars[i].begin, chars[i].end - chars[i].begin));
    }
  }
  return out;
}

std::string MaskText(std::string_view text, std::span<const std::string> secrets) {
  return MaskPublicText(text, secrets);
}

}  // namespace quanze::domain
