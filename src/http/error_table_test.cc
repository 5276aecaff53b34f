#include "http/error_table.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "http/router.h"

namespace quanze::http {
namespace {

using nlohmann::json;

struct Row {
  ErrorCode code;
  int status;
  const char* name;
};

// The table, as a client sees it: every code, its status and its stable name.
constexpr Row kTable[] = {
    {ErrorCode::kBadRequest, 400, "bad_request"},
    {ErrorCode::kValidation, 422, "validation_failed"},
    {ErrorCode::kUnauthenticated, 401, "unauthenticated"},
    {ErrorCode::kForbidden, 403, "forbidden"},
    {ErrorCode::kNotFound, 404, "not_found"},
    {ErrorCode::kMethodNotAllowed, 405, "method_not_allowed"},
    {ErrorCode::kConflict, 409, "conflict"},
    {ErrorCode::kRuleViolation, 409, "rule_violation"},
    {ErrorCode::kAuthorityDenied, 403, "authority_denied"},
    {ErrorCode::kTooManyRequests, 429, "too_many_requests"},
    {ErrorCode::kPayloadTooLarge, 413, "payload_too_large"},
    {ErrorCode::kUnsupportedMedia, 415, "unsupported_media_type"},
    {ErrorCode::kPreconditionFailed, 403, "csrf_failed"},
    {ErrorCode::kUnavailable, 503, "unavailable"},
    {ErrorCode::kInternal, 500, "internal"},
};

TEST(ErrorTable, EveryCodeMapsToItsStatus) {
  for (const Row& r : kTable) {
    EXPECT_EQ(HttpStatusFor(r.code), r.status) << r.name;
  }
}

TEST(ErrorTable, EveryCodeHasADistinctStableName) {
  std::set<std::string> names;
  for (const Row& r : kTable) {
    EXPECT_EQ(ErrorCodeName(r.code), r.name);
    names.insert(std::string(ErrorCodeName(r.code)));
  }
  EXPECT_EQ(names.size(), std::size(kTable));
  // The table above covers the whole enum (kInternal is its last member).
  EXPECT_EQ(static_cast<int>(ErrorCode::kInternal) + 1, static_cast<int>(std::size(kTable)));
}

TEST(ProblemJson, CarriesTypeTitleStatusCodeAndBothMessages) {
  for (const Row& r : kTable) {
    json j = json::parse(ProblemJson(MakeError(r.code, "中文说明", "English text")));
    EXPECT_EQ(j["type"], std::string("https://quanze.example/problems/") + r.name);
    EXPECT_TRUE(j["title"].is_string() && !j["title"].get<std::string>().empty()) << r.name;
    EXPECT_EQ(j["status"], r.status);
    EXPECT_EQ(j["code"], r.name);
    EXPECT_EQ(j["message_zh"], "中文说明");
    EXPECT_EQ(j["message_en"], "English text");
    EXPECT_EQ(j["detail"], "English text");
    EXPECT_FALSE(j.contains("instance"));
  }
}

TEST(ProblemJson, TitlesFollowTheStatus) {
  auto title = [](ErrorCode c) {
    return json::parse(ProblemJson(MakeError(c, "x", "x")))["title"].get<std::string>();
  };
  EXPECT_EQ(title(ErrorCode::kBadRequest), "Bad Request");
  EXPECT_EQ(title(ErrorCode::kUnauthenticated), "Unauthorized");
  EXPECT_EQ(title(ErrorCode::kPreconditionFailed), "Forbidden");
  EXPECT_EQ(title(ErrorCode::kTooManyRequests), "Too Many Requests");
  EXPECT_EQ(title(ErrorCode::kInternal), "Internal Server Error");
}

TEST(ProblemJson, DetailFallsBackToChineseWhenThereIsNoEnglish) {
  json j = json::parse(ProblemJson(MakeError(ErrorCode::kConflict, "只有中文", "")));
  EXPECT_EQ(j["detail"], "只有中文");
}

TEST(ProblemJson, MergesObjectDetailAsExtensionMembers) {
  Error e = MakeError(ErrorCode::kTooManyRequests, "稍后再试", "try later",
                      {{"retry_after", 30}, {"receipt", {{"index", 7}, {"leaf_hash", "AAAA"}}}});
  json j = json::parse(ProblemJson(e, "/api/v1/session"));
  EXPECT_EQ(j["retry_after"], 30);
  EXPECT_EQ(j["receipt"]["index"], 7);
  EXPECT_EQ(j["instance"], "/api/v1/session");
  EXPECT_EQ(j["status"], 429);
}

TEST(ProblemJson, DetailCannotOverrideTheStandardMembers) {
  Error e = MakeError(ErrorCode::kNotFound, "无", "none",
                      {{"status", 200}, {"code", "ok"}, {"type", "about:blank"}, {"extra", true}});
  json j = json::parse(ProblemJson(e));
  EXPECT_EQ(j["status"], 404);
  EXPECT_EQ(j["code"], "not_found");
  EXPECT_EQ(j["type"], "https://quanze.example/problems/not_found");
  EXPECT_EQ(j["extra"], true);
}

TEST(ProblemJson, NonObjectDetailGoesUnderErrors) {
  json rows = json::array({{{"row", 3}, {"message", "bad code"}}});
  json j = json::parse(ProblemJson(MakeError(ErrorCode::kValidation, "导入失败", "import failed", rows)));
  EXPECT_EQ(j["errors"], rows);
  EXPECT_EQ(j["status"], 422);
}

TEST(ProblemJson, InvalidUtf8InAMessageStillYieldsValidJson) {
  std::string body = ProblemJson(MakeError(ErrorCode::kBadRequest, "坏\xff字节", "bad \xc3 byte"));
  json j = json::parse(body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << body;
  EXPECT_EQ(j["status"], 400);
}

TEST(ProblemJson, ReplyUsesTheProblemMediaTypeAndStatus) {
  Reply r = Reply::Problem(MakeError(ErrorCode::kUnsupportedMedia, "须为 JSON", "must be JSON"));
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.content_type.rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(json::parse(r.body)["code"], "unsupported_media_type");
}

}  // namespace
}  // namespace quanze::http
