#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "store/db.h"
#include "store/postgres/postgres_db.h"
#include "store/migrations.h"
#include "store/records.h"

namespace quanze::store {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

// The store conformance suite: every StoreTest runs against each backend,
// SQLite in a fresh file and PostgreSQL in a fresh database of the cluster
// named by QUANZE_TEST_PG_URL (scripts/pg-test-cluster.sh; skipped when unset).
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      const char* admin = std::getenv("QUANZE_TEST_PG_URL");
      if (!admin || !*admin) GTEST_SKIP() << "QUANZE_TEST_PG_URL is not set";
      admin_url_ = admin;
      static std::atomic<int> counter{0};
      database_ = "qz_store_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
      Status created = ExecPostgresAdmin(admin_url_, "CREATE DATABASE " + database_);
      ASSERT_TRUE(created.ok()) << created.error().Describe();
      path_ = PostgresUrlWithDatabase(admin_url_, database_);
    } else {
      const char* tmp = std::getenv("TMPDIR");
      std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/quanze-store-XXXXXX";
      ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
      dir_ = pattern;
      path_ = dir_ + "/s.db";
    }
    Open();
  }
  void TearDown() override {
    if (db_) db_->Close();
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!database_.empty()) {
      (void)ExecPostgresAdmin(admin_url_, "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    }
  }

  void Open() {
    auto db = OpenDatabase(path_);
    ASSERT_TRUE(db.ok()) << db.error().Describe();
    db_ = std::move(db).value();
  }
  void Reopen() {
    db_->Close();
    db_.reset();
    Open();
  }

  // Runs fn in a committed write transaction.
  void Write(const std::function<Status(Connection&)>& fn) {
    Connection& c = db_->Writer();
    ASSERT_TRUE(c.Begin().ok());
    Status s = fn(c);
    ASSERT_TRUE(s.ok()) << s.error().Describe();
    ASSERT_TRUE(c.Commit().ok());
  }
  void Read(const std::function<Status(Connection&)>& fn) {
    Status s = db_->WithReader(fn);
    ASSERT_TRUE(s.ok()) << s.error().Describe();
  }

  std::int64_t AddUser(const std::string& name, const std::string& role = "town_officer") {
    std::int64_t id = 0;
    Write([&](Connection& c) -> Status {
      UserRecord u;
      u.name = name;
      u.role = role;
      u.scope = "990121101";
      u.password_hash = "$argon2id$v=19$fake";
      QZ_ASSIGN_OR_RETURN(id, InsertUser(c, u, kNow));
      return Ok();
    });
    return id;
  }

  std::string dir_;
  std::string admin_url_;
  std::string database_;
  std::string path_;
  std::unique_ptr<Database> db_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// ---- migrations --------------------------------------------------------------------

TEST_P(StoreTest, ANewDatabaseIsAtTheLatestSchemaVersion) {
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(int v, SchemaVersion(c));
    EXPECT_EQ(v, AllMigrations().back().version);
    return Ok();
  });
  EXPECT_TRUE(DatabaseExists(path_));
}

TEST_P(StoreTest, ReopeningAppliesNoMigrationTwiceAndKeepsTheData) {
  AddUser("zhang.san");
  Reopen();
  Reopen();
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT version FROM schema_migrations ORDER BY version"));
    EXPECT_EQ(rows.size(), AllMigrations().size());
    QZ_ASSIGN_OR_RETURN(auto u, FindUserByName(c, "zhang.san"));
    EXPECT_TRUE(u.has_value());
    return Ok();
  });
  // Running them again on an up-to-date connection changes nothing either.
  Connection& w = db_->Writer();
  ASSERT_TRUE(RunMigrations(w).ok());
  auto v = SchemaVersion(w);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, AllMigrations().back().version);
}

