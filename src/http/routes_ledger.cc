// The public HTTP contract of the verifiable log (docs/ledger-format.md):
// exact paths and shapes, since external verifiers depend on them.
#include "http/routes.h"

namespace quanze::http {

void AddLedgerRoutes(Router& router, app::App& app) {
  router.Add("GET", "/api/v1/ledger/key", Access::kPublic, [&app](Request&, Respond respond) {
    respond(Reply::Text(app.ledger().VerifierKey() + "\n"));
  });

  router.Add("GET", "/api/v1/ledger/checkpoint", Access::kPublic, [&app](Request&, Respond respond) {
    auto note = app.ledger().LatestCheckpoint();
    respond(note.ok() ? Reply::Text(*note) : Reply::Problem(note.error()));
  });

  router.Add("GET", "/api/v1/ledger/proof/inclusion", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto index = req.RequiredInt("index", 0, INT64_MAX / 4);
               if (!index.ok()) return respond(Reply::Problem(index.error()));
               auto size = req.RequiredInt("size", 0, INT64_MAX / 4);
               if (!size.ok()) return respond(Reply::Problem(size.error()));
               auto r = app.ledger().InclusionProof(*index, *size);
               respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
             });

  router.Add("GET", "/api/v1/ledger/proof/consistency", Access::kPublic,
             [&app](Request& req, Respond respond) {
               auto from = req.RequiredInt("from", 0, INT64_MAX / 4);
               if (!from.ok()) return respond(Reply::Problem(from.error()));
               auto to = req.RequiredInt("to", 0, INT64_MAX / 4);
               if (!to.ok()) return respond(Reply::Problem(to.error()));
               auto r = app.ledger().ConsistencyProof(*from, *to);
               respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
             });

  router.Add("GET", "/api/v1/ledger/entries/{index}", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kReadLedgerEntries, respond)) return;
               auto index = req.ParamInt("index");
               if (!index.ok()) return respond(Reply::Problem(index.error()));
               auto r = app.ledger().Entry(*index);
               respond(r.ok() ? Reply::Json(*r) : Reply::Problem(r.error()));
             });

  router.Add("GET", "/api/v1/ledger/entries/{index}/raw", Access::kUser,
             [&app](Request& req, Respond respond) {
               if (!Require(app, req, domain::Permission::kReadLedgerEntries, respond)) return;
               auto index = req.ParamInt("index");
               if (!index.ok()) return respond(Reply::Problem(index.error()));
               auto r = app.ledger().RawEntry(*index);
               if (!r.ok()) return respond(Reply::Problem(r.error()));
               Reply reply;
               reply.content_type = "application/json";
               reply.body = std::move(r).value();
               respond(std::move(reply));
             });
}

Router BuildRouter(app::App& app) {
  Router router;
  AddCoreRoutes(router, app);
  AddLedgerRoutes(router, app);
  AddCatalogueRoutes(router, app);
  AddStaffingRoutes(router, app);
  AddCaseRoutes(router, app);
  return router;
}

}  // namespace quanze::http
