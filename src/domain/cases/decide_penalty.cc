// What a step records (violation dates, the notice's proposed penalty, a fine
// collected on the spot) and the rules of a penalty decision. Articles are of
// 行政处罚法 (2021) unless named otherwise; texts in
// ../shared/reference/laws/administrative-penalty-law-2021.md.
#include <algorithm>

#include "domain/cases/decide_internal.h"

namespace quanze::domain::cases::internal {
namespace {

constexpr const char* kHearingRightsNotified = "hearing_rights_notified";
constexpr const char* kFineImposed = "fine_imposed";
constexpr const char* kLegalReviewPassed = "legal_review_passed";

bool Blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

Refusal Refused(RefusalKind kind, Error e, std::optional<AccountabilityDuty> duty = std::nullopt) {
  return Refusal{kind, std::move(e), std::move(duty)};
}

Error Invalid(std::string zh, std::string en, nlohmann::json detail = nullptr) {
  return MakeError(ErrorCode::kValidation, std::move(zh), std::move(en), std::move(detail));
}

PartyKind Party(const CaseFacts& f) {
  return f.party_kind == "natural_person" ? PartyKind::kNaturalPerson : PartyKind::kOrganisation;
}

// The same day `years` later (29 February → 28 February).
Date YearsLater(Date d, int years) {
  auto r = Date::FromYmd(d.year() + years, d.month(), d.day());
  return r.ok() ? *r : Date::FromYmd(d.year() + years, d.month(), d.day() - 1).value();
}

// 第三十六条: discovered within two years (five with serious harm) of the day
// the violation was committed or, if continuing, ended.
std::optional<Error> CheckLimitation(const LimitationRule& rule, const ViolationDates& v) {
  const int years = v.serious_harm ? rule.serious_harm_years : rule.years;
  const Date last = YearsLater(v.committed_on, years);
  if (v.discovered_on <= last) return std::nullopt;
  return Rule("违法行为于" + v.committed_on.ToString() + "发生（或终了），至" +
                  v.discovered_on.ToString() + "才被发现，已超过" + std::to_string(years) +
                  "年，不再给予行政处罚（行政处罚法 第三十六条）",
              "the violation of " + v.committed_on.ToString() + " was discovered on " +
                  v.discovered_on.ToString() + ", more than " + std::to_string(years) +
                  " years later: no penalty may be imposed (Administrative Penalty Law art. 36)",
              {{"guard", "limitation"},
               {"committed_on", v.committed_on.ToString()},
               {"discovered_on", v.discovered_on.ToString()},
               {"years", years},
               {"last_day", last.ToString()}});
}

std::optional<Refusal> RecordViolation(const CaseRules& rules, const CaseCommand& cmd,
                                       Findings& found) {
  if (!cmd.violation) {
    return Refused(RefusalKind::kRefused,
                   Invalid("须记录违法行为发生（或终了）日期和发现日期（violation.committed_on、"
                           "violation.discovered_on，行政处罚法 第三十六条）",
                           "violation.committed_on and violation.discovered_on are required "
                           "(Administrative Penalty Law art. 36)",
                           {{"guard", "violation"}, {"needs", {"violation"}}}));
  }
  const ViolationDates& v = *cmd.violation;
  if (v.committed_on > v.discovered_on || v.discovered_on > cmd.step.on) {
    return Refused(RefusalKind::kRefused,
                   Invalid("违法行为日期不能晚于发现日期，发现日期不能晚于本步骤日期",
                           "the violation must precede its discovery, and the discovery this step",
                           {{"guard", "violation"}}));
  }
  if (v.serious_harm && Blank(cmd.step.reason)) {
    return Refused(RefusalKind::kRefused,
                   Rule("适用五年追责期限须写明涉及生命健康安全或金融安全且有危害后果的理由",
                        "the five-year period needs a written reason (life, health or financial "
                        "safety involved and harm followed)",
                        {{"guard", "reason"}}));
  }
  if (auto e = CheckLimitation(rules.book.limitation, v)) {
    return Refused(RefusalKind::kDecisionRefused, std::move(*e));
  }
  found.state.violation = v;
  return std::nullopt;
}

// 第四十四条: the notice states the proposed penalty; 第六十三条: a proposal at
// or above the thresholds carries the right to a hearing.
std::optional<Refusal> RecordProposal(const CaseRules& rules, const CaseFacts& facts,
                                      const CaseCommand& cmd, const DecideSettings& settings,
                                      Findings& found) {
  if (!cmd.proposal) {
    return Refused(RefusalKind::kRefused,
                   Invalid("告知须载明拟作出的行政处罚（proposal：tier、amount_fen 等，行政处罚法 "
                           "第四十四条）",
                           "the notice must state the proposed penalty (proposal; Administrative "
                           "Penalty Law art. 44)",
                           {{"guard", "proposal"}, {"needs", {"proposal"}}}));
  }
  const PenaltyTerms& p = *cmd.proposal;
  // A notice may propose only what the benchmark and the law allow (a warning
  // has no tier and no amount).
  const bool warning = p.tier.empty() && p.amount_fen == 0 && p.confiscation_fen == 0;
  if (const DiscretionBenchmark* b = FindBenchmark(rules.benchmarks, facts.power_code, facts.party_kind);
      b != nullptr && !warning) {
    if (b->FindTier(p.tier) == nullptr) {
      return Refused(RefusalKind::kDecisionRefused,
                     Invalid("拟处罚的裁量阶次“" + p.tier + "”不在该事项的裁量基准中",
                             "the proposed tier " + p.tier + " is not in the item's benchmark",
                             {{"guard", "proposal"}, {"tier", p.tier}}));
    }
    if (Status ok = CheckStatutoryRange(*b, p.tier, p.amount_fen, cmd.proposal_base_fen); !ok.ok()) {
      Error e = ok.take_error();
      e.code = ErrorCode::kValidation;
      if (e.detail.is_object()) e.detail["guard"] = "statutory_range";
      return Refused(RefusalKind::kDecisionRefused, std::move(e));
    }
  }
  found.state.proposal = p;
  if (HearingRequired(settings.hearing, Party(facts), p.amount_fen, p.confiscation_fen,
                      p.licence_revoked_or_closure)) {
    found.command.established.insert(kHearingRightsNotified);
  }
  return std::nullopt;
}

// 第六十八至七十条: on-the-spot collection of a decided fine, with the
// province's receipt.
std::optional<Refusal> RecordCollection(const CaseRules& rules, const CaseCommand& cmd,
                                        const Findings& found) {
  if (found.state.fine_fen <= 0) {
    return Refused(RefusalKind::kRefused,
                   Rule("本案没有罚款决定，不能当场收缴", "no fine was decided; nothing to collect",
                        {{"guard", "collection"}}));
  }
  if (Blank(cmd.receipt_number)) {
    return Refused(RefusalKind::kRefused,
                   Invalid("当场收缴罚款须出具省级财政部门统一制发的专用票据并填写票据号"
                           "（receipt_number，行政处罚法 第七十条）",
                           "on-the-spot collection needs the official receipt number "
                           "(receipt_number; Administrative Penalty Law art. 70)",
                           {{"guard", "collection"}, {"needs", {"receipt_number"}}}));
  }
  const std::int64_t cap = rules.procedure.limits ? rules.procedure.limits->collect_on_spot_fen : 0;
  if (found.state.fine_fen > cap && Blank(cmd.step.reason)) {
    return Refused(
        RefusalKind::kDecisionRefused,
        Rule("罚款超过" + FormatYuan(cap) +
                 "的，只有不当场收缴事后难以执行时才能当场收缴，须写明理由（行政处罚法 "
                 "第六十八条）",
             "a fine above " + FormatYuan(cap) +
                 " may be collected on the spot only when it would be hard to "
                 "execute later, with a written reason (art. 68)",
             {{"guard", "collection"}, {"limit_fen", cap}, {"amount_fen", found.state.fine_fen}}));
  }
  return std::nullopt;
}

std::optional<Refusal> OutOfRange(const CaseCommand& cmd, const ProcedureStep& step, Error e,
                                  const char* guard) {
  e.code = ErrorCode::kValidation;  // 422: the amount is not allowed
  if (e.detail.is_object()) e.detail["guard"] = guard;
  AccountabilityDuty duty = Duty("out_of_range_attempt", cmd.performer_id, step);
  duty.tier = cmd.decision->terms.tier;
  duty.amount_fen = cmd.decision->terms.amount_fen;
  return Refused(RefusalKind::kDecisionRefused, std::move(e), std::move(duty));
}

// 第四十五条: the decision may not be heavier than the notice proposed.
std::optional<Error> HeavierThanProposed(const PenaltyTerms& proposed, const PenaltyTerms& d) {
  if (d.amount_fen <= proposed.amount_fen && d.confiscation_fen <= proposed.confiscation_fen &&
      (!d.licence_revoked_or_closure || proposed.licence_revoked_or_closure)) {
    return std::nullopt;
  }
  return Invalid("决定不得重于告知书载明的拟处罚（拟罚款" + FormatYuan(proposed.amount_fen) +
                     "）；不得因当事人陈述、申辩而加重处罚，需加重的应重新告知（行政处罚法 "
                     "第四十五条）",
                 "the decision may not be heavier than the penalty proposed in the notice (" +
                     FormatYuan(proposed.amount_fen) + "); re-notify to propose more (art. 45)",
                 {{"guard", "proposal"},
                  {"proposed_amount_fen", proposed.amount_fen},
                  {"amount_fen", d.amount_fen}});
}

std::optional<Refusal> DecidePenalty(const CaseRules& rules, const CaseFacts& facts,
                                     const CaseCommand& cmd, const DecideSettings& settings,
                                     const ProcedureStep& step, Findings& found) {
  const DecisionInput& d = *cmd.decision;
  const PenaltyTerms& t = d.terms;
  const bool warning = t.tier.empty() && t.amount_fen == 0 && t.confiscation_fen == 0 &&
                       !t.licence_revoked_or_closure;
  if (warning) {  // 警告 (第九条(一)): no amount, no benchmark tier
    found.decided = t;
    return std::nullopt;
  }
  const DiscretionBenchmark* b =
      FindBenchmark(rules.benchmarks, facts.power_code, facts.party_kind);
  if (b == nullptr) {
    return Refused(RefusalKind::kDecisionRefused,
                   Invalid("事项“" + facts.power_code + "”没有公布的裁量基准，不能作出罚款决定",
                           "item '" + facts.power_code + "' has no published discretion benchmark",
                           {{"guard", "benchmark"}}));
  }
  if (const DiscretionTier* tier = b->FindTier(t.tier); tier != nullptr && tier->no_penalty) {
    return Refused(
        RefusalKind::kDecisionRefused,
        Invalid("阶次“" + tier->label_zh + "”为不予处罚，应作出不予行政处罚决定（第三十三条）",
                "tier " + t.tier + " means no penalty: decide not to impose one (art. 33)",
                {{"guard", "tier"}, {"tier", t.tier}}));
  }
  PenaltyProposal pp{t.tier, t.amount_fen, d.base_fen, d.written_reason,
                     facts.state.facts.contains(kLegalReviewPassed)};
  if (Status ok = CheckPenalty(*b, pp); !ok.ok()) {
    Error e = ok.take_error();
    if (e.code != ErrorCode::kRuleViolation) return Refused(RefusalKind::kDecisionRefused, e);
    return OutOfRange(cmd, step, std::move(e), "discretion");
  }
  if (Status ok = CheckStatutoryRange(*b, t.tier, t.amount_fen, d.base_fen); !ok.ok()) {
    Error e = ok.take_error();
    if (e.code != ErrorCode::kRuleViolation) return Refused(RefusalKind::kDecisionRefused, e);
    return OutOfRange(cmd, step, std::move(e), "statutory_range");
  }
  if (const auto& limits = rules.procedure.limits) {  // 第五十一条
    const std::int64_t cap = Party(facts) == PartyKind::kNaturalPerson ? limits->natural_person_fen
                                                                       : limits->organisation_fen;
    if (t.amount_fen > cap) {
      return Refused(
          RefusalKind::kDecisionRefused,
          Invalid(
              "当场处罚的罚款不得超过 " + FormatYuan(cap) +
                  "（行政处罚法 第五十一条），请转一般程序",
              "an on-the-spot fine may not exceed " + FormatYuan(cap) +
                  " (Administrative Penalty Law art. 51); use the general procedure",
              {{"guard", "on_the_spot_cap"}, {"limit_fen", cap}, {"amount_fen", t.amount_fen}}));
    }
  }
  if (facts.state.proposal) {
    if (auto e = HeavierThanProposed(*facts.state.proposal, t)) {
      return Refused(RefusalKind::kDecisionRefused, std::move(*e));
    }
  }
  if (HearingRequired(settings.hearing, Party(facts), t.amount_fen, t.confiscation_fen,
                      t.licence_revoked_or_closure) &&
      !facts.state.facts.contains(kHearingRightsNotified)) {
    return Refused(
        RefusalKind::kDecisionRefused,
        Invalid("较大数额罚款等须先告知当事人有要求听证的权利：告知书载明的拟处罚未达听证"
                "标准，需重新告知（行政处罚法 第六十三条）",
                "this penalty requires notice of the right to a hearing, which the "
                "notice did not give (Administrative Penalty Law art. 63)",
                {{"guard", "hearing"},
                 {"missing_fact", kHearingRightsNotified},
                 {"amount_fen", t.amount_fen}}));
  }
  if (facts.state.violation) {
    if (auto e = CheckLimitation(rules.book.limitation, *facts.state.violation)) {
      return Refused(RefusalKind::kDecisionRefused, std::move(*e));
    }
  }
  found.decided = t;
  found.state.fine_fen = t.amount_fen;
  if (t.amount_fen > 0) found.command.established.insert(kFineImposed);
  return std::nullopt;
}

bool RecordsViolation(const Procedure& p) {
  return std::any_of(p.steps.begin(), p.steps.end(),
                     [](const ProcedureStep& s) { return s.records == "violation"; });
}

}  // namespace

std::optional<Refusal> Record(const CaseRules& rules, const CaseFacts& facts,
                              const CaseCommand& cmd, const DecideSettings& settings,
                              const ProcedureStep& step, Findings& found) {
  std::optional<Refusal> r;
  if (step.records == "violation") r = RecordViolation(rules, cmd, found);
  if (!r && step.records == "proposal") r = RecordProposal(rules, facts, cmd, settings, found);
  if (!r && step.records == "collection") r = RecordCollection(rules, cmd, found);
  if (r || !step.decision) return r;
  if (!cmd.decision || Blank(cmd.decision->content)) {
    return Refused(RefusalKind::kRefused,
                   Invalid("决定步骤须填写决定内容（decision.content）",
                           "a decision step needs decision.content",
                           {{"guard", "decision_content"}, {"needs", {"decision.content"}}}));
  }
  if (step.outcome != "penalty") return std::nullopt;
  if (RecordsViolation(rules.procedure) && !facts.state.violation) {
    return Refused(
        RefusalKind::kDecisionRefused,
        Invalid("本案未记录违法行为发生和发现日期，不能作出处罚决定（行政处罚法 第三十六条）",
                "the violation's dates are not on record; no penalty may be decided "
                "(Administrative Penalty Law art. 36)",
                {{"guard", "violation"}, {"needs", {"violation"}}}));
  }
  return DecidePenalty(rules, facts, cmd, settings, step, found);
}

}  // namespace quanze::domain::cases::internal