TEST_P(StoreTest, ADatabaseFromANewerQuanzeIsRefused) {
  Write([](Connection& c) -> Status {
    QZ_TRY(c.Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                  {std::int64_t{999}, std::string("from the future"), kNow}));
    return Ok();
  });
  db_->Close();
  db_.reset();
  auto reopened = OpenDatabase(path_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code, ErrorCode::kConflict);
  EXPECT_NE(reopened.error().message_en.find("999"), std::string::npos) << reopened.error().message_en;
  EXPECT_NE(reopened.error().message_en.find("upgrade quanze"), std::string::npos);
  EXPECT_NE(reopened.error().message_zh.find("升级"), std::string::npos);
}

TEST_P(StoreTest, MigrationsRenderPerDialect) {
  std::string sql = "id {{ID}}, n {{INT}}, b {{BLOB}}";
  EXPECT_EQ(RenderMigration(sql, "sqlite"), "id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, b BLOB");
  EXPECT_EQ(RenderMigration(sql, "postgres"),
            "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT, b BYTEA");
}

TEST(Store, DatabaseExistsIsFalseForAMissingOrEmptyFile) {
  EXPECT_FALSE(DatabaseExists("/nonexistent/dir/q.db"));
  std::string empty = ::testing::TempDir() + "quanze-empty.db";
  std::ofstream(empty).close();
  EXPECT_FALSE(DatabaseExists(empty));
  std::filesystem::remove(empty);
}

TEST(Store, AnUnreachablePostgresServerIsUnavailableWithAClearMessage) {
  auto db = OpenDatabase("postgresql://postgres@/quanze?host=/nonexistent/socket/dir&connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(db.error().message_en.find("PostgreSQL"), std::string::npos) << db.error().message_en;
  EXPECT_FALSE(DatabaseExists("postgresql://postgres@/quanze?host=/nonexistent/socket/dir"));
  EXPECT_FALSE(OpenDatabase("").ok());
}

TEST(Store, PlaceholdersBecomeNumberedOutsideQuotesAndComments) {
  EXPECT_EQ(RewritePlaceholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? -- ?\n LIMIT ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2 -- ?\n LIMIT $3");
  EXPECT_EQ(RewritePlaceholders("SELECT 'it''s ?', ? /* ? */"), "SELECT 'it''s ?', $1 /* ? */");
}

TEST(Store, APostgresUrlNamesAnotherDatabase) {
  EXPECT_EQ(PostgresUrlWithDatabase("postgresql://u@/a?host=/tmp/x&port=5432", "b"),
            "postgresql://u@/b?host=/tmp/x&port=5432");
  EXPECT_EQ(PostgresUrlWithDatabase("postgresql://h:5432", "b"), "postgresql://h:5432/b");
  EXPECT_EQ(PostgresUrlWithDatabase("postgresql://h?sslmode=disable", "b"),
            "postgresql://h/b?sslmode=disable");
}

// ---- users, tokens, sessions, throttle ----------------------------------------------

TEST_P(StoreTest, UsersRoundTrip) {
  std::int64_t id = AddUser("qiaotou.officer");
  AddUser("admin", "admin");
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto by_name, FindUserByName(c, "qiaotou.officer"));
    EXPECT_TRUE(by_name.has_value());
    if (!by_name) return Ok();
    EXPECT_EQ(by_name->id, id);
    EXPECT_EQ(by_name->role, "town_officer");
    EXPECT_EQ(by_name->scope, "990121101");
    EXPECT_EQ(by_name->password_hash, "$argon2id$v=19$fake");
    EXPECT_FALSE(by_name->disabled);
    EXPECT_EQ(by_name->created_at, kNow);
    QZ_ASSIGN_OR_RETURN(auto by_id, FindUserById(c, id));
    EXPECT_EQ(by_id->name, "qiaotou.officer");
    QZ_ASSIGN_OR_RETURN(auto nobody, FindUserByName(c, "nobody"));
    EXPECT_FALSE(nobody.has_value());
    QZ_ASSIGN_OR_RETURN(auto all, ListUsers(c));
    EXPECT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].name, "admin");  // ordered by name
    return Ok();
  });
  Write([&](Connection& c) { return UpdatePasswordHash(c, id, "$argon2id$new", kNow + 1); });
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto u, FindUserById(c, id));
    EXPECT_EQ(u->password_hash, "$argon2id$new");
    return Ok();
  });
}

