#include "domain/staffing_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace quanze::domain {
namespace {

using nlohmann::json;

// ---- Scenario files: tests/scenarios/staffing/*.json (format in docs/staffing.md) ----

std::string SourceDir() {
  if (const char* dir = std::getenv("QUANZE_SOURCE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::string here = __FILE__;
  return here.substr(0, here.rfind("/src/domain/"));
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

[[noreturn]] void Bad(const std::string& what) { throw std::runtime_error("scenario: " + what); }

template <typename T>
T Enum(const json& j, std::optional<T> (*parse)(std::string_view), const char* what) {
  const std::optional<T> v = parse(j.get<std::string>());
  if (!v) Bad(std::string("unknown ") + what + ": " + j.get<std::string>());
  return *v;
}

// Scenario files may name a quota kind by code or by its Chinese name.
std::string QuotaKind(const json& j, const StaffingSettings& s) {
  const std::string text = j.get<std::string>();
  for (const QuotaKindDef& k : s.quota_kinds) {
    if (k.name_zh == text) return k.code;
  }
  return text;
}

std::string Str(const json& j, const char* key) { return j.value(key, std::string()); }

Approval ParseApproval(const json& j) {
  Approval a;
  if (!j.is_object()) return a;
  a.authority = Str(j, "authority");
  a.doc = Str(j, "doc");
  a.level = j.contains("level") ? Enum(j["level"], ParseApprovingLevel, "approving level")
                                : ApprovingLevel::kNone;
  return a;
}

Agency ParseAgency(const json& j) {
  Agency a;
  a.id = j.at("id").get<Id>();
  a.name = j.at("name").get<std::string>();
  a.kind = Enum(j.at("kind"), ParseAgencyKind, "agency kind");
  a.rank = j.contains("rank") ? Enum(j["rank"], ParseAgencyRank, "agency rank") : AgencyRank::kNone;
  a.nameplates = j.value("nameplates", std::vector<std::string>{});
  a.functions = Str(j, "functions");
  const Approval approval = ParseApproval(j.value("approval", json::object()));
  a.approving_authority = approval.authority;
  a.approval_doc = approval.doc;
  a.approving_level = approval.level;
  a.parent_department = Str(j, "parent_department");
  a.localised = j.value("localised", false);
  a.town_assessment_weight = j.value("town_assessment_weight", 0.0);
  return a;
}

std::vector<Quota> ParseQuotas(const json& j, const StaffingSettings& s) {
  std::vector<Quota> out;
  for (const json& q : j) {
    out.push_back(
        Quota{q.at("agency").get<Id>(), QuotaKind(q.at("kind"), s), q.at("count").get<int>()});
  }
  return out;
}

std::vector<LeadershipQuota> ParseLeadershipQuotas(const json& j) {
  std::vector<LeadershipQuota> out;
  for (const json& q : j) {
    out.push_back(LeadershipQuota{q.at("agency").get<Id>(),
                                  Enum(q.at("grade"), ParseGrade, "grade"),
                                  q.at("count").get<int>()});
  }
  return out;
}

std::vector<QuotaTotal> ParseTotals(const json& j, const StaffingSettings& s) {
  std::vector<QuotaTotal> out;
  for (const auto& [kind, count] : j.items()) {
    out.push_back(QuotaTotal{QuotaKind(json(kind), s), count.get<int>()});
  }
  return out;
}

Person ParsePerson(const json& j, const StaffingSettings& s) {
  Person p;
  p.id = j.at("id").get<Id>();
  p.name = j.at("name").get<std::string>();
  p.id_number = Str(j, "id_number");
  p.agency_id = j.at("agency").get<Id>();
  p.post = Str(j, "post");
  p.title = Str(j, "title");
  p.grade = j.contains("grade") ? Enum(j["grade"], ParseGrade, "grade") : Grade::kNone;
  p.quota_kind = j.contains("quota_kind") ? QuotaKind(j["quota_kind"], s) : "";
  p.is_leader = j.value("is_leader", false);
  p.grade_approval = Str(j, "grade_approval");
  p.approved_grade =
      j.contains("approved_grade") ? Enum(j["approved_grade"], ParseGrade, "grade") : Grade::kNone;
  if (j.contains("certificate")) {
    const json& c = j["certificate"];
    p.certificate.number = Str(c, "number");
    if (c.contains("valid_from")) p.certificate.valid_from = *ParseDate(Str(c, "valid_from"));
    if (c.contains("valid_to")) p.certificate.valid_to = *ParseDate(Str(c, "valid_to"));
  }
  return p;
}

TownStaffing ParseTown(const json& j, const StaffingSettings& s) {
  TownStaffing t;
  t.town_code = j.at("town_code").get<std::string>();
  for (const json& a : j.value("agencies", json::array())) t.agencies.push_back(ParseAgency(a));
  for (Agency& a : t.agencies) a.town_code = t.town_code;
  t.quotas = ParseQuotas(j.value("quotas", json::array()), s);
  t.leadership_quotas = ParseLeadershipQuotas(j.value("leadership_quotas", json::array()));
  for (const json& p : j.value("persons", json::array())) t.persons.push_back(ParsePerson(p, s));
  t.baseline.town_code = t.town_code;
  t.baseline.totals = ParseTotals(j.value("baseline", json::object()), s);
  return t;
}

Change ParseChange(const json& j, const StaffingSettings& s) {
  const std::string type = j.at("type").get<std::string>();
  if (type == "establish_agency" || type == "设立机构") {
    return EstablishAgency{ParseAgency(j.at("agency")),
                           ParseQuotas(j.value("quotas", json::array()), s),
                           ParseLeadershipQuotas(j.value("leadership_quotas", json::array()))};
  }
  if (type == "merge_agencies" || type == "合并机构") {
    return MergeAgencies{j.at("from").get<std::vector<Id>>(), j.at("into").get<Id>(),
                         j.value("keep_names_as_nameplates", true),
                         ParseApproval(j.value("approval", json()))};
  }
  if (type == "abolish_agency" || type == "撤销机构") {
    return AbolishAgency{j.at("agency").get<Id>(), j.value("staff_to", Id{0}),
                         ParseApproval(j.value("approval", json()))};
  }
  if (type == "rename_agency" || type == "更名挂牌") {
    return RenameAgency{j.at("agency").get<Id>(), j.at("name").get<std::string>(),
                        j.value("nameplates", std::vector<std::string>{}),
                        ParseApproval(j.value("approval", json()))};
  }
  if (type == "adjust_quota" || type == "调整编制") {
    return AdjustQuota{ParseQuotas(j.value("quotas", json::array()), s),
                       ParseLeadershipQuotas(j.value("leadership_quotas", json::array())),
                       ParseApproval(j.value("approval", json()))};
  }
  if (type == "appoint" || type == "进人任职") {
    return Appoint{ParsePerson(j.at("person"), s), Str(j, "consultation_record")};
  }
  if (type == "transfer" || type == "调动") {
    return Transfer{j.at("person").get<Id>(),
                    j.at("to").get<Id>(),
                    Str(j, "post"),
                    Str(j, "title"),
                    j.contains("quota_kind") ? QuotaKind(j["quota_kind"], s) : "",
                    j.value("is_leader", false),
                    Str(j, "consultation_record")};
  }
  if (type == "promote" || type == "提拔") {
    return Promote{j.at("person").get<Id>(),
                   Enum(j.at("grade"), ParseGrade, "grade"),
                   Str(j, "post"),
                   Str(j, "title"),
                   Str(j, "approval_record"),
                   Str(j, "consultation_record")};
  }
  if (type == "change_grade" || type == "职级调整") {
    return ChangeGrade{j.at("person").get<Id>(), Enum(j.at("grade"), ParseGrade, "grade"),
                       Str(j, "approval_record"), Str(j, "consultation_record")};
  }
  if (type == "set_title" || type == "设置职务名称") {
    return SetTitle{j.at("person").get<Id>(), j.at("title").get<std::string>()};
  }
  Bad("unknown change type " + type);
}

StaffingSettings ParseSettings(const json& j) {
  StaffingSettings s = DefaultStaffingSettings();
  if (!j.is_object()) return s;
  s.max_integrated_agencies = j.value("max_integrated_agencies", s.max_integrated_agencies);
  if (j.contains("standard_titles")) {
    s.standard_titles.clear();
    for (const json& t : j["standard_titles"]) s.standard_titles.insert(t.get<std::string>());
  }
  return s;
}

std::string Describe(const std::vector<Violation>& vs) {
  std::string out;
  for (const Violation& v : vs) {
    out += "\n  " + std::string(RuleCodeName(v.rule)) + " agency=" + std::to_string(v.agency_id) +
           " person=" + std::to_string(v.person_id) + " subject=" + v.subject +
           " excess=" + std::to_string(v.excess) + " | " + v.evidence_zh;
  }
  return out;
}

// Every ID number of the state: none may appear in any output.
std::vector<std::string> IdNumbers(const TownStaffing& t) {
  std::vector<std::string> out;
  for (const Person& p : t.persons) {
    if (!p.id_number.empty()) out.push_back(p.id_number);
  }
  return out;
}

void ExpectNoIdNumber(const std::string& text, const std::vector<std::string>& ids) {
  for (const std::string& id : ids)
    EXPECT_EQ(text.find(id), std::string::npos) << "ID number leaked";
}

void CheckScan(const TownStaffing& town, const StaffingSettings& s, const json& expected,
               std::set<std::string>& rules_seen) {
  const std::vector<Violation> found = Scan(town, s);
  using Row = std::tuple<std::string, Id, Id>;
  std::multiset<Row> want, got;
  for (const Violation& v : found) got.emplace(RuleCodeName(v.rule), v.agency_id, v.person_id);
  for (const json& e : expected) {
    const std::string rule = e.at("rule").get<std::string>();
    rules_seen.insert(rule);
    want.emplace(rule, e.value("agency", Id{0}), e.value("person", Id{0}));
    auto it = std::find_if(found.begin(), found.end(), [&](const Violation& v) {
      return RuleCodeName(v.rule) == rule && v.agency_id == e.value("agency", Id{0}) &&
             v.person_id == e.value("person", Id{0});
    });
    if (it == found.end()) continue;
    if (e.contains("subject")) {
      EXPECT_EQ(it->subject, e["subject"].get<std::string>()) << rule;
    }
    if (e.contains("excess")) {
      EXPECT_EQ(it->excess, e["excess"].get<int>()) << rule;
    }
    EXPECT_FALSE(it->evidence_zh.empty());
    EXPECT_FALSE(it->evidence_en.empty());
  }
  EXPECT_EQ(got, want) << "scan found:" << Describe(found);
  for (const Violation& v : found) ExpectNoIdNumber(v.evidence_zh + v.evidence_en, IdNumbers(town));
}

void CheckChangeCase(const TownStaffing& town, const StaffingSettings& s, const json& c,
                     std::set<std::string>& rules_seen) {
  SCOPED_TRACE(c.value("description", std::string("(no description)")));
  std::vector<Change> changes;
  if (c.contains("batch")) {
    for (const json& one : c["batch"]) changes.push_back(ParseChange(one, s));
  } else {
    changes.push_back(ParseChange(c.at("change"), s));
  }
  ChangeContext context;
  if (c.contains("county")) {
    const json& k = c["county"];
    context.county = CountyQuotaPosition{Str(k, "county_code"), ParseTotals(k.at("totals"), s),
                                         ParseTotals(k.at("baseline"), s)};
  }
  const Status st = CheckChanges(town, changes, s, context);
  const json& expect = c.at("expect");
  if (expect.is_string()) {
    ASSERT_EQ(expect.get<std::string>(), "accepted");
    EXPECT_TRUE(st.ok()) << (st.ok() ? ""
                                     : st.error().Describe() + "\n" + st.error().detail.dump(1));
    return;
  }
  ASSERT_FALSE(st.ok()) << "expected a refusal";
  const Error& e = st.error();
  EXPECT_EQ(ErrorCodeName(e.code), expect.at("refused").get<std::string>()) << e.Describe();
  EXPECT_FALSE(e.message_zh.empty());
  EXPECT_FALSE(e.message_en.empty());
  std::vector<std::string> ids = IdNumbers(town);
  for (const Change& ch : changes) {
    if (auto* a = std::get_if<Appoint>(&ch); a != nullptr && !a->person.id_number.empty()) {
      ids.push_back(a->person.id_number);
    }
  }
  ExpectNoIdNumber(e.message_zh + e.message_en + e.detail.dump(), ids);
  if (!expect.contains("rules")) return;
  std::set<std::string> want, got;
  for (const json& r : expect["rules"]) {
    want.insert(r.get<std::string>());
    rules_seen.insert(r.get<std::string>());
  }
  for (const json& v : e.detail.at("violations")) got.insert(v.at("rule").get<std::string>());
  EXPECT_EQ(got, want) << e.Describe() << "\n" << e.detail.dump(1);
}

TEST(StaffingScenarios, EveryScenarioFileHolds) {
  const std::filesystem::path dir = std::filesystem::path(SourceDir()) / "tests/scenarios/staffing";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 10u) << "scenario files missing in " << dir;

  std::set<std::string> rules_seen;
  int cases = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    try {
      const json doc = json::parse(ReadFile(file));
      const StaffingSettings settings = ParseSettings(doc.value("settings", json()));
      const TownStaffing town = ParseTown(doc.at("state"), settings);
      CheckScan(town, settings, doc.at("scan"), rules_seen);
      for (const json& c : doc.at("changes")) {
        CheckChangeCase(town, settings, c, rules_seen);
        ++cases;
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cannot read " << file << ": " << e.what();
    }
  }
  EXPECT_GE(cases, 50);
  // Every rule is exercised by at least one scenario.
  for (int r = 0; r < kRuleCodeCount; ++r) {
    EXPECT_TRUE(rules_seen.count(std::string(RuleCodeName(static_cast<RuleCode>(r)))))
        << "no scenario covers " << RuleCodeName(static_cast<RuleCode>(r));
  }
}

// ---- Unit tests ----

TownStaffing SmallTown() {
  TownStaffing t;
  t.town_code = "320506104";
  t.baseline = {t.town_code, {{"administrative", 6}}};
  Agency a;
  a.id = 1;
  a.town_code = t.town_code;
  a.name = "综合行政执法局";
  a.rank = AgencyRank::kTownshipDeputy;
  a.approving_authority = "吴中区机构编制委员会";
  a.approval_doc = "吴编〔2018〕12号";
  a.approving_level = ApprovingLevel::kCounty;
  t.agencies.push_back(a);
  a.id = 2;
  a.name = "建设局";
  t.agencies.push_back(a);
  t.quotas = {{1, "administrative", 3}, {2, "administrative", 3}};
  Person p;
  p.id = 10;
  p.name = "张建国";
  p.id_number = "320506197805061234";
  p.agency_id = 1;
  p.title = "科员";
  p.grade = Grade::kClerk1;
  p.quota_kind = "administrative";
  t.persons.push_back(p);
  return t;
}

TEST(MaskIdNumber, KeepsRegionAndCheckDigitsOnly) {
  EXPECT_EQ(MaskIdNumber("110101199003071234"), "110101********1234");
  EXPECT_EQ(MaskIdNumber("32058319900101002X"), "320583********002X");
  EXPECT_EQ(MaskIdNumber("110101900307123"), "110101*****7123");  // 15-digit legacy number
  EXPECT_EQ(MaskIdNumber("1234567890"), "**********");
  EXPECT_EQ(MaskIdNumber(""), "");
  EXPECT_EQ(MaskIdNumber("张三丰的身份证号"), std::string(24, '*'));
}

TEST(StaffingModel, EnumCodesAndChineseNamesRoundTrip) {
  for (int i = 0; i < kGradeCount; ++i) {
    const Grade g = static_cast<Grade>(i);
    EXPECT_EQ(ParseGrade(GradeCode(g)), g);
    EXPECT_EQ(ParseGrade(GradeNameZh(g)), g);
  }
  for (int i = 0; i < kAgencyKindCount; ++i) {
    const AgencyKind k = static_cast<AgencyKind>(i);
    EXPECT_EQ(ParseAgencyKind(AgencyKindCode(k)), k);
    EXPECT_EQ(ParseAgencyKind(AgencyKindNameZh(k)), k);
  }
  for (int i = 0; i < kAgencyRankCount; ++i) {
    const AgencyRank r = static_cast<AgencyRank>(i);
    EXPECT_EQ(ParseAgencyRank(AgencyRankCode(r)), r);
    EXPECT_EQ(ParseAgencyRank(AgencyRankNameZh(r)), r);
  }
  for (int i = 0; i < kApprovingLevelCount; ++i) {
    const ApprovingLevel l = static_cast<ApprovingLevel>(i);
    EXPECT_EQ(ParseApprovingLevel(ApprovingLevelCode(l)), l);
  }
  for (int i = 0; i < kRuleCodeCount; ++i) {
    const RuleCode r = static_cast<RuleCode>(i);
    EXPECT_EQ(ParseRuleCode(RuleCodeName(r)), r);
    EXPECT_FALSE(RuleBasisZh(r).empty());
  }
  EXPECT_EQ(ParseGrade("处长"), std::nullopt);
}

TEST(StaffingModel, LeadershipTiersShareTheLevelOfMatchingGrades) {
  EXPECT_TRUE(IsLeadershipGrade(Grade::kTownshipDeputy));
  EXPECT_FALSE(IsLeadershipGrade(Grade::kPrincipal1));
  EXPECT_EQ(GradeLevel(Grade::kTownshipDeputy), GradeLevel(Grade::kPrincipal4));
  EXPECT_EQ(GradeLevel(Grade::kTownshipChief), GradeLevel(Grade::kPrincipal2));
  EXPECT_LT(GradeLevel(Grade::kClerk2), GradeLevel(Grade::kClerk1));
  EXPECT_LT(GradeLevel(Grade::kPrincipal1), GradeLevel(Grade::kResearcher4));
  EXPECT_EQ(GradeLevel(Grade::kNone), 0);
}

TEST(StaffingModel, CertificateIsValidOnlyInsideItsDates) {
  EnforcementCertificate c{"苏执字001", *ParseDate("2024-01-01"), *ParseDate("2026-12-31")};
  EXPECT_TRUE(CertificateValidOn(c, *ParseDate("2026-12-31")));
  EXPECT_FALSE(CertificateValidOn(c, *ParseDate("2027-01-01")));
  EXPECT_FALSE(CertificateValidOn(c, *ParseDate("2023-12-31")));
  EXPECT_FALSE(CertificateValidOn(EnforcementCertificate{}, *ParseDate("2025-01-01")));
}

TEST(ApplyChange, MergeMovesStaffQuotasAndNames) {
  TownStaffing t = SmallTown();
  Result<TownStaffing> after = ApplyChange(t, MergeAgencies{{2}, 1, true, {}});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->agencies.size(), 1u);
  EXPECT_EQ(after->agencies[0].nameplates, std::vector<std::string>{"建设局"});
  ASSERT_EQ(after->quotas.size(), 1u);
  EXPECT_EQ(after->quotas[0].count, 6);
  EXPECT_EQ(TownTotals(*after)[0].count, 6);
}

TEST(ApplyChange, ReportsMissingAndDuplicateRecords) {
  TownStaffing t = SmallTown();
  EXPECT_EQ(ApplyChange(t, SetTitle{99, "科员"}).error().code, ErrorCode::kNotFound);
  Person dup = t.persons[0];
  EXPECT_EQ(ApplyChange(t, Appoint{dup, ""}).error().code, ErrorCode::kConflict);
  EXPECT_EQ(ApplyChange(t, AbolishAgency{1, 0, {}}).error().code, ErrorCode::kConflict);
  EXPECT_TRUE(ApplyChange(t, AbolishAgency{2, 0, {}}).ok());
  EXPECT_EQ(ApplyChange(t, Transfer{10, 7, "", "", "administrative", false, ""}).error().code,
            ErrorCode::kNotFound);
}

TEST(CheckChange, RefusalNamesRulesInBothLanguagesWithoutIdNumbers) {
  TownStaffing t = SmallTown();
  const StaffingSettings s = DefaultStaffingSettings();
  const Status st = CheckChange(t, SetTitle{10, "首席执法官"}, s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kRuleViolation);
  EXPECT_NE(st.error().message_zh.find("擅自设置职务名称"), std::string::npos);
  EXPECT_NE(st.error().message_en.find("unauthorised_title"), std::string::npos);
  const json& v = st.error().detail["violations"];
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["rule"], "unauthorised_title");
  EXPECT_EQ(v[0]["person_id"], 10);
  EXPECT_EQ(st.error().detail["changes"][0], "set_title");
  EXPECT_EQ(st.error().detail.dump().find("320506197805061234"), std::string::npos);
}

TEST(CheckChange, MovingPostsBetweenAgenciesPassesOnlyAsOneChange) {
  TownStaffing t = SmallTown();
  const StaffingSettings s = DefaultStaffingSettings();
  const Approval county{"吴中区机构编制委员会", "吴编〔2025〕1号", ApprovingLevel::kCounty};
  const Change raise = AdjustQuota{{{1, "administrative", 4}}, {}, county};
  const Change lower = AdjustQuota{{{2, "administrative", 2}}, {}, county};
  EXPECT_FALSE(CheckChange(t, raise, s).ok());
  const std::vector<Change> both = {lower, raise};
  EXPECT_TRUE(CheckChanges(t, both, s).ok());
  const std::vector<Change> one = {
      AdjustQuota{{{1, "administrative", 4}, {2, "administrative", 2}}, {}, county}};
  EXPECT_TRUE(CheckChanges(t, one, s).ok());
}

TEST(Scan, CleanTownHasNoViolationsAndAgencyLimitIsASetting) {
  TownStaffing t = SmallTown();
  StaffingSettings s = DefaultStaffingSettings();
  EXPECT_TRUE(Scan(t, s).empty()) << Describe(Scan(t, s));
  s.max_integrated_agencies = 1;
  const std::vector<Violation> v = Scan(t, s);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, RuleCode::kAgencyBeyondAuthority);
  EXPECT_EQ(v[0].subject, "agency_limit");
  EXPECT_EQ(v[0].excess, 1);
}

