// quanze: the one binary. Subcommands: serve, demo, user, verify, receipt, and
// those the areas register (cli/*_commands.cc).
// Exit codes: 0 success; 1 failure (including a log that fails
// verification); 2 usage or input errors.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "app/demo.h"
#include "cli/commands.h"
#include "http/server.h"

namespace quanze::cli {
namespace {

int ExitCodeFor(const Error& e) {
  return e.code == ErrorCode::kBadRequest || e.code == ErrorCode::kValidation ? 2 : 1;
}

}  // namespace

int Fail(const Error& e) {
  std::cerr << "quanze: " << e.Describe() << "\n";
  if (!e.detail.is_null()) std::cerr << e.detail.dump(2) << "\n";
  return ExitCodeFor(e);
}

Result<app::Config> ResolveConfig(const GlobalOptions& g,
                                  const std::map<std::string, std::string>& extra_flags) {
  std::map<std::string, std::string> flags = extra_flags;
  if (g.db_given) flags["db"] = g.db;
  std::string toml;
  std::string name = "config";
  if (!g.config_file.empty()) {
    QZ_ASSIGN_OR_RETURN(toml, app::ReadConfigFile(g.config_file));
    name = g.config_file;
  }
  return app::LoadConfig(
      flags,
      [](const std::string& k) -> std::optional<std::string> {
        const char* v = std::getenv(k.c_str());
        if (!v) return std::nullopt;
        return std::string(v);
      },
      toml, name);
}

Result<std::unique_ptr<app::App>> OpenApp(const app::Config& config) {
  return app::App::Open(config, MakeProcessClock());
}

Result<std::string> ReadPasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    return MakeError(ErrorCode::kBadRequest, "未能从标准输入读到密码", "no password on standard input");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void PrintDemoAccounts(std::ostream& out) {
  out << "演示账号 / demo accounts:\n";
  for (const auto& a : app::DemoAccounts()) {
    out << "  " << a.name << "  /  " << a.password << "    (" << a.role << ", scope " << a.scope
        << ") " << a.description << "\n";
  }
}

namespace {

int RunServe(const GlobalOptions& g, const std::string& listen, bool listen_given,
             const std::string& web_root, bool web_root_given) {
  // Block the stop signals in every thread; RunServer waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  std::map<std::string, std::string> flags;
  if (listen_given) flags["server.listen"] = listen;
  if (web_root_given) flags["server.web_root"] = web_root;
  auto config = ResolveConfig(g, flags);
  if (!config.ok()) return Fail(config.error());
  auto options = http::ParseListen(config->listen);
  if (!options.ok()) return Fail(options.error());
  options->workers = config->workers;
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  Status s = http::RunServer(**app, *options, [](const std::string& host, unsigned short port) {
    std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    std::cout << "listening on http://" << shown << ":" << port << std::endl;
  });
  (*app)->Close();
  if (!s.ok()) return Fail(s.error());
  std::cerr << "quanze: stopped cleanly / 已正常停止\n";
  return 0;
}

int RunDemo(const GlobalOptions& g, bool force) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  if (store::DatabaseExists(config->db)) {
    if (!force) {
      return Fail(MakeError(ErrorCode::kBadRequest,
                            "数据库 " + config->db + " 已存在；如需覆盖请加 --force",
                            "database " + config->db + " already exists; use --force to overwrite"));
    }
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((config->db + suffix).c_str());
    ::unlink(config->KeyFile().c_str());
    ::unlink(config->SecretFile().c_str());
  }
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  std::cerr << "正在生成演示数据 / building the demo province …\n";
  Status s = app::BuildDemo(**app);
  if (!s.ok()) return Fail(s.error());
  auto size = (*app)->ledger().Size();
  std::cout << "created " << config->db << " (demo province 东海省, ledger entries: "
            << (size.ok() ? *size : 0) << ")\n";
  PrintDemoAccounts(std::cout);
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App cli{"quanze (权责) — 经济发达镇行政管理体制改革 / reform of administrative management in economically developed towns"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string(QUANZE_VERSION_STRING));
  GlobalOptions g;
  auto add_db = [&g](CLI::App* sub) {
    sub->add_option("--db", g.db, "database: a SQLite file path (default var/quanze.db)");
    sub->add_option("--config", g.config_file, "TOML configuration file");
  };

  auto* serve = cli.add_subcommand("serve", "serve the HTTP API and the web front end");
  add_db(serve);
  std::string listen, web_root;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)");
  serve->add_option("--web-root", web_root, "directory of the built web front end (web/dist)");

