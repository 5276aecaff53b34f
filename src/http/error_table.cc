#include "http/error_table.h"

#include <nlohmann/json.hpp>

namespace quanze::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest: return 400;
    case ErrorCode::kValidation: return 422;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kAuthorityDenied: return 403;
    case ErrorCode::kPreconditionFailed: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kRuleViolation: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMedia: return 415;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

namespace {
const char* Title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}
}  // namespace

std::string ProblemJson(const Error& error, const std::string& instance) {
  int status = HttpStatusFor(error.code);
  std::string code(ErrorCodeName(error.code));
  nlohmann::json j = {
      {"type", "https://quanze.example/problems/" + code},
      {"title", Title(status)},
      {"status", status},
      {"code", code},
      {"detail", error.message_en.empty() ? error.message_zh : error.message_en},
      {"message_zh", error.message_zh},
      {"message_en", error.message_en},
  };
  if (!instance.empty()) j["instance"] = instance;
  if (error.detail.is_object()) {
    for (auto it = error.detail.begin(); it != error.detail.end(); ++it) {
      if (!j.contains(it.key())) j[it.key()] = it.value();
    }
  } else if (!error.detail.is_null()) {
    j["errors"] = error.detail;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace quanze::http
