// PostgreSQL adapter over libpq's C API. libpqxx 6.4 (STACK.md) was the
// first choice; libpq is used directly because the store interface owns the
// transaction boundaries (Begin/Commit/savepoints as plain statements, which
// libpqxx's RAII transaction objects fight), binds a run-time list of mixed
// text and binary parameters (libpqxx 6.4 offers that only through its
// deprecated invocation API) and must never let an exception escape; libpq
// reports everything as values. See postgres_db.h for the contract.
#include "store/postgres/postgres_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "store/migrations.h"

namespace quanze::store {
namespace {

// Type OIDs from pg_type.h (stable across releases).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// A PGresult freed on scope exit.
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

Error PgError(ErrorCode code, const std::string& detail) {
  return MakeError(code, "数据库错误：" + detail, "database error: " + detail);
}

// Maps a failed result (or a connection failure when r is null) to an Error.
Error ResultError(PGconn* conn, const PGresult* r, std::string_view what) {
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  ErrorCode code = ErrorCode::kInternal;
  if (sqlstate.rfind("23", 0) == 0) code = ErrorCode::kConflict;  // integrity constraint
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" || sqlstate == "57014" ||
      sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || PQstatus(conn) == CONNECTION_BAD) {
    code = ErrorCode::kUnavailable;  // serialization, deadlock, lock/statement timeout, connection
  }
  return PgError(code, std::string(what) + ": " + msg + (sqlstate.empty() ? "" : " [" + sqlstate + "]"));
}

bool ResultOk(const PGresult* r) {
  if (!r) return false;
  ExecStatusType s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

Value DecodeField(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return nullptr;
  const char* text = PQgetvalue(r, row, col);
  int len = PQgetlength(r, row, col);
  switch (PQftype(r, col)) {
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
    case kByteaOid: {
      std::size_t n = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
      if (!bytes) return Blob{};
      Blob b{std::string(reinterpret_cast<const char*>(bytes), n)};
      PQfreemem(bytes);
      return b;
    }
    default:
      return std::string(text, static_cast<std::size_t>(len));
  }
}

void IgnoreNotice(void*, const char*) {}

// Connects with UTF-8 and our application name; the URL's own settings win.
Result<PGconn*> Connect(const std::string& url) {
  const char* keys[] = {"application_name", "client_encoding", "options", "dbname", nullptr};
  // A writer waiting for another process's write lock gives up after 30 s.
  const char* values[] = {"quanze", "UTF8", "-c lock_timeout=30000", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn) return PgError(ErrorCode::kUnavailable, "out of memory connecting to PostgreSQL");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(conn);
    return MakeError(ErrorCode::kUnavailable, "无法连接 PostgreSQL：" + msg,
                     "cannot connect to PostgreSQL: " + msg);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return conn;
}

class PgConnection final : public Connection {
 public:
  PgConnection(std::string url, PGconn* conn) : url_(std::move(url)), conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override {
    QZ_ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
    const char* n = PQcmdTuples(r.get());
    return static_cast<std::int64_t>(n && *n ? std::strtoll(n, nullptr, 10) : 0);
  }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    QZ_ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
    std::vector<Row> rows;
    int nrows = PQntuples(r.get());
    int ncols = PQnfields(r.get());
    rows.reserve(static_cast<std::size_t>(nrows));
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) values.push_back(DecodeField(r.get(), i, c));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    PgResult r(PQexec(conn_, std::string(sql).c_str()));
    if (!ResultOk(r.get())) return ResultError(conn_, r.get(), "script");
    return Ok();
  }

