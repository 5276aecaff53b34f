// What the public sees and does by receipt code: progress of an
// application, 好差评 ratings (bad ones open a rectification), and the
// disclosure of decisions (published within 7 working days, natural
// persons masked; an annulled decision withdrawn within 3 working days).
#include "app/cases_internal.h"
#include "domain/disclosure.h"
#include "domain/access.h"

namespace quanze::app {

using nlohmann::json;

namespace {

const char* const kLevelLabels[] = {"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"};

json DisclosureJson(const store::DisclosureRecord& d) {
  return json{{"case_id", d.case_id},
              {"kind", d.kind},
              {"title", d.title},
              {"content", d.withdrawn_on ? json() : json(d.content)},
              {"decided_on", d.decided_on},
              {"due_on", d.due_on.empty() ? json() : json(d.due_on)},
              {"due_flag", d.due_flag},
              {"published_on", d.published_on ? json(*d.published_on) : json()},
              {"late", d.late},
              {"withdrawn_on", d.withdrawn_on ? json(*d.withdrawn_on) : json()},
              {"withdraw_reason", d.withdraw_reason},
              {"receipt", d.ledger_index ? json{{"index", *d.ledger_index}} : json()}};
}

}  // namespace

Result<json> CaseService::PublicApplication(const std::string& receipt_code) {
  json out;
  domain::Date today = Today();
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto r, store::GetCaseByReceipt(c, receipt_code));
    if (!r) {
      return MakeError(ErrorCode::kNotFound, "回执码“" + receipt_code + "”不存在",
                       "no case has receipt code '" + receipt_code + "'");
    }
    const domain::Procedure* p =
        rules_.procedures.Find(r->procedure_id, static_cast<int>(r->procedure_version));
    if (!p) return MakeError(ErrorCode::kInternal, "程序未加载", "procedure not loaded");
    QZ_ASSIGN_OR_RETURN(domain::CaseState st, cases::CaseStateFromJson(r->state_json));
    cases::ClockSummary clocks = cases::SummariseClocks(*p, st, today, rules_, settings_);
    QZ_ASSIGN_OR_RETURN(auto steps, store::ListCaseSteps(c, r->id));
    json sj = json::array();
    for (const auto& s : steps) {
      const domain::ProcedureStep* step = p->FindStep(s.step);
      // No performer ids, no officers, no free text: only what was done when.
      sj.push_back({{"step", s.step},
                    {"label_zh", step ? step->label_zh : s.step},
                    {"label_en", step ? step->label_en : s.step},
                    {"on", s.on_date},
                    {"receipt", s.ledger_index ? json{{"index", *s.ledger_index}} : json()}});
    }
    QZ_ASSIGN_OR_RETURN(auto town, store::GetRegion(c, r->town_code));
    QZ_ASSIGN_OR_RETURN(auto decision, store::GetDecision(c, r->id));
    QZ_ASSIGN_OR_RETURN(auto rating, store::RatingOfCase(c, r->id));
    out = {{"receipt_code", r->receipt_code},
           {"town_code", r->town_code},
           {"town_name", town ? town->name : ""},
           {"power_code", r->power_code},
           {"power_name", r->power_name},
           {"procedure", r->procedure_id},
           {"state", r->state},
           {"state_label", cases::StateLabel(*p, r->state)},
           {"terminal", r->terminal},
           {"outcome", r->outcome},
           {"opened_on", r->opened_on},
           {"closed_on", r->closed_on ? json(*r->closed_on) : json()},
           {"clocks", clocks.clocks},
           {"deadline", clocks.deadline ? json(*clocks.deadline) : json()},
           {"steps", sj},
           {"receipt", r->ledger_index ? json{{"index", *r->ledger_index}} : json()},
           {"decision", decision ? json{{"outcome", decision->outcome},
                                        {"decided_on", decision->decided_on},
                                        {"appeal", json::parse(decision->appeal, nullptr, false)}}
                                 : json()},
           {"rated", rating.has_value()},
           {"can_rate", !rating && (r->terminal || decision.has_value())}};
    return Ok();
  }));
  return out;
}

