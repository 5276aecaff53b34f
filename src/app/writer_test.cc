#include "app/writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/ledger_service.h"
#include "ledger/note.h"
#include "store/records.h"

namespace quanze::app {
namespace {

using nlohmann::json;

// What a submitted unit's `done` callback received.
struct Outcome {
  Result<Committed> result;
  std::optional<Receipt> refusal;
};

Event Ev(const std::string& type) { return Event{type, Actor::System(), "test", type, {}}; }

// A unit that stores `key` as a setting and appends one event of type `key`.
Writer::Work PutAndAppend(const std::string& key) {
  return [key](Tx& tx) -> Result<json> {
    QZ_TRY(store::PutSetting(tx.conn(), key, "set"));
    QZ_TRY(tx.Append(Ev(key)));
    return json{{"key", key}};
  };
}

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/quanze-writer-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto db = store::OpenDatabase(dir_ + "/w.db");
    ASSERT_TRUE(db.ok()) << db.error().Describe();
    db_ = std::move(db).value();
    journal_ = std::make_unique<Journal>(std::string(32, 's'));
    writer_ = std::make_unique<Writer>(*db_, *journal_, clock_);
  }

  void TearDown() override {
    writer_->Stop();
    writer_.reset();
    db_->Close();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::future<Outcome> Submit(Writer::Work work) {
    auto promise = std::make_shared<std::promise<Outcome>>();
    auto future = promise->get_future();
    writer_->Submit(std::move(work), [promise](Result<Committed> r, std::optional<Receipt> refusal) {
      promise->set_value(Outcome{std::move(r), refusal});
    });
    return future;
  }

  // Occupies the writer thread until Release(), so that units submitted
  // meanwhile are taken as one batch.
  void Hold() {
    auto entered = std::make_shared<std::promise<void>>();
    auto entered_future = entered->get_future();
    auto gate = gate_.get_future().share();
    held_ = Submit([entered, gate](Tx&) -> Result<json> {
      entered->set_value();
      gate.wait();
      return json::object();
    });
    entered_future.wait();
  }
  void Release() {
    gate_.set_value();
    ASSERT_TRUE(held_.get().result.ok());
  }

  std::optional<std::string> Setting(const std::string& key) {
    std::optional<std::string> value;
    Status s = db_->WithReader([&](store::Connection& c) -> Status {
      QZ_ASSIGN_OR_RETURN(value, store::GetSetting(c, key));
      return Ok();
    });
    EXPECT_TRUE(s.ok());
    return value;
  }

  std::vector<store::LedgerEntryRecord> Entries() {
    std::vector<store::LedgerEntryRecord> entries;
    Status s = db_->WithReader([&](store::Connection& c) -> Status {
      QZ_ASSIGN_OR_RETURN(entries, store::ListLedgerEntries(c, 0, 100000));
      return Ok();
    });
    EXPECT_TRUE(s.ok());
    return entries;
  }

  // Recomputes every leaf and stored tree hash from the entries.
  void ExpectLogVerifies() {
    auto signer = ledger::NoteSigner::Generate("writer.test/log");
    ASSERT_TRUE(signer.ok());
    auto report = VerifyLog(*db_, signer->VerifierKey(), nullptr);
    ASSERT_TRUE(report.ok()) << report.error().Describe();
    EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
  }

  static std::string Bytes(const ledger::Hash& h) {
    return std::string(reinterpret_cast<const char*>(h.data()), h.size());
  }

  std::string dir_;
  ManualClock clock_{FromUnixSeconds(1'790'000'000)};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<Writer> writer_;
  std::promise<void> gate_;
  std::future<Outcome> held_;
};

TEST_F(WriterTest, UnitsQueuedTogetherCommitInOneTransaction) {
  Hold();
  auto a = Submit(PutAndAppend("a"));
  // The second unit sees the first one's write through the shared
  // transaction, while a reader still sees nothing: nothing is committed yet.
  std::optional<std::string> seen_by_tx, seen_by_reader;
  auto b = Submit([&](Tx& tx) -> Result<json> {
    QZ_ASSIGN_OR_RETURN(seen_by_tx, store::GetSetting(tx.conn(), "a"));
    seen_by_reader = Setting("a");
    QZ_TRY(tx.Append(Ev("b")));
    return json::object();
  });
  auto c = Submit(PutAndAppend("c"));
  Release();

  Outcome oa = a.get(), ob = b.get(), oc = c.get();
  ASSERT_TRUE(oa.result.ok() && ob.result.ok() && oc.result.ok());
  EXPECT_EQ(seen_by_tx, "set");
  EXPECT_EQ(seen_by_reader, std::nullopt);
  EXPECT_EQ(writer_->commits(), 2);  // the holding unit, then the batch of three
  EXPECT_EQ(writer_->units(), 4);
  EXPECT_EQ(Setting("a"), "set");
  EXPECT_EQ(Setting("c"), "set");
  EXPECT_EQ(Entries().size(), 3u);
}

TEST_F(WriterTest, AFailingUnitIsRolledBackAloneAndItsRefusalIsJournaled) {
  Hold();
  auto a = Submit(PutAndAppend("a"));
  auto b = Submit([](Tx& tx) -> Result<json> {
    tx.RecordOnFailure(Ev("b.refused"));
    QZ_TRY(store::PutSetting(tx.conn(), "b", "set"));
    QZ_TRY(tx.Append(Ev("b.attempted")));
    return MakeError(ErrorCode::kForbidden, "不允许", "not allowed");
  });
  auto c = Submit(PutAndAppend("c"));
  Release();

  Outcome oa = a.get(), ob = b.get(), oc = c.get();
  ASSERT_TRUE(oa.result.ok());
  ASSERT_FALSE(ob.result.ok());
  ASSERT_TRUE(oc.result.ok());
  EXPECT_EQ(ob.result.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(writer_->commits(), 2);

  // b's state change is gone; a's and c's are committed.
  EXPECT_EQ(Setting("a"), "set");
  EXPECT_EQ(Setting("b"), std::nullopt);
  EXPECT_EQ(Setting("c"), "set");

  // The log holds a, b's refusal (not its attempt), c — consecutively.
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].type, "a");
  EXPECT_EQ(entries[1].type, "b.refused");
  EXPECT_EQ(entries[2].type, "c");
  EXPECT_EQ(oa.result->receipt->index, 0);
  ASSERT_TRUE(ob.refusal.has_value());
  EXPECT_EQ(ob.refusal->index, 1);
  EXPECT_EQ(Bytes(ob.refusal->leaf_hash), entries[1].leaf_hash);
  EXPECT_EQ(oc.result->receipt->index, 2);
  ExpectLogVerifies();
}

TEST_F(WriterTest, RefusalEventsAreNotRecordedWhenTheUnitSucceeds) {
  auto r = writer_->Run([](Tx& tx) -> Result<json> {
    tx.RecordOnFailure(Ev("never"));
    QZ_TRY(tx.Append(Ev("done")));
    return json::object();
  });
  ASSERT_TRUE(r.ok());
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].type, "done");
}

