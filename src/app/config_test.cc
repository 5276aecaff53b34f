#include "app/config.h"

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <optional>
#include <string>

namespace quanze::app {
namespace {

using Env = std::map<std::string, std::string>;
using Flags = std::map<std::string, std::string>;

// LoadConfig with a fake environment.
Result<Config> Load(const Flags& flags, const Env& env, const std::string& toml) {
  return LoadConfig(
      flags,
      [&env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      toml, "quanze.toml");
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool IsAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// ---- precedence --------------------------------------------------------------

TEST(Config, DefaultsApplyWhenNothingIsGiven) {
  auto c = Load({}, {}, "");
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  Config defaults;
  EXPECT_EQ(c->db, defaults.db);
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->session_idle_seconds, 30 * 60);
  EXPECT_EQ(c->login_slow_after, 3);
  EXPECT_EQ(c->cookie_secure, std::nullopt);
  EXPECT_FALSE(c->SessionCookieSecure()) << "automatic: not Secure on loopback";
  EXPECT_EQ(c->rate_sign_in.capacity, 10);
  EXPECT_EQ(c->public_applications_per_day, 20);
  EXPECT_EQ(c->trusted_proxies, "");
}

TEST(Config, TheSessionCookieIsSecureUnlessTheServerListensOnLoopback) {
  for (const char* loopback : {"127.0.0.1:8080", "127.1.2.3:0", "[::1]:80", "localhost:8080"}) {
    auto c = Load({{"server.listen", loopback}}, {}, "");
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(c->SessionCookieSecure()) << loopback;
  }
  for (const char* outside : {"0.0.0.0:8080", "10.1.2.3:80", "[::]:0", "quanze.example:443"}) {
    auto c = Load({{"server.listen", outside}}, {}, "");
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(c->SessionCookieSecure()) << outside;
  }
  auto forced = Load({{"server.listen", "0.0.0.0:80"}, {"server.cookie_secure", "false"}}, {}, "");
  ASSERT_TRUE(forced.ok());
  EXPECT_FALSE(forced->SessionCookieSecure());
  auto automatic = Load({{"server.cookie_secure", "auto"}}, {}, "");
  ASSERT_TRUE(automatic.ok());
  EXPECT_EQ(automatic->cookie_secure, std::nullopt);
}

TEST(Config, RateLimitsReadCapacityAndRefillOrOff) {
  auto c = Load({{"server.rate_sign_in", "5,0.25"}, {"server.rate_public_writes", "off"}}, {}, "");
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  EXPECT_EQ(c->rate_sign_in.capacity, 5);
  EXPECT_EQ(c->rate_sign_in.refill_per_second, 0.25);
  EXPECT_EQ(c->rate_public_writes.capacity, 0);
  for (const char* bad : {"5", "5,", ",1", "0.5,1", "5,0", "5,-1", "five,1", "5,1,2"}) {
    auto b = Load({{"server.rate_sign_in", bad}}, {}, "");
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_TRUE(Contains(b.error().message_en, "server.rate_sign_in")) << b.error().message_en;
  }
}

TEST(Config, TomlFileOverridesTheDefault) {
  auto c = Load({}, {}, "db = \"/srv/q.db\"\n[server]\nlisten = \"0.0.0.0:9000\"\n"
                        "cookie_secure = true\n[session]\nidle_seconds = 600\n");
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  EXPECT_EQ(c->db, "/srv/q.db");
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
  EXPECT_EQ(c->cookie_secure, true);
  EXPECT_EQ(c->session_idle_seconds, 600);
}

TEST(Config, EnvironmentOverridesTheTomlFile) {
  auto c = Load({}, {{"QUANZE_SERVER_LISTEN", "127.0.0.1:7000"}, {"QUANZE_SESSION_IDLE_SECONDS", "900"}},
                "[server]\nlisten = \"0.0.0.0:9000\"\n[session]\nidle_seconds = 600\n");
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  EXPECT_EQ(c->listen, "127.0.0.1:7000");
  EXPECT_EQ(c->session_idle_seconds, 900);
}

TEST(Config, FlagOverridesTheEnvironmentAndTheFile) {
  auto c = Load({{"server.listen", "127.0.0.1:0"}, {"db", "/tmp/flag.db"}},
                {{"QUANZE_SERVER_LISTEN", "127.0.0.1:7000"}, {"QUANZE_DB", "/tmp/env.db"}},
                "db = \"/tmp/file.db\"\n[server]\nlisten = \"0.0.0.0:9000\"\n");
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  EXPECT_EQ(c->listen, "127.0.0.1:0");
  EXPECT_EQ(c->db, "/tmp/flag.db");
}

TEST(Config, EachSourceOnlyOverridesTheKeysItNames) {
  auto c = Load({{"server.listen", "127.0.0.1:0"}}, {{"QUANZE_LOGIN_LOCK_AFTER", "4"}},
                "[login]\nslow_after = 2\nlock_after = 20\n");
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  EXPECT_EQ(c->listen, "127.0.0.1:0");   // flag
  EXPECT_EQ(c->login_lock_after, 4);     // environment over file
  EXPECT_EQ(c->login_slow_after, 2);     // file
  EXPECT_EQ(c->login_lock_seconds, 900); // default
}

TEST(Config, AnEmptyEnvironmentVariableCountsAsUnset) {
  auto c = Load({}, {{"QUANZE_SERVER_LISTEN", ""}}, "[server]\nlisten = \"0.0.0.0:9000\"\n");
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
}

TEST(Config, EveryKeyCanBeSetFromItsEnvironmentName) {
  // QUANZE_ + upper case, '.' → '_'; a valid value for each kind of key.
  Env env;
  for (const std::string& key : ConfigKeys()) {
    std::string name = "QUANZE_";
    for (char ch : key) name += ch == '.' ? '_' : static_cast<char>(std::toupper(ch));
    env[name] = key == "server.cookie_secure"                                           ? "true"
                : key == "server.max_body_bytes"                                        ? "2048"
                : key.rfind("server.rate_", 0) == 0 && key != "server.rate_max_clients" ? "100,1"
                                                                                        : "100";
  }
  auto c = Load({}, env, "");
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  EXPECT_EQ(c->db, "100");
  EXPECT_EQ(c->workers, 100);
  EXPECT_EQ(c->max_body_bytes, 2048);
  EXPECT_EQ(c->session_idle_seconds, 100);
  EXPECT_EQ(c->login_lock_seconds, 100);
  EXPECT_EQ(c->checkpoint_interval_ms, 100);
  EXPECT_EQ(c->log_level, "100");
  EXPECT_EQ(c->cookie_secure, true);
  EXPECT_EQ(c->rate_public_writes.capacity, 100);
  EXPECT_EQ(c->public_applications_per_day, 100);
}

TEST(Config, KeyAndSecretFilesSitBesideTheDatabaseUnlessNamed) {
  auto c = Load({{"db", "/data/q.db"}}, {}, "");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->KeyFile(), "/data/q.db.ledger-key");
  EXPECT_EQ(c->SecretFile(), "/data/q.db.commit-secret");
  auto named = Load({{"db", "/data/q.db"}, {"ledger.key_file", "/keys/k"}}, {}, "");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->KeyFile(), "/keys/k");
}

// ---- rejections ----------------------------------------------------------------

TEST(Config, UnknownTomlKeyIsRefusedInBothLanguages) {
  auto c = Load({}, {}, "[server]\nlisten = \"127.0.0.1:1\"\nlisten_port = 8080\n");
  ASSERT_FALSE(c.ok());
  const Error& e = c.error();
  EXPECT_EQ(e.code, ErrorCode::kBadRequest);
  EXPECT_TRUE(Contains(e.message_zh, "未知配置项 server.listen_port")) << e.message_zh;
  EXPECT_TRUE(Contains(e.message_en, "unknown setting server.listen_port")) << e.message_en;
  EXPECT_TRUE(Contains(e.message_en, "quanze.toml")) << e.message_en;
}

TEST(Config, UnknownTopLevelTableIsRefused) {
  auto c = Load({}, {}, "[database]\nurl = \"x\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(Contains(c.error().message_en, "database.url"));
}

TEST(Config, NonNumericIntegerInTheFileIsRefusedNamingKeyAndFile) {
  auto c = Load({}, {}, "[server]\nworkers = \"many\"\n");
  ASSERT_FALSE(c.ok());
  const Error& e = c.error();
  EXPECT_EQ(e.code, ErrorCode::kBadRequest);
  EXPECT_TRUE(Contains(e.message_zh, "server.workers")) << e.message_zh;
  EXPECT_TRUE(Contains(e.message_zh, "quanze.toml")) << e.message_zh;
  EXPECT_TRUE(Contains(e.message_en, "server.workers (from quanze.toml)")) << e.message_en;
  EXPECT_TRUE(Contains(e.message_en, "'many'")) << e.message_en;
}

TEST(Config, OutOfRangeValueIsRefusedWithTheAllowedRange) {
  auto c = Load({}, {}, "[session]\nidle_seconds = 5\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(Contains(c.error().message_en, "session.idle_seconds")) << c.error().message_en;
  EXPECT_TRUE(Contains(c.error().message_en, "60")) << c.error().message_en;
}

TEST(Config, TrailingGarbageInAnIntegerIsRefused) {
  EXPECT_FALSE(Load({}, {{"QUANZE_SERVER_WORKERS", "4x"}}, "").ok());
  EXPECT_FALSE(Load({}, {{"QUANZE_SERVER_WORKERS", "4.0"}}, "").ok());
  EXPECT_FALSE(Load({}, {{"QUANZE_SERVER_WORKERS", "99999999999999999999"}}, "").ok());
}

TEST(Config, BadEnvironmentValueNamesTheVariable) {
  auto c = Load({}, {{"QUANZE_LOGIN_SLOW_AFTER", "three"}}, "");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(Contains(c.error().message_en, "QUANZE_LOGIN_SLOW_AFTER")) << c.error().message_en;
  EXPECT_TRUE(Contains(c.error().message_zh, "QUANZE_LOGIN_SLOW_AFTER")) << c.error().message_zh;
}

TEST(Config, BadFlagValueNamesTheCommandLine) {
  auto c = Load({{"server.cookie_secure", "maybe"}}, {}, "");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(Contains(c.error().message_zh, "命令行")) << c.error().message_zh;
  EXPECT_TRUE(Contains(c.error().message_en, "command line")) << c.error().message_en;
}

TEST(Config, EnglishMessagesAreInEnglish) {
  // Regression: the English half used to carry "整数 …" / "true 或 false"
  // and "(from 命令行)".
  for (const Flags& flags : {Flags{{"server.workers", "x"}}, Flags{{"server.cookie_secure", "x"}}}) {
    auto c = Load(flags, {}, "");
    ASSERT_FALSE(c.ok());
    std::string en = c.error().message_en;
    // Only the allowed range's en dash may be non-ASCII.
    std::string without_dash;
    for (std::size_t i = 0; i < en.size(); ++i) {
      if (en.compare(i, 3, "–") == 0) {
        i += 2;
        continue;
      }
      without_dash += en[i];
    }
    EXPECT_TRUE(IsAscii(without_dash)) << en;
    EXPECT_FALSE(c.error().message_zh.empty());
  }
}

TEST(Config, UnsupportedTomlValueTypesAreRefused) {
  EXPECT_FALSE(Load({}, {}, "[server]\nworkers = 2.5\n").ok());
  EXPECT_FALSE(Load({}, {}, "[server]\nlisten = [\"a\", \"b\"]\n").ok());
}

TEST(Config, TomlSyntaxErrorIsReportedWithItsPosition) {
  auto c = Load({}, {}, "[server\nlisten = 1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kBadRequest);
  EXPECT_TRUE(Contains(c.error().message_en, "syntax error")) << c.error().message_en;
  EXPECT_TRUE(Contains(c.error().message_en, "line ")) << c.error().message_en;
  EXPECT_TRUE(Contains(c.error().message_zh, "语法错误")) << c.error().message_zh;
}

TEST(Config, AMissingConfigFileIsABadRequest) {
  auto r = ReadConfigFile("/nonexistent/quanze.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_TRUE(Contains(r.error().message_en, "/nonexistent/quanze.toml"));
}

}  // namespace
}  // namespace quanze::app
