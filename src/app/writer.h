// Writer: the single writing thread, with group commit.
//
// Every state-changing use case is a unit of work submitted here. The
// writer takes whatever units are waiting (up to a batch limit), opens ONE
// transaction, runs each unit inside its own savepoint — the unit's state
// changes and its journal entries together — and commits once. A unit that
// fails is rolled back to its savepoint alone (its "on failure" events, e.g.
// a denied attempt, are then recorded); the others are unaffected. Only after
// the commit is durable are the callers told: an acknowledged receipt
// survives a crash.
//
// This is the only place (with app/ use cases it runs) that opens
// transactions. Thread safety: Submit/Run may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/journal.h"
#include "common/clock.h"
#include "common/result.h"
#include "store/db.h"

namespace quanze::app {

// The view a unit of work has of its transaction.
class Tx {
 public:
  Tx(store::Connection& conn, Journal& journal, Instant now)
      : conn_(conn), journal_(journal), now_(now) {}

  store::Connection& conn() { return conn_; }
  Instant now() const { return now_; }
  std::int64_t now_seconds() const { return UnixSeconds(now_); }

  // Records an event in this transaction; the last receipt is returned to
  // the caller with the unit's result.
  Result<Receipt> Append(const Event& event);
  // Keyed commitment for a personal value (see Journal::Commit).
  Result<std::string> Commit(const std::string& kind, const std::string& value);
  std::string Commitment(const std::string& kind, const std::string& value) const {
    return journal_.Commitment(kind, value);
  }
  // Runs after the unit's transaction has committed (e.g. cache invalidation).
  void OnCommit(std::function<void()> fn) { on_commit_.push_back(std::move(fn)); }
  std::vector<std::function<void()>>& on_commit() { return on_commit_; }

  // An event to record if this unit fails (a denied or refused attempt).
  void RecordOnFailure(Event event) { on_failure_.push_back(std::move(event)); }
  // Work to do after the refusal events of a failed unit are recorded, in
  // the same savepoint, given the receipt of the last of them: e.g. opening
  // an accountability record whose evidence is the refusal. If it fails, the
  // refusal events are still recorded without it.
  using AfterRefusal = std::function<Status(Tx&, const Receipt&)>;
  void OnRefusal(AfterRefusal fn) { after_refusal_.push_back(std::move(fn)); }
  std::vector<AfterRefusal>& after_refusal() { return after_refusal_; }

  // Runs fn in a savepoint of its own: when it fails, its changes and log
  // entries are undone and the unit goes on (its error is returned). The
  // only way to carry on after a failed statement (store/db.h).
  Status Attempt(const std::function<Status()>& fn);

  const std::optional<Receipt>& last_receipt() const { return last_receipt_; }
  std::vector<Event>& on_failure() { return on_failure_; }
  Journal& journal() { return journal_; }

 private:
  store::Connection& conn_;
  Journal& journal_;
  Instant now_;
  int attempts_ = 0;  // nesting depth of Attempt, for unique savepoint names
  std::optional<Receipt> last_receipt_;
  std::vector<Event> on_failure_;
  std::vector<AfterRefusal> after_refusal_;
  std::vector<std::function<void()>> on_commit_;
};

// What a committed unit hands back.
struct Committed {
  nlohmann::json value;
  std::optional<Receipt> receipt;
};

// A failed unit: the error, and the receipt of its recorded refusal if any.
struct Refused {
  Error error;
  std::optional<Receipt> receipt;
};

class Writer {
 public:
  using Work = std::function<Result<nlohmann::json>(Tx&)>;
  using Done = std::function<void(Result<Committed>, std::optional<Receipt> refusal_receipt)>;

  struct Options {
    int max_batch = 512;
  };

  Writer(store::Database& db, Journal& journal, const Clock& clock, Options options);
  Writer(store::Database& db, Journal& journal, const Clock& clock)
      : Writer(db, journal, clock, Options()) {}
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues a unit; `done` is called on the writer thread after commit.
  void Submit(Work work, Done done);
  // Runs a unit and waits for its durable result.
  Result<Committed> Run(Work work);
  // Finishes queued units, then stops the thread. Idempotent.
  void Stop();

  // The log size after the last commit of this process (-1 before the first
  // commit). Cheap; for health checks, not for proofs.
  std::int64_t committed_log_size() const { return committed_log_size_.load(); }

  // Number of commits and units so far (for benchmarks and tests).
  std::int64_t commits() const;
  std::int64_t units() const;

 private:
  struct Pending {
    Work work;
    Done done;
  };
  void Loop();
  void RunBatch(std::vector<Pending>& batch);
  void RunAfterRefusal(store::Connection& conn, Tx& failed, Tx& refusal);

  store::Database& db_;
  Journal& journal_;
  const Clock& clock_;
  Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::int64_t commits_ = 0;
  std::int64_t units_ = 0;
  std::atomic<std::int64_t> committed_log_size_{-1};
  std::thread thread_;
};

}  // namespace quanze::app