TEST_P(StoreTest, ADuplicateAccountNameIsAConflict) {
  AddUser("zhang.san");
  Connection& c = db_->Writer();
  ASSERT_TRUE(c.Begin().ok());
  UserRecord u;
  u.name = "zhang.san";
  u.role = "admin";
  u.scope = "all";
  u.password_hash = "x";
  auto r = InsertUser(c, u, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(c.Rollback().ok());
}

// A failed statement leaves the transaction usable once rolled back to a savepoint
// (app::Tx::Attempt), on both backends; without one, PostgreSQL refuses to go on.
TEST_P(StoreTest, AFailedStatementIsUndoneByItsSavepointAndTheTransactionGoesOn) {
  AddUser("zhang.san");
  Write([](Connection& c) -> Status {
    QZ_TRY(PutSetting(c, "before", "1"));
    QZ_TRY(c.Savepoint("attempt"));
    UserRecord u;
    u.name = "zhang.san";
    u.role = "admin";
    u.scope = "all";
    u.password_hash = "x";
    auto dup = InsertUser(c, u, kNow);
    EXPECT_FALSE(dup.ok());
    if (!dup.ok()) {
      EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
    }
    QZ_TRY(c.RollbackToSavepoint("attempt"));
    return PutSetting(c, "after", "1");
  });
  Read([](Connection& c) -> Status {
    EXPECT_EQ(*GetSetting(c, "before"), "1");
    EXPECT_EQ(*GetSetting(c, "after"), "1");
    return Ok();
  });
}

TEST_P(StoreTest, QueryEachHandsOverEveryRowInOrderAndStopsAtTheFirstFailure) {
  for (const char* name : {"a.one", "b.two", "c.three", "d.four"}) AddUser(name);
  Read([](Connection& c) -> Status {
    std::vector<std::string> seen;
    QZ_TRY(c.QueryEach("SELECT name, id FROM users WHERE name > ? ORDER BY name", {std::string("a.one")},
                       [&](const Row& r) -> Status {
                         seen.push_back(r.Text(0));
                         EXPECT_GT(r.Int(1), 0);
                         return Ok();
                       }));
    EXPECT_EQ(seen, (std::vector<std::string>{"b.two", "c.three", "d.four"}));
    int calls = 0;
    Status stopped = c.QueryEach("SELECT name FROM users ORDER BY name", {}, [&](const Row&) -> Status {
      if (++calls == 2) return MakeError(ErrorCode::kValidation, "停", "stop");
      return Ok();
    });
    EXPECT_FALSE(stopped.ok());
    EXPECT_EQ(calls, 2);
    // The connection is still usable afterwards, in the same snapshot.
    QZ_ASSIGN_OR_RETURN(auto all, c.Query("SELECT name FROM users ORDER BY name"));
    EXPECT_EQ(all.size(), 4u);
    return Ok();
  });
}

TEST_P(StoreTest, ValuesAreBoundNeverSplicedIntoSql) {
  std::string name = "o'brien\"; DROP TABLE users; --";
  AddUser(name);
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto u, FindUserByName(c, name));
    EXPECT_TRUE(u.has_value());
    QZ_ASSIGN_OR_RETURN(auto all, ListUsers(c));
    EXPECT_EQ(all.size(), 1u);
    return Ok();
  });
}

TEST_P(StoreTest, TokensFindTheirUserUntilTheyExpire) {
  std::int64_t id = AddUser("auditor", "auditor");
  Write([&](Connection& c) { return InsertToken(c, id, "hash-1", kNow, kNow + 100); });
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto live, FindUserByToken(c, "hash-1", kNow + 99));
    EXPECT_TRUE(live.has_value() && live->name == "auditor");
    QZ_ASSIGN_OR_RETURN(auto expired, FindUserByToken(c, "hash-1", kNow + 100));
    EXPECT_FALSE(expired.has_value());
    QZ_ASSIGN_OR_RETURN(auto unknown, FindUserByToken(c, "hash-2", kNow));
    EXPECT_FALSE(unknown.has_value());
    return Ok();
  });
}