  // The writer's transaction: BEGIN, then the cross-process write lock.
  Status Begin() override {
    QZ_TRY(Reconnect());
    QZ_TRY(Simple("BEGIN"));
    Status locked = Simple("SELECT pg_advisory_xact_lock(" + std::to_string(kLedgerLockKey) + ")");
    if (!locked.ok()) (void)Simple("ROLLBACK");
    return locked;
  }
  // A reader's snapshot.
  Status BeginRead() {
    QZ_TRY(Reconnect());
    return Simple("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
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
  std::string_view Dialect() const override { return "postgres"; }

  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  bool InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

 private:
  // Re-establishes a lost connection between transactions (server restart).
  Status Reconnect() {
    if (Healthy()) return Ok();
    PQreset(conn_);
    statements_.clear();
    if (!Healthy()) return ResultError(conn_, nullptr, "reconnect");
    PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
    return Ok();
  }

  Status Simple(const std::string& sql) {
    PgResult r(PQexec(conn_, sql.c_str()));
    if (!ResultOk(r.get())) return ResultError(conn_, r.get(), sql);
    return Ok();
  }

  // Runs a prepared statement. As in any PostgreSQL transaction, a failed
  // statement leaves the transaction aborted until the caller rolls back to
  // a savepoint (app::Tx::Attempt) or ends it.
  Result<PgResult> Run(std::string_view sql, const Params& params) {
    QZ_ASSIGN_OR_RETURN(std::string name, Prepare(sql, params));
    BoundParams bound(params);
    PgResult r(PQexecPrepared(conn_, name.c_str(), bound.count(), bound.values.data(),
                              bound.lengths.data(), bound.formats.data(), /*resultFormat=*/0));
    if (!ResultOk(r.get())) return ResultError(conn_, r.get(), "statement");
    return r;
  }

  // Parameters as libpq takes them: integers and text as text, BLOBs as
  // binary bytea (the bytes as they are). Points into `params`.
  struct BoundParams {
    explicit BoundParams(const Params& params)
        : text(params.size()), values(params.size(), nullptr), lengths(params.size(), 0),
          formats(params.size(), 0) {
      for (std::size_t i = 0; i < params.size(); ++i) {
        const Value& v = params[i];
        if (const auto* n = std::get_if<std::int64_t>(&v)) {
          text[i] = std::to_string(*n);
          values[i] = text[i].c_str();
        } else if (const auto* t = std::get_if<std::string>(&v)) {
          values[i] = t->c_str();
        } else if (const auto* b = std::get_if<Blob>(&v)) {
          values[i] = b->bytes.data();
          lengths[i] = static_cast<int>(b->bytes.size());
          formats[i] = 1;
        }
      }
    }
    int count() const { return static_cast<int>(values.size()); }
    std::vector<std::string> text;
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
  };

  // The prepared statement for this SQL text and these parameter kinds.
  // Parameters are left untyped for PostgreSQL to infer from context (as
  // SQLite would take them), except bytea; when it cannot infer a type, the
  // statement is prepared again with the types of the values given.
  Result<std::string> Prepare(std::string_view sql, const Params& params) {
    std::string key(sql);
    key += '\0';
    for (const Value& v : params) key += "nitb"[v.index()];
    if (auto it = statements_.find(key); it != statements_.end()) return it->second;
    std::string name = "qz" + std::to_string(statements_.size() + 1);
    std::string text = RewritePlaceholders(sql);
    std::vector<Oid> types(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<Blob>(params[i])) types[i] = kByteaOid;
    }
    // A failed PREPARE would abort the caller's transaction: guard it.
    bool guard = PQtransactionStatus(conn_) == PQTRANS_INTRANS;
    if (guard) QZ_TRY(Simple("SAVEPOINT qz_prepare"));
    PgResult r(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()),
                         types.data()));
    const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    if (!ResultOk(r.get()) && guard) (void)Simple("ROLLBACK TO SAVEPOINT qz_prepare");
    if (!ResultOk(r.get()) && state && std::string(state) == "42P18") {
      for (std::size_t i = 0; i < params.size(); ++i) {
        if (std::holds_alternative<std::int64_t>(params[i])) types[i] = kInt8Oid;
        if (std::holds_alternative<std::string>(params[i])) types[i] = kTextOid;
        if (std::holds_alternative<std::nullptr_t>(params[i])) types[i] = kTextOid;
      }
      r.reset(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()),
                        types.data()));
    }
    if (!ResultOk(r.get()) && guard) (void)Simple("ROLLBACK TO SAVEPOINT qz_prepare");
    if (guard) (void)Simple("RELEASE SAVEPOINT qz_prepare");
    if (!ResultOk(r.get())) return ResultError(conn_, r.get(), "prepare " + std::string(sql));
    int expected = 0;
    PgResult d(PQdescribePrepared(conn_, name.c_str()));
    if (ResultOk(d.get())) expected = PQnparams(d.get());
    if (expected != static_cast<int>(params.size())) {
      return MakeError(ErrorCode::kInternal, "SQL 参数个数不符",
                       "SQL parameter count mismatch: " + std::string(sql));
    }
    statements_.emplace(std::move(key), name);
    return name;
  }

  std::string url_;
  PGconn* conn_;
  std::unordered_map<std::string, std::string> statements_;
};

Result<std::unique_ptr<PgConnection>> OpenConnection(const std::string& url) {
  QZ_ASSIGN_OR_RETURN(PGconn * conn, Connect(url));
  return std::make_unique<PgConnection>(url, conn);
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
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
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
      out += '$';
      out += std::to_string(++n);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
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

// The dbname a connection URL names (libpq's own parser), "" if none.
std::string DatabaseName(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (err) PQfreemem(err);
  std::string name;
  for (PQconninfoOption* o = options; o && o->keyword; ++o) {
    if (std::string_view(o->keyword) == "dbname" && o->val) name = o->val;
  }
  if (options) PQconninfoFree(options);
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
