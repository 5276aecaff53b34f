#include "domain/catalogue_diff.h"

#include <gtest/gtest.h>

#include "domain/catalogue_testing.h"

namespace quanze::domain {
namespace {

using testing::SampleDecision;
using testing::SampleGrant;
using testing::SamplePower;

CatalogueItem Item(const std::string& code) {
  Grant g = SampleGrant();
  g.id = "G-" + code;
  g.power_code = code;
  g.decision_doc = SampleDecision();
  return MakeCatalogueItem(SamplePower(code), g, "塘桥镇人民政府");
}

TEST(CatalogueDiff, IdenticalListsHaveNoDifference) {
  std::vector<CatalogueItem> a{Item("XK-01-0001"), Item("XK-01-0002")};
  EXPECT_TRUE(DiffCatalogues(a, a).empty());
}

TEST(CatalogueDiff, ListsAddedAndRemovedItemsByCode) {
  std::vector<CatalogueItem> from{Item("XK-01-0001"), Item("XK-01-0002")};
  std::vector<CatalogueItem> to{Item("XK-01-0003"), Item("XK-01-0001")};
  CatalogueDiff d = DiffCatalogues(from, to);
  ASSERT_EQ(d.added.size(), 1u);
  EXPECT_EQ(d.added[0].power.code, "XK-01-0003");
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_EQ(d.removed[0].power.code, "XK-01-0002");
  EXPECT_TRUE(d.changed.empty());
}

TEST(CatalogueDiff, ListsChangedFieldsOneByOneWithBeforeAndAfter) {
  std::vector<CatalogueItem> from{Item("XK-01-0001")};
  std::vector<CatalogueItem> to{Item("XK-01-0001")};
  to[0].power.promised_limit.days = 2;
  to[0].power.name = "临时占用城市绿化用地的审批";
  to[0].mode = GrantMode::kEntrustment;
  to[0].decision_doc.number = "张政发〔2025〕3号";
  CatalogueDiff d = DiffCatalogues(from, to);
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_EQ(d.changed[0].code, "XK-01-0001");
  const auto& f = d.changed[0].fields;
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].field, "decision_doc.number");
  EXPECT_EQ(f[1].field, "mode");
  EXPECT_EQ(f[1].before, "delegation");
  EXPECT_EQ(f[1].after, "entrustment");
  EXPECT_EQ(f[2].field, "name");
  EXPECT_EQ(f[3].field, "promised_limit.days");
  EXPECT_EQ(f[3].before, 3);
  EXPECT_EQ(f[3].after, 2);
}

TEST(CatalogueDiff, ListFieldsAreComparedAsAWhole) {
  std::vector<CatalogueItem> from{Item("XK-01-0001")};
  std::vector<CatalogueItem> to = from;
  to[0].power.materials.pop_back();
  CatalogueDiff d = DiffCatalogues(from, to);
  ASSERT_EQ(d.changed.size(), 1u);
  ASSERT_EQ(d.changed[0].fields.size(), 1u);
  EXPECT_EQ(d.changed[0].fields[0].field, "materials");
  EXPECT_EQ(d.changed[0].fields[0].before.size(), 2u);
  EXPECT_EQ(d.changed[0].fields[0].after.size(), 1u);
}

TEST(CatalogueDiff, JsonFormHasAddedRemovedAndChanged) {
  std::vector<CatalogueItem> from{Item("XK-01-0001"), Item("XK-01-0002")};
  std::vector<CatalogueItem> to{Item("XK-01-0001"), Item("XK-01-0003")};
  to[0].power.valid_to = "2026-12-31";
  nlohmann::json j = CatalogueDiffToJson(DiffCatalogues(from, to));
  EXPECT_EQ(j["added"][0]["code"], "XK-01-0003");
  EXPECT_EQ(j["removed"][0]["code"], "XK-01-0002");
  EXPECT_EQ(j["changed"][0]["fields"][0],
            (nlohmann::json{{"field", "valid_to"}, {"before", nullptr}, {"after", "2026-12-31"}}));
}

