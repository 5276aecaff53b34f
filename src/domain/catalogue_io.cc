// RFC 4180 CSV reading and writing, and the shared import error list. Text
// decoding is in text_encoding.cc; the catalogue's columns in catalogue_io_csv.cc.
#include "domain/catalogue_io.h"

#include <algorithm>
#include <map>
#include <set>

#include "domain/catalogue_io_internal.h"

namespace quanze::domain {
namespace cii = catalogue_io_internal;
namespace {

using nlohmann::json;

void AddRowError(std::vector<cii::RowError>& errors, int row, std::string zh, std::string en) {
  errors.push_back({row, std::nullopt, "", std::move(zh), std::move(en)});
}

struct CsvScan {
  std::vector<CsvRecord> records;
  std::vector<cii::RowError> errors;
};

bool LineEnd(char c) { return c == '\n' || c == '\r'; }

CsvScan ScanCsv(std::string_view text) {
  CsvScan scan;
  size_t i = 0;
  const size_t n = text.size();
  int row = 0;
  while (i < n) {
    CsvRecord rec{++row, {}};
    while (true) {
      std::string field;
      if (i < n && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < n) {
          size_t q = text.find('"', i);
          if (q == std::string_view::npos) break;
          field.append(text.substr(i, q - i));
          i = q + 1;
          if (i < n && text[i] == '"') {
            field.push_back('"');
            ++i;
            continue;
          }
          closed = true;
          break;
        }
        if (!closed) {
          AddRowError(scan.errors, row, "引号未闭合（从此行开始的带引号单元格没有结束引号）",
                      "a quoted cell starting on this row is never closed");
          rec.fields.push_back(std::move(field));
          scan.records.push_back(std::move(rec));
          return scan;
        }
        if (i < n && text[i] != ',' && !LineEnd(text[i])) {
          AddRowError(scan.errors, row, "结束引号后还有多余字符",
                      "characters follow the closing quote of a cell");
          while (i < n && text[i] != ',' && !LineEnd(text[i])) ++i;
        }
      } else {
        size_t j = i;
        while (j < n && text[j] != ',' && !LineEnd(text[j])) ++j;
        field.assign(text.substr(i, j - i));
        i = j;
      }
      rec.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < n && text[i] == '\r') {
        ++i;
        if (i < n && text[i] == '\n') ++i;
      } else if (i < n && text[i] == '\n') {
        ++i;
      }
      break;
    }
    scan.records.push_back(std::move(rec));
  }
  return scan;
}

// A cell a spreadsheet would run as a formula (OWASP "CSV injection"): it
// starts with = + - @ tab or CR, possibly behind the quotes that neutralise
// it. Counting those quotes keeps writing and reading inverse to each other.
bool StartsLikeFormula(std::string_view f) {
  constexpr std::string_view kTriggers = "=+-@\t\r";
  const size_t i = f.find_first_not_of('\'');
  return i != std::string_view::npos && kTriggers.find(f[i]) != std::string_view::npos;
}

bool NeedsQuotes(std::string_view f) {
  if (f.empty()) return false;
  if (f.front() == ' ' || f.front() == '\t' || f.back() == ' ' || f.back() == '\t') return true;
  return f.find_first_of(",\"\r\n") != std::string_view::npos;
}

}  // namespace

std::string ColumnLetter(size_t index) {
  std::string s;
  ++index;
  while (index > 0) {
    --index;
    s.insert(s.begin(), static_cast<char>('A' + index % 26));
    index /= 26;
  }
  return s;
}

Result<std::vector<CsvRecord>> ReadCsv(std::string_view text) {
  CsvScan scan = ScanCsv(text);
  if (!scan.errors.empty()) return cii::ImportFailure(std::move(scan.errors));
  for (CsvRecord& r : scan.records) {
    for (std::string& f : r.fields) {
      if (f.starts_with('\'') && StartsLikeFormula(f)) f.erase(0, 1);
    }
  }
  return std::move(scan.records);
}

std::string WriteCsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string f = StartsLikeFormula(fields[i]) ? "'" + fields[i] : fields[i];
    if (!NeedsQuotes(f)) {
      out += f;
      continue;
    }
    out += '"';
    size_t start = 0;
    for (size_t q = f.find('"'); q != std::string::npos; q = f.find('"', start)) {
      out.append(f, start, q + 1 - start);
      out += '"';
      start = q + 1;
    }
    out.append(f, start);
    out += '"';
  }
  out += "\r\n";
  return out;
}

namespace catalogue_io_internal {

Error ImportFailure(std::vector<RowError> errors) {
  // By row, then by column (A, B, ..., Z, AA); whole-row and JSON errors keep their order.
  std::stable_sort(errors.begin(), errors.end(), [](const RowError& a, const RowError& b) {
    if (a.row != b.row) return a.row < b.row;
    const std::string &x = a.column_letter, &y = b.column_letter;
    if (x.size() != y.size()) return x.size() < y.size();
    return x < y;
  });
  json list = json::array();
  std::vector<int> rows;
  for (const auto& e : errors) {
    if (rows.empty() || rows.back() != e.row) rows.push_back(e.row);
    json entry = {{"row", e.row},
                  {"column", e.column ? json(*e.column) : json(nullptr)},
                  {"reason_zh", e.reason_zh},
                  {"reason_en", e.reason_en}};
    if (!e.column_letter.empty()) entry["column_letter"] = e.column_letter;
    list.push_back(std::move(entry));
  }
  std::string row_list;
  for (size_t i = 0; i < rows.size() && i < 10; ++i) {
    row_list += (i ? ", " : "") + std::to_string(rows[i]);
  }
  if (rows.size() > 10) row_list += ", ...";
  return MakeError(ErrorCode::kValidation,
                   "导入失败：共" + std::to_string(rows.size()) + "行有问题（第" + row_list +
                       "行），未导入任何事项",
                   "import failed: " + std::to_string(rows.size()) + " bad row(s) (" + row_list +
                       "); nothing was imported",
                   {{"errors", std::move(list)}, {"bad_rows", rows.size()}});
}

std::vector<RowError> CheckCatalogueRows(const std::vector<RowRef>& rows, const CodeColumns& cols) {
  std::vector<RowError> errors;
  std::map<std::string, const RowRef*> first;
  for (const auto& r : rows) {
    if (r.power->code.empty()) continue;
    auto [it, inserted] = first.emplace(r.power->code, &r);
    if (!inserted) {
      std::string other = std::to_string(it->second->row);
      errors.push_back({r.row, cols.code, cols.code_letter,
                        "事项编码" + r.power->code + "与第" + other + "行重复",
                        "code " + r.power->code + " duplicates row " + other});
    }
  }
  for (const auto& r : rows) {
    const std::string& parent = r.power->parent_code;
    if (parent.empty() || parent == r.power->code) continue;
    if (!first.count(parent)) {
      errors.push_back({r.row, cols.parent, cols.parent_letter,
                        "上级事项编码" + parent + "在本文件中不存在",
                        "parent code " + parent + " is not in this file"});
      continue;
    }
    std::set<std::string> seen{r.power->code};
    std::string cur = parent;
    while (!cur.empty()) {
      if (!seen.insert(cur).second) {
        errors.push_back({r.row, cols.parent, cols.parent_letter, "上级事项关系形成循环",
                          "parent codes form a loop"});
        break;
      }
      auto it = first.find(cur);
      cur = it == first.end() ? "" : it->second->power->parent_code;
    }
  }
  return errors;
}

}  // namespace catalogue_io_internal
}  // namespace quanze::domain
