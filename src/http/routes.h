// Route registration, one function per area, and the helpers handlers share.
#pragma once

#include <optional>

#include "app/app.h"
#include "domain/access.h"
#include "http/router.h"

namespace quanze::http {

void AddCoreRoutes(Router& router, app::App& app);
void AddLedgerRoutes(Router& router, app::App& app);
void AddCatalogueRoutes(Router& router, app::App& app);  // routes_catalogue.cc
void AddStaffingRoutes(Router& router, app::App& app);   // routes_staffing.cc
void AddCaseRoutes(Router& router, app::App& app);       // routes_cases.cc

// Renders a unit's outcome: the value plus "receipt", or problem+json (with
// the receipt of the recorded refusal, if any).
Reply CommittedReply(Result<app::Committed> r, std::optional<app::Receipt> refusal, int status);

// Submits a unit of work; answers from the writer's completion with
// CommittedReply(status).
void SubmitWrite(app::App& app, app::Writer::Work work, const Respond& respond, int status = 201);

// Answers a read; a 403 (outside the scope) is journaled like any denial.
void AnswerRead(app::App& app, const Request& req, Result<nlohmann::json> r, const Respond& respond);

// Journals a denied attempt ("access.denied") and answers with the error.
void Deny(app::App& app, const Request& req, const Error& error, const Respond& respond);

// True if the signed-in role has `p`; otherwise denies (journaled 403) and returns false.
bool Require(app::App& app, const Request& req, domain::Permission p, const Respond& respond);

}  // namespace quanze::http
