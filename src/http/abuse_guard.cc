#include "http/abuse_guard.h"

#include <cmath>

namespace quanze::http {
namespace {

bool IsSignIn(const Route& r) { return r.method == "POST" && r.pattern == "/api/v1/session"; }

bool IsPublicWrite(const Route& r) {
  return r.access == Access::kPublic && r.method != "GET" && r.method != "HEAD" &&
         r.method != "OPTIONS" && !IsSignIn(r);
}

bool IsPublicApplication(const Route& r) {
  return r.method == "POST" && r.pattern == "/api/v1/public/applications";
}

}  // namespace

Reply TooManyRequests(std::int64_t retry_after, const std::string& why_zh,
                      const std::string& why_en) {
  Reply reply = Reply::Problem(MakeError(
      ErrorCode::kTooManyRequests, why_zh + "，请 " + std::to_string(retry_after) + " 秒后再试",
      why_en + "; try again in " + std::to_string(retry_after) + " s",
      {{"retry_after", retry_after}}));
  reply.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return reply;
}

AbuseGuard::AbuseGuard(const app::Config& config)
    : sign_in_(config.rate_sign_in, static_cast<std::size_t>(config.rate_max_clients)),
      public_writes_(config.rate_public_writes, static_cast<std::size_t>(config.rate_max_clients)),
      applications_(static_cast<std::size_t>(config.rate_max_clients)),
      applications_per_day_(config.public_applications_per_day) {}

std::int64_t AbuseGuard::Day(double now) {
  return static_cast<std::int64_t>(std::floor((now + 8 * 3600) / 86400));
}

std::optional<Reply> AbuseGuard::Admit(const Route& route, const std::string& client, double now) {
  if (IsSignIn(route)) {
    if (std::int64_t wait = sign_in_.Take(client, now); wait > 0) {
      return TooManyRequests(wait, "来自您地址的登录请求过多",
                             "too many sign-in requests from your address");
    }
    return std::nullopt;
  }
  if (!IsPublicWrite(route)) return std::nullopt;
  if (IsPublicApplication(route) && applications_per_day_ > 0 &&
      applications_.Count(client, Day(now)) >= applications_per_day_) {
    auto until_midnight =
        static_cast<std::int64_t>(std::ceil((Day(now) + 1) * 86400.0 - 8 * 3600 - now));
    return TooManyRequests(
        std::max<std::int64_t>(1, until_midnight),
        "来自您地址的申请今日已达上限（" + std::to_string(applications_per_day_) + " 件）",
        "applications from your address have reached today's limit (" +
            std::to_string(applications_per_day_) + ")");
  }
  if (std::int64_t wait = public_writes_.Take(client, now); wait > 0) {
    return TooManyRequests(wait, "来自您地址的请求过多", "too many requests from your address");
  }
  return std::nullopt;
}

void AbuseGuard::Answered(const Route& route, const std::string& client, int status, double now) {
  if (IsPublicApplication(route) && status >= 200 && status < 300) {
    applications_.Add(client, Day(now));
  }
}

}  // namespace quanze::http
