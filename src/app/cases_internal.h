// Helpers shared by the cases*.cc files of CaseService. Not a public API.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app/cases.h"
#include "domain/cases/decide.h"
#include "domain/procedure.h"
#include "store/case_store.h"
#include "store/records.h"

namespace quanze::app::cases {

using nlohmann::json;

// CaseState <-> the JSON text stored in cases.state_json:
//   {"state", "done_steps":[...], "facts":[...], "documents":[...],
//    "opened_on", "last_step_on",
//    "clocks": {id: {"started","stopped","suspensions":[{"from","to","reason"}],
//                    "extension_days","extensions","limit_days"}}}
//    and, when present, "violation", "proposal" (TermsJson), "fine_fen", "flags"
json CaseStateToJson(const domain::CaseState& s);
json TermsJson(const domain::PenaltyTerms& t);
Result<domain::CaseState> CaseStateFromJson(const std::string& text);

// The clocks of a case evaluated on `today` (json array) and the summary
// written on the case row: the earliest deadline of a running statutory
// clock, its status, limit and (once stopped) the days used.
struct ClockSummary {
  json clocks = json::array();
  std::optional<std::string> deadline;
  std::string status = "not_started";
  std::int64_t limit_days = 0;
  std::optional<std::int64_t> days_used;
  std::optional<domain::cases::LatePayment> late_payment;  // the party's fine, paid late
};
ClockSummary SummariseClocks(const domain::Procedure& p, const domain::CaseState& s,
                             domain::Date today, const CaseRules& rules,
                             const CaseSettings& settings);

// The procedure for a power kind ("licensing" → licensing, "penalty" →
// penalty_general or penalty_summary when asked, "inspection" → inspection).
Result<const domain::Procedure*> ProcedureFor(const CaseRules& rules, const std::string& kind,
                                              const std::string& requested);

// The town (a region of level town) if the user's scope covers it.
Result<store::RegionRecord> TownInScope(store::Connection& c, const AuthUser& user,
                                        const std::string& town_code);

// The person linked to the account; kAuthorityDenied when none (an account
// without a real name cannot act on a case).
Result<std::int64_t> PersonOf(store::Connection& c, const AuthUser& user);

// PersonOf for signed-in users; none for the system user (id 0: CLI, demo).
Result<std::optional<std::int64_t>> ActingPerson(store::Connection& c, const AuthUser& user);

// Loads a case the user may see; kNotFound / kForbidden.
Result<store::CaseRecord> LoadCaseInScope(store::Connection& c, const AuthUser& user,
                                          std::int64_t case_id);

// Opens an accountability record and journals "accountability.opened".
// kConflict (harmless for sweeps) when the same record already exists.
// detail gets "clause": the catalogue item's 追责情形 the trigger falls under
// (CaseRuleBook::ClauseFor), so the record reads as the catalogue promised.
Status OpenAccountability(Tx& tx, const CaseRules& rules, const std::string& power_code,
                          store::AccountabilityRecord record);

// The clear personal values of the case's party (name of a natural person,
// ID number, phone), to mask them in every published text.
Result<std::vector<std::string>> PartySecrets(store::Connection& c, const store::CaseRecord& r);

// Masks a natural person's name for public answers; organisations as is.
std::string PublicPartyName(const std::string& party_kind, const std::string& name);

// "YYYY-MM-DD" of a date; a date from text (kBadRequest naming the field).
Result<domain::Date> DateField(const json& request, const char* field, domain::Date fallback);

// Step and state labels for answers.
json StepJson(const domain::Procedure& p, const store::CaseStepRecord& s);
std::string StateLabel(const domain::Procedure& p, const std::string& state);

// The party (当事人 / 申请人) of a case.
struct Party {
  std::string kind;  // natural_person | organisation
  std::string name;
  std::string id_number;
  std::string phone;
};

// What a new case needs.
struct NewCase {
  std::string town_code;
  std::string power_code;
  std::string procedure;  // requested ("" = by kind)
  std::string origin;
  Party party;
  std::string summary;
  domain::Date opened_on;
  std::optional<std::int64_t> handler_id;
  struct File {
    std::string kind, file_name, content_type, bytes;
  };
  std::vector<File> files;
};

// Opens a case: the grant must be effective and assigned to an agency;
// personal data goes in as commitments; journals "case.opened".
Result<json> CreateCase(Tx& tx, const Actor& actor, const CaseRules& rules,
                        const CaseSettings& settings, NewCase n);
// Checks (PDF/PNG/JPEG by content, size) and stores one material.
Result<json> StoreFile(Tx& tx, const CaseSettings& settings, std::int64_t case_id,
                       const std::string& kind, const std::string& file_name,
                       const std::string& content_type, std::string bytes);

// The events' subject and common data.
Event CaseEvent(std::string type, const Actor& actor, const store::CaseRecord& c, json data);

// A new case record of `town` for item `power` held by `grant`, handled under `proc`:
// the fields that follow from the grant and the procedure.
store::CaseRecord CaseRecordFor(const std::string& town, const std::string& power,
                                const store::GrantAuthorityRecord& grant,
                                const domain::Procedure& proc);

// The item's own time limits from the catalogue (promised, and a shorter
// statutory limit) applied to a newly opened licensing case's clocks.
Status ApplyItemLimits(store::Connection& c, const domain::Procedure& proc,
                       const std::string& power_code, domain::CaseState& st);

}  // namespace quanze::app::cases
