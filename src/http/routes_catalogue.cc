// HTTP routes of the catalogue area: the staff API under /api/v1/ (powers,
// batches, grants and their transitions, publication; scope-checked) and the
// public one under /api/v1/public/ (no account, no personal data; ETag and
// If-None-Match, gzip). Handlers parse, call app::CatalogueService, render.
#include <cstdlib>

#include "app/catalogue.h"
#include "http/routes.h"

namespace quanze::http {
namespace {

using nlohmann::json;

app::CatalogueCaller Caller(const Request& req) {
  return app::CatalogueCaller::Of(req.session->user);
}

#define QZ_HTTP_TRY(expr)                                                 \
  do {                                                                    \
    auto qz_http_ = (expr);                                               \
    if (!qz_http_.ok()) return respond(Reply::Problem(qz_http_.error())); \
  } while (0)

std::string Text(const Request& req, const std::string& name, std::size_t max_len = 100) {
  auto v = req.QueryText(name, max_len);
  return v.ok() && *v ? **v : std::string();
}

// Every query parameter read by a handler, checked for length first.
Status CheckQuery(const Request& req,
                  std::initializer_list<std::pair<const char*, std::size_t>> p) {
  for (const auto& [name, max] : p) {
    auto v = req.QueryText(name, max);
    if (!v.ok()) return v.take_error();
  }
  return Ok();
}

std::optional<std::string> OptQuery(const Request& req, const std::string& name) {
  std::string v = Text(req, name, 16);
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

// ---- conditional requests and encodings ----------------------------------------

bool AcceptsGzip(const std::string& accept_encoding) {
  std::size_t pos = 0;
  while (pos < accept_encoding.size()) {
    std::size_t end = accept_encoding.find(',', pos);
    if (end == std::string::npos) end = accept_encoding.size();
    std::string part = accept_encoding.substr(pos, end - pos);
    pos = end + 1;
    std::size_t semi = part.find(';');
    std::string name = part.substr(0, semi);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name != "gzip" && name != "x-gzip") continue;
    if (semi == std::string::npos) return true;
    std::string params = part.substr(semi);
    std::size_t q = params.find("q=");
    return q == std::string::npos || std::strtod(params.c_str() + q + 2, nullptr) > 0;
  }
  return false;
}

// RFC 9110 §13.1.2: weak comparison; "*" matches any representation.
bool NoneMatch(const std::string& header, const std::string& etag) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(',', pos);
    if (end == std::string::npos) end = header.size();
    std::string tag = header.substr(pos, end - pos);
    pos = end + 1;
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

// A cached document: ETag, cache headers, 304 or the body (plain or gzip),
// shared with the cache rather than copied.
Reply RenderedReply(const Request& req, const std::shared_ptr<const app::Rendered>& rendered,
                    bool pinned) {
  const app::Rendered& doc = *rendered;
  bool gzip = !doc.gzip.empty() && AcceptsGzip(req.Header("accept-encoding"));
  const std::string& etag = gzip ? doc.etag_gzip : doc.etag;
  Reply reply;
  reply.headers.emplace_back("ETag", etag);
  reply.headers.emplace_back("Cache-Control",
                             pinned ? "public, max-age=31536000, immutable" : "public, no-cache");
  reply.headers.emplace_back("Vary", "Accept-Encoding");
  std::string inm = req.Header("if-none-match");
  if (!inm.empty() && NoneMatch(inm, etag)) {
    reply.status = 304;
    return reply;
  }
  reply.content_type = doc.content_type;
  reply.shared_body = std::shared_ptr<const std::string>(rendered, gzip ? &doc.gzip : &doc.body);
  if (gzip) reply.headers.emplace_back("Content-Encoding", "gzip");
  if (!doc.filename.empty()) {
    reply.headers.emplace_back("Content-Disposition",
                               "attachment; filename=\"" + doc.filename + "\"");
  }
  return reply;
}

// ---- public routes ---------------------------------------------------------------

void AddPublicRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/public/towns", Access::kPublic, [&app](Request& req, Respond respond) {
    QZ_HTTP_TRY(CheckQuery(req, {{"cursor", 16}}));
    auto limit = req.QueryInt("limit", 1, 500);
    QZ_HTTP_TRY(limit);
    auto r = app.catalogue().PublicTowns(Text(req, "cursor", 16),
                                         static_cast<int>(limit->value_or(100)));
    respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
  });

  // JSON: item summaries unless ?view=full; CSV and XLSX: always in full.
  router.Add(
      "GET", "/api/v1/public/towns/{code}/catalogue", Access::kPublic,
      [&app](Request& req, Respond respond) {
        auto version = req.QueryInt("version", 1, INT32_MAX);
        QZ_HTTP_TRY(version);
        QZ_HTTP_TRY(CheckQuery(req, {{"format", 8}, {"view", 16}}));
        std::string fmt = Text(req, "format", 8);
        auto format = app::ParseCatalogueFormat(fmt.empty() ? "json" : fmt);
        if (!format) {
          return respond(Reply::Problem(
              MakeError(ErrorCode::kBadRequest, "format 须为 json、csv 或 xlsx",
                        "format must be json, csv or xlsx", {{"parameter", "format"}})));
        }
        std::string view_text = Text(req, "view", 16);
        auto view = app::ParseCatalogueView(view_text.empty() ? "summary" : view_text);
        if (!view) {
          return respond(
              Reply::Problem(MakeError(ErrorCode::kBadRequest, "view 须为 summary 或 full",
                                       "view must be summary or full", {{"parameter", "view"}})));
        }
        auto doc = *format == app::CatalogueFormat::kJson
                       ? app.catalogue().TownCatalogueJson(req.params["code"], *version, *view)
                       : app.catalogue().TownCatalogue(req.params["code"], *version, *format);
        if (!doc.ok()) return respond(Reply::Problem(doc.error()));
        respond(RenderedReply(req, *doc, version->has_value()));
      });

  router.Add("GET", "/api/v1/public/towns/{code}/catalogue/items/{power_code}", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto version = req.QueryInt("version", 1, INT32_MAX);
               QZ_HTTP_TRY(version);
               auto doc = app.catalogue().TownCatalogueItem(req.params["code"], *version,
                                                            req.params["power_code"]);
               if (!doc.ok()) return respond(Reply::Problem(doc.error()));
               respond(RenderedReply(req, *doc, version->has_value()));
             });

  router.Add("GET", "/api/v1/public/towns/{code}/catalogue/diff", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto from = req.RequiredInt("from", 1, INT32_MAX);
               QZ_HTTP_TRY(from);
               auto to = req.RequiredInt("to", 1, INT32_MAX);
               QZ_HTTP_TRY(to);
               auto doc = app.catalogue().TownCatalogueDiff(req.params["code"], *from, *to);
               if (!doc.ok()) return respond(Reply::Problem(doc.error()));
               respond(RenderedReply(req, *doc, true));
             });

  router.Add("GET", "/api/v1/public/towns/{code}/catalogue/versions", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto r = app.catalogue().ListVersions("all", req.params["code"]);
               respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
             });
}

