// CaseService: rule loading, shared helpers and the staff reads (inbox,
// case page). Writes are in cases_open.cc, cases_steps.cc, cases_public.cc,
// cases_oversight.cc and cases_setup.cc.
#include "app/cases.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/cases_internal.h"
#include "app/embedded_rules.h"
#include "app/staffing_internal.h"
#include "domain/access.h"
#include "domain/disclosure.h"

namespace quanze::app {

using nlohmann::json;
namespace fs = std::filesystem;

const domain::DiscretionBenchmark* CaseRules::FindBenchmark(std::string_view power_code) const {
  return domain::FindBenchmark(benchmarks, power_code);
}

namespace {

Status LoadRuleFile(CaseRules& rules, std::string_view path, std::string_view text) {
  auto fail = [&](const Error& e) {
    return MakeError(e.code, "规则数据文件“" + std::string(path) + "”有误：" + e.message_zh,
                     "rule data file '" + std::string(path) + "' is invalid: " + e.message_en,
                     e.detail);
  };
  if (path.find("procedures/") != std::string_view::npos) {
    auto p = domain::ParseProcedure(text);
    if (!p.ok()) return fail(p.error());
    Status s = rules.procedures.Add(std::move(p).value());
    if (!s.ok()) return fail(s.error());
  } else if (path.find("holidays/") != std::string_view::npos) {
    Status s = rules.calendar.LoadYear(text);
    if (!s.ok()) return fail(s.error());
  } else if (path.find("discretion/") != std::string_view::npos) {
    auto b = domain::ParseDiscretionBenchmarks(text);
    if (!b.ok()) return fail(b.error());
    for (auto& x : *b) rules.benchmarks.push_back(std::move(x));
  } else if (path.find("rules/cases") != std::string_view::npos) {
    auto b = domain::cases::ParseCaseRuleBook(text);
    if (!b.ok()) return fail(b.error());
    rules.book = std::move(b).value();
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<CaseRules>> LoadCaseRules(const std::string& holidays_dir) {
  auto rules = std::make_unique<CaseRules>();
  for (std::size_t i = 0; i < kEmbeddedRuleFileCount; ++i) {
    QZ_TRY(LoadRuleFile(*rules, kEmbeddedRuleFiles[i].path, kEmbeddedRuleFiles[i].bytes));
  }
  if (!holidays_dir.empty()) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(holidays_dir, ec)) {
      std::string name = e.path().filename().string();
      if (name.rfind("cn-", 0) == 0 && e.path().extension() == ".json") files.push_back(e.path());
    }
    if (ec) {
      return MakeError(ErrorCode::kValidation, "无法读取节假日目录“" + holidays_dir + "”",
                       "cannot read the holidays directory '" + holidays_dir + "'");
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      QZ_TRY(LoadRuleFile(*rules, "holidays/" + f.filename().string(), ss.str()));
    }
  }
  return rules;
}

CaseService::CaseService(store::Database& db, Writer& writer, const Clock& clock,
                         const CaseRules& rules, CaseSettings settings)
    : db_(db), writer_(writer), clock_(clock), rules_(rules), settings_(settings) {}

domain::Date CaseService::Today() const {
  auto d = domain::ParseDate(FormatDate(clock_.Now()));
  return d.ok() ? *d : domain::Date();
}

Result<json> CaseService::Deadline(const std::string& start, std::int64_t days,
                                   const std::string& unit) const {
  QZ_ASSIGN_OR_RETURN(domain::Date s, domain::ParseDate(start));
  if (days < 0 || days > 3650) {
    return MakeError(ErrorCode::kBadRequest, "days 须在 0 到 3650 之间",
                     "days must be between 0 and 3650");
  }
  Result<domain::Date> d = domain::Date();
  if (unit == "working") {
    d = rules_.calendar.AddWorkingDays(s, static_cast<int>(days));
  } else if (unit == "calendar") {
    d = rules_.calendar.AddCalendarDays(s, static_cast<int>(days));
  } else {
    return MakeError(ErrorCode::kBadRequest, "unit 须为 working（工作日）或 calendar（自然日）",
                     "unit must be working or calendar");
  }
  if (!d.ok()) return d.take_error();
  return json{{"start", s.ToString()},
              {"days", days},
              {"unit", unit},
              {"deadline", d->ToString()}};
}

namespace {

// A step of a procedure as forms and the portal need it.
json StepSpecJson(const domain::ProcedureStep& s) {
  return json{{"code", s.code},
              {"label_zh", s.label_zh},
              {"label_en", s.label_en},
              {"from", s.from},
              {"to", s.to},
              {"documents", s.guard.documents},
              {"after_steps", s.guard.after_steps},
              {"facts", s.guard.facts},
              {"min_officers", s.guard.min_officers},
              {"certificate", s.guard.certificate},
              {"leader", s.guard.leader},
              {"legal_reviewer", s.guard.legal_reviewer},
              {"reason", s.guard.reason},
              {"all_leaders", s.guard.all_leaders},
              {"separate_from", s.guard.separate_from},
              {"evidence_facts", s.evidence_facts},
              {"records", s.records},
              {"serves_decision", s.serves_decision},
              {"enforcement", s.enforcement},
              {"decision", s.decision},
              {"outcome", s.outcome},
              {"basis", s.basis}};
}

}  // namespace

json CaseService::Procedures() const {
  json out = json::array();
  for (const domain::Procedure* p : rules_.procedures.All()) {
    json states = json::array();
    for (const auto& s : p->states) {
      states.push_back({{"code", s.code}, {"label_zh", s.label_zh}, {"label_en", s.label_en},
                        {"terminal", s.terminal}});
    }
    json clocks = json::array();
    for (const auto& c : p->clocks) {
      clocks.push_back({{"id", c.id},
                        {"label_zh", c.label_zh},
                        {"label_en", c.label_en},
                        {"limit_days", c.limit_days},
                        {"unit", domain::DayUnitCode(c.unit)},
                        {"max_extension_days", c.max_extension_days},
                        {"statutory", c.statutory},
                        {"waiting", c.waiting},
                        {"party_duty", c.party_duty},
                        {"basis", c.basis}});
    }
    json steps = json::array();
    for (const auto& s : p->steps) steps.push_back(StepSpecJson(s));
    out.push_back({{"id", p->id},
                   {"version", p->version},
                   {"name_zh", p->name_zh},
                   {"name_en", p->name_en},
                   {"basis", p->basis},
                   {"initial_state", p->initial_state},
                   {"states", states},
                   {"clocks", clocks},
                   {"steps", steps},
                   {"limits", p->limits ? json{{"natural_person_fen", p->limits->natural_person_fen},
                                               {"organisation_fen", p->limits->organisation_fen},
                                               {"collect_on_spot_fen", p->limits->collect_on_spot_fen}}
                                        : json()}});
  }
  return json{{"items", out},
              {"max_backdate_days", settings_.max_backdate_days},
              {"hearing_thresholds", {{"natural_person_fen", settings_.hearing.natural_person_fen},
                                      {"organisation_fen", settings_.hearing.organisation_fen}}}};
}

namespace {

std::string MaskedReceiptCode(const std::string& code) {
  if (code.size() <= 4) return std::string(code.size(), '*');
  return std::string(code.size() - 4, '*') + code.substr(code.size() - 4);
}

json CaseSummaryJson(const store::CaseRecord& c, const domain::Procedure* p,
                     const cases::ClockSummary& clocks) {
  return json{{"id", c.id},
              // The receipt code is the applicant's key to progress and rating:
              // staff see only its last 4 characters.
              {"receipt_code", MaskedReceiptCode(c.receipt_code)},
              {"town_code", c.town_code},
              {"power_code", c.power_code},
              {"power_name", c.power_name},
              {"power_kind", c.power_kind},
              {"procedure", c.procedure_id},
              {"procedure_version", c.procedure_version},
              {"origin", c.origin},
              {"party", c.party_display},
              {"party_kind", c.party_kind},
              {"state", c.state},
              {"state_label", p ? cases::StateLabel(*p, c.state) : c.state},
              {"terminal", c.terminal},
              {"outcome", c.outcome},
              {"opened_on", c.opened_on},
              {"closed_on", c.closed_on ? json(*c.closed_on) : json()},
              {"deadline", clocks.deadline ? json(*clocks.deadline) : json()},
              {"clock_status", clocks.status},
              {"clocks", clocks.clocks},
              {"agency_id", c.agency_id},
              {"handler_id", c.handler_id ? json(*c.handler_id) : json()}};
}

}  // namespace

Result<json> CaseService::Inbox(const AuthUser& user, const std::optional<std::string>& town,
                                bool mine, bool open_only, std::int64_t offset, int limit) {
  json items = json::array();
  bool more = false;
  domain::Date today = Today();
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    store::CaseQuery q;
    q.scope_path = user.scope_path;
    q.open_only = open_only;
    q.limit = limit + 1;
    if (town) {
      QZ_ASSIGN_OR_RETURN(store::RegionRecord t, cases::TownInScope(c, user, *town));
      q.town_code = t.code;
    }
    if (mine) {
      QZ_ASSIGN_OR_RETURN(std::int64_t person, cases::PersonOf(c, user));
      q.handler_id = person;
    }
    QZ_ASSIGN_OR_RETURN(auto rows, store::ListCases(c, q, offset));
    more = static_cast<int>(rows.size()) > limit;
    if (more) rows.pop_back();
    for (const auto& r : rows) {
      const domain::Procedure* p =
          rules_.procedures.Find(r.procedure_id, static_cast<int>(r.procedure_version));
      cases::ClockSummary clocks;
      if (p) {
        auto st = cases::CaseStateFromJson(r.state_json);
        if (st.ok()) clocks = cases::SummariseClocks(*p, *st, today, rules_, settings_);
      }
      items.push_back(CaseSummaryJson(r, p, clocks));
    }
    return Ok();
  }));
  return json{{"items", items},
              {"next_cursor", more ? json(offset + limit) : json()},
              {"today", today.ToString()}};
}

