// Staffing requests the domain's Change does not model: fixing or lowering a
// quota baseline (编制基数, town or county) and setting the town's weight in
// the assessment of a dispatched agency. Each runs inside a unit of work and
// journals its event, or its refusal.
#pragma once

#include <nlohmann/json.hpp>

#include "app/accounts.h"
#include "app/writer.h"
#include "domain/staffing_rules.h"

namespace quanze::app::staffing {

// {"type": "fix_baseline", "region": CODE, "totals": {kind: count}?, "document": "..."}:
// fixes the baseline of a town or county (default: its current totals); a
// baseline already fixed may only be lowered (kRuleViolation otherwise).
Result<nlohmann::json> FixBaselineInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                       const nlohmann::json& request,
                                       const domain::StaffingSettings& s);

// {"type": "set_assessment_weight", "agency": ID, "town_assessment_weight": 0.6}
Result<nlohmann::json> SetAssessmentWeightInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                               const nlohmann::json& request,
                                               const domain::StaffingSettings& s);

}  // namespace quanze::app::staffing
