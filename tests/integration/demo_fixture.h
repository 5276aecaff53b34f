// A demo database built once (`quanze demo` takes seconds) and copied into a fresh
// directory for every test, plus bearer tokens issued for some demo accounts, and small
// helpers shared by the integration tests. Uses only the harness: the quanze
// binary is driven through its command line and HTTP API.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

namespace quanze::testing {

// The demo's accounts (src/app/demo.cc).
inline constexpr const char* kDemoPassword = "demo-pass-2026";
inline constexpr const char* kAdminPassword = "admin-demo-2026";

// The last non-empty line of text.
inline std::string LastLine(const std::string& text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- the backend under test ----------------------------------------------------------------
//
// QUANZE_TEST_BACKEND=postgres runs the integration tests on PostgreSQL: QUANZE_TEST_PG_URL
// names a database of a throwaway cluster (scripts/pg-test-cluster.sh) through which the
// tests create their own databases. Otherwise every test uses a SQLite file.

inline std::string EnvOr(const char* name, const std::string& fallback = "") {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

inline bool OnPostgres() { return EnvOr("QUANZE_TEST_BACKEND") == "postgres"; }

// QUANZE_TEST_PG_URL; throws HarnessError when it is not set.
inline std::string PgAdminUrl() {
  std::string url = EnvOr("QUANZE_TEST_PG_URL");
  if (url.empty()) throw HarnessError("QUANZE_TEST_PG_URL is not set (scripts/pg-test-cluster.sh)");
  return url;
}

// `url` with its database name replaced (as store::PostgresUrlWithDatabase).
inline std::string PgUrlWithDatabase(const std::string& url, const std::string& database) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  std::size_t start = url.find_first_of("/?", scheme + 3);
  if (start == std::string::npos) return url + "/" + database;
  if (url[start] == '?') return url.substr(0, start) + "/" + database + url.substr(start);
  std::size_t end = url.find('?', start);
  return url.substr(0, start + 1) + database + (end == std::string::npos ? "" : url.substr(end));
}

// Runs SQL through psql on `url`; returns psql's unaligned output. Throws on failure.
inline std::string Psql(const std::string& url, const std::string& sql) {
  CommandResult r = RunCommand({"psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql});
  if (r.exit_code != 0) throw HarnessError("psql " + sql + ": " + r.err);
  return r.out;
}

// A database name no other test process uses.
inline std::string UniqueDatabaseName(const std::string& prefix) {
  static int counter = 0;
  auto ns = std::chrono::steady_clock::now().time_since_epoch().count();
  return prefix + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(ns % 1000000);
}

// Databases this test process created; dropped when it exits (ctest runs one test case
// per process), so a long run does not fill the disk with copies of the demo.
class PgDatabasesToDrop {
 public:
  static void Add(const std::string& admin_url, const std::string& name) {
    static PgDatabasesToDrop instance;
    instance.admin_url_ = admin_url;
    instance.names_.push_back(name);
  }
  ~PgDatabasesToDrop() {
    for (const std::string& n : names_) {
      try {
        Psql(admin_url_, "DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
      } catch (const std::exception&) {
      }
    }
  }

 private:
  std::string admin_url_;
  std::vector<std::string> names_;
};

// `quanze demo`, then `quanze user token NAME` for each of `token_users`, kept as a
// read-only template that tests copy. On PostgreSQL the template is a database
// (qz_tpl_<hash>) with its key files in the cache directory, and a copy is a new database
// created from it with CREATE DATABASE ... TEMPLATE; the copy's key files are put in the
// test's directory and named to every quanze child through QUANZE_LEDGER_KEY_FILE and
// QUANZE_LEDGER_SECRET_FILE (set in this process's environment). ctest runs every test case in a process of its
// own, so the template is cached beside the test binary (in .demo-cache-<hash>/, keyed
// by the quanze binary and the token list, rebuilt when the binary changes) and built
// under a file lock by whichever process needs it first. Tests only ever see copies.
class DemoTemplate {
 public:
  explicit DemoTemplate(const std::vector<std::string>& token_users) {
    try {
      Prepare(token_users);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }

  // Empty when the template is ready.
  const std::string& error() const { return error_; }
  const std::string& token(const std::string& user) const { return tokens_.at(user); }

  // Copies the database and its key files into `to`; returns the new database path
  // (a postgresql:// URL on PostgreSQL).
  std::string CopyTo(const TempDir& to) const {
    if (pg_) return CopyToPostgres(to);
    std::string target = to.File("q.db");
    for (const char* suffix : {"", "-wal", ".ledger-key", ".commit-secret"}) {
      std::error_code ec;
      if (std::filesystem::exists(db_ + suffix)) {
        std::filesystem::copy_file(db_ + suffix, target + suffix,
                                   std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) throw HarnessError("copy " + db_ + suffix + ": " + ec.message());
      }
    }
    return target;
  }

 private:
  std::string CopyToPostgres(const TempDir& to) const {
    const std::string admin = PgAdminUrl();
    const std::string name = UniqueDatabaseName("qz_t");
    Psql(admin, "CREATE DATABASE " + name + " TEMPLATE " + template_name_);
    PgDatabasesToDrop::Add(admin, name);
    const std::string key = to.File("q.ledger-key");
    const std::string secret = to.File("q.commit-secret");
    std::filesystem::copy_file(key_file_, key, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(secret_file_, secret, std::filesystem::copy_options::overwrite_existing);
    ::setenv("QUANZE_LEDGER_KEY_FILE", key.c_str(), 1);
    ::setenv("QUANZE_LEDGER_SECRET_FILE", secret.c_str(), 1);
    return PgUrlWithDatabase(admin, name);
  }

  void Prepare(const std::vector<std::string>& token_users) {
    const std::string bin = QuanzeBinary();
    struct stat st {};
    if (::stat(bin.c_str(), &st) != 0) throw HarnessError("cannot stat " + bin);
    std::string users;
    for (const std::string& u : token_users) users += u + "\n";
    pg_ = OnPostgres();
    const std::string backend = pg_ ? "postgres " + PgAdminUrl() : "sqlite";
    const std::string stamp = bin + "\n" + std::to_string(st.st_size) + "\n" +
                              std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) +
                              "\n" + users + backend + "\n";
    std::filesystem::path here = std::filesystem::read_symlink("/proc/self/exe").parent_path();
    char key[17];
    std::snprintf(key, sizeof key, "%016zx", std::hash<std::string>{}(bin + "\n" + users));
    const std::filesystem::path dir = here / (std::string(pg_ ? ".demo-cache-pg-" : ".demo-cache-") + key);
    db_ = (dir / "q.db").string();
    if (pg_) {
      template_name_ = "qz_tpl_" + std::string(key);
      db_ = PgUrlWithDatabase(PgAdminUrl(), template_name_);
      key_file_ = (dir / "q.ledger-key").string();
      secret_file_ = (dir / "q.commit-secret").string();
      key_env_ = {"QUANZE_LEDGER_KEY_FILE=" + key_file_, "QUANZE_LEDGER_SECRET_FILE=" + secret_file_};
    }

    int lock = ::open((dir.string() + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
      if (lock >= 0) ::close(lock);
      throw HarnessError("cannot lock " + dir.string() + ".lock");
    }
    try {
      if (Slurp(dir / "stamp") != stamp) Build(dir, bin, token_users, stamp);
      std::istringstream lines(Slurp(dir / "tokens"));
      for (std::string line; std::getline(lines, line);) {
        auto tab = line.find('\t');
        if (tab != std::string::npos) tokens_[line.substr(0, tab)] = line.substr(tab + 1);
      }
    } catch (...) {
      ::close(lock);
      throw;
    }
    ::close(lock);
  }

  void Build(const std::filesystem::path& dir, const std::string& bin,
             const std::vector<std::string>& token_users, const std::string& stamp) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    if (pg_) {
      Psql(PgAdminUrl(), "DROP DATABASE IF EXISTS " + template_name_ + " WITH (FORCE)");
      Psql(PgAdminUrl(), "CREATE DATABASE " + template_name_);
    }
    CommandResult demo = RunCommand({bin, "demo", "--db", db_}, "", key_env_);
    if (demo.exit_code != 0) {
      throw HarnessError("quanze demo failed (" + std::to_string(demo.exit_code) + "): " + demo.err);
    }
    std::string tokens;
    for (const std::string& user : token_users) {
      CommandResult t = RunCommand({bin, "user", "token", user, "--db", db_}, "", key_env_);
      if (t.exit_code != 0) throw HarnessError("quanze user token " + user + " failed: " + t.err);
      tokens += user + "\t" + LastLine(t.out) + "\n";
    }
    std::ofstream(dir / "tokens") << tokens;
    std::ofstream(dir / "stamp") << stamp;  // last: the template is complete
  }

  static std::string Slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string db_;
  std::string error_;
  std::map<std::string, std::string> tokens_;
  bool pg_ = false;
  std::string template_name_;  // PostgreSQL only
  std::string key_file_;
  std::string secret_file_;
  std::vector<std::string> key_env_;
};

// `quanze serve --db DB --listen 127.0.0.1:0` with extra QUANZE_* settings.
inline std::unique_ptr<ServerProcess> Serve(const std::string& db,
                                            const std::vector<std::string>& env = {}) {
  return ServerProcess::Start({QuanzeBinary(), "serve", "--db", db, "--listen", "127.0.0.1:0"}, env);
}

inline Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// A file read by the server's FileClock (QUANZE_CLOCK_FILE): one RFC 3339 line.
class ClockFile {
 public:
  explicit ClockFile(std::string path)
      : path_(std::move(path)),
        now_(std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count()) {
    Write();
  }
  std::string env() const { return "QUANZE_CLOCK_FILE=" + path_; }
  std::int64_t now() const { return now_; }
  void Advance(std::int64_t seconds) {
    now_ += seconds;
    Write();
  }

 private:
  void Write() const {
    std::time_t t = static_cast<std::time_t>(now_);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::string tmp = path_ + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << buf << "\n";
    }
    std::filesystem::rename(tmp, path_);  // atomic: the server never reads half a line
  }

  std::string path_;
  std::int64_t now_;
};

// The fixture of the *_pgtest suites: each test gets its own copy of the demo on the
// throwaway PostgreSQL cluster (with bearer tokens for qiaotou.officer and auditor, so one
// cached template serves every such suite) in db_; every test is skipped when
// QUANZE_TEST_PG_URL is not set (scripts/pg-test-cluster.sh).
class PgDemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (EnvOr("QUANZE_TEST_PG_URL").empty()) return;
    ::setenv("QUANZE_TEST_BACKEND", "postgres", 1);
    demo_ = new DemoTemplate({"qiaotou.officer", "auditor"});
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }
  // CopyTo points every quanze child at the copy's two key files (QUANZE_LEDGER_KEY_FILE,
  // QUANZE_LEDGER_SECRET_FILE).
  void SetUp() override {
    if (EnvOr("QUANZE_TEST_PG_URL").empty()) GTEST_SKIP() << "QUANZE_TEST_PG_URL is not set";
    ASSERT_TRUE(demo_ != nullptr && demo_->error().empty()) << (demo_ ? demo_->error() : "no demo");
    db_ = demo_->CopyTo(dir_);
  }
  static std::string Token(const std::string& user) { return demo_->token(user); }

  TempDir dir_;
  std::string db_;

 private:
  static inline DemoTemplate* demo_ = nullptr;
};

}  // namespace quanze::testing