TEST_F(WriterTest, ReceiptsCarryConsecutiveIndexesAndTheStoredLeafHash) {
  for (int i = 0; i < 10; ++i) {
    auto r = writer_->Run(PutAndAppend("k" + std::to_string(i)));
    ASSERT_TRUE(r.ok()) << r.error().Describe();
    ASSERT_TRUE(r->receipt.has_value());
    EXPECT_EQ(r->receipt->index, i);
    EXPECT_EQ(r->value["key"], "k" + std::to_string(i));
  }
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 10u);
  for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].idx, static_cast<std::int64_t>(i));
  ExpectLogVerifies();
}

TEST_F(WriterTest, AfterAFailedUnitTheNextIndexFollowsWithoutAGap) {
  Hold();
  auto a = Submit(PutAndAppend("a"));
  auto b = Submit([](Tx& tx) -> Result<json> {
    QZ_TRY(tx.Append(Ev("b1")));
    QZ_TRY(tx.Append(Ev("b2")));
    return MakeError(ErrorCode::kConflict, "冲突", "conflict");
  });
  auto c = Submit(PutAndAppend("c"));
  Release();
  EXPECT_EQ(a.get().result->receipt->index, 0);
  Outcome ob = b.get();
  EXPECT_FALSE(ob.result.ok());
  EXPECT_FALSE(ob.refusal.has_value());
  EXPECT_EQ(c.get().result->receipt->index, 1);

  // And in the next transaction too.
  auto failed = writer_->Run([](Tx& tx) -> Result<json> {
    QZ_TRY(tx.Append(Ev("x")));
    return MakeError(ErrorCode::kConflict, "冲突", "conflict");
  });
  EXPECT_FALSE(failed.ok());
  auto next = writer_->Run(PutAndAppend("d"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->receipt->index, 2);
  EXPECT_EQ(Entries().size(), 3u);
  ExpectLogVerifies();
}

TEST_F(WriterTest, AFailedAttemptIsUndoneAndTheUnitGoesOn) {
  ASSERT_TRUE(writer_->Run(PutAndAppend("taken")).ok());
  auto r = writer_->Run([](Tx& tx) -> Result<json> {
    QZ_TRY(tx.Append(Ev("before")));
    Status tried = tx.Attempt([&]() -> Status {
      QZ_TRY(store::PutSetting(tx.conn(), "inside", "1"));
      QZ_TRY(tx.Append(Ev("inside")));
      return MakeError(ErrorCode::kConflict, "冲突", "conflict");
    });
    EXPECT_FALSE(tried.ok());
    EXPECT_EQ(tx.last_receipt()->index, 1);  // the receipt of "before", not of "inside"
    QZ_TRY(tx.Attempt([&]() -> Status {
      QZ_TRY(tx.Append(Ev("kept")));
      return Ok();
    }));
    return json{};
  });
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r->receipt->index, 2);
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 3u);
  Status read = db_->WithReader([](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto inside, store::GetSetting(c, "inside"));
    EXPECT_FALSE(inside.has_value());
    return Ok();
  });
  EXPECT_TRUE(read.ok());
  ExpectLogVerifies();
}

