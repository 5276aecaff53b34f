#include "store/staffing_store.h"
#include "store/row_helpers.h"

namespace quanze::store {
namespace {

using rows::All;
using rows::Done;
using rows::One;
using rows::OptValue;
using rows::PathRange;




constexpr const char* kAgencyColumns =
    "a.id, a.town_code, a.name, a.kind, a.agency_rank, a.nameplates, a.functions, "
    "a.approving_authority, a.approval_doc, a.approving_level, a.parent_department, a.localised, "
    "a.assessment_permille, a.state, a.merged_into";

StaffingAgencyRecord AgencyFromRow(const Row& r) {
  StaffingAgencyRecord a;
  a.id = r.Int(0);
  a.town_code = r.Text(1);
  a.name = r.Text(2);
  a.kind = r.Text(3);
  a.rank = r.Text(4);
  a.nameplates = r.Text(5);
  a.functions = r.Text(6);
  a.approving_authority = r.Text(7);
  a.approval_doc = r.Text(8);
  a.approving_level = r.Text(9);
  a.parent_department = r.Text(10);
  a.localised = r.Int(11) != 0;
  a.assessment_permille = r.Int(12);
  a.state = r.Text(13);
  a.merged_into = r.OptInt(14);
  return a;
}

constexpr const char* kPersonColumns =
    "p.id, p.town_code, p.agency_id, p.name, p.id_commitment, p.post, p.title, p.grade, "
    "p.quota_kind, p.is_leader, p.cert_number, p.cert_valid_from, p.cert_valid_to, "
    "p.grade_approval, p.approved_grade, p.state";

StaffingPersonRecord PersonFromRow(const Row& r) {
  StaffingPersonRecord p;
  p.id = r.Int(0);
  p.town_code = r.Text(1);
  p.agency_id = r.Int(2);
  p.name = r.Text(3);
  p.id_commitment = r.Text(4);
  p.post = r.Text(5);
  p.title = r.Text(6);
  p.grade = r.Text(7);
  p.quota_kind = r.Text(8);
  p.is_leader = r.Int(9) != 0;
  p.cert_number = r.Text(10);
  p.cert_valid_from = r.Text(11);
  p.cert_valid_to = r.Text(12);
  p.grade_approval = r.Text(13);
  p.approved_grade = r.Text(14);
  p.state = r.Text(15);
  return p;
}



}  // namespace

Result<std::int64_t> NextStaffingId(Connection& c, const std::string& table) {
  std::string name;
  if (table == "agencies" || table == "people" || table == "consultations" ||
      table == "grade_approvals" || table == "changes") {
    name = "staffing_" + table;
  } else {
    return MakeError(ErrorCode::kInternal, "未知的表", "unknown staffing table " + table);
  }
  auto row = c.QueryOne("SELECT COALESCE(MAX(id), 0) + 1 FROM " + name);
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

// ---- agencies ---------------------------------------------------------------

Status InsertStaffingAgency(Connection& c, const StaffingAgencyRecord& a, std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO staffing_agencies (id, town_code, name, kind, agency_rank, nameplates, "
      "functions, approving_authority, approval_doc, approving_level, parent_department, "
      "localised, assessment_permille, state, merged_into, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {a.id, a.town_code, a.name, a.kind, a.rank, a.nameplates, a.functions, a.approving_authority,
       a.approval_doc, a.approving_level, a.parent_department, std::int64_t{a.localised},
       a.assessment_permille, a.state, OptValue(a.merged_into), now, now}));
}

Status UpdateStaffingAgency(Connection& c, const StaffingAgencyRecord& a, std::int64_t now) {
  return Done(
      c.Exec("UPDATE staffing_agencies SET name = ?, kind = ?, agency_rank = ?, nameplates = ?, "
             "functions = ?, approving_authority = ?, approval_doc = ?, approving_level = ?, "
             "parent_department = ?, localised = ?, assessment_permille = ?, state = ?, "
             "merged_into = ?, updated_at = ? WHERE id = ?",
             {a.name, a.kind, a.rank, a.nameplates, a.functions, a.approving_authority,
              a.approval_doc, a.approving_level, a.parent_department, std::int64_t{a.localised},
              a.assessment_permille, a.state, OptValue(a.merged_into), now, a.id}));
}

Result<std::optional<StaffingAgencyRecord>> GetStaffingAgency(Connection& c, std::int64_t id) {
  return One<StaffingAgencyRecord>(c.QueryOne(std::string("SELECT ") + kAgencyColumns +
                                                  " FROM staffing_agencies a WHERE a.id = ?",
                                              {id}),
                                   AgencyFromRow);
}

