// Text decoding, RFC 4180 CSV reading and writing, and the shared import
// error list. The catalogue's column set is in catalogue_io_csv.cc.
#include "domain/catalogue_io.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>

#include "domain/catalogue_io_internal.h"

namespace quanze::domain {
namespace cii = catalogue_io_internal;
namespace {

using nlohmann::json;

class IconvHandle {
 public:
  IconvHandle(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~IconvHandle() {
    if (ok()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

// The converted text, or the byte offset of the first sequence `from` rejects.
Result<std::string> Convert(std::string_view in, const char* from, std::string_view name) {
  IconvHandle cd("UTF-8", from);
  if (!cd.ok()) {
    return MakeError(ErrorCode::kInternal, "系统不支持" + std::string(name) + "编码转换",
                     "iconv cannot convert from " + std::string(name));
  }
  std::string out(in.size() * 2 + 16, '\0');
  char* inp = const_cast<char*>(in.data());
  size_t in_left = in.size();
  char* outp = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(cd.get(), &inp, &in_left, &outp, &out_left) != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      size_t used = outp - out.data();
      out.resize(out.size() * 2);
      outp = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    size_t offset = inp - in.data();
    return MakeError(ErrorCode::kBadRequest,
                     "文件编码无法识别：不是UTF-8，按" + std::string(name) + "解码在第" +
                         std::to_string(offset + 1) + "字节处失败。请另存为UTF-8或GBK编码的CSV",
                     "unrecognised text encoding: not UTF-8, and " + std::string(name) +
                         " decoding fails at byte " + std::to_string(offset + 1) +
                         "; save the file as UTF-8 or GBK CSV",
                     {{"byte_offset", offset}, {"tried", {"UTF-8", std::string(name)}}});
  }
  out.resize(outp - out.data());
  return out;
}

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

bool NeedsQuotes(std::string_view f) {
  if (f.empty()) return false;
  if (f.front() == ' ' || f.front() == '\t' || f.back() == ' ' || f.back() == '\t') return true;
  return f.find_first_of(",\"\r\n") != std::string_view::npos;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) return false;
    unsigned char c1 = s[i + 1];
    if (c1 < lo || c1 > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      unsigned char ck = s[i + k];
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

Result<std::string> DecodeToUtf8(std::string_view bytes) {
  if (bytes.starts_with("PK\x03\x04")) {
    return MakeError(ErrorCode::kBadRequest,
                     "这是Excel工作簿（.xlsx）文件，请在Excel中“另存为”CSV后再导入",
                     "this is an Excel workbook (.xlsx); save it as CSV and import that");
  }
  if (bytes.starts_with("\xEF\xBB\xBF"))
    bytes.remove_prefix(3);
  else if (bytes.starts_with("\xFF\xFE"))
    return Convert(bytes.substr(2), "UTF-16LE", "UTF-16LE");
  else if (bytes.starts_with("\xFE\xFF"))
    return Convert(bytes.substr(2), "UTF-16BE", "UTF-16BE");
  if (IsValidUtf8(bytes)) return std::string(bytes);
  QZ_ASSIGN_OR_RETURN(std::string text, Convert(bytes, "GB18030", "GB18030"));
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // a GB18030 BOM (84 31 95 33)
  return text;
}

Result<std::vector<CsvRecord>> ReadCsv(std::string_view text) {
  CsvScan scan = ScanCsv(text);
  if (!scan.errors.empty()) return cii::ImportFailure(std::move(scan.errors));
  return std::move(scan.records);
}

std::string WriteCsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
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
