// Abuse and credentials (issue 14 §2 and §5) through the real binary: rate limits per
// client address with trusted proxies, the sign-in throttle keyed by account and client,
// failed sign-ins journaled per burst, public write floods, the daily application cap,
// disabling accounts, revoking tokens (also across two server processes), password
// changes, and the session cookie's Secure flag.
//
// Every connection of a test comes from 127.0.0.1; other client addresses are simulated
// with X-Forwarded-For, which the server believes only when 127.0.0.1 is a trusted proxy.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "demo_fixture.h"
#include "harness.h"

namespace quanze::testing {
namespace {

using nlohmann::json;

DemoTemplate* demo = nullptr;

constexpr const char* kTrustLoopback = "QUANZE_SERVER_TRUSTED_PROXIES=127.0.0.1";

class Abuse : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo = new DemoTemplate({"admin", "auditor", "qiaotou.officer", "qiaotou.leader"});
  }
  static void TearDownTestSuite() {
    delete demo;
    demo = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(demo != nullptr && demo->error().empty()) << (demo ? demo->error() : "no demo");
    db_ = demo->CopyTo(dir_);
  }

  CommandResult Quanze(std::vector<std::string> args, const std::string& stdin_data = "") {
    args.insert(args.begin(), QuanzeBinary());
    args.insert(args.end(), {"--db", db_});
    return RunCommand(args, stdin_data);
  }

  static HttpResponse SignIn(HttpClient& http, const std::string& user, const std::string& password,
                             const std::string& from = "") {
    Headers h;
    if (!from.empty()) h.emplace_back("X-Forwarded-For", from);
    return http.PostJson("/api/v1/session", {{"username", user}, {"password", password}}, h);
  }

  static std::int64_t LedgerSize(HttpClient& http) {
    return http.Get("/healthz").Json()["ledger_size"].get<std::int64_t>();
  }

  static void Expect429(const HttpResponse& r) {
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(r.Header("content-type").rfind("application/problem+json", 0), 0u);
    EXPECT_FALSE(r.Header("retry-after").empty());
    if (r.status == 429) {
      json j = r.Json();
      EXPECT_EQ(j["code"], "too_many_requests");
      EXPECT_EQ(std::to_string(j["retry_after"].get<std::int64_t>()), r.Header("retry-after"));
      EXPECT_GE(j["retry_after"].get<std::int64_t>(), 1);
    }
  }

  TempDir dir_;
  std::string db_;
};

// ---- the sign-in throttle: account × client ----------------------------------------------

TEST_F(Abuse, AStrangersFailuresDoNotLockTheOwnerOutFromAnotherAddress) {
  auto server = Serve(db_, {kTrustLoopback, "QUANZE_SERVER_RATE_SIGN_IN=off",
                            "QUANZE_LOGIN_SLOW_AFTER=2", "QUANZE_LOGIN_LOCK_AFTER=3"});
  HttpClient http(server->port());
  const std::string name = "qiaotou.leader";
  const std::string stranger = "198.51.100.66";
  for (int i = 0; i < 3; ++i) SignIn(http, name, "wrong-password-" + std::to_string(i), stranger);
  // Further tries from the stranger's address are refused, even with the right password.
  Expect429(SignIn(http, name, kDemoPassword, stranger));
  // The owner, elsewhere, signs in.
  EXPECT_EQ(SignIn(http, name, kDemoPassword, "203.0.113.5").status, 200);
  EXPECT_EQ(SignIn(http, name, kDemoPassword).status, 200) << "and from the proxy's own address";
  // `quanze user unlock` clears the account's throttle for every address.
  CommandResult unlock = Quanze({"user", "unlock", name});
  ASSERT_EQ(unlock.exit_code, 0) << unlock.err;
  EXPECT_EQ(SignIn(http, name, kDemoPassword, stranger).status, 200);
}

TEST_F(Abuse, AForwardedForHeaderFromAnUntrustedPeerIsIgnored) {
  // No trusted proxies (the default): the header cannot pick a fresh address per request.
  auto server = Serve(db_, {"QUANZE_SERVER_RATE_SIGN_IN=off", "QUANZE_LOGIN_SLOW_AFTER=2",
                            "QUANZE_LOGIN_LOCK_AFTER=3"});
  HttpClient http(server->port());
  for (int i = 0; i < 3; ++i) {
    SignIn(http, "qiaotou.leader", "wrong-password", "198.51.100." + std::to_string(i));
  }
  Expect429(SignIn(http, "qiaotou.leader", kDemoPassword, "203.0.113.5"));
}

