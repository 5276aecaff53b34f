// Repositories of organisation and staffing (tables of migration 3, see
// staffing_schema.cc): portable SQL with `?` placeholders over a Connection.
// Records hold enum codes as text; app/ converts them to domain values.
// Callers (app/) own the transaction; these functions never begin or commit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace quanze::store {

struct StaffingAgencyRecord {
  std::int64_t id = 0;
  std::string town_code;
  std::string name;
  std::string kind;
  std::string rank;
  std::string nameplates = "[]";  // JSON array of text
  std::string functions;
  std::string approving_authority;
  std::string approval_doc;
  std::string approving_level = "none";
  std::string parent_department;
  bool localised = false;
  std::int64_t assessment_permille = 0;  // the town's weight in its assessment, ‰
  std::string state = "active";          // active | merged | abolished | superseded
  std::optional<std::int64_t> merged_into;
  bool operator==(const StaffingAgencyRecord&) const = default;
};

struct StaffingQuotaRecord {
  std::int64_t agency_id = 0;
  std::string kind;
  std::int64_t count = 0;
};

struct StaffingLeadershipQuotaRecord {
  std::int64_t agency_id = 0;
  std::string grade;
  std::int64_t count = 0;
};

struct StaffingBaselineRecord {
  std::string region_code;
  std::string kind;
  std::int64_t count = 0;
  std::string document;
  std::int64_t fixed_at = 0;
};

struct StaffingPersonRecord {
  std::int64_t id = 0;
  std::string town_code;
  std::int64_t agency_id = 0;
  std::string name;
  std::string id_commitment;  // "hmac-sha256:…"; the clear value is in personal_data
  std::string post;
  std::string title;
  std::string grade = "none";
  std::string quota_kind;
  bool is_leader = false;
  std::string cert_number;
  std::string cert_valid_from;  // YYYY-MM-DD or ""
  std::string cert_valid_to;
  std::string grade_approval;
  std::string approved_grade = "none";
  std::string state = "active";          // active | left | superseded
  std::optional<std::string> id_number;  // filled only by ListStaffingPeopleOfAgency
  bool operator==(const StaffingPersonRecord&) const = default;
};

struct StaffingGradeApprovalRecord {
  std::int64_t id = 0;
  std::string town_code;
  std::optional<std::int64_t> person_id;
  std::string candidate_name;
  std::string grade;
  std::string authority;
  std::string doc;
  std::string level;
  std::string approved_on;
  std::optional<std::int64_t> used_by_change;
};

struct StaffingConsultationRecord {
  std::int64_t id = 0;
  std::string town_code;
  std::int64_t agency_id = 0;
  std::string action;  // appoint | remove
  std::optional<std::int64_t> person_id;
  std::string candidate_name;
  std::string post;
  std::string town_opinion;
  std::string document;
  std::string consulted_on;
  std::optional<std::int64_t> used_by_change;
};

struct StaffingChangeRecord {
  std::int64_t id = 0;
  std::string town_code;
  std::string type;
  std::string request;  // JSON, ID numbers replaced by commitments
  std::string approving_authority;
  std::string approval_doc;
  std::string approving_level = "none";
  std::string state = "applied";  // applied | imported
  std::optional<std::int64_t> requested_by;
  std::optional<std::int64_t> ledger_index;
};

// The next free id of a staffing table ("agencies", "people",
// "consultations", "grade_approvals", "changes").
Result<std::int64_t> NextStaffingId(Connection& c, const std::string& table);

// ---- agencies, quotas, baselines ----
Status InsertStaffingAgency(Connection& c, const StaffingAgencyRecord& a, std::int64_t now);
Status UpdateStaffingAgency(Connection& c, const StaffingAgencyRecord& a, std::int64_t now);
Result<std::optional<StaffingAgencyRecord>> GetStaffingAgency(Connection& c, std::int64_t id);
// Active agencies of the towns whose region path starts with `path_prefix`
// ("/" for all), ordered by town and id.
Result<std::vector<StaffingAgencyRecord>> ListStaffingAgenciesUnder(Connection& c,
                                                                    const std::string& path_prefix);
