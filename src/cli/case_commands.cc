// CLI commands of case handling (docs/cases.md):
//   quanze cases sweep --db PATH        the deadline sweep, e.g. from cron or a systemd timer
//   quanze calendar deadline --start YYYY-MM-DD --days N [--unit working|calendar]
// Exit codes: 0 done; 1 failure; 2 input errors.
#include <iostream>

#include "cli/commands.h"

namespace quanze::cli {
namespace {

struct DeadlineOptions {
  std::string start;
  int days = 0;
  std::string unit = "working";
};

int RunSweep(const GlobalOptions& g) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto r = (*app)->writer().Run((*app)->cases().SweepWork());
  if (!r.ok()) return Fail(r.error());
  std::cout << r->value.dump() << "\n";
  return 0;
}

int RunDeadline(const GlobalOptions& g, const DeadlineOptions& o) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto rules = app::LoadCaseRules(config->holidays_dir);
  if (!rules.ok()) return Fail(rules.error());
  auto start = domain::ParseDate(o.start);
  if (!start.ok()) {
    (void)Fail(start.error());
    return 2;
  }
  auto d = o.unit == "calendar" ? (*rules)->calendar.AddCalendarDays(*start, o.days)
                                : (*rules)->calendar.AddWorkingDays(*start, o.days);
  if (!d.ok()) {
    (void)Fail(d.error());
    return 2;
  }
  std::cout << d->ToString() << "\n";
  return 0;
}

}  // namespace

void AddCaseCommands(const CommandGroups& groups, GlobalOptions& g, Dispatchers& dispatchers) {
  CLI::App* cases = groups.root->add_subcommand("cases", "case handling (办件): the deadline sweep");
  cases->require_subcommand(1);
  CLI::App* sweep = cases->add_subcommand(
      "sweep", "open accountability records for overdue steps, late disclosures and "
               "unrectified bad ratings (idempotent)");
  sweep->add_option("--db", g.db, "database: a SQLite file path or a postgresql:// URL (default var/quanze.db)");
  sweep->add_option("--config", g.config_file, "TOML configuration file");
  dispatchers.push_back([sweep, &g]() -> std::optional<int> {
    if (!sweep->parsed()) return std::nullopt;
    return RunSweep(g);
  });

  auto dopt = std::make_shared<DeadlineOptions>();
  CLI::App* cal = groups.root->add_subcommand("calendar", "the working-day calendar (工作日历)");
  cal->require_subcommand(1);
  CLI::App* deadline = cal->add_subcommand(
      "deadline", "the last day of a time limit (start day not counted; 民法典 第二百零一、二百零三条)");
  deadline->add_option("--start", dopt->start, "start date YYYY-MM-DD")->required();
  deadline->add_option("--days", dopt->days, "the limit in days")->required()->check(CLI::Range(0, 3650));
  deadline->add_option("--unit", dopt->unit, "working (工作日) or calendar (自然日)")
      ->check(CLI::IsMember({"working", "calendar"}));
  deadline->add_option("--config", g.config_file, "TOML configuration file (cases.holidays_dir)");
  dispatchers.push_back([deadline, dopt, &g]() -> std::optional<int> {
    if (!deadline->parsed()) return std::nullopt;
    return RunDeadline(g, *dopt);
  });
}

}  // namespace quanze::cli
