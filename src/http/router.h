// Router: method + path pattern → handler, with path parameters ({name}).
// Unlike RESTinio's express router it distinguishes "no such route" (404)
// from "route exists, method does not" (405, with the Allow header); HEAD
// finds the GET route of a path. Also the one request-body path of the edge
// (docs/edge.md): strict JSON media type, a nesting-depth limit checked
// before any tree is built, and typed top-level fields.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/accounts.h"
#include "common/result.h"

namespace quanze::http {

// Deepest nesting of arrays and objects accepted in a request body.
inline constexpr int kMaxJsonDepth = 64;

// The JSON type a request field must have when it is present.
enum class JsonKind { kString, kInteger, kNumber, kBoolean, kObject, kArray };

// A field of a request body and its type: "comment", or a path into nested
// objects such as "decision/content". A field that is absent passes (the use
// case decides what is required); null or another type is refused.
struct FieldSpec {
  const char* path;
  JsonKind kind;
};

struct Request {
  std::string method;
  std::string path;    // percent-decoded path without the query
  std::string route;   // the matched pattern, for the request log
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::optional<app::Session> session;
  // The client's address (http/client_address.h): the TCP peer, or the
  // X-Forwarded-For client when the peer is a trusted proxy. For rate limits
  // and the sign-in throttle; never logged in clear.
  std::string client;

  std::string Header(const std::string& lower_name) const;
  // Query parameter parsing with 400 errors that name the parameter.
  Result<std::optional<std::string>> QueryText(const std::string& name, std::size_t max_len = 200) const;
  Result<std::optional<std::int64_t>> QueryInt(const std::string& name, std::int64_t min,
                                               std::int64_t max) const;
  Result<std::int64_t> RequiredInt(const std::string& name, std::int64_t min, std::int64_t max) const;
  Result<std::int64_t> ParamInt(const std::string& name) const;
  // The body as a JSON object: 415 unless the content type is exactly
  // application/json (optionally ;charset=utf-8); 400 when nested deeper than
  // kMaxJsonDepth (checked before parsing), malformed, not an object, or when
  // a field of `fields` has another type (the field is named in the message
  // and in "field" of the problem).
  Result<nlohmann::json> JsonBody(std::initializer_list<FieldSpec> fields = {}) const;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // When set, sent instead of `body` without a copy: large cached documents
  // are shared with the cache until the response has left.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;
  // For the request log only, never sent: what went wrong inside (a 500).
  std::string internal;

  static Reply Json(const nlohmann::json& j, int status = 200);
  static Reply Problem(const Error& e, const std::string& instance = "");
  static Reply Text(std::string text, int status = 200);
};

// Any 5xx but 503 (a planned refusal) is an incident: an unexpected error.
bool IsIncident(const Reply& reply);
// The incident as a client may see it: a problem+json 500 naming only
// `incident` (no internal text); the reply's extra headers are kept.
Reply WithoutInternalText(Reply reply, const std::string& incident);
// reply.internal as the request log may hold it: bounded to 500 bytes, never
// empty, without the echo of parsed input that nlohmann parse errors carry.
std::string LogSafeInternal(std::string internal);

using Respond = std::function<void(Reply)>;
using Handler = std::function<void(Request&, Respond)>;

enum class Access {
  kPublic,  // no account needed
  kUser,    // a valid session or bearer token
};

// How large a request body a route accepts (413 beyond; the server maps each
// kind to bytes from its configuration, see BodyLimitBytes).
enum class BodyLimit {
  kJson,    // ordinary JSON commands: 1 MiB
  kUpload,  // files, imports, applications with materials: server.max_body_bytes
};

inline constexpr std::int64_t kJsonBodyLimitBytes = 1024 * 1024;

// The byte limit of `kind` under the server-wide `max_body_bytes` (never above it).
std::int64_t BodyLimitBytes(BodyLimit kind, std::int64_t max_body_bytes);

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  Handler handler;
  BodyLimit body = BodyLimit::kJson;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, Handler handler,
           BodyLimit body = BodyLimit::kJson);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // when route == nullptr and the path exists
  };
  Match Find(std::string_view method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

// A parsed Content-Type (RFC 9110 §8.3.1): lower-case "type/subtype" and
// parameters (lower-case names; values unquoted, case kept).
struct MediaType {
  std::string essence;
  std::vector<std::pair<std::string, std::string>> params;
};
// nullopt unless `value` is exactly one media type (no lists, no junk).
std::optional<MediaType> ParseMediaType(std::string_view value);
// application/json with no parameter other than charset=utf-8.
bool IsJsonMediaType(std::string_view content_type);

// kBadRequest when arrays/objects in `text` nest deeper than max_depth. Scans
// the bytes only (strings and escapes respected), so it is safe on any input
// and runs before a parser builds a tree.
Status CheckJsonDepth(std::string_view text, int max_depth = kMaxJsonDepth);

// The 400 for a request field of the wrong type; `field` empty when unknown.
Error WrongFieldType(const std::string& field, JsonKind expected);
// When `e` is nlohmann::json's complaint about a value of the client's (a
// type_error other than invalid UTF-8 on output, or a missing key from at()),
// the 400 to answer instead of a 500; otherwise nullopt.
std::optional<Error> ClientJsonError(const std::exception& e);

// Percent-decoding; nullopt on malformed escapes.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);
// Parses a query string; kBadRequest on malformed encoding.
Result<std::map<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace quanze::http
