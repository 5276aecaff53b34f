#include <sys/stat.h>

#include "store/db.h"
#include "store/postgres/postgres_db.h"
#include "store/sqlite/sqlite_db.h"

namespace quanze::store {
namespace {
bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}
}  // namespace

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url) {
  if (IsPostgresUrl(url)) {
    PostgresOptions options;
    options.url = url;
    return OpenPostgres(options);
  }
  if (url.empty()) {
    return MakeError(ErrorCode::kBadRequest, "未指定数据库路径（--db）",
                     "no database path given (--db)");
  }
  SqliteOptions options;
  options.path = url;
  return OpenSqlite(options);
}

bool DatabaseExists(const std::string& url) {
  if (IsPostgresUrl(url)) return PostgresDatabaseExists(url);
  struct stat st {};
  return ::stat(url.c_str(), &st) == 0 && st.st_size > 0;
}

}  // namespace quanze::store
