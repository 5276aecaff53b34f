// PostgreSQL adapter over libpqxx 6.4 (STACK.md). See postgres_db.h for the
// contract.
//
// The store interface owns the transaction boundaries: app/ issues Begin,
// Commit and savepoints, so libpqxx's RAII transaction classes cannot own
// them. Each connection keeps one pqxx::nontransaction for its whole life
// and runs every statement through it as written - BEGIN, SAVEPOINT and
// COMMIT included. The adapter knows whether a transaction is open because
// it issues those statements itself.
//
// Statements are defined with connection_base::prepare, prepared on the
// server with prepare_now and run with exec_prepared. libpqxx 6.4 takes a
// run-time list of parameters only as prepare::make_dynamic_params over one
// element type, so the values go in as two lists: text (integers as
// decimal, NULL as a null pointer) and then binary bytea (binarystring). The
// `?` placeholders are numbered to match: text parameters $1..$k in order,
// bytea $k+1..$n. prepare() declares no parameter types, so bytea - and the
// retry's explicit types - are written as casts on the placeholder, which
// types a parameter exactly as a declared type would.
//
// libpqxx reports failures by throwing; no exception leaves this file, each
// becomes a Result. libpqxx 6.4 also reconnects a closed connection by
// itself before the next statement; the adapter never lets it, since that
// would carry the rest of a transaction on in a new session: a statement on
// a broken connection fails (kUnavailable) without reaching libpqxx, and
// Begin() / BeginRead() replace the connection between transactions.
//
// One libpq call is kept: PQconninfoParse (with PQconninfoFree/PQfreemem),
// which reads the settings a URL holds without connecting. libpqxx only
// hands a connection string to libpq and cannot parse one; the adapter
// needs that to put its own settings under the URL's (ConnInfo) and to name
// the database a failed connection was for (DatabaseName).
#include "store/postgres/postgres_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <exception>
#include <functional>
#include <mutex>
#include <pqxx/binarystring>
#include <pqxx/connection>
#include <pqxx/errorhandler>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/migrations.h"

