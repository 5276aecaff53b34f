#include "domain/disclosure.h"

#include <algorithm>
#include <vector>

#include "domain/staffing.h"

namespace quanze::domain {
namespace {

// Common two-character compound surnames (复姓).
constexpr std::string_view kCompoundSurnames[] = {
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "呼延",
    "澹台", "公冶", "太史", "申屠", "闻人", "万俟", "司空", "钟离", "赫连", "第五"};

// Length in bytes of the UTF-8 character starting at s[i]; 1 for an invalid byte.
std::size_t CharLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 1;
  if (i + n > s.size()) {
    return 1;
  }
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
      return 1;
    }
  }
  return n;
}

bool LooksLikeIdNumber(std::string_view s) {
  return s.size() >= 11 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
         });
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool MatchesAt(std::string_view text, std::size_t i, std::string_view secret, bool fold_case) {
  if (text.size() - i < secret.size()) {
    return false;
  }
  if (!fold_case) {
    return text.compare(i, secret.size(), secret) == 0;
  }
  for (std::size_t k = 0; k < secret.size(); ++k) {
    if (Lower(text[i + k]) != Lower(secret[k])) {
      return false;
    }
  }
  return true;
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

std::string MaskText(std::string_view text, std::span<const std::string> secrets) {
  struct Secret {
    std::string_view text;
    std::string mask;
    bool id;
  };
  std::vector<Secret> list;
  for (const std::string& s : secrets) {
    if (s.empty()) {
      continue;
    }
    const bool id = LooksLikeIdNumber(s);
    list.push_back({s, id ? MaskIdNumber(s) : MaskPersonName(s), id});
  }
  std::stable_sort(list.begin(), list.end(),
                   [](const Secret& a, const Secret& b) { return a.text.size() > b.text.size(); });
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto hit = std::find_if(list.begin(), list.end(), [&](const Secret& s) {
      return MatchesAt(text, i, s.text, s.id);
    });
    if (hit != list.end()) {
      out.append(hit->mask);
      i += hit->text.size();
    } else {
      const std::size_t n = CharLength(text, i);
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace quanze::domain
