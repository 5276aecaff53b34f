// Disclosure masking (公示脱敏): what may be shown of a person in published
// decisions (行政处罚法 第四十八条 公开), lists and logs.
//
// Policy of MaskPublicText (every mask uses one '*' per hidden character and
// is written in ASCII whatever the width of the original):
//  - ID number (身份证号), 18 characters (last may be X/x) or the old 15
//    digits: the first 3 and last 2 kept, "110*************34". The first 3
//    name only a province and prefecture; birth date, sequence and most of the
//    check digits are hidden.
//  - Mobile (手机号), 11 digits 1[3-9]..., with or without +86 / 0086 (the
//    prefix stays as written): first 3 and last 4, "138****8000", the form
//    Chinese carriers and banks print.
//  - Landline (固定电话), area code 0xx / 0xxx (or after +86 without the 0)
//    and 7-8 digits: the area code (a city) and the last 2 digits,
//    "0571-******66"; an extension after it is not personal and stays.
//  - Bank card (银行卡号), 16-19 digits: the last 4, "************1234". No
//    Luhn check: a mistyped card must still be hidden.
//  - E-mail: the first character of the mailbox and the domain,
//    "z***@163.com" (also written "z ＠ 163 . com", "z(at)163(dot)com").
//  - The case's own personal data passed as secrets: a name keeps its
//    surname (MaskPersonName); a number is masked by the rules above (a
//    number of no known kind keeps at most its last 2 digits when it has 7 or
//    more). Secrets match ignoring ASCII case and width and with up to three
//    spaces, dashes, dots or zero-width characters between their characters
//    ("张 三", "张·三").
// Numbers are found however they are written: spaces (also full-width and
// zero-width), dashes (-, －, —, −), dots, brackets, '/', '+' between digit
// runs, full-width digits ０-９. Ordinary numbers stay: dates (2026-12-06),
// amounts (5000元), case numbers (桥市监罚〔2026〕12号), article numbers, counts;
// a number is masked only when its digits, joined across separators, have
// the shape of one of the kinds above (spaced ID numbers must also carry a
// plausible birth date, spaced bank cards runs of 3 or more digits).
// Over-masking a long unrelated number is accepted; missing personal data
// is not.
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

// `text` ready for publication: every ID number, mobile, landline, bank
// card and e-mail address, and every occurrence of each secret (the case's
// names, ID and phone numbers), replaced by its mask as the policy above
// says; everything else byte for byte as it was (invalid UTF-8 included).
// Longer secrets win over shorter ones they contain ("张三丰" before "张三");
// empty secrets are ignored.
std::string MaskPublicText(std::string_view text, std::span<const std::string> secrets);

// The same as MaskPublicText (the name of the first version, which masked
// the secrets only; kept for its callers).
std::string MaskText(std::string_view text, std::span<const std::string> secrets);

}  // namespace quanze::domain
