// Fuzz target: procedure files (domain::ParseProcedure, data/procedures/*.json).
//
// Input: the file's bytes.
// Properties: no crash; refusals are kBadRequest or kValidation values with
// UTF-8 messages; an accepted procedure keeps the promises of procedure.h:
// the initial state exists, every state and clock a step names exists,
// codes are unique, terminal states have no steps and the others have some.
#include <cstdint>
#include <set>

#include "domain/procedure.h"
#include "fuzz/fuzz_support.h"

using namespace quanze::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = ParseProcedure(quanze::fuzz::AsText(data, size));
  if (!p.ok()) {
    quanze::fuzz::CheckErrorValue(p.error());
    FUZZ_CHECK(p.error().code == quanze::ErrorCode::kBadRequest ||
                   p.error().code == quanze::ErrorCode::kValidation,
               p.error().Describe());
    return 0;
  }
  FUZZ_CHECK(p->FindState(p->initial_state) != nullptr, "initial state " + p->initial_state);
  std::set<std::string> codes;
  for (const ProcedureState& s : p->states) {
    FUZZ_CHECK(codes.insert(s.code).second, "state code repeated: " + s.code);
    FUZZ_CHECK(s.terminal == p->StepsFrom(s.code).empty(), "steps of state " + s.code);
  }
  codes.clear();
  for (const ProcedureStep& step : p->steps) {
    FUZZ_CHECK(codes.insert(step.code).second, "step code repeated: " + step.code);
    FUZZ_CHECK(p->FindStep(step.code) == &step, step.code);
    for (const std::string& from : step.from) FUZZ_CHECK(p->FindState(from) != nullptr, from);
    FUZZ_CHECK(step.to.empty() || p->FindState(step.to) != nullptr, step.to);
    for (const ClockOp& op : step.clock_ops) FUZZ_CHECK(p->FindClock(op.clock) != nullptr, op.clock);
    for (const std::string& after : step.guard.after_steps) {
      FUZZ_CHECK(p->FindStep(after) != nullptr, after);
    }
  }
  for (const std::string& c : p->opening_clock_starts) FUZZ_CHECK(p->FindClock(c) != nullptr, c);
  return 0;
}
