// The CSV form of a staffing register (docs/staffing.md §8): one record per
// line, its type in the "record" column; each line becomes the JSON object
// of the same record and goes through the JSON validator, so both formats
// accept and refuse exactly the same things.
#include <algorithm>
#include <map>
#include <optional>

#include "domain/catalogue_io.h"
#include "domain/staffing_io.h"
#include "domain/staffing_io_internal.h"
#include "domain/text_encoding.h"

namespace quanze::domain {
namespace {

using nlohmann::json;

struct CsvRow {
  int line = 0;
  std::vector<std::string> cells;
};

// RFC 4180: quoted fields with "" escapes and line breaks; CRLF or LF.
// Returns false (with the line) on an unterminated quote.
bool SplitCsv(std::string_view text, std::vector<CsvRow>& rows, int& bad_line) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvRow row;
  std::string cell;
  int line = 1;
  row.line = 1;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = any = true;
    } else if (c == ',') {
      row.cells.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.cells.push_back(std::move(cell));
        rows.push_back(std::move(row));
      }
      cell.clear();
      row = CsvRow{};
      any = false;
      row.line = ++line;
    } else {
      cell += c;
      any = true;
    }
  }
  if (quoted) {
    bad_line = row.line;
    return false;
  }
  if (any || !cell.empty()) {
    row.cells.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return true;
}

enum class Record { kAgency, kQuota, kLeadershipQuota, kPerson, kBaseline };

std::optional<Record> ParseRecord(std::string_view s) {
  if (s == "agency" || s == "机构") return Record::kAgency;
  if (s == "quota" || s == "编制") return Record::kQuota;
  if (s == "leadership_quota" || s == "领导职数") return Record::kLeadershipQuota;
  if (s == "person" || s == "人员") return Record::kPerson;
  if (s == "baseline" || s == "编制基数") return Record::kBaseline;
  return std::nullopt;
}

// Columns that apply to each record type (record and town_code apply to all).
const std::map<std::string, std::vector<Record>>& Columns() {
  using R = Record;
  static const std::map<std::string, std::vector<Record>> kColumns = {
      {"id", {R::kAgency, R::kPerson}},
      {"agency", {R::kQuota, R::kLeadershipQuota, R::kPerson}},
      {"name", {R::kAgency, R::kPerson}},
      {"kind", {R::kAgency}},
      {"rank", {R::kAgency}},
      {"nameplates", {R::kAgency}},
      {"functions", {R::kAgency}},
      {"approval_authority", {R::kAgency}},
      {"approval_doc", {R::kAgency}},
      {"approval_level", {R::kAgency}},
      {"parent_department", {R::kAgency}},
      {"localised", {R::kAgency}},
      {"town_assessment_weight", {R::kAgency}},
      {"quota_kind", {R::kQuota, R::kPerson, R::kBaseline}},
      {"grade", {R::kLeadershipQuota, R::kPerson}},
      {"count", {R::kQuota, R::kLeadershipQuota, R::kBaseline}},
      {"id_number", {R::kPerson}},
      {"post", {R::kPerson}},
      {"title", {R::kPerson}},
      {"is_leader", {R::kPerson}},
      {"grade_approval", {R::kPerson}},
      {"approved_grade", {R::kPerson}},
      {"certificate_number", {R::kPerson}},
      {"certificate_valid_from", {R::kPerson}},
      {"certificate_valid_to", {R::kPerson}},
  };
  return kColumns;
}

std::string LineText(int line) {
  return "第 " + std::to_string(line) + " 行 / line " + std::to_string(line);
}

// The header index of a problem's field on a row: the column itself, a
// nested field ("certificate.valid_from" is column certificate_valid_from),
// or the "kind" that quota_kind becomes (the one of the two the row fills).
std::optional<std::size_t> HeaderColumn(const std::vector<std::string>& header, const CsvRow* row,
                                        std::string field) {
  std::replace(field.begin(), field.end(), '.', '_');
  std::optional<std::size_t> found;
  for (const std::string& name : {field, field == "kind" ? std::string("quota_kind") : field}) {
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) continue;
    const auto col = static_cast<std::size_t>(it - header.begin());
    const bool filled = row != nullptr && col < row->cells.size() && !row->cells[col].empty();
    if (!found || filled) found = col;
    if (filled) break;
  }
  return found;
}

Error LocateColumns(Error e, const std::vector<std::string>& header,
                    const std::vector<CsvRow>& rows) {
  if (e.code != ErrorCode::kValidation || !e.detail.is_object() || !e.detail.contains("errors")) {
    return e;
  }
  std::vector<InputProblem> problems;
  for (const json& p : e.detail["errors"]) {
    InputProblem q{p["row"].is_number_integer() ? p["row"].get<int>() : 0, p.value("where", ""),
                   p.value("field", ""), p.value("message_zh", ""), p.value("message_en", "")};
    auto row = std::lower_bound(rows.begin(), rows.end(), q.line,
                                [](const CsvRow& r, int line) { return r.line < line; });
    const CsvRow* cells = row == rows.end() || row->line != q.line ? nullptr : &*row;
    if (auto col = HeaderColumn(header, cells, q.field); q.line > 0 && col) {
      const std::string letter = ColumnLetter(*col), n = std::to_string(q.line);
      q.where = "第 " + n + " 行 " + letter + " 列 / line " + n + ", column " + letter;
    }
    problems.push_back(std::move(q));
  }
  return ProblemsError(problems);
}