Result<std::vector<StaffingAgencyRecord>> ListStaffingAgenciesOfTown(Connection& c,
                                                                     const std::string& town);
Result<std::int64_t> CountStaffingAgenciesOfTown(Connection& c, const std::string& town);

// Quotas and leadership quotas of active agencies under a path prefix.
Result<std::vector<StaffingQuotaRecord>> ListStaffingQuotasUnder(Connection& c,
                                                                 const std::string& path_prefix);
Result<std::vector<StaffingLeadershipQuotaRecord>> ListStaffingLeadershipQuotasUnder(
    Connection& c, const std::string& path_prefix);
Status SetStaffingQuota(Connection& c, const StaffingQuotaRecord& q);  // count 0 deletes
Status SetStaffingLeadershipQuota(Connection& c, const StaffingLeadershipQuotaRecord& q);
Status DeleteStaffingQuotasOfAgency(Connection& c, std::int64_t agency_id);

// Baselines of the regions under a path prefix (towns and counties).
Result<std::vector<StaffingBaselineRecord>> ListStaffingBaselinesUnder(
    Connection& c, const std::string& path_prefix);
Result<std::vector<StaffingBaselineRecord>> ListStaffingBaselines(Connection& c,
                                                                  const std::string& region_code);
Status PutStaffingBaseline(Connection& c, const StaffingBaselineRecord& b);
Status DeleteStaffingBaselines(Connection& c, const std::string& region_code);

// ---- people ----
Status InsertStaffingPerson(Connection& c, const StaffingPersonRecord& p, std::int64_t now);
// Updates every column but id, town_code and id_commitment.
Status UpdateStaffingPerson(Connection& c, const StaffingPersonRecord& p, std::int64_t now);
Result<std::optional<StaffingPersonRecord>> GetStaffingPerson(Connection& c, std::int64_t id);
// The active person whose ID number has this commitment (real-name staffing:
// one person, one post).
Result<std::optional<StaffingPersonRecord>> FindActiveStaffingPersonByCommitment(
    Connection& c, const std::string& id_commitment);
// Active people under a path prefix, without ID numbers, ordered by town and id.
// `for_scan` leaves out what the rules do not read (post, certificate,
// commitment): a province scan loads ~100,000 rows.
// Hands them to fn one at a time (Connection::QueryEach): the rows are never all in memory.
Status ForEachStaffingPersonUnder(Connection& c, const std::string& prefix, bool for_scan,
                                  const std::function<Status(const StaffingPersonRecord&)>& fn);
// Active people of one agency with their clear ID numbers (from
// personal_data; nullopt when erased). The caller masks them.
Result<std::vector<StaffingPersonRecord>> ListStaffingPeopleOfAgency(Connection& c,
                                                                     std::int64_t agency_id);
// Marks the active agencies and people of a town superseded (import --replace)
// and removes its baseline and the superseded agencies' quotas.
Status SupersedeTownStaffing(Connection& c, const std::string& town, std::int64_t now);

// ---- consultations, grade approvals, changes ----
Status InsertStaffingConsultation(Connection& c, const StaffingConsultationRecord& r,
                                  std::int64_t now);
Result<std::optional<StaffingConsultationRecord>> GetStaffingConsultation(Connection& c,
                                                                          std::int64_t id);
Status MarkStaffingConsultationUsed(Connection& c, std::int64_t id, std::int64_t change_id);
Status InsertStaffingGradeApproval(Connection& c, const StaffingGradeApprovalRecord& r,
                                   std::int64_t now);
Result<std::optional<StaffingGradeApprovalRecord>> GetStaffingGradeApproval(Connection& c,
                                                                            std::int64_t id);
Status MarkStaffingGradeApprovalUsed(Connection& c, std::int64_t id, std::int64_t change_id,
                                     std::int64_t person_id);
Status InsertStaffingChange(Connection& c, const StaffingChangeRecord& r, std::int64_t now);

}  // namespace quanze::store
