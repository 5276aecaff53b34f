#include "http/router.h"

#include <algorithm>
#include <cctype>
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

namespace {

const char* KindZh(JsonKind k) {
  switch (k) {
    case JsonKind::kString:
      return "字符串";
    case JsonKind::kInteger:
      return "整数";
    case JsonKind::kNumber:
      return "数字";
    case JsonKind::kBoolean:
      return "布尔值（true/false）";
    case JsonKind::kObject:
      return "对象";
    case JsonKind::kArray:
      return "数组";
  }
  return "";
}

const char* KindEn(JsonKind k) {
  switch (k) {
    case JsonKind::kString:
      return "a string";
    case JsonKind::kInteger:
      return "an integer";
    case JsonKind::kNumber:
      return "a number";
    case JsonKind::kBoolean:
      return "a boolean";
    case JsonKind::kObject:
      return "an object";
    case JsonKind::kArray:
      return "an array";
  }
  return "";
}

bool HasKind(const nlohmann::json& v, JsonKind k) {
  switch (k) {
    case JsonKind::kString:
      return v.is_string();
    case JsonKind::kInteger:
      return v.is_number_integer();
    case JsonKind::kNumber:
      return v.is_number();
    case JsonKind::kBoolean:
      return v.is_boolean();
    case JsonKind::kObject:
      return v.is_object();
    case JsonKind::kArray:
      return v.is_array();
  }
  return false;
}

// The value at "a/b/c" through nested objects; nullptr when any step is absent
// or not an object (the use case reports a missing or misshapen parent).
const nlohmann::json* Find(const nlohmann::json& root, std::string_view path) {
  const nlohmann::json* at = &root;
  while (true) {
    std::size_t slash = path.find('/');
    std::string key(path.substr(0, slash));
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
    if (slash == std::string_view::npos) return at;
    path.remove_prefix(slash + 1);
  }
}

bool IsTchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::int64_t BodyLimitBytes(BodyLimit kind, std::int64_t max_body_bytes) {
  return kind == BodyLimit::kUpload ? max_body_bytes
                                    : std::min(kJsonBodyLimitBytes, max_body_bytes);
}

std::optional<MediaType> ParseMediaType(std::string_view v) {
  std::size_t i = 0;
  auto skip_ows = [&] {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  };
  auto token = [&] {
    std::size_t start = i;
    while (i < v.size() && IsTchar(v[i])) ++i;
    return v.substr(start, i - start);
  };
  skip_ows();
  std::string_view type = token();
  if (type.empty() || i >= v.size() || v[i] != '/') return std::nullopt;
  ++i;
  std::string_view subtype = token();
  if (subtype.empty()) return std::nullopt;
  MediaType m;
  m.essence = LowerAscii(type) + "/" + LowerAscii(subtype);
  skip_ows();
  while (i < v.size()) {
    if (v[i] != ';') return std::nullopt;
    ++i;
    skip_ows();
    if (i >= v.size()) break;  // a trailing ";" is tolerated
    std::string_view name = token();
    if (name.empty() || i >= v.size() || v[i] != '=') return std::nullopt;
    ++i;
    std::string value;
    if (i < v.size() && v[i] == '"') {
      ++i;
      bool closed = false;
      while (i < v.size()) {
        char c = v[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (i >= v.size()) return std::nullopt;
          c = v[i++];
        }
        value += c;
      }
      if (!closed) return std::nullopt;
    } else {
      value = std::string(token());
      if (value.empty()) return std::nullopt;
    }
    m.params.emplace_back(LowerAscii(name), std::move(value));
    skip_ows();
  }
  return m;
}

bool IsJsonMediaType(std::string_view content_type) {
  auto m = ParseMediaType(content_type);
  if (!m || m->essence != "application/json") return false;
  for (const auto& [name, value] : m->params) {
    if (name != "charset" || LowerAscii(value) != "utf-8") return false;
  }
  return true;
}

Status CheckJsonDepth(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return MakeError(ErrorCode::kBadRequest,
                         "请求体的 JSON 嵌套过深（最多 " + std::to_string(max_depth) + " 层）",
                         "the JSON request body nests too deeply (at most " +
                             std::to_string(max_depth) + " levels)",
                         {{"max_depth", max_depth}});
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return Ok();
}

Error WrongFieldType(const std::string& field, JsonKind expected) {
  if (field.empty()) {
    return MakeError(ErrorCode::kBadRequest, "请求字段类型错误",
                     "a request field has the wrong type");
  }
  return MakeError(
      ErrorCode::kBadRequest, "请求字段 " + field + " 的类型错误：应为" + KindZh(expected),
      "request field \"" + field + "\" has the wrong type: expected " + KindEn(expected),
      {{"field", field}});
}

std::optional<Error> ClientJsonError(const std::exception& e) {
  if (const auto* t = dynamic_cast<const nlohmann::json::type_error*>(&e)) {
    if (t->id == 316) return std::nullopt;  // invalid UTF-8 while dumping: ours, not the client's
    return MakeError(ErrorCode::kBadRequest, "请求字段类型错误",
                     "a request field has the wrong type");
  }
  if (const auto* o = dynamic_cast<const nlohmann::json::out_of_range*>(&e)) {
    if (o->id == 403) {
      return MakeError(ErrorCode::kBadRequest, "请求缺少必填字段",
                       "a required request field is missing");
    }
    if (o->id == 401) {
      return MakeError(ErrorCode::kBadRequest, "请求字段中的数组项数不足",
                       "a request array has too few items");
    }
    if (o->id == 406) {
      return MakeError(ErrorCode::kBadRequest, "请求字段中的数值超出范围",
                       "a number in the request is out of range");
    }
  }
  return std::nullopt;
}

Result<nlohmann::json> Request::JsonBody(std::initializer_list<FieldSpec> fields) const {
  if (!IsJsonMediaType(Header("content-type"))) {
    return MakeError(ErrorCode::kUnsupportedMedia,
                     "请求体须为 JSON（Content-Type: application/json，可带 charset=utf-8）",
                     "the request body must be JSON (Content-Type: application/json, optionally "
                     "with charset=utf-8)");
  }
  // The JSON library stops at a NUL byte: "{...}\0junk" would be read as
  // "{...}". A body is all JSON or it is refused (found by fuzzing).
  if (body.find('\0') != std::string::npos) {
    return MakeError(ErrorCode::kBadRequest, "请求体含有 NUL 字节，不是有效的 JSON",
                     "the request body contains a NUL byte and is not valid JSON");
  }
  QZ_TRY(CheckJsonDepth(body));
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(ErrorCode::kBadRequest, "请求体不是有效的 JSON 对象", "the request body is not a valid JSON object");
  }
  for (const FieldSpec& f : fields) {
    const nlohmann::json* v = Find(j, f.path);
    if (v && !HasKind(*v, f.kind)) return WrongFieldType(f.path, f.kind);
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
  if (r.status >= 500) r.internal = e.message_en.empty() ? e.message_zh : e.message_en;
  return r;
}

Reply Reply::Text(std::string text, int status) {
  Reply r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(text);
  return r;
}

bool IsIncident(const Reply& reply) { return reply.status >= 500 && reply.status != 503; }

Reply WithoutInternalText(Reply reply, const std::string& incident) {
  Reply out = Reply::Problem(
      MakeError(ErrorCode::kInternal, "服务器内部错误；事件编号 " + incident + "（请告知管理员）",
                "internal server error; incident " + incident + " (tell the administrator)",
                {{"incident", incident}}));
  out.internal.clear();
  for (auto& [name, value] : reply.headers) {
    std::string lower = LowerAscii(name);
    if (lower == "content-encoding" || lower == "content-disposition") continue;  // not this body's
    out.headers.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::string LogSafeInternal(std::string internal) {
  if (internal.empty()) return "(no detail)";
  if (auto at = internal.find("; last read:"); at != std::string::npos) internal.erase(at);
  if (internal.size() > 500) internal.resize(500);
  return internal;
}

void Router::Add(std::string method, std::string pattern, Access access, Handler handler,
                 BodyLimit body) {
  routes_.push_back({std::move(method), std::move(pattern), access, std::move(handler), body});
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  const Route* get_route = nullptr;  // HEAD is answered by the GET route of the path
  std::map<std::string, std::string> get_params;
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
      m.allowed.clear();
      return m;
    }
    if (method == "HEAD" && r.method == "GET" && !get_route) {
      get_route = &r;
      get_params = std::move(params);
    }
    m.allowed.push_back(r.method);
  }
  if (get_route) {
    m.route = get_route;
    m.params = std::move(get_params);
    m.allowed.clear();
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
