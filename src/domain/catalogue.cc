#include "domain/catalogue.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <utility>

namespace quanze::domain {
namespace {

struct KindNames {
  PowerKind kind;
  std::string_view code;
  std::string_view label;
  std::string_view short_label;
};

constexpr std::array<KindNames, 10> kKindNames{{
    {PowerKind::kLicensing, "licensing", "行政许可", "许可"},
    {PowerKind::kPenalty, "penalty", "行政处罚", "处罚"},
    {PowerKind::kCoercion, "coercion", "行政强制", "强制"},
    {PowerKind::kLevy, "levy", "行政征收", "征收"},
    {PowerKind::kBenefit, "benefit", "行政给付", "给付"},
    {PowerKind::kInspection, "inspection", "行政检查", "检查"},
    {PowerKind::kConfirmation, "confirmation", "行政确认", "确认"},
    {PowerKind::kReward, "reward", "行政奖励", "奖励"},
    {PowerKind::kAdjudication, "adjudication", "行政裁决", "裁决"},
    {PowerKind::kOther, "other", "其他", "其他行政权力"},
}};

const KindNames& NamesOf(PowerKind kind) {
  for (const auto& n : kKindNames) {
    if (n.kind == kind) return n;
  }
  return kKindNames.back();
}

bool HasLineBreak(std::string_view s) {
  return s.find('\n') != std::string_view::npos || s.find('\r') != std::string_view::npos;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool HasOuterSpace(std::string_view s) {
  if (s.empty()) return false;
  if (IsSpace(s.front()) || IsSpace(s.back())) return true;
  // U+3000 IDEOGRAPHIC SPACE, common in Chinese spreadsheets.
  constexpr std::string_view kIdeo = "\xE3\x80\x80";
  return s.starts_with(kIdeo) || s.ends_with(kIdeo);
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool ValidCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 64) return false;
  auto alnum = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  };
  if (!alnum(code.front())) return false;
  return std::all_of(code.begin(), code.end(),
                     [&](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

class Collector {
 public:
  void Add(std::string field, std::string zh, std::string en) {
    errors_.push_back({std::move(field), std::move(zh), std::move(en)});
  }
  // A required single-line text: non-empty, no line break, no outer spaces.
  void Line(const std::string& field, std::string_view value, std::string_view what_zh,
            std::string_view what_en, bool required, size_t max_chars = 500) {
    if (value.empty()) {
      if (required) {
        Add(field, std::string(what_zh) + "不能为空", std::string(what_en) + " is required");
      }
      return;
    }
    if (HasLineBreak(value)) {
      Add(field, std::string(what_zh) + "不能包含换行",
          std::string(what_en) + " must not contain a line break");
    }
    if (HasOuterSpace(value)) {
      Add(field, std::string(what_zh) + "首尾不能有空格",
          std::string(what_en) + " must not begin or end with a space");
    }
    if (CodePoints(value) > max_chars) {
      Add(field, std::string(what_zh) + "过长（最多" + std::to_string(max_chars) + "字）",
          std::string(what_en) + " is too long (at most " + std::to_string(max_chars) +
              " characters)");
    }
  }
  std::vector<FieldError> Take() { return std::move(errors_); }

 private:
  std::vector<FieldError> errors_;
};

std::string Indexed(std::string_view base, size_t i, std::string_view leaf = {}) {
  std::string s = std::string(base) + "[" + std::to_string(i) + "]";
  if (!leaf.empty()) s += "." + std::string(leaf);
  return s;
}

void ValidateLimits(const Power& p, Collector& c) {
  constexpr int kMaxDays = 3650;
  if (p.statutory_limit.days < 0 || p.statutory_limit.days > kMaxDays) {
    c.Add("statutory_limit.days", "法定时限须在0至3650天之间",
          "statutory limit must be between 0 and 3650 days");
  }
  if (p.promised_limit.days < 0 || p.promised_limit.days > kMaxDays) {
    c.Add("promised_limit.days", "承诺时限须在0至3650天之间",
          "promised limit must be between 0 and 3650 days");
  }
  if (p.promised_limit.unit != p.statutory_limit.unit) {
    c.Add("promised_limit.unit", "承诺时限与法定时限的单位须一致",
          "promised and statutory limits must use the same unit");
  } else if (p.promised_limit.days > p.statutory_limit.days) {
    c.Add("promised_limit.days",
          "承诺时限（" + std::to_string(p.promised_limit.days) + "）不能超过法定时限（" +
              std::to_string(p.statutory_limit.days) + "）",
          "promised limit (" + std::to_string(p.promised_limit.days) +
              ") must not exceed the statutory limit (" + std::to_string(p.statutory_limit.days) +
              ")");
  }
  if (p.max_extension_days < 0 || p.max_extension_days > kMaxDays) {
    c.Add("max_extension_days", "最长延期天数须在0至3650天之间",
          "max extension days must be between 0 and 3650");
  } else if (!p.extension_allowed && p.max_extension_days != 0) {
    c.Add("max_extension_days", "不可延期的事项，最长延期天数须为0",
          "max extension days must be 0 when extension is not allowed");
  } else if (p.extension_allowed && p.max_extension_days == 0) {
    c.Add("max_extension_days", "可延期的事项须填写最长延期天数",
          "max extension days is required when extension is allowed");
  }
}

void ValidateFee(const Fee& fee, Collector& c) {
  if (fee.amount_fen < 0) {
    c.Add("fee.amount_fen", "收费标准不能为负数", "fee amount must not be negative");
  }
  if (!fee.charged && fee.amount_fen != 0) {
    c.Add("fee.amount_fen", "不收费的事项，收费标准须为0",
          "fee amount must be 0 when no fee is charged");
  }
  if (fee.charged && fee.amount_fen <= 0) {
    c.Add("fee.amount_fen", "收费事项须填写大于0的收费标准（分）",
          "a charged fee needs an amount in fen greater than 0");
  }
  if (fee.charged && fee.basis.empty()) {
    c.Add("fee.basis", "收费事项须填写收费依据（行政许可法第五十八条）",
          "a charged fee needs its legal basis (Administrative Licensing Law art. 58)");
  }
}

void ValidateLists(const Power& p, Collector& c) {
  if (p.legal_basis.empty()) {
    c.Add("legal_basis", "至少需要一条设定依据", "at least one legal basis is required");
  }
  for (size_t i = 0; i < p.legal_basis.size(); ++i) {
    const auto& b = p.legal_basis[i];
    c.Line(Indexed("legal_basis", i, "law"), b.law, "法律法规名称", "law name", true, 200);
    if (b.law.find("《") != std::string::npos || b.law.find("》") != std::string::npos) {
      c.Add(Indexed("legal_basis", i, "law"), "法律法规名称不含书名号《》",
            "the law name is written without 《》");
    }
    c.Line(Indexed("legal_basis", i, "article"), b.article, "条款号", "article", false, 100);
    if (b.article.find("：") != std::string::npos || b.article.find(':') != std::string::npos) {
      c.Add(Indexed("legal_basis", i, "article"), "条款号不能包含冒号",
            "the article must not contain a colon");
    }
  }
  for (size_t i = 0; i < p.materials.size(); ++i) {
    const auto& m = p.materials[i];
    c.Line(Indexed("materials", i, "name"), m.name, "材料名称", "material name", true, 200);
    c.Line(Indexed("materials", i, "source"), m.source, "材料来源", "material source", false, 200);
    if (m.copies < 1 || m.copies > 99) {
      c.Add(Indexed("materials", i, "copies"), "材料份数须在1至99之间",
            "material copies must be between 1 and 99");
    }
  }
  for (size_t i = 0; i < p.responsibility_items.size(); ++i) {
    const auto& r = p.responsibility_items[i];
    c.Line(Indexed("responsibility_items", i, "stage"), r.stage, "责任环节", "stage", true, 50);
    if (r.content.empty()) {
      c.Add(Indexed("responsibility_items", i, "content"), "责任事项内容不能为空",
            "responsibility content is required");
    }
  }
  for (size_t i = 0; i < p.accountability_situations.size(); ++i) {
    if (p.accountability_situations[i].empty()) {
      c.Add(Indexed("accountability_situations", i), "追责情形不能为空",
            "an accountability situation must not be empty");
    }
  }
}

}  // namespace

std::string_view PowerKindCode(PowerKind kind) { return NamesOf(kind).code; }
std::string_view PowerKindLabel(PowerKind kind) { return NamesOf(kind).label; }

std::optional<PowerKind> ParsePowerKind(std::string_view text) {
  for (const auto& n : kKindNames) {
    if (text == n.code || text == n.label || text == n.short_label) return n.kind;
  }
  if (text == "行政监督" || text == "监督检查") return PowerKind::kInspection;
  if (text == "其他权力" || text == "其它" || text == "其它行政权力") return PowerKind::kOther;
  return std::nullopt;
}

std::string_view TimeUnitCode(TimeUnit unit) {
  return unit == TimeUnit::kWorkingDays ? "working" : "calendar";
}
std::string_view TimeUnitLabel(TimeUnit unit) {
  return unit == TimeUnit::kWorkingDays ? "工作日" : "自然日";
}
std::optional<TimeUnit> ParseTimeUnit(std::string_view text) {
  if (text == "working" || text == "工作日" || text == "working_days") {
    return TimeUnit::kWorkingDays;
  }
  if (text == "calendar" || text == "自然日" || text == "calendar_days" || text == "日历日") {
    return TimeUnit::kCalendarDays;
  }
  return std::nullopt;
}

std::vector<FieldError> ValidatePowerFields(const Power& p) {
  Collector c;
  if (p.code.empty()) {
    c.Add("code", "事项编码不能为空", "code is required");
  } else if (!ValidCode(p.code)) {
    c.Add("code", "事项编码须为2至64位字母、数字、“-”“_”“.”，以字母或数字开头",
          "code must be 2-64 letters, digits, '-', '_' or '.', starting with a letter or digit");
  }
  c.Line("name", p.name, "事项名称", "name", true, 200);
  if (!p.parent_code.empty()) {
    if (!ValidCode(p.parent_code)) {
      c.Add("parent_code", "上级事项编码格式不正确", "parent code has an invalid format");
    } else if (p.parent_code == p.code) {
      c.Add("parent_code", "上级事项不能是事项本身", "an item cannot be its own parent");
    }
  }
  c.Line("originating_department", p.originating_department, "原实施部门", "originating department",
         true, 100);
  ValidateLimits(p, c);
  ValidateFee(p.fee, c);
  ValidateLists(p, c);
  if (p.valid_from.empty()) {
    c.Add("valid_from", "有效期起不能为空", "valid_from is required");
  } else if (!isodate::Valid(p.valid_from)) {
    c.Add("valid_from", "有效期起须为有效日期（YYYY-MM-DD）",
          "valid_from must be a real date in YYYY-MM-DD form");
  }
  if (!p.valid_to.empty()) {
    if (!isodate::Valid(p.valid_to)) {
      c.Add("valid_to", "有效期止须为有效日期（YYYY-MM-DD）",
            "valid_to must be a real date in YYYY-MM-DD form");
    } else if (isodate::Valid(p.valid_from) && p.valid_to < p.valid_from) {
      c.Add("valid_to", "有效期止不能早于有效期起", "valid_to must not be before valid_from");
    }
  }
  if (p.version < 1) c.Add("version", "版本号须不小于1", "version must be at least 1");
  return c.Take();
}

Status ValidatePower(const Power& p) {
  auto errors = ValidatePowerFields(p);
  if (errors.empty()) return Ok();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : errors) {
    list.push_back({{"field", e.field}, {"reason_zh", e.reason_zh}, {"reason_en", e.reason_en}});
  }
  std::string more_zh, more_en;
  if (errors.size() > 1) {
    more_zh = "（另有" + std::to_string(errors.size() - 1) + "处问题）";
    more_en = " (and " + std::to_string(errors.size() - 1) + " more)";
  }
  return MakeError(
      ErrorCode::kValidation, "权力事项" + p.code + "无效：" + errors[0].reason_zh + more_zh,
      "power " + p.code + " is invalid: " + errors[0].field + ": " + errors[0].reason_en + more_en,
      {{"code", p.code}, {"errors", std::move(list)}});
}

namespace isodate {

namespace {
bool Leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && Leap(y) ? 29 : kDays[m - 1];
}
int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}
}  // namespace

bool Valid(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  int y = Digits(d.substr(0, 4)), m = Digits(d.substr(5, 2)), day = Digits(d.substr(8, 2));
  if (y < 1900 || m < 1 || m > 12 || day < 1) return false;
  return day <= DaysIn(y, m);
}

std::string AddMonths(std::string_view d, int months) {
  int y = Digits(d.substr(0, 4)), m = Digits(d.substr(5, 2)), day = Digits(d.substr(8, 2));
  int total = y * 12 + (m - 1) + months;
  y = total / 12;
  m = total % 12 + 1;
  day = std::min(day, DaysIn(y, m));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, day);
  return buf;
}

bool Within(std::string_view date, std::string_view from, std::string_view to) {
  if (date < from) return false;
  return to.empty() || date <= to;
}

}  // namespace isodate
}  // namespace quanze::domain
