#include "store/case_store.h"

#include "store/row_helpers.h"

namespace quanze::store {
namespace {

using rows::All;
using rows::Done;
using rows::One;
using rows::OptValue;
using rows::PathRange;


// "?,?,?" for n values.
std::string Placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

constexpr const char* kCaseColumns =
    "c.id, c.receipt_code, c.town_code, c.power_code, c.power_name, c.power_kind, c.grant_id, "
    "c.agency_id, c.procedure_id, c.procedure_version, c.origin, c.party_kind, c.party_display, "
    "c.party_commitment, c.id_commitment, c.phone_commitment, c.summary, c.state, c.state_json, "
    "c.terminal, c.outcome, c.opened_on, c.closed_on, c.deadline, c.clock_status, c.limit_days, "
    "c.days_used, c.handler_id, c.overdue_recorded, c.ledger_index, c.created_at, c.updated_at";

CaseRecord CaseFromRow(const Row& r) {
  CaseRecord c;
  c.id = r.Int(0);
  c.receipt_code = r.Text(1);
  c.town_code = r.Text(2);
  c.power_code = r.Text(3);
  c.power_name = r.Text(4);
  c.power_kind = r.Text(5);
  c.grant_id = r.Int(6);
  c.agency_id = r.Int(7);
  c.procedure_id = r.Text(8);
  c.procedure_version = r.Int(9);
  c.origin = r.Text(10);
  c.party_kind = r.Text(11);
  c.party_display = r.Text(12);
  c.party_commitment = r.Text(13);
  c.id_commitment = r.Text(14);
  c.phone_commitment = r.Text(15);
  c.summary = r.Text(16);
  c.state = r.Text(17);
  c.state_json = r.Text(18);
  c.terminal = r.Int(19) != 0;
  c.outcome = r.Text(20);
  c.opened_on = r.Text(21);
  c.closed_on = r.OptText(22);
  c.deadline = r.OptText(23);
  c.clock_status = r.Text(24);
  c.limit_days = r.Int(25);
  c.days_used = r.OptInt(26);
  c.handler_id = r.OptInt(27);
  c.overdue_recorded = r.Int(28) != 0;
  c.ledger_index = r.OptInt(29);
  c.created_at = r.Int(30);
  c.updated_at = r.Int(31);
  return c;
}

constexpr const char* kDecisionColumns =
    "case_id, town_code, power_code, outcome, responsible_id, responsible_name, responsible_post, "
    "content, tier, amount_fen, decided_on, effective_on, appeal, annulled_on, annul_reason, "
    "ledger_index";

DecisionRecord DecisionFromRow(const Row& r) {
  DecisionRecord d;
  d.case_id = r.Int(0);
  d.town_code = r.Text(1);
  d.power_code = r.Text(2);
  d.outcome = r.Text(3);
  d.responsible_id = r.Int(4);
  d.responsible_name = r.Text(5);
  d.responsible_post = r.Text(6);
  d.content = r.Text(7);
  d.tier = r.Text(8);
  d.amount_fen = r.Int(9);
  d.decided_on = r.Text(10);
  d.effective_on = r.Text(11);
  d.appeal = r.Text(12);
  d.annulled_on = r.OptText(13);
  d.annul_reason = r.Text(14);
  d.ledger_index = r.OptInt(15);
  return d;
}

constexpr const char* kDisclosureColumns =
    "case_id, town_code, kind, title, content, decided_on, due_on, published_on, late, "
    "withdrawn_on, withdraw_due, withdraw_reason, ledger_index, due_flag";

DisclosureRecord DisclosureFromRow(const Row& r) {
  DisclosureRecord d;
  d.case_id = r.Int(0);
  d.town_code = r.Text(1);
  d.kind = r.Text(2);
  d.title = r.Text(3);
  d.content = r.Text(4);
  d.decided_on = r.Text(5);
  d.due_on = r.Text(6);
  d.published_on = r.OptText(7);
  d.late = r.Int(8) != 0;
  d.withdrawn_on = r.OptText(9);
  d.withdraw_due = r.OptText(10);
  d.withdraw_reason = r.Text(11);
  d.ledger_index = r.OptInt(12);
  d.due_flag = r.Text(13);
  return d;
}

constexpr const char* kRatingColumns =
    "id, case_id, level, scores, comment, rated_on, callback_due, fix_due, rectification, "
    "ledger_index";

RatingRecord RatingFromRow(const Row& r) {
  RatingRecord x;
  x.id = r.Int(0);
  x.case_id = r.Int(1);
  x.level = r.Int(2);
  x.scores = r.Text(3);
  x.comment = r.Text(4);
  x.rated_on = r.Text(5);
  x.callback_due = r.OptText(6);
  x.fix_due = r.OptText(7);
  x.rectification = r.Text(8);
  x.ledger_index = r.OptInt(9);
  return x;
}

constexpr const char* kAccountabilityColumns =
    "a.id, a.town_code, a.case_id, a.trigger_kind, a.evidence, a.person_id, a.person_name, a.post, "
    "a.detail, a.state, a.conclusion, a.opened_on, a.ledger_index, a.created_at, a.updated_at";

AccountabilityRecord AccountabilityFromRow(const Row& r) {
  AccountabilityRecord a;
  a.id = r.Int(0);
  a.town_code = r.Text(1);
  a.case_id = r.OptInt(2);
  a.trigger = r.Text(3);
  a.evidence = r.Text(4);
  a.person_id = r.OptInt(5);
  a.person_name = r.Text(6);
  a.post = r.Text(7);
  a.detail = r.Text(8);
  a.state = r.Text(9);
  a.conclusion = r.Text(10);
  a.opened_on = r.Text(11);
  a.ledger_index = r.OptInt(12);
  a.created_at = r.Int(13);
  a.updated_at = r.Int(14);
  return a;
}

OfficerRecord OfficerFromRow(const Row& r) {
  OfficerRecord o;
  o.person_id = r.Int(0);
  o.town_code = r.Text(1);
  o.agency_id = r.Int(2);
  o.name = r.Text(3);
  o.post = r.Text(4);
  o.is_leader = r.Int(5) != 0;
  o.cert_number = r.Text(6);
  o.cert_valid_from = r.Text(7);
  o.cert_valid_to = r.Text(8);
  o.active = r.Text(9) == "active";
  o.legal_reviewer = r.Int(10) != 0;
  return o;
}

constexpr const char* kOfficerSelect =
    "SELECT p.id, p.town_code, p.agency_id, p.name, p.post, p.is_leader, p.cert_number, "
    "p.cert_valid_from, p.cert_valid_to, p.state, "
    "CASE WHEN l.person_id IS NULL THEN 0 ELSE 1 END "
    "FROM staffing_people p LEFT JOIN legal_reviewers l ON l.person_id = p.id ";

}  // namespace

// ---- Legal-authority facts ----

Result<std::optional<GrantAuthorityRecord>> FindGrantForCase(Connection& c,
                                                              const std::string& town_code,
                                                              const std::string& power_code) {
  return One<GrantAuthorityRecord>(
      c.QueryOne("SELECT g.id, g.state, g.kind, g.valid_from, g.valid_to, "
                 "COALESCE(ga.agency_id, 0), p.name, p.department "
                 "FROM grants g LEFT JOIN grant_agencies ga ON ga.grant_id = g.id "
                 "JOIN catalogue_powers p ON p.province_code = g.province_code "
                 "AND p.code = g.power_code "
                 "WHERE g.town_code = ? AND g.power_code = ? "
                 "ORDER BY CASE WHEN g.state = 'revoked' THEN 1 ELSE 0 END, g.id DESC LIMIT 1",
                 {town_code, power_code}),
      [](const Row& r) {
        GrantAuthorityRecord g;
        g.grant_id = r.Int(0);
        g.state = r.Text(1);
        g.kind = r.Text(2);
        g.valid_from = r.Text(3);
        g.valid_to = r.OptText(4);
        g.agency_id = r.Int(5);
        g.power_name = r.Text(6);
        g.department = r.Text(7);
        return g;
      });
}

Result<std::optional<std::string>> PowerDepartment(Connection& c, const std::string& power_code) {
  return One<std::string>(
      c.QueryOne("SELECT department FROM catalogue_powers WHERE code = ? LIMIT 1", {power_code}),
      [](const Row& r) { return r.Text(0); });
}

Result<std::optional<std::string>> PowerItem(Connection& c, const std::string& power_code) {
  return One<std::string>(
      c.QueryOne("SELECT item FROM catalogue_powers WHERE code = ? LIMIT 1", {power_code}),
      [](const Row& r) { return r.Text(0); });
}

Status AssignGrantAgency(Connection& c, std::int64_t grant_id, std::int64_t agency_id,
                         std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO grant_agencies (grant_id, agency_id, assigned_at) VALUES (?, ?, ?) "
      "ON CONFLICT (grant_id) DO UPDATE SET agency_id = excluded.agency_id, "
      "assigned_at = excluded.assigned_at",
      {grant_id, agency_id, now}));
}

