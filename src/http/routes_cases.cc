// HTTP routes of case handling: the public calendar helper, applications,
// progress, ratings and disclosures; the staff inbox, case pages, steps,
// materials, disclosure, authority set-up, accountability and evaluation.
// Request and answer shapes: docs/cases.md §9. Handlers parse, check the
// role (Require journals a denial) and call app::CaseService; the legal
// authority check and every rule live there.
#include "http/routes.h"

namespace quanze::http {
namespace {

using nlohmann::json;
using P = domain::Permission;
using K = JsonKind;

// Reads "cursor" and "limit" (default 50, at most 500).
Result<std::pair<std::int64_t, int>> Page(const Request& req) {
  auto cursor = req.QueryInt("cursor", 0, INT64_MAX / 4);
  auto limit = req.QueryInt("limit", 1, 500);
  if (!cursor.ok()) return cursor.take_error();
  if (!limit.ok()) return limit.take_error();
  return std::make_pair(cursor->value_or(0), static_cast<int>(limit->value_or(50)));
}

Result<std::string> RequiredText(const Request& req, const std::string& name, std::size_t max_len,
                                 const std::string& what_zh) {
  auto v = req.QueryText(name, max_len);
  if (!v.ok()) return v.take_error();
  if (!*v || (*v)->empty()) {
    return MakeError(ErrorCode::kBadRequest, "缺少查询参数 " + name + "（" + what_zh + "）",
                     "query parameter " + name + " is required");
  }
  return **v;
}

void AddPublicCaseRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/calendar/deadline", Access::kPublic, [&app](Request& req, Respond respond) {
    auto start = RequiredText(req, "start", 10, "起算日 YYYY-MM-DD");
    auto days = req.RequiredInt("days", 0, 3650);
    auto unit = req.QueryText("unit", 10);
    if (!start.ok()) return respond(Reply::Problem(start.error()));
    if (!days.ok()) return respond(Reply::Problem(days.error()));
    if (!unit.ok()) return respond(Reply::Problem(unit.error()));
    auto r = app.cases().Deadline(*start, *days, unit->value_or("working"));
    respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
  });

  router.Add("GET", "/api/v1/procedures", Access::kPublic, [&app](Request&, Respond respond) {
    respond(Reply::Json(app.cases().Procedures()));
  });

  router.Add("GET", "/api/v1/public/discretion/{power}", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto tier = req.QueryText("tier", 40);
               auto base = req.QueryInt("base_fen", 0, 100'000'000'000LL);
               if (!tier.ok()) return respond(Reply::Problem(tier.error()));
               if (!base.ok()) return respond(Reply::Problem(base.error()));
               auto r = app.cases().Discretion(req.params.at("power"), *tier, base->value_or(0));
               respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
             });

  router.Add(
      "POST", "/api/v1/public/applications", Access::kPublic,
      [&app](Request& req, Respond respond) {
        auto body = req.JsonBody();
        if (!body.ok()) return respond(Reply::Problem(body.error()));
        SubmitWrite(app, app.cases().ApplicationWork(std::move(body).value()), respond);
      },
      BodyLimit::kUpload);  // materials travel inline (base64)

  router.Add("GET", "/api/v1/public/applications/{code}", Access::kPublic,
             [&app](Request& req, Respond respond) {
               const std::string& code = req.params.at("code");
               if (code.size() > 20) {
                 return respond(Reply::Problem(MakeError(ErrorCode::kBadRequest, "回执码格式不正确",
                                                         "malformed receipt code")));
               }
               auto r = app.cases().PublicApplication(code);
               respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
             });

  router.Add("POST", "/api/v1/public/ratings", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto body = req.JsonBody({{"receipt_code", K::kString},
                                         {"level", K::kInteger},
                                         {"scores", K::kObject},
                                         {"comment", K::kString}});
               if (!body.ok()) return respond(Reply::Problem(body.error()));
               SubmitWrite(app, app.cases().RatingWork(std::move(body).value()), respond);
             });

  router.Add("GET", "/api/v1/public/towns/{code}/disclosures", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto page = Page(req);
               if (!page.ok()) return respond(Reply::Problem(page.error()));
               auto r = app.cases().PublicDisclosures(req.params.at("code"), page->first, page->second);
               respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
             });
}

void AddStaffCaseRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/cases", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kReadCases, respond)) return;
    auto page = Page(req);
    auto town = req.QueryText("town", 16);
    auto mine = req.QueryText("mine", 5);
    auto state = req.QueryText("state", 10);
    if (!page.ok()) return respond(Reply::Problem(page.error()));
    if (!town.ok()) return respond(Reply::Problem(town.error()));
    if (!mine.ok()) return respond(Reply::Problem(mine.error()));
    if (!state.ok()) return respond(Reply::Problem(state.error()));
    bool open_only = state->value_or("open") != "all";
    AnswerRead(app, req,
               app.cases().Inbox(req.session->user, *town, mine->value_or("") == "1" || mine->value_or("") == "true",
                                 open_only, page->first, page->second),
               respond);
  });

  router.Add(
      "POST", "/api/v1/cases", Access::kUser,
      [&app](Request& req, Respond respond) {
        if (!Require(app, req, P::kHandleCases, respond)) return;
        auto body = req.JsonBody();
        if (!body.ok()) return respond(Reply::Problem(body.error()));
        SubmitWrite(app, app.cases().OpenWork(req.session->user, std::move(body).value()), respond);
      },
      BodyLimit::kUpload);  // materials travel inline (base64)

  router.Add("GET", "/api/v1/cases/{id}", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kReadCases, respond)) return;
    auto id = req.ParamInt("id");
    if (!id.ok()) return respond(Reply::Problem(id.error()));
    AnswerRead(app, req, app.cases().GetCase(req.session->user, *id), respond);
  });

  router.Add("GET", "/api/v1/cases/{id}/officers", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kReadCases, respond)) return;
    auto id = req.ParamInt("id");
    if (!id.ok()) return respond(Reply::Problem(id.error()));
    AnswerRead(app, req, app.cases().Officers(req.session->user, *id), respond);
  });

  router.Add("GET", "/api/v1/me", Access::kUser, [&app](Request& req, Respond respond) {
    AnswerRead(app, req, app.cases().Me(req.session->user), respond);
  });

  router.Add("POST", "/api/v1/cases/{id}/steps", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kHandleCases, respond)) return;
    auto id = req.ParamInt("id");
    if (!id.ok()) return respond(Reply::Problem(id.error()));
    auto body = req.JsonBody({{"step", K::kString},
                              {"decision/content", K::kString},
                              {"decision/tier", K::kString},
                              {"decision/written_reason", K::kString},
                              {"decision/licence_revoked_or_closure", K::kBoolean}});
    if (!body.ok()) return respond(Reply::Problem(body.error()));
    SubmitWrite(app, app.cases().StepWork(req.session->user, *id, std::move(body).value()), respond);
  });

  router.Add(
      "POST", "/api/v1/cases/{id}/files", Access::kUser,
      [&app](Request& req, Respond respond) {
        if (!Require(app, req, P::kHandleCases, respond)) return;
        auto id = req.ParamInt("id");
        auto kind = RequiredText(req, "kind", 40, "材料类型");
        auto name = RequiredText(req, "name", 200, "文件名");
        if (!id.ok()) return respond(Reply::Problem(id.error()));
        if (!kind.ok()) return respond(Reply::Problem(kind.error()));
        if (!name.ok()) return respond(Reply::Problem(name.error()));
        std::string type = req.Header("content-type");
        SubmitWrite(
            app,
            app.cases().FileWork(req.session->user, *id, *kind, *name, type, std::move(req.body)),
            respond);
      },
      BodyLimit::kUpload);

  router.Add("POST", "/api/v1/cases/{id}/disclosure", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, P::kHandleCases, respond)) return;
               auto id = req.ParamInt("id");
               if (!id.ok()) return respond(Reply::Problem(id.error()));
               auto body = req.JsonBody({{"action", K::kString}, {"reason", K::kString}});
               if (!body.ok()) return respond(Reply::Problem(body.error()));
               SubmitWrite(app,
                           app.cases().DisclosureWork(req.session->user, *id, std::move(body).value()),
                           respond, 200);
             });

  router.Add("POST", "/api/v1/ratings/{id}/rectification", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, P::kHandleCases, respond)) return;
               auto id = req.ParamInt("id");
               if (!id.ok()) return respond(Reply::Problem(id.error()));
               auto body = req.JsonBody({{"action", K::kString}, {"note", K::kString}});
               if (!body.ok()) return respond(Reply::Problem(body.error()));
               SubmitWrite(app,
                           app.cases().RectificationWork(req.session->user, *id,
                                                         std::move(body).value()),
                           respond, 200);
             });
}

