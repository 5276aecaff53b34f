// Oversight (法定职责必须为, 可追责, 可评价): the deadline sweep that opens
// accountability records, the records and their review, evaluation per
// town / agency / officer, and the 同案同罚 outlier report.
#include <cmath>

#include "app/cases_internal.h"
#include "app/staffing_internal.h"
#include "domain/access.h"
#include "domain/discretion.h"

namespace quanze::app {

using nlohmann::json;

namespace {

json AccountabilityJson(const store::AccountabilityRecord& a) {
  return json{{"id", a.id},
              {"town_code", a.town_code},
              {"case_id", a.case_id ? json(*a.case_id) : json()},
              {"trigger", a.trigger},
              {"evidence", json::parse(a.evidence, nullptr, false)},
              {"person_id", a.person_id ? json(*a.person_id) : json()},
              {"person_name", a.person_name},
              {"post", a.post},
              {"detail", json::parse(a.detail, nullptr, false)},
              {"state", a.state},
              {"conclusion", a.conclusion},
              {"opened_on", a.opened_on},
              {"receipt", a.ledger_index ? json{{"index", *a.ledger_index}} : json()}};
}

bool MayReview(const AuthUser& user) {
  return domain::RoleHas(user.role, domain::Permission::kReviewAccountability);
}

// The person answerable for a case (谁行权谁担责): its handler, else the
// leader of the handling agency (the post chain).
Result<std::optional<store::OfficerRecord>> Responsible(store::Connection& c,
                                                        const store::CaseRecord& r) {
  if (r.handler_id) {
    QZ_ASSIGN_OR_RETURN(auto people, store::LoadOfficers(c, {*r.handler_id}));
    if (!people.empty()) return std::optional<store::OfficerRecord>(people[0]);
  }
  return store::AgencyLeader(c, r.agency_id);
}

}  // namespace

Writer::Work CaseService::SweepWork() const {
  return [this](Tx& tx) -> Result<json> {
    store::Connection& c = tx.conn();
    domain::Date today = Today();
    std::string today_s = today.ToString();
    int overdue = 0, late = 0, ratings = 0;
    auto open = [&](const std::string& power_code, store::AccountabilityRecord a) -> Status {
      a.opened_on = today_s;
      Status s = tx.Attempt(
          [&] { return cases::OpenAccountability(tx, rules_, power_code, std::move(a)); });
      if (!s.ok() && s.error().code == ErrorCode::kConflict) return Ok();  // already recorded
      return s;
    };
    // Overdue statutory steps (法定职责必须为).
    QZ_ASSIGN_OR_RETURN(auto candidates, store::OverdueCandidates(c, today_s, 5000));
    for (store::CaseRecord& r : candidates) {
      const domain::Procedure* p =
          rules_.procedures.Find(r.procedure_id, static_cast<int>(r.procedure_version));
      if (!p) continue;
      QZ_ASSIGN_OR_RETURN(domain::CaseState st, cases::CaseStateFromJson(r.state_json));
      cases::ClockSummary clocks = cases::SummariseClocks(*p, st, today, rules_, settings_);
      json red = json::array();
      for (const auto& cl : clocks.clocks) {
        // The party's own periods (payment) are never the officer's: no record.
        if (cl.value("status", "") == "red" && cl.value("statutory", false) &&
            !cl.value("party_duty", false)) {
          red.push_back(cl["id"]);
        }
      }
      r.clock_status = clocks.status;
      r.deadline = clocks.deadline;
      if (red.empty()) {
        QZ_TRY(store::UpdateCase(c, r));  // e.g. suspended: the deadline moved
        continue;
      }
      QZ_ASSIGN_OR_RETURN(auto who, Responsible(c, r));
      store::AccountabilityRecord a;
      a.town_code = r.town_code;
      a.case_id = r.id;
      a.trigger = "overdue";
      json evidence = json::array();
      if (r.ledger_index) evidence.push_back(*r.ledger_index);
      QZ_ASSIGN_OR_RETURN(auto steps, store::ListCaseSteps(c, r.id));
      if (!steps.empty() && steps.back().ledger_index) evidence.push_back(*steps.back().ledger_index);
      a.evidence = evidence.dump();
      if (who) {
        a.person_id = who->person_id;
        a.person_name = who->name;
        a.post = who->post;
      }
      a.detail = json{{"clocks", red}, {"state", r.state}, {"deadline", r.deadline ? json(*r.deadline) : json()}}.dump();
      QZ_TRY(open(r.power_code, std::move(a)));
      r.overdue_recorded = true;
      r.updated_at = tx.now_seconds();
      QZ_TRY(store::UpdateCase(c, r));
      ++overdue;
    }
    // Disclosures not published within 7 working days.
    QZ_ASSIGN_OR_RETURN(auto late_disclosures, store::LateDisclosures(c, today_s));
    for (store::DisclosureRecord& d : late_disclosures) {
      d.late = true;
      QZ_TRY(store::UpdateDisclosure(c, d));
      QZ_ASSIGN_OR_RETURN(auto r, store::GetCase(c, d.case_id));
      if (!r) continue;
      QZ_ASSIGN_OR_RETURN(auto who, Responsible(c, *r));
      store::AccountabilityRecord a;
      a.town_code = d.town_code;
      a.case_id = d.case_id;
      a.trigger = "late_disclosure";
      a.evidence = json::array({d.ledger_index ? json(*d.ledger_index) : json(r->ledger_index.value_or(0))}).dump();
      if (who) {
        a.person_id = who->person_id;
        a.person_name = who->name;
        a.post = who->post;
      }
      a.detail = json{{"due_on", d.due_on}}.dump();
      QZ_TRY(open(r->power_code, std::move(a)));
      ++late;
    }
    // Bad ratings not rectified in time.
    QZ_ASSIGN_OR_RETURN(auto unresolved, store::OverdueRectifications(c, today_s));
    for (const store::RatingRecord& rating : unresolved) {
      QZ_TRY(store::UpdateRectification(c, rating.id, "overdue"));
      QZ_ASSIGN_OR_RETURN(auto r, store::GetCase(c, rating.case_id));
      if (!r) continue;
      QZ_ASSIGN_OR_RETURN(auto who, Responsible(c, *r));
      store::AccountabilityRecord a;
      a.town_code = r->town_code;
      a.case_id = r->id;
      a.trigger = "unresolved_bad_rating";
      a.evidence = json::array({rating.ledger_index ? json(*rating.ledger_index) : json(r->ledger_index.value_or(0))}).dump();
      if (who) {
        a.person_id = who->person_id;
        a.person_name = who->name;
        a.post = who->post;
      }
      a.detail = json{{"rating_id", rating.id}, {"level", rating.level}, {"fix_due", rating.fix_due ? json(*rating.fix_due) : json()}}.dump();
      QZ_TRY(open(r->power_code, std::move(a)));
      ++ratings;
    }
    json summary{{"today", today_s},
                 {"overdue_cases", overdue},
                 {"late_disclosures", late},
                 {"unresolved_bad_ratings", ratings}};
    if (overdue + late + ratings > 0) {
      QZ_TRY(tx.Append(Event{"cases.swept", Actor::System(), "cases", today_s, summary}));
    }
    return summary;
  };
}

Result<json> CaseService::Accountability(const AuthUser& user, const std::string& region,
                                         const std::optional<std::string>& state,
                                         const std::optional<std::string>& trigger,
                                         std::int64_t offset, int limit) {
  json items = json::array();
  bool more = false;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(store::RegionRecord reg, staffing::RequireRegion(c, region));
    if (!domain::InScope(user.scope_path, reg.path)) return staffing::OutOfScope(region);
    QZ_ASSIGN_OR_RETURN(auto rows, store::ListAccountability(c, reg.path, state, trigger, offset, limit + 1));
    more = static_cast<int>(rows.size()) > limit;
    if (more) rows.pop_back();
    for (const auto& a : rows) items.push_back(AccountabilityJson(a));
    return Ok();
  }));
  return json{{"items", items}, {"next_cursor", more ? json(offset + limit) : json()}};
}

