// CLI command of backups (docs/operations.md §3):
//   quanze backup --db PATH --to FILE [--no-keys] [--force]
// An online, consistent copy of a SQLite database through SQLite's backup API,
// safe while `quanze serve` runs on the same file, plus the two key files
// beside it (FILE.ledger-key, FILE.commit-secret, mode 0600). PostgreSQL is
// backed up with pg_dump instead. Exit codes: 0 done; 1 failure; 2 input errors.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "store/sqlite/sqlite_backup.h"

namespace quanze::cli {
namespace {

struct BackupOptions {
  std::string to;
  bool no_keys = false;
  bool force = false;
};

// Progress lines only for databases that take more than one step (64 MiB at 4 KiB pages).
constexpr std::int64_t kProgressFromPages = 16384;

Error InputError(const std::string& zh, const std::string& en) {
  return MakeError(ErrorCode::kBadRequest, zh, en);
}

Error FileError(const std::string& what) {
  std::string detail = what + ": " + std::strerror(errno);
  return MakeError(ErrorCode::kInternal, "备份失败：" + detail, "backup failed: " + detail);
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(
        ErrorCode::kBadRequest, "读不到密钥文件 " + path + "（如只备份数据库请加 --no-keys）",
        "cannot read the key file " + path + " (use --no-keys to copy the database only)");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes `content` to `path` with mode 0600 through a synced temporary file and a
// rename, then syncs the directory.
Status WriteSecret(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return FileError("open " + tmp);
  bool ok = ::fchmod(fd, 0600) == 0;
  for (std::size_t done = 0; ok && done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  if (!ok) {
    Error e = FileError("write " + tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Error e = FileError("rename " + tmp + " -> " + path);
    ::unlink(tmp.c_str());
    return e;
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return FileError("open " + dir);
  int synced = ::fsync(dfd);
  ::close(dfd);
  if (synced != 0) return FileError("fsync " + dir);
  return Ok();
}

bool SameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

int RunBackup(const GlobalOptions& g, const BackupOptions& o) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  const std::string& db = config->db;
  if (db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0) {
    std::cerr
        << "quanze: backup 只支持 SQLite；PostgreSQL 请用 pg_dump -Fc（或基础备份加 WAL 归档），"
           "并另行复制两个密钥文件，见 docs/operations.md 第 3 节。\n"
           "quanze: backup copies SQLite only; back up PostgreSQL with pg_dump -Fc (or base "
           "backups with WAL archiving) and copy the two key files separately, see "
           "docs/operations.md §3.\n";
    return 2;
  }
  if (!store::DatabaseExists(db)) {
    return Fail(InputError("数据库 " + db + " 不存在", "database " + db + " does not exist"));
  }
  if (Exists(o.to) && SameFile(db, o.to)) {
    return Fail(
        InputError("备份文件不能是数据库本身", "the backup file cannot be the database itself"));
  }
  std::vector<std::pair<std::string, std::string>> keys;  // source, target
  if (!o.no_keys) {
    keys = {{config->KeyFile(), o.to + ".ledger-key"},
            {config->SecretFile(), o.to + ".commit-secret"}};
  }
  if (!o.force) {
    std::vector<std::string> targets = {o.to, o.to + "-wal"};
    for (const auto& k : keys) targets.push_back(k.second);
    for (const std::string& t : targets) {
      if (Exists(t)) {
        return Fail(InputError(t + " 已存在；如需覆盖请加 --force",
                               t + " already exists; use --force to overwrite"));
      }
    }
  }
  // Read the keys first: a backup without its keys should fail before it starts.
  std::vector<std::string> key_bytes;
  for (const auto& k : keys) {
    auto bytes = ReadWhole(k.first);
    if (!bytes.ok()) return Fail(bytes.error());
    key_bytes.push_back(std::move(bytes).value());
  }

  std::int64_t last_percent = -1;
  Status s =
      store::BackupSqlite(db, o.to, [&last_percent](std::int64_t copied, std::int64_t total) {
        if (total < kProgressFromPages) return;
        std::int64_t percent = copied * 100 / total;
        if (percent == last_percent) return;
        last_percent = percent;
        std::cerr << "备份中 / backing up: " << copied << "/" << total << " pages (" << percent
                  << "%)\n";
      });
  if (!s.ok()) return Fail(s.error());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    Status w = WriteSecret(keys[i].second, key_bytes[i]);
    if (!w.ok()) return Fail(w.error());
  }
  std::cout << "backed up " << db << " to " << o.to;
  if (!keys.empty()) std::cout << " (with " << keys[0].second << ", " << keys[1].second << ")";
  std::cout << "\n";
  return 0;
}

}  // namespace

void AddBackupCommands(const CommandGroups& groups, GlobalOptions& g, Dispatchers& dispatchers) {
  auto o = std::make_shared<BackupOptions>();
  CLI::App* backup = groups.root->add_subcommand(
      "backup", "copy a SQLite database online, with its key files (备份; PostgreSQL: pg_dump)");
  backup->add_option("--db", g.db, "database: a SQLite file path or a postgresql:// URL (default var/quanze.db)");
  backup->add_option("--config", g.config_file, "TOML configuration file");
  backup->add_option("--to", o->to, "the backup file to write")->required();
  backup->add_flag("--no-keys", o->no_keys,
                   "copy the database only, not FILE.ledger-key and FILE.commit-secret");
  backup->add_flag("--force", o->force, "overwrite an existing backup file");
  dispatchers.push_back([backup, o, &g]() -> std::optional<int> {
    if (!backup->parsed()) return std::nullopt;
    return RunBackup(g, *o);
  });
}

}  // namespace quanze::cli
