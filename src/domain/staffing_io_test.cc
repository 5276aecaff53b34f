#include "domain/staffing_io.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "domain/text_encoding.h"

namespace quanze::domain {
namespace {

using nlohmann::json;

const StaffingSettings& Settings() {
  static const StaffingSettings kSettings = DefaultStaffingSettings();
  return kSettings;
}

// Regression (fuzz/staffing_json_fuzzer.cc): a number beyond double in a
// register (1e720...) escaped as an exception and ended `quanze import staffing`.
TEST(StaffingIo, JsonNumberBeyondDoubleIsABadRequest) {
  auto r = ParseRegisterJson(R"({"towns": [{"town_code": "990123104", "baseline": 1e400}]})",
                             Settings());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
}

TEST(StaffingIo, JsonRegisterBecomesATownWithItsReferences) {
  const char* text = R"({"towns": [{"town_code": "990123104", "baseline": {"行政编制": 7},
    "agencies": [{"id": 1, "name": "党政办公室", "kind": "党政综合办事机构", "rank": "副科级",
                  "nameplates": ["指挥调度中心"],
                  "approval": {"authority": "县编委", "doc": "编〔2016〕3号", "level": "县级"}}],
    "quotas": [{"agency": 1, "kind": "行政编制", "count": 5}],
    "leadership_quotas": [{"agency": 1, "grade": "乡科级副职", "count": 1}],
    "persons": [{"name": "周文杰", "agency": 1, "grade": "一级科员", "quota_kind": "行政编制"},
                {"id": 7, "name": "吴思远", "agency": 1, "title": "科员"}]}]})";
  auto reg = ParseRegisterJson(text, Settings());
  ASSERT_TRUE(reg.ok()) << reg.error().Describe() << reg.error().detail.dump();
  ASSERT_EQ(reg->towns.size(), 1u);
  const TownStaffing& t = reg->towns[0].staffing;
  EXPECT_TRUE(reg->towns[0].has_baseline);
  EXPECT_EQ(t.agencies[0].approving_level, ApprovingLevel::kCounty);
  EXPECT_EQ(t.agencies[0].nameplates, std::vector<std::string>{"指挥调度中心"});
  EXPECT_EQ(t.quotas[0].kind, "administrative");
  EXPECT_EQ(t.baseline.totals[0].kind, "administrative");
  EXPECT_EQ(t.persons[0].id, 8);  // after the largest explicit id
  EXPECT_EQ(t.persons[1].id, 7);
  EXPECT_EQ(reg->persons, 2);
}

TEST(StaffingIo, EveryBadCsvRowIsReportedWithoutQuotingTheIdNumber) {
  const char* text =
      "record,town_code,id,agency,name,kind,grade,count,quota_kind,id_number\n"
      "agency,990123104,1,,党政办公室,委员会,,,,\n"
      "quota,990123104,,9,,,,5,行政编制,\n"
      "person,990123104,1,1,周文杰,,处长,,行政编制,12345678\n"
      "quota,990123104,,1,,,,-3,行政编制,\n";
  auto reg = ParseRegisterCsv(text, Settings());
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error().code, ErrorCode::kValidation);
  const json& errors = reg.error().detail["errors"];
  std::set<int> lines;
  for (const json& e : errors) lines.insert(e["row"].get<int>());
  EXPECT_EQ(lines, (std::set<int>{2, 3, 4, 5})) << errors.dump(1);
  EXPECT_EQ(reg.error().detail.dump().find("12345678"), std::string::npos);
}

TEST(StaffingIo, CsvValueInAColumnThatDoesNotApplyIsAnError) {
  const char* text =
      "record,town_code,id,name,kind,count\n"
      "agency,990123104,1,党政办公室,党政综合办事机构,5\n";
  auto reg = ParseRegisterCsv(text, Settings());
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error().detail["errors"][0]["field"], "count");
}

