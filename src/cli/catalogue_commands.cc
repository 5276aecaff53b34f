// CLI commands of the catalogue area:
//   quanze import catalogue FILE.csv|FILE.json [--province CODE] [--format csv|json]
//   quanze export catalogue --town CODE [--version V] --format csv|json|xlsx [--out FILE]
//   quanze export catalogue --province CODE --format csv|json [--out FILE]
// Exit codes: 0 done; 2 bad input (every bad row listed, nothing imported) or
// usage; 1 other failures.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/catalogue.h"
#include "cli/commands.h"

namespace quanze::cli {
namespace {

struct ImportOptions {
  std::string file;
  std::string province;
  std::string format;
};

struct ExportOptions {
  std::string town;
  std::string province;
  std::int64_t version = 0;
  std::string format = "json";
  std::string out;
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Prints every bad row as "第N行 C列（表头）：原因 / row N, column C (header): reason".
void PrintRowErrors(const Error& e) {
  const nlohmann::json& errors = e.detail.is_object()
                                     ? e.detail.value("errors", nlohmann::json::array())
                                     : nlohmann::json::array();
  for (const auto& err : errors) {
    std::string row = err.contains("row") ? err["row"].dump() : "?";
    std::string letter = err.value("column_letter", std::string());
    std::string column = err.contains("column") && err["column"].is_string()
                             ? err["column"].get<std::string>()
                             : std::string();
    std::string where_zh = "第" + row + "行";
    std::string where_en = "row " + row;
    if (!letter.empty()) {
      where_zh += " " + letter + "列";
      where_en += ", column " + letter;
    }
    if (!column.empty()) {
      where_zh += "（" + column + "）";
      where_en += " (" + column + ")";
    }
    std::cerr << "  " << where_zh << "：" << err.value("reason_zh", std::string()) << " / "
              << where_en << ": " << err.value("reason_en", std::string()) << "\n";
  }
}

int RunImport(const GlobalOptions& g, const ImportOptions& o) {
  auto started = std::chrono::steady_clock::now();
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    return Fail(
        MakeError(ErrorCode::kBadRequest, "无法读取文件 " + o.file, "cannot read " + o.file));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string bytes = buf.str();
  std::string format = o.format;
  if (format.empty() && (EndsWith(o.file, ".csv") || EndsWith(o.file, ".CSV"))) format = "csv";
  if (format.empty() && (EndsWith(o.file, ".json") || EndsWith(o.file, ".JSON"))) format = "json";
  std::cerr << "读取 / reading " << o.file << " (" << bytes.size() << " bytes)\n";
  auto parsed = app::ParseMasterCatalogue(bytes, format);
  if (!parsed.ok()) {
    const Error& e = parsed.error();
    if (e.code != ErrorCode::kValidation) return Fail(e);
    std::cerr << "quanze: " << e.Describe() << "\n";
    PrintRowErrors(e);
    std::cerr << "未导入任何事项 / nothing was imported\n";
    return 2;
  }
  auto parsed_at = std::chrono::steady_clock::now();
  std::cerr << "已检查 / checked " << parsed->powers.size() << " items (" << parsed->format
            << ")\n";
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto province = (*app)->catalogue().ResolveProvince(
      "all", o.province.empty() ? std::nullopt : std::optional<std::string>(o.province));
  if (!province.ok()) return Fail(province.error());
  auto writing = std::chrono::steady_clock::now();
  auto r = (*app)->writer().Run((*app)->catalogue().ImportMaster(
      app::CatalogueCaller{app::Actor::Cli(), "all"}, *province, std::move(parsed).value()));
  if (!r.ok()) return Fail(r.error());
  const auto& v = r->value;
  using Ms = std::chrono::duration<double, std::milli>;
  auto parse_ms = static_cast<long long>(Ms(parsed_at - started).count());
  auto write_ms = static_cast<long long>(Ms(std::chrono::steady_clock::now() - writing).count());
  std::cout << "导入完成 / imported into province " << *province << ": " << v["items"] << " items ("
            << "added " << v["added"] << ", updated " << v["updated"] << ", unchanged "
            << v["unchanged"] << "); the master catalogue now holds " << v["total"] << " items; "
            << parse_ms + write_ms << " ms (read and checked " << parse_ms
            << " ms, written and journaled " << write_ms
            << " ms in one transaction); receipt index " << (r->receipt ? r->receipt->index : -1)
            << "\n";
  return 0;
}

int RunExport(const GlobalOptions& g, const ExportOptions& o) {
  auto format = app::ParseCatalogueFormat(o.format);
  if (!format) {
    return Fail(MakeError(ErrorCode::kBadRequest, "--format 须为 csv、json 或 xlsx",
                          "--format must be csv, json or xlsx"));
  }
  if (o.town.empty() == o.province.empty()) {
    return Fail(MakeError(
        ErrorCode::kBadRequest, "请指定 --town（镇赋权目录）或 --province（通用目录）之一",
        "give either --town (a town catalogue) or --province (the master catalogue)"));
  }
  if (*format == app::CatalogueFormat::kXlsx && o.out.empty()) {
    return Fail(MakeError(ErrorCode::kBadRequest, "XLSX 须用 --out 指定输出文件",
                          "XLSX needs an output file (--out)"));
  }
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  std::string bytes;
  if (!o.town.empty()) {
    auto doc = (*app)->catalogue().TownCatalogue(
        o.town, o.version > 0 ? std::optional<std::int64_t>(o.version) : std::nullopt, *format);
    if (!doc.ok()) return Fail(doc.error());
    bytes = (*doc)->body;
  } else {
    auto doc = (*app)->catalogue().ExportMaster(o.province, *format);
    if (!doc.ok()) return Fail(doc.error());
    bytes = std::move(doc).value();
  }
  if (o.out.empty()) {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    return 0;
  }
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    return Fail(MakeError(ErrorCode::kInternal, "无法写入 " + o.out, "cannot write " + o.out));
  std::cerr << "wrote " << o.out << " (" << bytes.size() << " bytes)\n";
  return 0;
}

}  // namespace

void AddCatalogueCommands(const CommandGroups& groups, GlobalOptions& g, Dispatchers& dispatchers) {
  auto add_db = [&g](CLI::App* sub) {
    sub->add_option("--db", g.db, "database: a SQLite file path or a postgresql:// URL (default var/quanze.db)");
    sub->add_option("--config", g.config_file, "TOML configuration file");
  };
  // Shared: CLI11 binds the fields' addresses and the dispatchers outlive this call.
  auto io = std::make_shared<ImportOptions>();
  auto* imp = groups.import_cmd->add_subcommand("catalogue",
                                                "import a province master catalogue (通用目录) "
                                                "from CSV or JSON; UTF-8 or GBK; all or nothing");
  add_db(imp);
  imp->add_option("file", io->file, "FILE.csv or FILE.json")->required();
  imp->add_option("--province", io->province, "province code (default: the only province)");
  imp->add_option("--format", io->format, "csv or json (default: from the file name or content)")
      ->check(CLI::IsMember({"csv", "json"}));
  dispatchers.push_back([imp, io, &g]() -> std::optional<int> {
    if (!imp->parsed()) return std::nullopt;
    return RunImport(g, *io);
  });

  auto eo = std::make_shared<ExportOptions>();
  auto* exp = groups.export_cmd->add_subcommand(
      "catalogue", "export a town's published catalogue (赋权目录) or the master catalogue");
  add_db(exp);
  exp->add_option("--town", eo->town, "town code: its published catalogue");
  exp->add_option("--version", eo->version, "version (default: the latest)")
      ->check(CLI::Range(1, 1 << 30));
  exp->add_option("--province", eo->province, "province code: its master catalogue (csv or json)");
  exp->add_option("--format", eo->format, "csv, json or xlsx (default json)")
      ->check(CLI::IsMember({"csv", "json", "xlsx"}));
  exp->add_option("--out", eo->out, "output file (default: standard output; required for xlsx)");
  dispatchers.push_back([exp, eo, &g]() -> std::optional<int> {
    if (!exp->parsed()) return std::nullopt;
    return RunExport(g, *eo);
  });
}

}  // namespace quanze::cli
