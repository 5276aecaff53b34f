// StaffingService: organisation and staffing control (机构编制): agencies,
// nameplates, quotas and their baseline, real-name staffing, change
// requests held to the staffing rules, and the violations scan.
//
// Every write is one unit of work on the Writer: load the town's staffing →
// domain::CheckChange → apply → journal. A refused change is journaled
// ("staffing.change_refused", through Tx::RecordOnFailure) and comes back as
// kRuleViolation with the violations in Error::detail. ID numbers never enter
// the log in clear: entries carry a keyed commitment, the clear value lives in
// the erasable personal_data table, and reads show it masked.
//
// The request and import formats are in docs/staffing.md. Reads run on
// reader connections from any thread; the *Work functions return units for
// Writer::Submit / Writer::Run; the *InTx functions run inside a unit that
// the caller already holds (the demo runs many of them in one unit).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "app/accounts.h"
#include "app/writer.h"
#include "common/clock.h"
#include "domain/staffing_rules.h"
#include "store/db.h"

namespace quanze::domain {
struct StaffingRegister;  // domain/staffing_io.h
}

namespace quanze::app {

struct StaffingImportOptions {
  // Replace the register of towns that already have one (their agencies and
  // people are marked superseded); without it such a town is an input error.
  bool replace = false;
  std::string source;  // the file name, for the journal
  // Called after each town: (town code, towns done, towns in total, persons so far).
  std::function<void(const std::string&, int, int, std::int64_t)> progress;
};

class StaffingService {
 public:
  StaffingService(store::Database& db, Writer& writer, const Clock& clock);

  const domain::StaffingSettings& settings() const { return settings_; }

  // ---- Reads ----
  // The agencies of a town with quota vs actual. kNotFound: no such town;
  // kForbidden: outside the user's scope.
  Result<nlohmann::json> ListAgencies(const AuthUser& user, const std::string& town_code);
  // One agency: quotas vs actual, leadership posts, nameplates, people (ID
  // numbers masked).
  Result<nlohmann::json> GetAgency(const AuthUser& user, std::int64_t agency_id);
  // The full scan (domain::Scan) of every town under a town, county, city or
  // province: items [offset, offset+limit) plus counts by rule.
  Result<nlohmann::json> Violations(const AuthUser& user, const std::string& region_code,
                                    std::int64_t offset, int limit);
  // Public: agencies with nameplates and quota vs actual headcount; no
  // personal data.
  Result<nlohmann::json> PublicOrganisation(const std::string& town_code);

  // ---- Writes ----
  // A change request {"type": ..., ...}; answers {"change_id", "type",
  // "town", ...}. Refusals: kRuleViolation (journaled), kForbidden (journaled),
  // kValidation / kBadRequest / kNotFound / kConflict.
  Writer::Work ChangeWork(const AuthUser& user, const Actor& actor, nlohmann::json request) const;
  // A prior consultation with the town party committee and government
  // (干部任免事先听取意见) about a leader of a dispatched agency.
  Writer::Work ConsultationWork(const AuthUser& user, const Actor& actor,
                                nlohmann::json request) const;
  // A grade approval (职级审批记录) by the competent body.
  Writer::Work GradeApprovalWork(const AuthUser& user, const Actor& actor,
                                 nlohmann::json request) const;

  Result<nlohmann::json> ChangeInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                    const nlohmann::json& request) const;
  Result<nlohmann::json> ConsultationInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                          const nlohmann::json& request) const;
  Result<nlohmann::json> GradeApprovalInTx(Tx& tx, const AuthUser& user, const Actor& actor,
                                           const nlohmann::json& request) const;

  // ---- Import (quanze import staffing) ----
  // Parses a JSON or CSV register ("json" / "csv") and checks it against the
  // database without writing. All problems at once: kValidation with
  // detail {"errors": [{"row", "field", "message_zh", "message_en"}, ...]}.
  Result<domain::StaffingRegister> PrepareImport(std::string_view text, std::string_view format,
                                                 const StaffingImportOptions& options);
  // Writes a prepared register in one unit of work (all or nothing). Legacy
  // data that breaks rules is kept; the scan reports it.
  Result<Committed> Import(const Actor& actor, const domain::StaffingRegister& reg,
                           const StaffingImportOptions& options);
  Result<nlohmann::json> ImportInTx(Tx& tx, const Actor& actor, const domain::StaffingRegister& reg,
                                    const StaffingImportOptions& options) const;

 private:
  store::Database& db_;
  Writer& writer_;
  const Clock& clock_;
  domain::StaffingSettings settings_;
};

// A signed-in-like identity for system callers (CLI, demo): the admin role,
// scope "all".
AuthUser SystemStaffingUser();

}  // namespace quanze::app
