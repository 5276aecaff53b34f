// The catalogue CSV: its columns, list-cell encoding, reading and writing.
//
// Columns (header text; English alias; * = required), in the order written:
//   事项编码* code | 事项名称* name | 事项类型* kind | 上级事项编码 parent_code |
//   设定依据* legal_basis | 原实施部门* originating_department |
//   法定时限* statutory_limit | 承诺时限* promised_limit | 时限单位* limit_unit |
//   可中止 suspension_allowed | 可延期 extension_allowed |
//   最长延期天数 max_extension_days | 是否收费 fee_charged |
//   收费标准(分) fee_amount_fen | 收费依据 fee_basis | 申请材料 materials |
//   责任事项 responsibility_items | 追责情形 accountability_situations |
//   有效期起* valid_from | 有效期止 valid_to | 版本 version | 备注 remarks
// A column "序号" (or "no") is ignored; any other unknown column is an error.
// Cells: kinds as 行政许可 ... 其他 (or the English codes); units 工作日/自然日;
// booleans 是/否 (also true/false, 1/0, yes/no, Y/N); days and fen as integers;
// dates YYYY-MM-DD (also YYYY/M/D and YYYY年M月D日, as Excel may rewrite them).
// List cells: see catalogue_io.h.
#include <array>
#include <charconv>
#include <cstdio>
#include <set>

#include "domain/catalogue_io.h"
#include "domain/catalogue_io_internal.h"

namespace quanze::domain {
namespace cii = catalogue_io_internal;
namespace {

enum class Col {
  kCode,
  kName,
  kKind,
  kParent,
  kBasis,
  kDept,
  kStatutory,
  kPromised,
  kUnit,
  kSuspend,
  kExtend,
  kMaxExt,
  kFeeCharged,
  kFeeAmount,
  kFeeBasis,
  kMaterials,
  kDuties,
  kAccountability,
  kValidFrom,
  kValidTo,
  kVersion,
  kRemarks,
  kCount
};

struct ColumnSpec {
  Col col;
  std::string_view zh;
  std::string_view en;
  bool required;
  std::string_view field;  // JSON field (prefix) that ValidatePowerFields reports
  std::array<std::string_view, 3> aliases;
};

constexpr std::array<ColumnSpec, static_cast<size_t>(Col::kCount)> kColumns{{
    {Col::kCode, "事项编码", "code", true, "code", {"基本编码", "权力编码", "职权编码"}},
    {Col::kName, "事项名称", "name", true, "name", {"权力名称", "职权名称", "赋权事项"}},
    {Col::kKind, "事项类型", "kind", true, "kind", {"权力类型", "权力类别", "职权类型"}},
    {Col::kParent, "上级事项编码", "parent_code", false, "parent_code", {"主项编码"}},
    {Col::kBasis, "设定依据", "legal_basis", true, "legal_basis", {"实施依据", "法律法规依据"}},
    {Col::kDept,
     "原实施部门",
     "originating_department",
     true,
     "originating_department",
     {"原实施主体"}},
    {Col::kStatutory, "法定时限", "statutory_limit", true, "statutory_limit", {"法定办结时限"}},
    {Col::kPromised, "承诺时限", "promised_limit", true, "promised_limit", {"承诺办结时限"}},
    {Col::kUnit, "时限单位", "limit_unit", true, "", {}},
    {Col::kSuspend, "可中止", "suspension_allowed", false, "suspension_allowed", {}},
    {Col::kExtend, "可延期", "extension_allowed", false, "extension_allowed", {}},
    {Col::kMaxExt, "最长延期天数", "max_extension_days", false, "max_extension_days", {}},
    {Col::kFeeCharged, "是否收费", "fee_charged", false, "fee.charged", {}},
    {Col::kFeeAmount,
     "收费标准(分)",
     "fee_amount_fen",
     false,
     "fee.amount_fen",
     {"收费标准（分）"}},
    {Col::kFeeBasis, "收费依据", "fee_basis", false, "fee.basis", {}},
    {Col::kMaterials, "申请材料", "materials", false, "materials", {"办理材料"}},
    {Col::kDuties, "责任事项", "responsibility_items", false, "responsibility_items", {}},
    {Col::kAccountability,
     "追责情形",
     "accountability_situations",
     false,
     "accountability_situations",
     {"问责情形", "责任追究情形"}},
    {Col::kValidFrom, "有效期起", "valid_from", true, "valid_from", {}},
    {Col::kValidTo, "有效期止", "valid_to", false, "valid_to", {}},
    {Col::kVersion, "版本", "version", false, "version", {"版本号"}},
    {Col::kRemarks, "备注", "remarks", false, "remarks", {}},
}};

const ColumnSpec& Spec(Col c) { return kColumns[static_cast<size_t>(c)]; }

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kIdeo = "\xE3\x80\x80";
  while (true) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
      s.remove_prefix(1);
    else if (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
      s.remove_suffix(1);
    else if (s.starts_with(kIdeo))
      s.remove_prefix(kIdeo.size());
    else if (s.ends_with(kIdeo))
      s.remove_suffix(kIdeo.size());
    else
      return s;
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<Col> MatchHeader(std::string_view raw) {
  std::string_view h = Trim(raw);
  std::string lower = Lower(h);
  for (const auto& s : kColumns) {
    if (h == s.zh || lower == s.en) return s.col;
    for (auto a : s.aliases) {
      if (!a.empty() && h == a) return s.col;
    }
  }
  return std::nullopt;
}

// --- list cells --------------------------------------------------------

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  size_t start = 0;
  for (size_t i = s.find_first_of("\\\n\r|"); i != std::string_view::npos;
       i = s.find_first_of("\\\n\r|", start)) {
    out.append(s.substr(start, i - start));
    out += '\\';
    out += s[i] == '\n' ? 'n' : s[i] == '\r' ? 'r' : s[i];
    start = i + 1;
  }
  out.append(s.substr(start));
  return out;
}

std::string JoinLines(const std::vector<std::string>& entries) {
  std::string out;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) out += '\n';
    out += entries[i];
  }
  return out;
}

