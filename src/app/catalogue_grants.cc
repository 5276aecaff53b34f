// Grants (赋权): proposal, readiness checklist, transitions. Each step checks
// the caller's scope, applies the domain rule (domain/grant.h), writes the
// grant and journals the event, in the caller's unit of work.
#include "app/catalogue.h"
#include "app/catalogue_internal.h"
#include "domain/access.h"

namespace quanze::app {

using nlohmann::json;
namespace ci = catalogue_internal;

namespace {

// The event recorded for each transition that succeeds.
std::string TransitionEventType(domain::GrantAction action) {
  switch (action) {
    case domain::GrantAction::kMarkReady:
      return "grant.ready";
    case domain::GrantAction::kMakeEffective:
      return "grant.effective";
    case domain::GrantAction::kSuspend:
      return "grant.suspended";
    case domain::GrantAction::kResume:
      return "grant.resumed";
    case domain::GrantAction::kRevoke:
      return "grant.revoked";
  }
  return "grant.changed";
}

json RefusalData(const Error& e) {
  json d = {{"code", std::string(ErrorCodeName(e.code))}, {"reason", e.message_en}};
  if (!e.detail.is_null()) d["detail"] = e.detail;
  return d;
}

// Loads a grant and checks that its town is inside the caller's scope.
Result<store::GrantRecord> LoadGrantInScope(Tx& tx, const CatalogueCaller& caller,
                                            std::int64_t id) {
  QZ_ASSIGN_OR_RETURN(auto record, store::GetGrant(tx.conn(), id));
  if (!record) {
    return MakeError(ErrorCode::kNotFound, "赋权" + std::to_string(id) + "不存在",
                     "no grant " + std::to_string(id));
  }
  QZ_ASSIGN_OR_RETURN(auto town, ci::LoadTown(tx.conn(), record->town_code));
  QZ_TRY(ci::CheckScope(tx, caller, town.town.path, "grant", std::to_string(id)));
  return std::move(*record);
}

}  // namespace

Result<json> CatalogueService::ProposeGrantIn(Tx& tx, const CatalogueCaller& caller,
                                              const GrantProposal& p) {
  store::Connection& c = tx.conn();
  QZ_ASSIGN_OR_RETURN(auto town, ci::LoadTown(c, p.town_code));
  QZ_TRY(ci::CheckScope(tx, caller, town.town.path, "town", p.town_code));
  std::string today = ci::Today(tx.now());
  std::string valid_from = p.valid_from.empty() ? today : p.valid_from;
  auto refuse = [&](Error e) {
    json data = RefusalData(e);
    data["town_code"] = p.town_code;
    data["power_code"] = p.power_code;
    data["batch_id"] = p.batch_id;
    tx.RecordOnFailure({"grant.proposal_refused", caller.actor, "town", p.town_code, data});
    return e;
  };

  // A town outside any batch cannot receive grants.
  QZ_ASSIGN_OR_RETURN(auto batch_ids, store::BatchesOfTown(c, p.town_code));
  std::vector<domain::ReformBatch> batches;
  for (std::int64_t id : batch_ids) {
    domain::ReformBatch b;
    b.id = std::to_string(id);
    b.towns.push_back({p.town_code, town.town.name, {}, 0});
    batches.push_back(std::move(b));
  }
  std::int64_t batch_id = p.batch_id != 0 ? p.batch_id : (batch_ids.empty() ? 0 : batch_ids[0]);
  std::string batch_text = batch_id != 0 ? std::to_string(batch_id) : "";
  if (Status s = domain::CheckTownInBatch(p.town_code, batch_text, batches); !s.ok()) {
    return refuse(s.take_error());
  }

  // A county may only select items from its province's master catalogue.
  QZ_ASSIGN_OR_RETURN(auto power, store::GetPower(c, town.province_code, p.power_code));
  domain::MasterCatalogue master{town.province_code, {}};
  if (power) {
    domain::Power item;
    item.code = power->code;
    item.valid_from = power->valid_from;
    item.valid_to = power->valid_to.value_or("");
    master.powers.push_back(std::move(item));
  }
  if (Status s =
          domain::CheckPowerInMasterCatalogue(p.power_code, town.province_code, master, valid_from);
      !s.ok()) {
    return refuse(s.take_error());
  }
  QZ_ASSIGN_OR_RETURN(auto open, store::OpenGrantId(c, p.town_code, p.power_code));
  if (open) {
    return refuse(MakeError(ErrorCode::kConflict,
                            "镇" + p.town_code + "已有事项" + p.power_code + "的赋权（编号" +
                                std::to_string(*open) + "）",
                            "town " + p.town_code + " already has grant " + std::to_string(*open) +
                                " for power " + p.power_code,
                            {{"grant_id", *open}}));
  }

  domain::Grant g;
  g.id = "new";
  g.power_code = p.power_code;
  g.town_code = p.town_code;
  g.county_code = town.county_code;
  g.mode = p.mode;
  g.batch_id = batch_text;
  g.decision_doc = p.decision_doc;
  g.valid_from = valid_from;
  g.valid_to = p.valid_to;
  QZ_TRY(domain::ValidateGrant(g));

  store::GrantRecord r;
  r.province_code = town.province_code;
  r.power_code = p.power_code;
  r.town_code = p.town_code;
  r.county_code = town.county_code;
  r.batch_id = batch_id;
  r.kind = power->kind;
  ci::GrantIntoRecord(g, r);
  QZ_ASSIGN_OR_RETURN(r.id, store::InsertGrant(c, r, tx.now_seconds()));
  r.created_at = r.updated_at = tx.now_seconds();
  r.power_name = power->name;
  r.department = power->department;
  r.town_name = town.town.name;
  g.id = std::to_string(r.id);
  QZ_TRY(tx.Append({"grant.proposed",
                    caller.actor,
                    "grant",
                    g.id,
                    {{"grant_id", r.id},
                     {"power_code", p.power_code},
                     {"power_name", power->name},
                     {"town_code", p.town_code},
                     {"county_code", town.county_code},
                     {"batch_id", batch_id},
                     {"mode", r.mode},
                     {"decision_doc", domain::DecisionDocumentToJson(g.decision_doc)},
                     {"valid_from", g.valid_from},
                     {"valid_to", g.valid_to.empty() ? json(nullptr) : json(g.valid_to)}}}));
  return ci::GrantRecordToJson(r, g);
}

Result<json> CatalogueService::UpdateReadinessIn(
    Tx& tx, const CatalogueCaller& caller, std::int64_t grant_id,
    const std::vector<domain::ReadinessChange>& changes) {
  QZ_ASSIGN_OR_RETURN(auto r, LoadGrantInScope(tx, caller, grant_id));
  QZ_ASSIGN_OR_RETURN(auto g, ci::GrantFromRecord(r));
  if (g.state == domain::GrantState::kRevoked) {
    return MakeError(ErrorCode::kConflict, "赋权" + g.id + "已撤销，不能再修改承接准备清单",
                     "grant " + g.id + " is revoked; its readiness checklist cannot change",
                     {{"state", "revoked"}});
  }
  g.readiness = domain::ApplyReadinessChanges(g.readiness, changes, ci::Today(tx.now()));
  QZ_TRY(domain::ValidateGrant(g));
  ci::GrantIntoRecord(g, r);
  QZ_TRY(store::UpdateGrant(tx.conn(), r, tx.now_seconds()));
  r.updated_at = tx.now_seconds();
  // Notes may name a contact person and a phone number: only their
  // commitments enter the log.
  json items = json::array();
  for (const auto& change : changes) {
    for (const auto& item : g.readiness) {
      if (item.key != change.key) continue;
      json e = {{"key", std::string(domain::ReadinessKeyCode(item.key))},
                {"done", item.done},
                {"done_at", item.done_at.empty() ? json(nullptr) : json(item.done_at)}};
      if (change.note && !change.note->empty()) {
        QZ_ASSIGN_OR_RETURN(std::string commitment, tx.Commit("readiness_note", *change.note));
        e["note_commitment"] = commitment;
      }
      items.push_back(std::move(e));
    }
  }
  json open = json::array();
  for (auto k : domain::OpenReadinessItems(g.readiness)) {
    open.push_back(std::string(domain::ReadinessKeyCode(k)));
  }
  QZ_TRY(tx.Append({"grant.readiness_updated",
                    caller.actor,
                    "grant",
                    g.id,
                    {{"grant_id", r.id},
                     {"town_code", r.town_code},
                     {"power_code", r.power_code},
                     {"items", items},
                     {"open_items", open}}}));
  return ci::GrantRecordToJson(r, g);
}

Result<json> CatalogueService::TransitionIn(Tx& tx, const CatalogueCaller& caller,
                                            const GrantTransitionRequest& req) {
  QZ_ASSIGN_OR_RETURN(auto r, LoadGrantInScope(tx, caller, req.grant_id));
  QZ_ASSIGN_OR_RETURN(auto g, ci::GrantFromRecord(r));
  std::string on_date = req.on_date.empty() ? ci::Today(tx.now()) : req.on_date;
  domain::GrantState from = g.state;
  if (req.decision_doc) g.decision_doc = *req.decision_doc;
  auto to = domain::ApplyGrantTransition(g, req.action, {on_date, req.reason});
  if (!to.ok()) {
    Error e = to.take_error();
    json data = RefusalData(e);
    data["grant_id"] = r.id;
    data["action"] = std::string(domain::GrantActionCode(req.action));
    data["state"] = std::string(domain::GrantStateCode(from));
    tx.RecordOnFailure({"grant.transition_refused", caller.actor, "grant", g.id, data});
    return e;
  }
  g.state = *to;
  g.state_reason = req.reason;
  if (req.action == domain::GrantAction::kMakeEffective ||
      req.action == domain::GrantAction::kResume) {
    g.next_evaluation = domain::NextEvaluationDate(on_date, ci::kEvaluationIntervalMonths);
  }
  if (g.state == domain::GrantState::kRevoked) g.next_evaluation.clear();
  ci::GrantIntoRecord(g, r);
  QZ_TRY(store::UpdateGrant(tx.conn(), r, tx.now_seconds()));
  r.updated_at = tx.now_seconds();
  json transition = {{"action", std::string(domain::GrantActionCode(req.action))},
                     {"from", std::string(domain::GrantStateCode(from))},
                     {"to", std::string(domain::GrantStateCode(g.state))},
                     {"on_date", on_date}};
  json data = {
      {"grant_id", r.id},
      {"town_code", r.town_code},
      {"power_code", r.power_code},
      {"transition", transition},
      {"reason", req.reason},
      {"next_evaluation", g.next_evaluation.empty() ? json(nullptr) : json(g.next_evaluation)}};
  if (req.decision_doc) data["decision_doc"] = domain::DecisionDocumentToJson(g.decision_doc);
  QZ_TRY(tx.Append({TransitionEventType(req.action), caller.actor, "grant", g.id, data}));
  json out = ci::GrantRecordToJson(r, g);
  out["transition"] = transition;
  return out;
}

Writer::Work CatalogueService::ProposeGrants(CatalogueCaller caller,
                                             std::vector<GrantProposal> proposals) const {
  return [caller = std::move(caller), proposals = std::move(proposals)](Tx& tx) -> Result<json> {
    if (proposals.empty()) {
      return MakeError(ErrorCode::kValidation, "没有要提出的赋权", "no grants to propose");
    }
    if (proposals.size() == 1) return ProposeGrantIn(tx, caller, proposals[0]);
    json items = json::array();
    for (const auto& p : proposals) {
      QZ_ASSIGN_OR_RETURN(json g, ProposeGrantIn(tx, caller, p));
      items.push_back(std::move(g));
    }
    std::size_t count = items.size();
    return json{{"items", std::move(items)}, {"count", count}};
  };
}

Writer::Work CatalogueService::UpdateReadiness(CatalogueCaller caller, std::int64_t grant_id,
                                               std::vector<domain::ReadinessChange> changes) const {
  return [caller = std::move(caller), grant_id, changes = std::move(changes)](Tx& tx) {
    return UpdateReadinessIn(tx, caller, grant_id, changes);
  };
}

Writer::Work CatalogueService::Transition(CatalogueCaller caller,
                                          GrantTransitionRequest request) const {
  return [caller = std::move(caller), request = std::move(request)](Tx& tx) {
    return TransitionIn(tx, caller, request);
  };
}

}  // namespace quanze::app