TEST(Scan, MissingBaselineIsFlaggedNotAssumed) {
  TownStaffing t = SmallTown();
  t.baseline.totals.clear();
  const std::vector<Violation> v = CheckTotalAboveBaseline(t, DefaultStaffingSettings());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].subject, "baseline_missing");
}

// 700 towns, 100,100 people: the full provincial scan the lead benchmarks.
TEST(Scan, ProvinceOfSevenHundredTownsFindsEveryPlantedViolation) {
  const StaffingSettings s = DefaultStaffingSettings();
  std::vector<TownStaffing> towns;
  towns.reserve(700);
  for (int town = 0; town < 700; ++town) {
    TownStaffing t;
    t.town_code = "32" + std::to_string(100000 + town);
    for (int a = 1; a <= 10; ++a) {
      Agency agency;
      agency.id = town * 100 + a;
      agency.name = "机构" + std::to_string(a);
      agency.kind = a == 10 ? AgencyKind::kPublicInstitution : AgencyKind::kIntegrated;
      agency.rank = AgencyRank::kTownshipDeputy;
      agency.approval_doc = "编〔2018〕1号";
      agency.approving_level = ApprovingLevel::kCounty;
      t.agencies.push_back(agency);
      const std::string kind = a == 10 ? "institutional" : "administrative";
      t.quotas.push_back({agency.id, kind, 15});
      t.leadership_quotas.push_back({agency.id, Grade::kTownshipDeputy, 1});
    }
    t.baseline = {t.town_code, {{"administrative", 135}, {"institutional", 15}}};
    for (int i = 0; i < 143; ++i) {
      Person p;
      p.id = town * 1000 + i;
      p.name = "人员";
      p.id_number = "320506199001011234";
      const int a = i % 10 + 1;
      p.agency_id = town * 100 + a;
      p.quota_kind = a == 10 ? "institutional" : "administrative";
      p.title = i == 0 ? "总监" : "科员";  // one unauthorised title per town
      p.grade = i < 10 ? Grade::kTownshipDeputy : Grade::kClerk1;
      p.is_leader = i < 10;
      p.grade_approval = i < 10 ? "组干〔2020〕1号" : "";
      p.approved_grade = p.grade;
      t.persons.push_back(p);
    }
    towns.push_back(std::move(t));
  }
  const auto start = std::chrono::steady_clock::now();
  std::size_t found = 0;
  for (const TownStaffing& t : towns) found += Scan(t, s).size();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  RecordProperty("scan_ms", static_cast<int>(ms));
  std::cout << "[ scan     ] 700 towns, 100100 people: " << ms << " ms\n";
  EXPECT_EQ(found, 700u);
}

}  // namespace
}  // namespace quanze::domain
