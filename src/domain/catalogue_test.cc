#include "domain/catalogue.h"

#include <gtest/gtest.h>

#include <set>

#include "domain/catalogue_testing.h"

namespace quanze::domain {
namespace {

using testing::SamplePower;

bool HasFieldError(const Power& p, const std::string& field) {
  for (const auto& e : ValidatePowerFields(p)) {
    if (e.field == field) return true;
  }
  return false;
}

TEST(CatalogueKind, EveryKindHasAStableCodeAndALabelThatParseBack) {
  std::set<std::string_view> codes, labels;
  for (auto kind : kAllPowerKinds) {
    codes.insert(PowerKindCode(kind));
    labels.insert(PowerKindLabel(kind));
    EXPECT_EQ(ParsePowerKind(PowerKindCode(kind)), kind);
    EXPECT_EQ(ParsePowerKind(PowerKindLabel(kind)), kind);
  }
  EXPECT_EQ(codes.size(), 10u);
  EXPECT_EQ(labels.size(), 10u);
  EXPECT_EQ(PowerKindCode(PowerKind::kLicensing), "licensing");
  EXPECT_EQ(PowerKindCode(PowerKind::kAdjudication), "adjudication");
  EXPECT_EQ(PowerKindLabel(PowerKind::kPenalty), "行政处罚");
  EXPECT_EQ(PowerKindLabel(PowerKind::kOther), "其他");
}

TEST(CatalogueKind, AcceptsShortLabelsAndCommonVariants) {
  EXPECT_EQ(ParsePowerKind("许可"), PowerKind::kLicensing);
  EXPECT_EQ(ParsePowerKind("其他行政权力"), PowerKind::kOther);
  EXPECT_EQ(ParsePowerKind("监督检查"), PowerKind::kInspection);
  EXPECT_EQ(ParsePowerKind("行政监督"), PowerKind::kInspection);
  EXPECT_FALSE(ParsePowerKind("行政审批局").has_value());
  EXPECT_FALSE(ParsePowerKind("").has_value());
}

TEST(CatalogueKind, TimeUnitsParseFromCodesAndLabels) {
  EXPECT_EQ(ParseTimeUnit("工作日"), TimeUnit::kWorkingDays);
  EXPECT_EQ(ParseTimeUnit("calendar"), TimeUnit::kCalendarDays);
  EXPECT_EQ(ParseTimeUnit("自然日"), TimeUnit::kCalendarDays);
  EXPECT_FALSE(ParseTimeUnit("周").has_value());
  EXPECT_EQ(TimeUnitLabel(TimeUnit::kWorkingDays), "工作日");
}

TEST(CatalogueValidate, SamplePowerIsValid) { EXPECT_TRUE(ValidatePower(SamplePower()).ok()); }

TEST(CatalogueValidate, PromisedLimitMayNotExceedStatutoryLimit) {
  Power p = SamplePower();
  p.promised_limit.days = 25;
  Status s = ValidatePower(p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidation);
  EXPECT_NE(s.error().message_zh.find("承诺时限"), std::string::npos);
  EXPECT_NE(s.error().message_en.find("promised limit"), std::string::npos);
  EXPECT_EQ(s.error().detail["errors"][0]["field"], "promised_limit.days");
}

TEST(CatalogueValidate, PromisedAndStatutoryLimitsMustShareTheUnit) {
  Power p = SamplePower();
  p.promised_limit = {3, TimeUnit::kCalendarDays};
  EXPECT_TRUE(HasFieldError(p, "promised_limit.unit"));
}

TEST(CatalogueValidate, RequiredFieldsAreNamed) {
  Power p;
  auto errors = ValidatePowerFields(p);
  std::set<std::string> fields;
  for (const auto& e : errors) {
    fields.insert(e.field);
    EXPECT_FALSE(e.reason_zh.empty());
    EXPECT_FALSE(e.reason_en.empty());
  }
  for (const char* f : {"code", "name", "originating_department", "legal_basis", "valid_from"}) {
    EXPECT_TRUE(fields.count(f)) << f;
  }
}

TEST(CatalogueValidate, CodeMustBeLettersDigitsAndDashes) {
  Power p = SamplePower("XK 01");
  EXPECT_TRUE(HasFieldError(p, "code"));
  p.code = "-XK01";
  EXPECT_TRUE(HasFieldError(p, "code"));
  p.code = "000117025000";
  EXPECT_FALSE(HasFieldError(p, "code"));
  p.code = "11321281014422781F500011702500001";
  EXPECT_FALSE(HasFieldError(p, "code"));
}

TEST(CatalogueValidate, AnItemCannotBeItsOwnParent) {
  Power p = SamplePower();
  p.parent_code = p.code;
  EXPECT_TRUE(HasFieldError(p, "parent_code"));
}

TEST(CatalogueValidate, NameMustBeOneLineWithoutOuterSpaces) {
  Power p = SamplePower();
  p.name = "临时占用\n城市绿化用地审批";
  EXPECT_TRUE(HasFieldError(p, "name"));
  p.name = " 临时占用城市绿化用地审批";
  EXPECT_TRUE(HasFieldError(p, "name"));
  p.name = "临时占用城市绿化用地审批\xE3\x80\x80";
  EXPECT_TRUE(HasFieldError(p, "name"));
}

TEST(CatalogueValidate, ExtensionDaysFollowWhetherExtensionIsAllowed) {
  Power p = SamplePower();
  p.extension_allowed = false;
  EXPECT_TRUE(HasFieldError(p, "max_extension_days"));
  p.max_extension_days = 0;
  EXPECT_FALSE(HasFieldError(p, "max_extension_days"));
  p.extension_allowed = true;
  EXPECT_TRUE(HasFieldError(p, "max_extension_days"));
}

TEST(CatalogueValidate, AChargedFeeNeedsAnAmountAndABasis) {
  Power p = SamplePower();
  p.fee.charged = true;
  EXPECT_TRUE(HasFieldError(p, "fee.amount_fen"));
  EXPECT_TRUE(HasFieldError(p, "fee.basis"));
  p.fee = {false, 500, ""};
  EXPECT_TRUE(HasFieldError(p, "fee.amount_fen"));
  p.fee = {true, 500, "《城市道路管理条例》第三十七条"};
  EXPECT_TRUE(ValidatePower(p).ok());
}

TEST(CatalogueValidate, LegalBasisLawIsWrittenWithoutBookTitleMarks) {
  Power p = SamplePower();
  p.legal_basis[0].law = "《城市绿化条例》";
  EXPECT_TRUE(HasFieldError(p, "legal_basis[0].law"));
  p = SamplePower();
  p.legal_basis.push_back({"", "第一条", ""});
  EXPECT_TRUE(HasFieldError(p, "legal_basis[1].law"));
  p = SamplePower();
  p.legal_basis[0].article = "第十九条：";
  EXPECT_TRUE(HasFieldError(p, "legal_basis[0].article"));
}

TEST(CatalogueValidate, MaterialsNeedANameAndAtLeastOneCopy) {
  Power p = SamplePower();
  p.materials[1].copies = 0;
  p.materials[0].name = "";
  EXPECT_TRUE(HasFieldError(p, "materials[1].copies"));
  EXPECT_TRUE(HasFieldError(p, "materials[0].name"));
}

TEST(CatalogueValidate, ValidityIntervalMustBeRealOrderedDates) {
  Power p = SamplePower();
  p.valid_from = "2024-02-30";
  EXPECT_TRUE(HasFieldError(p, "valid_from"));
  p.valid_from = "2024-03-01";
  p.valid_to = "2024-02-29";
  EXPECT_TRUE(HasFieldError(p, "valid_to"));
  p.valid_to = "2024-03-01";
  EXPECT_TRUE(ValidatePower(p).ok());
}

TEST(CatalogueValidate, VersionStartsAtOne) {
  Power p = SamplePower();
  p.version = 0;
  EXPECT_TRUE(HasFieldError(p, "version"));
}

TEST(CatalogueJson, PowerRoundTripsThroughJson) {
  Power p = SamplePower();
  p.parent_code = "XK-01";
  p.fee = {true, 12345, "某收费依据"};
  p.valid_to = "2026-12-31";
  p.remarks = "演示";
  auto back = PowerFromJson(PowerToJson(p));
  ASSERT_TRUE(back.ok()) << back.error().Describe();
  EXPECT_EQ(*back, p);
}

TEST(CatalogueJson, UsesSnakeCaseNamesAndStableCodes) {
  nlohmann::json j = PowerToJson(SamplePower());
  EXPECT_EQ(j["kind"], "licensing");
  EXPECT_EQ(j["statutory_limit"]["unit"], "working");
  EXPECT_TRUE(j["parent_code"].is_null());
  EXPECT_TRUE(j["valid_to"].is_null());
  EXPECT_EQ(j["fee"]["amount_fen"], 0);
  EXPECT_EQ(j["originating_department"], "县住房和城乡建设局");
}

TEST(CatalogueJson, ReportsEveryStructuralProblemWithItsPath) {
  nlohmann::json j = PowerToJson(SamplePower());
  j["kind"] = "审批";
  j["statutory_limit"]["days"] = "二十";
  j["materials"][1]["copies"] = 1.5;
  j["colour"] = "red";
  auto r = PowerFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  std::set<std::string> fields;
  for (const auto& e : r.error().detail["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"kind", "statutory_limit.days", "materials[1].copies",
                                           "colour"}));
}

TEST(CatalogueJson, AcceptsChineseKindAndRejectsRuleBreaks) {
  nlohmann::json j = PowerToJson(SamplePower());
  j["kind"] = "行政许可";
  EXPECT_TRUE(PowerFromJson(j).ok());
  j["promised_limit"]["days"] = 30;
  auto r = PowerFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().detail["errors"][0]["field"], "promised_limit.days");
}

