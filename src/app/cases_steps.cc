// One procedure step of a case: legal authority (default deny), the
// procedure engine, decision rules (discretion benchmark, hearing notice,
// on-the-spot limits), then state, decision, disclosure and journal in one
// unit of work. Refusals are journaled; denied authority, out-of-range
// amounts and missing statutory steps open accountability records.
#include <algorithm>

#include "app/cases_internal.h"
#include "domain/authority.h"
#include "domain/disclosure.h"
#include "ledger/hash.h"

namespace quanze::app {

using nlohmann::json;

namespace {

struct DecisionInput {
  bool present = false;
  std::string content;
  std::string tier;
  std::int64_t amount_fen = 0;
  std::int64_t base_fen = 0;
  std::int64_t confiscation_fen = 0;
  std::string written_reason;
  bool licence_revoked_or_closure = false;
};

struct StepInput {
  domain::StepCommand command;
  std::vector<std::int64_t> officers;
  DecisionInput decision;
};

Error Bad(const std::string& zh, const std::string& en) {
  return MakeError(ErrorCode::kBadRequest, zh, en);
}

Result<std::set<std::string>> StringSet(const json& j, const char* key) {
  std::set<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (!j[key].is_array() || j[key].size() > 50) {
    return Bad(std::string(key) + " 须为字符串数组（最多 50 项）",
               std::string(key) + " must be an array of at most 50 strings");
  }
  for (const auto& v : j[key]) {
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 64) {
      return Bad(std::string(key) + " 的每一项须为 1–64 字节的字符串",
                 std::string(key) + " items must be strings of 1–64 bytes");
    }
    out.insert(v.get<std::string>());
  }
  return out;
}

Result<std::int64_t> IntField(const json& j, const char* key, std::int64_t lo, std::int64_t hi) {
  if (!j.contains(key) || j[key].is_null()) return std::int64_t{0};
  if (!j[key].is_number_integer()) return Bad(std::string(key) + " 须为整数", std::string(key) + " must be an integer");
  std::int64_t v = j[key].get<std::int64_t>();
  if (v < lo || v > hi) {
    return Bad(std::string(key) + " 超出范围", std::string(key) + " is out of range");
  }
  return v;
}

Result<StepInput> ParseStep(const json& r, domain::Date today) {
  StepInput in;
  if (!r.contains("step") || !r["step"].is_string()) return Bad("缺少步骤（step）", "step is required");
  in.command.step = r["step"].get<std::string>();
  QZ_ASSIGN_OR_RETURN(in.command.on, cases::DateField(r, "on", today));
  if (in.command.on > today) {
    return MakeError(ErrorCode::kValidation, "步骤日期不能晚于今天", "a step cannot be dated in the future");
  }
  QZ_ASSIGN_OR_RETURN(in.command.documents, StringSet(r, "documents"));
  QZ_ASSIGN_OR_RETURN(in.command.facts, StringSet(r, "facts"));
  if (r.contains("reason") && !r["reason"].is_null()) {
    if (!r["reason"].is_string() || r["reason"].get<std::string>().size() > 4000) {
      return Bad("reason 须为不超过 4000 字节的字符串", "reason must be a string of at most 4000 bytes");
    }
    in.command.reason = r["reason"].get<std::string>();
  }
  QZ_ASSIGN_OR_RETURN(std::int64_t ext, IntField(r, "extension_days", 0, 366));
  in.command.extension_days = static_cast<int>(ext);
  QZ_ASSIGN_OR_RETURN(std::int64_t limit, IntField(r, "limit_days", 0, 3650));
  in.command.limit_days = static_cast<int>(limit);
  if (r.contains("officers") && !r["officers"].is_null()) {
    if (!r["officers"].is_array() || r["officers"].size() > 10) {
      return Bad("officers 须为人员编号数组（最多 10 人）", "officers must be an array of at most 10 person ids");
    }
    for (const auto& o : r["officers"]) {
      if (!o.is_number_integer()) return Bad("officers 的每一项须为人员编号", "officers items must be person ids");
      in.officers.push_back(o.get<std::int64_t>());
    }
  }
  if (r.contains("decision") && !r["decision"].is_null()) {
    const json& d = r["decision"];
    if (!d.is_object()) return Bad("decision 须为对象", "decision must be an object");
    in.decision.present = true;
    in.decision.content = d.value("content", "");
    in.decision.tier = d.value("tier", "");
    in.decision.written_reason = d.value("written_reason", "");
    QZ_ASSIGN_OR_RETURN(in.decision.amount_fen, IntField(d, "amount_fen", 0, 100'000'000'000LL));
    QZ_ASSIGN_OR_RETURN(in.decision.base_fen, IntField(d, "base_fen", 0, 100'000'000'000LL));
    QZ_ASSIGN_OR_RETURN(in.decision.confiscation_fen,
                        IntField(d, "confiscation_fen", 0, 100'000'000'000LL));
    in.decision.licence_revoked_or_closure = d.value("licence_revoked_or_closure", false);
    if (in.decision.content.size() > 20000) {
      return Bad("决定内容过长", "decision content is too long");
    }
  }
  return in;
}

// The facts of this moment for the authority check, from the database.
struct LoadedFacts {
  domain::AuthorityFacts facts;
  std::optional<store::OfficerRecord> performer;
};

Result<LoadedFacts> LoadFacts(store::Connection& c, const store::CaseRecord& r,
                              std::int64_t performer, const std::vector<std::int64_t>& officers) {
  LoadedFacts out;
  QZ_ASSIGN_OR_RETURN(auto grant, store::FindGrantForCase(c, r.town_code, r.power_code));
  if (grant) {
    domain::GrantFact g;
    g.state = grant->state;
    auto from = domain::ParseDate(grant->valid_from);
    if (from.ok()) g.valid_from = *from;
    if (grant->valid_to) {
      auto to = domain::ParseDate(*grant->valid_to);
      if (to.ok()) g.valid_to = *to;
    }
    g.agency_id = grant->agency_id;
    out.facts.SetGrant(r.town_code, r.power_code, g);
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
    auto f = domain::ParseDate(p.cert_valid_from);
    if (f.ok()) o.certificate.valid_from = *f;
    auto t = domain::ParseDate(p.cert_valid_to);
    if (t.ok()) o.certificate.valid_to = *t;
    out.facts.SetOfficer(o);
    if (p.person_id == performer) {
      out.performer = p;
      QZ_ASSIGN_OR_RETURN(auto steps, store::GetPostSteps(c, p.agency_id, p.post));
      if (steps) {
        json list = json::parse(*steps, nullptr, false);
        if (list.is_array()) {
          out.facts.SetPostSteps(p.agency_id, p.post, list.get<std::vector<std::string>>());
        }
      }
    }
  }
  return out;
}

// "YYYY-MM-DD" six months after `d` (the day clamped to the month's end).
std::string AddMonths(domain::Date d, int months) {
  int y = d.year(), m = d.month() + months;
  y += (m - 1) / 12;
  m = (m - 1) % 12 + 1;
  for (int day = d.day(); day >= 28; --day) {
    auto r = domain::Date::FromYmd(y, m, day);
    if (r.ok()) return r->ToString();
  }
  return domain::Date::FromYmd(y, m, d.day()).value().ToString();
}

// Appeal routes and deadlines of a decision (行政复议法 第二十条: 60 days;
// 行政诉讼法 第四十六条: six months).
json AppealRoutes(const CaseRules& rules, domain::Date on, const std::string& county_name) {
  auto reconsideration = rules.calendar.AddCalendarDays(on, 60);
  json r{{"body", county_name + "人民政府"},
         {"days", 60},
         {"deadline", reconsideration.ok() ? json(reconsideration->ToString()) : json()},
         {"basis", "《中华人民共和国行政复议法》第二十条"}};
  if (!reconsideration.ok()) {
    // The last day may fall on a holiday of a year whose schedule is not yet loaded.
    r["deadline_flag"] = reconsideration.error().message_zh + " / " + reconsideration.error().message_en;
  }
  // Six months, the last day moved past rest days and holidays like any period.
  auto six_months = domain::ParseDate(AddMonths(on, 6));
  auto litigation = six_months.ok() ? rules.calendar.AddCalendarDays(*six_months, 0) : six_months;
  json l{{"body", county_name + "人民法院"},
         {"months", 6},
         {"deadline", litigation.ok() ? json(litigation->ToString()) : json()},
         {"basis", "《中华人民共和国行政诉讼法》第四十六条"}};
  if (!litigation.ok()) {
    l["deadline_flag"] = litigation.error().message_zh + " / " + litigation.error().message_en;
  }
  return json{{"reconsideration", r}, {"litigation", l}};
}

bool IsPenaltyOutcome(const domain::ProcedureStep& step) { return step.outcome == "penalty"; }

}  // namespace

Writer::Work CaseService::StepWork(const AuthUser& user, std::int64_t case_id,
                                   json request) const {
  return [this, user, case_id, request = std::move(request)](Tx& tx) -> Result<json> {
    return StepInTx(tx, user, case_id, request, std::nullopt);
  };
}

Result<json> CaseService::StepInTx(Tx& tx, const AuthUser& user, std::int64_t case_id,
                                   const json& request, std::optional<std::int64_t> as_person) const {
  {
    store::Connection& c = tx.conn();
    domain::Date today = Today();
    QZ_ASSIGN_OR_RETURN(StepInput in, ParseStep(request, today));
    QZ_ASSIGN_OR_RETURN(store::CaseRecord r, cases::LoadCaseInScope(c, user, case_id));
    const domain::Procedure* proc =
        rules_.procedures.Find(r.procedure_id, static_cast<int>(r.procedure_version));
    if (!proc) {
      return MakeError(ErrorCode::kInternal, "找不到案件的办理程序版本",
                       "the case's procedure version is not loaded");
    }
    Actor actor = user.AsActor();
    const domain::ProcedureStep* step = proc->FindStep(in.command.step);
    json attempt{{"step", in.command.step}, {"on", in.command.on.ToString()},
                 {"officers", in.officers}};

    // 1. Legal authority (法无授权不可为): who acts, at this moment.
    auto person = as_person ? Result<std::int64_t>(*as_person) : cases::PersonOf(c, user);
    if (!person.ok()) {
      tx.RecordOnFailure(cases::CaseEvent("case.step_denied", actor, r,
                                          {{"attempt", attempt},
                                           {"findings", person.error().detail.value("findings", json::array())}}));
      return person.take_error();
    }
    actor.person_id = *person;
    std::optional<store::OfficerRecord> performer;  // the acting person, loaded once
    if (step) {
      QZ_ASSIGN_OR_RETURN(LoadedFacts loaded, LoadFacts(c, r, *person, in.officers));
      performer = loaded.performer;
      domain::AuthorityRequest ar;
      ar.town_code = r.town_code;
      ar.power_code = r.power_code;
      ar.procedure_id = r.procedure_id;
      ar.step = step->code;
      ar.requirements.min_officers = step->guard.min_officers;
      ar.requirements.certificate = step->guard.certificate;
      ar.requirements.leader = step->guard.leader;
      ar.requirements.legal_reviewer = step->guard.legal_reviewer;
      ar.requirements.enforcement = step->enforcement;
      ar.on = in.command.on;
      ar.performer = *person;
      ar.officers = in.officers;
      if (std::find(ar.officers.begin(), ar.officers.end(), *person) == ar.officers.end()) {
        ar.officers.push_back(*person);
      }
      domain::AuthorityDecision decision = domain::CheckAuthority(loaded.facts, ar);
      if (!decision.allowed) {
        Error e = domain::AuthorityDeniedError(decision);
        e.code = ErrorCode::kAuthorityDenied;
        tx.RecordOnFailure(cases::CaseEvent("case.step_denied", actor, r,
                                            {{"attempt", attempt},
                                             {"findings", domain::FindingsJson(decision)}}));
        std::string name = loaded.performer ? loaded.performer->name : "";
        std::string post = loaded.performer ? loaded.performer->post : "";
        const domain::AuthorityFinding* first = decision.FirstFailure();
        tx.OnRefusal([r, person = *person, name, post, today,
                      code = first ? first->code : std::string(),
                      step_code = step->code](Tx& t, const Receipt& receipt) -> Status {
          store::AccountabilityRecord a;
          a.town_code = r.town_code;
          a.case_id = r.id;
          a.trigger = "denied_authority";
          a.evidence = json::array({receipt.index}).dump();
          a.person_id = person;
          a.person_name = name;
          a.post = post;
          a.detail = json{{"step", step_code}, {"finding", code}, {"refusal_index", receipt.index}}.dump();
          a.opened_on = today.ToString();
          return cases::OpenAccountability(t, std::move(a));
        });
        return e;
      }
    }

    // 2. The procedure: state, guards, clocks.
    QZ_ASSIGN_OR_RETURN(domain::CaseState before, cases::CaseStateFromJson(r.state_json));
    auto applied = domain::ApplyStep(*proc, before, in.command, &rules_.calendar);
    if (!applied.ok()) {
      Error e = applied.take_error();
      tx.RecordOnFailure(cases::CaseEvent("case.step_refused", actor, r,
                                          {{"attempt", attempt},
                                           {"error", ErrorCodeName(e.code)},
                                           {"detail", e.detail}}));
      bool missing_step = false;
      if (e.detail.is_object() && e.detail.contains("failures")) {
        for (const auto& f : e.detail["failures"]) missing_step |= f.value("guard", "") == "after_steps";
      }
      if (missing_step && step && step->decision) {
        tx.OnRefusal([r, person = *person, today, step_code = step->code](
                         Tx& t, const Receipt& receipt) -> Status {
          store::AccountabilityRecord a;
          a.town_code = r.town_code;
          a.case_id = r.id;
          a.trigger = "missing_step";
          a.evidence = json::array({receipt.index}).dump();
          a.person_id = person;
          a.detail = json{{"step", step_code}, {"refusal_index", receipt.index}}.dump();
          a.opened_on = today.ToString();
          return cases::OpenAccountability(t, std::move(a));
        });
      }
      return e;
    }
    domain::CaseState after = std::move(applied).value();

    // 3. Decision rules.
    json decision_json;
    std::optional<store::DecisionRecord> decision;
    if (step->decision) {
      if (!in.decision.present || in.decision.content.empty()) {
        return MakeError(ErrorCode::kValidation, "决定步骤须填写决定内容（decision.content）",
                         "a decision step needs decision.content");
      }
      store::DecisionRecord d;
      d.case_id = r.id;
      d.town_code = r.town_code;
      d.power_code = r.power_code;
      d.outcome = step->outcome.empty() ? step->code : step->outcome;
      d.content = in.decision.content;
      if (IsPenaltyOutcome(*step)) {
        const domain::DiscretionBenchmark* b =
            domain::FindBenchmark(rules_.benchmarks, r.power_code, r.party_kind);
        if (!b) {
          return MakeError(ErrorCode::kValidation,
                           "事项“" + r.power_code + "”没有公布的裁量基准，不能作出罚款决定",
                           "item '" + r.power_code + "' has no published discretion benchmark");
        }
        domain::PenaltyProposal pp;
        pp.tier = in.decision.tier;
        pp.amount_fen = in.decision.amount_fen;
        pp.base_fen = in.decision.base_fen;
        pp.written_reason = in.decision.written_reason;
        pp.legal_review_passed = after.facts.count("legal_review_passed") > 0;
        Status ok = domain::CheckPenalty(*b, pp);
        if (!ok.ok()) {
          Error e = ok.take_error();
          if (e.code == ErrorCode::kRuleViolation) {
            e.code = ErrorCode::kValidation;  // 422: the amount is outside the tier's range
            tx.RecordOnFailure(cases::CaseEvent("case.decision_refused", actor, r,
                                                {{"attempt", attempt},
                                                 {"tier", pp.tier},
                                                 {"amount_fen", pp.amount_fen},
                                                 {"detail", e.detail}}));
            tx.OnRefusal([r, person = *person, today, tier = pp.tier,
                          amount = pp.amount_fen](Tx& t, const Receipt& receipt) -> Status {
              store::AccountabilityRecord a;
              a.town_code = r.town_code;
              a.case_id = r.id;
              a.trigger = "out_of_range_attempt";
              a.evidence = json::array({receipt.index}).dump();
              a.person_id = person;
              a.detail = json{{"tier", tier}, {"amount_fen", amount}, {"refusal_index", receipt.index}}.dump();
              a.opened_on = today.ToString();
              return cases::OpenAccountability(t, std::move(a));
            });
          }
          return e;
        }
        domain::PartyKind pk = r.party_kind == "natural_person" ? domain::PartyKind::kNaturalPerson
                                                                : domain::PartyKind::kOrganisation;
        if (proc->limits) {
          std::int64_t cap = pk == domain::PartyKind::kNaturalPerson
                                 ? proc->limits->natural_person_fen
                                 : proc->limits->organisation_fen;
          if (pp.amount_fen > cap) {
            return MakeError(ErrorCode::kValidation,
                             "当场处罚的罚款不得超过 " + std::to_string(cap / 100) + " 元（行政处罚法 第五十一条），请转一般程序",
                             "an on-the-spot fine may not exceed " + std::to_string(cap / 100) +
                                 " yuan (Administrative Penalty Law art. 51); use the general procedure",
                             json{{"limit_fen", cap}, {"amount_fen", pp.amount_fen}});
          }
        }
        if (domain::HearingRequired(settings_.hearing, pk, pp.amount_fen,
                                    in.decision.confiscation_fen,
                                    in.decision.licence_revoked_or_closure) &&
            !after.facts.count("hearing_rights_notified")) {
          return MakeError(ErrorCode::kValidation,
                           "较大数额罚款须先告知当事人有要求听证的权利（行政处罚法 第六十三条）",
                           "a large fine requires notice of the right to a hearing first "
                           "(Administrative Penalty Law art. 63)",
                           json{{"missing_fact", "hearing_rights_notified"},
                                {"amount_fen", pp.amount_fen}});
        }
        d.tier = pp.tier;
        d.amount_fen = pp.amount_fen;
      }
      d.responsible_id = *person;
      d.responsible_name = performer ? performer->name : "";
      d.responsible_post = performer ? performer->post : "";
      d.decided_on = in.command.on.ToString();
      d.effective_on = in.command.on.ToString();
      QZ_ASSIGN_OR_RETURN(auto town, store::GetRegion(c, r.town_code));
      std::string county_name;
      if (town && town->parent_code) {
        QZ_ASSIGN_OR_RETURN(auto county, store::GetRegion(c, *town->parent_code));
        if (county) county_name = county->name;
      }
      d.appeal = AppealRoutes(rules_, in.command.on, county_name).dump();
      decision = d;
    }

    // 4. State, step, decision, disclosure, journal.
    const domain::ProcedureState* to_state = proc->FindState(after.state);
    r.state = after.state;
    r.terminal = to_state && to_state->terminal;
    if (!step->outcome.empty()) r.outcome = step->outcome;
    if (r.terminal) r.closed_on = in.command.on.ToString();
    if (!r.handler_id) r.handler_id = *person;
    cases::ClockSummary clocks = cases::SummariseClocks(*proc, after, today, rules_, settings_);
    r.deadline = clocks.deadline;
    r.clock_status = clocks.status;
    if (clocks.limit_days) r.limit_days = clocks.limit_days;
    if (clocks.days_used) r.days_used = clocks.days_used;
    r.state_json = cases::CaseStateToJson(after).dump();
    r.updated_at = tx.now_seconds();
    json clock_deadlines = json::object();
    for (const auto& cl : clocks.clocks) clock_deadlines[cl["id"].get<std::string>()] = cl.value("deadline", json());
    json event{{"step", step->code},
               {"from", before.state},
               {"to", after.state},
               {"on", in.command.on.ToString()},
               {"performer_id", *person},
               {"officers", in.officers},
               {"facts", in.command.facts},
               {"documents", in.command.documents},
               {"outcome", step->outcome},
               {"deadlines", clock_deadlines}};
    if (!in.command.reason.empty()) event["reason"] = in.command.reason;
    if (in.command.extension_days) event["extension_days"] = in.command.extension_days;
    if (decision) {
      event["decision"] = {{"outcome", decision->outcome},
                           {"responsible_id", decision->responsible_id},
                           {"responsible_post", decision->responsible_post},
                           {"tier", decision->tier},
                           {"amount_fen", decision->amount_fen},
                           {"content_sha256", ledger::HexEncode(std::span<const std::uint8_t>(
                                                  ledger::Hasher().Sha256(decision->content)))}};
    }
    QZ_ASSIGN_OR_RETURN(Receipt receipt, tx.Append(cases::CaseEvent("case.step", actor, r, event)));
    r.ledger_index = r.ledger_index ? r.ledger_index : std::optional<std::int64_t>(receipt.index);
    QZ_TRY(store::UpdateCase(c, r));
    store::CaseStepRecord sr;
    sr.case_id = r.id;
    QZ_ASSIGN_OR_RETURN(sr.seq, store::NextStepSeq(c, r.id));
    sr.step = step->code;
    sr.on_date = in.command.on.ToString();
    sr.performer_id = *person;
    sr.officers = json(in.officers).dump();
    json detail{{"facts", in.command.facts}, {"documents", in.command.documents}};
    if (!in.command.reason.empty()) detail["reason"] = in.command.reason;
    if (in.command.extension_days) detail["extension_days"] = in.command.extension_days;
    sr.detail = detail.dump();
    sr.ledger_index = receipt.index;
    sr.created_at = tx.now_seconds();
    QZ_TRY(store::InsertCaseStep(c, sr));
    if (decision) {
      decision->ledger_index = receipt.index;
      QZ_TRY(store::InsertDecision(c, *decision, tx.now_seconds()));
      if (r.procedure_id == "licensing" || r.procedure_id == "penalty_general") {
        store::DisclosureRecord ds;
        ds.case_id = r.id;
        ds.town_code = r.town_code;
        ds.kind = r.procedure_id == "licensing" ? "licensing" : "penalty";
        ds.title = std::string(r.procedure_id == "licensing" ? "行政许可决定" : "行政处罚决定") +
                   "：" + r.power_name;
        std::vector<std::string> secrets;
        for (const std::string* commitment : {&r.party_commitment, &r.id_commitment, &r.phone_commitment}) {
          if (commitment->empty()) continue;
          QZ_ASSIGN_OR_RETURN(auto clear, store::PersonalValue(c, *commitment));
          if (clear) secrets.push_back(*clear);
        }
        ds.content = domain::MaskText(decision->content, secrets);
        ds.decided_on = decision->decided_on;
        auto due = rules_.calendar.AddWorkingDays(in.command.on, settings_.disclosure_working_days);
        ds.due_on = due.ok() ? due->ToString() : decision->decided_on;
        QZ_TRY(store::InsertDisclosure(c, ds, tx.now_seconds()));
      }
    }
    json out{{"case_id", r.id},
             {"step", step->code},
             {"state", r.state},
             {"state_label", cases::StateLabel(*proc, r.state)},
             {"terminal", r.terminal},
             {"outcome", r.outcome},
             {"deadline", r.deadline ? json(*r.deadline) : json()},
             {"clock_status", r.clock_status},
             {"clocks", clocks.clocks}};
    if (decision) {
      out["decision"] = {{"outcome", decision->outcome},
                         {"responsible_name", decision->responsible_name},
                         {"responsible_post", decision->responsible_post},
                         {"tier", decision->tier},
                         {"amount_fen", decision->amount_fen},
                         {"decided_on", decision->decided_on},
                         {"appeal", json::parse(decision->appeal)}};
    }
    return out;
  }
}

}  // namespace quanze::app
