// Separation of duties through the real binary (issue 14 §3): accountability
// is reviewed by the county supervision body, and nobody reviews or concludes
// an accountability record that names them; legal reviewers are qualified by
// the county legal-affairs body, not by the town. Refusals are journaled. The case rules' own separation (the legal reviewer and the
// hearing chair did not investigate) is in lawful_outcomes_itest.cc and the
// scenarios.
#include <gtest/gtest.h>

#include "cases_fixture.h"

namespace quanze::testing {
namespace {

class Separation : public CasesTest {};

TEST_F(Separation, NobodyReviewsAnAccountabilityRecordThatNamesThem) {
  // The town leader tries a step outside his agency's powers: denied, and a record names him.
  const std::vector<std::string> penalties = Items("penalty");
  ASSERT_FALSE(penalties.empty());
  HttpResponse opened = As("qiaotou.chief")->PostJson(
      "/api/v1/cases", {{"town_code", kQiaotou}, {"power_code", penalties.front()}, {"origin", "complaint"},
                        {"party", {{"kind", "organisation"}, {"name", "东海服装厂"}}}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::int64_t id = opened.Json()["case_id"].get<std::int64_t>();
  auto leader = As("qiaotou.leader");
  HttpResponse denied = leader->PostJson("/api/v1/cases/" + std::to_string(id) + "/steps",
                                         {{"step", "not_open"}, {"reason", "不予立案"},
                                          {"decision", {{"content", "不予立案"}}}});
  ASSERT_EQ(denied.status, 403) << denied.body;
  json record;
  for (const json& r : Accountability("denied_authority")) {
    if (r["case_id"] == id) record = r;
  }
  ASSERT_TRUE(record.is_object());
  EXPECT_EQ(record["person_id"], PersonOf("qiaotou.leader"));

  const std::string path = "/api/v1/accountability/" + std::to_string(record["id"].get<std::int64_t>());
  const std::int64_t size = LedgerSize();
  HttpResponse own = leader->PostJson(path, {{"to", "under_review"}});
  EXPECT_EQ(own.status, 403) << "the town does not review its own records: " << own.body;
  EXPECT_EQ(LedgerSize(), size + 1) << "the refusal is journaled";
  // The county supervision body does.
  EXPECT_EQ(As("qinghe.supervision")->PostJson(path, {{"to", "under_review"}}).status, 200);
}

TEST_F(Separation, LegalReviewersAreQualifiedByTheCountyNotByTheTown) {
  const std::int64_t officer = PersonOf("qiaotou.officer");
  const json request{{"person_id", officer}, {"document", "A20261102001"}};
  const std::int64_t size = LedgerSize();
  EXPECT_EQ(As("qiaotou.leader")->Put("/api/v1/legal-reviewers", request.dump(), {{"Content-Type", "application/json"}}).status, 403);
  EXPECT_EQ(LedgerSize(), size + 1) << "the refusal is journaled";
  HttpResponse qualified = As("qinghe.legal")->Put("/api/v1/legal-reviewers", request.dump(), {{"Content-Type", "application/json"}});
  ASSERT_EQ(qualified.status, 200) << qualified.body;
  EXPECT_EQ(qualified.Json()["legal_reviewer"], true);
}

}  // namespace
}  // namespace quanze::testing