// Entries of a list cell: one per line (LF, CRLF or CR); blank lines skipped.
std::vector<std::string_view> Entries(std::string_view cell) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= cell.size(); ++i) {
    if (i < cell.size() && cell[i] != '\n' && cell[i] != '\r') continue;
    std::string_view e = cell.substr(start, i - start);
    if (!Trim(e).empty()) out.push_back(e);
    if (i + 1 < cell.size() && cell[i] == '\r' && cell[i + 1] == '\n') ++i;
    start = i + 1;
  }
  return out;
}

// Unescapes an entry; with `split`, an unescaped "|" starts a new part. An
// unknown escape keeps its backslash, so hand-typed backslashes survive.
std::vector<std::string> Parts(std::string_view e, bool split) {
  std::vector<std::string> parts(1);
  const char* specials = split ? "\\|" : "\\";
  size_t start = 0;
  for (size_t i = e.find_first_of(specials); i != std::string_view::npos;
       i = e.find_first_of(specials, start)) {
    parts.back().append(e.substr(start, i - start));
    start = i + 1;
    if (e[i] == '|') {
      parts.emplace_back();
      continue;
    }
    char n = i + 1 < e.size() ? e[i + 1] : '\0';
    if (n == '\\' || n == '|' || n == 'n' || n == 'r') {
      parts.back() += n == 'n' ? '\n' : n == 'r' ? '\r' : n;
      start = i + 2;
    } else {
      parts.back() += '\\';
    }
  }
  parts.back().append(e.substr(start));
  return parts;
}

std::string EncodeBasis(const LegalBasis& b) {
  std::string s = "《" + Escape(b.law) + "》" + Escape(b.article);
  if (!b.clause.empty()) s += "：" + Escape(b.clause);
  return s;
}

std::string BoolCell(bool b) { return b ? "是" : "否"; }

// --- reading one row -------------------------------------------------

struct Header {
  std::array<int, static_cast<size_t>(Col::kCount)> index;  // -1 when absent
  std::vector<std::string> names;                           // as written
  std::vector<size_t> unnamed;  // columns with an empty header: must stay empty
};

class RowReader {
 public:
  RowReader(const Header& h, const CsvRecord& rec, std::vector<cii::RowError>& errors)
      : h_(h), rec_(rec), errors_(errors) {}

