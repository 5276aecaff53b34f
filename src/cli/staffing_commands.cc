// CLI commands of the staffing area (docs/staffing.md §8, §11):
//   quanze import staffing FILE [--replace] [--format json|csv] --db PATH
//   quanze check staffing [--region CODE] [--json] [--strict] --db PATH
// Exit codes: 0 done (check: the scan ran, whatever it found; with --strict
// 3 when it found violations); 1 failure; 2 usage or input errors — a
// malformed import lists every bad row and field and writes nothing.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "domain/staffing_io.h"

namespace quanze::cli {
namespace {

struct ImportOptions {
  std::string file;
  std::string format;
  bool replace = false;
};

struct CheckOptions {
  std::string region;
  bool json = false;
  bool strict = false;
};

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kBadRequest, "无法读取文件 " + path, "cannot read file " + path);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every problem on its own line, each naming the file, the line and column
// (CSV) or JSON path, and the field: "  FILE 第 3 行 S 列 / line 3, column S
// id_number: 中文 / English". The domain's messages are UTF-8 whatever the
// file's encoding (ParseRegisterCsv decodes GB18030 first).
void PrintProblems(const std::string& file, const Error& e) {
  std::cerr << "quanze: " << file << ": " << e.Describe() << "\n";
  if (!e.detail.is_object() || !e.detail.contains("errors")) return;
  for (const auto& p : e.detail["errors"]) {
    std::cerr << "  " << file << " " << p.value("where", "") << "  " << p.value("field", "") << ": "
              << p.value("message_zh", "") << " / " << p.value("message_en", "") << "\n";
  }
}

int RunImport(const GlobalOptions& g, const ImportOptions& o) {
  auto text = ReadWholeFile(o.file);
  if (!text.ok()) return Fail(text.error());
  std::string format = o.format;
  if (format.empty()) {
    const bool csv = o.file.size() >= 4 && (o.file.substr(o.file.size() - 4) == ".csv" ||
                                            o.file.substr(o.file.size() - 4) == ".CSV");
    format = csv ? "csv" : "json";
  }
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  app::StaffingService& svc = (*app)->staffing();
  app::StaffingImportOptions options;
  options.replace = o.replace;
  options.source = o.file.substr(
      o.file.find_last_of('/') == std::string::npos ? 0 : o.file.find_last_of('/') + 1);
  auto reg = svc.PrepareImport(*text, format, options);
  if (!reg.ok()) {
    PrintProblems(o.file, reg.error());
    return reg.error().code == ErrorCode::kBadRequest || reg.error().code == ErrorCode::kValidation
               ? 2
               : 1;
  }
  std::cerr << "正在导入 / importing " << reg->towns.size() << " town(s), " << reg->agencies
            << " agencies, " << reg->persons << " persons …\n";
  const int total = static_cast<int>(reg->towns.size());
  const int step = total > 50 ? total / 20 : 1;
  options.progress = [step, total](const std::string& town, int done, int, std::int64_t persons) {
    if (done % step == 0 || done == total) {
      std::cerr << "  [" << done << "/" << total << "] " << town << "  persons so far: " << persons
                << "\n";
    }
  };
  auto r = svc.Import(app::Actor::Cli(), *reg, options);
  if (!r.ok()) return Fail(r.error());
  std::cout << "已导入 / imported: " << r->value["towns"] << " town(s), " << r->value["agencies"]
            << " agencies, " << r->value["persons"] << " persons";
  if (!r->value["replaced_towns"].empty())
    std::cout << " (replaced: " << r->value["replaced_towns"].dump() << ")";
  std::cout << "; last receipt index " << (r->receipt ? r->receipt->index : -1) << "\n";
  std::int64_t found = 0;
  for (const auto& t : reg->towns) {
    auto scan = svc.Violations(app::SystemStaffingUser(), t.staffing.town_code, 0, 1);
    if (scan.ok()) found += (*scan)["count"].get<std::int64_t>();
  }
  std::cout << "扫描发现 " << found << " 项违规 / the scan finds " << found
            << " violation(s); see `quanze check staffing`\n";
  return 0;
}

int RunCheck(const GlobalOptions& g, const CheckOptions& o) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  const app::AuthUser user = app::SystemStaffingUser();
  std::vector<std::string> regions;
  if (!o.region.empty()) {
    regions.push_back(o.region);
  } else {
    std::string cursor;
    do {
      auto page = (*app)->regions().List(user, std::nullopt, cursor, 500);
      if (!page.ok()) return Fail(page.error());
      for (const auto& r : (*page)["items"]) {
        if (r["level"] == "province") regions.push_back(r["code"].get<std::string>());
      }
      cursor = (*page)["next_cursor"].is_string() ? (*page)["next_cursor"].get<std::string>() : "";
    } while (!cursor.empty());
  }
  nlohmann::json all = nlohmann::json::array();
  std::int64_t count = 0;
  for (const std::string& region : regions) {
    auto scan = (*app)->staffing().Violations(user, region, 0, 1 << 30);
    if (!scan.ok()) return Fail(scan.error());
    count += (*scan)["count"].get<std::int64_t>();
    if (o.json) {
      all.push_back(*scan);
      continue;
    }
    const auto& s = *scan;
    std::cout << s["region"]["code"].get<std::string>() << " "
              << s["region"]["name"].get<std::string>() << ": " << s["towns_scanned"]
              << " town(s), " << s["agencies_scanned"] << " agencies, " << s["persons_scanned"]
              << " persons scanned\n";
    for (const auto& v : s["items"]) {
      std::cout << v["town_code"].get<std::string>() << " " << v["town_name"].get<std::string>()
                << "\t" << v["rule"].get<std::string>() << " " << v["rule_zh"].get<std::string>()
                << "\t"
                << "agency=" << v["agency_id"]
                << (v["agency_name"].is_string() ? " " + v["agency_name"].get<std::string>() : "")
                << "\tperson=" << v["person_id"]
                << (v["person_name"].is_string() ? " " + v["person_name"].get<std::string>() : "")
                << "\t" << v["evidence_zh"].get<std::string>() << " / "
                << v["evidence_en"].get<std::string>() << "\n";
    }
    std::cout << "共 " << s["count"] << " 项违规 / " << s["count"] << " violation(s)";
    if (!s["by_rule"].empty()) std::cout << "  " << s["by_rule"].dump();
    std::cout << "\n";
  }
  if (o.json) std::cout << (o.region.empty() ? all : all[0]).dump(2) << "\n";
  return o.strict && count > 0 ? 3 : 0;
}

}  // namespace

