// Disclosure masking (公示脱敏): what may be shown of a person in published
// decisions (行政处罚法 第四十八条 公开), lists and logs. Names keep the surname,
// ID numbers keep the region code and check digits (MaskIdNumber, staffing.h),
// and free text has both replaced wherever they occur.
//
// Pure functions over UTF-8 text; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace quanze::domain {

// Keeps the surname and masks the rest of a name, one '*' per character:
// "张三" → "张*", "李小龙" → "李**", "欧阳修文" → "欧阳**" (common two-character
// compound surnames are kept whole when the name is longer than the surname).
// Spaces and the middle dot of transliterated names ("·") stay as they are.
// A one-character name becomes "*"; an empty name stays empty. Invalid UTF-8
// bytes count as one character each.
std::string MaskPersonName(std::string_view name);

// `text` with every occurrence of each secret replaced by its mask: a secret
// that looks like an ID number (11 or more ASCII letters and digits, matched
// ignoring ASCII case, so a trailing "x" matches "X") by MaskIdNumber, any
// other by MaskPersonName. Longer secrets win over shorter ones they contain
// ("张三丰" before "张三"); empty secrets are ignored. Matches start on a
// character boundary.
std::string MaskText(std::string_view text, std::span<const std::string> secrets);

}  // namespace quanze::domain