TEST(CatalogueJson, MissingRequiredFieldIsNamed) {
  nlohmann::json j = PowerToJson(SamplePower());
  j.erase("valid_from");
  auto r = PowerFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().detail["errors"][0]["field"], "valid_from");
}

TEST(CatalogueDate, ValidatesRealDatesOnly) {
  EXPECT_TRUE(isodate::Valid("2024-02-29"));
  EXPECT_FALSE(isodate::Valid("2023-02-29"));
  EXPECT_FALSE(isodate::Valid("2024-2-9"));
  EXPECT_FALSE(isodate::Valid("2024-13-01"));
  EXPECT_TRUE(isodate::Valid("2000-02-29"));
  EXPECT_FALSE(isodate::Valid("1900-02-29"));
}

TEST(CatalogueDate, AddMonthsClampsToTheMonthEnd) {
  EXPECT_EQ(isodate::AddMonths("2024-01-31", 1), "2024-02-29");
  EXPECT_EQ(isodate::AddMonths("2024-03-15", 12), "2025-03-15");
  EXPECT_EQ(isodate::AddMonths("2024-11-30", 3), "2025-02-28");
  EXPECT_EQ(isodate::AddMonths("2024-01-15", -1), "2023-12-15");
  EXPECT_TRUE(isodate::Within("2024-05-01", "2024-01-01", ""));
  EXPECT_FALSE(isodate::Within("2027-03-01", "2024-03-01", "2027-02-28"));
}

}  // namespace
}  // namespace quanze::domain
