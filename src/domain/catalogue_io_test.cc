#include "domain/catalogue_io.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "domain/catalogue_testing.h"

namespace quanze::domain {
namespace {

using testing::ReadSourceFile;
using testing::SamplePower;

const std::string kDir = "src/domain/testdata/catalogue/";

// Every (row, column) pair of a failed import.
std::set<std::pair<int, std::string>> RowColumns(const Error& e) {
  std::set<std::pair<int, std::string>> out;
  for (const auto& x : e.detail["errors"]) {
    out.insert({x["row"].get<int>(), x["column"].is_null() ? "" : x["column"].get<std::string>()});
  }
  return out;
}

// The fields of one CSV line as a spreadsheet takes them: quotes removed,
// nothing else undone.
std::vector<std::string> ScanFieldsLiterally(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else if (!quoted && (c == '\r' || c == '\n')) {
      break;
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string Header() {
  std::string h;
  for (const auto& c : CatalogueCsvHeader()) h += (h.empty() ? "" : ",") + c;
  return h + "\r\n";
}

// --- CSV records ---------------------------------------------------------

TEST(CatalogueCsv, ReadsQuotesEmbeddedCommasNewlinesAndCrlf) {
  auto r = ReadCsv("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"line1\r\nline2\",,x\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"line1\r\nline2", "", "x"}));
  EXPECT_EQ((*r)[1].row, 2);
}

TEST(CatalogueCsv, LastRecordNeedsNoLineEndAndATrailingCommaMakesAnEmptyField) {
  auto r = ReadCsv("a,b\nc,");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"c", ""}));
  EXPECT_TRUE(ReadCsv("")->empty());
}

TEST(CatalogueCsv, UnclosedQuoteIsReportedOnTheRowItStarts) {
  auto r = ReadCsv("a,b\n\"x,y\nz\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().detail["errors"][0]["row"], 2);
}

TEST(CatalogueCsv, TextAfterAClosingQuoteIsReportedForEveryRow) {
  auto r = ReadCsv("h\n\"a\"b\nok\n\"c\" \n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(RowColumns(r.error()), (std::set<std::pair<int, std::string>>{{2, ""}, {4, ""}}));
}

TEST(CatalogueCsv, WriterQuotesOnlyWhatNeedsQuoting) {
  EXPECT_EQ(WriteCsvRecord({"a", "b,c", "d\"e", "f\ng", " h", ""}),
            "a,\"b,c\",\"d\"\"e\",\"f\ng\",\" h\",\r\n");
}

// --- catalogue CSV -------------------------------------------------------

TEST(CatalogueImport, ParsesTheSampleFile) {
  auto r = ParseCatalogueCsv(ReadSourceFile(kDir + "basic.csv"));
  ASSERT_TRUE(r.ok()) << r.error().Describe() << r.error().detail.dump();
  ASSERT_EQ(r->size(), 5u);
  const Power& p = (*r)[0];
  EXPECT_EQ(p.code, "XK-02-0001");
  EXPECT_EQ(p.kind, PowerKind::kLicensing);
  ASSERT_EQ(p.legal_basis.size(), 2u);
  EXPECT_EQ(p.legal_basis[0].law, "城市绿化条例");
  EXPECT_EQ(p.legal_basis[0].article, "第十九条");
  EXPECT_EQ(p.legal_basis[1].law, "中华人民共和国行政许可法");
  EXPECT_EQ(p.legal_basis[1].clause, "");
  ASSERT_EQ(p.materials.size(), 2u);
  EXPECT_EQ(p.materials[1].copies, 2);
  EXPECT_FALSE(p.materials[1].required);
  EXPECT_EQ(p.responsibility_items.size(), 3u);
  EXPECT_EQ(p.accountability_situations.size(), 2u);
  EXPECT_EQ(p.max_extension_days, 10);
  EXPECT_EQ((*r)[2].parent_code, "XK-01-0002");
  EXPECT_EQ((*r)[3].statutory_limit.unit, TimeUnit::kCalendarDays);
  EXPECT_TRUE((*r)[3].suspension_allowed);
  EXPECT_EQ((*r)[4].fee.amount_fen, 1500);
  EXPECT_NE((*r)[4].fee.basis.find("\"某价〔2019〕8号\""), std::string::npos);
}

TEST(CatalogueImport, GbkAndBomFilesGiveTheSameItemsAsUtf8) {
  auto utf8 = ParseCatalogueCsv(ReadSourceFile(kDir + "basic.csv"));
  auto bom = ParseCatalogueCsv(ReadSourceFile(kDir + "basic-bom.csv"));
  std::string gbk_bytes = ReadSourceFile(kDir + "basic-gbk.csv");
  ASSERT_FALSE(IsValidUtf8(gbk_bytes));  // the fixture really is GBK
  auto gbk = ParseCatalogueCsv(gbk_bytes);
  ASSERT_TRUE(utf8.ok());
  ASSERT_TRUE(bom.ok()) << bom.error().Describe();
  ASSERT_TRUE(gbk.ok()) << gbk.error().Describe();
  EXPECT_EQ(*bom, *utf8);
  EXPECT_EQ(*gbk, *utf8);
}

TEST(CatalogueImport, ReportsEveryBadRowAndImportsNothing) {
  auto r = ParseCatalogueCsv(ReadSourceFile(kDir + "bad-rows.csv"));
  ASSERT_FALSE(r.ok());
  const Error& e = r.error();
  EXPECT_EQ(e.code, ErrorCode::kValidation);
  EXPECT_EQ(e.detail["bad_rows"], 4);
  auto rc = RowColumns(e);
  std::set<int> rows;
  for (const auto& [row, col] : rc) rows.insert(row);
  EXPECT_EQ(rows, (std::set<int>{3, 4, 6, 7}));
  EXPECT_TRUE(rc.count({3, "事项类型"}));
  EXPECT_TRUE(rc.count({4, "承诺时限"}));
  EXPECT_TRUE(rc.count({6, "事项编码"}));   // duplicates row 2
  EXPECT_FALSE(rc.count({7, "承诺时限"}));  // 法定时限 unreadable: no follow-on error
  for (const char* col :
       {"上级事项编码", "设定依据", "原实施部门", "法定时限", "时限单位", "可中止", "有效期起"}) {
    EXPECT_TRUE(rc.count({7, col})) << col;
  }
  for (const auto& x : e.detail["errors"]) {
    EXPECT_FALSE(x["reason_zh"].get<std::string>().empty());
    EXPECT_FALSE(x["reason_en"].get<std::string>().empty());
  }
  EXPECT_EQ(e.detail["errors"][0]["column_letter"], "C");
  EXPECT_NE(e.message_zh.find("未导入任何事项"), std::string::npos);
}

TEST(CatalogueImport, RowNumbersCountRecordsNotLines) {
  std::string csv = WriteCatalogueCsv({SamplePower("XK-01-0001")});  // multi-line cells
  Power bad = SamplePower("XK-01-0002");
  bad.name = "";
  std::string bad_row = WriteCatalogueCsv({bad});
  csv += bad_row.substr(bad_row.find("\r\n") + 2);  // drop the second header
  auto r = ParseCatalogueCsv(csv);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(RowColumns(r.error()), (std::set<std::pair<int, std::string>>{{3, "事项名称"}}));
}

TEST(CatalogueImport, MissingAndUnknownColumnsAreReportedOnRowOne) {
  auto r = ParseCatalogueCsv("事项编码,事项名称,颜色\r\nA1,x,red\r\n");
  ASSERT_FALSE(r.ok());
  auto rc = RowColumns(r.error());
  EXPECT_TRUE(rc.count({1, "颜色"}));
  EXPECT_TRUE(rc.count({1, "事项类型"}));
  EXPECT_TRUE(rc.count({1, "有效期起"}));
}

TEST(CatalogueImport, AcceptsEnglishHeadersInAnyOrderAndIgnoresSerialNumbers) {
  std::string csv =
      "no,name,code,kind,legal_basis,originating_department,statutory_limit,promised_limit,"
      "limit_unit,valid_from\n"
      "1,对使用童工的处罚,CF-06-0001,Penalty,《禁止使用童工规定》第六条,县人力资源和社会保障局,"
      "90,60,calendar,2024年1月1日\n";
  auto r = ParseCatalogueCsv(csv);
  ASSERT_TRUE(r.ok()) << r.error().detail.dump();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].code, "CF-06-0001");
  EXPECT_EQ((*r)[0].kind, PowerKind::kPenalty);
  EXPECT_EQ((*r)[0].valid_from, "2024-01-01");
  EXPECT_EQ((*r)[0].legal_basis[0].article, "第六条");
}

TEST(CatalogueImport, AcceptsDatesAsExcelRewritesThem) {
  Power p = SamplePower();
  std::string csv = WriteCatalogueCsv({p});
  size_t at = csv.find("2024-01-01");
  csv.replace(at, 10, "2024/1/1");
  auto r = ParseCatalogueCsv(csv);
  ASSERT_TRUE(r.ok()) << r.error().detail.dump();
  EXPECT_EQ((*r)[0], p);
}

TEST(CatalogueImport, BlankRowsAreSkippedButStillCounted) {
  std::string csv = Header() + ",,,,\r\n" +
                    "X1,名称,许可,,《某法》,县某局,20,30,工作日,,,,,,,,,,2024-01-01,,1,\r\n";
  auto r = ParseCatalogueCsv(csv);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(RowColumns(r.error()), (std::set<std::pair<int, std::string>>{{3, "承诺时限"}}));
}

TEST(CatalogueImport, ParentCodeLoopsAreRejected) {
  Power a = SamplePower("A-1"), b = SamplePower("B-1");
  a.parent_code = "B-1";
  b.parent_code = "A-1";
  auto r = ParseCatalogueCsv(WriteCatalogueCsv({a, b}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(RowColumns(r.error()),
            (std::set<std::pair<int, std::string>>{{2, "上级事项编码"}, {3, "上级事项编码"}}));
}

TEST(CatalogueImport, BadListEntriesNameTheirPosition) {
  std::string csv = Header() +
                    "X1,名称,许可,,\"《某法》第一条\n某法第二条\",县某局,20,3,工作日,,,,,,,"
                    "\"申请书|自备|两份|必要\",\"受理\",,2024-01-01,,1,\r\n";
  auto r = ParseCatalogueCsv(csv);
  ASSERT_FALSE(r.ok());
  std::map<std::string, std::string> reasons;
  for (const auto& x : r.error().detail["errors"]) {
    reasons[x["column"].get<std::string>()] = x["reason_zh"].get<std::string>();
  }
  EXPECT_NE(reasons["设定依据"].find("第2条"), std::string::npos);
  EXPECT_NE(reasons["申请材料"].find("第1条"), std::string::npos);
  EXPECT_NE(reasons["责任事项"].find("环节|内容"), std::string::npos);
}

TEST(CatalogueCsv, FormulaCellsAreWrittenAsTextAndReadBackUnchanged) {
  const std::vector<std::string> fields = {"=HYPERLINK(\"http://x\",\"点我\")",
                                           "+1",
                                           "-2+3",
                                           "@SUM(A1)",
                                           "\tTAB",
                                           "\rCR",
                                           "'=already quoted",
                                           "''@two quotes",
                                           "'plain quote",
                                           "a=b",
                                           "普通文本",
                                           ""};
  const std::string line = WriteCsvRecord(fields);
  EXPECT_EQ(line.rfind("\"'=HYPERLINK(", 0), 0u) << line;
  auto cells = ReadCsv(line);
  ASSERT_TRUE(cells.ok());
  // What a spreadsheet sees: no cell of the file starts a formula.
  auto raw = ScanFieldsLiterally(line);
  for (const std::string& f : raw) {
    EXPECT_TRUE(f.empty() || std::string_view("=+-@\t\r").find(f[0]) == std::string::npos) << f;
  }
  EXPECT_EQ(raw[1], "'+1");
  EXPECT_EQ(raw[9], "a=b");
  EXPECT_EQ(raw[10], "普通文本");
  ASSERT_EQ(cells->size(), 1u);
  EXPECT_EQ((*cells)[0].fields, fields);
}

TEST(CatalogueRoundTrip, CsvWithFormulaLikeTextRoundTrips) {
  Power p = SamplePower("XK-01-0009");
  p.name = "=cmd|' /C calc'!A0";
  p.remarks = "-不是负数";
  const std::string csv = WriteCatalogueCsv({p});
  EXPECT_EQ(csv.find(",=cmd"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'=cmd"), std::string::npos) << csv;
  auto back = ParseCatalogueCsv(csv);
  ASSERT_TRUE(back.ok()) << back.error().detail.dump();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0], p);
}

// --- round trips ---------------------------------------------------------

std::vector<Power> TrickyPowers() {
  Power a = SamplePower("XK-01-0001");
  a.name = "名称含逗号, 和\"引号\"";
  a.legal_basis = {
      {"某条例（2019年修订）", "第三条第一款", "条文含冒号：和:以及》书名号，\n还有换行"},
      {"某办法", "", "只有条文"},
      {"另一法", "第九条", ""},
      {"法|名", "", ""}};
  a.fee = {true, 2500, "依据甲, 乙\r\n第二行 \"引\""};
  a.materials = {{"材料|含竖线\\反斜杠", "来源, 逗号", 3, false}, {"普通材料", "", 1, true}};
  a.responsibility_items = {{"受理", "内容\n多行|竖线"}, {"决定", " 前后空格 "}};
  a.accountability_situations = {"情形一\n续行", "\\n 不是换行", "  缩进"};
  a.remarks = "备注\r\n第二行";
  Power b = SamplePower("CF-03-0001");
  b.kind = PowerKind::kPenalty;
  b.parent_code = "XK-01-0001";
  b.statutory_limit = {90, TimeUnit::kCalendarDays};
  b.promised_limit = {0, TimeUnit::kCalendarDays};
  b.extension_allowed = false;
  b.max_extension_days = 0;
  b.suspension_allowed = true;
  b.materials.clear();
  b.responsibility_items.clear();
  b.accountability_situations.clear();
  b.valid_to = "2030-12-31";
  b.version = 7;
  std::vector<Power> all{a, b};
  for (auto k : kAllPowerKinds) {
    Power p = SamplePower("K-" + std::string(PowerKindCode(k)));
    p.kind = k;
    all.push_back(p);
  }
  return all;
}

TEST(CatalogueRoundTrip, CsvParseOfWriteIsExact) {
  auto powers = TrickyPowers();
  for (const auto& p : powers)
    ASSERT_TRUE(ValidatePower(p).ok()) << ValidatePower(p).error().Describe();
  std::string csv = WriteCatalogueCsv(powers);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF事项编码,", 0), 0u);
  auto back = ParseCatalogueCsv(csv);
  ASSERT_TRUE(back.ok()) << back.error().detail.dump();
  ASSERT_EQ(back->size(), powers.size());
  for (size_t i = 0; i < powers.size(); ++i) EXPECT_EQ((*back)[i], powers[i]) << i;
  EXPECT_EQ(WriteCatalogueCsv(*back), csv);
}

TEST(CatalogueRoundTrip, JsonParseOfWriteIsExact) {
  auto powers = TrickyPowers();
  std::string json = WriteCatalogueJson(powers);
  auto back = ParseCatalogueJson(json);
  ASSERT_TRUE(back.ok()) << back.error().detail.dump();
  EXPECT_EQ(*back, powers);
  EXPECT_EQ(WriteCatalogueJson(*back), json);
}

TEST(CatalogueRoundTrip, JsonImportReportsEveryBadItemByPosition) {
  nlohmann::json doc = nlohmann::json::parse(WriteCatalogueJson(TrickyPowers()));
  doc["powers"][0]["kind"] = "审批";
  doc["powers"][3]["code"] = doc["powers"][2]["code"];
  doc["powers"][5].erase("valid_from");
  auto r = ParseCatalogueJson(doc.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(RowColumns(r.error()),
            (std::set<std::pair<int, std::string>>{{1, "kind"}, {4, "code"}, {6, "valid_from"}}));
}

TEST(CatalogueRoundTrip, JsonAcceptsABareArrayAndReportsSyntaxErrors) {
  auto r = ParseCatalogueJson("[" + PowerToJson(SamplePower()).dump() + "]");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
  auto bad = ParseCatalogueJson("{\"powers\": [");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kBadRequest);
}

// Regression (fuzz/catalogue_json_fuzzer.cc): the syntax error quoted the
// parser's "last read" bytes, which can stop inside a UTF-8 character.
TEST(CatalogueRoundTrip, JsonSyntaxErrorMessageIsUtf8WhenTheBadByteStartsACharacter) {
  for (std::string text : {std::string("{\xE4\xB8\xAD}"), std::string("{\x8bpowe\":&\"n]}"),
                           std::string("{\"powe; expected rs\": \xA1{\"co\xEFope\"")}) {
    auto bad = ParseCatalogueJson(text);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kBadRequest);
    EXPECT_TRUE(IsValidUtf8(bad.error().message_en)) << bad.error().message_en;
    EXPECT_NE(bad.error().message_en.find("syntax error"), std::string::npos);
  }
}

// Regression (fuzzing): a number beyond double escaped as an exception.
TEST(CatalogueRoundTrip, JsonNumberBeyondDoubleIsABadRequest) {
  auto bad = ParseCatalogueJson("{\"powers\": [1e400]}");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kBadRequest);
}

TEST(CatalogueImport, ThreeThousandRowsParse) {
  std::vector<Power> powers;
  for (int i = 0; i < 3000; ++i) powers.push_back(SamplePower("XK-" + std::to_string(10000 + i)));
  auto r = ParseCatalogueCsv(WriteCatalogueCsv(powers));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 3000u);
}

// --- the demo master catalogue -------------------------------------------

TEST(CatalogueDemo, DemoMasterCatalogueParsesWithEnoughBreadth) {
  std::string bytes = ReadSourceFile("data/catalogue/master-catalogue.csv");
  ASSERT_FALSE(bytes.empty());
  auto r = ParseCatalogueCsv(bytes);
  ASSERT_TRUE(r.ok()) << r.error().Describe() << "\n" << r.error().detail.dump(1);
  std::map<PowerKind, int> kinds;
  std::set<std::string> departments;
  for (const auto& p : *r) {
    ++kinds[p.kind];
    departments.insert(p.originating_department);
    if (p.kind == PowerKind::kLicensing) {
      EXPECT_LE(p.promised_limit.days, p.statutory_limit.days);
    }
  }
  EXPECT_GE(r->size(), 300u);
  EXPECT_GE(kinds.size(), 8u);
  EXPECT_GE(departments.size(), 10u);
  EXPECT_GE(kinds[PowerKind::kLicensing], 90);
  EXPECT_GE(kinds[PowerKind::kPenalty], 100);
}

}  // namespace
}  // namespace quanze::domain