TEST(CatalogueDiff, CanonicalContentIgnoresItemOrderButNotContent) {
  std::vector<CatalogueItem> a{Item("XK-01-0001"), Item("XK-01-0002")};
  std::vector<CatalogueItem> b{a[1], a[0]};
  EXPECT_EQ(CanonicalCatalogueContent(a), CanonicalCatalogueContent(b));
  b[0].power.remarks = "x";
  EXPECT_NE(CanonicalCatalogueContent(a), CanonicalCatalogueContent(b));
  std::string c = CanonicalCatalogueContent(a);
  EXPECT_EQ(c.rfind("quanze-catalogue-v1\n", 0), 0u);
  EXPECT_NE(c.find("临时占用城市绿化用地审批"), std::string::npos);  // not \u-escaped
  EXPECT_LT(c.find("XK-01-0001"), c.find("XK-01-0002"));
}

TEST(CatalogueDiff, CatalogueItemRoundTripsThroughJson) {
  CatalogueItem item = Item("XK-01-0001");
  item.grant_valid_to = "2027-02-28";
  auto back = CatalogueItemFromJson(CatalogueItemToJson(item));
  ASSERT_TRUE(back.ok()) << back.error().Describe();
  EXPECT_EQ(*back, item);
}

TEST(CatalogueVersionPublish, FirstPublicationIsVersionOneSortedByCode) {
  auto v = PrepareCatalogueVersion(nullptr, "320582104", {Item("XK-01-0002"), Item("XK-01-0001")},
                                   "2024-03-01T09:00:00+08:00");
  ASSERT_TRUE(v.ok()) << v.error().Describe();
  EXPECT_EQ(v->number, 1);
  EXPECT_EQ(v->items[0].power.code, "XK-01-0001");
}

TEST(CatalogueVersionPublish, AnyChangeMakesTheNextVersion) {
  auto v1 = PrepareCatalogueVersion(nullptr, "320582104", {Item("XK-01-0001")}, "t1");
  ASSERT_TRUE(v1.ok());
  auto v2 =
      PrepareCatalogueVersion(&*v1, "320582104", {Item("XK-01-0001"), Item("XK-01-0002")}, "t2");
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->number, 2);
  EXPECT_EQ(v1->items.size(), 1u);  // the earlier version is untouched
  CatalogueDiff d = DiffCatalogues(v1->items, v2->items);
  EXPECT_EQ(d.added.size(), 1u);
}

TEST(CatalogueVersionPublish, PublishingAnUnchangedListIsAConflict) {
  auto v1 = PrepareCatalogueVersion(nullptr, "320582104", {Item("XK-01-0001")}, "t1");
  ASSERT_TRUE(v1.ok());
  auto again = PrepareCatalogueVersion(&*v1, "320582104", {Item("XK-01-0001")}, "t2");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().detail["version"], 1);
}

TEST(CatalogueVersionPublish, DuplicateCodesAndInvalidItemsAreRefused) {
  CatalogueItem bad = Item("XK-01-0002");
  bad.power.promised_limit.days = 99;
  auto v = PrepareCatalogueVersion(nullptr, "320582104",
                                   {Item("XK-01-0001"), Item("XK-01-0001"), bad}, "t1");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kValidation);
  ASSERT_EQ(v.error().detail["errors"].size(), 2u);
  EXPECT_EQ(v.error().detail["errors"][0]["field"], "code");
  EXPECT_EQ(v.error().detail["errors"][1]["code"], "XK-01-0002");
}

TEST(CatalogueVersionPublish, PreviousVersionOfAnotherTownIsRefused) {
  auto v1 = PrepareCatalogueVersion(nullptr, "320582104", {Item("XK-01-0001")}, "t1");
  ASSERT_TRUE(v1.ok());
  auto v = PrepareCatalogueVersion(&*v1, "320581102", {Item("XK-01-0002")}, "t2");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kBadRequest);
}

}  // namespace
}  // namespace quanze::domain