Result<std::vector<StaffingAgencyRecord>> ListStaffingAgenciesUnder(Connection& c,
                                                                    const std::string& prefix) {
  auto [start, end] = PathRange(prefix);
  return All<StaffingAgencyRecord>(
      c.Query(std::string("SELECT ") + kAgencyColumns +
                  " FROM staffing_agencies a JOIN regions r ON r.code = a.town_code "
                  "WHERE r.path >= ? AND r.path < ? AND a.state = 'active' "
                  "ORDER BY a.town_code, a.id",
              {start, end}),
      AgencyFromRow);
}

Result<std::vector<StaffingAgencyRecord>> ListStaffingAgenciesOfTown(Connection& c,
                                                                     const std::string& town) {
  return All<StaffingAgencyRecord>(
      c.Query(std::string("SELECT ") + kAgencyColumns +
                  " FROM staffing_agencies a WHERE a.town_code = ? AND a.state = 'active' "
                  "ORDER BY a.id",
              {town}),
      AgencyFromRow);
}

Result<std::int64_t> CountStaffingAgenciesOfTown(Connection& c, const std::string& town) {
  auto row = c.QueryOne(
      "SELECT COUNT(*) FROM staffing_agencies WHERE town_code = ? AND state = 'active'", {town});
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

// ---- quotas -----------------------------------------------------------------

Result<std::vector<StaffingQuotaRecord>> ListStaffingQuotasUnder(Connection& c,
                                                                 const std::string& prefix) {
  auto [start, end] = PathRange(prefix);
  return All<StaffingQuotaRecord>(
      c.Query("SELECT q.agency_id, q.kind, q.count FROM staffing_quotas q "
              "JOIN staffing_agencies a ON a.id = q.agency_id "
              "JOIN regions r ON r.code = a.town_code "
              "WHERE r.path >= ? AND r.path < ? AND a.state = 'active' "
              "ORDER BY q.agency_id, q.kind",
              {start, end}),
      [](const Row& r) {
        return StaffingQuotaRecord{r.Int(0), r.Text(1), r.Int(2)};
      });
}

Result<std::vector<StaffingLeadershipQuotaRecord>> ListStaffingLeadershipQuotasUnder(
    Connection& c, const std::string& prefix) {
  auto [start, end] = PathRange(prefix);
  return All<StaffingLeadershipQuotaRecord>(
      c.Query("SELECT q.agency_id, q.grade, q.count FROM staffing_leadership_quotas q "
              "JOIN staffing_agencies a ON a.id = q.agency_id "
              "JOIN regions r ON r.code = a.town_code "
              "WHERE r.path >= ? AND r.path < ? AND a.state = 'active' "
              "ORDER BY q.agency_id, q.grade",
              {start, end}),
      [](const Row& r) {
        return StaffingLeadershipQuotaRecord{r.Int(0), r.Text(1), r.Int(2)};
      });
}

Status SetStaffingQuota(Connection& c, const StaffingQuotaRecord& q) {
  QZ_TRY(Done(c.Exec("DELETE FROM staffing_quotas WHERE agency_id = ? AND kind = ?",
                     {q.agency_id, q.kind})));
  if (q.count == 0) return Ok();
  return Done(c.Exec("INSERT INTO staffing_quotas (agency_id, kind, count) VALUES (?, ?, ?)",
                     {q.agency_id, q.kind, q.count}));
}

Status SetStaffingLeadershipQuota(Connection& c, const StaffingLeadershipQuotaRecord& q) {
  QZ_TRY(Done(c.Exec("DELETE FROM staffing_leadership_quotas WHERE agency_id = ? AND grade = ?",
                     {q.agency_id, q.grade})));
  if (q.count == 0) return Ok();
  return Done(
      c.Exec("INSERT INTO staffing_leadership_quotas (agency_id, grade, count) VALUES (?, ?, ?)",
             {q.agency_id, q.grade, q.count}));
}

Status DeleteStaffingQuotasOfAgency(Connection& c, std::int64_t agency_id) {
  QZ_TRY(Done(c.Exec("DELETE FROM staffing_quotas WHERE agency_id = ?", {agency_id})));
  return Done(c.Exec("DELETE FROM staffing_leadership_quotas WHERE agency_id = ?", {agency_id}));
}

// ---- baselines --------------------------------------------------------------

namespace {
StaffingBaselineRecord BaselineFromRow(const Row& r) {
  return StaffingBaselineRecord{r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4)};
}
}  // namespace

Result<std::vector<StaffingBaselineRecord>> ListStaffingBaselinesUnder(Connection& c,
                                                                       const std::string& prefix) {
  auto [start, end] = PathRange(prefix);
  return All<StaffingBaselineRecord>(
      c.Query("SELECT b.region_code, b.kind, b.count, b.document, b.fixed_at "
              "FROM staffing_baselines b JOIN regions r ON r.code = b.region_code "
              "WHERE r.path >= ? AND r.path < ? ORDER BY b.region_code, b.kind",
              {start, end}),
      BaselineFromRow);
}