// ---- the sign-in rate limit --------------------------------------------------------------

TEST_F(Abuse, SignInBeyondTheRateLimitIsRefusedWith429AndRetryAfter) {
  auto server = Serve(db_, {kTrustLoopback, "QUANZE_SERVER_RATE_SIGN_IN=3,0.01"});
  HttpClient http(server->port());
  const std::string from = "198.51.100.7";
  EXPECT_EQ(SignIn(http, "qiaotou.officer", kDemoPassword, from).status, 200);
  EXPECT_EQ(SignIn(http, "qiaotou.officer", "wrong-password", from).status, 401);
  EXPECT_EQ(SignIn(http, "nobody.here", "wrong-password", from).status, 401);
  HttpResponse limited = SignIn(http, "qiaotou.officer", kDemoPassword, from);
  Expect429(limited);
  EXPECT_EQ(limited.Header("retry-after"), "100") << "one token per 100 s";
  EXPECT_TRUE(limited.set_cookies.empty());
  EXPECT_EQ(SignIn(http, "qiaotou.officer", kDemoPassword, "198.51.100.8").status, 200)
      << "another address has its own bucket";
}

// ---- failed sign-ins in the log ----------------------------------------------------------

TEST_F(Abuse, AThousandFailedSignInsGrowTheLogByAtMostAHandfulOfEntries) {
  ClockFile clock(dir_.File("clock"));
  auto server = Serve(db_, {clock.env(), kTrustLoopback});  // default limits
  HttpClient http(server->port());
  const std::int64_t size0 = LedgerSize(http);
  int refused = 0, failed = 0;
  for (int i = 0; i < 1000; ++i) {
    HttpResponse r = SignIn(http, "admin", "guess-" + std::to_string(i), "198.51.100.9");
    if (r.status == 429) {
      ++refused;
      EXPECT_FALSE(r.Header("retry-after").empty());
    } else {
      EXPECT_EQ(r.status, 401) << r.body;
      EXPECT_FALSE(r.Json().contains("receipt")) << "no receipt tells names apart";
      ++failed;
    }
    if (i % 100 == 99) clock.Advance(30);  // time passes; the burst goes on
  }
  EXPECT_GT(refused, 900);
  EXPECT_GE(failed, 3);
  const std::int64_t size1 = LedgerSize(http);
  EXPECT_EQ(size1 - size0, 2) << "one entry for the burst, one for the lock";

  // Invented names from one address: one burst of the address, not one entry per name.
  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(), 0);
  auto quiet = Serve(db_, {clock.env(), kTrustLoopback, "QUANZE_SERVER_RATE_SIGN_IN=off"});
  HttpClient http2(quiet->port());
  const std::int64_t size2 = LedgerSize(http2);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(SignIn(http2, "invented" + std::to_string(i), "guess-guess", "198.51.100.10").status,
              401);
  }
  EXPECT_LE(LedgerSize(http2) - size2, 2);

  // The owner's successful sign-in journals how many failures came before it.
  clock.Advance(3600);
  HttpResponse ok = SignIn(http2, "admin", kAdminPassword, "198.51.100.9");
  ASSERT_EQ(ok.status, 200) << ok.body;
  HttpResponse entry = http2.Get(
      "/api/v1/ledger/entries/" + std::to_string(ok.Json()["receipt"]["index"].get<std::int64_t>()),
      Bearer(demo->token("auditor")));
  ASSERT_EQ(entry.status, 200) << entry.body;
  EXPECT_EQ(entry.Json()["type"], "login.succeeded");
  EXPECT_GE(entry.Json()["entry"]["data"]["failures_before"].get<int>(), 3) << entry.body;
  EXPECT_EQ(entry.body.find("guess-"), std::string::npos);
  EXPECT_EQ(entry.body.find("198.51.100.9"), std::string::npos) << "the address is a commitment";
}

// ---- public write floods -----------------------------------------------------------------

