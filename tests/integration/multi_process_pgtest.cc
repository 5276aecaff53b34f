// Several `quanze serve` processes on one PostgreSQL database produce one log
// (issue #8): two servers take writes concurrently, then the log must have no gap and no
// duplicate, every receipt either server handed out must be provable from both, and both
// must serve the same signed checkpoints. Needs QUANZE_TEST_PG_URL
// (scripts/pg-test-cluster.sh); skipped without it.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "demo_fixture.h"

namespace quanze::testing {
namespace {

using nlohmann::json;

class MultiProcess : public PgDemoTest {
 protected:
  std::unique_ptr<ServerProcess> Start() {
    return Serve(db_, {"QUANZE_LEDGER_CHECKPOINT_INTERVAL_MS=0", "QUANZE_SERVER_WORKERS=4",
                       "QUANZE_CASES_SWEEP_INTERVAL_SECONDS=0"});
  }

  // A write that every server records: a refused request, answered with its receipt.
  static json DeniedRequest(HttpClient& http) {
    HttpResponse r = http.Get("/api/v1/users", Bearer(Token("qiaotou.officer")));
    if (r.status != 403) throw HarnessError("expected 403, got " + std::to_string(r.status) + " " + r.body);
    return r.Json().at("receipt");
  }

  static std::int64_t NoteSize(const std::string& note) {
    auto first = note.find('\n');
    if (first == std::string::npos) throw HarnessError("bad checkpoint note: " + note);
    return std::stoll(note.substr(first + 1, note.find('\n', first + 1) - first - 1));
  }
};

TEST_F(MultiProcess, TwoServersWritingConcurrentlyProduceOneLogWithoutGapsOrDuplicates) {
  auto a = Start();
  auto b = Start();
  const std::int64_t before = std::stoll(Psql(db_, "SELECT COUNT(*) FROM ledger_entries"));

  constexpr int kThreadsPerServer = 3;
  constexpr int kWritesPerThread = 25;
  std::mutex mu;
  std::vector<json> receipts;
  std::vector<std::string> notes;  // checkpoints seen while the writes go on
  std::vector<std::string> errors;  // writes that got no receipt
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  for (ServerProcess* server : {a.get(), b.get()}) {
    for (int t = 0; t < kThreadsPerServer; ++t) {
      threads.emplace_back([&, port = server->port()] {
        HttpClient http(port);
        for (int i = 0; i < kWritesPerThread; ++i) {
          try {
            json receipt = DeniedRequest(http);
            std::lock_guard lock(mu);
            receipts.push_back(receipt);
          } catch (const std::exception& e) {  // e.g. a 500 from a clash of log indexes
            std::lock_guard lock(mu);
            errors.push_back(e.what());
          }
        }
      });
    }
    threads.emplace_back([&, port = server->port()] {
      HttpClient http(port);
      while (writing.load()) {
        try {
          HttpResponse r = http.Get("/api/v1/ledger/checkpoint");
          std::lock_guard lock(mu);
          if (r.status == 200) notes.push_back(r.body);
          else errors.push_back("checkpoint: " + std::to_string(r.status) + " " + r.body);
        } catch (const std::exception& e) {
          std::lock_guard lock(mu);
          errors.push_back(std::string("checkpoint: ") + e.what());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  for (std::size_t i = 0; i < threads.size(); ++i) {
    if (i % (kThreadsPerServer + 1) != kThreadsPerServer) threads[i].join();
  }
  writing.store(false);
  for (std::size_t i = 0; i < threads.size(); ++i) {
    if (threads[i].joinable()) threads[i].join();
  }

  ASSERT_TRUE(errors.empty()) << errors.size() << " writes failed, the first: " << errors.front();

  // No gap, no duplicate: indexes 0..size-1, each once, and each receipt a distinct index.
  const std::int64_t expected = before + 2 * kThreadsPerServer * kWritesPerThread;
  ASSERT_EQ(receipts.size(), static_cast<std::size_t>(2 * kThreadsPerServer * kWritesPerThread));
  std::string shape = Psql(db_, "SELECT COUNT(*) || ' ' || COUNT(DISTINCT idx) || ' ' || MIN(idx) || ' ' || MAX(idx)"
                                " FROM ledger_entries");
  EXPECT_EQ(LastLine(shape), std::to_string(expected) + " " + std::to_string(expected) + " 0 " +
                                 std::to_string(expected - 1));
  std::set<std::int64_t> indexes;
  for (const json& r : receipts) {
    EXPECT_TRUE(indexes.insert(r.at("index").get<std::int64_t>()).second) << "duplicate receipt " << r;
  }

  // Both servers now serve the same signed checkpoint of the whole log.
  HttpClient ha(a->port()), hb(b->port());
  HttpResponse ca = ha.Get("/api/v1/ledger/checkpoint");
  HttpResponse cb = hb.Get("/api/v1/ledger/checkpoint");
  ASSERT_EQ(ca.status, 200) << ca.body;
  ASSERT_EQ(cb.status, 200) << cb.body;
  EXPECT_EQ(NoteSize(ca.body), expected);
  EXPECT_EQ(ca.body, cb.body) << "two servers, one log, one signed checkpoint per size";
  EXPECT_EQ(ha.Get("/api/v1/ledger/key").body, hb.Get("/api/v1/ledger/key").body);

  // Every receipt is in the log as both servers show it: the same leaf in an inclusion
  // proof from each (`quanze receipt verify` checks a sample cryptographically below).
  for (HttpClient* http : {&ha, &hb}) {
    for (const json& r : receipts) {
      HttpResponse p = http->Get("/api/v1/ledger/proof/inclusion?index=" +
                                 std::to_string(r.at("index").get<std::int64_t>()) +
                                 "&size=" + std::to_string(expected));
      ASSERT_EQ(p.status, 200) << p.body;
      EXPECT_EQ(p.Json().at("leaf_hash"), r.at("leaf_hash")) << r;
    }
  }
  for (std::size_t i = 0; i < receipts.size(); i += receipts.size() / 6) {
    for (ServerProcess* server : {a.get(), b.get()}) {
      CommandResult v = RunCommand({QuanzeBinary(), "receipt", "verify", "--url", server->base_url(),
                                    "--index", std::to_string(receipts[i].at("index").get<std::int64_t>()),
                                    "--leaf-hash", receipts[i].at("leaf_hash").get<std::string>()});
      EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
      EXPECT_TRUE(Contains(v.out, "VERIFIED")) << v.out;
    }
  }

  // Every checkpoint either server signed during the writes is stored, and the full local
  // verification (every hash recomputed, every stored checkpoint's signature and their
  // pairwise consistency) passes.
  EXPECT_FALSE(notes.empty());
  for (const std::string& note : notes) {
    std::string stored = Psql(db_, "SELECT note FROM ledger_checkpoints WHERE size = " +
                                       std::to_string(NoteSize(note)));
    EXPECT_TRUE(Contains(stored, note.substr(0, note.find("\n\n")))) << note;
  }
  a.reset();
  b.reset();
  CommandResult verify = RunCommand({QuanzeBinary(), "verify", "--db", db_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_TRUE(Contains(verify.out, "OK:")) << verify.out;
}

}  // namespace
}  // namespace quanze::testing