Writer::Work CaseService::RatingWork(json request) const {
  return [this, request = std::move(request)](Tx& tx) -> Result<json> {
    if (!request.contains("receipt_code") || !request["receipt_code"].is_string()) {
      return MakeError(ErrorCode::kBadRequest, "缺少回执码（receipt_code）", "receipt_code is required");
    }
    // As a 64-bit value: a huge number must not wrap into 1..5.
    if (!request.contains("level") || !request["level"].is_number_integer() ||
        request["level"].get<std::int64_t>() < 1 || request["level"].get<std::int64_t>() > 5) {
      return MakeError(ErrorCode::kBadRequest,
                       "评价等级（level）须为 1–5：1 非常不满意 … 5 非常满意",
                       "level must be 1 (very dissatisfied) to 5 (very satisfied)");
    }
    json scores = request.value("scores", json::object());
    if (!scores.is_object() || scores.size() > 10) {
      return MakeError(ErrorCode::kBadRequest, "指标评分（scores）须为对象，最多 10 项",
                       "scores must be an object of at most 10 indicators");
    }
    for (const auto& [k, v] : scores.items()) {
      if (k.size() > 40 || !v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 5) {
        return MakeError(ErrorCode::kBadRequest, "每项指标评分须为 1–5 的整数",
                         "each indicator score must be an integer 1–5");
      }
    }
    std::string comment = request.value("comment", "");
    if (comment.size() > 2000) {
      return MakeError(ErrorCode::kBadRequest, "评价内容过长", "comment is too long");
    }
    std::string code = request["receipt_code"].get<std::string>();
    QZ_ASSIGN_OR_RETURN(auto r, store::GetCaseByReceipt(tx.conn(), code));
    if (!r) {
      return MakeError(ErrorCode::kNotFound, "回执码“" + code + "”不存在",
                       "no case has receipt code '" + code + "'");
    }
    QZ_ASSIGN_OR_RETURN(auto existing, store::RatingOfCase(tx.conn(), r->id));
    if (existing) {
      return MakeError(ErrorCode::kConflict, "该办件已评价", "this case has already been rated");
    }
    QZ_ASSIGN_OR_RETURN(auto decision, store::GetDecision(tx.conn(), r->id));
    if (!r->terminal && !decision) {
      return MakeError(ErrorCode::kConflict, "办件尚未办结，办结后方可评价",
                       "the case can be rated once it is decided");
    }
    domain::Date today = Today();
    store::RatingRecord rating;
    rating.case_id = r->id;
    rating.level = request["level"].get<int>();
    rating.scores = scores.dump();
    rating.comment = comment;
    rating.rated_on = today.ToString();
    if (rating.level <= 2) {
      auto cb = rules_.calendar.AddWorkingDays(today, settings_.callback_working_days);
      auto fix = rules_.calendar.AddWorkingDays(today, settings_.fix_working_days);
      if (!cb.ok()) return cb.take_error();
      if (!fix.ok()) return fix.take_error();
      rating.callback_due = cb->ToString();
      rating.fix_due = fix->ToString();
      rating.rectification = "open";
    }
    QZ_ASSIGN_OR_RETURN(rating.id, store::InsertRating(tx.conn(), rating, tx.now_seconds()));
    Actor actor = Actor::Public();
    actor.channel = "public";
    QZ_ASSIGN_OR_RETURN(
        Receipt receipt,
        tx.Append(cases::CaseEvent("rating.submitted", actor, *r,
                                   {{"rating_id", rating.id},
                                    {"level", rating.level},
                                    {"scores", scores},
                                    {"rectification", rating.rectification},
                                    {"fix_due", rating.fix_due ? json(*rating.fix_due) : json()}})));
    return json{{"rating_id", rating.id},
                {"level", rating.level},
                {"level_label", kLevelLabels[rating.level]},
                {"rectification", rating.rectification},
                {"callback_due", rating.callback_due ? json(*rating.callback_due) : json()},
                {"fix_due", rating.fix_due ? json(*rating.fix_due) : json()},
                {"receipt_index", receipt.index}};
  };
}

Result<json> CaseService::PublicDisclosures(const std::string& town_code, std::int64_t offset,
                                            int limit) {
  json items = json::array();
  bool more = false;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto town, store::GetRegion(c, town_code));
    if (!town || town->level != "town") {
      return MakeError(ErrorCode::kNotFound, "镇“" + town_code + "”不存在",
                       "town '" + town_code + "' does not exist");
    }
    QZ_ASSIGN_OR_RETURN(auto rows, store::ListDisclosures(c, town_code, offset, limit + 1));
    more = static_cast<int>(rows.size()) > limit;
    if (more) rows.pop_back();
    for (const auto& d : rows) items.push_back(DisclosureJson(d));
    return Ok();
  }));
  return json{{"town_code", town_code},
              {"items", items},
              {"next_cursor", more ? json(offset + limit) : json()}};
}