namespace quanze::store {
namespace {

// Type OIDs from pg_type.h (stable across releases).
constexpr pqxx::oid kBoolOid = 16;
constexpr pqxx::oid kByteaOid = 17;
constexpr pqxx::oid kInt8Oid = 20;
constexpr pqxx::oid kInt2Oid = 21;
constexpr pqxx::oid kInt4Oid = 23;
constexpr pqxx::oid kOidOid = 26;
constexpr pqxx::oid kFloat4Oid = 700;
constexpr pqxx::oid kFloat8Oid = 701;
constexpr pqxx::oid kNumericOid = 1700;

Error PgError(ErrorCode code, const std::string& detail) {
  return MakeError(code, "数据库错误：" + detail, "database error: " + detail);
}

std::string Trimmed(std::string msg) {
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

// What a libpqxx exception says. libpqxx 6.4 keeps the SQLSTATE on sql_error
// only; for the classes it throws instead of sql_error the state is implied
// by the class (class 08 and a lost connection: broken_connection).
struct Failure {
  std::string message;
  std::string sqlstate;
  bool connection = false;  // the connection is gone
};

Failure Describe(const std::exception_ptr& e) {
  Failure f;
  try {
    std::rethrow_exception(e);
  } catch (const pqxx::sql_error& x) {
    f.message = x.what();
    f.sqlstate = x.sqlstate();
  } catch (const pqxx::serialization_failure& x) {
    f.message = x.what();
    f.sqlstate = "40001";
  } catch (const pqxx::deadlock_detected& x) {
    f.message = x.what();
    f.sqlstate = "40P01";
  } catch (const pqxx::statement_completion_unknown& x) {
    f.message = x.what();
    f.sqlstate = "40003";
  } catch (const pqxx::transaction_rollback& x) {
    f.message = x.what();
    f.sqlstate = "40000";
  } catch (const pqxx::broken_connection& x) {
    f.message = x.what();
    f.connection = true;
  } catch (const std::exception& x) {
    f.message = x.what();
  } catch (...) {
    f.message = "unknown error";
  }
  f.message = Trimmed(std::move(f.message));
  return f;
}

Error FailureError(const Failure& f, std::string_view what) {
  const std::string& s = f.sqlstate;
  ErrorCode code = ErrorCode::kInternal;
  if (s.rfind("23", 0) == 0) code = ErrorCode::kConflict;  // integrity constraint
  if (s == "40001" || s == "40P01" || s == "55P03" || s == "57014" || s.rfind("08", 0) == 0 ||
      s == "57P01" || f.connection) {
    code = ErrorCode::kUnavailable;  // serialization, deadlock, lock/statement timeout, connection
  }
  return PgError(code, std::string(what) + ": " + f.message + (s.empty() ? "" : " [" + s + "]"));
}

Status StatusOf(Result<pqxx::result> r) {
  if (!r.ok()) return r.take_error();
  return Ok();
}

Value DecodeField(const pqxx::field& f, pqxx::oid type) {
  if (f.is_null()) return nullptr;
  const char* text = f.c_str();
  switch (type) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid:
    case kOidOid:
      return static_cast<std::int64_t>(std::strtoll(text, nullptr, 10));
    case kNumericOid:
    case kFloat4Oid:
    case kFloat8Oid:
      // As the SQLite adapter: numbers the queries produce are integral.
      return static_cast<std::int64_t>(std::strtod(text, nullptr));
    case kBoolOid:
      return std::int64_t{text[0] == 't' ? 1 : 0};
    case kByteaOid:
      return Blob{pqxx::binarystring(f).str()};  // unescapes the text form
    default:
      return std::string(text, f.size());
  }
}

// The settings a connection URL (or key=value string) holds, in order,
// through libpq's own parser - libpqxx has none. Only settings the text
// names are returned, no defaults.
Result<std::vector<std::pair<std::string, std::string>>> ParseConnInfo(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (!options) {
    std::string msg = Trimmed(err ? err : "out of memory");
    if (err) PQfreemem(err);
    return MakeError(ErrorCode::kUnavailable, "无法连接 PostgreSQL：" + msg,
                     "cannot connect to PostgreSQL: " + msg);
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (o->val) out.emplace_back(o->keyword, o->val);
  }
  PQconninfoFree(options);
  return out;
}

// The libpq connection string for `url`: UTF-8 and our application name,
// with the URL's own settings winning over those.
Result<std::string> ConnInfo(const std::string& url) {
  // A writer waiting for another process's write lock gives up after 30 s.
  std::vector<std::pair<std::string, std::string>> settings = {
      {"application_name", "quanze"},
      {"client_encoding", "UTF8"},
      {"options", "-c lock_timeout=30000"}};
  QZ_ASSIGN_OR_RETURN(auto given, ParseConnInfo(url));
  for (auto& [key, value] : given) {
    auto it = std::find_if(settings.begin(), settings.end(),
                           [&](const auto& s) { return s.first == key; });
    if (it != settings.end()) {
      it->second = std::move(value);
    } else {
      settings.emplace_back(key, std::move(value));
    }
  }
  std::string out;
  for (const auto& [key, value] : settings) {
    if (!out.empty()) out += ' ';
    out += key + "='";
    for (char c : value) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    out += '\'';
  }
  return out;
}

// One server session: the connection and the nontransaction every statement
// runs through. Notices (WARNING, NOTICE) are dropped. Members are destroyed
// in reverse order: the nontransaction before the connection.
struct Session {
  explicit Session(const std::string& conninfo) : conn(conninfo), quiet(conn), tx(conn) {}
  pqxx::connection conn;
  pqxx::quiet_errorhandler quiet;
  pqxx::nontransaction tx;
};

Result<std::unique_ptr<Session>> Connect(const std::string& conninfo) {
  std::string msg;
  try {
    return std::make_unique<Session>(conninfo);
  } catch (...) {
    msg = Describe(std::current_exception()).message;
  }
  return MakeError(ErrorCode::kUnavailable, "无法连接 PostgreSQL：" + msg,
                   "cannot connect to PostgreSQL: " + msg);
}

// Replaces each `?` outside quoted literals, quoted identifiers and comments
// with placeholder(i) for the i-th one (from 0); *count is how many there were.
template <typename F>
std::string ReplacePlaceholders(std::string_view sql, F placeholder, std::size_t* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // literal or quoted identifier; '' and "" stay inside
      std::size_t end = sql.find(c, i + 1);
      end = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      std::size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?') {
      out += placeholder(n++);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  if (count) *count = n;
  return out;
}

// The statement text PostgreSQL prepares for `sql` and these parameters:
// text parameters numbered first and bytea last (the order Bound passes
// them in), bytea cast to bytea - the only type given, the rest is left for
// PostgreSQL to infer from context as SQLite would take it - and, with
// `typed`, every other parameter cast to the type of its value (int8, or
// text for text and NULL).
std::string StatementText(std::string_view sql, const Params& params, bool typed,
                          std::size_t* count) {
  std::size_t text_params = 0;
  for (const Value& v : params) text_params += std::holds_alternative<Blob>(v) ? 0 : 1;
  std::vector<std::string> refs(params.size());
  std::size_t next_text = 0;
  std::size_t next_blob = text_params;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (std::holds_alternative<Blob>(v)) {
      refs[i] = "$" + std::to_string(++next_blob) + "::bytea";
    } else {
      refs[i] = "$" + std::to_string(++next_text);
      if (typed) refs[i] += std::holds_alternative<std::int64_t>(v) ? "::int8" : "::text";
    }
  }
  return ReplacePlaceholders(
      sql, [&](std::size_t i) { return i < refs.size() ? refs[i] : "$" + std::to_string(i + 1); },
      count);
}

// Parameters as exec_prepared takes them (see StatementText): integers and
// text as text, NULL as a null pointer, BLOBs as binary bytea (the bytes as
// they are). Text points into `params`.
struct Bound {
  explicit Bound(const Params& params) {
    numbers.reserve(params.size());  // text points into it: no reallocation
    text.reserve(params.size());
    for (const Value& v : params) {
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        numbers.push_back(std::to_string(*n));
        text.push_back(numbers.back().c_str());
      } else if (const auto* t = std::get_if<std::string>(&v)) {
        text.push_back(t->c_str());
      } else if (const auto* b = std::get_if<Blob>(&v)) {
        binary.emplace_back(b->bytes.data(), b->bytes.size());
      } else {
        text.push_back(nullptr);
      }
    }
  }
  std::vector<std::string> numbers;
  std::vector<const char*> text;
  std::vector<pqxx::binarystring> binary;
};

