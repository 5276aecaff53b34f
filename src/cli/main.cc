// quanze: the one binary. Subcommands: serve, demo, user, verify, receipt, and
// those the areas register (cli/*_commands.cc).
// Exit codes: 0 success; 1 failure (including a log that fails
// verification); 2 usage or input errors.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "app/demo.h"
#include "cli/commands.h"
#include "http/server.h"
#include "store/postgres/postgres_db.h"
#include "store/records.h"

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

bool IsPostgresUrl(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

// Progress of a long demo on stderr: a bar redrawn in place on a terminal,
// otherwise one line per phase and tenth.
class DemoProgressBar {
 public:
  DemoProgressBar() : tty_(::isatty(2) == 1), start_(std::chrono::steady_clock::now()) {}

  void operator()(const std::string& phase, std::int64_t done, std::int64_t total) {
    auto now = std::chrono::steady_clock::now();
    if (phase != phase_) {
      Finish(now);
      phase_ = phase;
      phase_start_ = now;
      last_tenth_ = -1;
    }
    int tenth = total > 0 ? static_cast<int>(done * 10 / total) : 10;
    bool last = done >= total;
    if (tty_) {
      if (!last && now - drawn_ < std::chrono::milliseconds(200)) return;
      drawn_ = now;
      int width = 30, filled = total > 0 ? static_cast<int>(done * width / total) : width;
      std::cerr << "\r  " << std::left << std::setw(9) << phase << " ["
                << std::string(static_cast<std::size_t>(filled), '#')
                << std::string(static_cast<std::size_t>(width - filled), '-') << "] "
                << std::right << std::setw(3) << (total > 0 ? done * 100 / total : 100) << "% "
                << done << "/" << total << "  " << Elapsed(now - start_) << "   " << std::flush;
    } else if (tenth != last_tenth_) {
      last_tenth_ = tenth;
      std::cerr << "  " << phase << " " << done << "/" << total << " (" << tenth * 10 << "%) "
                << Elapsed(now - start_) << "\n";
    }
  }

  // Ends the current phase's line and records its time.
  void Finish(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now()) {
    if (phase_.empty()) return;
    if (tty_) std::cerr << "\n";
    times_.emplace_back(phase_, now - phase_start_);
    phase_.clear();
  }
  const std::vector<std::pair<std::string, std::chrono::steady_clock::duration>>& times() const {
    return times_;
  }
  std::chrono::steady_clock::duration total() const { return std::chrono::steady_clock::now() - start_; }

  static std::string Elapsed(std::chrono::steady_clock::duration d) {
    auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    return buf;
  }

 private:
  bool tty_;
  std::chrono::steady_clock::time_point start_, phase_start_, drawn_;
  std::string phase_;
  int last_tenth_ = -1;
  std::vector<std::pair<std::string, std::chrono::steady_clock::duration>> times_;
};

struct DemoOptions {
  bool force = false;
  std::string scale = "town";
  app::ProvinceScale province;
};

int RunDemo(const GlobalOptions& g, const DemoOptions& o) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  const bool pg = IsPostgresUrl(config->db);
  if (store::DatabaseExists(config->db)) {
    if (!o.force) {
      return Fail(MakeError(ErrorCode::kBadRequest,
                            "数据库 " + config->db + " 已存在；如需覆盖请加 --force",
                            "database " + config->db + " already exists; use --force to overwrite"));
    }
    if (pg) {
      Status cleared = store::ClearPostgresDatabase(config->db);
      if (!cleared.ok()) return Fail(cleared.error());
    } else {
      for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((config->db + suffix).c_str());
    }
    ::unlink(config->KeyFile().c_str());
    ::unlink(config->SecretFile().c_str());
  } else if (pg) {
    Status created = store::CreatePostgresDatabaseIfMissing(config->db);
    if (!created.ok()) return Fail(created.error());
  }
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  Status s;
  DemoProgressBar bar;
  if (o.scale == "province") {
    std::cerr << "正在生成省级规模演示数据 / building the province-scale demo: " << o.province.towns
              << " towns, " << o.province.items_per_town << " items each, " << o.province.cases
              << " cases …\n";
    s = app::BuildProvinceDemo(**app, o.province,
                               [&bar](const std::string& phase, std::int64_t done, std::int64_t total) {
                                 bar(phase, done, total);
                               });
    bar.Finish();
  } else {
    std::cerr << "正在生成演示数据 / building the demo province …\n";
    s = app::BuildDemo(**app);
  }
  if (!s.ok()) return Fail(s.error());
  auto size = (*app)->ledger().Size();
  std::int64_t bytes = 0;
  (void)(*app)->db().WithReader([&](store::Connection& c) -> Status {
    auto b = store::DatabaseBytes(c);
    if (b.ok()) bytes = *b;
    return Ok();
  });
  std::cout << "created " << config->db << " (demo province 东海省, ledger entries: "
            << (size.ok() ? *size : 0) << ")\n";
  if (o.scale == "province") {
    for (const auto& [phase, d] : bar.times()) {
      std::cout << "  " << phase << ": " << DemoProgressBar::Elapsed(d) << "\n";
    }
    std::cout << "  total: " << DemoProgressBar::Elapsed(bar.total()) << ", database size: "
              << (bytes + (1 << 19)) / (1 << 20) << " MiB\n";
  }
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
    sub->add_option("--db", g.db, "database: a SQLite file path or a postgresql:// URL (default var/quanze.db)");
    sub->add_option("--config", g.config_file, "TOML configuration file");
  };

  auto* serve = cli.add_subcommand("serve", "serve the HTTP API and the web front end");
  add_db(serve);
  std::string listen, web_root;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)");
  serve->add_option("--web-root", web_root, "directory of the built web front end (web/dist)");

  auto* demo = cli.add_subcommand("demo", "create a demo database");
  add_db(demo);
  DemoOptions demo_options;
  demo->add_flag("--force", demo_options.force,
                 "overwrite an existing database (PostgreSQL: drops and recreates its public schema)");
  demo->add_option("--scale", demo_options.scale,
                   "town: the demo province's 12 towns (default); province: grown to province "
                   "size with a progress bar (~700 towns, 1,000,000 cases)")
      ->check(CLI::IsMember({"town", "province"}));
  demo->add_option("--towns", demo_options.province.towns, "with --scale province: towns in all (default 700)")
      ->check(CLI::Range(12, 4814));
  demo->add_option("--items", demo_options.province.items_per_town,
                   "with --scale province: devolved items per new town (default 300)")
      ->check(CLI::Range(1, 1000));
  demo->add_option("--cases", demo_options.province.cases,
                   "with --scale province: cases in the new towns (default 1000000)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{100'000'000}));
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
  utok->add_flag("--revoke", uo.revoke,
                 "revoke every token of the account instead (at once, in every server process)");
  auto* udisable = user->add_subcommand(
      "disable", "disable an account: no sign-in, sessions and tokens stop at once");
  add_db(udisable);
  udisable->add_option("name", uo.name, "account name")->required();
  auto* uenable = user->add_subcommand("enable", "enable a disabled account");
  add_db(uenable);
  uenable->add_option("name", uo.name, "account name")->required();
  auto* uunlock =
      user->add_subcommand("unlock", "clear an account's sign-in throttle (every client address)");
  add_db(uunlock);
  uunlock->add_option("name", uo.name, "account name")->required();
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
  if (demo->parsed()) return RunDemo(g, demo_options);
  if (uadd->parsed()) return RunUserAdd(g, uo);
  if (upw->parsed()) return RunUserPasswd(g, uo);
  if (utok->parsed()) return uo.revoke ? RunUserRevokeTokens(g, uo) : RunUserToken(g, uo);
  if (udisable->parsed()) return RunUserSetDisabled(g, uo, true);
  if (uenable->parsed()) return RunUserSetDisabled(g, uo, false);
  if (uunlock->parsed()) return RunUserUnlock(g, uo);
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