Result<json> CaseService::GetCase(const AuthUser& user, std::int64_t case_id) {
  json out;
  domain::Date today = Today();
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(store::CaseRecord r, cases::LoadCaseInScope(c, user, case_id));
    const domain::Procedure* p =
        rules_.procedures.Find(r.procedure_id, static_cast<int>(r.procedure_version));
    if (!p) {
      return MakeError(ErrorCode::kInternal, "找不到案件的办理程序版本",
                       "the case's procedure version is not loaded");
    }
    QZ_ASSIGN_OR_RETURN(domain::CaseState st, cases::CaseStateFromJson(r.state_json));
    cases::ClockSummary clocks = cases::SummariseClocks(*p, st, today, rules_, settings_);
    out = CaseSummaryJson(r, p, clocks);
    out["summary"] = r.summary;
    out["facts"] = st.facts;
    out["documents"] = st.documents;
    out["flags"] = st.flags;
    if (st.violation) {
      out["violation"] = {{"committed_on", st.violation->committed_on.ToString()},
                          {"discovered_on", st.violation->discovered_on.ToString()},
                          {"serious_harm", st.violation->serious_harm}};
    }
    if (st.proposal) out["proposal"] = cases::TermsJson(*st.proposal);
    if (st.fine_fen) out["fine_fen"] = st.fine_fen;
    if (clocks.late_payment) {  // 第七十二条: the party's, never the handler's
      out["late_payment"] = {{"days_late", clocks.late_payment->days_late},
                             {"surcharge_fen", clocks.late_payment->surcharge_fen},
                             {"basis", rules_.book.late_payment.basis}};
    }
    out["receipt"] = r.ledger_index ? json{{"index", *r.ledger_index}} : json();
    QZ_ASSIGN_OR_RETURN(auto steps, store::ListCaseSteps(c, case_id));
    json sj = json::array();
    for (const auto& s : steps) sj.push_back(cases::StepJson(*p, s));
    out["steps"] = sj;
    json next = json::array();
    for (const domain::ProcedureStep* s : p->StepsFrom(st.state)) {
      json missing_docs = json::array();
      for (const auto& d : s->guard.documents) {
        if (!st.documents.count(d)) missing_docs.push_back(d);
      }
      json missing_steps = json::array();
      for (const auto& a : s->guard.after_steps) {
        if (std::find(st.done_steps.begin(), st.done_steps.end(), a) == st.done_steps.end()) {
          missing_steps.push_back(a);
        }
      }
      json spec = StepSpecJson(*s);
      spec["missing_documents"] = missing_docs;
      spec["missing_steps"] = missing_steps;
      next.push_back(std::move(spec));
    }
    out["next_steps"] = next;
    QZ_ASSIGN_OR_RETURN(auto files, store::ListCaseFiles(c, case_id));
    json fj = json::array();
    for (const auto& f : files) {
      fj.push_back({{"id", f.id},
                    {"kind", f.kind},
                    {"file_name", f.file_name},
                    {"content_type", f.content_type},
                    {"size", f.size},
                    {"sha256", f.sha256}});
    }
    out["files"] = fj;
    QZ_ASSIGN_OR_RETURN(auto decision, store::GetDecision(c, case_id));
    if (decision) {
      out["decision"] = {{"outcome", decision->outcome},
                         {"responsible_id", decision->responsible_id},
                         {"responsible_name", decision->responsible_name},
                         {"responsible_post", decision->responsible_post},
                         {"content", decision->content},
                         {"tier", decision->tier},
                         {"amount_fen", decision->amount_fen},
                         {"decided_on", decision->decided_on},
                         {"effective_on", decision->effective_on},
                         {"appeal", json::parse(decision->appeal, nullptr, false)},
                         {"annulled_on", decision->annulled_on ? json(*decision->annulled_on)
                                                               : json()},
                         {"receipt", decision->ledger_index
                                         ? json{{"index", *decision->ledger_index}}
                                         : json()}};
    }
    QZ_ASSIGN_OR_RETURN(auto disclosure, store::GetDisclosure(c, case_id));
    if (disclosure) {
      out["disclosure"] = {{"title", disclosure->title},
                           {"due_on", disclosure->due_on.empty() ? json() : json(disclosure->due_on)},
                           {"due_flag", disclosure->due_flag},
                           {"published_on", disclosure->published_on
                                                ? json(*disclosure->published_on)
                                                : json()},
                           {"late", disclosure->late},
                           {"withdrawn_on", disclosure->withdrawn_on
                                                ? json(*disclosure->withdrawn_on)
                                                : json()},
                           {"withdraw_reason", disclosure->withdraw_reason}};
    }
    QZ_ASSIGN_OR_RETURN(auto rating, store::RatingOfCase(c, case_id));
    if (rating) {
      out["rating"] = {{"id", rating->id},
                       {"level", rating->level},
                       {"rated_on", rating->rated_on},
                       {"rectification", rating->rectification},
                       {"callback_due", rating->callback_due ? json(*rating->callback_due)
                                                             : json()},
                       {"fix_due", rating->fix_due ? json(*rating->fix_due) : json()}};
    }
    return Ok();
  }));
  return out;
}