// ---- staff routes: powers and batches ----------------------------------------------

void AddPowerRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/powers", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadCatalogue, respond)) return;
    QZ_HTTP_TRY(CheckQuery(
        req, {{"province", 16}, {"q", 100}, {"kind", 32}, {"department", 100}, {"cursor", 120}}));
    auto limit = req.QueryInt("limit", 1, 500);
    QZ_HTTP_TRY(limit);
    app::PowerQuery q{OptQuery(req, "province"), Text(req, "q"),
                      Text(req, "kind", 32),     Text(req, "department"),
                      Text(req, "cursor", 120),  static_cast<int>(limit->value_or(100))};
    AnswerRead(app, req, app.catalogue().ListPowers(req.session->user, q), respond);
  });

  router.Add("GET", "/api/v1/powers/{code}", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadCatalogue, respond)) return;
    QZ_HTTP_TRY(CheckQuery(req, {{"province", 16}}));
    AnswerRead(
        app, req,
        app.catalogue().GetPower(req.session->user, req.params["code"], OptQuery(req, "province")),
        respond);
  });

  // The import itself: the file is the body (text/csv or application/json).
  auto import = [&app](Request& req, Respond respond, std::string format) {
    QZ_HTTP_TRY(CheckQuery(req, {{"province", 16}}));
    auto province =
        app.catalogue().ResolveProvince(req.session->user.scope_path, OptQuery(req, "province"));
    if (!province.ok()) {
      if (province.error().code == ErrorCode::kForbidden)
        return Deny(app, req, province.error(), respond);
      return respond(Reply::Problem(province.error()));
    }
    if (format == "json") QZ_HTTP_TRY(CheckJsonDepth(req.body));
    auto parsed = app::ParseMasterCatalogue(req.body, std::move(format));
    if (!parsed.ok()) return respond(Reply::Problem(parsed.error()));
    SubmitWrite(app, app.catalogue().ImportMaster(Caller(req), *province, std::move(parsed).value()),
           respond, 200);
  };

  router.Add(
      "POST", "/api/v1/powers/import", Access::kUser,
      [&app, import](Request& req, Respond respond) {
        if (!Require(app, req, domain::Permission::kManageCatalogue, respond)) return;
        // Exactly one media type: CSV in any charset the importer reads, or JSON.
        std::string type = req.Header("content-type");
        auto media = ParseMediaType(type);
        std::string format = media && media->essence == "text/csv" ? "csv"
                             : IsJsonMediaType(type)               ? "json"
                                                                   : "";
        if (format.empty()) {
          return respond(Reply::Problem(MakeError(
              ErrorCode::kUnsupportedMedia, "导入文件的类型须为 text/csv 或 application/json",
              "the file must be sent as text/csv or application/json")));
        }
        import(req, std::move(respond), format);
      },
      BodyLimit::kUpload);

  router.Add("POST", "/api/v1/powers", Access::kUser,
             [&app, import](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kManageCatalogue, respond)) return;
               auto body = req.JsonBody();
               QZ_HTTP_TRY(body);
               if (!body->contains("powers"))
                 req.body = json{{"powers", json::array({*body})}}.dump();
               import(req, std::move(respond), "json");
             });
}

void AddBatchRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/batches", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadCatalogue, respond)) return;
    AnswerRead(app, req, app.catalogue().ListBatches(req.session->user), respond);
  });

  router.Add("GET", "/api/v1/batches/{id}", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadCatalogue, respond)) return;
    auto id = req.ParamInt("id");
    QZ_HTTP_TRY(id);
    AnswerRead(app, req, app.catalogue().GetBatch(req.session->user, *id), respond);
  });

  router.Add("POST", "/api/v1/batches", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kManageCatalogue, respond)) return;
    auto body = req.JsonBody();
    QZ_HTTP_TRY(body);
    auto batch = domain::ReformBatchFromJson(*body);
    QZ_HTTP_TRY(batch);
    std::optional<std::string> asked;
    if (!batch->province_code.empty()) asked = batch->province_code;
    auto province = app.catalogue().ResolveProvince(req.session->user.scope_path, asked);
    if (!province.ok() && province.error().code == ErrorCode::kForbidden) {
      return Deny(app, req, province.error(), respond);
    }
    QZ_HTTP_TRY(province);
    batch->province_code = *province;
    SubmitWrite(app, app.catalogue().CreateBatch(Caller(req), std::move(batch).value()), respond, 201);
  });

  router.Add(
      "POST", "/api/v1/batches/{id}/towns", Access::kUser, [&app](Request& req, Respond respond) {
        if (!Require(app, req, domain::Permission::kManageCatalogue, respond)) return;
        auto id = req.ParamInt("id");
        QZ_HTTP_TRY(id);
        auto body = req.JsonBody();
        QZ_HTTP_TRY(body);
        if (!body->contains("towns") || !(*body)["towns"].is_array() || (*body)["towns"].empty()) {
          return respond(
              Reply::Problem(MakeError(ErrorCode::kValidation, "请在 towns 中列出要加入的镇",
                                       "list the towns to add in \"towns\"")));
        }
        std::vector<domain::BatchTown> towns;
        for (const auto& t : (*body)["towns"]) {
          auto town = domain::BatchTownFromJson(t.is_string() ? json{{"town_code", t}} : t);
          QZ_HTTP_TRY(town);
          towns.push_back(std::move(town).value());
        }
        SubmitWrite(app, app.catalogue().AddBatchTowns(Caller(req), *id, std::move(towns)), respond,
               200);
      });
}

