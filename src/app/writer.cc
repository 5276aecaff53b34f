#include "app/writer.h"

#include <future>

namespace quanze::app {

Result<Receipt> Tx::Append(const Event& event) {
  auto r = journal_.Append(conn_, event, now_);
  if (r.ok()) last_receipt_ = *r;
  return r;
}

Result<std::string> Tx::Commit(const std::string& kind, const std::string& value) {
  return journal_.Commit(conn_, kind, value, now_);
}

Status Tx::Attempt(const std::function<Status()>& fn) {
  std::string name = "attempt" + std::to_string(attempts_);
  QZ_TRY(conn_.Savepoint(name));
  ++attempts_;
  std::int64_t mark = journal_.Mark();
  std::optional<Receipt> receipt = last_receipt_;
  Status s = fn();
  --attempts_;
  if (s.ok()) {
    Status released = conn_.ReleaseSavepoint(name);
    if (released.ok()) return s;
    s = released;
  }
  QZ_TRY(conn_.RollbackToSavepoint(name));
  journal_.Reset(mark);
  last_receipt_ = receipt;
  return s;
}

Writer::Writer(store::Database& db, Journal& journal, const Clock& clock, Options options)
    : db_(db), journal_(journal), clock_(clock), options_(options) {
  thread_ = std::thread([this] { Loop(); });
}

Writer::~Writer() { Stop(); }

void Writer::Submit(Work work, Done done) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      done(MakeError(ErrorCode::kUnavailable, "服务正在停止", "the server is shutting down"),
           std::nullopt);
      return;
    }
    queue_.push_back({std::move(work), std::move(done)});
  }
  cv_.notify_one();
}

Result<Committed> Writer::Run(Work work) {
  std::promise<Result<Committed>> promise;
  auto future = promise.get_future();
  Submit(std::move(work), [&promise](Result<Committed> r, std::optional<Receipt>) {
    promise.set_value(std::move(r));
  });
  return future.get();
}

void Writer::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t Writer::commits() const {
  std::lock_guard lock(mu_);
  return commits_;
}

std::int64_t Writer::units() const {
  std::lock_guard lock(mu_);
  return units_;
}

void Writer::Loop() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(batch);
  }
}

// Runs the unit's after-refusal work, each in its own savepoint: a failure
// undoes only that piece; the refusal events stay recorded.
void Writer::RunAfterRefusal(store::Connection& conn, Tx& failed, Tx& refusal) {
  if (!refusal.last_receipt()) return;
  const Receipt receipt = *refusal.last_receipt();
  for (auto& fn : failed.after_refusal()) {
    if (!conn.Savepoint("after_refusal").ok()) return;
    std::int64_t mark = journal_.Mark();
    Status s = [&]() -> Status {
      try {
        return fn(refusal, receipt);
      } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal, std::string("内部错误：") + e.what(),
                         std::string("internal error: ") + e.what());
      }
    }();
    if (s.ok() && conn.ReleaseSavepoint("after_refusal").ok()) continue;
    (void)conn.RollbackToSavepoint("after_refusal");
    journal_.Reset(mark);
  }
}

void Writer::RunBatch(std::vector<Pending>& batch) {
  store::Connection& conn = db_.Writer();
  Instant now = clock_.Now();
  struct Outcome {
    std::optional<Result<Committed>> result;
    std::optional<Receipt> refusal_receipt;
    std::vector<std::function<void()>> on_commit;
  };
  std::vector<Outcome> outcomes(batch.size());

  Status begun = conn.Begin();
  if (begun.ok()) begun = journal_.BeginTransaction(conn);
  if (!begun.ok()) {
    (void)conn.Rollback();
    for (auto& p : batch) p.done(begun.error(), std::nullopt);
    return;
  }

  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::int64_t mark = journal_.Mark();
    Status sp = conn.Savepoint("unit");
    if (!sp.ok()) {
      outcomes[i].result = sp.take_error();
      continue;
    }
    Tx tx(conn, journal_, now);
    Result<nlohmann::json> r = [&]() -> Result<nlohmann::json> {
      try {
        return batch[i].work(tx);
      } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal, std::string("内部错误：") + e.what(),
                         std::string("internal error: ") + e.what());
      }
    }();
    if (r.ok()) {
      Status flushed = journal_.FlushBulk(conn);  // entries a bulk unit kept in memory
      if (!flushed.ok()) r = flushed.take_error();
    }
    if (r.ok()) {
      Status rel = conn.ReleaseSavepoint("unit");
      if (rel.ok()) {
        outcomes[i].result = Committed{std::move(r).value(), tx.last_receipt()};
        outcomes[i].on_commit = std::move(tx.on_commit());
        continue;
      }
      r = rel.take_error();
    }
    // The unit failed: undo its changes, then record its refusal events.
    (void)conn.RollbackToSavepoint("unit");
    journal_.Reset(mark);
    journal_.EndBulk();
    if (!tx.on_failure().empty() && conn.Savepoint("refusal").ok()) {
      std::int64_t mark2 = journal_.Mark();
      Tx refusal(conn, journal_, now);
      bool ok = true;
      for (const Event& e : tx.on_failure()) ok = ok && refusal.Append(e).ok();
      if (ok && conn.ReleaseSavepoint("refusal").ok()) {
        outcomes[i].refusal_receipt = refusal.last_receipt();
        RunAfterRefusal(conn, tx, refusal);
        outcomes[i].on_commit = std::move(refusal.on_commit());
      } else {
        (void)conn.RollbackToSavepoint("refusal");
        journal_.Reset(mark2);
      }
    }
    outcomes[i].result = std::move(r).take_error();
  }

  Status committed = conn.Commit();
  if (!committed.ok()) {
    (void)conn.Rollback();
    for (auto& p : batch) p.done(committed.error(), std::nullopt);
    return;
  }
  committed_log_size_.store(journal_.size());
  {
    std::lock_guard lock(mu_);
    commits_ += 1;
    units_ += static_cast<std::int64_t>(batch.size());
  }
  for (auto& o : outcomes) {
    for (auto& fn : o.on_commit) fn();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].done(std::move(*outcomes[i].result), outcomes[i].refusal_receipt);
  }
}

}  // namespace quanze::app
