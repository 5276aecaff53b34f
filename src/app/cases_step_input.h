// The typed command of a case step, read from its JSON request at the edge:
// every field checked for type and size, errors naming the field in Chinese
// and English (kBadRequest). Request shape: docs/cases.md §9.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/cases/decide.h"

namespace quanze::app::cases {

// {"step", "on"?, "officers"?, "documents"?, "facts"?, "reason"?,
//  "extension_days"?, "limit_days"?, "backdate_reason"?,
//  "decision"?: {"content", "tier", "amount_fen", "base_fen", "confiscation_fen",
//                "licence_revoked_or_closure", "written_reason"},
//  "proposal"?: {"tier", "amount_fen", "base_fen", "confiscation_fen",
//                "licence_revoked_or_closure"},
//  "violation"?: {"committed_on", "discovered_on", "serious_harm"},
//  "receipt_number"?}. `on` defaults to `today`. The performer is not read
// from the request: it is the signed-in account's person.
Result<domain::cases::CaseCommand> ParseStepCommand(const nlohmann::json& request,
                                                    domain::Date today);

}  // namespace quanze::app::cases