Writer::Work CaseService::AccountabilityWork(const AuthUser& user, std::int64_t id,
                                             json request) const {
  return [this, user, id, request = std::move(request)](Tx& tx) -> Result<json> {
    if (!MayReview(user)) {
      return MakeError(ErrorCode::kForbidden, "问责记录由县级监察机关审查办理",
                       "accountability records are reviewed by the county supervision body");
    }
    QZ_ASSIGN_OR_RETURN(auto a, store::GetAccountability(tx.conn(), id));
    if (!a) return MakeError(ErrorCode::kNotFound, "问责记录不存在", "no such accountability record");
    QZ_ASSIGN_OR_RETURN(auto town, store::GetRegion(tx.conn(), a->town_code));
    if (!town || !domain::InScope(user.scope_path, town->path)) return staffing::OutOfScope(a->town_code);
    // Nobody reviews or concludes a record that names them (separation of duties).
    QZ_ASSIGN_OR_RETURN(std::optional<std::int64_t> reviewer, store::PersonOfUser(tx.conn(), user.id));
    if (Status own = domain::NotReviewingOneself(reviewer, a->person_id); !own.ok()) {
      tx.RecordOnFailure(Event{"accountability.review_refused", user.AsActor(), "accountability",
                               std::to_string(id),
                               {{"town_code", a->town_code}, {"rule", "self_review"}}});
      return own.take_error();
    }
    std::string to = request.value("to", "");
    std::string conclusion = request.value("conclusion", "");
    bool ok = (a->state == "open" && to == "under_review") ||
              (a->state == "under_review" && to == "concluded");
    if (!ok) {
      return MakeError(ErrorCode::kConflict,
                       "问责记录状态为“" + a->state + "”，不能转为“" + to + "”（open → under_review → concluded）",
                       "record is '" + a->state + "'; cannot move to '" + to + "' (open → under_review → concluded)");
    }
    if (to == "concluded" && (conclusion.empty() || conclusion.size() > 4000)) {
      return MakeError(ErrorCode::kValidation, "办结问责须写明结论", "concluding needs a conclusion");
    }
    a->state = to;
    if (!conclusion.empty()) a->conclusion = conclusion;
    a->updated_at = tx.now_seconds();
    QZ_ASSIGN_OR_RETURN(Receipt receipt,
                        tx.Append(Event{"accountability." + to, user.AsActor(), "accountability",
                                        std::to_string(id),
                                        {{"town_code", a->town_code}, {"state", to}, {"conclusion", conclusion}}}));
    a->ledger_index = receipt.index;
    QZ_TRY(store::UpdateAccountability(tx.conn(), *a));
    return AccountabilityJson(*a);
  };
}