namespace {

json OfficerJson(const store::OfficerRecord& o, domain::Date today) {
  domain::EnforcementCertificate cert;
  cert.number = o.cert_number;
  auto f = domain::ParseDate(o.cert_valid_from);
  auto t = domain::ParseDate(o.cert_valid_to);
  if (f.ok()) cert.valid_from = *f;
  if (t.ok()) cert.valid_to = *t;
  return json{{"id", o.person_id},
              {"name", o.name},
              {"agency_id", o.agency_id},
              {"post", o.post},
              {"is_leader", o.is_leader},
              {"certificate_valid", domain::CertificateValidOn(cert, today)},
              {"certificate_valid_to", o.cert_valid_to},
              {"legal_reviewer", o.legal_reviewer},
              {"active", o.active}};
}

}  // namespace

Result<json> CaseService::Officers(const AuthUser& user, std::int64_t case_id) {
  json items = json::array();
  domain::Date today = Today();
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(store::CaseRecord r, cases::LoadCaseInScope(c, user, case_id));
    QZ_ASSIGN_OR_RETURN(auto ids, store::ActivePeopleOfAgency(c, r.agency_id));
    QZ_ASSIGN_OR_RETURN(auto people, store::LoadOfficers(c, ids));
    for (const auto& p : people) items.push_back(OfficerJson(p, today));
    return Ok();
  }));
  return json{{"case_id", case_id}, {"items", items}};
}

