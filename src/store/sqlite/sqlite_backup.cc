#include "store/sqlite/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace quanze::store {
namespace {

// Pages per backup step: 4096 pages of 4 KiB are 16 MiB between progress reports.
constexpr int kPagesPerStep = 4096;
constexpr int kBusyTimeoutMs = 5000;

Error BackupError(sqlite3* db, int rc, const std::string& what) {
  std::string detail = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  ErrorCode code = primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? ErrorCode::kUnavailable
                                                                      : ErrorCode::kInternal;
  return MakeError(code, "备份失败：" + detail, "backup failed: " + detail);
}

Error OsError(const std::string& what) {
  std::string detail = what + ": " + std::strerror(errno);
  return MakeError(ErrorCode::kInternal, "备份失败：" + detail, "backup failed: " + detail);
}

// Closes a connection on every path out of BackupSqlite.
struct Closer {
  sqlite3* db = nullptr;
  ~Closer() { sqlite3_close_v2(db); }
};

Result<sqlite3*> OpenFile(const std::string& path, int flags, Closer& closer) {
  int rc = sqlite3_open_v2(path.c_str(), &closer.db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return BackupError(closer.db, rc, "open " + path);
  sqlite3_busy_timeout(closer.db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(closer.db, 1);
  return closer.db;
}

Status Exec(sqlite3* db, const char* sql) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return BackupError(db, rc, sql);
  return Ok();
}

Status SyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return OsError("open " + path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return OsError("fsync " + path);
  return Ok();
}

std::string DirectoryOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Copies `from` into the fresh file `tmp` under one read snapshot of `from`.
Status CopyInto(const std::string& from, const std::string& tmp, const BackupProgress& progress) {
  Closer src_closer, dst_closer;
  // Read-write without CREATE: a WAL reader may need to create the -shm file.
  QZ_ASSIGN_OR_RETURN(sqlite3 * src, OpenFile(from, SQLITE_OPEN_READWRITE, src_closer));
  QZ_ASSIGN_OR_RETURN(sqlite3 * dst,
                      OpenFile(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, dst_closer));
  // An explicit read transaction: every step sees the same snapshot, so writes
  // by other processes neither restart the copy nor tear it.
  QZ_TRY(Exec(src, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_master;"));
  sqlite3_backup* backup = sqlite3_backup_init(dst, "main", src, "main");
  if (!backup) return BackupError(dst, sqlite3_errcode(dst), "backup init");
  int rc = SQLITE_OK;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  while (true) {
    rc = sqlite3_backup_step(backup, kPagesPerStep);
    if (rc == SQLITE_OK || rc == SQLITE_DONE) {
      if (progress) {
        int total = sqlite3_backup_pagecount(backup);
        progress(total - sqlite3_backup_remaining(backup), total);
      }
      if (rc == SQLITE_DONE) break;
      deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
      continue;
    }
    int primary = rc & 0xff;
    if ((primary == SQLITE_BUSY || primary == SQLITE_LOCKED) &&
        std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    break;
  }
  int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return BackupError(dst, rc, "backup step");
  if (finished != SQLITE_OK) return BackupError(dst, finished, "backup finish");
  QZ_TRY(Exec(src, "COMMIT"));
  return Ok();
}

}  // namespace

Status BackupSqlite(const std::string& from, const std::string& to,
                    const BackupProgress& progress) {
  struct stat st {};
  if (::stat(from.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    return MakeError(ErrorCode::kNotFound, "数据库 " + from + " 不存在",
                     "database " + from + " does not exist");
  }
  const std::string tmp = to + ".tmp-" + std::to_string(::getpid());
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) ::unlink((tmp + suffix).c_str());
  Status copied = CopyInto(from, tmp, progress);
  if (copied.ok()) copied = SyncPath(tmp, O_RDONLY);
  if (!copied.ok()) {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) ::unlink((tmp + suffix).c_str());
    return copied;
  }
  // A stale write-ahead log beside `to` would be replayed into the new copy.
  for (const char* suffix : {"-wal", "-shm"}) {
    if (::unlink((to + suffix).c_str()) != 0 && errno != ENOENT)
      return OsError("unlink " + to + suffix);
  }
  if (::rename(tmp.c_str(), to.c_str()) != 0) {
    Error e = OsError("rename " + tmp + " -> " + to);
    ::unlink(tmp.c_str());
    return e;
  }
  return SyncPath(DirectoryOf(to), O_RDONLY | O_DIRECTORY);
}

}  // namespace quanze::store