Result<json> CaseService::Evaluation(const AuthUser& user, const std::string& region,
                                     const std::string& by, const std::string& from,
                                     const std::string& to) {
  if (by != "town" && by != "agency" && by != "officer") {
    return MakeError(ErrorCode::kBadRequest, "by 须为 town、agency 或 officer",
                     "by must be town, agency or officer");
  }
  QZ_TRY(domain::ParseDate(from));
  QZ_TRY(domain::ParseDate(to));
  json items = json::array();
  json tiers = json::object();
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(store::RegionRecord reg, staffing::RequireRegion(c, region));
    if (!domain::InScope(user.scope_path, reg.path)) return staffing::OutOfScope(region);
    QZ_ASSIGN_OR_RETURN(auto rows, store::Evaluate(c, reg.path, by, from, to));
    for (const auto& e : rows) {
      auto ratio = [](std::int64_t a, std::int64_t b) { return b ? json(static_cast<double>(a) / b) : json(); };
      items.push_back({{"key", e.key},
                       {"label", e.label},
                       {"cases", e.cases},
                       {"closed", e.closed},
                       {"on_time", e.on_time},
                       {"on_time_rate", ratio(e.on_time, e.closed)},
                       {"mean_days_used", ratio(e.days_used_sum, e.closed)},
                       {"mean_limit_days", ratio(e.limit_days_sum, e.closed)},
                       {"ratings", e.ratings},
                       {"mean_rating", ratio(e.rating_sum, e.ratings)},
                       {"satisfaction_rate", ratio(e.satisfied, e.ratings)},
                       {"backdated_cases", e.backdated}});
    }
    QZ_ASSIGN_OR_RETURN(auto dist, store::TierDistribution(c, reg.path, from, to));
    for (const auto& [tier, n] : dist) tiers[tier] = n;
    return Ok();
  }));
  return json{{"region", region}, {"by", by}, {"from", from}, {"to", to},
              {"items", items}, {"discretion_distribution", tiers}};
}

Result<json> CaseService::Outliers(const AuthUser& user, const std::string& region) {
  json items = json::array();
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(store::RegionRecord reg, staffing::RequireRegion(c, region));
    if (!domain::InScope(user.scope_path, reg.path)) return staffing::OutOfScope(region);
    QZ_ASSIGN_OR_RETURN(auto decisions, store::ListPenaltyDecisions(c, reg.path));
    std::vector<domain::DecidedPenalty> decided;
    for (const auto& d : decisions) {
      decided.push_back({std::to_string(d.case_id), d.power_code, d.tier, d.amount_fen, 0, ""});
    }
    for (const auto& o : domain::FindOutliers(decided, 0.5)) {
      items.push_back({{"case_id", std::stoll(o.case_id)},
                       {"power_code", o.power_code},
                       {"tier", o.tier},
                       {"amount_fen", o.amount_fen},
                       {"median_fen", o.median_fen},
                       {"deviation", o.deviation}});
    }
    return Ok();
  }));
  return json{{"region", region}, {"tolerance", 0.5}, {"items", items}};
}

}  // namespace quanze::app