Result<json> CaseService::Me(const AuthUser& user) {
  json out = json{{"user", user.ToJson()}, {"person", nullptr}};
  domain::Date today = Today();
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto person, store::PersonOfUser(c, user.id));
    if (!person) return Ok();
    QZ_ASSIGN_OR_RETURN(auto people, store::LoadOfficers(c, {*person}));
    if (!people.empty()) out["person"] = OfficerJson(people[0], today);
    return Ok();
  }));
  return out;
}

Result<json> CaseService::Discretion(const std::string& power_code,
                                     const std::optional<std::string>& tier,
                                     std::int64_t base_fen) const {
  const domain::DiscretionBenchmark* b = rules_.FindBenchmark(power_code);
  if (!b) {
    return MakeError(ErrorCode::kNotFound, "事项“" + power_code + "”没有公布的裁量基准",
                     "no discretion benchmark is published for item '" + power_code + "'");
  }
  json tiers = json::array();
  for (const auto& t : b->tiers) {
    json tj{{"code", t.code}, {"label_zh", t.label_zh}, {"circumstances", t.circumstances},
            {"no_penalty", t.no_penalty}};
    if (t.min_fen) tj["min_fen"] = *t.min_fen;
    if (t.max_fen) tj["max_fen"] = *t.max_fen;
    if (t.min_multiple) tj["min_multiple"] = *t.min_multiple;
    if (t.max_multiple) tj["max_multiple"] = *t.max_multiple;
    tiers.push_back(tj);
  }
  json out{{"power_code", b->power_code}, {"violation", b->violation}, {"basis", b->basis},
           {"scheme", b->scheme},         {"tiers", tiers}};
  if (tier) {
    QZ_ASSIGN_OR_RETURN(domain::AllowedRange range, domain::RangeFor(*b, *tier, base_fen));
    out["range"] = {{"tier", *tier}, {"min_fen", range.min_fen}, {"max_fen", range.max_fen}};
  }
  return out;
}

}  // namespace quanze::app
