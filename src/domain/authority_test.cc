#include "domain/authority.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace quanze::domain {
namespace {

constexpr std::string_view kTown = "990121101";
constexpr std::string_view kPower = "CF-03-0016";
constexpr std::int64_t kAgency = 7;
constexpr std::int64_t kOtherAgency = 8;

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d).value(); }

OfficerFact Officer(std::int64_t id, std::string name, std::int64_t agency = kAgency) {
  OfficerFact o;
  o.person_id = id;
  o.agency_id = agency;
  o.name = std::move(name);
  o.post = "综合执法岗";
  o.certificate = {"99010020001", D(2024, 1, 1), D(2027, 12, 31)};
  return o;
}

// A town with one effective grant, two enforcement officers, a leader and a
// legal reviewer, all of agency 7.
AuthorityFacts Facts() {
  AuthorityFacts f;
  f.SetTownName(kTown, "桥头镇");
  f.SetGrant(kTown, kPower, {"effective", D(2025, 1, 1), D(2027, 12, 31), kAgency});
  f.SetGrant(kTown, "CF-03-0017", {"suspended", D(2025, 1, 1), std::nullopt, kAgency});
  f.SetGrant(kTown, "CF-03-0018", {"effective", D(2025, 1, 1), std::nullopt, 0});
  f.SetGrant(kTown, "CF-03-0019", {"effective", std::nullopt, std::nullopt, kAgency});
  f.SetPostSteps(kAgency, "综合执法岗", {"penalty:investigate", "penalty:open", "inspection:*"});
  f.SetPostSteps(kAgency, "局长", {"penalty:*"});
  f.SetPostSteps(kAgency, "法制审核岗", {"penalty:legal_review"});
  f.SetPostSteps(kOtherAgency, "综合执法岗", {"penalty:investigate"});
  f.SetOfficer(Officer(1, "张三"));
  f.SetOfficer(Officer(2, "李四"));
  OfficerFact chief = Officer(3, "王五");
  chief.post = "局长";
  chief.is_leader = true;
  f.SetOfficer(chief);
  OfficerFact reviewer = Officer(4, "赵六");
  reviewer.post = "法制审核岗";
  reviewer.legal_review_qualified = true;
  f.SetOfficer(reviewer);
  f.SetOfficer(Officer(5, "钱七", kOtherAgency));
  OfficerFact expired = Officer(6, "孙八");
  expired.certificate.valid_to = D(2025, 5, 31);
  f.SetOfficer(expired);
  OfficerFact retired = Officer(9, "周九");
  retired.active = false;
  f.SetOfficer(retired);
  return f;
}

AuthorityRequest Investigate() {
  AuthorityRequest r;
  r.town_code = kTown;
  r.power_code = kPower;
  r.procedure_id = "penalty";
  r.step = "investigate";
  r.requirements.enforcement = true;
  r.requirements.certificate = true;
  r.on = D(2025, 6, 10);
  r.performer = 1;
  r.officers = {1, 2};
  return r;
}

const AuthorityFinding* Find(const AuthorityDecision& d, std::string_view code) {
  auto it = std::find_if(d.findings.begin(), d.findings.end(),
                         [&](const AuthorityFinding& f) { return f.code == code; });
  return it == d.findings.end() ? nullptr : &*it;
}

std::vector<std::string> Codes(const AuthorityDecision& d) {
  std::vector<std::string> codes;
  for (const auto& f : d.findings) {
    codes.push_back(f.code);
  }
  return codes;
}

// Denied, and the first failing finding is `code`.
void ExpectDeniedBy(const AuthorityDecision& d, std::string_view code) {
  EXPECT_FALSE(d.allowed);
  ASSERT_NE(d.FirstFailure(), nullptr);
  EXPECT_EQ(d.FirstFailure()->code, code);
}

TEST(Authority, AllowsAnEnforcementStepWithTwoCertifiedOfficers) {
  const AuthorityFacts facts = Facts();
  const AuthorityDecision d = CheckAuthority(facts, Investigate());
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(Codes(d), (std::vector<std::string>{"grant_effective", "grant_valid", "agency_handles",
                                                "post_allows", "officer_count", "certificates",
                                                "officer_active"}));
  for (const auto& f : d.findings) {
    EXPECT_TRUE(f.ok) << f.code;
    EXPECT_FALSE(f.message_zh.empty()) << f.code;
    EXPECT_FALSE(f.message_en.empty()) << f.code;
  }
  EXPECT_EQ(d.FirstFailure(), nullptr);
}

TEST(Authority, DeniesAPowerNotGrantedToTheTownNamingTownAndPower) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.power_code = "CF-99-0001";
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "grant_effective");
  EXPECT_EQ(d.findings[0].message_zh, "桥头镇未被赋予事项 CF-99-0001");
  EXPECT_EQ(d.findings[0].message_en, "power CF-99-0001 is not granted to town 990121101");
  EXPECT_FALSE(Find(d, "grant_valid")->ok);
  EXPECT_FALSE(Find(d, "agency_handles")->ok);
  EXPECT_FALSE(Find(d, "officer_count")->ok);
}

