// One procedure step of a case: load → decide → persist → append.
//
// The rules are all in domain::cases::Decide (src/domain/cases/decide.h);
// this file reads the typed command from the request, loads the facts of
// this moment, and writes what the decision says: the case state, the step,
// the decision record, appeal routes, the disclosure duty and the log entry —
// or, on a refusal, the refusal's log entry and its accountability record.
#include <algorithm>

#include "app/cases_internal.h"
#include "app/cases_step_input.h"
#include "domain/authority.h"
#include "ledger/hash.h"

namespace quanze::app {

using nlohmann::json;
namespace dc = domain::cases;

namespace {

// The facts of this moment: the authority index (grant, officers, the
// performer's post), the steps on record, and what the step's outcome needs.
struct Loaded {
  domain::AuthorityFacts authority;
  dc::CaseFacts facts;
};

Status LoadAuthority(store::Connection& c, const store::CaseRecord& r, std::int64_t performer,
                     const std::vector<std::int64_t>& officers, domain::AuthorityFacts& out) {
  QZ_ASSIGN_OR_RETURN(auto grant, store::FindGrantForCase(c, r.town_code, r.power_code));
  if (grant) {
    domain::GrantFact g;
    g.state = grant->state;
    if (auto from = domain::ParseDate(grant->valid_from); from.ok()) g.valid_from = *from;
    if (grant->valid_to) {
      if (auto to = domain::ParseDate(*grant->valid_to); to.ok()) g.valid_to = *to;
    }
    g.agency_id = grant->agency_id;
    out.SetGrant(r.town_code, r.power_code, g);
  }
  std::vector<std::int64_t> ids = officers;
  if (std::find(ids.begin(), ids.end(), performer) == ids.end()) ids.push_back(performer);
  QZ_ASSIGN_OR_RETURN(auto people, store::LoadOfficers(c, ids));
  for (const auto& p : people) {
    domain::OfficerFact o;
    o.person_id = p.person_id;
    o.agency_id = p.agency_id;
    o.name = p.name;
    o.post = p.post;
    o.is_leader = p.is_leader;
    o.legal_review_qualified = p.legal_reviewer;
    o.active = p.active;
    o.certificate.number = p.cert_number;
    if (auto f = domain::ParseDate(p.cert_valid_from); f.ok()) o.certificate.valid_from = *f;
    if (auto t = domain::ParseDate(p.cert_valid_to); t.ok()) o.certificate.valid_to = *t;
    out.SetOfficer(o);
    if (p.person_id != performer) continue;
    QZ_ASSIGN_OR_RETURN(auto steps, store::GetPostSteps(c, p.agency_id, p.post));
    if (!steps) continue;
    json list = json::parse(*steps, nullptr, false);
    if (list.is_array()) {
      out.SetPostSteps(p.agency_id, p.post, list.get<std::vector<std::string>>());
    }
  }
  return Ok();
}

Result<std::vector<dc::StepOnRecord>> LoadHistory(store::Connection& c, std::int64_t case_id) {
  std::vector<dc::StepOnRecord> out;
  QZ_ASSIGN_OR_RETURN(auto steps, store::ListCaseSteps(c, case_id));
  for (const auto& s : steps) {
    dc::StepOnRecord rec;
    rec.step = s.step;
    if (auto on = domain::ParseDate(s.on_date); on.ok()) rec.on = *on;
    rec.performer_id = s.performer_id.value_or(0);
    json officers = json::parse(s.officers, nullptr, false);
    if (officers.is_array()) {
      for (const json& o : officers) {
        if (o.is_number_integer()) rec.officers.push_back(o.get<std::int64_t>());
      }
    }
    out.push_back(std::move(rec));
  }
  return out;
}

Result<std::string> CountyName(store::Connection& c, const std::string& town_code) {
  QZ_ASSIGN_OR_RETURN(auto town, store::GetRegion(c, town_code));
  if (!town || !town->parent_code) return std::string();
  QZ_ASSIGN_OR_RETURN(auto county, store::GetRegion(c, *town->parent_code));
  return county ? county->name : std::string();
}

Status LoadFacts(store::Connection& c, const store::CaseRecord& r, const domain::Procedure& proc,
                 const dc::CaseCommand& cmd, Loaded& out) {
  QZ_TRY(LoadAuthority(c, r, cmd.performer_id, cmd.officers, out.authority));
  dc::CaseFacts& f = out.facts;
  f.town_code = r.town_code;
  f.power_code = r.power_code;
  f.power_name = r.power_name;
  f.party_kind = r.party_kind;
  f.authority = &out.authority;
  QZ_ASSIGN_OR_RETURN(f.state, cases::CaseStateFromJson(r.state_json));
  const domain::ProcedureStep* step = proc.FindStep(cmd.step.step);
  if (step == nullptr) return Ok();
  if (!step->guard.separate_from.empty()) {
    QZ_ASSIGN_OR_RETURN(f.history, LoadHistory(c, r.id));
  }
  if (step->serves_decision) {
    QZ_ASSIGN_OR_RETURN(f.county_name, CountyName(c, r.town_code));
  }
  if (step->decision) {  // the party's personal values, to mask published text
    QZ_ASSIGN_OR_RETURN(f.secrets, cases::PartySecrets(c, r));
  }
  return Ok();
}

json AppealRouteJson(const dc::AppealRoute& a) {
  json j{{"body", a.body},
         {"deadline", a.deadline ? json(a.deadline->ToString()) : json()},
         {"basis", a.basis}};
  if (a.days) j["days"] = a.days;
  if (a.months) j["months"] = a.months;
  if (!a.flag_zh.empty()) j["deadline_flag"] = a.flag_zh + " / " + a.flag_en;
  return j;
}

json AppealJson(const dc::AppealRoutes& a) {
  return json{{"served_on", a.served_on.ToString()},
              {"reconsideration", AppealRouteJson(a.reconsideration)},
              {"litigation", AppealRouteJson(a.litigation)}};
}

// Until service the periods have not started (they run from 送达).
const json& PendingAppeal() {
  static const json kPending{{"pending", true},
                             {"note_zh", "行政复议、行政诉讼期限自决定书送达之日起计算"},
                             {"note_en", "the appeal periods run from service of the decision"}};
  return kPending;
}

store::DecisionRecord DecisionRow(const store::CaseRecord& r, const dc::Outcome& o) {
  const dc::DecisionRecord& d = *o.decision;
  store::DecisionRecord row;
  row.case_id = r.id;
  row.town_code = r.town_code;
  row.power_code = r.power_code;
  row.outcome = d.outcome;
  row.content = d.content;
  row.tier = d.tier;
  row.amount_fen = d.amount_fen;
  row.responsible_id = d.responsible_id;
  row.responsible_name = d.responsible_name;
  row.responsible_post = d.responsible_post;
  row.decided_on = row.effective_on = d.decided_on.ToString();
  row.appeal = (o.appeal ? AppealJson(*o.appeal) : PendingAppeal()).dump();
  return row;
}

store::DisclosureRecord DisclosureRow(const store::CaseRecord& r, const dc::DisclosureDuty& d) {
  store::DisclosureRecord ds;
  ds.case_id = r.id;
  ds.town_code = r.town_code;
  ds.kind = d.kind;
  ds.title = d.title;
  ds.content = d.content;
  ds.decided_on = d.decided_on.ToString();
  ds.due_on = d.due_on ? d.due_on->ToString() : "";
  if (!d.flag_zh.empty()) ds.due_flag = d.flag_zh + " / " + d.flag_en;
  return ds;
}

json StepEvent(const dc::CaseCommand& cmd, const dc::Outcome& o, const domain::CaseState& before,
               const cases::ClockSummary& clocks) {
  json deadlines = json::object();
  for (const auto& cl : clocks.clocks)
    deadlines[cl["id"].get<std::string>()] = cl.value("deadline", json());
  json event{{"step", o.step->code},
             {"from", before.state},
             {"to", o.after.state},
             {"on", cmd.step.on.ToString()},
             {"performer_id", cmd.performer_id},
             {"officers", cmd.officers},
             {"facts", cmd.step.facts},
             {"documents", cmd.step.documents},
             {"outcome", o.step->outcome},
             {"deadlines", deadlines}};
  std::set<std::string> established;
  for (const std::string& f : o.after.facts) {
    if (!before.facts.contains(f) && !cmd.step.facts.contains(f)) established.insert(f);
  }
  if (!established.empty()) event["established"] = established;
  if (!cmd.step.reason.empty()) event["reason"] = cmd.step.reason;
  if (cmd.step.extension_days) event["extension_days"] = cmd.step.extension_days;
  if (o.backdated) event["backdated"] = {{"recorded_on_reason", cmd.backdate_reason}};
  if (o.after.proposal && o.step->records == "proposal") {
    event["proposal"] = cases::TermsJson(*o.after.proposal);
  }
  if (o.after.violation && o.step->records == "violation") {
    event["violation"] = {{"committed_on", o.after.violation->committed_on.ToString()},
                          {"discovered_on", o.after.violation->discovered_on.ToString()},
                          {"serious_harm", o.after.violation->serious_harm}};
  }
  if (o.step->records == "collection") event["receipt_number"] = cmd.receipt_number;
  if (o.decision) {
    event["decision"] = {{"outcome", o.decision->outcome},
                         {"responsible_id", o.decision->responsible_id},
                         {"responsible_post", o.decision->responsible_post},
                         {"tier", o.decision->tier},
                         {"amount_fen", o.decision->amount_fen},
                         {"content_sha256", ledger::HexEncode(std::span<const std::uint8_t>(
                                                ledger::Hasher().Sha256(o.decision->content)))}};
  }
  if (o.appeal) event["appeal_from"] = o.appeal->served_on.ToString();
  return event;
}

// A refusal: journaled, and its accountability record opened once the
// refusal's own log entry exists (its index is the evidence).
Error Refuse(Tx& tx, const CaseRules& rules, domain::Date today, const Actor& actor,
             const store::CaseRecord& r, const json& attempt, const dc::Outcome& o) {
  const dc::Refusal& refusal = *o.refusal;
  json data{{"attempt", attempt}};
  if (refusal.kind == dc::RefusalKind::kDenied) {
    data["findings"] = domain::FindingsJson(o.authority);
  } else {
    data["error"] = ErrorCodeName(refusal.error.code);
    data["detail"] = refusal.error.detail;
  }
  tx.RecordOnFailure(
      cases::CaseEvent(std::string(dc::RefusalEventType(refusal.kind)), actor, r, data));
  if (refusal.accountability) {
    const dc::AccountabilityDuty duty = *refusal.accountability;
    const std::string opened_on = today.ToString();
    tx.OnRefusal([&rules, r, duty, opened_on](Tx& t, const Receipt& receipt) -> Status {
      store::AccountabilityRecord a;
      a.town_code = r.town_code;
      a.case_id = r.id;
      a.trigger = duty.trigger;
      a.evidence = json::array({receipt.index}).dump();
      a.person_id = duty.person_id;
      QZ_ASSIGN_OR_RETURN(auto people, store::LoadOfficers(t.conn(), {duty.person_id}));
      if (!people.empty()) {
        a.person_name = people[0].name;
        a.post = people[0].post;
      }
      json detail{{"step", duty.step}, {"refusal_index", receipt.index}};
      if (!duty.finding.empty()) detail["finding"] = duty.finding;
      if (!duty.tier.empty()) detail["tier"] = duty.tier;
      if (duty.amount_fen) detail["amount_fen"] = *duty.amount_fen;
      a.detail = detail.dump();
      a.opened_on = opened_on;
      return cases::OpenAccountability(t, rules, r.power_code, std::move(a));
    });
  }
  return refusal.error;
}

}  // namespace

Writer::Work CaseService::StepWork(const AuthUser& user, std::int64_t case_id, json request) const {
  return [this, user, case_id, request = std::move(request)](Tx& tx) -> Result<json> {
    return StepInTx(tx, user, case_id, request, std::nullopt);
  };
}

Result<json> CaseService::StepInTx(Tx& tx, const AuthUser& user, std::int64_t case_id,
                                   const json& request, std::optional<std::int64_t> as_person,
                                   std::optional<domain::Date> as_of) const {
  store::Connection& c = tx.conn();
  const domain::Date today = as_of.value_or(Today());
  QZ_ASSIGN_OR_RETURN(dc::CaseCommand cmd, cases::ParseStepCommand(request, today));
  Actor actor = user.AsActor();
  auto loaded_case = cases::LoadCaseInScope(c, user, case_id);
  if (!loaded_case.ok()) {
    if (loaded_case.error().code == ErrorCode::kForbidden) {  // another town's case: journaled
      tx.RecordOnFailure(Event{"case.step_forbidden",
                               actor,
                               "case",
                               std::to_string(case_id),
                               {{"step", cmd.step.step}}});
    }
    return loaded_case.take_error();
  }
  store::CaseRecord r = std::move(loaded_case).value();
  const domain::Procedure* proc =
      rules_.procedures.Find(r.procedure_id, static_cast<int>(r.procedure_version));
  if (!proc) {
    return MakeError(ErrorCode::kInternal, "找不到案件的办理程序版本",
                     "the case's procedure version is not loaded");
  }
  json attempt{{"step", cmd.step.step}, {"on", cmd.step.on.ToString()}, {"officers", cmd.officers}};
  auto person = as_person ? Result<std::int64_t>(*as_person) : cases::PersonOf(c, user);
  if (!person.ok()) {
    tx.RecordOnFailure(
        cases::CaseEvent("case.step_denied", actor, r,
                         {{"attempt", attempt},
                          {"findings", person.error().detail.value("findings", json::array())}}));
    return person.take_error();
  }
  actor.person_id = cmd.performer_id = *person;

  // Load → decide.
  Loaded loaded;
  QZ_TRY(LoadFacts(c, r, *proc, cmd, loaded));
  const dc::CaseRules rules{*proc, rules_.calendar, rules_.benchmarks, rules_.book};
  const dc::DecideSettings decide_settings{today, settings_.hearing, settings_.max_backdate_days,
                                           settings_.disclosure_working_days};
  const dc::Outcome o = dc::Decide(rules, loaded.facts, cmd, decide_settings);
  if (o.refusal) return Refuse(tx, rules_, today, actor, r, attempt, o);

  // Persist → append.
  const domain::CaseState& before = loaded.facts.state;
  r.state = o.after.state;
  r.terminal = o.terminal;
  if (!o.outcome.empty()) r.outcome = o.outcome;
  if (r.terminal) r.closed_on = cmd.step.on.ToString();
  if (!r.handler_id) r.handler_id = cmd.performer_id;
  cases::ClockSummary clocks = cases::SummariseClocks(*proc, o.after, today, rules_, settings_);
  if (clocks.deadline != r.deadline)
    r.overdue_recorded = false;  // a new clock: a new record when late
  r.deadline = clocks.deadline;
  r.clock_status = clocks.status;
  if (clocks.limit_days) r.limit_days = clocks.limit_days;
  if (clocks.days_used) r.days_used = clocks.days_used;
  r.state_json = cases::CaseStateToJson(o.after).dump();
  r.updated_at = tx.now_seconds();
  QZ_ASSIGN_OR_RETURN(
      Receipt receipt,
      tx.Append(cases::CaseEvent("case.step", actor, r, StepEvent(cmd, o, before, clocks))));
  if (!r.ledger_index) r.ledger_index = receipt.index;
  QZ_TRY(store::UpdateCase(c, r));
  store::CaseStepRecord sr;
  sr.case_id = r.id;
  QZ_ASSIGN_OR_RETURN(sr.seq, store::NextStepSeq(c, r.id));
  sr.step = o.step->code;
  sr.on_date = cmd.step.on.ToString();
  sr.performer_id = cmd.performer_id;
  sr.officers = json(cmd.officers).dump();
  json detail{{"facts", cmd.step.facts}, {"documents", cmd.step.documents}};
  if (!cmd.step.reason.empty()) detail["reason"] = cmd.step.reason;
  if (cmd.step.extension_days) detail["extension_days"] = cmd.step.extension_days;
  if (o.backdated)
    detail["backdated"] = {{"reason", cmd.backdate_reason}, {"recorded_on", today.ToString()}};
  if (o.step->records == "collection") detail["receipt_number"] = cmd.receipt_number;
  sr.detail = detail.dump();
  sr.ledger_index = receipt.index;
  sr.created_at = tx.now_seconds();
  QZ_TRY(store::InsertCaseStep(c, sr));
  if (o.decision) {
    store::DecisionRecord d = DecisionRow(r, o);
    d.ledger_index = receipt.index;
    QZ_TRY(store::ReplaceDecision(c, d, tx.now_seconds()));
  } else if (o.appeal) {
    QZ_TRY(store::UpdateDecisionAppeal(c, r.id, AppealJson(*o.appeal).dump()));
  }
  if (o.disclosure)
    QZ_TRY(store::InsertDisclosure(c, DisclosureRow(r, *o.disclosure), tx.now_seconds()));

  json out{{"case_id", r.id},
           {"step", o.step->code},
           {"state", r.state},
           {"state_label", cases::StateLabel(*proc, r.state)},
           {"terminal", r.terminal},
           {"outcome", r.outcome},
           {"deadline", r.deadline ? json(*r.deadline) : json()},
           {"clock_status", r.clock_status},
           {"clocks", clocks.clocks},
           {"flags", o.after.flags}};
  if (o.decision) {
    out["decision"] = {{"outcome", o.decision->outcome},
                       {"responsible_name", o.decision->responsible_name},
                       {"responsible_post", o.decision->responsible_post},
                       {"tier", o.decision->tier},
                       {"amount_fen", o.decision->amount_fen},
                       {"decided_on", o.decision->decided_on.ToString()},
                       {"appeal", o.appeal ? AppealJson(*o.appeal) : PendingAppeal()}};
  }
  if (o.appeal) out["appeal"] = AppealJson(*o.appeal);
  if (o.disclosure) {
    out["disclosure"] = {
        {"title", o.disclosure->title},
        {"due_on", o.disclosure->due_on ? json(o.disclosure->due_on->ToString()) : json()}};
    if (!o.disclosure->flag_zh.empty()) {
      out["disclosure"]["due_flag"] = o.disclosure->flag_zh + " / " + o.disclosure->flag_en;
    }
  }
  return out;
}

}  // namespace quanze::app
