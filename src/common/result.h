// Result<T>: the value of an operation that may fail in an expected way.
//
// Expected failures (bad input, not found, conflict, rule violated, denied)
// are values, never exceptions. Each carries a stable ErrorCode (mapped to an
// HTTP status in exactly one table, src/http/error_table.cc) and a message in
// Chinese and English that a person can act on. Exceptions thrown by libraries
// are caught at the adapter edge and turned into a Result there.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace quanze {

// Stable machine codes. Never renumber or rename: clients match on the
// snake_case string returned by ErrorCodeName().
enum class ErrorCode {
  kBadRequest,          // malformed input: syntax, type, range
  kValidation,          // well-formed but semantically invalid input (422)
  kUnauthenticated,     // no or invalid credentials (401)
  kForbidden,           // valid credentials, outside role or scope (403)
  kNotFound,            // no such resource (404)
  kMethodNotAllowed,    // route exists, method does not (405)
  kConflict,            // state does not allow the change (409)
  kRuleViolation,       // a domain rule refuses the change (409)
  kAuthorityDenied,     // 法无授权不可为: no legal authority for the act (403)
  kTooManyRequests,     // rate limited, e.g. repeated failed logins (429)
  kPayloadTooLarge,     // request body over the limit (413)
  kUnsupportedMedia,    // wrong content type (415)
  kPreconditionFailed,  // CSRF token missing or wrong (403)
  kUnavailable,         // shutting down, database busy beyond timeout (503)
  kInternal,            // a bug or an I/O failure we cannot attribute to input (500)
};

std::string_view ErrorCodeName(ErrorCode code);

// A failure: a code, bilingual message, and optional structured detail
// (e.g. the readiness items still open, the row errors of an import).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message_zh;
  std::string message_en;
  nlohmann::json detail;  // null when there is nothing more to say

  // The two messages joined for logs and CLI output: "中文 / English".
  std::string Describe() const;
};

inline Error MakeError(ErrorCode code, std::string zh, std::string en,
                       nlohmann::json detail = nullptr) {
  return Error{code, std::move(zh), std::move(en), std::move(detail)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(!ok()); return *e_; }
  Error&& take_error() { assert(!ok()); return std::move(*e_); }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

}  // namespace quanze

// Propagate a failure from an expression yielding Result<...>.
#define QZ_TRY(expr)                                   \
  do {                                                 \
    auto qz_try_result_ = (expr);                      \
    if (!qz_try_result_.ok()) return qz_try_result_.take_error(); \
  } while (0)

#define QZ_CONCAT_INNER(a, b) a##b
#define QZ_CONCAT(a, b) QZ_CONCAT_INNER(a, b)

// Declare `lhs` from the value of a Result, or return its error.
#define QZ_ASSIGN_OR_RETURN(lhs, expr) \
  QZ_ASSIGN_OR_RETURN_IMPL(QZ_CONCAT(qz_result_, __LINE__), lhs, expr)
#define QZ_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.take_error();        \
  lhs = std::move(tmp).value()
