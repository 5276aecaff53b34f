// The edge's request-body path (docs/edge.md): media types, the nesting
// limit checked before parsing, typed fields, body limits, the mapping of
// nlohmann's type errors to 400, and HEAD answered by GET routes.
#include <gtest/gtest.h>

#include <string>

#include "http/error_table.h"
#include "http/router.h"

namespace quanze::http {
namespace {

using nlohmann::json;

Request WithBody(std::string content_type, std::string body) {
  Request r;
  r.headers["content-type"] = std::move(content_type);
  r.body = std::move(body);
  return r;
}

std::string Nested(int depth, char open = '[', char close = ']') {
  return std::string(static_cast<std::size_t>(depth), open) +
         std::string(static_cast<std::size_t>(depth), close);
}

// ---- media types ------------------------------------------------------------------

TEST(MediaType, OnlyApplicationJsonWithAnOptionalUtf8CharsetIsJson) {
  for (const char* ok :
       {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
        "application/json ; charset=\"utf-8\"", " application/json"}) {
    EXPECT_TRUE(IsJsonMediaType(ok)) << ok;
  }
  for (const char* bad :
       {"", "text/plain; application/json", "text/plain;application/json",
        "application/json, text/plain", "application/jsonx", "application/json-patch+json",
        "application/json; charset=latin1", "application/json; boundary=x",
        "application/x-www-form-urlencoded", "multipart/form-data", "text/plain",
        "application/json; charset", "application/json; charset=\"utf-8",
        "application/json garbage", "/json", "application/"}) {
    EXPECT_FALSE(IsJsonMediaType(bad)) << bad;
  }
}

TEST(MediaType, ParsesTypeAndParameters) {
  auto m = ParseMediaType("Text/CSV; Charset=GB18030; header=\"pre\\\"sent\"");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->essence, "text/csv");
  ASSERT_EQ(m->params.size(), 2u);
  EXPECT_EQ(m->params[0], (std::pair<std::string, std::string>{"charset", "GB18030"}));
  EXPECT_EQ(m->params[1], (std::pair<std::string, std::string>{"header", "pre\"sent"}));
}

TEST(JsonBody, AFormPostDisguisedAsJsonIs415) {
  auto j = WithBody("text/plain; application/json", R"({"comment":"x"})").JsonBody();
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(HttpStatusFor(j.error().code), 415);
}

// Found by fuzzing: the JSON library stops at a NUL, so "{...}\0junk" was read as "{...}".
TEST(JsonBody, ABodyWithANulByteIsRefusedNotReadUpToIt) {
  auto j = WithBody("application/json", std::string("{\"level\":5}\0[[[junk", 19)).JsonBody();
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(HttpStatusFor(j.error().code), 400);
  EXPECT_TRUE(WithBody("application/json", R"({"level":5})").JsonBody().ok());
}

// ---- depth -------------------------------------------------------------------------

TEST(JsonDepth, AcceptsUpToTheLimitAndRefusesOneMore) {
  EXPECT_TRUE(CheckJsonDepth(Nested(kMaxJsonDepth)).ok());
  auto deep = CheckJsonDepth(Nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(HttpStatusFor(deep.error().code), 400);
  EXPECT_TRUE(CheckJsonDepth(Nested(kMaxJsonDepth, '{', '}')).ok());
}

TEST(JsonDepth, BracketsInsideStringsDoNotCount) {
  std::string inside = "{\"a\":\"" + Nested(1000) + "\\\"[[[[\"}";
  EXPECT_TRUE(CheckJsonDepth(inside).ok());
  // Siblings do not add up: depth is nesting, not count.
  std::string wide = "[";
  for (int i = 0; i < 10000; ++i) wide += "[],";
  wide += "[]]";
  EXPECT_TRUE(CheckJsonDepth(wide).ok());
}

TEST(JsonDepth, UnbalancedOrGarbageInputIsSafe) {
  EXPECT_TRUE(CheckJsonDepth("]]]]}}}}").ok());
  EXPECT_TRUE(CheckJsonDepth("\"unterminated [[[[").ok());
  EXPECT_FALSE(CheckJsonDepth(std::string(100000, '[')).ok());
}

TEST(JsonBody, RatingsScoresNested100000DeepIsRefusedBeforeParsing) {
  // The crash of issue 14: ~200 KB, 100,000 arrays deep.
  std::string body = R"({"receipt_code":"X","level":3,"scores":)" + Nested(100000) + "}";
  auto j = WithBody("application/json", body).JsonBody();
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(HttpStatusFor(j.error().code), 400);
  EXPECT_NE(j.error().message_en.find("nests too deeply"), std::string::npos);
}

// ---- typed fields ------------------------------------------------------------------

TEST(JsonBody, AFieldOfTheWrongTypeIs400NamingTheField) {
  auto j = WithBody("application/json", R"({"receipt_code":"X","comment":5})")
               .JsonBody({{"receipt_code", JsonKind::kString}, {"comment", JsonKind::kString}});
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(HttpStatusFor(j.error().code), 400);
  EXPECT_EQ(j.error().detail["field"], "comment");
  EXPECT_NE(j.error().message_zh.find("comment"), std::string::npos);
  EXPECT_NE(j.error().message_zh.find("字符串"), std::string::npos);
  EXPECT_NE(j.error().message_en.find("\"comment\""), std::string::npos);
  EXPECT_NE(j.error().message_en.find("a string"), std::string::npos);
}

TEST(JsonBody, NullIsTheWrongTypeButAnAbsentFieldPasses) {
  std::initializer_list<FieldSpec> spec = {{"comment", JsonKind::kString},
                                           {"level", JsonKind::kInteger}};
  EXPECT_FALSE(WithBody("application/json", R"({"comment":null})").JsonBody(spec).ok());
  EXPECT_TRUE(WithBody("application/json", R"({"level":3})").JsonBody(spec).ok());
  EXPECT_FALSE(WithBody("application/json", R"({"level":3.5})").JsonBody(spec).ok());
  EXPECT_TRUE(WithBody("application/json", R"({"comment":"好","level":3})").JsonBody(spec).ok());
}

TEST(JsonBody, NestedFieldPathsAreChecked) {
  std::initializer_list<FieldSpec> spec = {
      {"decision/content", JsonKind::kString},
      {"decision/licence_revoked_or_closure", JsonKind::kBoolean}};
  auto j = WithBody("application/json", R"({"decision":{"content":["x"]}})").JsonBody(spec);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().detail["field"], "decision/content");
  EXPECT_FALSE(WithBody("application/json", R"({"decision":{"licence_revoked_or_closure":"yes"}})")
                   .JsonBody(spec)
                   .ok());
  // A parent that is not an object is the use case's to report.
  EXPECT_TRUE(WithBody("application/json", R"({"decision":"x"})").JsonBody(spec).ok());
}

// ---- library exceptions ------------------------------------------------------------

TEST(ClientJsonError, ATypeErrorFromReadingTheRequestIsA400WithoutLibraryText) {
  json request = {{"comment", 5}};
  try {
    (void)request.value("comment", "");
    FAIL() << "nlohmann::json accepted a number as a string";
  } catch (const std::exception& e) {
    auto error = ClientJsonError(e);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(HttpStatusFor(error->code), 400);
    EXPECT_EQ(error->message_en.find("json.exception"), std::string::npos);
    EXPECT_EQ(error->message_en, "a request field has the wrong type");
  }
}

TEST(ClientJsonError, AMissingKeyFromAtIsA400) {
  json request = json::object();
  try {
    (void)request.at("to");
    FAIL();
  } catch (const std::exception& e) {
    auto error = ClientJsonError(e);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(HttpStatusFor(error->code), 400);
  }
}

TEST(ClientJsonError, OtherExceptionsStayInternal) {
  EXPECT_FALSE(ClientJsonError(std::runtime_error("disk full")).has_value());
  try {
    (void)json(std::string("\xff")).dump();
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_FALSE(ClientJsonError(e).has_value()) << e.what();  // invalid UTF-8 on output is ours
  }
}

TEST(Reply, AProblemOf500KeepsItsMessageForTheLogOnly) {
  Reply r = Reply::Problem(
      MakeError(ErrorCode::kInternal, "内部错误：x", "internal error: [json.exception] x"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.internal, "internal error: [json.exception] x");
  EXPECT_TRUE(Reply::Problem(MakeError(ErrorCode::kBadRequest, "坏", "bad")).internal.empty());
}

TEST(Incident, A500AnswersOnlyAnIncidentIdAndKeepsNoLibraryText) {
  Reply internal = Reply::Problem(
      MakeError(ErrorCode::kInternal, "内部错误：[json.exception.type_error.302] x",
                "internal error: [json.exception.type_error.302] type must be string"));
  internal.headers.emplace_back("Retry-After", "5");
  internal.headers.emplace_back("Content-Encoding", "gzip");
  ASSERT_TRUE(IsIncident(internal));
  Reply out = WithoutInternalText(internal, "0123456789abcdef");
  EXPECT_EQ(out.status, 500);
  EXPECT_EQ(out.content_type.rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(out.body.find("json.exception"), std::string::npos) << out.body;
  EXPECT_EQ(out.body.find("type must be"), std::string::npos) << out.body;
  json j = json::parse(out.body);
  EXPECT_EQ(j["incident"], "0123456789abcdef");
  EXPECT_EQ(j["code"], "internal");
  EXPECT_NE(j["message_zh"].get<std::string>().find("0123456789abcdef"), std::string::npos);
  ASSERT_EQ(out.headers.size(), 1u);
  EXPECT_EQ(out.headers[0].first, "Retry-After");
  EXPECT_TRUE(out.internal.empty());
}

TEST(Incident, ShuttingDownAndClientErrorsAreNoIncidents) {
  EXPECT_FALSE(IsIncident(Reply::Problem(MakeError(ErrorCode::kUnavailable, "停止", "stopping"))));
  EXPECT_FALSE(IsIncident(Reply::Problem(MakeError(ErrorCode::kBadRequest, "坏", "bad"))));
  EXPECT_FALSE(IsIncident(Reply::Json(json::object())));
}

TEST(Incident, TheLoggedMessageIsBoundedAndDropsEchoedInput) {
  EXPECT_EQ(LogSafeInternal(""), "(no detail)");
  EXPECT_EQ(LogSafeInternal(
                "[json.exception.parse_error.101] parse error at line 1: syntax error; last read: "
                "'{\"password\":\"hunter2'"),
            "[json.exception.parse_error.101] parse error at line 1: syntax error");
  EXPECT_EQ(LogSafeInternal(std::string(5000, 'x')).size(), 500u);
}

// ---- body limits and HEAD ----------------------------------------------------------

TEST(BodyLimit, JsonRoutesTakeOneMiBAndUploadsTheServerLimitNeverMore) {
  EXPECT_EQ(BodyLimitBytes(BodyLimit::kJson, 8 << 20), 1 << 20);
  EXPECT_EQ(BodyLimitBytes(BodyLimit::kUpload, 8 << 20), 8 << 20);
  EXPECT_EQ(BodyLimitBytes(BodyLimit::kJson, 2048), 2048);
  EXPECT_EQ(BodyLimitBytes(BodyLimit::kUpload, 2048), 2048);
}

TEST(Router, RoutesDeclareTheirBodyLimit) {
  Router r;
  r.Add(
      "POST", "/api/v1/cases/{id}/files", Access::kUser, [](Request&, Respond) {},
      BodyLimit::kUpload);
  r.Add("POST", "/api/v1/public/ratings", Access::kPublic, [](Request&, Respond) {});
  EXPECT_EQ(r.Find("POST", "/api/v1/cases/7/files").route->body, BodyLimit::kUpload);
  EXPECT_EQ(r.Find("POST", "/api/v1/public/ratings").route->body, BodyLimit::kJson);
}

TEST(Router, HeadIsAnsweredByTheGetRouteOfThePath) {
  Router r;
  r.Add("GET", "/api/v1/regions/{code}", Access::kUser, [](Request&, Respond) {});
  r.Add("POST", "/api/v1/session", Access::kPublic, [](Request&, Respond) {});
  auto m = r.Find("HEAD", "/api/v1/regions/990121");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_EQ(m.params["code"], "990121");
  EXPECT_TRUE(m.allowed.empty());
  // No GET route, no HEAD: still a 405 listing what exists.
  auto post_only = r.Find("HEAD", "/api/v1/session");
  EXPECT_EQ(post_only.route, nullptr);
  EXPECT_EQ(post_only.allowed, std::vector<std::string>{"POST"});
}

}  // namespace
}  // namespace quanze::http