Result<std::vector<OfficerRecord>> LoadOfficers(Connection& c,
                                                const std::vector<std::int64_t>& person_ids) {
  if (person_ids.empty()) return std::vector<OfficerRecord>();
  Params params;
  for (std::int64_t id : person_ids) params.emplace_back(id);
  return All<OfficerRecord>(
      c.Query(std::string(kOfficerSelect) + "WHERE p.id IN (" + Placeholders(person_ids.size()) +
                  ")",
              params),
      OfficerFromRow);
}

Result<std::vector<std::int64_t>> ActivePeopleOfAgency(Connection& c, std::int64_t agency_id) {
  return All<std::int64_t>(
      c.Query("SELECT id FROM staffing_people WHERE agency_id = ? AND state = 'active' ORDER BY id",
              {agency_id}),
      [](const Row& r) { return r.Int(0); });
}

Result<std::optional<std::string>> ActiveAgencyTown(Connection& c, std::int64_t agency_id) {
  return One<std::string>(
      c.QueryOne("SELECT town_code FROM staffing_agencies WHERE id = ? AND state = 'active'",
                 {agency_id}),
      [](const Row& r) { return r.Text(0); });
}

Result<std::optional<OfficerRecord>> AgencyLeader(Connection& c, std::int64_t agency_id) {
  return One<OfficerRecord>(
      c.QueryOne(std::string(kOfficerSelect) +
                     "WHERE p.agency_id = ? AND p.state = 'active' AND p.is_leader = 1 "
                     "ORDER BY p.id LIMIT 1",
                 {agency_id}),
      OfficerFromRow);
}

