#include "http/router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "http/error_table.h"

namespace quanze::http {
namespace {

void Noop(Request&, Respond) {}

Router SampleRouter() {
  Router r;
  r.Add("GET", "/healthz", Access::kPublic, Noop);
  r.Add("POST", "/api/v1/session", Access::kPublic, Noop);
  r.Add("GET", "/api/v1/session", Access::kUser, Noop);
  r.Add("DELETE", "/api/v1/session", Access::kUser, Noop);
  r.Add("GET", "/api/v1/regions", Access::kUser, Noop);
  r.Add("GET", "/api/v1/regions/{code}", Access::kUser, Noop);
  r.Add("GET", "/api/v1/ledger/entries/{index}", Access::kUser, Noop);
  r.Add("GET", "/api/v1/ledger/entries/{index}/raw", Access::kUser, Noop);
  return r;
}

// ---- matching -------------------------------------------------------------------

TEST(Router, FindsTheRouteForMethodAndPath) {
  Router r = SampleRouter();
  auto m = r.Find("DELETE", "/api/v1/session");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "DELETE");
  EXPECT_EQ(m.route->pattern, "/api/v1/session");
  EXPECT_EQ(m.route->access, Access::kUser);
}

TEST(Router, CapturesPathParameters) {
  Router r = SampleRouter();
  auto m = r.Find("GET", "/api/v1/regions/990121101");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/regions/{code}");
  EXPECT_EQ(m.params.at("code"), "990121101");

  auto raw = r.Find("GET", "/api/v1/ledger/entries/42/raw");
  ASSERT_NE(raw.route, nullptr);
  EXPECT_EQ(raw.route->pattern, "/api/v1/ledger/entries/{index}/raw");
  EXPECT_EQ(raw.params.at("index"), "42");
}

TEST(Router, UnknownPathIsNotFoundWithNoAllowedMethods) {
  Router r = SampleRouter();
  for (const char* path : {"/nope", "/api/v1", "/api/v1/regions/990121101/towns", "/healthz/", "/"}) {
    auto m = r.Find("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
  }
}

TEST(Router, KnownPathWithAnotherMethodListsTheAllowedMethods) {
  Router r = SampleRouter();
  auto m = r.Find("PUT", "/api/v1/session");
  EXPECT_EQ(m.route, nullptr);
  std::vector<std::string> allowed = m.allowed;
  std::sort(allowed.begin(), allowed.end());
  EXPECT_EQ(allowed, (std::vector<std::string>{"DELETE", "GET", "POST"}));

  auto h = r.Find("PUT", "/healthz");
  EXPECT_EQ(h.allowed, std::vector<std::string>{"GET"});
}

TEST(Router, AnEmptySegmentDoesNotFillAParameter) {
  Router r = SampleRouter();
  auto m = r.Find("GET", "/api/v1/regions/");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
}

TEST(Router, MethodsAreCaseSensitive) {
  Router r = SampleRouter();
  auto m = r.Find("get", "/healthz");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.allowed.empty());
}

// ---- percent-decoding and query strings ------------------------------------------

TEST(Query, DecodesPercentEscapesAndPlus) {
  auto q = ParseQuery("parent=990121&name=%E6%A1%A5%E5%A4%B4+%E9%95%87&x=a%2Bb&empty=&flag");
  ASSERT_TRUE(q.ok()) << q.error().Describe();
  EXPECT_EQ(q->at("parent"), "990121");
  EXPECT_EQ(q->at("name"), "桥头 镇");
  EXPECT_EQ(q->at("x"), "a+b");
  EXPECT_EQ(q->at("empty"), "");
  EXPECT_EQ(q->at("flag"), "");
}

TEST(Query, SkipsEmptyPairsAndKeepsTheFirstOfARepeatedName) {
  auto q = ParseQuery("&&limit=5&limit=500&");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->size(), 1u);
  EXPECT_EQ(q->at("limit"), "5");
}

TEST(Query, MalformedEscapesAreABadRequest) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "a=%G1", "%=1", "a=1&b=%e4%b", "k%2=v"}) {
    auto q = ParseQuery(bad);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.error().code, ErrorCode::kBadRequest) << bad;
    EXPECT_EQ(HttpStatusFor(q.error().code), 400);
  }
}