TEST_P(StoreTest, SessionsRoundTripAndEnd) {
  std::int64_t id = AddUser("qiaotou.leader", "town_leader");
  Write([&](Connection& c) -> Status {
    QZ_TRY(InsertSession(c, {"s1", id, "csrf-1", kNow, kNow + 3600, kNow}));
    return InsertSession(c, {"s2", id, "csrf-2", kNow, kNow + 3600, kNow});
  });
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto s, FindSession(c, "s1"));
    EXPECT_TRUE(s.has_value());
    if (!s) return Ok();
    EXPECT_EQ(s->user_id, id);
    EXPECT_EQ(s->csrf_token, "csrf-1");
    EXPECT_EQ(s->created_at, kNow);
    EXPECT_EQ(s->expires_at, kNow + 3600);
    EXPECT_EQ(s->last_seen_at, kNow);
    return Ok();
  });
  Write([&](Connection& c) { return TouchSession(c, "s1", kNow + 120); });
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto s, FindSession(c, "s1"));
    EXPECT_EQ(s->last_seen_at, kNow + 120);
    return Ok();
  });
  Write([&](Connection& c) { return DeleteSession(c, "s1"); });
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto s1, FindSession(c, "s1"));
    EXPECT_FALSE(s1.has_value());
    QZ_ASSIGN_OR_RETURN(auto s2, FindSession(c, "s2"));
    EXPECT_TRUE(s2.has_value());
    return Ok();
  });
  Write([&](Connection& c) { return DeleteUserSessions(c, id); });
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto s2, FindSession(c, "s2"));
    EXPECT_FALSE(s2.has_value());
    return Ok();
  });
}

TEST_P(StoreTest, ThrottleStateRoundTripsAndClears) {
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto t, GetThrottle(c, "user:nobody"));
    EXPECT_EQ(t.failures, 0);
    EXPECT_EQ(t.last_failure_at, 0);
    EXPECT_EQ(t.locked_until, 0);
    return Ok();
  });
  Write([](Connection& c) { return PutThrottle(c, "user:x", {2, kNow, 0}); });
  Write([](Connection& c) { return PutThrottle(c, "user:x", {8, kNow + 5, kNow + 905}); });
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto t, GetThrottle(c, "user:x"));
    EXPECT_EQ(t.failures, 8);
    EXPECT_EQ(t.last_failure_at, kNow + 5);
    EXPECT_EQ(t.locked_until, kNow + 905);
    return Ok();
  });
  Write([](Connection& c) { return ClearThrottle(c, "user:x"); });
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto t, GetThrottle(c, "user:x"));
    EXPECT_EQ(t.failures, 0);
    return Ok();
  });
}

TEST_P(StoreTest, AnAccountsThrottleRowsAreClearedForEveryAddressAndNoOtherAccount) {
  Write([](Connection& c) -> Status {
    QZ_TRY(PutThrottle(c, "user:li.ming|203.0.113.9", {5, kNow, kNow + 900}));
    QZ_TRY(PutThrottle(c, "user:li.ming|2001:db8::1", {1, kNow, 0}));
    QZ_TRY(PutThrottle(c, "user:li.ming", {3, kNow, 0}));  // a key from before (account, client)
    QZ_TRY(PutThrottle(c, "user:li.ming2|203.0.113.9", {4, kNow, 0}));
    return PutThrottle(c, "user:li.min|203.0.113.9", {4, kNow, 0});
  });
  Write([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto cleared, ClearAccountThrottles(c, "li.ming"));
    EXPECT_EQ(cleared.bursts, 2) << "rows with more than one failure";
    EXPECT_EQ(cleared.failures, 8);
    return Ok();
  });
  Read([](Connection& c) -> Status {
    for (const char* gone :
         {"user:li.ming|203.0.113.9", "user:li.ming|2001:db8::1", "user:li.ming"}) {
      QZ_ASSIGN_OR_RETURN(auto t, GetThrottle(c, gone));
      EXPECT_EQ(t.failures, 0) << gone;
    }
    for (const char* kept : {"user:li.ming2|203.0.113.9", "user:li.min|203.0.113.9"}) {
      QZ_ASSIGN_OR_RETURN(auto t, GetThrottle(c, kept));
      EXPECT_EQ(t.failures, 4) << kept;
    }
    return Ok();
  });
}