class PgConnection final : public Connection {
 public:
  PgConnection(std::string conninfo, std::unique_ptr<Session> session)
      : conninfo_(std::move(conninfo)), session_(std::move(session)) {}
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override {
    QZ_ASSIGN_OR_RETURN(pqxx::result r, Run(sql, params));
    return static_cast<std::int64_t>(r.affected_rows());
  }


  // The whole result arrives at once (libpq); rows are decoded one at a time
  // and handed to sink (Status(Row&&)).
  Status EachRow(std::string_view sql, const Params& params,
                 const std::function<Status(Row&&)>& sink) override {
    QZ_ASSIGN_OR_RETURN(pqxx::result r, Run(sql, params));
    try {
      const auto ncols = r.columns();
      std::vector<pqxx::oid> types(ncols);
      for (pqxx::row::size_type c = 0; c < ncols; ++c) types[c] = r.column_type(c);
      for (pqxx::result::size_type i = 0; i < r.size(); ++i) {
        const pqxx::row row = r[i];
        std::vector<Value> values;
        values.reserve(ncols);
        for (pqxx::row::size_type c = 0; c < ncols; ++c) {
          values.push_back(DecodeField(row[c], types[c]));
        }
        QZ_TRY(sink(Row(std::move(values))));
      }
      return Ok();
    } catch (...) {
      return FailureError(Describe(std::current_exception()), "result");
    }
  }