Result<std::vector<StaffingBaselineRecord>> ListStaffingBaselines(Connection& c,
                                                                  const std::string& region) {
  return All<StaffingBaselineRecord>(
      c.Query("SELECT region_code, kind, count, document, fixed_at FROM staffing_baselines "
              "WHERE region_code = ? ORDER BY kind",
              {region}),
      BaselineFromRow);
}

Status PutStaffingBaseline(Connection& c, const StaffingBaselineRecord& b) {
  QZ_TRY(Done(c.Exec("DELETE FROM staffing_baselines WHERE region_code = ? AND kind = ?",
                     {b.region_code, b.kind})));
  return Done(
      c.Exec("INSERT INTO staffing_baselines (region_code, kind, count, document, fixed_at) "
             "VALUES (?, ?, ?, ?, ?)",
             {b.region_code, b.kind, b.count, b.document, b.fixed_at}));
}

Status DeleteStaffingBaselines(Connection& c, const std::string& region) {
  return Done(c.Exec("DELETE FROM staffing_baselines WHERE region_code = ?", {region}));
}

// ---- people -----------------------------------------------------------------

Status InsertStaffingPerson(Connection& c, const StaffingPersonRecord& p, std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO staffing_people (id, town_code, agency_id, name, id_commitment, post, title, "
      "grade, quota_kind, is_leader, cert_number, cert_valid_from, cert_valid_to, grade_approval, "
      "approved_grade, state, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {p.id, p.town_code, p.agency_id, p.name, p.id_commitment, p.post, p.title, p.grade,
       p.quota_kind, std::int64_t{p.is_leader}, p.cert_number, p.cert_valid_from, p.cert_valid_to,
       p.grade_approval, p.approved_grade, p.state, now, now}));
}

Status UpdateStaffingPerson(Connection& c, const StaffingPersonRecord& p, std::int64_t now) {
  return Done(c.Exec(
      "UPDATE staffing_people SET agency_id = ?, name = ?, post = ?, title = ?, grade = ?, "
      "quota_kind = ?, is_leader = ?, cert_number = ?, cert_valid_from = ?, cert_valid_to = ?, "
      "grade_approval = ?, approved_grade = ?, state = ?, updated_at = ? WHERE id = ?",
      {p.agency_id, p.name, p.post, p.title, p.grade, p.quota_kind, std::int64_t{p.is_leader},
       p.cert_number, p.cert_valid_from, p.cert_valid_to, p.grade_approval, p.approved_grade,
       p.state, now, p.id}));
}

Result<std::optional<StaffingPersonRecord>> GetStaffingPerson(Connection& c, std::int64_t id) {
  return One<StaffingPersonRecord>(
      c.QueryOne(std::string("SELECT ") + kPersonColumns + " FROM staffing_people p WHERE p.id = ?",
                 {id}),
      PersonFromRow);
}

Result<std::optional<StaffingPersonRecord>> FindActiveStaffingPersonByCommitment(
    Connection& c, const std::string& id_commitment) {
  return One<StaffingPersonRecord>(
      c.QueryOne(std::string("SELECT ") + kPersonColumns +
                     " FROM staffing_people p WHERE p.id_commitment = ? AND p.state = 'active' "
                     "LIMIT 1",
                 {id_commitment}),
      PersonFromRow);
}

constexpr const char* kPersonScanColumns =
    "p.id, p.town_code, p.agency_id, p.name, '', '', p.title, p.grade, p.quota_kind, p.is_leader, "
    "'', '', '', p.grade_approval, p.approved_grade, p.state";

Status ForEachStaffingPersonUnder(Connection& c, const std::string& prefix, bool for_scan,
                                  const std::function<Status(const StaffingPersonRecord&)>& fn) {
  auto [start, end] = PathRange(prefix);
  return c.QueryEach(std::string("SELECT ") + (for_scan ? kPersonScanColumns : kPersonColumns) +
                         " FROM staffing_people p JOIN regions r ON r.code = p.town_code "
                         "WHERE r.path >= ? AND r.path < ? AND p.state = 'active' "
                         "ORDER BY p.town_code, p.id",
                     {start, end}, [&](const Row& row) { return fn(PersonFromRow(row)); });
}

Result<std::vector<StaffingPersonRecord>> ListStaffingPeopleOfAgency(Connection& c,
                                                                     std::int64_t agency_id) {
  return All<StaffingPersonRecord>(
      c.Query(std::string("SELECT ") + kPersonColumns +
                  ", d.value FROM staffing_people p LEFT JOIN personal_data d "
                  "ON d.commitment = p.id_commitment AND d.erased_at IS NULL "
                  "WHERE p.agency_id = ? AND p.state = 'active' ORDER BY p.id",
              {agency_id}),
      [](const Row& r) {
        StaffingPersonRecord p = PersonFromRow(r);
        p.id_number = r.OptText(16);
        return p;
      });
}

