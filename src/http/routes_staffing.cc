// HTTP routes of the staffing area (staff API under /api/v1/, public under
// /api/v1/public/). Request and answer shapes: docs/staffing.md §9. The
// handlers parse, check the role (Require journals a denial) and call
// app::StaffingService; scope checks and the rules live there.
#include "http/routes.h"

namespace quanze::http {

void AddStaffingRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/agencies", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadStaffing, respond)) return;
    auto town = req.QueryText("town", 16);
    if (!town.ok()) return respond(Reply::Problem(town.error()));
    if (!*town) {
      return respond(
          Reply::Problem(MakeError(ErrorCode::kBadRequest, "缺少查询参数 town（镇的区划代码）",
                                   "query parameter town (a town code) is required")));
    }
    AnswerRead(app, req, app.staffing().ListAgencies(req.session->user, **town), respond);
  });

  router.Add("GET", "/api/v1/agencies/{id}", Access::kUser, [&app](Request& req, Respond respond) {
    if (!Require(app, req, domain::Permission::kReadStaffing, respond)) return;
    auto id = req.ParamInt("id");
    if (!id.ok()) return respond(Reply::Problem(id.error()));
    AnswerRead(app, req, app.staffing().GetAgency(req.session->user, *id), respond);
  });

  router.Add(
      "GET", "/api/v1/staffing/violations", Access::kUser, [&app](Request& req, Respond respond) {
        if (!Require(app, req, domain::Permission::kReadStaffing, respond)) return;
        auto region = req.QueryText("region", 16);
        auto cursor = req.QueryInt("cursor", 0, INT64_MAX / 4);
        auto limit = req.QueryInt("limit", 1, 5000);
        if (!region.ok()) return respond(Reply::Problem(region.error()));
        if (!cursor.ok()) return respond(Reply::Problem(cursor.error()));
        if (!limit.ok()) return respond(Reply::Problem(limit.error()));
        if (!*region) {
          return respond(Reply::Problem(MakeError(
              ErrorCode::kBadRequest, "缺少查询参数 region（镇、县、市或省的区划代码）",
              "query parameter region (a town, county, city or province code) is required")));
        }
        AnswerRead(app, req,
                   app.staffing().Violations(req.session->user, **region, cursor->value_or(0),
                                             static_cast<int>(limit->value_or(1000))),
                   respond);
      });

  router.Add(
      "POST", "/api/v1/staffing/changes", Access::kUser, [&app](Request& req, Respond respond) {
        if (!Require(app, req, domain::Permission::kManageStaffing, respond)) return;
        auto body = req.JsonBody();
        if (!body.ok()) return respond(Reply::Problem(body.error()));
        const app::AuthUser& user = req.session->user;
        SubmitWrite(app, app.staffing().ChangeWork(user, user.AsActor(), std::move(body).value()),
                    respond);
      });

  router.Add("POST", "/api/v1/staffing/consultations", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kManageStaffing, respond)) return;
               auto body = req.JsonBody();
               if (!body.ok()) return respond(Reply::Problem(body.error()));
               const app::AuthUser& user = req.session->user;
               SubmitWrite(
                   app,
                   app.staffing().ConsultationWork(user, user.AsActor(), std::move(body).value()),
                   respond);
             });

  router.Add("POST", "/api/v1/staffing/grade-approvals", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kManageStaffing, respond)) return;
               auto body = req.JsonBody();
               if (!body.ok()) return respond(Reply::Problem(body.error()));
               const app::AuthUser& user = req.session->user;
               SubmitWrite(
                   app,
                   app.staffing().GradeApprovalWork(user, user.AsActor(), std::move(body).value()),
                   respond);
             });

  router.Add("GET", "/api/v1/public/towns/{code}/organisation", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto r = app.staffing().PublicOrganisation(req.params["code"]);
               Reply reply = r.ok() ? Reply::Json(*r) : Reply::Problem(r.error());
               if (r.ok()) reply.headers.emplace_back("Cache-Control", "public, max-age=60");
               respond(std::move(reply));
             });
}

}  // namespace quanze::http
