// Backup and restore of a PostgreSQL database with pg_dump / pg_restore, tested end to end
// (issue #8, docs/operations.md §3): a `pg_dump -Fc` of a demo database restored with
// pg_restore into a new C-collated database passes `quanze verify`, holds the same rows,
// serves the same signed checkpoint with the same key files, and proves a receipt issued
// before the dump. A dump taken while a server writes restores to a prefix of the log:
// every write acknowledged before the dump started is in it, every restored entry equals
// the original's at the same index, and the original's later checkpoint is consistent with
// the restored one. Needs QUANZE_TEST_PG_URL (scripts/pg-test-cluster.sh); skipped without
// it.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "demo_fixture.h"

namespace quanze::testing {
namespace {

using nlohmann::json;

// The PostgreSQL client `name` (pg_dump, pg_restore) of the newest major version under
// /usr/lib/postgresql — the one scripts/pg-test-cluster.sh runs the server with, and
// pg_dump must not be older than the server — else `name` itself, looked up on PATH.
std::string PgTool(const std::string& name) {
  std::string best = name;
  int best_major = -1;
  std::error_code ec;
  for (const auto& dir : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const int major = std::atoi(dir.path().filename().c_str());
    const std::filesystem::path tool = dir.path() / "bin" / name;
    if (major > best_major && ::access(tool.c_str(), X_OK) == 0) {
      best = tool.string();
      best_major = major;
    }
  }
  return best;
}

// Runs a PostgreSQL client tool; throws HarnessError (with its stderr) unless it exits 0.
void RunPgTool(const std::vector<std::string>& argv) {
  CommandResult r = RunCommand(argv, "", {}, std::chrono::seconds(60));
  if (r.exit_code != 0) {
    std::string line;
    for (const std::string& a : argv) line += a + " ";
    throw HarnessError(line + "exited " + std::to_string(r.exit_code) + ": " + r.err);
  }
}

// The tree size of a signed checkpoint note ("<origin>\n<size>\n<root>\n\n— ...").
std::int64_t NoteSize(const std::string& note) {
  auto first = note.find('\n');
  if (first == std::string::npos) throw HarnessError("bad checkpoint note: " + note);
  return std::stoll(note.substr(first + 1, note.find('\n', first + 1) - first - 1));
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

class PgRestore : public PgDemoTest {
 protected:
  // Signs a checkpoint whenever one is asked for; no background sweep, so a server on the
  // restored database writes nothing by itself.
  static std::unique_ptr<ServerProcess> Start(const std::string& db) {
    return Serve(db, {"QUANZE_LEDGER_CHECKPOINT_INTERVAL_MS=0", "QUANZE_SERVER_WORKERS=4",
                      "QUANZE_CASES_SWEEP_INTERVAL_SECONDS=0"});
  }

  static CommandResult Quanze(std::vector<std::string> args,
                              const std::vector<std::string>& env = {}) {
    args.insert(args.begin(), QuanzeBinary());
    return RunCommand(args, "", env);
  }

  // `pg_dump -Fc` of `url` into `file` (one snapshot of the whole database).
  static void Dump(const std::string& url, const std::string& file) {
    RunPgTool({PgTool("pg_dump"), "-Fc", "-d", url, "-f", file});
  }

  // A new empty database with byte-order collation, as an operator creates it for the
  // restore (quanze refuses other collations); dropped when the test process exits.
  static std::string CreateCDatabase() {
    const std::string admin = PgAdminUrl();
    const std::string name = UniqueDatabaseName("qz_restored");
    Psql(admin,
         "CREATE DATABASE " + name + " TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
    PgDatabasesToDrop::Add(admin, name);
    return PgUrlWithDatabase(admin, name);
  }

  static void Restore(const std::string& file, const std::string& url) {
    RunPgTool({PgTool("pg_restore"), "--exit-on-error", "--no-owner", "-d", url, file});
  }

  // One line per table of the public schema: name, row count, MD5 of its rows sorted
  // byte-wise. Equal digests: the two databases hold the same rows.
  static std::string TablesDigest(const std::string& url) {
    std::istringstream names(Psql(url,
                                  "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                  "ORDER BY tablename"));
    // name || ' ' || rows || ' ' || md5 of the rows as text, byte order.
    const std::string digest =
        " ' || COUNT(*) || ' ' || COALESCE(md5(string_agg(t::text, E'\\n' ORDER BY t::text "
        "COLLATE \"C\")), '-') FROM ";
    std::string sql;
    for (std::string t; std::getline(names, t);) {
      if (t.empty()) continue;
      if (!sql.empty()) sql += " UNION ALL ";
      sql += "SELECT '" + t + digest + t + " t";
    }
    if (sql.empty()) throw HarnessError("no tables in " + url);
    return Psql(url, "SELECT line FROM (" + sql + ") d(line) ORDER BY line COLLATE \"C\"");
  }

  // Count and MD5 of the first `size` log entries (index, type, time, entry bytes, leaf
  // hash) and of the stored tree hashes such a log has (2·size − popcount(size)).
  static std::string LogPrefixDigest(const std::string& url, std::int64_t size) {
    const std::int64_t hashes = 2 * size - std::popcount(static_cast<std::uint64_t>(size));
    const std::string entry_rows =
        "SELECT COUNT(*) || ' ' || md5(string_agg(idx || ':' || type || ':' || at || ':' || "
        "md5(entry) || ':' || encode(leaf_hash, 'hex'), ',' ORDER BY idx)) FROM ledger_entries "
        "WHERE idx < " +
        std::to_string(size);
    const std::string hash_rows =
        "SELECT COUNT(*) || ' ' || md5(string_agg(id || ':' || encode(hash, 'hex'), ',' "
        "ORDER BY id)) FROM ledger_hashes WHERE id < " +
        std::to_string(hashes);
    return Psql(url, "SELECT (" + entry_rows + ") || ' / ' || (" + hash_rows + ")");
  }

  static std::int64_t LogSize(const std::string& url) {
    return std::stoll(LastLine(Psql(url, "SELECT COUNT(*) FROM ledger_entries")));
  }

  // A write that the server journals: a refused request, answered with its receipt.
  static json DeniedRequest(HttpClient& http) {
    HttpResponse r = http.Get("/api/v1/users", Bearer(Token("qiaotou.officer")));
    if (r.status != 403)
      throw HarnessError("expected 403, got " + std::to_string(r.status) + " " + r.body);
    return r.Json().at("receipt");
  }

  static CommandResult VerifyReceipt(const ServerProcess& server, const json& receipt,
                                     const std::string& pinned_key) {
    return Quanze({"receipt", "verify", "--url", server.base_url(), "--index",
                   std::to_string(receipt.at("index").get<std::int64_t>()), "--leaf-hash",
                   receipt.at("leaf_hash").get<std::string>(), "--key", pinned_key});
  }
};

TEST_F(PgRestore, ADumpRestoredIntoACCollatedDatabaseVerifiesWithTheSameCheckpointAndReceipts) {
  // Before the dump: an account (`quanze user add`), a journaled request answered with its
  // receipt, and a checkpoint that covers both.
  CommandResult added = RunCommand({QuanzeBinary(), "user", "add", "restore.probe", "--role",
                                    "auditor", "--scope", "all", "--password-stdin", "--db", db_},
                                   "restore-probe-pass-2026\n");
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  auto original = Start(db_);
  HttpClient http(original->port());
  const std::string key = http.Get("/api/v1/ledger/key").body;
  const json receipt = DeniedRequest(http);
  HttpResponse checkpoint = http.Get("/api/v1/ledger/checkpoint");
  ASSERT_EQ(checkpoint.status, 200) << checkpoint.body;
  const std::int64_t size = NoteSize(checkpoint.body);
  ASSERT_GT(size, receipt.at("index").get<std::int64_t>()) << checkpoint.body;
  ASSERT_EQ(size, LogSize(db_)) << "the checkpoint covers the whole log";
  original->Signal(SIGTERM);
  ASSERT_EQ(original->Wait(), 0);

  const std::string dump = dir_.File("quanze.dump");
  Dump(db_, dump);
  const std::string restored = CreateCDatabase();
  Restore(dump, restored);
  EXPECT_EQ(LastLine(Psql(restored,
                          "SELECT datcollate FROM pg_database WHERE datname = current_database()")),
            "C");

  // The same rows in every table, and the same full verification.
  EXPECT_EQ(TablesDigest(restored), TablesDigest(db_));
  CommandResult before = Quanze({"verify", "--db", db_});
  CommandResult after = Quanze({"verify", "--db", restored});
  ASSERT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_TRUE(Contains(after.out, "OK: " + std::to_string(size) + " entries")) << after.out;
  EXPECT_EQ(LastLine(after.out), LastLine(before.out));

  // Served with the same key files: the same verifier key, byte for byte the same signed
  // checkpoint (same size, same root), the old receipt proved, the account there.
  auto served = Start(restored);
  HttpClient rh(served->port());
  EXPECT_EQ(rh.Get("/api/v1/ledger/key").body, key);
  EXPECT_EQ(rh.Get("/api/v1/ledger/checkpoint").body, checkpoint.body);
  CommandResult proved = VerifyReceipt(*served, receipt, Trimmed(key));
  EXPECT_EQ(proved.exit_code, 0) << proved.out << proved.err;
  EXPECT_TRUE(Contains(proved.out, "VERIFIED: entry " +
                                       std::to_string(receipt.at("index").get<std::int64_t>()) +
                                       " is in the log of size " + std::to_string(size)))
      << proved.out;
  HttpResponse session = rh.PostJson(
      "/api/v1/session", {{"username", "restore.probe"}, {"password", "restore-probe-pass-2026"}});
  EXPECT_EQ(session.status, 200) << session.body;
  served->Signal(SIGTERM);
  EXPECT_EQ(served->Wait(), 0);

  // Restored without its key files, the database is refused rather than given new keys
  // that would match none of its published checkpoints: the key files are part of the backup.
  CommandResult keyless = Quanze({"verify", "--db", restored},
                                 {"QUANZE_LEDGER_KEY_FILE=" + dir_.File("new.ledger-key"),
                                  "QUANZE_LEDGER_SECRET_FILE=" + dir_.File("new.commit-secret")});
  EXPECT_EQ(keyless.exit_code, 2) << keyless.out << keyless.err;
  EXPECT_TRUE(Contains(keyless.err, "key file")) << keyless.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("new.ledger-key")));
}

TEST_F(PgRestore, ADumpTakenWhileAServerWritesRestoresToAPrefixOfTheLog) {
  auto original = Start(db_);
  HttpClient http(original->port());
  const std::string key = Trimmed(http.Get("/api/v1/ledger/key").body);

  // Journaled writes before, during and after the dump, and checkpoints signed meanwhile
  // (stored in ledger_checkpoints, so some are in the dump).
  std::mutex mu;
  json acknowledged;  // the receipt of the latest write answered so far
  std::vector<std::string> errors;
  std::atomic<int> writes{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    HttpClient w(original->port());
    while (!stop.load()) {
      try {
        json receipt = DeniedRequest(w);
        std::lock_guard lock(mu);
        acknowledged = receipt;
        ++writes;
      } catch (const std::exception& e) {
        std::lock_guard lock(mu);
        errors.push_back(e.what());
        return;
      }
    }
  });
  std::thread signer([&] {
    HttpClient c(original->port());
    while (!stop.load()) {
      try {
        HttpResponse r = c.Get("/api/v1/ledger/checkpoint");
        if (r.status != 200)
          throw HarnessError("checkpoint: " + std::to_string(r.status) + " " + r.body);
      } catch (const std::exception& e) {
        std::lock_guard lock(mu);
        errors.push_back(e.what());
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  auto wait_for_writes = [&](int n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (writes.load() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  wait_for_writes(20);
  json before_dump;
  {
    std::lock_guard lock(mu);
    before_dump = acknowledged;
  }
  const int writes_before = writes.load();
  const std::string dump = dir_.File("quanze.dump");
  std::string dump_error;
  try {
    Dump(db_, dump);
  } catch (const std::exception& e) {
    dump_error = e.what();
  }
  const int writes_after = writes.load();
  wait_for_writes(writes_after + 20);
  stop = true;
  writer.join();
  signer.join();
  ASSERT_TRUE(dump_error.empty()) << dump_error;
  ASSERT_TRUE(errors.empty()) << errors.size() << " requests failed, the first: " << errors.front();
  ASSERT_TRUE(before_dump.is_object());
  std::cerr << "writes answered while pg_dump ran: " << writes_after - writes_before << "\n";

  const std::string restored = CreateCDatabase();
  Restore(dump, restored);
  CommandResult v = Quanze({"verify", "--db", restored});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_TRUE(Contains(v.out, "OK:")) << v.out;

  // A prefix of the log: everything acknowledged before the dump began, nothing that is
  // not in the original at the same index, and the original has grown since.
  const std::int64_t size = LogSize(restored);
  const std::int64_t original_size = LogSize(db_);
  std::cerr << "restored log: " << size << " of " << original_size << " entries\n";
  EXPECT_GT(size, before_dump.at("index").get<std::int64_t>());
  ASSERT_LT(size, original_size);
  EXPECT_EQ(LogPrefixDigest(restored, size), LogPrefixDigest(db_, size));
  // Every checkpoint in the dump is one the original signed (same size, root and note).
  const std::string sizes =
      Trimmed(Psql(restored, "SELECT string_agg(size::text, ',') FROM ledger_checkpoints"));
  ASSERT_FALSE(sizes.empty());
  const std::string rows =
      "SELECT string_agg(size || ':' || encode(root, 'hex') || ':' || md5(note), ',' "
      "ORDER BY size) FROM ledger_checkpoints WHERE size IN (" +
      sizes + ")";
  EXPECT_EQ(Psql(restored, rows), Psql(db_, rows));

  // An auditor who saw the restored log's checkpoint finds the original's later one
  // consistent with it (`quanze verify --url --state` checks the consistency proof), and
  // the receipt of the last write answered before the dump is provable from the restored
  // database.
  auto served = Start(restored);
  const std::string state = dir_.File("audit.json");
  CommandResult audit_restored = Quanze({"verify", "--url", served->base_url(), "--state", state});
  ASSERT_EQ(audit_restored.exit_code, 0) << audit_restored.out << audit_restored.err;
  EXPECT_TRUE(Contains(audit_restored.out, "checkpoint: size " + std::to_string(size)))
      << audit_restored.out;
  CommandResult audit_original =
      Quanze({"verify", "--url", original->base_url(), "--state", state});
  EXPECT_EQ(audit_original.exit_code, 0) << audit_original.out << audit_original.err;
  EXPECT_TRUE(Contains(audit_original.out, "consistent with the last checkpoint seen (size " +
                                               std::to_string(size) + ")"))
      << audit_original.out;
  CommandResult proved = VerifyReceipt(*served, before_dump, key);
  EXPECT_EQ(proved.exit_code, 0) << proved.out << proved.err;
  EXPECT_TRUE(Contains(proved.out, "VERIFIED")) << proved.out;

  served->Signal(SIGTERM);
  EXPECT_EQ(served->Wait(), 0);
  original->Signal(SIGTERM);
  EXPECT_EQ(original->Wait(), 0);
}

}  // namespace
}  // namespace quanze::testing
