// The CLI subcommands, each a thin adapter over app/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "app/app.h"

#ifndef QUANZE_VERSION_STRING
#define QUANZE_VERSION_STRING "0.0.0"
#endif

namespace quanze::cli {

struct GlobalOptions {
  std::string db;
  bool db_given = false;
  std::string config_file;
};

struct UserOptions {
  std::string name;
  std::string role;
  std::string scope;
  bool password_stdin = false;
  int ttl_days = 90;
  bool revoke = false;
};

struct VerifyOptions {
  std::string url;
  std::string state_file;
  int samples = 32;
};

struct ReceiptOptions {
  std::string url;
  std::int64_t index = 0;
  std::string leaf_hash;
  std::string key;
};

// The parent subcommands that areas hang their commands on, and the list of
// dispatchers main() asks, in order, after parsing: the first that returns a
// value ran its command.
struct CommandGroups {
  CLI::App* root = nullptr;
  CLI::App* import_cmd = nullptr;  // quanze import <area> FILE
  CLI::App* export_cmd = nullptr;  // quanze export <area> ...
  CLI::App* check_cmd = nullptr;   // quanze check <area> ...
};
using Dispatchers = std::vector<std::function<std::optional<int>()>>;

// Each area registers its commands (cli/<area>_commands.cc). Options are
// stored in objects the function allocates and the dispatchers capture.
void AddCatalogueCommands(const CommandGroups& groups, GlobalOptions& g, Dispatchers& dispatchers);
void AddStaffingCommands(const CommandGroups& groups, GlobalOptions& g, Dispatchers& dispatchers);
void AddCaseCommands(const CommandGroups& groups, GlobalOptions& g, Dispatchers& dispatchers);
void AddBackupCommands(const CommandGroups& groups, GlobalOptions& g, Dispatchers& dispatchers);

// Shared helpers (main.cc).
int Fail(const Error& e);
Result<app::Config> ResolveConfig(const GlobalOptions& g,
                                  const std::map<std::string, std::string>& extra_flags);
Result<std::unique_ptr<app::App>> OpenApp(const app::Config& config);
Result<std::string> ReadPasswordFromStdin();

int RunUserAdd(const GlobalOptions& g, const UserOptions& o);
int RunUserPasswd(const GlobalOptions& g, const UserOptions& o);
int RunUserToken(const GlobalOptions& g, const UserOptions& o);
int RunUserList(const GlobalOptions& g);
int RunUserRevokeTokens(const GlobalOptions& g, const UserOptions& o);
int RunUserSetDisabled(const GlobalOptions& g, const UserOptions& o, bool disabled);
int RunUserUnlock(const GlobalOptions& g, const UserOptions& o);

int RunVerifyLocal(const GlobalOptions& g);
int RunVerifyRemote(const VerifyOptions& o);
int RunReceiptVerify(const ReceiptOptions& o);

// A minimal blocking HTTP/1.1 GET for the remote audit (http:// only; put
// TLS in front with a local proxy). Returns status and body.
struct HttpResult {
  int status = 0;
  std::string body;
};
Result<HttpResult> HttpGet(const std::string& base_url, const std::string& path);

}  // namespace quanze::cli
