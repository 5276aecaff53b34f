// The HTTP edge against hostile input, through the real binary (issue 14, "The edge";
// docs/edge.md): deeply nested JSON, wrong field types, disguised media types, oversized
// bodies, HEAD on GET routes, and no answer that leaks library text or is a 500.
#include <gtest/gtest.h>

#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include "demo_fixture.h"
#include "harness.h"

namespace quanze::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

DemoTemplate* demo = nullptr;

// 100,000 arrays deep, about 200 KB: the body that ended the process with SIGSEGV.
std::string DeepArrays(int depth = 100000) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Edge : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo = new DemoTemplate({"admin", "province.staffing", "qinghe.staffing", "qiaotou.officer",
                             "qinghe.supervision", "qinghe.legal"});
  }
  static void TearDownTestSuite() {
    delete demo;
    demo = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(demo != nullptr && demo->error().empty()) << (demo ? demo->error() : "no demo");
    db_ = demo->CopyTo(dir_);
  }

  void Start(const std::vector<std::string>& env = {}) { server_ = Serve(db_, env); }

  std::unique_ptr<HttpClient> As(const std::string& user) {
    auto c = std::make_unique<HttpClient>(server_->port());
    if (!user.empty()) c->SetDefaultHeader("Authorization", "Bearer " + demo->token(user));
    return c;
  }

  static void ExpectProblem(const HttpResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body.substr(0, 300);
    EXPECT_EQ(r.Header("content-type").rfind("application/problem+json", 0), 0u)
        << r.Header("content-type");
    json j = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.body.substr(0, 300);
    EXPECT_EQ(j["status"], status);
    EXPECT_EQ(j["code"], code);
    EXPECT_TRUE(j["message_zh"].is_string() && !j["message_zh"].get<std::string>().empty());
    EXPECT_TRUE(j["message_en"].is_string() && !j["message_en"].get<std::string>().empty());
  }

  // No library text in any answer: nlohmann, SQLite, libpq, std exceptions.
  static void ExpectNoLibraryText(const HttpResponse& r, const std::string& what) {
    for (const char* leak : {"json.exception", "type must be", "basic_string", "std::", "sqlite",
                             "SQLITE", "what()", "cannot use operator", "key not found"}) {
      EXPECT_EQ(r.body.find(leak), std::string::npos)
          << what << " leaks '" << leak << "': " << r.body.substr(0, 300);
    }
  }

  void ExpectServerAlive() {
    ASSERT_TRUE(server_->Running()) << "the server died";
    EXPECT_EQ(HttpClient::Once(server_->port(), "GET", "/healthz").status, 200);
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<ServerProcess> server_;
};

// ---- depth ------------------------------------------------------------------------------