  Status ExecScript(std::string_view sql) override {
    return StatusOf(Call("script", [&] { return session_->tx.exec(std::string(sql)); }));
  }

  // The writer's transaction: BEGIN, then the cross-process write lock.
  Status Begin() override {
    QZ_TRY(Reconnect());
    QZ_TRY(Simple("BEGIN"));
    in_transaction_ = true;
    Status locked = Simple("SELECT pg_advisory_xact_lock(" + std::to_string(kLedgerLockKey) + ")");
    if (!locked.ok()) (void)Rollback();
    return locked;
  }
  // A reader's snapshot.
  Status BeginRead() {
    QZ_TRY(Reconnect());
    QZ_TRY(Simple("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    in_transaction_ = true;
    return Ok();
  }
  // COMMIT and ROLLBACK end the transaction even when they fail (a failed
  // COMMIT rolls back), unless the connection is gone - and then a new one
  // replaces it.
  Status Commit() override {
    Status s = Simple("COMMIT");
    in_transaction_ = false;
    return s;
  }
  Status Rollback() override {
    Status s = Simple("ROLLBACK");
    in_transaction_ = false;
    return s;
  }
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
  std::string_view Dialect() const override { return "postgres"; }

  bool Healthy() const { return session_ && session_->conn.is_open(); }
  bool InTransaction() const { return in_transaction_; }

 private:
  // Re-establishes a lost connection between transactions (server restart):
  // a new session, with no prepared statements.
  Status Reconnect() {
    if (Healthy()) return Ok();
    session_.reset();
    statements_.clear();
    in_transaction_ = false;
    QZ_ASSIGN_OR_RETURN(session_, Connect(conninfo_));
    return Ok();
  }

  // Runs fn, a libpqxx call on this connection, turning what it throws into
  // an Error (and its SQLSTATE into *sqlstate). Never calls into libpqxx on
  // a broken connection: libpqxx would reconnect, mid-transaction.
  template <typename F>
  Result<pqxx::result> Call(std::string_view what, F&& fn, std::string* sqlstate = nullptr) {
    if (!Healthy()) {
      return PgError(ErrorCode::kUnavailable, std::string(what) + ": no connection to the server");
    }
    Failure f;
    try {
      return fn();
    } catch (...) {
      f = Describe(std::current_exception());
    }
    if (!Healthy()) {
      // libpqxx's message then is often its own ("not connected"); say what happened.
      f.connection = true;
      if (f.sqlstate.empty()) f.message = "connection to the server lost (" + f.message + ")";
    }
    if (sqlstate) *sqlstate = f.sqlstate;
    return FailureError(f, what);
  }

  Status Simple(const std::string& sql) {
    return StatusOf(Call(sql, [&] { return session_->tx.exec(sql); }));
  }

  // Runs a prepared statement. As in any PostgreSQL transaction, a failed
  // statement leaves the transaction aborted until the caller rolls back to
  // a savepoint (app::Tx::Attempt) or ends it.
  Result<pqxx::result> Run(std::string_view sql, const Params& params) {
    QZ_ASSIGN_OR_RETURN(std::string name, Prepare(sql, params));
    Bound bound(params);
    return Call("statement", [&] {
      return session_->tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(bound.text),
                                        pqxx::prepare::make_dynamic_params(bound.binary));
    });
  }

  // Defines `name` as `text` and prepares it on the server now; on failure
  // forgets the definition again (libpqxx would keep it).
  Status PrepareNow(const std::string& name, const std::string& text, std::string_view what,
                    std::string* sqlstate) {
    auto prepared = Call(
        what,
        [&] {
          session_->conn.prepare(name, text);
          session_->conn.prepare_now(name);
          return pqxx::result();
        },
        sqlstate);
    if (!prepared.ok()) Forget(name);
    return StatusOf(std::move(prepared));
  }

  void Forget(const std::string& name) {
    (void)Call("unprepare", [&] {
      session_->conn.unprepare(name);
      return pqxx::result();
    });
  }

  // The prepared statement for this SQL text and these parameter kinds.
  // Parameters are left untyped for PostgreSQL to infer from context (as
  // SQLite would take them), except bytea; when it cannot infer a type, the
  // statement is prepared again with the types of the values given.
  Result<std::string> Prepare(std::string_view sql, const Params& params) {
    std::string key(sql);
    key += '\0';
    for (const Value& v : params) key += "nitb"[v.index()];
    if (auto it = statements_.find(key); it != statements_.end()) return it->second;
    std::size_t count = 0;
    std::string text = StatementText(sql, params, /*typed=*/false, &count);
    if (count != params.size()) return CountMismatch(sql);
    std::string name = "qz" + std::to_string(++last_statement_);
    // A failed PREPARE would abort the caller's transaction: guard it.
    bool guard = in_transaction_;
    if (guard) QZ_TRY(Simple("SAVEPOINT qz_prepare"));
    std::string what = "prepare " + std::string(sql);
    std::string sqlstate;
    Status prepared = PrepareNow(name, text, what, &sqlstate);
    if (!prepared.ok() && guard) (void)Simple("ROLLBACK TO SAVEPOINT qz_prepare");
    if (!prepared.ok() && sqlstate == "42P18") {  // could not determine a parameter's type
      text = StatementText(sql, params, /*typed=*/true, nullptr);
      prepared = PrepareNow(name, text, what, &sqlstate);
      if (!prepared.ok() && guard) (void)Simple("ROLLBACK TO SAVEPOINT qz_prepare");
    }
    if (guard) (void)Simple("RELEASE SAVEPOINT qz_prepare");
    if (!prepared.ok()) return prepared.take_error();
    // The server's count of the statement's parameters, as a check on ours.
    auto described = Call("describe", [&] {
      return session_->tx.exec_params(
          "SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = $1", name);
    });
    if (!described.ok()) return described.take_error();
    if (described->size() != 1 || (*described)[0][0].as<std::size_t>(0) != params.size()) {
      Forget(name);
      return CountMismatch(sql);
    }
    statements_.emplace(std::move(key), name);
    return name;
  }

  static Error CountMismatch(std::string_view sql) {
    return MakeError(ErrorCode::kInternal, "SQL 参数个数不符",
                     "SQL parameter count mismatch: " + std::string(sql));
  }

  std::string conninfo_;
  std::unique_ptr<Session> session_;  // null after a failed reconnect
  bool in_transaction_ = false;
  std::unordered_map<std::string, std::string> statements_;
  std::uint64_t last_statement_ = 0;  // names are never reused within a connection
};

Result<std::unique_ptr<PgConnection>> OpenConnection(const std::string& url) {
  QZ_ASSIGN_OR_RETURN(std::string conninfo, ConnInfo(url));
  QZ_ASSIGN_OR_RETURN(auto session, Connect(conninfo));
  return std::make_unique<PgConnection>(std::move(conninfo), std::move(session));
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PostgresOptions o, std::unique_ptr<PgConnection> writer)
      : options_(std::move(o)), writer_(std::move(writer)) {}
  ~PostgresDatabase() override { Close(); }