TEST_P(StoreTest, PruningThrottlesKeepsLockedAndRecentRows) {
  Write([](Connection& c) -> Status {
    QZ_TRY(PutThrottle(c, "user:a|1", {2, kNow - 2000, 0}));           // stale
    QZ_TRY(PutThrottle(c, "user:b|1", {1, kNow - 2000, 0}));           // stale, one failure
    QZ_TRY(PutThrottle(c, "user:c|1", {9, kNow - 2000, kNow + 100}));  // stale but locked
    return PutThrottle(c, "user:d|1", {2, kNow - 10, 0});              // recent
  });
  Write([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto pruned, PruneThrottles(c, kNow - 900, kNow));
    EXPECT_EQ(pruned.bursts, 1);
    EXPECT_EQ(pruned.failures, 2);
    return Ok();
  });
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto a, GetThrottle(c, "user:a|1"));
    QZ_ASSIGN_OR_RETURN(auto b, GetThrottle(c, "user:b|1"));
    QZ_ASSIGN_OR_RETURN(auto cc, GetThrottle(c, "user:c|1"));
    QZ_ASSIGN_OR_RETURN(auto d, GetThrottle(c, "user:d|1"));
    EXPECT_EQ(a.failures + b.failures, 0);
    EXPECT_EQ(cc.failures, 9);
    EXPECT_EQ(d.failures, 2);
    return Ok();
  });
}

TEST_P(StoreTest, SettingsAreUpserted) {
  Write([](Connection& c) { return PutSetting(c, "demo", "one"); });
  Write([](Connection& c) { return PutSetting(c, "demo", "two"); });
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto v, GetSetting(c, "demo"));
    EXPECT_EQ(v, "two");
    QZ_ASSIGN_OR_RETURN(auto none, GetSetting(c, "other"));
    EXPECT_EQ(none, std::nullopt);
    return Ok();
  });
}

// ---- regions ------------------------------------------------------------------------------

TEST_P(StoreTest, RegionsAreListedWithinAScopeInCodeOrderWithACursor) {
  Write([](Connection& c) -> Status {
    QZ_TRY(InsertRegion(c, {"990000", "东海省", "province", std::nullopt, "/990000/"}, kNow));
    QZ_TRY(InsertRegion(c, {"990100", "临江市", "city", "990000", "/990000/990100/"}, kNow));
    QZ_TRY(InsertRegion(c, {"990121", "清河县", "county", "990100", "/990000/990100/990121/"}, kNow));
    QZ_TRY(InsertRegion(c, {"990122", "云溪县", "county", "990100", "/990000/990100/990122/"}, kNow));
    QZ_TRY(InsertRegion(c, {"990121102", "白沙镇", "town", "990121", "/990000/990100/990121/990121102/",
                            false, R"({"gdp_10k_yuan":1})"}, kNow));
    QZ_TRY(InsertRegion(c, {"990121101", "桥头镇", "town", "990121", "/990000/990100/990121/990121101/",
                            true}, kNow));
    return InsertRegion(c, {"990122101", "云阳镇", "town", "990122", "/990000/990100/990122/990122101/"},
                        kNow);
  });
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto all, ListRegions(c, "all", std::nullopt, "", 100));
    EXPECT_EQ(all.size(), 7u);
    QZ_ASSIGN_OR_RETURN(auto county, ListRegions(c, "/990000/990100/990121/", std::nullopt, "", 100));
    EXPECT_EQ(county.size(), 3u);  // the county and its two towns, not the other county's
    for (const auto& r : county) EXPECT_EQ(r.code.substr(0, 6), "990121");
    QZ_ASSIGN_OR_RETURN(auto towns, ListRegions(c, "all", std::string("990121"), "", 1));
    EXPECT_EQ(towns.size(), 1u);
    EXPECT_EQ(towns[0].code, "990121101");
    EXPECT_TRUE(towns[0].is_pilot);
    QZ_ASSIGN_OR_RETURN(auto next, ListRegions(c, "all", std::string("990121"), "990121101", 1));
    EXPECT_EQ(next.size(), 1u);
    EXPECT_EQ(next[0].code, "990121102");
    EXPECT_EQ(next[0].indicators, R"({"gdp_10k_yuan":1})");
    QZ_ASSIGN_OR_RETURN(auto r, GetRegion(c, "990122101"));
    EXPECT_EQ(r->parent_code, "990122");
    EXPECT_EQ(r->name, "云阳镇");
    QZ_ASSIGN_OR_RETURN(auto n, CountRegions(c));
    EXPECT_EQ(n, 7);
    return Ok();
  });
}

