#include "domain/disclosure.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace quanze::domain {
namespace {

TEST(Disclosure, MaskPersonNameKeepsTheSurname) {
  EXPECT_EQ(MaskPersonName("张三"), "张*");
  EXPECT_EQ(MaskPersonName("李小龙"), "李**");
  EXPECT_EQ(MaskPersonName("欧阳修文"), "欧阳**");
  EXPECT_EQ(MaskPersonName("司马光"), "司马*");
}

TEST(Disclosure, MaskPersonNameHidesNamesThatAreOnlyASurname) {
  EXPECT_EQ(MaskPersonName("张"), "*");
  EXPECT_EQ(MaskPersonName("欧阳"), "欧*");  // too short to be a compound surname and a name
  EXPECT_EQ(MaskPersonName(""), "");
}

TEST(Disclosure, MaskPersonNameKeepsSeparatorsOfTransliteratedNames) {
  EXPECT_EQ(MaskPersonName("阿依古丽·买买提"), "阿***·***");
  EXPECT_EQ(MaskPersonName("John Smith"), "J*** *****");
}

TEST(Disclosure, MaskPersonNameCountsInvalidBytesAsCharacters) {
  EXPECT_EQ(MaskPersonName(std::string("王\xff\xfe", 5)), "王**");
}

TEST(Disclosure, MaskTextReplacesNamesAndIdNumbers) {
  const std::vector<std::string> secrets = {"张三", "110101199003071234"};
  EXPECT_EQ(MaskText("当事人张三（身份证号110101199003071234）于2025年6月1日擅自占道。", secrets),
            "当事人张*（身份证号110101********1234）于2025年6月1日擅自占道。");
}

TEST(Disclosure, MaskTextMatchesTheIdCheckDigitInEitherCase) {
  const std::vector<std::string> secrets = {"11010119900307123X"};
  EXPECT_EQ(MaskText("号码11010119900307123x", secrets), "号码110101********123X");
}

TEST(Disclosure, MaskTextPrefersTheLongerSecret) {
  const std::vector<std::string> secrets = {"张三", "张三丰"};
  EXPECT_EQ(MaskText("张三丰与张三", secrets), "张**与张*");
}

TEST(Disclosure, MaskTextLeavesOtherTextAlone) {
  const std::vector<std::string> secrets = {"", "王五"};
  EXPECT_EQ(MaskText("无相关人员", secrets), "无相关人员");
  EXPECT_EQ(MaskText("", secrets), "");
  EXPECT_EQ(MaskText("王五王五", secrets), "王*王*");
}

}  // namespace
}  // namespace quanze::domain