Writer::Work CaseService::DisclosureWork(const AuthUser& user, std::int64_t case_id,
                                         json request) const {
  return [this, user, case_id, request = std::move(request)](Tx& tx) -> Result<json> {
    std::string action = request.value("action", "");
    std::string reason = request.value("reason", "");
    QZ_ASSIGN_OR_RETURN(store::CaseRecord r, cases::LoadCaseInScope(tx.conn(), user, case_id));
    QZ_ASSIGN_OR_RETURN(std::optional<std::int64_t> person, cases::ActingPerson(tx.conn(), user));
    QZ_ASSIGN_OR_RETURN(auto d, store::GetDisclosure(tx.conn(), case_id));
    if (!d) {
      return MakeError(ErrorCode::kNotFound, "该案件没有待公开的决定",
                       "the case has no decision to disclose");
    }
    domain::Date today = Today();
    Actor actor = user.AsActor();
    actor.person_id = person;
    if (action == "publish") {
      if (d->published_on) {
        return MakeError(ErrorCode::kConflict, "已公开", "already published");
      }
      d->published_on = today.ToString();
      // No due date (its year's holidays are not loaded): flagged, never late.
      d->late = d->late || (!d->due_on.empty() && today.ToString() > d->due_on);
    } else if (action == "annul") {
      if (reason.empty() || reason.size() > 2000) {
        return MakeError(ErrorCode::kValidation, "撤销决定须写明理由", "annulling needs a reason");
      }
      if (d->withdrawn_on) return MakeError(ErrorCode::kConflict, "已撤回", "already withdrawn");
      auto due = rules_.calendar.AddWorkingDays(today, settings_.withdraw_working_days);
      if (!due.ok()) return due.take_error();
      // The reason is published and journaled: masked like every public text.
      QZ_ASSIGN_OR_RETURN(auto secrets, cases::PartySecrets(tx.conn(), r));
      reason = domain::MaskPublicText(reason, secrets);
      QZ_TRY(store::AnnulDecision(tx.conn(), case_id, today.ToString(), reason));
      d->withdraw_due = due->ToString();
      d->withdrawn_on = today.ToString();
      d->withdraw_reason = reason;
    } else {
      return MakeError(ErrorCode::kBadRequest, "action 须为 publish（公开）或 annul（撤销并撤回）",
                       "action must be publish or annul");
    }
    QZ_ASSIGN_OR_RETURN(
        Receipt receipt,
        tx.Append(cases::CaseEvent(action == "publish" ? "disclosure.published" : "disclosure.withdrawn",
                                   actor, r,
                                   {{"title", d->title},
                                    {"published_on", d->published_on ? json(*d->published_on) : json()},
                                    {"late", d->late},
                                    {"withdrawn_on", d->withdrawn_on ? json(*d->withdrawn_on) : json()},
                                    {"reason", reason}})));
    d->ledger_index = receipt.index;
    QZ_TRY(store::UpdateDisclosure(tx.conn(), *d));
    return DisclosureJson(*d);
  };
}

Writer::Work CaseService::RectificationWork(const AuthUser& user, std::int64_t rating_id,
                                            json request) const {
  return [this, user, rating_id, request = std::move(request)](Tx& tx) -> Result<json> {
    std::string action = request.value("action", "");
    QZ_ASSIGN_OR_RETURN(auto rating, store::GetRating(tx.conn(), rating_id));
    if (!rating) {
      return MakeError(ErrorCode::kNotFound, "评价不存在", "no such rating");
    }
    QZ_ASSIGN_OR_RETURN(store::CaseRecord r, cases::LoadCaseInScope(tx.conn(), user, rating->case_id));
    QZ_ASSIGN_OR_RETURN(std::optional<std::int64_t> person, cases::ActingPerson(tx.conn(), user));
    std::string to;
    if (action == "callback" && rating->rectification == "open") {
      to = "called_back";
    } else if (action == "fixed" &&
               (rating->rectification == "open" || rating->rectification == "called_back" ||
                rating->rectification == "overdue")) {
      to = "fixed";
    } else {
      return MakeError(ErrorCode::kConflict,
                       "整改状态为“" + rating->rectification + "”，不能执行“" + action + "”",
                       "rectification is '" + rating->rectification + "'; cannot '" + action + "'");
    }
    QZ_TRY(store::UpdateRectification(tx.conn(), rating_id, to));
    Actor actor = user.AsActor();
    actor.person_id = person;
    QZ_ASSIGN_OR_RETURN(Receipt receipt,
                        tx.Append(cases::CaseEvent("rating.rectification", actor, r,
                                                   {{"rating_id", rating_id},
                                                    {"state", to},
                                                    {"note", request.value("note", "")}})));
    return json{{"rating_id", rating_id}, {"rectification", to}, {"receipt_index", receipt.index}};
  };
}

}  // namespace quanze::app