std::string Testdata(const std::string& name) {
  const char* root = std::getenv("QUANZE_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/src/domain/testdata/staffing/" + name,
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(StaffingIo, Gb18030CsvAsExcelSavesItGivesTheSameRegisterAsUtf8) {
  const std::string gbk = Testdata("register-gb18030.csv");
  ASSERT_FALSE(gbk.empty());
  ASSERT_FALSE(IsValidUtf8(gbk));  // the fixture really is GB18030
  auto from_gbk = ParseRegisterCsv(gbk, Settings());
  auto from_utf8 = ParseRegisterCsv(Testdata("register-utf8.csv"), Settings());
  ASSERT_TRUE(from_gbk.ok()) << from_gbk.error().Describe() << from_gbk.error().detail.dump();
  ASSERT_TRUE(from_utf8.ok()) << from_utf8.error().Describe();
  const TownStaffing& t = from_gbk->towns.at(0).staffing;
  ASSERT_EQ(t.persons.size(), 2u);
  EXPECT_EQ(t.persons[1].name, "欧阳晓雯");
  EXPECT_EQ(t.agencies.at(0).name, "党政办公室");
  EXPECT_EQ(t.quotas.at(0).kind, "administrative");
  EXPECT_TRUE(from_gbk->towns[0].has_baseline);
  const TownStaffing& u = from_utf8->towns.at(0).staffing;
  ASSERT_EQ(u.persons.size(), t.persons.size());
  for (std::size_t i = 0; i < t.persons.size(); ++i) {
    EXPECT_EQ(t.persons[i].name, u.persons[i].name);
    EXPECT_EQ(t.persons[i].title, u.persons[i].title);
    EXPECT_EQ(t.persons[i].grade, u.persons[i].grade);
  }
}

TEST(StaffingIo, Gb18030CsvErrorsAreUtf8AndNameLineAndColumn) {
  auto reg = ParseRegisterCsv(Testdata("bad-register-gb18030.csv"), Settings());
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error().code, ErrorCode::kValidation);
  EXPECT_TRUE(IsValidUtf8(reg.error().message_zh)) << reg.error().message_zh;
  const std::string all = reg.error().detail.dump();      // throws on invalid UTF-8
  EXPECT_NE(all.find("处长"), std::string::npos) << all;  // the cell, decoded
  EXPECT_NE(all.find("委员会"), std::string::npos) << all;
  bool grade_located = false;
  for (const json& e : reg.error().detail["errors"]) {
    if (e["field"] == "grade") {
      EXPECT_EQ(e["row"], 3);
      EXPECT_EQ(e["where"], "第 3 行 I 列 / line 3, column I");
      grade_located = true;
    }
    if (e["field"] == "kind") {
      EXPECT_EQ(e["where"], "第 2 行 F 列 / line 2, column F");
    }
  }
  EXPECT_TRUE(grade_located) << reg.error().detail.dump(1);
}

TEST(StaffingIo, UndecodableBytesAreABadRequestInUtf8) {
  auto reg = ParseRegisterCsv("record,town_code\n\x81\x20", Settings());
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error().code, ErrorCode::kBadRequest);
  EXPECT_TRUE(IsValidUtf8(reg.error().Describe()));
}

TEST(StaffingIo, ChangeRequestParsesAndListsEveryProblem) {
  auto ok = ParseChangeJson(
      json{{"type", "transfer"}, {"person", 5}, {"to", 0}, {"consultation_record", "x"}},
      Settings());
  ASSERT_TRUE(ok.ok()) << ok.error().Describe();
  EXPECT_EQ(std::get<Transfer>(*ok).to_agency_id, 0);
  auto bad = ParseChangeJson(json{{"type", "promote"}, {"grade", "大官"}, {"typo", 1}}, Settings());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail["errors"].size(), 3u)
      << bad.error().detail.dump(1);  // person, grade, typo
  EXPECT_EQ(ParseChangeJson(json{{"type", "fly"}}, Settings()).error().code,
            ErrorCode::kBadRequest);
}

TEST(StaffingIo, IdNumberShapeAcceptsEighteenCharactersWithACheckX) {
  EXPECT_TRUE(IdNumberShapeValid("99012319900101002X"));
  EXPECT_TRUE(IdNumberShapeValid("990123199001010021"));
  EXPECT_FALSE(IdNumberShapeValid("9901231990010100X1"));
  EXPECT_FALSE(IdNumberShapeValid("12345"));
}

}  // namespace
}  // namespace quanze::domain