  std::string_view Raw(Col c) const {
    int i = h_.index[static_cast<size_t>(c)];
    if (i < 0 || static_cast<size_t>(i) >= rec_.fields.size()) return {};
    return rec_.fields[i];
  }
  std::string Text(Col c) const { return std::string(Trim(Raw(c))); }

  const std::set<Col>& failed() const { return failed_; }

  void Err(Col c, std::string zh, std::string en) {
    failed_.insert(c);
    int i = h_.index[static_cast<size_t>(c)];
    if (i < 0) {
      errors_.push_back({rec_.row, std::string(Spec(c).zh), "", std::move(zh), std::move(en)});
    } else {
      errors_.push_back({rec_.row, h_.names[i], ColumnLetter(i), std::move(zh), std::move(en)});
    }
  }

  template <typename T>
  T Int(Col c, T fallback) {
    std::string_view s = Trim(Raw(c));
    if (s.empty()) {
      if (Spec(c).required) Err(c, "不能为空", "is required");
      return fallback;
    }
    T v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) {
      Err(c, "须为整数：" + std::string(s), "must be an integer: " + std::string(s));
      return fallback;
    }
    return v;
  }

  bool Bool(Col c) {
    std::string s = Lower(Trim(Raw(c)));
    if (s.empty() || s == "否" || s == "false" || s == "0" || s == "no" || s == "n") return false;
    if (s == "是" || s == "true" || s == "1" || s == "yes" || s == "y") return true;
    Err(c, "须填“是”或“否”：" + s, "must be 是 (yes) or 否 (no): " + s);
    return false;
  }

  std::string Date(Col c) {
    std::string_view s = Trim(Raw(c));
    if (s.empty()) {
      if (Spec(c).required) Err(c, "不能为空", "is required");
      return {};
    }
    if (auto d = NormalizeDate(s)) return *d;
    Err(c, "须为日期，如2024-01-01：" + std::string(s),
        "must be a date such as 2024-01-01: " + std::string(s));
    return {};
  }

 private:
  static std::optional<std::string> NormalizeDate(std::string_view s) {
    int part[3] = {0, 0, 0};
    int digits[3] = {0, 0, 0};
    int k = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      char ch = s[i];
      if (ch >= '0' && ch <= '9') {
        part[k] = part[k] * 10 + (ch - '0');
        if (++digits[k] > (k == 0 ? 4 : 2)) return std::nullopt;
        continue;
      }
      std::string_view rest = s.substr(i);
      size_t skip = 0;
      if (ch == '-' || ch == '/' || ch == '.')
        skip = 1;
      else if (rest.starts_with("年") || rest.starts_with("月"))
        skip = 3;
      else if (rest.starts_with("日") && k == 2 && i + 3 == s.size())
        return Format(part, digits);
      if (skip == 0 || k == 2 || digits[k] == 0) return std::nullopt;
      ++k;
      i += skip - 1;
    }
    if (k != 2) return std::nullopt;
    return Format(part, digits);
  }
  static std::optional<std::string> Format(const int part[3], const int digits[3]) {
    if (digits[0] != 4 || digits[1] == 0 || digits[2] == 0) return std::nullopt;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", part[0], part[1], part[2]);
    return std::string(buf);
  }

  const Header& h_;
  const CsvRecord& rec_;
  std::vector<cii::RowError>& errors_;
  std::set<Col> failed_;
};

