// The one table from ErrorCode to HTTP status, and the RFC 9457
// application/problem+json rendering of every error the API returns.
#pragma once

#include <string>

#include "common/result.h"

namespace quanze::http {

int HttpStatusFor(ErrorCode code);

// {"type","title","status","code","detail","message_zh","message_en", ...detail fields}
std::string ProblemJson(const Error& error, const std::string& instance = "");

}  // namespace quanze::http