  Connection& Writer() override { return *writer_; }

  Status WithReader(const std::function<Status(Connection&)>& fn) override {
    std::unique_ptr<PgConnection> conn;
    {
      std::unique_lock lock(mu_);
      if (closed_) return MakeError(ErrorCode::kUnavailable, "数据库已关闭", "database is closed");
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!conn) {
      QZ_ASSIGN_OR_RETURN(conn, OpenConnection(options_.url));
    }
    Status status = conn->BeginRead();
    if (status.ok()) {
      status = fn(*conn);
      Status end = status.ok() ? conn->Commit() : conn->Rollback();
      if (status.ok() && !end.ok()) status = end;
    }
    std::unique_lock lock(mu_);
    if (!closed_ && conn->Healthy() && !conn->InTransaction() &&
        static_cast<int>(idle_.size()) < options_.readers) {
      idle_.push_back(std::move(conn));
    }
    return status;
  }

  std::string_view Kind() const override { return "postgresql"; }

  void Close() override {
    std::unique_lock lock(mu_);
    if (closed_) return;
    closed_ = true;
    idle_.clear();
    writer_.reset();
  }

 private:
  PostgresOptions options_;
  std::unique_ptr<PgConnection> writer_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  bool closed_ = false;
};

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  return ReplacePlaceholders(
      sql, [](std::size_t i) { return "$" + std::to_string(i + 1); }, nullptr);
}