TEST_F(Abuse, APublicRatingFloodIsRefusedWith429PerAddress) {
  auto server = Serve(db_, {kTrustLoopback, "QUANZE_SERVER_RATE_PUBLIC_WRITES=5,0.01"});
  HttpClient http(server->port());
  const std::int64_t size0 = LedgerSize(http);
  json rating = {{"receipt_code", "QZ0000000000"}, {"level", 1}, {"comment", "刷评"}};
  int limited = 0;
  for (int i = 0; i < 200; ++i) {
    HttpResponse r =
        http.PostJson("/api/v1/public/ratings", rating, {{"X-Forwarded-For", "198.51.100.20"}});
    if (i < 5) {
      EXPECT_NE(r.status, 429) << r.body;
    } else {
      Expect429(r);
      limited += r.status == 429;
    }
  }
  EXPECT_EQ(limited, 195);
  EXPECT_LE(LedgerSize(http) - size0, 5) << "refusals are not journaled";
  EXPECT_NE(http.PostJson("/api/v1/public/ratings", rating, {{"X-Forwarded-For", "198.51.100.21"}})
                .status,
            429);
  // Reads stay open to the flooding address.
  EXPECT_EQ(http.Get("/healthz", {{"X-Forwarded-For", "198.51.100.20"}}).status, 200);
}

