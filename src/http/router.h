// Router: method + path pattern → handler, with path parameters ({name}).
// Unlike RESTinio's express router it distinguishes "no such route" (404)
// from "route exists, method does not" (405, with the Allow header).
#pragma once

#include <functional>
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

struct Request {
  std::string method;
  std::string path;    // percent-decoded path without the query
  std::string route;   // the matched pattern, for the request log
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::optional<app::Session> session;

  std::string Header(const std::string& lower_name) const;
  // Query parameter parsing with 400 errors that name the parameter.
  Result<std::optional<std::string>> QueryText(const std::string& name, std::size_t max_len = 200) const;
  Result<std::optional<std::int64_t>> QueryInt(const std::string& name, std::int64_t min,
                                               std::int64_t max) const;
  Result<std::int64_t> RequiredInt(const std::string& name, std::int64_t min, std::int64_t max) const;
  Result<std::int64_t> ParamInt(const std::string& name) const;
  // The body as a JSON object (415 unless the content type is JSON; 400 if malformed).
  Result<nlohmann::json> JsonBody() const;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // When set, sent instead of `body` without a copy: large cached documents
  // are shared with the cache until the response has left.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Reply Json(const nlohmann::json& j, int status = 200);
  static Reply Problem(const Error& e, const std::string& instance = "");
  static Reply Text(std::string text, int status = 200);
};

using Respond = std::function<void(Reply)>;
using Handler = std::function<void(Request&, Respond)>;

enum class Access {
  kPublic,  // no account needed
  kUser,    // a valid session or bearer token
};

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  Handler handler;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, Handler handler);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // when route == nullptr and the path exists
  };
  Match Find(std::string_view method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

// Percent-decoding; nullopt on malformed escapes.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);
// Parses a query string; kBadRequest on malformed encoding.
Result<std::map<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace quanze::http
