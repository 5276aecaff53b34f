// Shared helpers of CaseService (cases_internal.h).
#include <algorithm>

#include "app/cases_internal.h"
#include "app/staffing_internal.h"
#include "domain/access.h"
#include "domain/disclosure.h"

namespace quanze::app::cases {

namespace {

json OptDate(const std::optional<domain::Date>& d) {
  return d ? json(d->ToString()) : json();
}

Result<std::optional<domain::Date>> OptDateFrom(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<domain::Date>();
  QZ_ASSIGN_OR_RETURN(domain::Date d, domain::ParseDate(j[key].get<std::string>()));
  return std::optional<domain::Date>(d);
}

}  // namespace

json CaseStateToJson(const domain::CaseState& s) {
  json clocks = json::object();
  for (const auto& [id, c] : s.clocks) {
    json susp = json::array();
    for (const auto& x : c.suspensions) {
      susp.push_back({{"from", x.from.ToString()},
                      {"to", x.to ? json(x.to->ToString()) : json()},
                      {"reason", x.reason}});
    }
    clocks[id] = {{"started", OptDate(c.started)},
                  {"stopped", OptDate(c.stopped)},
                  {"suspensions", susp},
                  {"extension_days", c.extension_days},
                  {"extensions", c.extensions},
                  {"limit_days", c.limit_days ? json(*c.limit_days) : json()}};
  }
  json out{{"state", s.state},
           {"done_steps", s.done_steps},
           {"facts", s.facts},
           {"documents", s.documents},
           {"opened_on", s.opened_on.ToString()},
           {"last_step_on", s.last_step_on.ToString()},
           {"clocks", clocks}};
  if (s.violation) {
    out["violation"] = {{"committed_on", s.violation->committed_on.ToString()},
                        {"discovered_on", s.violation->discovered_on.ToString()},
                        {"serious_harm", s.violation->serious_harm}};
  }
  if (s.proposal) out["proposal"] = TermsJson(*s.proposal);
  if (s.fine_fen) out["fine_fen"] = s.fine_fen;
  if (!s.flags.empty()) out["flags"] = s.flags;
  return out;
}

json TermsJson(const domain::PenaltyTerms& t) {
  return json{{"tier", t.tier},
              {"amount_fen", t.amount_fen},
              {"confiscation_fen", t.confiscation_fen},
              {"licence_revoked_or_closure", t.licence_revoked_or_closure}};
}

Result<domain::CaseState> CaseStateFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(ErrorCode::kInternal, "案件状态数据损坏", "corrupt case state");
  }
  try {
    domain::CaseState s;
    s.state = j.at("state").get<std::string>();
    s.done_steps = j.at("done_steps").get<std::vector<std::string>>();
    s.facts = j.at("facts").get<std::set<std::string>>();
    s.documents = j.at("documents").get<std::set<std::string>>();
    QZ_ASSIGN_OR_RETURN(s.opened_on, domain::ParseDate(j.at("opened_on").get<std::string>()));
    QZ_ASSIGN_OR_RETURN(s.last_step_on,
                        domain::ParseDate(j.at("last_step_on").get<std::string>()));
    for (const auto& [id, c] : j.at("clocks").items()) {
      domain::ClockState cs;
      QZ_ASSIGN_OR_RETURN(cs.started, OptDateFrom(c, "started"));
      QZ_ASSIGN_OR_RETURN(cs.stopped, OptDateFrom(c, "stopped"));
      for (const auto& x : c.at("suspensions")) {
        domain::Suspension su;
        QZ_ASSIGN_OR_RETURN(su.from, domain::ParseDate(x.at("from").get<std::string>()));
        QZ_ASSIGN_OR_RETURN(su.to, OptDateFrom(x, "to"));
        su.reason = x.value("reason", "");
        cs.suspensions.push_back(std::move(su));
      }
      cs.extension_days = c.value("extension_days", 0);
      cs.extensions = c.value("extensions", 0);
      if (c.contains("limit_days") && !c["limit_days"].is_null()) {
        cs.limit_days = c["limit_days"].get<int>();
      }
      s.clocks[id] = std::move(cs);
    }
    if (j.contains("violation")) {
      const json& v = j["violation"];
      domain::ViolationDates d;
      QZ_ASSIGN_OR_RETURN(d.committed_on, domain::ParseDate(v.at("committed_on").get<std::string>()));
      QZ_ASSIGN_OR_RETURN(d.discovered_on, domain::ParseDate(v.at("discovered_on").get<std::string>()));
      d.serious_harm = v.value("serious_harm", false);
      s.violation = d;
    }
    if (j.contains("proposal")) {
      const json& p = j["proposal"];
      s.proposal = domain::PenaltyTerms{p.value("tier", ""), p.value("amount_fen", std::int64_t{0}),
                                        p.value("confiscation_fen", std::int64_t{0}),
                                        p.value("licence_revoked_or_closure", false)};
    }
    s.fine_fen = j.value("fine_fen", std::int64_t{0});
    if (j.contains("flags")) s.flags = j["flags"].get<std::set<std::string>>();
    return s;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, "案件状态数据损坏", std::string("corrupt case state: ") + e.what());
  }
}