TEST_F(Abuse, PublicApplicationsHaveADailyCapPerAddressAndAFloodIsRefused) {
  std::ofstream(dir_.File("clock")) << "2026-11-02T10:00:00+08:00\n";  // the catalogue in force
  auto server = Serve(db_, {kTrustLoopback, "QUANZE_CLOCK_FILE=" + dir_.File("clock"),
                            "QUANZE_SERVER_PUBLIC_APPLICATIONS_PER_DAY=2",
                            "QUANZE_SERVER_RATE_PUBLIC_WRITES=6,0.01"});
  HttpClient http(server->port());
  HttpResponse catalogue = http.Get("/api/v1/public/towns/990121101/catalogue");
  ASSERT_EQ(catalogue.status, 200) << catalogue.body.substr(0, 300);
  std::string item;
  const json items = catalogue.Json()["items"];
  for (const json& i : items) {
    if (i["kind"] == "licensing") {
      item = i["code"];
      break;
    }
  }
  ASSERT_FALSE(item.empty());
  json application{{"town_code", "990121101"},
                   {"power_code", item},
                   {"summary", "申请临时占用绿地"},
                   {"applicant",
                    {{"kind", "natural_person"},
                     {"name", "欧阳明远"},
                     {"id_number", "990121198805052316"},
                     {"phone", "13800001111"}}}};
  Headers from = {{"X-Forwarded-For", "198.51.100.30"}};
  for (int i = 0; i < 2; ++i) {
    HttpResponse r = http.PostJson("/api/v1/public/applications", application, from);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  HttpResponse capped = http.PostJson("/api/v1/public/applications", application, from);
  Expect429(capped);
  EXPECT_NE(capped.Json()["message_en"].get<std::string>().find("today"), std::string::npos);
  EXPECT_EQ(http.PostJson("/api/v1/public/applications", application,
                          {{"X-Forwarded-For", "198.51.100.31"}})
                .status,
            201)
      << "another address files its own";
  // A flood from a third address meets the bucket (6 at once) before the cap matters.
  json broken = {{"town_code", "990121101"}};
  int limited = 0;
  for (int i = 0; i < 50; ++i) {
    limited +=
        http.PostJson("/api/v1/public/applications", broken, {{"X-Forwarded-For", "198.51.100.32"}})
            .status == 429;
  }
  EXPECT_EQ(limited, 44);
}

// ---- credentials ------------------------------------------------------------------------

TEST_F(Abuse, ADisabledAccountsTokenAndSessionFailAtOnceAndItCannotSignIn) {
  auto server = Serve(db_);
  HttpClient http(server->port());
  Headers token = Bearer(demo->token("qiaotou.officer"));
  HttpResponse signed_in = SignIn(http, "qiaotou.officer", kDemoPassword);
  ASSERT_EQ(signed_in.status, 200);
  Headers cookie = {{"Cookie", "qz_session=" + signed_in.Cookie("qz_session")}};
  ASSERT_EQ(http.Get("/api/v1/session", token).status, 200);  // now in the token cache
  ASSERT_EQ(http.Get("/api/v1/session", cookie).status, 200);

  CommandResult off = Quanze({"user", "disable", "qiaotou.officer"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_EQ(http.Get("/api/v1/session", token).status, 401);
  EXPECT_EQ(http.Get("/api/v1/session", cookie).status, 401);
  EXPECT_EQ(SignIn(http, "qiaotou.officer", kDemoPassword).status, 401);

  CommandResult on = Quanze({"user", "enable", "qiaotou.officer"});
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_EQ(http.Get("/api/v1/session", token).status, 200) << "tokens work again unless revoked";
  EXPECT_EQ(http.Get("/api/v1/session", cookie).status, 401) << "sessions were ended";
  EXPECT_EQ(SignIn(http, "qiaotou.officer", kDemoPassword).status, 200);
}

TEST_F(Abuse, RevokingTokensTakesEffectAtOnceInTwoServerProcessesOnOneDatabase) {
  auto first = Serve(db_);
  auto second = Serve(db_);
  HttpClient a(first->port()), b(second->port());
  Headers token = Bearer(demo->token("qiaotou.leader"));
  ASSERT_EQ(a.Get("/api/v1/session", token).status, 200);
  ASSERT_EQ(b.Get("/api/v1/session", token).status, 200);

  CommandResult revoke = Quanze({"user", "token", "qiaotou.leader", "--revoke"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_NE(revoke.out.find("revoked 1 token"), std::string::npos) << revoke.out;
  EXPECT_EQ(a.Get("/api/v1/session", token).status, 401);
  EXPECT_EQ(b.Get("/api/v1/session", token).status, 401);
  // Other accounts' tokens still work.
  EXPECT_EQ(b.Get("/api/v1/session", Bearer(demo->token("auditor"))).status, 200);
}

TEST_F(Abuse, AnAdminRevokesAnAccountsTokensThroughTheApi) {
  auto server = Serve(db_);
  HttpClient http(server->port());
  Headers target = Bearer(demo->token("qiaotou.officer"));
  HttpResponse me = http.Get("/api/v1/session", target);
  ASSERT_EQ(me.status, 200);
  std::int64_t id = me.Json()["user"]["id"].get<std::int64_t>();
  std::string path = "/api/v1/users/" + std::to_string(id) + "/tokens";

  EXPECT_EQ(http.Delete(path, Bearer(demo->token("auditor"))).status, 403);
  EXPECT_EQ(http.Get("/api/v1/session", target).status, 200);
  EXPECT_EQ(http.Delete(path).status, 401);

  HttpResponse r = http.Delete(path, Bearer(demo->token("admin")));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["tokens_revoked"], 1);
  EXPECT_TRUE(r.Json().contains("receipt"));
  EXPECT_EQ(http.Get("/api/v1/session", target).status, 401);
  EXPECT_EQ(http.Delete("/api/v1/users/999999/tokens", Bearer(demo->token("admin"))).status, 404);
}

TEST_F(Abuse, APasswordChangeRevokesTokensAndEndsSessions) {
  auto server = Serve(db_);
  HttpClient http(server->port());
  Headers token = Bearer(demo->token("qiaotou.officer"));
  HttpResponse signed_in = SignIn(http, "qiaotou.officer", kDemoPassword);
  Headers cookie = {{"Cookie", "qz_session=" + signed_in.Cookie("qz_session")}};
  ASSERT_EQ(http.Get("/api/v1/session", token).status, 200);
  ASSERT_EQ(http.Get("/api/v1/session", cookie).status, 200);

  CommandResult passwd = Quanze({"user", "passwd", "qiaotou.officer", "--password-stdin"},
                                "a-brand-new-password-2026\n");
  ASSERT_EQ(passwd.exit_code, 0) << passwd.err;
  EXPECT_NE(passwd.out.find("1 token(s) revoked"), std::string::npos) << passwd.out;
  EXPECT_EQ(http.Get("/api/v1/session", token).status, 401);
  EXPECT_EQ(http.Get("/api/v1/session", cookie).status, 401);
  EXPECT_EQ(SignIn(http, "qiaotou.officer", kDemoPassword).status, 401);
  EXPECT_EQ(SignIn(http, "qiaotou.officer", "a-brand-new-password-2026").status, 200);
}

// ---- the session cookie --------------------------------------------------------------------

TEST_F(Abuse, TheSessionCookieIsSecureUnlessTheServerListensOnLoopback) {
  auto outside =
      ServerProcess::Start({QuanzeBinary(), "serve", "--db", db_, "--listen", "0.0.0.0:0"});
  HttpClient http(outside->port());
  HttpResponse r = SignIn(http, "qiaotou.officer", kDemoPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.set_cookies.size(), 1u);
  EXPECT_NE(r.set_cookies[0].find("; Secure"), std::string::npos) << r.set_cookies[0];
  outside.reset();

  auto loopback = Serve(db_);
  HttpClient local(loopback->port());
  HttpResponse l = SignIn(local, "qiaotou.officer", kDemoPassword);
  ASSERT_EQ(l.status, 200) << l.body;
  EXPECT_EQ(l.set_cookies[0].find("Secure"), std::string::npos) << l.set_cookies[0];
}

}  // namespace
}  // namespace quanze::testing
