// `quanze backup` and a tested restore (docs/operations.md §3): an online backup taken
// while a server writes, then verified, served and compared with the original: the same
// verifier key, a receipt from before the backup provable against the restored server's
// signed checkpoint, the data written before the backup present. SQLite only (PostgreSQL
// is backed up with pg_dump).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "demo_fixture.h"
#include "harness.h"

namespace quanze::testing {
namespace {

using nlohmann::json;

DemoTemplate* demo = nullptr;

class Backup : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { demo = new DemoTemplate({"admin", "qiaotou.officer"}); }
  static void TearDownTestSuite() {
    delete demo;
    demo = nullptr;
  }
  void SetUp() override {
    if (OnPostgres()) GTEST_SKIP() << "quanze backup copies SQLite databases";
    ASSERT_TRUE(demo != nullptr && demo->error().empty()) << (demo ? demo->error() : "no demo");
    db_ = demo->CopyTo(dir_);
    backup_ = dir_.File("backup.db");
  }

  static CommandResult Quanze(std::vector<std::string> args) {
    args.insert(args.begin(), QuanzeBinary());
    return RunCommand(args);
  }

  // A server that signs a checkpoint as soon as one is asked for.
  static std::unique_ptr<ServerProcess> Start(const std::string& db) {
    return Serve(db, {"QUANZE_LEDGER_CHECKPOINT_INTERVAL_MS=0", "QUANZE_SERVER_WORKERS=4"});
  }

  static int Mode(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 0777);
  }

  TempDir dir_;
  std::string db_;
  std::string backup_;
};

TEST_F(Backup, AnOnlineBackupUnderWritesRestoresWithTheSameKeyReceiptsAndData) {
  auto server = Start(db_);
  HttpClient http(server->port());
  HttpResponse key = http.Get("/api/v1/ledger/key");
  ASSERT_EQ(key.status, 200) << key.body;

  // Written before the backup: an account, with its ledger receipt.
  HttpResponse added = http.PostJson("/api/v1/users",
                                     {{"name", "backup.probe"},
                                      {"role", "auditor"},
                                      {"scope", "all"},
                                      {"password", "backup-probe-pass-2026"}},
                                     Bearer(demo->token("admin")));
  ASSERT_EQ(added.status, 201) << added.body;
  const json receipt = added.Json()["receipt"];
  ASSERT_TRUE(receipt.is_object()) << added.body;

  // Journaled writes (denied requests) arrive before, during and after the backup (how
  // many land during it depends on the machine, so it is printed, not asserted).
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};
  std::thread writer([&] {
    HttpClient w(server->port());
    while (!stop.load()) {
      if (w.Get("/api/v1/users", Bearer(demo->token("qiaotou.officer"))).status == 403) ++writes;
    }
  });
  while (writes.load() < 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const int before = writes.load();
  CommandResult b = Quanze({"backup", "--db", db_, "--to", backup_});
  const int after = writes.load();
  while (writes.load() < after + 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  writer.join();
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  EXPECT_TRUE(Contains(b.out, "backed up")) << b.out;
  std::cerr << "writes while the backup ran: " << after - before << "\n";
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0);

  EXPECT_EQ(Mode(backup_ + ".ledger-key"), 0600);
  EXPECT_EQ(Mode(backup_ + ".commit-secret"), 0600);

  // The copy passes the full local verification.
  CommandResult v = Quanze({"verify", "--db", backup_});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_TRUE(Contains(v.out, "OK:")) << v.out;

  // Served, it signs with the same key, proves the old receipt, and holds the account.
  auto restored = Start(backup_);
  HttpClient rh(restored->port());
  EXPECT_EQ(rh.Get("/api/v1/ledger/key").body, key.body);
  std::string pinned = key.body;
  while (!pinned.empty() && pinned.back() == '\n') pinned.pop_back();
  CommandResult proved =
      Quanze({"receipt", "verify", "--url", restored->base_url(), "--index",
              std::to_string(receipt["index"].get<std::int64_t>()), "--leaf-hash",
              receipt["leaf_hash"].get<std::string>(), "--key", pinned});
  EXPECT_EQ(proved.exit_code, 0) << proved.out << proved.err;
  EXPECT_TRUE(Contains(proved.out, "VERIFIED")) << proved.out;
  HttpResponse users = rh.Get("/api/v1/users", Bearer(demo->token("admin")));
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_TRUE(Contains(users.body, "\"backup.probe\"")) << users.body;
  HttpResponse session = rh.PostJson(
      "/api/v1/session", {{"username", "backup.probe"}, {"password", "backup-probe-pass-2026"}});
  EXPECT_EQ(session.status, 200) << session.body;
}

TEST_F(Backup, RefusesToOverwriteWithoutForce) {
  CommandResult first = Quanze({"backup", "--db", db_, "--to", backup_});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  CommandResult again = Quanze({"backup", "--db", db_, "--to", backup_});
  EXPECT_EQ(again.exit_code, 2) << again.out << again.err;
  EXPECT_TRUE(Contains(again.err, "--force")) << again.err;
  CommandResult forced = Quanze({"backup", "--db", db_, "--to", backup_, "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(Quanze({"verify", "--db", backup_}).exit_code, 0);
}

TEST_F(Backup, NoKeysCopiesTheDatabaseOnly) {
  CommandResult b = Quanze({"backup", "--db", db_, "--to", backup_, "--no-keys"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(Mode(backup_ + ".ledger-key"), -1);
  EXPECT_EQ(Mode(backup_ + ".commit-secret"), -1);
  // Without them the copy is refused, not given new keys that match no published checkpoint.
  CommandResult keyless = Quanze({"verify", "--db", backup_});
  EXPECT_EQ(keyless.exit_code, 2) << keyless.out << keyless.err;
  EXPECT_TRUE(Contains(keyless.err, "key file")) << keyless.err;
  EXPECT_EQ(Mode(backup_ + ".ledger-key"), -1);
  // With the key files put back beside it (from their own backup), it verifies.
  for (const char* suffix : {".ledger-key", ".commit-secret"}) {
    std::filesystem::copy_file(db_ + suffix, backup_ + suffix);
  }
  CommandResult v = Quanze({"verify", "--db", backup_});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(Backup, InputErrorsExitTwo) {
  CommandResult pg = Quanze({"backup", "--db", "postgresql://localhost/quanze", "--to", backup_});
  EXPECT_EQ(pg.exit_code, 2) << pg.err;
  EXPECT_TRUE(Contains(pg.err, "pg_dump")) << pg.err;
  CommandResult missing = Quanze({"backup", "--db", dir_.File("none.db"), "--to", backup_});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  CommandResult itself = Quanze({"backup", "--db", db_, "--to", db_, "--force", "--no-keys"});
  EXPECT_EQ(itself.exit_code, 2) << itself.err;
  EXPECT_EQ(Quanze({"verify", "--db", db_}).exit_code, 0);
}

}  // namespace
}  // namespace quanze::testing