void ReadLists(RowReader& r, Power& p) {
  auto entries = Entries(r.Raw(Col::kBasis));
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string e = Parts(entries[i], false)[0];
    std::string_view v = Trim(e);
    std::string n = std::to_string(i + 1);
    size_t close = v.find("》");
    if (!v.starts_with("《") || close == std::string_view::npos) {
      r.Err(Col::kBasis, "第" + n + "条须写成《法律名称》第X条：条文",
            "entry " + n + " must read 《law name》article：clause text");
      continue;
    }
    LegalBasis b;
    b.law = std::string(Trim(v.substr(3, close - 3)));
    std::string_view rest = std::string_view(e).substr(e.find("》") + 3);
    size_t full = rest.find("："), half = rest.find(':');
    if (full == std::string_view::npos && half == std::string_view::npos) {
      b.article = std::string(Trim(rest));
    } else if (half < full) {
      b.article = std::string(Trim(rest.substr(0, half)));
      b.clause = std::string(rest.substr(half + 1));
    } else {
      b.article = std::string(Trim(rest.substr(0, full)));
      b.clause = std::string(rest.substr(full + 3));
    }
    p.legal_basis.push_back(std::move(b));
  }
  entries = Entries(r.Raw(Col::kMaterials));
  for (size_t i = 0; i < entries.size(); ++i) {
    auto parts = Parts(entries[i], true);
    std::string n = std::to_string(i + 1);
    if (parts.size() > 4) {
      r.Err(Col::kMaterials, "第" + n + "条须写成 名称|来源|份数|必要性",
            "entry " + n + " must read name|source|copies|necessity");
      continue;
    }
    Material m{std::string(Trim(parts[0])), "", 1, true};
    if (parts.size() > 1) m.source = std::string(Trim(parts[1]));
    if (parts.size() > 2) {
      std::string_view c = Trim(parts[2]);
      auto [ptr, ec] = std::from_chars(c.data(), c.data() + c.size(), m.copies);
      if (ec != std::errc() || ptr != c.data() + c.size()) {
        r.Err(Col::kMaterials, "第" + n + "条的份数须为整数",
              "entry " + n + ": copies must be an integer");
      }
    }
    if (parts.size() > 3) {
      std::string need = Lower(Trim(parts[3]));
      if (need == "必要" || need == "是" || need == "required" || need == "true" || need == "1") {
        m.required = true;
      } else if (need == "非必要" || need == "否" || need == "optional" || need == "false" ||
                 need == "0" || need == "容缺") {
        m.required = false;
      } else {
        r.Err(Col::kMaterials, "第" + n + "条的必要性须为“必要”或“非必要”",
              "entry " + n + ": necessity must be 必要 or 非必要");
      }
    }
    p.materials.push_back(std::move(m));
  }
  entries = Entries(r.Raw(Col::kDuties));
  for (size_t i = 0; i < entries.size(); ++i) {
    auto parts = Parts(entries[i], true);
    std::string n = std::to_string(i + 1);
    if (parts.size() != 2) {
      r.Err(Col::kDuties, "第" + n + "条须写成 环节|内容",
            "entry " + n + " must read stage|content");
      continue;
    }
    p.responsibility_items.push_back({std::string(Trim(parts[0])), parts[1]});
  }
  for (auto e : Entries(r.Raw(Col::kAccountability))) {
    p.accountability_situations.push_back(Parts(e, false)[0]);
  }
}

Power ReadRow(RowReader& r) {
  Power p;
  p.code = r.Text(Col::kCode);
  p.name = r.Text(Col::kName);
  std::string kind = r.Text(Col::kKind);
  if (auto k = ParsePowerKind(Lower(kind))) {
    p.kind = *k;
  } else {
    r.Err(Col::kKind, kind.empty() ? "不能为空" : "未知的事项类型：" + kind,
          kind.empty() ? "is required" : "unknown power kind: " + kind);
  }
  p.parent_code = r.Text(Col::kParent);
  p.originating_department = r.Text(Col::kDept);
  std::string unit = r.Text(Col::kUnit);
  auto u = ParseTimeUnit(Lower(unit));
  if (!u) {
    r.Err(Col::kUnit, unit.empty() ? "不能为空" : "须为“工作日”或“自然日”：" + unit,
          unit.empty() ? "is required" : "must be 工作日 (working) or 自然日 (calendar): " + unit);
  }
  TimeUnit tu = u.value_or(TimeUnit::kWorkingDays);
  p.statutory_limit = {r.Int<int>(Col::kStatutory, 0), tu};
  p.promised_limit = {r.Int<int>(Col::kPromised, 0), tu};
  p.suspension_allowed = r.Bool(Col::kSuspend);
  p.extension_allowed = r.Bool(Col::kExtend);
  p.max_extension_days = r.Int<int>(Col::kMaxExt, 0);
  p.fee.charged = r.Bool(Col::kFeeCharged);
  p.fee.amount_fen = r.Int<std::int64_t>(Col::kFeeAmount, 0);
  p.fee.basis = std::string(r.Raw(Col::kFeeBasis));
  ReadLists(r, p);
  p.valid_from = r.Date(Col::kValidFrom);
  p.valid_to = r.Date(Col::kValidTo);
  p.version = r.Int<int>(Col::kVersion, 1);
  p.remarks = std::string(r.Raw(Col::kRemarks));
  return p;
}

