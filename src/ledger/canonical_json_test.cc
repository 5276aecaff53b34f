#include "ledger/canonical_json.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace quanze::ledger {
namespace {

using nlohmann::json;

std::string Canon(const json& j) {
  Result<std::string> r = CanonicalJson(j);
  EXPECT_TRUE(r.ok()) << r.error().Describe();
  return r.ok() ? *r : std::string();
}

double FromBits(std::uint64_t bits) { return std::bit_cast<double>(bits); }

// RFC 8785 §3.2.2 / §3.2.4 example.
TEST(CanonicalJson, ReproducesTheRfc8785Example) {
  json input = json::parse(R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })");
  EXPECT_EQ(Canon(input),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            "\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

// RFC 8785 §3.2.3: keys sort by UTF-16 code units, so U+1F600 (D83D DE00)
// comes before U+FB33 although its UTF-8 bytes are larger.
TEST(CanonicalJson, SortsKeysByUtf16CodeUnits) {
  json input = json::parse(R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })");
  EXPECT_EQ(Canon(input),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
            "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
            "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

// RFC 8785 Appendix B (values checked against Node.js JSON.stringify).
TEST(CanonicalJson, SerializesNumbersLikeEcmaScript) {
  const std::pair<std::uint64_t, const char*> table[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, want] : table) {
    EXPECT_EQ(Canon(json(FromBits(bits))), want) << std::hex << bits;
  }
  EXPECT_EQ(Canon(json(0.1)), "0.1");
  EXPECT_EQ(Canon(json(1e-7)), "1e-7");
  EXPECT_EQ(Canon(json(1.5e-7)), "1.5e-7");
  EXPECT_EQ(Canon(json(100.0)), "100");
  EXPECT_EQ(Canon(json(1e20)), "100000000000000000000");
  EXPECT_EQ(Canon(json(-2.5)), "-2.5");
}

TEST(CanonicalJson, RejectsNanAndInfinity) {
  for (double bad :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), FromBits(0x7fffffffffffffff)}) {
    Result<std::string> r = CanonicalJson(json::array({1, bad}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    EXPECT_FALSE(r.error().message_zh.empty());
  }
}

TEST(CanonicalJson, WritesSafeIntegersInDecimalAndRejectsLargerOnes) {
  const std::int64_t max_safe = (std::int64_t{1} << 53) - 1;
  EXPECT_EQ(Canon(json{{"a", 0}, {"b", -17}, {"c", max_safe}, {"d", -max_safe}}),
            R"({"a":0,"b":-17,"c":9007199254740991,"d":-9007199254740991})");
  EXPECT_EQ(Canon(json(std::uint64_t{42})), "42");
  EXPECT_FALSE(CanonicalJson(json(max_safe + 1)).ok());
  EXPECT_FALSE(CanonicalJson(json(-max_safe - 1)).ok());
  EXPECT_FALSE(CanonicalJson(json(std::numeric_limits<std::uint64_t>::max())).ok());
}

TEST(CanonicalJson, EscapesOnlyQuoteBackslashAndControlCharacters) {
  std::string s = "\"\\/\b\f\n\r\t";
  s.push_back('\0');
  s += "\x01\x1f\x7f \xE2\x80\xA8 \xE4\xB8\xAD";  // DEL, U+2028 and 中 stay raw
  EXPECT_EQ(Canon(json(s)),
            "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\x7f \xE2\x80\xA8 \xE4\xB8\xAD\"");
}

TEST(CanonicalJson, RejectsInvalidUtf8InStringsAndKeys) {
  for (std::string bad : {std::string("\xff"), std::string("\xC0\xAF"),  // overlong '/'
                          std::string("\xED\xA0\x80"),                   // surrogate
                          std::string("\xE4\xB8"),                       // truncated
                          std::string("\xF4\x90\x80\x80")}) {            // > U+10FFFF
    EXPECT_FALSE(CanonicalJson(json(bad)).ok());
    json obj = json::object();
    obj[bad] = 1;
    EXPECT_FALSE(CanonicalJson(obj).ok());
  }
}

TEST(CanonicalJson, NestsObjectsAndArraysWithoutWhitespace) {
  json event = {
      {"type", "case.accepted"},
      {"at", "2025-03-01T09:30:00+08:00"},
      {"actor", {{"user_id", "u-17"}, {"post_id", "p-3"}}},
      {"subject", {{"kind", "case"}, {"id", "c-2025-000123"}}},
      {"data",
       {{"items", json::array({1, 2, 3})}, {"empty", json::object()}, {"none", json::array()}}},
      {"seq", 42},
  };
  EXPECT_EQ(Canon(event),
            R"({"actor":{"post_id":"p-3","user_id":"u-17"},"at":"2025-03-01T09:30:00+08:00",)"
            R"("data":{"empty":{},"items":[1,2,3],"none":[]},"seq":42,)"
            R"("subject":{"id":"c-2025-000123","kind":"case"},"type":"case.accepted"})");
}

TEST(CanonicalJson, IsIdempotentOnItsOwnOutput) {
  json input =
      json::parse(R"({"b":[1.5,{"z":null,"a":"\u00e9"}],"a":-0.0,"c":1e400})", nullptr, false);
  // 1e400 is out of double range: the parser yields a discarded value.
  EXPECT_FALSE(CanonicalJson(input).ok());
  json ok = json::parse(R"({"b":[1.5,{"z":null,"a":"\u00e9"}],"a":-0.0})");
  std::string once = Canon(ok);
  EXPECT_EQ(once, "{\"a\":0,\"b\":[1.5,{\"a\":\"\xC3\xA9\",\"z\":null}]}");
  EXPECT_EQ(Canon(json::parse(once)), once);
}

TEST(CanonicalJson, RejectsBinaryValues) {
  EXPECT_FALSE(CanonicalJson(json::binary({1, 2, 3})).ok());
}

}  // namespace
}  // namespace quanze::ledger