Result<std::optional<std::string>> GetPostSteps(Connection& c, std::int64_t agency_id,
                                                const std::string& post) {
  return One<std::string>(
      c.QueryOne("SELECT steps FROM post_steps WHERE agency_id = ? AND post = ?",
                 {agency_id, post}),
      [](const Row& r) { return r.Text(0); });
}

Status PutPostSteps(Connection& c, std::int64_t agency_id, const std::string& post,
                    const std::string& steps_json, std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO post_steps (agency_id, post, steps, updated_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (agency_id, post) DO UPDATE SET steps = excluded.steps, "
      "updated_at = excluded.updated_at",
      {agency_id, post, steps_json, now}));
}

Status PutLegalReviewer(Connection& c, std::int64_t person_id, const std::string& document,
                        std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO legal_reviewers (person_id, document, granted_at) VALUES (?, ?, ?) "
      "ON CONFLICT (person_id) DO UPDATE SET document = excluded.document, "
      "granted_at = excluded.granted_at",
      {person_id, document, now}));
}

Status LinkUserPerson(Connection& c, std::int64_t user_id, std::int64_t person_id,
                      std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO user_people (user_id, person_id, linked_at) VALUES (?, ?, ?) "
      "ON CONFLICT (user_id) DO UPDATE SET person_id = excluded.person_id, "
      "linked_at = excluded.linked_at",
      {user_id, person_id, now}));
}

Result<std::optional<std::int64_t>> PersonOfUser(Connection& c, std::int64_t user_id) {
  return One<std::int64_t>(
      c.QueryOne("SELECT person_id FROM user_people WHERE user_id = ?", {user_id}),
      [](const Row& r) { return r.Int(0); });
}

Result<std::optional<std::string>> PersonalValue(Connection& c, const std::string& commitment) {
  return One<std::string>(
      c.QueryOne("SELECT value FROM personal_data WHERE commitment = ? AND erased_at IS NULL "
                 "AND value IS NOT NULL",
                 {commitment}),
      [](const Row& r) { return r.Text(0); });
}

// ---- Cases ----

