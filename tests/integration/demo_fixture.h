// A demo database built once per test binary (`quanze demo` takes seconds), copied into
// a fresh directory for every test, plus bearer tokens issued for some demo accounts,
// and small helpers shared by the integration tests. Uses only the harness: the quanze
// binary is driven through its command line and HTTP API.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
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

// `quanze demo` once, then `quanze user token NAME` for each of `token_users`.
class DemoTemplate {
 public:
  explicit DemoTemplate(const std::vector<std::string>& token_users) {
    db_ = dir_.File("q.db");
    CommandResult demo = RunCommand({QuanzeBinary(), "demo", "--db", db_});
    if (demo.exit_code != 0) {
      error_ = "quanze demo failed (" + std::to_string(demo.exit_code) + "): " + demo.err;
      return;
    }
    for (const std::string& user : token_users) {
      CommandResult t = RunCommand({QuanzeBinary(), "user", "token", user, "--db", db_});
      if (t.exit_code != 0) {
        error_ = "quanze user token " + user + " failed: " + t.err;
        return;
      }
      tokens_[user] = LastLine(t.out);
    }
  }

  // Empty when the template was built.
  const std::string& error() const { return error_; }
  const std::string& token(const std::string& user) const { return tokens_.at(user); }

  // Copies the database and its key files into `to`; returns the new database path.
  std::string CopyTo(const TempDir& to) const {
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
  TempDir dir_;
  std::string db_;
  std::string error_;
  std::map<std::string, std::string> tokens_;
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

}  // namespace quanze::testing