void AddStaffingCommands(const CommandGroups& groups, GlobalOptions& g, Dispatchers& dispatchers) {
  auto add_db = [&g](CLI::App* sub) {
    sub->add_option("--db", g.db, "database: a SQLite file path or a postgresql:// URL (default var/quanze.db)");
    sub->add_option("--config", g.config_file, "TOML configuration file");
  };
  auto io = std::make_shared<ImportOptions>();
  CLI::App* imp = groups.import_cmd->add_subcommand(
      "staffing",
      "import staffing registers (机构编制台账), JSON or CSV; all or nothing (docs/staffing.md)");
  add_db(imp);
  imp->add_option("file", io->file, "the register file (.json or .csv)")->required();
  imp->add_option("--format", io->format, "json or csv (default: from the file name)")
      ->check(CLI::IsMember({"json", "csv"}));
  imp->add_flag("--replace", io->replace, "replace the register of towns that already have one");
  dispatchers.push_back([imp, io, &g]() -> std::optional<int> {
    if (!imp->parsed()) return std::nullopt;
    return RunImport(g, *io);
  });

  auto co = std::make_shared<CheckOptions>();
  CLI::App* chk = groups.check_cmd->add_subcommand(
      "staffing", "scan organisation and staffing for violations (rule, agency, person, evidence)");
  add_db(chk);
  chk->add_option("--region", co->region,
                  "a town, county, city or province code (default: every province)");
  chk->add_flag("--json", co->json, "print the scan as JSON");
  chk->add_flag("--strict", co->strict, "exit with 3 when the scan finds violations");
  dispatchers.push_back([chk, co, &g]() -> std::optional<int> {
    if (!chk->parsed()) return std::nullopt;
    return RunCheck(g, *co);
  });
}

}  // namespace quanze::cli