TEST_F(WriterTest, ABulkUnitWritesTheSameVerifiableLogAndAFailedOneLeavesNothing) {
  ASSERT_TRUE(writer_->Run(PutAndAppend("before")).ok());
  auto bulk = writer_->Run([](Tx& tx) -> Result<json> {
    tx.journal().BeginBulk();
    for (int i = 0; i < 1200; ++i) QZ_TRY(tx.Append(Ev("bulk" + std::to_string(i))));
    return json{};
  });
  ASSERT_TRUE(bulk.ok()) << bulk.error().Describe();
  EXPECT_EQ(bulk->receipt->index, 1200);
  // A bulk unit that fails after appending leaves no entry behind, and the next unit
  // (not in bulk mode) continues the log without a gap.
  auto failed = writer_->Run([](Tx& tx) -> Result<json> {
    tx.journal().BeginBulk();
    for (int i = 0; i < 700; ++i) QZ_TRY(tx.Append(Ev("lost")));
    return MakeError(ErrorCode::kConflict, "冲突", "conflict");
  });
  EXPECT_FALSE(failed.ok());
  auto after = writer_->Run(PutAndAppend("after"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->receipt->index, 1201);
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 1202u);
  for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].idx, static_cast<std::int64_t>(i));
  ExpectLogVerifies();
}

TEST_F(WriterTest, AThrowingUnitFailsAsAnInternalErrorWithoutHarmingTheOthers) {
  Hold();
  auto a = Submit(PutAndAppend("a"));
  auto b = Submit([](Tx& tx) -> Result<json> {
    (void)tx.Append(Ev("b"));
    throw std::runtime_error("boom");
  });
  auto c = Submit(PutAndAppend("c"));
  Release();
  EXPECT_TRUE(a.get().result.ok());
  Outcome ob = b.get();
  ASSERT_FALSE(ob.result.ok());
  EXPECT_EQ(ob.result.error().code, ErrorCode::kInternal);
  EXPECT_NE(ob.result.error().message_en.find("boom"), std::string::npos);
  EXPECT_EQ(c.get().result->receipt->index, 1);
  ExpectLogVerifies();
}

TEST_F(WriterTest, ManyConcurrentSubmittersAreGroupCommitted) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::vector<std::int64_t>> indexes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &indexes] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = writer_->Run(PutAndAppend("t" + std::to_string(t) + "." + std::to_string(i)));
        if (r.ok() && r->receipt) indexes[t].push_back(r->receipt->index);
      }
    });
  }
  for (auto& th : threads) th.join();

  std::set<std::int64_t> all;
  for (const auto& v : indexes) {
    EXPECT_EQ(v.size(), static_cast<std::size_t>(kPerThread));
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));  // each caller's receipts in order
    all.insert(v.begin(), v.end());
  }
  // Every receipt distinct, together exactly 0 … N-1.
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(*all.begin(), 0);
  EXPECT_EQ(*all.rbegin(), kThreads * kPerThread - 1);
  EXPECT_EQ(writer_->units(), kThreads * kPerThread);
  EXPECT_LT(writer_->commits(), writer_->units());
  ExpectLogVerifies();
}

TEST_F(WriterTest, StopFinishesQueuedUnitsThenRefusesNewOnes) {
  Hold();
  auto a = Submit(PutAndAppend("a"));
  auto b = Submit(PutAndAppend("b"));
  std::thread stopper([this] { writer_->Stop(); });
  // Give Stop() time to mark the writer as stopping while units are queued.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Release();
  stopper.join();
  EXPECT_TRUE(a.get().result.ok());
  EXPECT_TRUE(b.get().result.ok());

  auto late = writer_->Run(PutAndAppend("late"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(Setting("late"), std::nullopt);
}

TEST_F(WriterTest, PersonalValuesEnterTheLogOnlyAsCommitments) {
  auto r = writer_->Run([](Tx& tx) -> Result<json> {
    QZ_ASSIGN_OR_RETURN(std::string c, tx.Commit("applicant_name", "张三丰"));
    Event e = Ev("case.accepted");
    e.data = {{"applicant", c}};
    QZ_TRY(tx.Append(e));
    return json{{"commitment", c}};
  });
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  std::string commitment = r->value["commitment"];
  EXPECT_EQ(commitment.rfind("hmac-sha256:", 0), 0u);
  EXPECT_EQ(commitment, journal_->Commitment("applicant_name", "张三丰"));
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].entry.find("张三丰"), std::string::npos);
  EXPECT_NE(entries[0].entry.find(commitment), std::string::npos);
  // The clear value lives in the erasable table.
  std::optional<std::string> clear;
  ASSERT_TRUE(db_->WithReader([&](store::Connection& c) -> Status {
                   QZ_ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT value FROM personal_data WHERE commitment = ?",
                                                            {commitment}));
                   if (row) clear = row->Text(0);
                   return Ok();
                 }).ok());
  EXPECT_EQ(clear, "张三丰");
}

}  // namespace
}  // namespace quanze::app