// ---- staff routes: grants and publication ---------------------------------------------

void AddGrantRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/grants", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadCatalogue, respond)) return;
    QZ_HTTP_TRY(CheckQuery(req, {{"town", 16}, {"state", 16}, {"kind", 32}}));
    auto batch = req.QueryInt("batch", 1, INT64_MAX);
    QZ_HTTP_TRY(batch);
    auto cursor = req.QueryInt("cursor", 0, INT64_MAX);
    QZ_HTTP_TRY(cursor);
    auto limit = req.QueryInt("limit", 1, 500);
    QZ_HTTP_TRY(limit);
    app::GrantQuery q{Text(req, "town", 16), Text(req, "state", 16),
                      Text(req, "kind", 32), batch->value_or(0),
                      cursor->value_or(0),   static_cast<int>(limit->value_or(100))};
    AnswerRead(app, req, app.catalogue().ListGrants(req.session->user, q), respond);
  });

  router.Add("GET", "/api/v1/grants/{id}", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadCatalogue, respond)) return;
    auto id = req.ParamInt("id");
    QZ_HTTP_TRY(id);
    AnswerRead(app, req, app.catalogue().GetGrant(req.session->user, *id), respond);
  });

  router.Add("POST", "/api/v1/grants", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kManageCatalogue, respond)) return;
    auto body = req.JsonBody();
    QZ_HTTP_TRY(body);
    std::vector<app::GrantProposal> proposals;
    const json* list = body->contains("items") ? &(*body)["items"] : nullptr;
    if (list && (!list->is_array() || list->empty() || list->size() > 1000)) {
      return respond(Reply::Problem(MakeError(ErrorCode::kValidation, "items 须为 1–1000 项的数组",
                                              "items must be an array of 1 to 1000 proposals")));
    }
    for (const json& p : list ? *list : json::array({*body})) {
      auto proposal = app::GrantProposalFromJson(p);
      QZ_HTTP_TRY(proposal);
      proposals.push_back(std::move(proposal).value());
    }
    SubmitWrite(app, app.catalogue().ProposeGrants(Caller(req), std::move(proposals)), respond, 201);
  });

  router.Add("PATCH", "/api/v1/grants/{id}/readiness", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kManageCatalogue, respond)) return;
               auto id = req.ParamInt("id");
               QZ_HTTP_TRY(id);
               auto body = req.JsonBody();
               QZ_HTTP_TRY(body);
               auto changes = domain::ReadinessChangesFromJson(*body);
               QZ_HTTP_TRY(changes);
               SubmitWrite(app,
                      app.catalogue().UpdateReadiness(Caller(req), *id, std::move(changes).value()),
                      respond, 200);
             });

  router.Add("POST", "/api/v1/grants/{id}/transitions", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kManageCatalogue, respond)) return;
               auto id = req.ParamInt("id");
               QZ_HTTP_TRY(id);
               auto body = req.JsonBody();
               QZ_HTTP_TRY(body);
               auto request = app::GrantTransitionFromJson(*id, *body);
               QZ_HTTP_TRY(request);
               SubmitWrite(app, app.catalogue().Transition(Caller(req), std::move(request).value()),
                      respond, 200);
             });

  router.Add("POST", "/api/v1/towns/{code}/catalogue/publish", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kManageCatalogue, respond)) return;
               SubmitWrite(app, app.catalogue().Publish(Caller(req), req.params["code"]), respond, 201);
             });

  router.Add("GET", "/api/v1/towns/{code}/catalogue/versions", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kReadCatalogue, respond)) return;
               AnswerRead(
                   app, req,
                   app.catalogue().ListVersions(req.session->user.scope_path, req.params["code"]),
                   respond);
             });
}

#undef QZ_HTTP_TRY

}  // namespace

void AddCatalogueRoutes(Router& router, app::App& app) {
  AddPublicRoutes(router, app);
  AddPowerRoutes(router, app);
  AddBatchRoutes(router, app);
  AddGrantRoutes(router, app);
}

}  // namespace quanze::http
