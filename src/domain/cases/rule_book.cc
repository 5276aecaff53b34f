// Reading data/rules/cases.json (format in rule_book.h) and looking rules up.
#include "domain/cases/rule_book.h"

#include "domain/data_reader.h"

namespace quanze::domain::cases {
namespace {

using detail::Reader;
using nlohmann::json;

void ReadDisclosure(Reader& r, const json& doc, CaseRuleBook& book) {
  r.Array(doc, "", "disclosure", true, [&](const json& j, const std::string& p) {
    if (!r.Object(j, p, {"procedure", "outcome", "kind", "title_zh", "basis"})) return;
    book.disclosure.push_back({r.String(j, p, "procedure", true), r.String(j, p, "outcome", true),
                               r.String(j, p, "kind", true), r.String(j, p, "title_zh", true),
                               r.String(j, p, "basis", true)});
  });
}

void ReadPeriods(Reader& r, const json& doc, CaseRuleBook& book) {
  if (auto it = doc.find("appeal");
      it != doc.end() && r.Object(*it, "appeal",
                                  {"reconsideration_days", "reconsideration_basis",
                                   "litigation_months", "litigation_basis"})) {
    book.appeal.reconsideration_days = r.Int(*it, "appeal", "reconsideration_days", 60, 1);
    book.appeal.reconsideration_basis = r.String(*it, "appeal", "reconsideration_basis", true);
    book.appeal.litigation_months = r.Int(*it, "appeal", "litigation_months", 6, 1);
    book.appeal.litigation_basis = r.String(*it, "appeal", "litigation_basis", true);
  } else if (it == doc.end()) {
    r.Fail("appeal", "缺少必填字段", "required field missing");
  }
  if (auto it = doc.find("limitation");
      it != doc.end() && r.Object(*it, "limitation", {"years", "serious_harm_years", "basis"})) {
    book.limitation.years = r.Int(*it, "limitation", "years", 2, 1);
    book.limitation.serious_harm_years = r.Int(*it, "limitation", "serious_harm_years", 5, 1);
    book.limitation.basis = r.String(*it, "limitation", "basis", true);
  }
  if (auto it = doc.find("late_payment");
      it != doc.end() && r.Object(*it, "late_payment", {"daily_permille", "basis"})) {
    book.late_payment.daily_permille = r.Int(*it, "late_payment", "daily_permille", 30, 1);
    book.late_payment.basis = r.String(*it, "late_payment", "basis", true);
  }
}

void ReadProcedures(Reader& r, const json& doc, CaseRuleBook& book) {
  r.Array(doc, "", "procedures", true, [&](const json& j, const std::string& p) {
    if (!r.Object(j, p, {"kind", "procedures"})) return;
    book.procedures.push_back({r.String(j, p, "kind", true), r.Strings(j, p, "procedures")});
    if (book.procedures.back().procedures.empty()) {
      r.Fail(Reader::Join(p, "procedures"), "至少列出一个程序", "list at least one procedure");
    }
  });
}

void ReadClauses(Reader& r, const json& doc, CaseRuleBook& book) {
  r.Array(doc, "", "clauses", false, [&](const json& j, const std::string& p) {
    if (!r.Object(j, p, {"trigger", "patterns"})) return;
    book.clauses.push_back({r.String(j, p, "trigger", true), r.Strings(j, p, "patterns")});
  });
}

}  // namespace

const DisclosureRule* CaseRuleBook::DisclosureFor(std::string_view procedure_id,
                                                  std::string_view outcome) const {
  for (const DisclosureRule& d : disclosure) {
    if (d.procedure_id == procedure_id && d.outcome == outcome) return &d;
  }
  return nullptr;
}

std::string CaseRuleBook::ClauseFor(std::string_view trigger,
                                    std::span<const std::string> item_clauses) const {
  if (item_clauses.empty()) return "";
  for (const ClauseRule& rule : clauses) {
    if (rule.trigger != trigger) continue;
    for (const std::string& pattern : rule.patterns) {
      for (const std::string& clause : item_clauses) {
        if (clause.find(pattern) != std::string::npos) return clause;
      }
    }
  }
  return item_clauses.back();
}

Result<std::string> CaseRuleBook::ProcedureFor(std::string_view kind,
                                               std::string_view requested) const {
  for (const KindProcedures& k : procedures) {
    if (k.kind != kind) continue;
    if (requested.empty()) return k.procedures.front();
    for (const std::string& id : k.procedures) {
      if (id == requested) return id;
    }
    json allowed(k.procedures);
    return MakeError(
        ErrorCode::kValidation,
        "程序“" + std::string(requested) + "”不适用于此类事项（" + std::string(kind) + "）",
        "procedure '" + std::string(requested) + "' does not apply to items of kind " +
            std::string(kind),
        {{"kind", kind}, {"procedures", allowed}});
  }
  json kinds = json::array();
  for (const KindProcedures& k : procedures) kinds.push_back(k.kind);
  return MakeError(ErrorCode::kValidation, "此类事项（" + std::string(kind) + "）尚无办理程序",
                   "there is no procedure for items of kind " + std::string(kind),
                   {{"kind", kind}, {"kinds_with_procedures", kinds}});
}

Result<CaseRuleBook> ParseCaseRuleBook(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) {
    return MakeError(ErrorCode::kBadRequest, "案件规则文件不是有效的JSON",
                     "the case rule file is not valid JSON");
  }
  Reader r;
  CaseRuleBook book;
  if (r.Object(doc, "",
               {"disclosure", "procedures", "appeal", "limitation", "late_payment", "clauses"})) {
    ReadDisclosure(r, doc, book);
    ReadProcedures(r, doc, book);
    ReadPeriods(r, doc, book);
    ReadClauses(r, doc, book);
  }
  if (!r.ok()) {
    return MakeError(ErrorCode::kValidation, "案件规则文件无效", "invalid case rule file",
                     {{"errors", r.TakeErrors()}});
  }
  return book;
}

}  // namespace quanze::domain::cases
