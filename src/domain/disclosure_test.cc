#include "domain/disclosure.h"

#include <gtest/gtest.h>

#include <random>
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
            "当事人张*（身份证号110*************34）于2025年6月1日擅自占道。");
}

TEST(Disclosure, MaskTextMatchesTheIdCheckDigitInEitherCase) {
  const std::vector<std::string> secrets = {"11010119900307123X"};
  EXPECT_EQ(MaskText("号码11010119900307123x", secrets), "号码110*************3X");
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

std::string Mask(std::string_view text) { return MaskPublicText(text, {}); }

TEST(Disclosure, MobileNumberKeepsOnlyTheFirstThreeAndLastFourDigits) {
  // Regression: a disclosure showed "138001*8000", ten of eleven digits.
  EXPECT_EQ(Mask("联系电话13800138000。"), "联系电话138****8000。");
  EXPECT_EQ(Mask("手机：138 0013 8000"), "手机：138****8000");
  EXPECT_EQ(Mask("手机：138-0013-8000"), "手机：138****8000");
  EXPECT_EQ(Mask("手机：１３８　００１３　８０００"), "手机：138****8000");
  EXPECT_EQ(Mask("手机：1 3 8 0 0 1 3 8 0 0 0"), "手机：138****8000");
  EXPECT_EQ(Mask("手机：138\u200B0013\u200B8000"), "手机：138****8000");
}

TEST(Disclosure, CountryPrefixOfAMobileStaysAsWritten) {
  EXPECT_EQ(Mask("+86 138 0013 8000"), "+86 138****8000");
  EXPECT_EQ(Mask("0086-13800138000"), "0086-138****8000");
  EXPECT_EQ(Mask("（+86）13800138000"), "（+86）138****8000");
  EXPECT_EQ(Mask("8613800138000"), "86138****8000");
}

TEST(Disclosure, IdNumbersAreMaskedHoweverTheyAreSpaced) {
  EXPECT_EQ(Mask("身份证号110101199003071234"), "身份证号110*************34");
  EXPECT_EQ(Mask("身份证号 110101 19900307 123x。"), "身份证号 110*************3X。");
  EXPECT_EQ(Mask("身份证号110101-1990-03-07-1234"), "身份证号110*************34");
  EXPECT_EQ(Mask("身份证号１１０１０１１９９００３０７１２３Ｘ"), "身份证号110*************3X");
  EXPECT_EQ(Mask("旧身份证号110101900307123"), "旧身份证号110**********23");
}

TEST(Disclosure, LandlinesKeepTheAreaCodeAndTheLastTwoDigits) {
  EXPECT_EQ(Mask("电话0571-88886666"), "电话0571-******66");
  EXPECT_EQ(Mask("电话(0571) 8888 6666"), "电话0571-******66");
  EXPECT_EQ(Mask("电话（０５７１）８８８８－６６６６转801"), "电话0571-******66转801");
  EXPECT_EQ(Mask("电话010-1234567"), "电话010-*****67");
  EXPECT_EQ(Mask("电话+86 571 8888 6666"), "电话+86 571-******66");
}

TEST(Disclosure, BankCardsKeepTheLastFourDigits) {
  EXPECT_EQ(Mask("卡号6222021234567890123"), "卡号***************0123");
  EXPECT_EQ(Mask("卡号 6222 0212 3456 7890"), "卡号 ************7890");
  EXPECT_EQ(Mask("卡号6222-0212-3456-7890-123"), "卡号***************0123");
}

TEST(Disclosure, EmailAddressesKeepTheirFirstCharacterAndDomain) {
  EXPECT_EQ(Mask("邮箱zhangsan@163.com。"), "邮箱z***@163.com。");
  EXPECT_EQ(Mask("邮箱 Zhang.San ＠ 163 . COM"), "邮箱 z***@163.com");
  EXPECT_EQ(Mask("邮箱zhangsan(at)qq(dot)com"), "邮箱z***@qq.com");
  EXPECT_EQ(Mask("邮箱13800138000@qq.com"), "邮箱1***@qq.com");
  EXPECT_EQ(Mask("@张三 请注意"), "@张三 请注意");
}

TEST(Disclosure, SecretsMatchWithSpacingInserted) {
  const std::vector<std::string> secrets = {"张三丰", "13912345678", "110101199003071234"};
  EXPECT_EQ(MaskPublicText("当事人张 三 丰、张·三·丰", secrets), "当事人张**、张**");
  EXPECT_EQ(MaskPublicText("电话139 1234 5678", secrets), "电话139****5678");
}

TEST(Disclosure, SecretNamesAreMaskedWithoutTheirSurroundingBlanks) {
  const std::vector<std::string> secrets = {" 李小龙\u3000"};
  EXPECT_EQ(MaskPublicText("当事人李小龙。", secrets), "当事人李**。");
}

TEST(Disclosure, SecretsOfNoKnownShapeKeepAtMostTheirLastTwoDigits) {
  const std::vector<std::string> secrets = {"88886666", "12345"};
  EXPECT_EQ(MaskPublicText("电话8888 6666，编号12345", secrets), "电话******66，编号*****");
}

TEST(Disclosure, OrdinaryNumbersStay) {
  for (std::string_view text :
       {"2026-12-06", "于2026年12月6日10时30分", "罚款5000元", "桥市监罚〔2026〕12号",
        "依据第十二条、第12条第1款", "2026-12-06 至 2027-12-05", "2026.12.06", "2026/12/06",
        "面积12.5平方米，共3 000元", "邮编310000", "热线12345、12315", "车牌浙A12345",
        "统一社会信用代码91330100MA2H1234X5", "2026-12-06 13:30", "第1、2、3项"}) {
    EXPECT_EQ(Mask(text), text);
  }
  EXPECT_EQ(Mask("2026-12-06 13800138000"), "2026-12-06 138****8000");
  // 12 (Tianjin) + 06 + the phone would read as an old ID number with a birth date.
  EXPECT_EQ(Mask("2026-12-06 13800101234"), "2026-12-06 138****1234");
}

// Random text from the characters the scanners care about: masking never
// fails, and masked text stays as it is when masked again (no mask is itself
// taken for a number or an address).
TEST(Disclosure, MaskingRandomTextIsStableWhenRepeated) {
  const std::vector<std::string> alphabet = {
      "0", "1", "3", "5",  "8",  "9",  "x",  "a",  " ",      "-",  ".",  "(",  ")",
      "+", "@", "*", "０", "１", "８", "　", "－", "\u200B", "号", "年", "。", "\xff"};
  std::mt19937 rng(20261206);
  const std::vector<std::string> secrets = {"张三", "13912345678"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
    const std::string once = MaskPublicText(text, secrets);
    EXPECT_EQ(MaskPublicText(once, secrets), once) << text;
  }
}

TEST(Disclosure, InvalidUtf8PassesThroughAroundMasks) {
  EXPECT_EQ(Mask(std::string("\xff"
                             "13800138000\xfe",
                             13)),
            std::string("\xff"
                        "138****8000\xfe",
                        13));
}

}  // namespace
}  // namespace quanze::domain
