// What a step that passed every check produces: the decision record with
// its responsible person (谁审批谁负责), the appeal routes counted from
// service (送达), the duty to disclose (公开) under the rule book's title, and
// the late-payment surcharge.
#include <algorithm>

#include "domain/cases/decide_internal.h"
#include "domain/disclosure.h"

namespace quanze::domain::cases {
namespace {

// The same day `months` later, clamped to the month's end.
Date MonthsLater(Date d, int months) {
  int y = d.year(), m = d.month() - 1 + months;
  y += m / 12;
  m = m % 12 + 1;
  for (int day = d.day(); day >= 28; --day) {
    auto r = Date::FromYmd(y, m, day);
    if (r.ok()) return *r;
  }
  return Date::FromYmd(y, m, d.day()).value();
}

void SetDeadline(AppealRoute& r, Result<Date> deadline) {
  if (deadline.ok()) {
    r.deadline = *deadline;
    return;
  }
  // The last day may fall on a holiday of a year whose schedule is not loaded.
  r.flag_zh = deadline.error().message_zh;
  r.flag_en = deadline.error().message_en;
}

}  // namespace

AppealRoutes AppealRoutesFrom(const CaseRuleBook& book, const HolidayCalendar& calendar,
                              Date served_on, const std::string& county_name) {
  AppealRoutes a;
  a.served_on = served_on;
  a.reconsideration.body = county_name + "人民政府";
  a.reconsideration.days = book.appeal.reconsideration_days;
  a.reconsideration.basis = book.appeal.reconsideration_basis;
  SetDeadline(a.reconsideration, calendar.AddCalendarDays(served_on, a.reconsideration.days));
  a.litigation.body = county_name + "人民法院";
  a.litigation.months = book.appeal.litigation_months;
  a.litigation.basis = book.appeal.litigation_basis;
  // Months, the last day moved past rest days and holidays like any period.
  SetDeadline(a.litigation,
              calendar.AddCalendarDays(MonthsLater(served_on, a.litigation.months), 0));
  return a;
}

LatePayment LatePaymentOn(const LatePaymentRule& rule, std::int64_t fine_fen, Date deadline,
                          Date on) {
  LatePayment out;
  if (on <= deadline || fine_fen <= 0) return out;
  out.days_late = on.days_since_epoch() - deadline.days_since_epoch();
  const std::int64_t per_day = fine_fen * rule.daily_permille / 1000;
  out.surcharge_fen = std::min(fine_fen, per_day * out.days_late);
  return out;
}

namespace internal {

void Produce(const CaseRules& rules, const CaseFacts& facts, const CaseCommand& cmd,
             const DecideSettings& settings, const ProcedureStep& step, const Findings& found,
             Outcome& out) {
  const Date on = cmd.step.on;
  if (step.decision && cmd.decision) {
    DecisionRecord d;
    d.outcome = step.outcome.empty() ? step.code : step.outcome;
    d.content = cmd.decision->content;
    if (found.decided) {
      d.tier = found.decided->tier;
      d.amount_fen = found.decided->amount_fen;
      d.confiscation_fen = found.decided->confiscation_fen;
    }
    d.responsible_id = cmd.performer_id;
    if (const OfficerFact* p =
            facts.authority ? facts.authority->FindOfficer(cmd.performer_id) : nullptr) {
      d.responsible_name = p->name;
      d.responsible_post = p->post;
    }
    d.decided_on = on;
    const std::string outcome = d.outcome;
    out.decision = std::move(d);
    if (const DisclosureRule* rule = rules.book.DisclosureFor(rules.procedure.id, outcome)) {
      DisclosureDuty duty;
      duty.kind = rule->kind;
      duty.title = MaskPublicText(rule->title_zh + "：" + facts.power_name, facts.secrets);
      duty.content = MaskPublicText(cmd.decision->content, facts.secrets);
      duty.decided_on = on;
      duty.basis = rule->basis;
      auto due = rules.calendar.AddWorkingDays(on, settings.disclosure_working_days);
      if (due.ok()) {
        duty.due_on = *due;
      } else {  // flagged, never guessed: no late-disclosure record can follow
        duty.flag_zh = due.error().message_zh;
        duty.flag_en = due.error().message_en;
      }
      out.disclosure = std::move(duty);
    }
  }
  if (step.serves_decision) {
    out.appeal = AppealRoutesFrom(rules.book, rules.calendar, on, facts.county_name);
  }
}

}  // namespace internal
}  // namespace quanze::domain::cases