TEST(Authority, DeniesASuspendedGrant) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.power_code = "CF-03-0017";
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "grant_effective");
  EXPECT_NE(d.findings[0].message_zh.find("已暂停"), std::string::npos) << d.findings[0].message_zh;
  EXPECT_NE(d.findings[0].message_en.find("suspended"), std::string::npos);
}

TEST(Authority, DeniesADayBeforeOrAfterTheGrantsValidity) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.on = D(2024, 12, 31);
  r.requirements.certificate = false;
  ExpectDeniedBy(CheckAuthority(facts, r), "grant_valid");
  r.on = D(2028, 1, 1);
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "grant_valid");
  EXPECT_NE(d.FirstFailure()->message_en.find("ended on 2027-12-31"), std::string::npos);
  r.on = D(2027, 12, 31);  // the last day counts
  EXPECT_TRUE(CheckAuthority(facts, r).allowed);
}

TEST(Authority, DeniesAGrantWithoutStartDate) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.power_code = "CF-03-0019";
  ExpectDeniedBy(CheckAuthority(facts, r), "grant_valid");
}

TEST(Authority, DeniesAGrantWithoutHandlingAgency) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.power_code = "CF-03-0018";
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "agency_handles");
  EXPECT_FALSE(Find(d, "officer_count")->ok);
}

TEST(Authority, DeniesAPerformerOfAnotherAgency) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.performer = 5;  // 钱七 of agency 8, whose post may investigate there
  r.officers = {5, 2};
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "agency_handles");
  EXPECT_TRUE(Find(d, "post_allows")->ok);
  EXPECT_FALSE(Find(d, "officer_count")->ok);
  EXPECT_NE(Find(d, "officer_count")->message_zh.find("钱七"), std::string::npos);
}

TEST(Authority, DeniesAStepThePostMayNotPerform) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.step = "decide";
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "post_allows");
  EXPECT_EQ(d.FirstFailure()->message_zh, "张三的岗位“综合执法岗”不得执行 penalty:decide");
}

TEST(Authority, AllowsEveryStepOfAProcedureByWildcard) {
  const AuthorityFacts facts = Facts();
  EXPECT_TRUE(facts.PostMayPerform(kAgency, "综合执法岗", "inspection", "record"));
  EXPECT_FALSE(facts.PostMayPerform(kAgency, "综合执法岗", "licensing", "record"));
  EXPECT_FALSE(facts.PostMayPerform(kAgency, "无此岗位", "inspection", "record"));
  EXPECT_FALSE(facts.PostMayPerform(kOtherAgency, "综合执法岗", "inspection", "record"));
}

TEST(Authority, DeniesAnEnforcementStepByOneOfficer) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.officers = {1};
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "officer_count");
  EXPECT_EQ(d.FirstFailure()->message_en, "too few officers: at least 2 needed, 1 acting");
  r.officers = {1, 1};  // the same officer twice is still one
  ExpectDeniedBy(CheckAuthority(facts, r), "officer_count");
}

TEST(Authority, CountsMinOfficersOutsideEnforcement) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.requirements = {};
  r.requirements.min_officers = 3;
  ExpectDeniedBy(CheckAuthority(facts, r), "officer_count");
  r.officers = {1, 2, 4};
  EXPECT_TRUE(CheckAuthority(facts, r).allowed);
  r.requirements.min_officers = 1;
  r.officers = {};
  const AuthorityDecision d = CheckAuthority(facts, r);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(Find(d, "officer_count"), nullptr);  // not checked
}

TEST(Authority, DeniesTwoOfficersWhenOneCertificateHasExpired) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.officers = {1, 6};  // 孙八's certificate expired on 2025-05-31
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "certificates");
  EXPECT_TRUE(Find(d, "officer_count")->ok);
  EXPECT_EQ(d.FirstFailure()->message_zh,
            "执法证在 2025-06-10 无效：孙八的执法证已于 2025-05-31 到期");
  r.on = D(2025, 5, 31);
  EXPECT_TRUE(CheckAuthority(facts, r).allowed);
}

TEST(Authority, DeniesAPerformerWithoutCertificate) {
  AuthorityFacts facts = Facts();
  OfficerFact none = Officer(10, "吴十");
  none.certificate = {};
  facts.SetOfficer(none);
  AuthorityRequest r = Investigate();
  r.performer = 10;
  r.officers = {10, 2};
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "certificates");
  EXPECT_NE(d.FirstFailure()->message_en.find("吴十 holds no enforcement certificate"),
            std::string::npos);
}