// The column a ValidatePowerFields path belongs to, and the entry prefix.
std::pair<Col, std::string> ColumnOf(const std::string& field) {
  std::string head = field.substr(0, field.find_first_of("[."));
  std::string prefix;
  if (auto lb = field.find('['); lb != std::string::npos) {
    prefix = std::to_string(std::stoi(field.substr(lb + 1)) + 1);
  }
  for (const auto& s : kColumns) {
    if (s.field.empty()) continue;
    if (s.field == field || s.field == head) return {s.col, prefix};
  }
  if (field.ends_with(".unit")) return {Col::kUnit, prefix};
  return {Col::kCode, prefix};
}

// The other cells a rule on `col` compares it with.
std::vector<Col> InputsOf(Col col) {
  switch (col) {
    case Col::kPromised:
      return {Col::kStatutory, Col::kUnit};
    case Col::kStatutory:
      return {Col::kUnit};
    case Col::kMaxExt:
      return {Col::kExtend};
    case Col::kFeeAmount:
      return {Col::kFeeCharged};
    case Col::kFeeBasis:
      return {Col::kFeeCharged};
    case Col::kValidTo:
      return {Col::kValidFrom};
    case Col::kParent:
      return {Col::kCode};
    default:
      return {};
  }
}

Result<Header> ReadHeader(const CsvRecord& rec) {
  Header h;
  h.index.fill(-1);
  std::vector<cii::RowError> errors;
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    std::string name(Trim(rec.fields[i]));
    h.names.push_back(name);
    if (name.empty()) {
      h.unnamed.push_back(i);
      continue;
    }
    if (name == "序号" || Lower(name) == "no") continue;
    auto col = MatchHeader(name);
    if (!col) {
      errors.push_back({1, name, ColumnLetter(i), "未知的列：" + name, "unknown column: " + name});
      continue;
    }
    int& slot = h.index[static_cast<size_t>(*col)];
    if (slot >= 0) {
      errors.push_back(
          {1, name, ColumnLetter(i), "列重复：" + name + "（与第" + ColumnLetter(slot) + "列相同）",
           "column repeated: " + name + " (same as column " + ColumnLetter(slot) + ")"});
      continue;
    }
    slot = static_cast<int>(i);
  }
  for (const auto& s : kColumns) {
    if (s.required && h.index[static_cast<size_t>(s.col)] < 0) {
      errors.push_back(
          {1, std::string(s.zh), "", "缺少必填列：" + std::string(s.zh),
           "required column missing: " + std::string(s.zh) + " (" + std::string(s.en) + ")"});
    }
  }
  if (!errors.empty()) return cii::ImportFailure(std::move(errors));
  return h;
}