ClockSummary SummariseClocks(const domain::Procedure& p, const domain::CaseState& s,
                             domain::Date today, const CaseRules& rules,
                             const CaseSettings& settings) {
  ClockSummary out;
  for (const domain::ClockSpec& spec : p.clocks) {
    auto it = s.clocks.find(spec.id);
    if (it == s.clocks.end()) continue;
    auto v = domain::EvaluateClock(spec, it->second, today, settings.yellow_working_days,
                                   rules.calendar);
    if (!v.ok()) {
      out.clocks.push_back({{"id", spec.id},
                            {"label_zh", spec.label_zh},
                            {"label_en", spec.label_en},
                            {"status", "year_not_loaded"},
                            {"error", v.error().message_zh + " / " + v.error().message_en}});
      continue;
    }
    std::string status(domain::ClockStatusCode(v->status));
    out.clocks.push_back({{"id", spec.id},
                          {"label_zh", spec.label_zh},
                          {"label_en", spec.label_en},
                          {"unit", domain::DayUnitCode(spec.unit)},
                          {"statutory", spec.statutory},
                          {"deadline", v->deadline ? json(v->deadline->ToString()) : json()},
                          {"limit_days", v->limit_days},
                          {"extension_days", v->extension_days},
                          {"excluded_days", v->excluded_days},
                          {"used_days", v->used_days},
                          {"left_days", v->left_days},
                          {"status", status},
                          {"suspended", v->status == domain::ClockStatus::kSuspended},
                          {"extensions", it->second.extensions},
                          {"waiting", spec.waiting},
                          {"party_duty", spec.party_duty}});
    if (spec.party_duty && v->deadline && !it->second.stopped) {
      // 第七十二条: the party's late payment starts the surcharge (not accountability).
      auto late = domain::cases::LatePaymentOn(rules.book.late_payment, s.fine_fen, *v->deadline, today);
      if (late.days_late > 0) {
        out.clocks.back()["late_payment"] = {{"days_late", late.days_late},
                                             {"surcharge_fen", late.surcharge_fen},
                                             {"basis", rules.book.late_payment.basis}};
        out.late_payment = late;
      }
    }
    if (!spec.statutory || spec.party_duty || spec.waiting || !v->deadline) continue;
    bool running = v->status == domain::ClockStatus::kRunning ||
                   v->status == domain::ClockStatus::kYellow ||
                   v->status == domain::ClockStatus::kRed ||
                   v->status == domain::ClockStatus::kSuspended;
    std::string d = v->deadline->ToString();
    if (running && (!out.deadline || d < *out.deadline)) {
      out.deadline = d;
      out.status = status;
      out.limit_days = v->limit_days + v->extension_days;
    }
    if (!running && !out.deadline && it->second.stopped) {
      // The main clock has stopped: keep its figures for evaluation.
      if (!out.days_used || out.status == "not_started") {
        out.status = status;
        out.limit_days = v->limit_days + v->extension_days;
        out.days_used = v->used_days;
      }
    }
  }
  return out;
}

Result<const domain::Procedure*> ProcedureFor(const CaseRules& rules, const std::string& kind,
                                              const std::string& requested) {
  QZ_ASSIGN_OR_RETURN(std::string id, rules.book.ProcedureFor(kind, requested));
  const domain::Procedure* p = rules.procedures.Latest(id);
  if (!p) {
    return MakeError(ErrorCode::kInternal, "程序“" + id + "”未加载", "procedure " + id + " is not loaded");
  }
  return p;
}

Result<store::RegionRecord> TownInScope(store::Connection& c, const AuthUser& user,
                                        const std::string& town_code) {
  QZ_ASSIGN_OR_RETURN(store::RegionRecord town, staffing::RequireTown(c, town_code));
  if (!domain::InScope(user.scope_path, town.path)) return staffing::OutOfScope(town_code);
  return town;
}

Result<std::int64_t> PersonOf(store::Connection& c, const AuthUser& user) {
  QZ_ASSIGN_OR_RETURN(auto person, store::PersonOfUser(c, user.id));
  if (!person) {
    return MakeError(ErrorCode::kAuthorityDenied,
                     "账号“" + user.name + "”未关联实名人员，不能办理案件",
                     "account '" + user.name + "' is not linked to a real-name person and cannot act on cases",
                     json{{"findings", {{{"code", "performer_known"},
                                         {"ok", false},
                                         {"message_zh", "账号未关联实名人员"},
                                         {"message_en", "the account has no linked person"}}}}});
  }
  return *person;
}

Result<std::optional<std::int64_t>> ActingPerson(store::Connection& c, const AuthUser& user) {
  if (user.id == 0) return std::optional<std::int64_t>();
  QZ_ASSIGN_OR_RETURN(std::int64_t person, PersonOf(c, user));
  return std::optional<std::int64_t>(person);
}