  auto* demo = cli.add_subcommand("demo", "create a demo database");
  add_db(demo);
  bool force = false;
  demo->add_flag("--force", force, "overwrite an existing database");
  bool accounts_only = false;
  demo->add_flag("--accounts", accounts_only, "print the demo accounts and exit");

  auto* user = cli.add_subcommand("user", "manage accounts");
  user->require_subcommand(1);
  UserOptions uo;
  auto* uadd = user->add_subcommand("add", "add an account (password from stdin)");
  add_db(uadd);
  uadd->add_option("name", uo.name, "account name")->required();
  uadd->add_option("--role", uo.role, "role: admin, province_staffing, county_staffing, county_department, town_leader, town_officer, auditor")->required();
  uadd->add_option("--scope", uo.scope, "region code, or all")->required();
  uadd->add_flag("--password-stdin", uo.password_stdin, "read the password from standard input")->required();
  auto* upw = user->add_subcommand("passwd", "set an account's password (from stdin)");
  add_db(upw);
  upw->add_option("name", uo.name, "account name")->required();
  upw->add_flag("--password-stdin", uo.password_stdin, "read the password from standard input")->required();
  auto* utok = user->add_subcommand("token", "issue a bearer token (printed once)");
  add_db(utok);
  utok->add_option("name", uo.name, "account name")->required();
  utok->add_option("--ttl", uo.ttl_days, "lifetime in days (default 90)")->check(CLI::Range(1, 3650));
  auto* ulist = user->add_subcommand("list", "list accounts");
  add_db(ulist);

  auto* verify = cli.add_subcommand("verify", "verify the log: locally (--db) or a remote server (--url)");
  add_db(verify);
  VerifyOptions vo;
  verify->add_option("--url", vo.url, "base URL of a quanze server to audit remotely");
  verify->add_option("--state", vo.state_file, "file remembering the last checkpoint seen (remote audit)");
  verify->add_option("--samples", vo.samples, "inclusion proofs to check in a remote audit (default 32)");

  auto* receipt = cli.add_subcommand("receipt", "receipts (存证回执)");
  receipt->require_subcommand(1);
  ReceiptOptions ro;
  auto* rverify = receipt->add_subcommand("verify", "verify a receipt against a server's signed checkpoint");
  rverify->add_option("--url", ro.url, "base URL of the quanze server")->required();
  rverify->add_option("--index", ro.index, "ledger index of the receipt")->required();
  rverify->add_option("--leaf-hash", ro.leaf_hash, "base64 leaf hash of the receipt")->required();
  rverify->add_option("--key", ro.key, "verifier key to trust (default: fetched from the server)");

  CommandGroups groups;
  groups.root = &cli;
  groups.import_cmd = cli.add_subcommand("import", "import data from CSV or JSON (all or nothing)");
  groups.export_cmd = cli.add_subcommand("export", "export data as CSV, JSON or XLSX");
  groups.check_cmd = cli.add_subcommand("check", "run rule scans and print what they find");
  Dispatchers dispatchers;
  AddCatalogueCommands(groups, g, dispatchers);
  AddStaffingCommands(groups, g, dispatchers);
  AddCaseCommands(groups, g, dispatchers);
  AddBackupCommands(groups, g, dispatchers);
  for (CLI::App* group : {groups.import_cmd, groups.export_cmd, groups.check_cmd}) {
    if (group->get_subcommands([](const CLI::App*) { return true; }).empty()) {
      cli.remove_subcommand(group);
    } else {
      group->require_subcommand(1);
    }
  }

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e);
    return code == 0 ? 0 : 2;
  }
  g.db_given = !g.db.empty();

  if (serve->parsed()) return RunServe(g, listen, !listen.empty(), web_root, !web_root.empty());
  if (demo->parsed() && accounts_only) {
    PrintDemoAccounts(std::cout);
    return 0;
  }
  if (demo->parsed()) return RunDemo(g, force);
  if (uadd->parsed()) return RunUserAdd(g, uo);
  if (upw->parsed()) return RunUserPasswd(g, uo);
  if (utok->parsed()) return RunUserToken(g, uo);
  if (ulist->parsed()) return RunUserList(g);
  if (verify->parsed()) return vo.url.empty() ? RunVerifyLocal(g) : RunVerifyRemote(vo);
  if (rverify->parsed()) return RunReceiptVerify(ro);
  for (const auto& dispatch : dispatchers) {
    if (auto code = dispatch()) return *code;
  }
  return 2;
}

}  // namespace quanze::cli

int main(int argc, char** argv) { return quanze::cli::Main(argc, argv); }