Status SupersedeTownStaffing(Connection& c, const std::string& town, std::int64_t now) {
  QZ_TRY(Done(
      c.Exec("DELETE FROM staffing_quotas WHERE agency_id IN (SELECT id FROM staffing_agencies "
             "WHERE town_code = ? AND state = 'active')",
             {town})));
  QZ_TRY(
      Done(c.Exec("DELETE FROM staffing_leadership_quotas WHERE agency_id IN (SELECT id FROM "
                  "staffing_agencies WHERE town_code = ? AND state = 'active')",
                  {town})));
  QZ_TRY(
      Done(c.Exec("UPDATE staffing_agencies SET state = 'superseded', updated_at = ? "
                  "WHERE town_code = ? AND state = 'active'",
                  {now, town})));
  QZ_TRY(
      Done(c.Exec("UPDATE staffing_people SET state = 'superseded', updated_at = ? "
                  "WHERE town_code = ? AND state = 'active'",
                  {now, town})));
  return DeleteStaffingBaselines(c, town);
}

// ---- consultations, grade approvals, changes ---------------------------------

Status InsertStaffingConsultation(Connection& c, const StaffingConsultationRecord& r,
                                  std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO staffing_consultations (id, town_code, agency_id, action, person_id, "
      "candidate_name, post, town_opinion, document, consulted_on, used_by_change, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.town_code, r.agency_id, r.action, OptValue(r.person_id), r.candidate_name, r.post,
       r.town_opinion, r.document, r.consulted_on, OptValue(r.used_by_change), now}));
}

Result<std::optional<StaffingConsultationRecord>> GetStaffingConsultation(Connection& c,
                                                                          std::int64_t id) {
  return One<StaffingConsultationRecord>(
      c.QueryOne("SELECT id, town_code, agency_id, action, person_id, candidate_name, post, "
                 "town_opinion, document, consulted_on, used_by_change "
                 "FROM staffing_consultations WHERE id = ?",
                 {id}),
      [](const Row& r) {
        return StaffingConsultationRecord{r.Int(0),    r.Text(1), r.Int(2),    r.Text(3),
                                          r.OptInt(4), r.Text(5), r.Text(6),   r.Text(7),
                                          r.Text(8),   r.Text(9), r.OptInt(10)};
      });
}

Status MarkStaffingConsultationUsed(Connection& c, std::int64_t id, std::int64_t change_id) {
  return Done(
      c.Exec("UPDATE staffing_consultations SET used_by_change = ? WHERE id = ?", {change_id, id}));
}

Status InsertStaffingGradeApproval(Connection& c, const StaffingGradeApprovalRecord& r,
                                   std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO staffing_grade_approvals (id, town_code, person_id, candidate_name, grade, "
      "authority, doc, level, approved_on, used_by_change, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.town_code, OptValue(r.person_id), r.candidate_name, r.grade, r.authority, r.doc,
       r.level, r.approved_on, OptValue(r.used_by_change), now}));
}

Result<std::optional<StaffingGradeApprovalRecord>> GetStaffingGradeApproval(Connection& c,
                                                                            std::int64_t id) {
  return One<StaffingGradeApprovalRecord>(
      c.QueryOne("SELECT id, town_code, person_id, candidate_name, grade, authority, doc, level, "
                 "approved_on, used_by_change FROM staffing_grade_approvals WHERE id = ?",
                 {id}),
      [](const Row& r) {
        return StaffingGradeApprovalRecord{r.Int(0),  r.Text(1),  r.OptInt(2), r.Text(3),
                                           r.Text(4), r.Text(5),  r.Text(6),   r.Text(7),
                                           r.Text(8), r.OptInt(9)};
      });
}

Status MarkStaffingGradeApprovalUsed(Connection& c, std::int64_t id, std::int64_t change_id,
                                     std::int64_t person_id) {
  return Done(
      c.Exec("UPDATE staffing_grade_approvals SET used_by_change = ?, person_id = ? WHERE id = ?",
             {change_id, person_id, id}));
}

Status InsertStaffingChange(Connection& c, const StaffingChangeRecord& r, std::int64_t now) {
  return Done(
      c.Exec("INSERT INTO staffing_changes (id, town_code, type, request, approving_authority, "
             "approval_doc, approving_level, state, requested_by, ledger_index, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             {r.id, r.town_code, r.type, r.request, r.approving_authority, r.approval_doc,
              r.approving_level, r.state, OptValue(r.requested_by), OptValue(r.ledger_index), now}));
}

}  // namespace quanze::store
