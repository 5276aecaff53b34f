#include "ledger/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "ledger/utf8.h"

namespace quanze::ledger {
namespace {

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

Error NotCanonicalizable(std::string zh, std::string en) {
  return MakeError(ErrorCode::kBadRequest, "无法规范化为 JSON（RFC 8785）：" + zh,
                   "cannot canonicalize JSON (RFC 8785): " + en);
}

// The UTF-16 code units of a valid UTF-8 string (for key ordering).
std::u16string ToUtf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    utf8::Decoded d = utf8::DecodeAt(s, i);
    i += d.length;
    if (d.code_point < 0x10000) {
      out.push_back(static_cast<char16_t>(d.code_point));
    } else {
      char32_t v = d.code_point - 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
    }
  }
  return out;
}

// Accumulates the canonical bytes of one value.
class Writer {
 public:
  Status Value(const nlohmann::json& v) {
    using Type = nlohmann::json::value_t;
    switch (v.type()) {
      case Type::null:
        out_ += "null";
        return Ok();
      case Type::boolean:
        out_ += v.get<bool>() ? "true" : "false";
        return Ok();
      case Type::number_integer:
        return Integer(v.get<std::int64_t>());
      case Type::number_unsigned: {
        auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(kMaxSafeInteger)) return IntegerTooLarge();
        return Integer(static_cast<std::int64_t>(u));
      }
      case Type::number_float: {
        QZ_ASSIGN_OR_RETURN(std::string n, CanonicalNumber(v.get<double>()));
        out_ += n;
        return Ok();
      }
      case Type::string:
        return String(v.get_ref<const std::string&>());
      case Type::array:
        return Array(v);
      case Type::object:
        return Object(v);
      case Type::binary:
      case Type::discarded:
        break;
    }
    return NotCanonicalizable("含有二进制或无效的值", "binary or discarded value");
  }

  std::string Take() && { return std::move(out_); }

 private:
  Status Integer(std::int64_t i) {
    if (i > kMaxSafeInteger || i < -kMaxSafeInteger) return IntegerTooLarge();
    out_ += std::to_string(i);
    return Ok();
  }

  static Error IntegerTooLarge() {
    return NotCanonicalizable("整数超出 ±(2^53−1)，请改用字符串表示",
                              "integer outside ±(2^53-1); encode it as a string");
  }

  Status String(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    for (std::size_t i = 0; i < s.size();) {
      utf8::Decoded d = utf8::DecodeAt(s, i);
      if (d.length == 0) {
        return NotCanonicalizable("字符串不是有效的 UTF-8", "string is not valid UTF-8");
      }
      char32_t c = d.code_point;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          if (c < 0x20) {
            out_ += "\\u00";
            out_.push_back(kHex[c >> 4]);
            out_.push_back(kHex[c & 15]);
          } else {
            out_.append(s.substr(i, d.length));
          }
      }
      i += d.length;
    }
    out_.push_back('"');
    return Ok();
  }

  Status Array(const nlohmann::json& v) {
    out_.push_back('[');
    bool first = true;
    for (const auto& element : v) {
      if (!first) out_.push_back(',');
      first = false;
      QZ_TRY(Value(element));
    }
    out_.push_back(']');
    return Ok();
  }

  Status Object(const nlohmann::json& v) {
    std::vector<std::pair<std::u16string, nlohmann::json::const_iterator>> members;
    members.reserve(v.size());
    for (auto it = v.cbegin(); it != v.cend(); ++it) {
      if (!utf8::IsValid(it.key())) {
        return NotCanonicalizable("对象键不是有效的 UTF-8", "object key is not valid UTF-8");
      }
      members.emplace_back(ToUtf16(it.key()), it);
    }
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out_.push_back('{');
    bool first = true;
    for (const auto& [unused, it] : members) {
      if (!first) out_.push_back(',');
      first = false;
      QZ_TRY(String(it.key()));
      out_.push_back(':');
      QZ_TRY(Value(it.value()));
    }
    out_.push_back('}');
    return Ok();
  }

  std::string out_;
};

}  // namespace

Result<std::string> CanonicalNumber(double value) {
  if (!std::isfinite(value)) {
    return NotCanonicalizable("数值为 NaN 或无穷大", "number is NaN or infinite");
  }
  if (value == 0) return std::string("0");  // also -0
  std::string out;
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  // Shortest round-trip digits: "d[.ddd]e[+-]x".
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  if (ec != std::errc()) return NotCanonicalizable("数值格式化失败", "number formatting failed");
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::string_view exp_text = sci.substr(e_pos + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  // ECMAScript names: value = 0.d1d2...dk × 10^n, with k digits.
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out.push_back('.');
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out += digits.substr(1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

Result<std::string> CanonicalJson(const nlohmann::json& value) {
  Writer writer;
  QZ_TRY(writer.Value(value));
  return std::move(writer).Take();
}

}  // namespace quanze::ledger