TEST_P(StoreTest, ARegionMustHaveAnExistingParent) {
  Connection& c = db_->Writer();
  ASSERT_TRUE(c.Begin().ok());
  Status s = InsertRegion(c, {"990199", "无上级", "county", "990100", "/x/"}, kNow);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);  // foreign keys are on
  ASSERT_TRUE(c.Rollback().ok());
}

// ---- ledger ------------------------------------------------------------------------------

std::string Hash32(char fill) {
  std::string h(32, fill);
  h[0] = '\0';  // raw bytes, zero included
  return h;
}

TEST_P(StoreTest, LedgerEntriesAndHashesRoundTripAsRawBytes) {
  std::string entry = std::string("{\"type\":\"x\",\"nul\":\"") + '\0' + "\"}";
  Write([&](Connection& c) -> Status {
    QZ_TRY(InsertLedgerEntry(c, {0, "region.created", "2026-11-28T10:00:00+08:00", entry, Hash32('a')}));
    QZ_TRY(InsertLedgerEntry(c, {1, "user.created", "2026-11-28T10:00:01+08:00", "{}", Hash32('b')}));
    QZ_TRY(InsertLedgerHash(c, 0, Hash32('a')));
    QZ_TRY(InsertLedgerHash(c, 1, Hash32('b')));
    return InsertLedgerHash(c, 2, Hash32('c'));
  });
  Read([&](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto size, LedgerSize(c));
    EXPECT_EQ(size, 2);
    QZ_ASSIGN_OR_RETURN(auto e, GetLedgerEntry(c, 0));
    EXPECT_TRUE(e.has_value());
    if (!e) return Ok();
    EXPECT_EQ(e->entry, entry);
    EXPECT_EQ(e->entry.size(), entry.size());
    EXPECT_EQ(e->leaf_hash, Hash32('a'));
    EXPECT_EQ(e->type, "region.created");
    QZ_ASSIGN_OR_RETURN(auto none, GetLedgerEntry(c, 2));
    EXPECT_FALSE(none.has_value());
    QZ_ASSIGN_OR_RETURN(auto list, ListLedgerEntries(c, 1, 10));
    EXPECT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].idx, 1);
    QZ_ASSIGN_OR_RETURN(auto hashes, ReadLedgerHashes(c, {2, 0}));
    EXPECT_EQ(hashes, (std::vector<std::string>{Hash32('c'), Hash32('a')}));
    QZ_ASSIGN_OR_RETURN(auto listed, ListLedgerHashes(c, 1, 5));
    EXPECT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].first, 1);
    auto missing = ReadLedgerHashes(c, {0, 3});
    EXPECT_FALSE(missing.ok());
    return Ok();
  });
}

TEST_P(StoreTest, ALedgerIndexCannotBeWrittenTwice) {
  Write([](Connection& c) { return InsertLedgerEntry(c, {0, "a", "t", "{}", Hash32('a')}); });
  Connection& c = db_->Writer();
  ASSERT_TRUE(c.Begin().ok());
  Status s = InsertLedgerEntry(c, {0, "b", "t", "{}", Hash32('b')});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(c.Rollback().ok());
}

