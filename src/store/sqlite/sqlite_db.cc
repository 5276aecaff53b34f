#include "store/sqlite/sqlite_db.h"

#include <functional>

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "store/migrations.h"

namespace quanze::store {
namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  ErrorCode code = ErrorCode::kInternal;
  if (primary == SQLITE_CONSTRAINT) code = ErrorCode::kConflict;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = ErrorCode::kUnavailable;
  std::string detail = std::string(what) + ": " + msg;
  return MakeError(code, "数据库错误：" + detail, "database error: " + detail);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override {
    auto stmt = Prepare(sql, params);
    if (!stmt.ok()) return stmt.take_error();
    sqlite3_stmt* s = *stmt;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "exec");
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  // Steps through the rows, handing each to sink (Status(Row&&)).
  Status EachRow(std::string_view sql, const Params& params,
                 const std::function<Status(Row&&)>& sink) override {
    auto stmt = Prepare(sql, params);
    if (!stmt.ok()) return stmt.take_error();
    sqlite3_stmt* s = *stmt;
    int rc;
    int ncol = sqlite3_column_count(s);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(ncol);
      for (int i = 0; i < ncol; ++i) {
        switch (sqlite3_column_type(s, i)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(s, i)));
            break;
          case SQLITE_TEXT:
            values.emplace_back(std::string(
                reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                static_cast<std::size_t>(sqlite3_column_bytes(s, i))));
            break;
          case SQLITE_BLOB: {
            const void* p = sqlite3_column_blob(s, i);
            int n = sqlite3_column_bytes(s, i);
            values.emplace_back(Blob{std::string(static_cast<const char*>(p), n)});
            break;
          }
          case SQLITE_FLOAT:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_double(s, i)));
            break;
          default:
            values.emplace_back(nullptr);
        }
      }
      Status handled = sink(Row(std::move(values)));
      if (!handled.ok()) {
        sqlite3_reset(s);
        return handled;
      }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "query");
    return Ok();
  }

  Status ExecScript(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      return MakeError(ErrorCode::kInternal, "数据库脚本失败：" + msg, "database script failed: " + msg);
    }
    return Ok();
  }

  Status Begin() override { return Simple("BEGIN IMMEDIATE"); }
  Status BeginRead() { return Simple("BEGIN DEFERRED"); }
  Status Commit() override { return Simple("COMMIT"); }
  Status Rollback() override { return Simple("ROLLBACK"); }
  Status Savepoint(std::string_view name) override {
    return Simple("SAVEPOINT " + std::string(name));
  }
  Status ReleaseSavepoint(std::string_view name) override {
    return Simple("RELEASE SAVEPOINT " + std::string(name));
  }
  Status RollbackToSavepoint(std::string_view name) override {
    QZ_TRY(Simple("ROLLBACK TO SAVEPOINT " + std::string(name)));
    return Simple("RELEASE SAVEPOINT " + std::string(name));
  }
  std::string_view Dialect() const override { return "sqlite"; }

  sqlite3* handle() { return db_; }

 private:
  Status Simple(const std::string& sql) {
    auto r = Exec(sql, {});
    if (!r.ok()) return r.take_error();
    return Ok();
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql, const Params& params) {
    sqlite3_stmt* s = nullptr;
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      s = it->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &s, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
      cache_.emplace(std::string(sql), s);
    }
    sqlite3_clear_bindings(s);
    int expected = sqlite3_bind_parameter_count(s);
    if (expected != static_cast<int>(params.size())) {
      return MakeError(ErrorCode::kInternal, "SQL 参数个数不符", "SQL parameter count mismatch: " + std::string(sql));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(s, idx);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(s, idx, *n);
      } else if (const auto* t = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(s, idx, t->data(), t->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else if (const auto* b = std::get_if<Blob>(&v)) {
        rc = sqlite3_bind_blob64(s, idx, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return s;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<std::unique_ptr<SqliteConnection>> OpenConnection(const SqliteOptions& o, bool writer) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (writer) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(o.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, "open " + o.path);
    sqlite3_close_v2(db);
    return e;
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, o.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  QZ_TRY(conn->ExecScript(
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;"));
  return conn;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(SqliteOptions o, std::unique_ptr<SqliteConnection> writer)
      : options_(std::move(o)), writer_(std::move(writer)) {}
  ~SqliteDatabase() override { Close(); }

  Connection& Writer() override { return *writer_; }

  Status WithReader(const std::function<Status(Connection&)>& fn) override {
    std::unique_ptr<SqliteConnection> conn;
    {
      std::unique_lock lock(mu_);
      if (closed_) {
        return MakeError(ErrorCode::kUnavailable, "数据库已关闭", "database is closed");
      }
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!conn) {
      auto opened = OpenConnection(options_, /*writer=*/false);
      if (!opened.ok()) return opened.take_error();
      conn = std::move(opened).value();
    }
    // A read transaction gives fn one consistent snapshot of the WAL.
    Status status = conn->BeginRead();
    if (status.ok()) {
      status = fn(*conn);
      Status end = conn->Commit();
      if (status.ok() && !end.ok()) status = end;
    }
    std::unique_lock lock(mu_);
    if (!closed_ && static_cast<int>(idle_.size()) < options_.readers) {
      idle_.push_back(std::move(conn));
    }
    return status;
  }

  std::string_view Kind() const override { return "sqlite"; }

  void Close() override {
    std::unique_lock lock(mu_);
    if (closed_) return;
    closed_ = true;
    idle_.clear();
    if (writer_) {
      (void)writer_->ExecScript("PRAGMA wal_checkpoint(TRUNCATE);");
      writer_.reset();
    }
  }

 private:
  SqliteOptions options_;
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
  bool closed_ = false;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options) {
  auto writer = OpenConnection(options, /*writer=*/true);
  if (!writer.ok()) return writer.take_error();
  QZ_TRY(RunMigrations(**writer));
  return std::unique_ptr<Database>(
      std::make_unique<SqliteDatabase>(options, std::move(writer).value()));
}

}  // namespace quanze::store
