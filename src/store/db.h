// The persistence seam. Every backend (store/sqlite, store/postgres) offers a
// Database that hands out Connections; repositories in store/ speak portable
// SQL with `?` placeholders through this interface, so one set of queries and
// one conformance suite serve both backends.
//
// Contract: only app/ opens transactions (Begin/Commit/Rollback and
// savepoints). Every statement is prepared; values are always bound, never
// spliced into SQL text. Library exceptions never cross this interface: a
// failure comes back as a Result with ErrorCode kInternal (I/O, corruption),
// kConflict (constraint violation) or kUnavailable (busy beyond timeout).
// After a failed statement the transaction may only be rolled back, to a
// savepoint or entirely (PostgreSQL aborts it; SQLite would let it go on, but
// code that relied on that would break on PostgreSQL).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace quanze::store {

// A byte string stored as BLOB (SQLite) / BYTEA (PostgreSQL).
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

using Value = std::variant<std::nullptr_t, std::int64_t, std::string, Blob>;

// One result row; column access by position. Accessors are lenient about
// NULL (0 / empty) and strict about nothing else: the queries are ours.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t i) const;
  std::int64_t Int(std::size_t i) const;
  std::string Text(std::size_t i) const;  // TEXT or BLOB bytes
  std::optional<std::string> OptText(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  const Value& operator[](std::size_t i) const { return values_[i]; }

 private:
  std::vector<Value> values_;
};

using Params = std::vector<Value>;

// A database connection. Not thread-safe: one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;

  // Runs a statement that returns no rows; returns the number of rows changed.
  virtual Result<std::int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs a query and returns all its rows.
  Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {});
  // Runs a query and hands its rows to fn one at a time, without keeping them
  // all (for large reads); stops at the first failure fn returns.
  Status QueryEach(std::string_view sql, const Params& params,
                   const std::function<Status(const Row&)>& fn);
  // Runs a query expected to return at most one row.
  Result<std::optional<Row>> QueryOne(std::string_view sql, const Params& params = {});
  // Runs a multi-statement script with no parameters (migrations only).
  virtual Status ExecScript(std::string_view sql) = 0;

  virtual Status Begin() = 0;  // write transaction (SQLite: BEGIN IMMEDIATE)
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual Status Savepoint(std::string_view name) = 0;
  virtual Status ReleaseSavepoint(std::string_view name) = 0;
  virtual Status RollbackToSavepoint(std::string_view name) = 0;

  virtual std::string_view Dialect() const = 0;  // "sqlite" or "postgres"

 protected:
  // What each backend implements for Query and QueryEach: runs the query and
  // hands each row to sink, stopping at the first failure it returns.
  virtual Status EachRow(std::string_view sql, const Params& params,
                         const std::function<Status(Row&&)>& sink) = 0;
};

// A database: one writer connection (serialised by the caller, app::Writer)
// and a pool of reader connections usable from any thread.
class Database {
 public:
  virtual ~Database() = default;

  // The single writer connection. Only app::Writer's thread may use it.
  virtual Connection& Writer() = 0;
  // Borrows a reader connection for the duration of fn; thread-safe.
  virtual Status WithReader(const std::function<Status(Connection&)>& fn) = 0;
  virtual std::string_view Kind() const = 0;  // "sqlite" / "postgresql"
  // Closes every connection (checkpointing the WAL for SQLite).
  virtual void Close() = 0;
};

// Inserts many rows with multi-row INSERT statements (bound values, at most
// 500 rows per statement): `head` is "INSERT INTO t (a, b, c)" written by
// our code, each row holds one value per column. For generators and imports
// whose row-at-a-time cost would be a round trip each on PostgreSQL.
Status InsertMany(Connection& c, std::string_view head, std::size_t columns,
                  const std::vector<Params>& rows);

// Opens (creating if needed) the database named by `url`: a file path for
// SQLite, or a postgresql:// URL. Runs pending migrations.
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url);

// True when `url` names an existing, non-empty database.
bool DatabaseExists(const std::string& url);

}  // namespace quanze::store