TEST_F(Edge, ArraysNested100000DeepAreRefusedOnTheThreeCrashingRoutesAndTheServerLivesOn) {
  Start();
  struct Case {
    std::string user, path, body;
  };
  std::vector<Case> cases = {
      {"", "/api/v1/public/ratings",
       R"({"receipt_code":"QZ0000000000","level":3,"scores":)" + DeepArrays() + "}"},
      {"province.staffing", "/api/v1/grants", R"({"items":)" + DeepArrays() + "}"},
      {"qinghe.staffing", "/api/v1/staffing/changes",
       R"({"type":"appoint","person":)" + DeepArrays() + "}"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    ASSERT_GT(c.body.size(), 190'000u);
    HttpResponse r = As(c.user)->Post(c.path, c.body);
    ExpectProblem(r, 400, "bad_request");
    EXPECT_NE(r.body.find("nests too deeply"), std::string::npos) << r.body;
    ExpectServerAlive();
  }
  // Objects nest the same way; the same client goes on using its connection.
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += R"({"a":)";
  objects += "1" + std::string(100000, '}');
  auto anonymous = As("");
  ExpectProblem(anonymous->Post("/api/v1/public/ratings", objects), 400, "bad_request");
  EXPECT_EQ(anonymous->Get("/api/v1/procedures").status, 200);
  ExpectServerAlive();
}

TEST_F(Edge, NestingUpToTheLimitIsStillAccepted) {
  Start();
  // 63 arrays inside the object: 64 levels in all, the limit. The use case then judges it.
  std::string body = R"({"receipt_code":"QZ0000000000","level":3,"scores":)" + DeepArrays(63) + "}";
  HttpResponse r = As("")->Post("/api/v1/public/ratings", body);
  EXPECT_EQ(r.body.find("nests too deeply"), std::string::npos) << r.body;
  EXPECT_GE(r.status, 400);
  EXPECT_LT(r.status, 500) << r.body;
}

// ---- types ------------------------------------------------------------------------------

TEST_F(Edge, ANumberWhereAStringBelongsIs400NamingTheField) {
  Start();
  HttpResponse rating = As("")->PostJson(
      "/api/v1/public/ratings", {{"receipt_code", "QZ0000000000"}, {"level", 3}, {"comment", 5}});
  ExpectProblem(rating, 400, "bad_request");
  json p = rating.Json();
  EXPECT_EQ(p["field"], "comment") << rating.body;
  EXPECT_NE(p["message_zh"].get<std::string>().find("comment"), std::string::npos) << rating.body;
  EXPECT_NE(p["message_en"].get<std::string>().find("comment"), std::string::npos) << rating.body;
  ExpectNoLibraryText(rating, "ratings");

  struct Case {
    std::string user, method, path;
    json body;
    std::string field;
  };
  std::vector<Case> cases = {
      {"qinghe.supervision", "POST", "/api/v1/accountability/1", {{"to", 5}}, "to"},
      {"qinghe.supervision",
       "POST",
       "/api/v1/accountability/1",
       {{"to", "concluded"}, {"conclusion", json::array()}},
       "conclusion"},
      {"admin",
       "PUT",
       "/api/v1/post-steps",
       {{"agency_id", 1}, {"post", 5}, {"steps", json::array()}},
       "post"},
      {"qinghe.legal", "PUT", "/api/v1/legal-reviewers", {{"person_id", 1}, {"document", 5}}, "document"},
      {"qiaotou.officer",
       "POST",
       "/api/v1/cases/1/disclosure",
       {{"action", "publish"}, {"reason", 5}},
       "reason"},
      {"qiaotou.officer", "POST", "/api/v1/ratings/1/rectification", {{"action", 7}}, "action"},
      {"qiaotou.officer",
       "POST",
       "/api/v1/cases/1/steps",
       {{"step", "accept"}, {"decision", {{"content", 5}}}},
       "decision/content"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    HttpResponse r = As(c.user)->Request(c.method, c.path, c.body.dump());
    ExpectProblem(r, 400, "bad_request");
    EXPECT_EQ(r.Json()["field"], c.field) << r.body;
    ExpectNoLibraryText(r, c.path);
  }
  ExpectServerAlive();
}

// Every write route, every common field set to every wrong type: never a 5xx,
// never library text. Covers the use cases that read fields the edge does not declare
// (their nlohmann type_error becomes a generic 400).
TEST_F(Edge, WrongTypesOnEveryWriteRouteNeverAnswer500OrLibraryText) {
  Start();
  struct RouteCase {
    std::string user, method, path;
  };
  std::vector<RouteCase> routes = {
      {"", "POST", "/api/v1/public/ratings"},
      {"", "POST", "/api/v1/public/applications"},
      {"admin", "POST", "/api/v1/users"},
      {"qiaotou.officer", "POST", "/api/v1/cases"},
      {"qiaotou.officer", "POST", "/api/v1/cases/1/steps"},
      {"qiaotou.officer", "POST", "/api/v1/cases/1/disclosure"},
      {"qiaotou.officer", "POST", "/api/v1/ratings/1/rectification"},
      {"admin", "PUT", "/api/v1/grants/1/agency"},
      {"admin", "PUT", "/api/v1/post-steps"},
      {"qinghe.legal", "PUT", "/api/v1/legal-reviewers"},
      {"admin", "PUT", "/api/v1/users/1/person"},
      {"qinghe.supervision", "POST", "/api/v1/accountability/1"},
      {"province.staffing", "POST", "/api/v1/powers"},
      {"province.staffing", "POST", "/api/v1/batches"},
      {"province.staffing", "POST", "/api/v1/batches/1/towns"},
      {"province.staffing", "POST", "/api/v1/grants"},
      {"province.staffing", "PATCH", "/api/v1/grants/1/readiness"},
      {"province.staffing", "POST", "/api/v1/grants/1/transitions"},
      {"qinghe.staffing", "POST", "/api/v1/staffing/changes"},
      {"qinghe.staffing", "POST", "/api/v1/staffing/consultations"},
      {"qinghe.staffing", "POST", "/api/v1/staffing/grade-approvals"},
  };
  const std::vector<std::string> fields = {
      "receipt_code",  "level",        "scores",   "comment",   "to",        "conclusion",
      "post",          "steps",        "document", "action",    "reason",    "note",
      "step",          "on",           "facts",    "documents", "officers",  "decision",
      "type",          "person",       "agency",   "items",     "towns",     "town_code",
      "power_code",    "procedure",    "origin",   "party",     "materials", "name",
      "role",          "scope",        "password", "agency_id", "person_id", "grant_id",
      "user_id",       "batch_id",     "state",    "changes",   "title",     "code",
      "province_code", "effective_on", "quota",    "applicant", "contact",   "id_number"};
  const std::vector<json> wrong = {json(5),
                                   json(-1.5),
                                   json(true),
                                   json(nullptr),
                                   json::array({1, "x"}),
                                   json::object({{"x", json::array()}}),
                                   json("x")};
  int answered = 0;
  for (const RouteCase& route : routes) {
    auto http = As(route.user);
    std::vector<json> bodies;
    for (const json& w : wrong) {
      json all = json::object();
      for (const std::string& f : fields) all[f] = w;
      bodies.push_back(all);
    }
    for (const std::string& f : fields) bodies.push_back(json{{f, 5}});
    bodies.push_back(
        json{{"items", json::array({json{{"town_code", 5}, {"power_code", json::array()}}})}});
    bodies.push_back(json{
        {"decision", json{{"content", "x"}, {"tier", 1}, {"written_reason", json::object()}}}});
    for (const json& body : bodies) {
      HttpResponse r = http->Request(route.method, route.path, body.dump());
      ++answered;
      EXPECT_LT(r.status, 500) << route.path << " " << body.dump() << " -> "
                               << r.body.substr(0, 300);
      ExpectNoLibraryText(r, route.method + " " + route.path + " " + body.dump());
    }
  }
  EXPECT_GT(answered, 1000);
  ExpectServerAlive();
  // Nothing in the request log was an incident either.
  EXPECT_EQ(server_->stderr_text().find("\"incident\""), std::string::npos);
}

// ---- media types ------------------------------------------------------------------------

TEST_F(Edge, AFormPostDisguisedAsJsonIs415) {
  Start();
  // What an HTML form with enctype="text/plain" sends cross-site without a preflight.
  Headers form = {{"Content-Type", "text/plain; application/json"}};
  std::string body = R"({"receipt_code":"QZ0000000000","level":1,"x":"=")";
  ExpectProblem(As("")->Post("/api/v1/public/ratings", body, form), 415, "unsupported_media_type");
  ExpectProblem(As("")->Post("/api/v1/public/applications", body, form), 415,
                "unsupported_media_type");
  ExpectProblem(As("")->Post("/api/v1/session", R"({"username":"admin","password":"x"})", form),
                415, "unsupported_media_type");
  for (const char* type :
       {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=iso-8859-1", "application/json, text/plain"}) {
    ExpectProblem(As("")->Post("/api/v1/public/ratings", "{}", {{"Content-Type", type}}), 415,
                  "unsupported_media_type");
  }
  // The catalogue import takes exactly text/csv or application/json, too.
  ExpectProblem(As("province.staffing")->Post("/api/v1/powers/import", "{}", form), 415,
                "unsupported_media_type");
  // The real thing still passes the media-type check.
  HttpResponse ok =
      As("")->Post("/api/v1/public/ratings", R"({"receipt_code":"QZ0000000000","level":3})",
                   {{"Content-Type", "application/json; charset=UTF-8"}});
  EXPECT_NE(ok.status, 415) << ok.body;
}

// ---- size -------------------------------------------------------------------------------

TEST_F(Edge, ABodyOverTheRouteLimitIs413ProblemJsonAndTheConnectionStaysUsable) {
  Start();
  auto http = As("");
  std::string big =
      R"({"receipt_code":"QZ0000000000","level":3,"comment":")" + std::string(2 << 20, 'x') + "\"}";
  HttpResponse r = http->Post("/api/v1/public/ratings", big);
  ExpectProblem(r, 413, "payload_too_large");
  EXPECT_EQ(r.Json()["max_bytes"], 1 << 20) << r.body;
  EXPECT_EQ(http->Get("/api/v1/procedures").status, 200);
  EXPECT_EQ(http->connections_opened(), 1);

  // Upload routes take more: 2 MiB to a case's files passes the size check.
  HttpResponse file = As("qiaotou.officer")
                          ->Post("/api/v1/cases/1/files?kind=other&name=a.pdf",
                                 std::string(2 << 20, 'x'), {{"Content-Type", "application/pdf"}});
  EXPECT_NE(file.status, 413) << file.body.substr(0, 300);
  EXPECT_LT(file.status, 500) << file.body.substr(0, 300);
  ExpectServerAlive();
}

TEST_F(Edge, ABodyOverASmallServerLimitIs413NotADroppedConnection) {
  Start({"QUANZE_SERVER_MAX_BODY_BYTES=1024"});
  std::string body(64 * 1024, 'x');
  std::string request =
      "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      "Content-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string raw = RawExchange(server_->port(), request, milliseconds(5000));
  ASSERT_FALSE(raw.empty()) << "the connection was dropped";
  HttpResponse r = ParseResponse(raw, "POST");
  ExpectProblem(r, 413, "payload_too_large");
  EXPECT_EQ(r.Json()["max_bytes"], 1024);
  ExpectServerAlive();
}

// ---- HEAD -------------------------------------------------------------------------------

TEST_F(Edge, HeadOnGetRoutesAnswersTheGetHeadersWithOneContentLengthAndNoBody) {
  Start();
  struct Case {
    std::string user, path;
  };
  std::vector<Case> cases = {
      {"", "/healthz"},
      {"", "/api/v1/procedures"},
      {"", "/api/v1/ledger/key"},
      {"", "/api/v1/public/towns"},
      {"", "/api/v1/public/towns/990121101/catalogue"},
      {"admin", "/api/v1/regions"},
      {"admin", "/api/v1/session"},
      {"qiaotou.officer", "/api/v1/me"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    std::string auth =
        c.user.empty() ? "" : "Authorization: Bearer " + demo->token(c.user) + "\r\n";
    std::string head =
        "HEAD " + c.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + auth + "\r\n";
    std::string raw = RawExchange(server_->port(), head, milliseconds(5000));
    ASSERT_FALSE(raw.empty());
    EXPECT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw.substr(0, 300);
    EXPECT_EQ(Count(Lower(raw), "\r\ncontent-length:"), 1) << raw.substr(0, 600);
    std::size_t end = raw.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(raw.size(), end + 4) << "HEAD answered with a body: " << raw.substr(end, 200);

    // The same headers a GET gets, and the length of its body.
    HttpResponse head_r = ParseResponse(raw, "HEAD");
    Headers get_headers;
    if (!c.user.empty()) get_headers = Bearer(demo->token(c.user));
    HttpResponse get = HttpClient::Once(server_->port(), "GET", c.path, {}, get_headers);
    ASSERT_EQ(get.status, 200);
    EXPECT_EQ(head_r.Header("content-type"), get.Header("content-type"));
    EXPECT_EQ(head_r.Header("cache-control"), get.Header("cache-control"));
    if (c.path != "/healthz" && c.path != "/api/v1/session") {  // these two change between requests
      EXPECT_EQ(head_r.Header("content-length"), std::to_string(get.body.size()));
    }
  }
  // HEAD is a read: refusals look like the GET's, without a body.
  std::string raw =
      RawExchange(server_->port(),
                  "HEAD /api/v1/regions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                  milliseconds(5000));
  EXPECT_EQ(raw.rfind("HTTP/1.1 401", 0), 0u) << raw.substr(0, 300);
  EXPECT_EQ(Count(Lower(raw), "\r\ncontent-length:"), 1) << raw.substr(0, 600);
  EXPECT_EQ(raw.size(), raw.find("\r\n\r\n") + 4);
  // A path with no GET route still answers 405.
  HttpResponse post_only = HttpClient::Once(server_->port(), "HEAD", "/api/v1/public/ratings");
  EXPECT_EQ(post_only.status, 405);
  EXPECT_EQ(post_only.Header("allow"), "POST");
}

// ---- the request log --------------------------------------------------------------------

TEST_F(Edge, RefusedBodiesAreLoggedWithoutTheirContent) {
  Start();
  std::string secret = "s3cret-in-the-body";
  As("")->PostJson("/api/v1/public/ratings", {{"receipt_code", secret}, {"comment", 5}});
  As("")->Post("/api/v1/public/ratings",
               R"({"receipt_code":")" + secret + "\"," + R"("scores":)" + DeepArrays(100) + "}");
  ASSERT_TRUE(server_->WaitForStderr("\"status\":400"));
  EXPECT_EQ(server_->stderr_text().find(secret), std::string::npos);
  // Each line is one JSON object.
  std::istringstream lines(server_->stderr_text());
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << line;
  }
}

}  // namespace
}  // namespace quanze::testing