TEST(Authority, DeniesADecisionByANonLeader) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.step = "decide";
  r.requirements = {};
  r.requirements.leader = true;
  r.performer = 3;
  r.officers = {};
  EXPECT_TRUE(CheckAuthority(facts, r).allowed);
  AuthorityFacts not_leader = Facts();
  OfficerFact chief = *not_leader.FindOfficer(3);
  chief.is_leader = false;
  not_leader.SetOfficer(chief);
  ExpectDeniedBy(CheckAuthority(not_leader, r), "leader");
}

TEST(Authority, DeniesLegalReviewByAnUnqualifiedOfficer) {
  AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.step = "legal_review";
  r.requirements = {};
  r.requirements.legal_reviewer = true;
  r.performer = 4;
  r.officers = {};
  EXPECT_TRUE(CheckAuthority(facts, r).allowed);
  OfficerFact reviewer = *facts.FindOfficer(4);
  reviewer.legal_review_qualified = false;
  facts.SetOfficer(reviewer);
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "legal_reviewer");
  EXPECT_EQ(d.FirstFailure()->message_zh, "赵六不具备法制审核资格");
}

TEST(Authority, DeniesAnInactiveOfficer) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.officers = {1, 9};
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "officer_active");
  EXPECT_EQ(d.FirstFailure()->message_zh, "周九已不在岗");
}

TEST(Authority, DeniesAnUnknownPerformerWithAFinding) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.performer = 404;
  r.officers = {404, 2};
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "agency_handles");
  EXPECT_EQ(d.FirstFailure()->message_en, "performer #404 is not on record");
  EXPECT_FALSE(Find(d, "post_allows")->ok);
  EXPECT_FALSE(Find(d, "officer_active")->ok);
  EXPECT_NE(Find(d, "officer_active")->message_zh.find("#404不在人员名录中"), std::string::npos);
}

TEST(Authority, DeniesAnUnknownFellowOfficer) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.officers = {1, 405};
  const AuthorityDecision d = CheckAuthority(facts, r);
  ExpectDeniedBy(d, "officer_count");
  EXPECT_FALSE(Find(d, "certificates")->ok);
  EXPECT_FALSE(Find(d, "officer_active")->ok);
}

TEST(Authority, CountsThePerformerEvenWhenLeftOutOfTheOfficers) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.officers = {2};
  EXPECT_TRUE(CheckAuthority(facts, r).allowed);
}

TEST(Authority, DeniedErrorNamesTheFirstFailingFactAndListsAllFindings) {
  const AuthorityFacts facts = Facts();
  AuthorityRequest r = Investigate();
  r.officers = {1};
  const AuthorityDecision d = CheckAuthority(facts, r);
  const Error e = AuthorityDeniedError(d);
  EXPECT_EQ(e.code, ErrorCode::kAuthorityDenied);
  EXPECT_NE(e.message_zh.find("执法人员不足"), std::string::npos) << e.message_zh;
  EXPECT_NE(e.message_en.find("too few officers"), std::string::npos) << e.message_en;
  ASSERT_TRUE(e.detail["findings"].is_array());
  EXPECT_EQ(e.detail["findings"].size(), d.findings.size());
  EXPECT_EQ(e.detail["findings"][4]["code"], "officer_count");
  EXPECT_EQ(e.detail["findings"][4]["ok"], false);
  EXPECT_EQ(e.detail["findings"][0]["ok"], true);
}

TEST(Authority, MessagesNeverCarryAnIdNumberOrCertificateNumber) {
  AuthorityFacts facts = Facts();
  // Certificates are named by their holder and dates, never by number.
  AuthorityRequest r = Investigate();
  r.officers = {1, 6, 9, 404};
  const AuthorityDecision d = CheckAuthority(facts, r);
  for (const auto& f : d.findings) {
    EXPECT_EQ(f.message_zh.find("99010020001"), std::string::npos) << f.message_zh;
    EXPECT_EQ(f.message_en.find("99010020001"), std::string::npos) << f.message_en;
  }
}

TEST(Authority, SetReplacesEarlierFacts) {
  AuthorityFacts facts = Facts();
  const std::size_t n = facts.grant_count();
  facts.SetGrant(kTown, kPower, {"revoked", D(2025, 1, 1), std::nullopt, kAgency});
  EXPECT_EQ(facts.grant_count(), n);
  EXPECT_EQ(facts.FindGrant(kTown, kPower)->state, "revoked");
  ExpectDeniedBy(CheckAuthority(facts, Investigate()), "grant_effective");
  facts.SetPostSteps(kAgency, "综合执法岗", {"penalty:open"});
  EXPECT_FALSE(facts.PostMayPerform(kAgency, "综合执法岗", "penalty", "investigate"));
  EXPECT_EQ(facts.TownName("990121199"), "990121199");
}

}  // namespace
}  // namespace quanze::domain