void AddSetupRoutes(Router& router, app::App& app) {
  router.Add("PUT", "/api/v1/grants/{id}/agency", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kConfigureCases, respond)) return;
    auto id = req.ParamInt("id");
    if (!id.ok()) return respond(Reply::Problem(id.error()));
    auto body = req.JsonBody();
    if (!body.ok()) return respond(Reply::Problem(body.error()));
    json request = std::move(body).value();
    request["grant_id"] = *id;
    SubmitWrite(app, app.cases().AssignAgencyWork(req.session->user, std::move(request)), respond, 200);
  });

  router.Add("PUT", "/api/v1/post-steps", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kConfigureCases, respond)) return;
    auto body = req.JsonBody({{"post", K::kString}, {"steps", K::kArray}});
    if (!body.ok()) return respond(Reply::Problem(body.error()));
    SubmitWrite(app, app.cases().PostStepsWork(req.session->user, std::move(body).value()), respond, 200);
  });

  router.Add("PUT", "/api/v1/legal-reviewers", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kQualifyLegalReviewers, respond)) return;
    auto body = req.JsonBody({{"document", K::kString}});
    if (!body.ok()) return respond(Reply::Problem(body.error()));
    SubmitWrite(app, app.cases().LegalReviewerWork(req.session->user, std::move(body).value()),
                respond, 200);
  });

  router.Add("PUT", "/api/v1/users/{id}/person", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kManageUsers, respond)) return;
    auto id = req.ParamInt("id");
    if (!id.ok()) return respond(Reply::Problem(id.error()));
    auto body = req.JsonBody();
    if (!body.ok()) return respond(Reply::Problem(body.error()));
    json request = std::move(body).value();
    request["user_id"] = *id;
    SubmitWrite(app, app.cases().LinkUserWork(req.session->user, std::move(request)), respond, 200);
  });
}

void AddOversightRoutes(Router& router, app::App& app) {
  // The sweep applies the rules as of today and is idempotent: anyone who reads
  // cases (auditors, supervision, leaders) may run it early.
  router.Add("POST", "/api/v1/cases/sweep", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kReadCases, respond)) return;
    SubmitWrite(app, app.cases().SweepWork(), respond, 200);
  });

  router.Add("GET", "/api/v1/accountability", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kReadCases, respond)) return;
    auto page = Page(req);
    auto region = RequiredText(req, "region", 16, "区划代码");
    auto state = req.QueryText("state", 20);
    auto trigger = req.QueryText("trigger", 40);
    if (!page.ok()) return respond(Reply::Problem(page.error()));
    if (!region.ok()) return respond(Reply::Problem(region.error()));
    if (!state.ok()) return respond(Reply::Problem(state.error()));
    if (!trigger.ok()) return respond(Reply::Problem(trigger.error()));
    AnswerRead(app, req,
               app.cases().Accountability(req.session->user, *region, *state, *trigger, page->first,
                                          page->second),
               respond);
  });

  router.Add("POST", "/api/v1/accountability/{id}", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kReviewAccountability, respond)) return;
    auto id = req.ParamInt("id");
    if (!id.ok()) return respond(Reply::Problem(id.error()));
    auto body = req.JsonBody({{"to", K::kString}, {"conclusion", K::kString}});
    if (!body.ok()) return respond(Reply::Problem(body.error()));
    SubmitWrite(app, app.cases().AccountabilityWork(req.session->user, *id, std::move(body).value()),
                respond, 200);
  });

  router.Add("GET", "/api/v1/evaluation", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, P::kReadCases, respond)) return;
    auto region = RequiredText(req, "region", 16, "区划代码");
    auto by = req.QueryText("by", 10);
    auto from = req.QueryText("from", 10);
    auto to = req.QueryText("to", 10);
    if (!region.ok()) return respond(Reply::Problem(region.error()));
    if (!by.ok()) return respond(Reply::Problem(by.error()));
    if (!from.ok()) return respond(Reply::Problem(from.error()));
    if (!to.ok()) return respond(Reply::Problem(to.error()));
    std::string today = app.cases().Today().ToString();
    AnswerRead(app, req,
               app.cases().Evaluation(req.session->user, *region, by->value_or("town"),
                                      from->value_or("2000-01-01"), to->value_or(today)),
               respond);
  });

  router.Add("GET", "/api/v1/reports/penalty-outliers", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, P::kReadCases, respond)) return;
               auto region = RequiredText(req, "region", 16, "区划代码");
               if (!region.ok()) return respond(Reply::Problem(region.error()));
               AnswerRead(app, req, app.cases().Outliers(req.session->user, *region), respond);
             });
}

}  // namespace

void AddCaseRoutes(Router& router, app::App& app) {
  AddPublicCaseRoutes(router, app);
  AddStaffCaseRoutes(router, app);
  AddSetupRoutes(router, app);
  AddOversightRoutes(router, app);
}

}  // namespace quanze::http
