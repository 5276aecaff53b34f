// Routes of the foundation: health, session (login/logout), accounts,
// regions. Handlers parse and validate input, call app/, and render; they
// hold no business rules.
#include "app/demo.h"
#include "domain/access.h"
#include "http/abuse_guard.h"
#include "http/error_table.h"
#include "http/routes.h"

#ifndef QUANZE_VERSION
#define QUANZE_VERSION "0.0.0"
#endif

namespace quanze::http {

Reply CommittedReply(Result<app::Committed> r, std::optional<app::Receipt> refusal, int status) {
  if (!r.ok()) {
    Error e = r.take_error();
    if (refusal) {
      if (!e.detail.is_object()) e.detail = nlohmann::json::object();
      e.detail["receipt"] = refusal->ToJson();
    }
    return Reply::Problem(e);
  }
  nlohmann::json body = r->value.is_object() ? r->value : nlohmann::json{{"result", r->value}};
  if (r->receipt) body["receipt"] = r->receipt->ToJson();
  return Reply::Json(body, status);
}

void SubmitWrite(app::App& app, app::Writer::Work work, const Respond& respond, int status) {
  // A use case reading a request field with the wrong type (nlohmann's
  // type_error) refuses the request with a 400; the unit is rolled back like
  // any failed unit. Other exceptions stay internal errors (500, incident).
  app::Writer::Work guarded = [work = std::move(work)](app::Tx& tx) -> Result<nlohmann::json> {
    try {
      return work(tx);
    } catch (const std::exception& e) {
      if (auto client = ClientJsonError(e)) return *client;
      throw;
    }
  };
  app.writer().Submit(std::move(guarded), [respond, status](Result<app::Committed> r,
                                                            std::optional<app::Receipt> refusal) {
    respond(CommittedReply(std::move(r), refusal, status));
  });
}

void AnswerRead(app::App& app, const Request& req, Result<nlohmann::json> r, const Respond& respond) {
  if (!r.ok() && r.error().code == ErrorCode::kForbidden) return Deny(app, req, r.error(), respond);
  respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
}

void Deny(app::App& app, const Request& req, const Error& error, const Respond& respond) {
  app::Event ev{"access.denied",
                req.session ? req.session->user.AsActor() : app::Actor::Public(),
                "route",
                req.method + " " + req.route,
                {{"code", std::string(ErrorCodeName(error.code))}, {"reason", error.message_en}}};
  Error e = error;
  app.writer().Submit(
      [ev](app::Tx& tx) -> Result<nlohmann::json> {
        QZ_TRY(tx.Append(ev));
        return nlohmann::json::object();
      },
      [respond, e](Result<app::Committed> r, std::optional<app::Receipt>) mutable {
        if (r.ok() && r->receipt) {
          if (!e.detail.is_object()) e.detail = nlohmann::json::object();
          e.detail["receipt"] = r->receipt->ToJson();
        }
        respond(Reply::Problem(e));
      });
}

bool Require(app::App& app, const Request& req, domain::Permission p, const Respond& respond) {
  if (req.session && domain::RoleHas(req.session->user.role, p)) return true;
  Deny(app, req, MakeError(ErrorCode::kForbidden, "您的角色无权使用此功能",
                           "your role may not use this function"), respond);
  return false;
}

namespace {

std::string SessionCookie(const std::string& value, std::int64_t max_age, bool secure) {
  std::string c = "qz_session=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(max_age);
  if (secure) c += "; Secure";
  return c;
}

void AddSessionRoutes(Router& router, app::App& app) {
  router.Add("POST", "/api/v1/session", Access::kPublic, [&app](Request& req, Respond respond) {
    auto body = req.JsonBody();
    if (!body.ok()) return respond(Reply::Problem(body.error()));
    const auto& j = *body;
    if (!j.contains("username") || !j["username"].is_string() || !j.contains("password") ||
        !j["password"].is_string()) {
      return respond(Reply::Problem(MakeError(ErrorCode::kValidation, "请填写账号和密码",
                                              "username and password are required")));
    }
    std::string name = j["username"].get<std::string>();
    std::string password = j["password"].get<std::string>();
    if (name.empty() || name.size() > 64 || password.empty() || password.size() > 256) {
      return respond(Reply::Problem(MakeError(ErrorCode::kValidation, "账号或密码长度不符合要求",
                                              "username or password has an invalid length")));
    }
    const app::Config& cfg = app.config();
    app.accounts().Login(name, password, req.client, [respond, &cfg](Result<app::LoginOutcome> r) {
      if (!r.ok()) return respond(Reply::Problem(r.error()));
      const app::LoginOutcome& o = *r;
      if (o.retry_after > 0) {
        return respond(
            TooManyRequests(o.retry_after, "此账号从您的地址登录失败次数过多",
                            "too many failed sign-ins to this account from your address"));
      }
      if (!o.ok) {
        Error e = MakeError(ErrorCode::kUnauthenticated, "账号或密码错误", "wrong username or password");
        if (o.receipt) e.detail = {{"receipt", o.receipt->ToJson()}};
        return respond(Reply::Problem(e));
      }
      nlohmann::json body = {{"user", o.user.ToJson()}, {"csrf_token", o.csrf_token}};
      if (o.receipt) body["receipt"] = o.receipt->ToJson();
      Reply reply = Reply::Json(body);
      reply.headers.emplace_back(
          "Set-Cookie",
          SessionCookie(o.session_token, cfg.session_absolute_seconds, cfg.SessionCookieSecure()));
      respond(std::move(reply));
    });
  });

  router.Add("GET", "/api/v1/session", Access::kUser, [](Request& req, Respond respond) {
    respond(Reply::Json({{"user", req.session->user.ToJson()}, {"csrf_token", req.session->csrf_token}}));
  });

  router.Add("DELETE", "/api/v1/session", Access::kUser, [&app](Request& req, Respond respond) {
    bool secure = app.config().SessionCookieSecure();
    app.accounts().Logout(*req.session, [respond, secure](Result<app::Committed> r) {
      Reply reply = CommittedReply(std::move(r), std::nullopt, 200);
      reply.headers.emplace_back("Set-Cookie", SessionCookie("", 0, secure));
      respond(std::move(reply));
    });
  });
}

void AddUserRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/users", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kManageUsers, respond)) return;
    auto users = app.accounts().ListUsers();
    if (!users.ok()) return respond(Reply::Problem(users.error()));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& u : *users) {
      items.push_back({{"id", u.id}, {"name", u.name}, {"role", u.role}, {"scope", u.scope},
                       {"disabled", u.disabled}, {"created_at", FormatRfc3339(FromUnixSeconds(u.created_at))}});
    }
    respond(Reply::Json({{"items", items}, {"next_cursor", nullptr}}));
  });

  router.Add("POST", "/api/v1/users", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kManageUsers, respond)) return;
    auto body = req.JsonBody();
    if (!body.ok()) return respond(Reply::Problem(body.error()));
    auto text = [&](const char* k) {
      return body->contains(k) && (*body)[k].is_string() ? (*body)[k].get<std::string>() : std::string();
    };
    // Argon2id hashing is slow: AddUser runs it here, then waits for the writer.
    auto r = app.accounts().AddUser(req.session->user.AsActor(), text("name"), text("role"),
                                    text("scope").empty() ? "all" : text("scope"), text("password"));
    respond(CommittedReply(std::move(r), std::nullopt, 201));
  });

  // Revokes every bearer token of an account, at once in every server process.
  router.Add(
      "DELETE", "/api/v1/users/{id}/tokens", Access::kUser, [&app](Request& req, Respond respond) {
        if (!Require(app, req, domain::Permission::kManageUsers, respond)) return;
        auto id = req.ParamInt("id");
        if (!id.ok()) return respond(Reply::Problem(id.error()));
        respond(CommittedReply(app.accounts().RevokeTokensOf(req.session->user.AsActor(), *id),
                               std::nullopt, 200));
      });
}

void AddRegionRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/regions", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadRegions, respond)) return;
    auto parent = req.QueryText("parent", 16);
    auto cursor = req.QueryText("cursor", 16);
    auto limit = req.QueryInt("limit", 1, 500);
    if (!parent.ok()) return respond(Reply::Problem(parent.error()));
    if (!cursor.ok()) return respond(Reply::Problem(cursor.error()));
    if (!limit.ok()) return respond(Reply::Problem(limit.error()));
    auto r = app.regions().ListText(req.session->user, *parent, cursor->value_or(""),
                                    static_cast<int>(limit->value_or(100)));
    if (!r.ok()) return respond(Reply::Problem(r.error()));
    Reply reply;
    reply.body = std::move(r).value();
    respond(std::move(reply));
  });

  router.Add("GET", "/api/v1/regions/{code}", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadRegions, respond)) return;
    auto r = app.regions().Get(req.session->user, req.params["code"]);
    if (!r.ok() && r.error().code == ErrorCode::kForbidden) return Deny(app, req, r.error(), respond);
    respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
  });
}

}  // namespace

void AddCoreRoutes(Router& router, app::App& app) {
  router.Add("GET", "/healthz", Access::kPublic, [&app](Request&, Respond respond) {
    auto size = app.ledger().ApproximateSize();
    if (!size.ok()) return respond(Reply::Problem(size.error()));
    respond(Reply::Json({{"status", "ok"},
                         {"version", QUANZE_VERSION},
                         {"db", std::string(app.db().Kind())},
                         {"ledger_size", *size}}));
  });
  AddSessionRoutes(router, app);
  AddUserRoutes(router, app);
  AddRegionRoutes(router, app);
}

}  // namespace quanze::http
