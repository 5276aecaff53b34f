// Fuzz target: the case rule book (domain::cases::ParseCaseRuleBook,
// data/rules/cases.json) and its lookups.
//
// Input: the file's bytes.
// Properties: no crash; refusals are kBadRequest or kValidation values with
// UTF-8 messages; in an accepted book every kind's default procedure is its
// first, each listed procedure is accepted as requested, an unlisted one is a
// kValidation value, and every disclosure rule is found again by its
// procedure and outcome.
#include <cstdint>

#include "domain/cases/rule_book.h"
#include "fuzz/fuzz_support.h"

using namespace quanze::domain::cases;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto book = ParseCaseRuleBook(quanze::fuzz::AsText(data, size));
  if (!book.ok()) {
    quanze::fuzz::CheckErrorValue(book.error());
    FUZZ_CHECK(book.error().code == quanze::ErrorCode::kBadRequest ||
                   book.error().code == quanze::ErrorCode::kValidation,
               book.error().Describe());
    return 0;
  }
  for (const KindProcedures& k : book->procedures) {
    auto first = book->ProcedureFor(k.kind, "");
    if (k.procedures.empty()) {
      FUZZ_CHECK(!first.ok(), "a kind without procedures has a default");
      continue;
    }
    // The first entry of a kind listed twice wins; only check the kind's first entry.
    if (!first.ok() || *first != k.procedures.front()) continue;
    for (const std::string& p : k.procedures) {
      auto r = book->ProcedureFor(k.kind, p);
      FUZZ_CHECK(r.ok() && *r == p, k.kind + "/" + p);
    }
    auto other = book->ProcedureFor(k.kind, "\x01not-a-procedure");
    FUZZ_CHECK(!other.ok() && other.error().code == quanze::ErrorCode::kValidation, k.kind);
    quanze::fuzz::CheckErrorValue(other.error());
  }
  for (const DisclosureRule& d : book->disclosure) {
    FUZZ_CHECK(book->DisclosureFor(d.procedure_id, d.outcome) != nullptr,
               d.procedure_id + "/" + d.outcome);
  }
  FUZZ_CHECK(book->ClauseFor("overdue", {}).empty(), "a clause from an item with none");
  return 0;
}