Result<std::int64_t> NextCaseId(Connection& c) {
  auto row = c.QueryOne("SELECT COALESCE(MAX(id), 0) + 1 FROM cases");
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

namespace {
constexpr const char* kInsertCase =
    "INSERT INTO cases (id, receipt_code, town_code, power_code, power_name, power_kind, "
    "grant_id, agency_id, procedure_id, procedure_version, origin, party_kind, party_display, "
    "party_commitment, id_commitment, phone_commitment, summary, state, state_json, terminal, "
    "outcome, opened_on, closed_on, deadline, clock_status, limit_days, days_used, handler_id, "
    "overdue_recorded, ledger_index, created_at, updated_at)";
constexpr std::size_t kCaseColumnCount = 32;

Params CaseParams(const CaseRecord& r) {
  return {r.id,
       r.receipt_code,
       r.town_code,
       r.power_code,
       r.power_name,
       r.power_kind,
       r.grant_id,
       r.agency_id,
       r.procedure_id,
       r.procedure_version,
       r.origin,
       r.party_kind,
       r.party_display,
       r.party_commitment,
       r.id_commitment,
       r.phone_commitment,
       r.summary,
       r.state,
       r.state_json,
       std::int64_t{r.terminal},
       r.outcome,
       r.opened_on,
       OptValue(r.closed_on),
       OptValue(r.deadline),
       r.clock_status,
       r.limit_days,
       OptValue(r.days_used),
       OptValue(r.handler_id),
       std::int64_t{r.overdue_recorded},
       OptValue(r.ledger_index),
       r.created_at,
       r.updated_at};
}
}  // namespace

Status InsertCase(Connection& c, const CaseRecord& r) {
  return InsertMany(c, kInsertCase, kCaseColumnCount, {CaseParams(r)});
}

Status InsertCases(Connection& c, const std::vector<CaseRecord>& records) {
  std::vector<Params> rows;
  rows.reserve(records.size());
  for (const CaseRecord& r : records) rows.push_back(CaseParams(r));
  return InsertMany(c, kInsertCase, kCaseColumnCount, rows);
}

Status UpdateCase(Connection& c, const CaseRecord& r) {
  return Done(c.Exec(
      "UPDATE cases SET state = ?, state_json = ?, terminal = ?, outcome = ?, closed_on = ?, "
      "deadline = ?, clock_status = ?, limit_days = ?, days_used = ?, handler_id = ?, "
      "overdue_recorded = ?, ledger_index = ?, updated_at = ? WHERE id = ?",
      {r.state, r.state_json, std::int64_t{r.terminal}, r.outcome, OptValue(r.closed_on),
       OptValue(r.deadline), r.clock_status, r.limit_days, OptValue(r.days_used),
       OptValue(r.handler_id), std::int64_t{r.overdue_recorded}, OptValue(r.ledger_index),
       r.updated_at, r.id}));
}

Result<std::optional<CaseRecord>> GetCase(Connection& c, std::int64_t id) {
  return One<CaseRecord>(
      c.QueryOne(std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE c.id = ?", {id}),
      CaseFromRow);
}

Result<std::optional<CaseRecord>> GetCaseByReceipt(Connection& c, const std::string& code) {
  return One<CaseRecord>(c.QueryOne(std::string("SELECT ") + kCaseColumns +
                                        " FROM cases c WHERE c.receipt_code = ?",
                                    {code}),
                         CaseFromRow);
}

Result<std::vector<CaseRecord>> ListCases(Connection& c, const CaseQuery& q,
                                          std::int64_t offset) {
  auto [lo, hi] = PathRange(q.scope_path);
  std::string sql = std::string("SELECT ") + kCaseColumns +
                    " FROM cases c JOIN regions r ON r.code = c.town_code "
                    "WHERE r.path >= ? AND r.path < ?";
  Params params{lo, hi};
  if (q.town_code) {
    sql += " AND c.town_code = ?";
    params.emplace_back(*q.town_code);
  }
  if (q.agency_id) {
    sql += " AND c.agency_id = ?";
    params.emplace_back(*q.agency_id);
  }
  if (q.handler_id) {
    sql += " AND c.handler_id = ?";
    params.emplace_back(*q.handler_id);
  }
  if (q.open_only) {
    sql += " AND c.terminal = 0 ORDER BY CASE WHEN c.deadline IS NULL THEN 1 ELSE 0 END, "
           "c.deadline, c.id";
  } else {
    sql += " ORDER BY c.id DESC";
  }
  sql += " LIMIT ? OFFSET ?";
  params.emplace_back(std::int64_t{q.limit});
  params.emplace_back(offset);
  return All<CaseRecord>(c.Query(sql, params), CaseFromRow);
}

Result<std::vector<CaseRecord>> OverdueCandidates(Connection& c, const std::string& today,
                                                  int limit) {
  return All<CaseRecord>(
      c.Query(std::string("SELECT ") + kCaseColumns +
                  " FROM cases c WHERE c.terminal = 0 AND c.overdue_recorded = 0 "
                  "AND c.deadline IS NOT NULL AND c.deadline < ? ORDER BY c.deadline, c.id "
                  "LIMIT ?",
              {today, std::int64_t{limit}}),
      CaseFromRow);
}

namespace {
constexpr const char* kInsertStep =
    "INSERT INTO case_steps (case_id, seq, step, on_date, performer_id, officers, detail, "
    "ledger_index, created_at)";
Params StepParams(const CaseStepRecord& r) {
  return {r.case_id, r.seq, r.step, r.on_date, OptValue(r.performer_id), r.officers, r.detail,
          OptValue(r.ledger_index), r.created_at};
}
}  // namespace

Status InsertCaseStep(Connection& c, const CaseStepRecord& r) {
  return InsertMany(c, kInsertStep, 9, {StepParams(r)});
}

Status InsertCaseSteps(Connection& c, const std::vector<CaseStepRecord>& records) {
  std::vector<Params> rows;
  rows.reserve(records.size());
  for (const CaseStepRecord& r : records) rows.push_back(StepParams(r));
  return InsertMany(c, kInsertStep, 9, rows);
}

Result<std::int64_t> NextStepSeq(Connection& c, std::int64_t case_id) {
  auto row = c.QueryOne("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_steps WHERE case_id = ?", {case_id});
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

Result<std::vector<CaseStepRecord>> ListCaseSteps(Connection& c, std::int64_t case_id) {
  return All<CaseStepRecord>(
      c.Query("SELECT case_id, seq, step, on_date, performer_id, officers, detail, ledger_index, "
              "created_at FROM case_steps WHERE case_id = ? ORDER BY seq",
              {case_id}),
      [](const Row& r) {
        CaseStepRecord s;
        s.case_id = r.Int(0);
        s.seq = r.Int(1);
        s.step = r.Text(2);
        s.on_date = r.Text(3);
        s.performer_id = r.OptInt(4);
        s.officers = r.Text(5);
        s.detail = r.Text(6);
        s.ledger_index = r.OptInt(7);
        s.created_at = r.Int(8);
        return s;
      });
}

Result<std::int64_t> InsertCaseFile(Connection& c, const CaseFileRecord& r) {
  auto row = c.QueryOne("SELECT COALESCE(MAX(id), 0) + 1 FROM case_files");
  if (!row.ok()) return row.take_error();
  std::int64_t id = (*row)->Int(0);
  QZ_TRY(Done(c.Exec(
      "INSERT INTO case_files (id, case_id, kind, file_name, content_type, size, sha256, data, "
      "created_at) VALUES (?,?,?,?,?,?,?,?,?)",
      {id, r.case_id, r.kind, r.file_name, r.content_type, r.size, r.sha256, Blob{r.data},
       r.created_at})));
  return id;
}

Result<std::vector<CaseFileRecord>> ListCaseFiles(Connection& c, std::int64_t case_id) {
  return All<CaseFileRecord>(
      c.Query("SELECT id, case_id, kind, file_name, content_type, size, sha256, created_at "
              "FROM case_files WHERE case_id = ? ORDER BY id",
              {case_id}),
      [](const Row& r) {
        CaseFileRecord f;
        f.id = r.Int(0);
        f.case_id = r.Int(1);
        f.kind = r.Text(2);
        f.file_name = r.Text(3);
        f.content_type = r.Text(4);
        f.size = r.Int(5);
        f.sha256 = r.Text(6);
        f.created_at = r.Int(7);
        return f;
      });
}

// ---- Decisions and disclosure ----

namespace {
constexpr const char* kInsertDecision =
    "INSERT INTO case_decisions (case_id, town_code, power_code, outcome, responsible_id, "
    "responsible_name, responsible_post, content, tier, amount_fen, decided_on, effective_on, "
    "appeal, annulled_on, annul_reason, ledger_index, created_at)";
Params DecisionParams(const DecisionRecord& r, std::int64_t now) {
  return {r.case_id, r.town_code, r.power_code, r.outcome, r.responsible_id, r.responsible_name,
          r.responsible_post, r.content, r.tier, r.amount_fen, r.decided_on, r.effective_on, r.appeal,
          OptValue(r.annulled_on), r.annul_reason, OptValue(r.ledger_index), now};
}
}  // namespace

Status InsertDecision(Connection& c, const DecisionRecord& r, std::int64_t now) {
  return InsertMany(c, kInsertDecision, 17, {DecisionParams(r, now)});
}

Status InsertDecisions(Connection& c, const std::vector<DecisionRecord>& records, std::int64_t now) {
  std::vector<Params> rows;
  rows.reserve(records.size());
  for (const DecisionRecord& r : records) rows.push_back(DecisionParams(r, now));
  return InsertMany(c, kInsertDecision, 17, rows);
}

Result<std::optional<DecisionRecord>> GetDecision(Connection& c, std::int64_t case_id) {
  return One<DecisionRecord>(c.QueryOne(std::string("SELECT ") + kDecisionColumns +
                                            " FROM case_decisions WHERE case_id = ?",
                                        {case_id}),
                             DecisionFromRow);
}

Status ReplaceDecision(Connection& c, const DecisionRecord& r, std::int64_t now) {
  QZ_TRY(Done(c.Exec("DELETE FROM case_decisions WHERE case_id = ?", {r.case_id})));
  return InsertDecision(c, r, now);
}

Status UpdateDecisionAppeal(Connection& c, std::int64_t case_id, const std::string& appeal) {
  return Done(c.Exec("UPDATE case_decisions SET appeal = ? WHERE case_id = ?", {appeal, case_id}));
}

Status AnnulDecision(Connection& c, std::int64_t case_id, const std::string& on,
                     const std::string& reason) {
  return Done(c.Exec("UPDATE case_decisions SET annulled_on = ?, annul_reason = ? WHERE case_id = ?",
                     {on, reason, case_id}));
}

Result<std::vector<DecisionRecord>> ListPenaltyDecisions(Connection& c,
                                                         const std::string& scope_path) {
  auto [lo, hi] = PathRange(scope_path);
  return All<DecisionRecord>(
      c.Query("SELECT d.case_id, d.town_code, d.power_code, d.outcome, d.responsible_id, "
              "d.responsible_name, d.responsible_post, d.content, d.tier, d.amount_fen, "
              "d.decided_on, d.effective_on, d.appeal, d.annulled_on, d.annul_reason, "
              "d.ledger_index FROM case_decisions d JOIN regions r ON r.code = d.town_code "
              "WHERE r.path >= ? AND r.path < ? AND d.tier <> '' AND d.annulled_on IS NULL "
              "ORDER BY d.power_code, d.tier, d.case_id",
              {lo, hi}),
      DecisionFromRow);
}

Status InsertDisclosure(Connection& c, const DisclosureRecord& r, std::int64_t now) {
  return Done(c.Exec(
      "INSERT INTO disclosures (case_id, town_code, kind, title, content, decided_on, due_on, "
      "published_on, late, withdrawn_on, withdraw_due, withdraw_reason, ledger_index, created_at, "
      "due_flag) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {r.case_id, r.town_code, r.kind, r.title, r.content, r.decided_on, r.due_on,
       OptValue(r.published_on), std::int64_t{r.late}, OptValue(r.withdrawn_on),
       OptValue(r.withdraw_due), r.withdraw_reason, OptValue(r.ledger_index), now, r.due_flag}));
}

Status UpdateDisclosure(Connection& c, const DisclosureRecord& r) {
  return Done(c.Exec(
      "UPDATE disclosures SET published_on = ?, late = ?, withdrawn_on = ?, withdraw_due = ?, "
      "withdraw_reason = ?, ledger_index = ? WHERE case_id = ?",
      {OptValue(r.published_on), std::int64_t{r.late}, OptValue(r.withdrawn_on),
       OptValue(r.withdraw_due), r.withdraw_reason, OptValue(r.ledger_index), r.case_id}));
}

Result<std::optional<DisclosureRecord>> GetDisclosure(Connection& c, std::int64_t case_id) {
  return One<DisclosureRecord>(c.QueryOne(std::string("SELECT ") + kDisclosureColumns +
                                              " FROM disclosures WHERE case_id = ?",
                                          {case_id}),
                               DisclosureFromRow);
}

Result<std::vector<DisclosureRecord>> ListDisclosures(Connection& c, const std::string& town_code,
                                                      std::int64_t offset, int limit) {
  return All<DisclosureRecord>(
      c.Query(std::string("SELECT ") + kDisclosureColumns +
                  " FROM disclosures WHERE town_code = ? AND published_on IS NOT NULL "
                  "ORDER BY published_on DESC, case_id DESC LIMIT ? OFFSET ?",
              {town_code, std::int64_t{limit}, offset}),
      DisclosureFromRow);
}

Result<std::vector<DisclosureRecord>> LateDisclosures(Connection& c, const std::string& today) {
  return All<DisclosureRecord>(
      c.Query(std::string("SELECT ") + kDisclosureColumns +
                  " FROM disclosures WHERE published_on IS NULL AND late = 0 AND due_on <> '' "
                  "AND due_on < ? "
                  "ORDER BY case_id",
              {today}),
      DisclosureFromRow);
}

// ---- Ratings ----

Result<std::int64_t> InsertRating(Connection& c, const RatingRecord& r, std::int64_t now) {
  auto row = c.QueryOne("SELECT COALESCE(MAX(id), 0) + 1 FROM ratings");
  if (!row.ok()) return row.take_error();
  std::int64_t id = (*row)->Int(0);
  QZ_TRY(Done(c.Exec(
      "INSERT INTO ratings (id, case_id, level, scores, comment, rated_on, callback_due, fix_due, "
      "rectification, ledger_index, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
      {id, r.case_id, r.level, r.scores, r.comment, r.rated_on, OptValue(r.callback_due),
       OptValue(r.fix_due), r.rectification, OptValue(r.ledger_index), now})));
  return id;
}

Status UpdateRectification(Connection& c, std::int64_t rating_id, const std::string& state) {
  return Done(
      c.Exec("UPDATE ratings SET rectification = ? WHERE id = ?", {state, rating_id}));
}

Result<std::optional<RatingRecord>> GetRating(Connection& c, std::int64_t id) {
  return One<RatingRecord>(
      c.QueryOne(std::string("SELECT ") + kRatingColumns + " FROM ratings WHERE id = ?", {id}),
      RatingFromRow);
}

Result<std::optional<RatingRecord>> RatingOfCase(Connection& c, std::int64_t case_id) {
  return One<RatingRecord>(c.QueryOne(std::string("SELECT ") + kRatingColumns +
                                          " FROM ratings WHERE case_id = ? ORDER BY id LIMIT 1",
                                      {case_id}),
                           RatingFromRow);
}

Result<std::vector<RatingRecord>> OverdueRectifications(Connection& c, const std::string& today) {
  return All<RatingRecord>(
      c.Query(std::string("SELECT ") + kRatingColumns +
                  " FROM ratings WHERE rectification IN ('open','called_back') AND fix_due < ? "
                  "ORDER BY id",
              {today}),
      RatingFromRow);
}

// ---- Accountability ----

Result<std::int64_t> NextAccountabilityId(Connection& c) {
  auto row = c.QueryOne("SELECT COALESCE(MAX(id), 0) + 1 FROM accountability_records");
  if (!row.ok()) return row.take_error();
  return (*row)->Int(0);
}

Status InsertAccountability(Connection& c, const AccountabilityRecord& r) {
  return Done(c.Exec(
      "INSERT INTO accountability_records (id, town_code, case_id, trigger_kind, evidence, person_id, "
      "person_name, post, detail, state, conclusion, opened_on, ledger_index, created_at, "
      "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {r.id, r.town_code, OptValue(r.case_id), r.trigger, r.evidence, OptValue(r.person_id),
       r.person_name, r.post, r.detail, r.state, r.conclusion, r.opened_on, OptValue(r.ledger_index),
       r.created_at, r.updated_at}));
}

Status UpdateAccountability(Connection& c, const AccountabilityRecord& r) {
  return Done(c.Exec(
      "UPDATE accountability_records SET state = ?, conclusion = ?, ledger_index = ?, "
      "updated_at = ? WHERE id = ?",
      {r.state, r.conclusion, OptValue(r.ledger_index), r.updated_at, r.id}));
}

Result<std::optional<AccountabilityRecord>> GetAccountability(Connection& c, std::int64_t id) {
  return One<AccountabilityRecord>(
      c.QueryOne(std::string("SELECT ") + kAccountabilityColumns +
                     " FROM accountability_records a WHERE a.id = ?",
                 {id}),
      AccountabilityFromRow);
}

Result<std::vector<AccountabilityRecord>> ListAccountability(
    Connection& c, const std::string& scope_path, const std::optional<std::string>& state,
    const std::optional<std::string>& trigger, std::int64_t offset, int limit) {
  auto [lo, hi] = PathRange(scope_path);
  std::string sql = std::string("SELECT ") + kAccountabilityColumns +
                    " FROM accountability_records a JOIN regions r ON r.code = a.town_code "
                    "WHERE r.path >= ? AND r.path < ?";
  Params params{lo, hi};
  if (state) {
    sql += " AND a.state = ?";
    params.emplace_back(*state);
  }
  if (trigger) {
    sql += " AND a.trigger_kind = ?";
    params.emplace_back(*trigger);
  }
  sql += " ORDER BY a.id DESC LIMIT ? OFFSET ?";
  params.emplace_back(std::int64_t{limit});
  params.emplace_back(offset);
  return All<AccountabilityRecord>(c.Query(sql, params), AccountabilityFromRow);
}

// ---- Evaluation ----

Result<std::vector<EvaluationRow>> Evaluate(Connection& c, const std::string& scope_path,
                                            const std::string& by, const std::string& from,
                                            const std::string& to) {
  auto [lo, hi] = PathRange(scope_path);
  std::string key, label, join;
  if (by == "town") {
    key = "c.town_code";
    label = "r.name";
  } else if (by == "agency") {
    key = "CAST(c.agency_id AS TEXT)";
    label = "COALESCE(a.name, '')";
    join = " LEFT JOIN staffing_agencies a ON a.id = c.agency_id";
  } else {
    key = "CAST(c.handler_id AS TEXT)";
    label = "COALESCE(p.name, '')";
    join = " LEFT JOIN staffing_people p ON p.id = c.handler_id";
  }
  std::string sql =
      "SELECT " + key + ", MAX(" + label +
      "), COUNT(*), SUM(c.terminal), "
      "SUM(CASE WHEN c.terminal = 1 AND c.days_used IS NOT NULL AND c.days_used <= c.limit_days "
      "THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN c.days_used IS NULL THEN 0 ELSE c.days_used END), "
      "SUM(CASE WHEN c.days_used IS NULL THEN 0 ELSE c.limit_days END), "
      "COUNT(t.id), SUM(COALESCE(t.level, 0)), "
      "SUM(CASE WHEN t.level >= 4 THEN 1 ELSE 0 END), "
      // Cases with a backdated step (the flag in the engine's state, issue 13).
      "SUM(CASE WHEN c.state_json LIKE '%\"backdated\"%' THEN 1 ELSE 0 END) "
      "FROM cases c JOIN regions r ON r.code = c.town_code "
      "LEFT JOIN ratings t ON t.case_id = c.id" +
      join +
      " WHERE r.path >= ? AND r.path < ? AND c.opened_on >= ? AND c.opened_on <= ?" +
      (by == "officer" ? " AND c.handler_id IS NOT NULL" : "") + " GROUP BY " + key +
      " ORDER BY " + key;
  return All<EvaluationRow>(c.Query(sql, {lo, hi, from, to}), [](const Row& r) {
    EvaluationRow e;
    e.key = r.Text(0);
    e.label = r.Text(1);
    e.cases = r.Int(2);
    e.closed = r.Int(3);
    e.on_time = r.Int(4);
    e.days_used_sum = r.Int(5);
    e.limit_days_sum = r.Int(6);
    e.ratings = r.Int(7);
    e.rating_sum = r.Int(8);
    e.satisfied = r.Int(9);
    e.backdated = r.Int(10);
    return e;
  });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> TierDistribution(
    Connection& c, const std::string& scope_path, const std::string& from, const std::string& to) {
  auto [lo, hi] = PathRange(scope_path);
  return All<std::pair<std::string, std::int64_t>>(
      c.Query("SELECT d.tier, COUNT(*) FROM case_decisions d "
              "JOIN regions r ON r.code = d.town_code WHERE r.path >= ? AND r.path < ? "
              "AND d.tier <> '' AND d.decided_on >= ? AND d.decided_on <= ? "
              "GROUP BY d.tier ORDER BY d.tier",
              {lo, hi, from, to}),
      [](const Row& r) { return std::make_pair(r.Text(0), r.Int(1)); });
}

}  // namespace quanze::store
