// The properties shared by the two staffing import targets.
#pragma once

#include <set>

#include "domain/staffing_io.h"
#include "fuzz/fuzz_support.h"

namespace quanze::fuzz {

// A parsed register keeps its promises (staffing_io.h): ids unique and
// positive within a town, totals that add up. A refusal is a kBadRequest or
// kValidation value whose messages and problems are UTF-8.
inline void CheckRegister(const Result<domain::StaffingRegister>& r) {
  if (!r.ok()) {
    CheckErrorValue(r.error());
    FUZZ_CHECK(r.error().code == ErrorCode::kBadRequest || r.error().code == ErrorCode::kValidation,
               r.error().Describe());
    return;
  }
  std::int64_t persons = 0, agencies = 0;
  for (const domain::RegisterTown& t : r->towns) {
    std::set<domain::Id> agency_ids, person_ids;
    for (const auto& a : t.staffing.agencies) {
      FUZZ_CHECK(a.id > 0 && agency_ids.insert(a.id).second, "agency id " + std::to_string(a.id));
    }
    for (const auto& p : t.staffing.persons) {
      FUZZ_CHECK(p.id > 0 && person_ids.insert(p.id).second, "person id " + std::to_string(p.id));
    }
    persons += static_cast<std::int64_t>(t.staffing.persons.size());
    agencies += static_cast<std::int64_t>(t.staffing.agencies.size());
  }
  FUZZ_CHECK(persons == r->persons && agencies == r->agencies, "register totals");
}

// Same outcome for the same text: both parsed, or both refused alike.
inline void CheckSameOutcome(const Result<domain::StaffingRegister>& a,
                             const Result<domain::StaffingRegister>& b) {
  FUZZ_CHECK(a.ok() == b.ok(), "GB18030 and UTF-8 disagree");
  if (a.ok()) {
    FUZZ_CHECK(a->persons == b->persons && a->agencies == b->agencies &&
                   a->towns.size() == b->towns.size(),
               "GB18030 gives another register");
  } else {
    FUZZ_CHECK(a.error().code == b.error().code && a.error().detail == b.error().detail,
               a.error().Describe() + " vs " + b.error().Describe());
  }
}

}  // namespace quanze::fuzz