TEST(Query, PathDecodingKeepsPlusAsPlus) {
  EXPECT_EQ(PercentDecode("/a+b%20c", false), "/a+b c");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%41%62", false), "Ab");
  EXPECT_EQ(PercentDecode("50%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
}

// ---- typed parameters -------------------------------------------------------------

Request WithQuery(std::map<std::string, std::string> query) {
  Request r;
  r.query = std::move(query);
  return r;
}

void ExpectBadParameter(const Result<std::optional<std::int64_t>>& r, const std::string& name) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(r.error().detail["parameter"], name);
  EXPECT_NE(r.error().message_en.find(name), std::string::npos);
}

TEST(QueryInt, AbsentIsNoValue) {
  auto r = WithQuery({}).QueryInt("limit", 1, 500);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::nullopt);
}

TEST(QueryInt, AcceptsTheBoundsInclusive) {
  EXPECT_EQ(*WithQuery({{"limit", "1"}}).QueryInt("limit", 1, 500), 1);
  EXPECT_EQ(*WithQuery({{"limit", "500"}}).QueryInt("limit", 1, 500), 500);
}

TEST(QueryInt, OutOfBoundsIsABadRequestNamingTheParameter) {
  ExpectBadParameter(WithQuery({{"limit", "0"}}).QueryInt("limit", 1, 500), "limit");
  ExpectBadParameter(WithQuery({{"limit", "501"}}).QueryInt("limit", 1, 500), "limit");
  ExpectBadParameter(WithQuery({{"limit", "-1"}}).QueryInt("limit", 1, 500), "limit");
}

TEST(QueryInt, NonNumbersAreABadRequest) {
  for (const char* text : {"", "abc", "5x", " 5", "5 ", "+5", "1e3", "0x10", "3.0",
                           "99999999999999999999"}) {
    auto r = WithQuery({{"limit", text}}).QueryInt("limit", 0, INT64_MAX);
    ExpectBadParameter(r, "limit");
  }
}

TEST(RequiredInt, MissingIsABadRequestNamingTheParameter) {
  auto r = WithQuery({{"index", "3"}}).RequiredInt("size", 0, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(r.error().detail["parameter"], "size");
  EXPECT_NE(r.error().message_en.find("missing"), std::string::npos);
}

TEST(RequiredInt, ParsesAndChecksBounds) {
  Request req = WithQuery({{"index", "3"}, {"size", "101"}});
  auto index = req.RequiredInt("index", 0, 100);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(*index, 3);
  auto size = req.RequiredInt("size", 0, 100);
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(HttpStatusFor(size.error().code), 400);
}

TEST(ParamInt, RejectsNonNumericAndNegativePathParameters) {
  Request req;
  req.params = {{"index", "7"}};
  EXPECT_EQ(*req.ParamInt("index"), 7);
  req.params = {{"index", "seven"}};
  EXPECT_FALSE(req.ParamInt("index").ok());
  req.params = {{"index", "-7"}};
  EXPECT_FALSE(req.ParamInt("index").ok());
  req.params = {};
  EXPECT_FALSE(req.ParamInt("index").ok());
}

TEST(QueryText, TooLongIsABadRequest) {
  Request req = WithQuery({{"parent", std::string(17, '9')}});
  auto r = req.QueryText("parent", 16);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(*WithQuery({{"parent", "990121"}}).QueryText("parent", 16), "990121");
}

// ---- JSON bodies --------------------------------------------------------------------

Request WithBody(std::string content_type, std::string body) {
  Request r;
  r.headers["content-type"] = std::move(content_type);
  r.body = std::move(body);
  return r;
}

TEST(JsonBody, ParsesAnObject) {
  auto j = WithBody("application/json; charset=utf-8", R"({"username":"a","password":"b"})").JsonBody();
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["username"], "a");
}

TEST(JsonBody, WrongContentTypeIs415) {
  auto j = WithBody("text/plain", R"({"a":1})").JsonBody();
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(HttpStatusFor(j.error().code), 415);
  EXPECT_FALSE(WithBody("", R"({"a":1})").JsonBody().ok());
}

TEST(JsonBody, MalformedOrNonObjectJsonIs400) {
  for (const char* body : {"", "{", "{\"a\":}", "[1,2]", "\"text\"", "42", "null", "{\"a\":1}x"}) {
    auto j = WithBody("application/json", body).JsonBody();
    ASSERT_FALSE(j.ok()) << body;
    EXPECT_EQ(HttpStatusFor(j.error().code), 400) << body;
  }
}

}  // namespace
}  // namespace quanze::http
