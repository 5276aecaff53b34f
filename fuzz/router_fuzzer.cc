// Fuzz target: the router as the server drives it (src/http/server.cc,
// Dispatcher::Route): the request target is split at '?', the path
// percent-decoded (PercentDecode), the query parsed (ParseQuery), and the
// route found (Router::Find) in the server's real route table (every
// router.Add of src/http/routes_*.cc, extracted when CMake configures: see
// fuzz/CMakeLists.txt).
//
// Input: "<method> <request target>", e.g. "GET /api/v1/regions/99?limit=5".
// Properties: no crash; a malformed query is an error value; a parsed query
// survives encoding and parsing again; a found route has the method asked
// for (or GET for HEAD) and its pattern with the captured parameters put back
// is the path; otherwise the methods offered for 405 are exactly those of the
// routes whose pattern matches the path, as an independent matcher finds them.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "fuzz/routes_table.h"  // generated: kRouteTable
#include "http/router.h"

namespace {

using namespace quanze::http;

const Router& TheRouter() {
  static const Router* router = [] {
    auto* r = new Router;
    for (const auto& [method, pattern] : quanze::fuzz::kRouteTable) {
      r->Add(method, pattern, Access::kPublic, [](Request&, Respond) {});
    }
    return r;
  }();
  return *router;
}

std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// An independent reading of the pattern rules: "{x}" matches one non-empty
// segment, anything else itself.
bool Matches(std::string_view pattern, std::string_view path) {
  auto p = Segments(pattern), s = Segments(path);
  if (p.size() != s.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    bool param = p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}';
    if (param ? s[i].empty() : p[i] != s[i]) return false;
  }
  return true;
}

std::string Fill(std::string_view pattern, const std::map<std::string, std::string>& params) {
  std::string out;
  for (const std::string& seg : Segments(pattern)) {
    out += '/';
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      out += params.at(seg.substr(1, seg.size() - 2));
    } else {
      out += seg;
    }
  }
  return out;
}

std::string Encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void CheckQuery(std::string_view query) {
  auto parsed = ParseQuery(query);
  if (!parsed.ok()) {
    quanze::fuzz::CheckErrorValue(parsed.error());
    FUZZ_CHECK(parsed.error().code == quanze::ErrorCode::kBadRequest, parsed.error().Describe());
    return;
  }
  std::string again;
  for (const auto& [k, v] : *parsed) again += (again.empty() ? "" : "&") + Encode(k) + "=" + Encode(v);
  auto reparsed = ParseQuery(again);
  FUZZ_CHECK(reparsed.ok() && *reparsed == *parsed, again);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = quanze::fuzz::AsText(data, size);
  std::size_t sp = input.find(' ');
  if (sp == std::string_view::npos) return 0;
  std::string method(input.substr(0, sp));
  std::string_view target = input.substr(sp + 1);
  std::size_t q = target.find('?');
  CheckQuery(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));

  auto decoded = PercentDecode(target.substr(0, q), false);
  if (!decoded || decoded->empty() || (*decoded)[0] != '/') return 0;  // the server's 400
  const std::string& path = *decoded;

  const Router& router = TheRouter();
  Router::Match m = router.Find(method, path);
  std::vector<std::string> matching;  // methods of the routes whose pattern matches, table order
  bool has_get = false, has_method = false;
  for (const auto& [rm, pattern] : quanze::fuzz::kRouteTable) {
    if (!Matches(pattern, path)) continue;
    matching.emplace_back(rm);
    has_get = has_get || std::string_view(rm) == "GET";
    has_method = has_method || rm == method;
  }
  if (m.route) {
    FUZZ_CHECK(m.route->method == method || (method == "HEAD" && m.route->method == "GET"),
               m.route->method + " for " + method);
    FUZZ_CHECK(has_method || (method == "HEAD" && has_get), "found a route the matcher rejects");
    FUZZ_CHECK(Matches(m.route->pattern, path), m.route->pattern);
    FUZZ_CHECK(Fill(m.route->pattern, m.params) == path, m.route->pattern + " vs " + path);
    FUZZ_CHECK(m.allowed.empty(), "allowed set with a route");
  } else {
    FUZZ_CHECK(!has_method && !(method == "HEAD" && has_get), "a matching route was missed");
    FUZZ_CHECK(m.allowed == matching, "405 Allow list differs from the matching routes");
  }
  return 0;
}
