// PostgreSQL backend over libpqxx 6.4: one writer connection and a small
// pool of reader connections to a postgresql:// URL (libpq connection URI).
// Statements are written with `?` placeholders (store/db.h) and rewritten to
// $1..$n (bytea parameters numbered after the others); each is prepared once
// per connection and cached by its SQL text and the kinds of its parameters.
// BLOB values travel as binary bytea. libpqxx's exceptions are caught inside
// the adapter: every failure comes back as a Result (store/db.h).
//
// Several quanze processes may share one database: the writer's Begin() takes
// a transaction-scoped advisory lock (kLedgerLockKey) after BEGIN, so write
// transactions - and with them ledger sequencing - are serialised across
// processes; the Journal reads the log size inside that lock. Readers run in
// READ ONLY REPEATABLE READ transactions: one snapshot per WithReader call.
//
// A failed statement aborts the PostgreSQL transaction until it is rolled
// back to a savepoint; SQLite fails only the statement. The store contract
// (store/db.h) is the stricter one: after a failed statement a transaction is
// only rolled back (to a savepoint) or ended, on both backends. app::Writer
// gives each unit of work a savepoint, and app::Tx::Attempt one for work that
// may fail and be carried on from. There is no savepoint per statement: each
// is a subtransaction, and more than 64 in one transaction slow down every
// other session's visibility checks (subxid cache overflow).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/db.h"

namespace quanze::store {

// The advisory lock key that serialises writers ("quanze" in ASCII).
inline constexpr std::int64_t kLedgerLockKey = 0x7175616e7a65;

struct PostgresOptions {
  std::string url;  // postgresql://... as libpq understands it
  int readers = 4;
};

// Connects, runs pending migrations and returns the database. kUnavailable
// when the server cannot be reached, kInternal for other failures.
Result<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options);

// True when the database at `url` can be reached and holds a quanze schema
// (schema_migrations exists and is non-empty).
bool PostgresDatabaseExists(const std::string& url);

// Runs a parameterless script on a plain connection to `url`, outside any
// transaction and without migrations: for tools and tests (CREATE DATABASE).
Status ExecPostgresAdmin(const std::string& url, std::string_view sql);

// For `quanze demo`: creates the database `url` names when the server has
// no such database (connecting to the "postgres" database of the same
// server; C collation, UTF-8). Does nothing when it exists.
Status CreatePostgresDatabaseIfMissing(const std::string& url);
// For `quanze demo --force`: drops and recreates the public schema of the
// database `url` names - every table in it, quanze's or not.
Status ClearPostgresDatabase(const std::string& url);

// `url` with its database name replaced by `database`.
std::string PostgresUrlWithDatabase(const std::string& url, const std::string& database);

// Rewrites `?` placeholders to $1..$n, leaving quoted literals, quoted
// identifiers and comments alone. Exposed for tests; statements follow the
// same rules, with bytea parameters numbered after the others.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace quanze::store