Result<store::CaseRecord> LoadCaseInScope(store::Connection& c, const AuthUser& user,
                                          std::int64_t case_id) {
  QZ_ASSIGN_OR_RETURN(auto rec, store::GetCase(c, case_id));
  if (!rec) {
    return MakeError(ErrorCode::kNotFound, "案件 " + std::to_string(case_id) + " 不存在",
                     "case " + std::to_string(case_id) + " does not exist");
  }
  QZ_TRY(TownInScope(c, user, rec->town_code));
  return std::move(*rec);
}

// The catalogue item's accountability clauses (追责情形); none when unknown.
Result<std::vector<std::string>> ItemClauses(store::Connection& c, const std::string& power_code) {
  std::vector<std::string> out;
  QZ_ASSIGN_OR_RETURN(auto item, store::PowerItem(c, power_code));
  if (!item) return out;
  json j = json::parse(*item, nullptr, false);
  if (!j.is_object() || !j.contains("accountability_situations")) return out;
  for (const json& s : j["accountability_situations"]) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

Status OpenAccountability(Tx& tx, const CaseRules& rules, const std::string& power_code,
                          store::AccountabilityRecord r) {
  // §5: the record names the item's clause it falls under, as the catalogue promised.
  QZ_ASSIGN_OR_RETURN(auto clauses, ItemClauses(tx.conn(), power_code));
  json detail = json::parse(r.detail, nullptr, false);
  if (!detail.is_object()) detail = json::object();
  const std::string clause = rules.book.ClauseFor(r.trigger, clauses);
  if (!clause.empty()) {
    detail["clause"] = clause;
    r.detail = detail.dump();
  }
  QZ_ASSIGN_OR_RETURN(r.id, store::NextAccountabilityId(tx.conn()));
  r.created_at = r.updated_at = tx.now_seconds();
  QZ_TRY(store::InsertAccountability(tx.conn(), r));
  json evidence = json::parse(r.evidence, nullptr, false);
  QZ_ASSIGN_OR_RETURN(
      Receipt receipt,
      tx.Append(Event{"accountability.opened",
                      Actor::System(),
                      "accountability",
                      std::to_string(r.id),
                      {{"town_code", r.town_code},
                       {"case_id", r.case_id ? json(*r.case_id) : json()},
                       {"trigger", r.trigger},
                       {"evidence", evidence},
                       {"person_id", r.person_id ? json(*r.person_id) : json()},
                       {"post", r.post},
                       {"detail", json::parse(r.detail, nullptr, false)}}}));
  r.ledger_index = receipt.index;
  return store::UpdateAccountability(tx.conn(), r);
}

Result<std::vector<std::string>> PartySecrets(store::Connection& c, const store::CaseRecord& r) {
  std::vector<std::string> out;
  for (const std::string* commitment : {&r.party_commitment, &r.id_commitment, &r.phone_commitment}) {
    if (commitment->empty()) continue;
    QZ_ASSIGN_OR_RETURN(auto clear, store::PersonalValue(c, *commitment));
    if (clear) out.push_back(*clear);
  }
  return out;
}

std::string PublicPartyName(const std::string& party_kind, const std::string& name) {
  return party_kind == "natural_person" ? domain::MaskPersonName(name) : name;
}

Result<domain::Date> DateField(const json& request, const char* field, domain::Date fallback) {
  if (!request.contains(field) || request[field].is_null()) return fallback;
  if (!request[field].is_string()) {
    return MakeError(ErrorCode::kBadRequest, std::string(field) + " 须为 YYYY-MM-DD 日期",
                     std::string(field) + " must be a YYYY-MM-DD date");
  }
  return domain::ParseDate(request[field].get<std::string>());
}

std::string StateLabel(const domain::Procedure& p, const std::string& state) {
  const domain::ProcedureState* s = p.FindState(state);
  return s ? s->label_zh : state;
}

json StepJson(const domain::Procedure& p, const store::CaseStepRecord& s) {
  const domain::ProcedureStep* step = p.FindStep(s.step);
  return json{{"seq", s.seq},
              {"step", s.step},
              {"label_zh", step ? step->label_zh : s.step},
              {"label_en", step ? step->label_en : s.step},
              {"on", s.on_date},
              {"performer_id", s.performer_id ? json(*s.performer_id) : json()},
              {"officers", json::parse(s.officers, nullptr, false)},
              {"detail", json::parse(s.detail, nullptr, false)},
              {"receipt", s.ledger_index ? json{{"index", *s.ledger_index}} : json()}};
}

Event CaseEvent(std::string type, const Actor& actor, const store::CaseRecord& c, json data) {
  data["town_code"] = c.town_code;
  data["power_code"] = c.power_code;
  data["procedure"] = c.procedure_id;
  data["procedure_version"] = c.procedure_version;
  return Event{std::move(type), actor, "case", std::to_string(c.id), std::move(data)};
}

}  // namespace quanze::app::cases