namespace {

// Text must compare byte by byte, as in SQLite: region scopes are path range scans
// (store/row_helpers.h PathRange) and lists are ordered by code. A linguistic collation
// would change both, so such a database is refused.
Status CheckCollation(PgConnection& conn) {
  QZ_ASSIGN_OR_RETURN(auto row, conn.QueryOne(
      "SELECT datcollate FROM pg_database WHERE datname = current_database()"));
  std::string collate = row ? row->Text(0) : "";
  if (collate == "C" || collate == "POSIX" || collate.rfind("C.", 0) == 0) return Ok();
  return MakeError(
      ErrorCode::kBadRequest,
      "PostgreSQL 数据库的排序规则是 " + collate + "，quanze 需要按字节排序：请用 CREATE DATABASE 名称 "
          "TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8' 创建数据库",
      "the PostgreSQL database's collation is " + collate +
          "; quanze needs byte order: create the database with CREATE DATABASE name "
          "TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
}

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options) {
  QZ_ASSIGN_OR_RETURN(auto writer, OpenConnection(options.url));
  QZ_TRY(CheckCollation(*writer));
  QZ_TRY(RunMigrations(*writer));
  return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(options, std::move(writer)));
}

Status ExecPostgresAdmin(const std::string& url, std::string_view sql) {
  QZ_ASSIGN_OR_RETURN(auto conn, OpenConnection(url));
  return conn->ExecScript(sql);
}

std::string PostgresUrlWithDatabase(const std::string& url, const std::string& database) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  std::size_t start = url.find_first_of("/?", scheme + 3);
  if (start == std::string::npos) return url + "/" + database;
  if (url[start] == '?') return url.substr(0, start) + "/" + database + url.substr(start);
  std::size_t end = url.find('?', start);
  return url.substr(0, start + 1) + database + (end == std::string::npos ? "" : url.substr(end));
}

namespace {

// The dbname a connection URL names, "" if none.
std::string DatabaseName(const std::string& url) {
  auto settings = ParseConnInfo(url);
  if (!settings.ok()) return "";
  std::string name;
  for (const auto& [key, value] : *settings) {
    if (key == "dbname") name = value;
  }
  return name;
}

}  // namespace

Status CreatePostgresDatabaseIfMissing(const std::string& url) {
  auto conn = OpenConnection(url);
  if (conn.ok()) return Ok();
  std::string name = DatabaseName(url);
  // A name we can quote safely as an identifier (CREATE DATABASE takes no parameters).
  bool plain = !name.empty() && name.size() <= 63 &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
               });
  if (!plain) return conn.take_error();
  auto admin = OpenConnection(PostgresUrlWithDatabase(url, "postgres"));
  if (!admin.ok()) return conn.take_error();  // the first error says more
  auto exists = (*admin)->QueryOne("SELECT 1 FROM pg_database WHERE datname = ?", {name});
  if (!exists.ok()) return exists.take_error();
  if (*exists) return conn.take_error();  // it exists: the failure was something else
  return (*admin)->ExecScript("CREATE DATABASE \"" + name +
                              "\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
}

Status ClearPostgresDatabase(const std::string& url) {
  QZ_ASSIGN_OR_RETURN(auto conn, OpenConnection(url));
  return conn->ExecScript("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
}

bool PostgresDatabaseExists(const std::string& url) {
  auto conn = OpenConnection(url);
  if (!conn.ok()) return false;
  auto table = (*conn)->QueryOne("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!table.ok() || !*table || (**table).Int(0) == 0) return false;
  auto row = (*conn)->QueryOne("SELECT COUNT(*) FROM schema_migrations");
  return row.ok() && *row && (**row).Int(0) > 0;
}

}  // namespace quanze::store
