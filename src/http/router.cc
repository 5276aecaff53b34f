#include "http/router.h"

#include <charconv>

#include "http/error_table.h"

namespace quanze::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

Error BadParam(const std::string& name, const std::string& why_zh, const std::string& why_en) {
  return MakeError(ErrorCode::kBadRequest, "参数 " + name + " 无效：" + why_zh,
                   "parameter " + name + " is invalid: " + why_en, {{"parameter", name}});
}

Result<std::int64_t> ParseInt(const std::string& name, const std::string& text, std::int64_t min,
                              std::int64_t max) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return BadParam(name, "应为整数", "expected an integer");
  }
  if (v < min || v > max) {
    return BadParam(name, "应在 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间",
                    "expected a value from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

}  // namespace

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

Result<std::optional<std::string>> Request::QueryText(const std::string& name,
                                                      std::size_t max_len) const {
  auto it = query.find(name);
  if (it == query.end()) return std::optional<std::string>();
  if (it->second.size() > max_len) return BadParam(name, "过长", "too long");
  return std::optional<std::string>(it->second);
}

Result<std::optional<std::int64_t>> Request::QueryInt(const std::string& name, std::int64_t min,
                                                      std::int64_t max) const {
  auto it = query.find(name);
  if (it == query.end()) return std::optional<std::int64_t>();
  QZ_ASSIGN_OR_RETURN(std::int64_t v, ParseInt(name, it->second, min, max));
  return std::optional<std::int64_t>(v);
}

Result<std::int64_t> Request::RequiredInt(const std::string& name, std::int64_t min,
                                          std::int64_t max) const {
  auto it = query.find(name);
  if (it == query.end()) return BadParam(name, "缺少该参数", "missing");
  return ParseInt(name, it->second, min, max);
}

Result<std::int64_t> Request::ParamInt(const std::string& name) const {
  auto it = params.find(name);
  if (it == params.end()) return BadParam(name, "缺少该参数", "missing");
  return ParseInt(name, it->second, 0, INT64_MAX);
}

Result<nlohmann::json> Request::JsonBody() const {
  std::string type = Header("content-type");
  if (type.find("application/json") == std::string::npos) {
    return MakeError(ErrorCode::kUnsupportedMedia, "请求体须为 JSON（Content-Type: application/json）",
                     "the request body must be JSON (Content-Type: application/json)");
  }
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(ErrorCode::kBadRequest, "请求体不是有效的 JSON 对象", "the request body is not a valid JSON object");
  }
  return j;
}

Reply Reply::Json(const nlohmann::json& j, int status) {
  Reply r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Reply Reply::Problem(const Error& e, const std::string& instance) {
  Reply r;
  r.status = HttpStatusFor(e.code);
  r.content_type = "application/problem+json; charset=utf-8";
  r.body = ProblemJson(e, instance);
  return r;
}

Reply Reply::Text(std::string text, int status) {
  Reply r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(text);
  return r;
}

void Router::Add(std::string method, std::string pattern, Access access, Handler handler) {
  routes_.push_back({std::move(method), std::move(pattern), access, std::move(handler)});
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  auto parts = Split(path);
  for (const Route& r : routes_) {
    auto pattern_parts = Split(r.pattern);
    if (pattern_parts.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      std::string_view p = pattern_parts[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (parts[i].empty()) ok = false;
        params[std::string(p.substr(1, p.size() - 2))] = std::string(parts[i]);
      } else {
        ok = p == parts[i];
      }
    }
    if (!ok) continue;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    m.allowed.push_back(r.method);
  }
  return m;
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      auto key = PercentDecode(pair.substr(0, eq), true);
      auto value = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
      if (!key || !value) {
        return MakeError(ErrorCode::kBadRequest, "查询字符串编码错误", "malformed query string encoding");
      }
      out.emplace(std::move(*key), std::move(*value));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace quanze::http
