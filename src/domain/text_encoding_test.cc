#include "domain/text_encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace quanze::domain {
namespace {

TEST(TextEncoding, StripsTheUtf8Bom) {
  auto r = DecodeToUtf8("\xEF\xBB\xBF事项");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "事项");
}

TEST(TextEncoding, ConvertsGbkToUtf8) {
  auto r = DecodeToUtf8("\xCA\xC2\xCF\xEE\xB1\xE0\xC2\xEB");  // 事项编码 in GBK
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(*r, "事项编码");
}

TEST(TextEncoding, ConvertsFourByteGb18030AndDropsItsBom) {
  // GB18030 BOM, 事, then U+20000 (a four-byte GB18030 sequence).
  auto r = DecodeToUtf8("\x84\x31\x95\x33\xCA\xC2\x95\x32\x82\x36");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(*r, "事\xF0\xA0\x80\x80");
}

TEST(TextEncoding, ConvertsUtf16WithBom) {
  auto r = DecodeToUtf8(std::string_view("\xFF\xFE\x8B\x4E\x79\x98", 6));  // 事项, UTF-16LE
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(*r, "事项");
}

TEST(TextEncoding, ReportsBytesThatAreNeitherUtf8NorGb18030) {
  auto r = DecodeToUtf8("abc\x81\x20");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(r.error().detail["byte_offset"], 3);
  EXPECT_NE(r.error().message_zh.find("GB18030"), std::string::npos);
}

TEST(TextEncoding, RecognisesAnExcelWorkbook) {
  auto r = DecodeToUtf8(std::string_view("PK\x03\x04rest", 8));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message_zh.find("xlsx"), std::string::npos);
}

TEST(TextEncoding, Utf8ValidatorRejectsOverlongsAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("事项 ok"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xE4\xBA"));
}

}  // namespace
}  // namespace quanze::domain