bool Blank(const CsvRecord& rec) {
  for (const auto& f : rec.fields) {
    if (!Trim(f).empty()) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> CatalogueCsvHeader() {
  std::vector<std::string> h;
  for (const auto& s : kColumns) h.emplace_back(s.zh);
  return h;
}

Result<std::vector<Power>> ParseCatalogueCsv(std::string_view bytes) {
  QZ_ASSIGN_OR_RETURN(std::string text, DecodeToUtf8(bytes));
  QZ_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ReadCsv(text));
  if (records.empty()) {
    return MakeError(ErrorCode::kValidation, "文件为空：第1行应为表头",
                     "the file is empty: row 1 must be the header",
                     {{"errors",
                       {{{"row", 1},
                         {"column", nullptr},
                         {"reason_zh", "缺少表头"},
                         {"reason_en", "header missing"}}}}});
  }
  QZ_ASSIGN_OR_RETURN(Header header, ReadHeader(records[0]));

  std::vector<cii::RowError> errors;
  std::vector<Power> powers;
  std::vector<int> rows;
  powers.reserve(records.size());
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (Blank(rec)) continue;
    for (size_t i = header.names.size(); i < rec.fields.size(); ++i) {
      if (!Trim(rec.fields[i]).empty()) {
        errors.push_back({rec.row, std::nullopt, ColumnLetter(i),
                          "第" + ColumnLetter(i) + "列超出表头范围（表头共" +
                              std::to_string(header.names.size()) + "列）",
                          "cell in column " + ColumnLetter(i) + " is beyond the header (" +
                              std::to_string(header.names.size()) + " columns)"});
        break;
      }
    }
    for (size_t i : header.unnamed) {
      if (i < rec.fields.size() && !Trim(rec.fields[i]).empty()) {
        errors.push_back({rec.row, std::nullopt, ColumnLetter(i),
                          "第" + ColumnLetter(i) + "列有内容但没有表头",
                          "column " + ColumnLetter(i) + " has content but no header"});
      }
    }
    RowReader reader(header, rec, errors);
    Power p = ReadRow(reader);
    // Rule errors on a cell that could not be read, or that compare it with
    // one that could not, would only repeat the first error.
    const std::set<Col> unreadable = reader.failed();
    for (const auto& fe : ValidatePowerFields(p)) {
      auto [col, entry] = ColumnOf(fe.field);
      bool repeats = unreadable.count(col) > 0;
      for (Col input : InputsOf(col)) repeats = repeats || unreadable.count(input) > 0;
      if (repeats) continue;
      reader.Err(col, entry.empty() ? fe.reason_zh : "第" + entry + "条：" + fe.reason_zh,
                 entry.empty() ? fe.reason_en : "entry " + entry + ": " + fe.reason_en);
    }
    powers.push_back(std::move(p));
    rows.push_back(rec.row);
  }
  std::vector<cii::RowRef> refs;
  for (size_t i = 0; i < powers.size(); ++i) refs.push_back({rows[i], &powers[i]});
  auto col = [&](Col c) {
    int i = header.index[static_cast<size_t>(c)];
    return i < 0 ? std::pair{std::string(Spec(c).zh), std::string()}
                 : std::pair{header.names[i], ColumnLetter(i)};
  };
  auto [code_name, code_letter] = col(Col::kCode);
  auto [parent_name, parent_letter] = col(Col::kParent);
  auto cross = cii::CheckCatalogueRows(refs, {code_name, code_letter, parent_name, parent_letter});
  errors.insert(errors.end(), cross.begin(), cross.end());
  if (!errors.empty()) return cii::ImportFailure(std::move(errors));
  return powers;
}

std::string WriteCatalogueCsv(const std::vector<Power>& powers) {
  std::string out = "\xEF\xBB\xBF" + WriteCsvRecord(CatalogueCsvHeader());
  for (const auto& p : powers) {
    std::vector<std::string> basis, materials, duties, situations;
    for (const auto& b : p.legal_basis) basis.push_back(EncodeBasis(b));
    for (const auto& m : p.materials) {
      materials.push_back(Escape(m.name) + "|" + Escape(m.source) + "|" + std::to_string(m.copies) +
                          "|" + (m.required ? "必要" : "非必要"));
    }
    for (const auto& d : p.responsibility_items) {
      duties.push_back(Escape(d.stage) + "|" + Escape(d.content));
    }
    for (const auto& s : p.accountability_situations) situations.push_back(Escape(s));
    out += WriteCsvRecord({p.code,
                           p.name,
                           std::string(PowerKindLabel(p.kind)),
                           p.parent_code,
                           JoinLines(basis),
                           p.originating_department,
                           std::to_string(p.statutory_limit.days),
                           std::to_string(p.promised_limit.days),
                           std::string(TimeUnitLabel(p.statutory_limit.unit)),
                           BoolCell(p.suspension_allowed),
                           BoolCell(p.extension_allowed),
                           std::to_string(p.max_extension_days),
                           BoolCell(p.fee.charged),
                           std::to_string(p.fee.amount_fen),
                           p.fee.basis,
                           JoinLines(materials),
                           JoinLines(duties),
                           JoinLines(situations),
                           p.valid_from,
                           p.valid_to,
                           std::to_string(p.version),
                           p.remarks});
  }
  return out;
}

}  // namespace quanze::domain