// The JSON object of one record: nested approval/certificate, quota_kind as
// "kind" where the JSON form says so.
json ToRecordJson(Record record, const std::vector<std::string>& header, const CsvRow& row,
                  std::vector<InputProblem>& problems) {
  json j = json::object();
  for (std::size_t i = 0; i < header.size() && i < row.cells.size(); ++i) {
    const std::string& col = header[i];
    const std::string& value = row.cells[i];
    if (col == "record" || col == "town_code" || value.empty()) continue;
    auto it = Columns().find(col);
    if (it == Columns().end()) continue;  // reported once, for the header
    const auto& applies = it->second;
    if (std::find(applies.begin(), applies.end(), record) == applies.end()) {
      problems.push_back({row.line, LineText(row.line), col, "此列不适用于该类记录，应留空",
                          "this column does not apply to this record type; leave it empty"});
      continue;
    }
    if (col.rfind("approval_", 0) == 0) {
      j["approval"][col.substr(9)] = value;
    } else if (col.rfind("certificate_", 0) == 0) {
      j["certificate"][col.substr(12)] = value;
    } else if (col == "quota_kind" && record != Record::kPerson) {
      j["kind"] = value;
    } else {
      j[col] = value;
    }
  }
  return j;
}

}  // namespace

Result<StaffingRegister> ParseRegisterCsv(std::string_view bytes, const StaffingSettings& s) {
  QZ_ASSIGN_OR_RETURN(const std::string text, DecodeToUtf8(bytes));
  std::vector<CsvRow> rows;
  int bad_line = 0;
  if (!SplitCsv(text, rows, bad_line)) {
    return MakeError(ErrorCode::kBadRequest,
                     "CSV 引号未闭合（自第 " + std::to_string(bad_line) + " 行起）",
                     "unterminated quote in the CSV (from line " + std::to_string(bad_line) + ")");
  }
  if (rows.empty()) {
    return MakeError(ErrorCode::kBadRequest, "CSV 文件为空", "the CSV file is empty");
  }
  std::vector<InputProblem> problems;
  const std::vector<std::string> header = rows[0].cells;
  int record_col = -1, town_col = -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "record")
      record_col = static_cast<int>(i);
    else if (header[i] == "town_code")
      town_col = static_cast<int>(i);
    else if (Columns().count(header[i]) == 0) {
      problems.push_back({1, LineText(1), header[i], "未知的列名", "unknown column"});
    }
  }
  if (record_col < 0 || town_col < 0) {
    problems.push_back({1, LineText(1), record_col < 0 ? "record" : "town_code", "表头缺少必需的列",
                        "the header lacks a required column"});
    return LocateColumns(ProblemsError(problems), header, rows);
  }
  std::vector<staffing_io::TownItems> towns;
  std::map<std::string, std::size_t> town_index;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.cells.size() != header.size()) {
      problems.push_back({row.line, LineText(row.line), "",
                          "列数为 " + std::to_string(row.cells.size()) + "，表头为 " +
                              std::to_string(header.size()),
                          "the line has " + std::to_string(row.cells.size()) +
                              " cells; the header has " + std::to_string(header.size())});
      continue;
    }
    const std::string& record_text = row.cells[static_cast<std::size_t>(record_col)];
    const std::string& town = row.cells[static_cast<std::size_t>(town_col)];
    std::optional<Record> record = ParseRecord(record_text);
    if (!record) {
      problems.push_back({row.line, LineText(row.line), "record",
                          "记录类型应为 agency、quota、leadership_quota、person 或 baseline",
                          "record must be agency, quota, leadership_quota, person or baseline"});
      continue;
    }
    if (town.empty()) {
      problems.push_back(
          {row.line, LineText(row.line), "town_code", "必填字段缺失", "required field is missing"});
      continue;
    }
    auto [pos, fresh] = town_index.emplace(town, towns.size());
    if (fresh) {
      staffing_io::TownItems t;
      t.town_code = town;
      t.where = LineText(row.line);
      t.line = row.line;
      towns.push_back(std::move(t));
    }
    staffing_io::TownItems& t = towns[pos->second];
    staffing_io::Item item{ToRecordJson(*record, header, row, problems), LineText(row.line),
                           row.line};
    switch (*record) {
      case Record::kAgency:
        t.agencies.push_back(std::move(item));
        break;
      case Record::kQuota:
        t.quotas.push_back(std::move(item));
        break;
      case Record::kLeadershipQuota:
        t.leadership_quotas.push_back(std::move(item));
        break;
      case Record::kPerson:
        t.persons.push_back(std::move(item));
        break;
      case Record::kBaseline:
        t.baseline.push_back(std::move(item));
        break;
    }
  }
  auto reg = staffing_io::BuildRegister(std::move(towns), std::move(problems), s);
  if (!reg.ok()) return LocateColumns(reg.take_error(), header, rows);
  return reg;
}

}  // namespace quanze::domain