TEST_P(StoreTest, CheckpointsKeepTheFirstNoteForASizeAndTheLatestIsTheLargest) {
  Write([](Connection& c) -> Status {
    QZ_TRY(InsertCheckpoint(c, {5, Hash32('5'), "note five", kNow}));
    QZ_TRY(InsertCheckpoint(c, {9, Hash32('9'), "note nine", kNow + 1}));
    return InsertCheckpoint(c, {5, Hash32('x'), "another five", kNow + 2});
  });
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto latest, LatestCheckpoint(c));
    EXPECT_EQ(latest->size, 9);
    EXPECT_EQ(latest->note, "note nine");
    QZ_ASSIGN_OR_RETURN(auto all, ListCheckpoints(c));
    EXPECT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].note, "note five");
    EXPECT_EQ(all[0].root, Hash32('5'));
    return Ok();
  });
}

// ---- transactions -----------------------------------------------------------------------

TEST_P(StoreTest, ReadersSeeOnlyCommittedData) {
  Connection& w = db_->Writer();
  ASSERT_TRUE(w.Begin().ok());
  ASSERT_TRUE(PutSetting(w, "k", "v").ok());
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto v, GetSetting(c, "k"));
    EXPECT_EQ(v, std::nullopt);  // not yet committed
    return Ok();
  });
  ASSERT_TRUE(w.Commit().ok());
  Read([](Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto v, GetSetting(c, "k"));
    EXPECT_EQ(v, "v");
    return Ok();
  });
}

TEST_P(StoreTest, RollingBackToASavepointUndoesOnlyWhatFollowedIt) {
  Connection& w = db_->Writer();
  ASSERT_TRUE(w.Begin().ok());
  ASSERT_TRUE(PutSetting(w, "kept", "1").ok());
  ASSERT_TRUE(w.Savepoint("unit").ok());
  ASSERT_TRUE(PutSetting(w, "undone", "1").ok());
  ASSERT_TRUE(w.RollbackToSavepoint("unit").ok());
  ASSERT_TRUE(w.Savepoint("unit").ok());  // the name is free again
  ASSERT_TRUE(PutSetting(w, "released", "1").ok());
  ASSERT_TRUE(w.ReleaseSavepoint("unit").ok());
  ASSERT_TRUE(w.Commit().ok());
  Read([](Connection& c) -> Status {
    EXPECT_EQ(*GetSetting(c, "kept"), "1");
    EXPECT_EQ(*GetSetting(c, "undone"), std::nullopt);
    EXPECT_EQ(*GetSetting(c, "released"), "1");
    return Ok();
  });
}

TEST_P(StoreTest, ARolledBackTransactionLeavesNoTrace) {
  Connection& w = db_->Writer();
  ASSERT_TRUE(w.Begin().ok());
  ASSERT_TRUE(PutSetting(w, "k", "v").ok());
  ASSERT_TRUE(w.Rollback().ok());
  Reopen();
  Read([](Connection& c) -> Status {
    EXPECT_EQ(*GetSetting(c, "k"), std::nullopt);
    return Ok();
  });
}

TEST_P(StoreTest, ReadersWorkFromManyThreadsAtOnce) {
  Write([](Connection& c) { return PutSetting(c, "k", "v"); });
  std::vector<std::thread> threads;
  std::atomic<int> seen{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        Status s = db_->WithReader([&](Connection& c) -> Status {
          QZ_ASSIGN_OR_RETURN(auto v, GetSetting(c, "k"));
          if (v == "v") seen.fetch_add(1);
          return Ok();
        });
        EXPECT_TRUE(s.ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(seen.load(), 400);
}

TEST_P(StoreTest, AClosedDatabaseRefusesReaders) {
  db_->Close();
  Status s = db_->WithReader([](Connection&) { return Ok(); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace quanze::store
