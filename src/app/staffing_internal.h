// Internals of the staffing service shared by its .cc files: conversions
// between store records and domain values, loading the staffing of towns,
// writing the difference between two states of a town, and small helpers.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/writer.h"
#include "domain/staffing.h"
#include "domain/staffing_rules.h"
#include "store/records.h"
#include "store/staffing_store.h"

namespace quanze::app::staffing {

domain::Agency ToDomain(const store::StaffingAgencyRecord& r);
store::StaffingAgencyRecord ToRecord(const domain::Agency& a);
domain::Person ToDomain(const store::StaffingPersonRecord& r);
store::StaffingPersonRecord ToRecord(const domain::Person& p, const std::string& town_code);

// The active staffing of one town (ID numbers not loaded).
Result<domain::TownStaffing> LoadTown(store::Connection& c, const std::string& town_code);

// Every town under a region path that has staffing records, ordered by code,
// plus the baselines of the counties (and other non-town regions) there.
// `for_scan`: people without post and certificate (read-only use; never
// write such a state back).
struct RegionStaffing {
  std::vector<domain::TownStaffing> towns;
  std::map<std::string, std::vector<domain::QuotaTotal>> other_baselines;
};
Result<RegionStaffing> LoadRegion(store::Connection& c, const std::string& path,
                                  bool for_scan = false);

// The county's totals (over its towns) and baseline, for ChangeContext.
Result<domain::CountyQuotaPosition> LoadCountyPosition(store::Connection& c,
                                                       const std::string& county_code);

// How agencies that disappear between two states left (a merger names the
// agency they joined).
struct RemovedAgencies {
  std::string state = "abolished";  // merged | abolished
  std::optional<domain::Id> merged_into;
};

// Writes the difference between `before` and `after` of one town: new,
// changed and removed agencies, quotas, leadership quotas and people. New
// people's ID numbers go through tx.Commit (the clear value to
// personal_data, the commitment to the people table).
Status PersistDiff(Tx& tx, const domain::TownStaffing& before, const domain::TownStaffing& after,
                   const RemovedAgencies& removed);

// Region lookups with bilingual errors.
Result<store::RegionRecord> RequireRegion(store::Connection& c, const std::string& code);
Result<store::RegionRecord> RequireTown(store::Connection& c, const std::string& code);
Error OutOfScope(const std::string& code);
// The journaled denial of a unit of work outside the user's scope.
void RecordDenied(Tx& tx, const Actor& actor, const std::string& what, const Error& e);

// The approving level an account's role stands for (province_staffing →
// province, county_staffing → county, town roles → town, others → none).
domain::ApprovingLevel LevelOfRole(domain::Role role);

// JSON of domain values for the API.
nlohmann::json QuotaKindJson(const domain::StaffingSettings& s, const std::string& kind);
nlohmann::json ViolationItem(const domain::Violation& v, const domain::TownStaffing& town,
                             const std::string& town_name);

}  // namespace quanze::app::staffing
