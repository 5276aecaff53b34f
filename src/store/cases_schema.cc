// Schema of case handling (migration 4). docs/cases.md §8 describes each
// table; the rows map onto src/domain/procedure.h (CaseState is stored as
// JSON in cases.state_json) and the records of src/app/cases.h.
//
// Personal data of parties (names of natural persons, ID numbers, phone
// numbers) is never stored here in clear: the *_commitment columns hold the
// keyed commitment whose clear value lives in personal_data (erasable);
// party_display holds what may be shown (an organisation's name, or a masked
// personal name).
#include "store/migrations.h"

namespace quanze::store {

const std::string_view kCasesSchema = R"SQL(
CREATE TABLE user_people (
  user_id    {{INT}} PRIMARY KEY REFERENCES users(id),
  person_id  {{INT}} NOT NULL,
  linked_at  {{INT}} NOT NULL
);

CREATE TABLE grant_agencies (
  grant_id    {{INT}} PRIMARY KEY REFERENCES grants(id),
  agency_id   {{INT}} NOT NULL,
  assigned_at {{INT}} NOT NULL
);

CREATE TABLE post_steps (
  agency_id  {{INT}} NOT NULL,
  post       TEXT NOT NULL,
  steps      TEXT NOT NULL,
  updated_at {{INT}} NOT NULL,
  PRIMARY KEY (agency_id, post)
);

CREATE TABLE legal_reviewers (
  person_id  {{INT}} PRIMARY KEY,
  document   TEXT NOT NULL,
  granted_at {{INT}} NOT NULL
);

CREATE TABLE cases (
  id                 {{INT}} PRIMARY KEY,
  receipt_code       TEXT NOT NULL UNIQUE,
  town_code          TEXT NOT NULL REFERENCES regions(code),
  power_code         TEXT NOT NULL,
  power_name         TEXT NOT NULL,
  power_kind         TEXT NOT NULL,
  grant_id           {{INT}} NOT NULL,
  agency_id          {{INT}} NOT NULL,
  procedure_id       TEXT NOT NULL,
  procedure_version  {{INT}} NOT NULL,
  origin             TEXT NOT NULL,
  party_kind         TEXT NOT NULL CHECK (party_kind IN ('natural_person','organisation')),
  party_display      TEXT NOT NULL,
  party_commitment   TEXT NOT NULL DEFAULT '',
  id_commitment      TEXT NOT NULL DEFAULT '',
  phone_commitment   TEXT NOT NULL DEFAULT '',
  summary            TEXT NOT NULL DEFAULT '',
  state              TEXT NOT NULL,
  state_json         TEXT NOT NULL,
  terminal           {{INT}} NOT NULL DEFAULT 0,
  outcome            TEXT NOT NULL DEFAULT '',
  opened_on          TEXT NOT NULL,
  closed_on          TEXT,
  deadline           TEXT,
  clock_status       TEXT NOT NULL DEFAULT 'not_started',
  limit_days         {{INT}} NOT NULL DEFAULT 0,
  days_used          {{INT}},
  handler_id         {{INT}},
  overdue_recorded   {{INT}} NOT NULL DEFAULT 0,
  ledger_index       {{INT}},
  created_at         {{INT}} NOT NULL,
  updated_at         {{INT}} NOT NULL
);
CREATE INDEX cases_town ON cases(town_code, terminal, deadline);
CREATE INDEX cases_agency ON cases(agency_id, terminal, deadline);
CREATE INDEX cases_open ON cases(terminal, deadline);

CREATE TABLE case_steps (
  case_id      {{INT}} NOT NULL REFERENCES cases(id),
  seq          {{INT}} NOT NULL,
  step         TEXT NOT NULL,
  on_date      TEXT NOT NULL,
  performer_id {{INT}},
  officers     TEXT NOT NULL DEFAULT '[]',
  detail       TEXT NOT NULL DEFAULT '{}',
  ledger_index {{INT}},
  created_at   {{INT}} NOT NULL,
  PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_steps_performer ON case_steps(performer_id);

CREATE TABLE case_files (
  id           {{INT}} PRIMARY KEY,
  case_id      {{INT}} NOT NULL REFERENCES cases(id),
  kind         TEXT NOT NULL,
  file_name    TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         {{INT}} NOT NULL,
  sha256       TEXT NOT NULL,
  data         {{BLOB}} NOT NULL,
  created_at   {{INT}} NOT NULL
);
CREATE INDEX case_files_case ON case_files(case_id);

CREATE TABLE case_decisions (
  case_id           {{INT}} PRIMARY KEY REFERENCES cases(id),
  town_code         TEXT NOT NULL,
  power_code        TEXT NOT NULL,
  outcome           TEXT NOT NULL,
  responsible_id    {{INT}} NOT NULL,
  responsible_name  TEXT NOT NULL,
  responsible_post  TEXT NOT NULL,
  content           TEXT NOT NULL,
  tier              TEXT NOT NULL DEFAULT '',
  amount_fen        {{INT}} NOT NULL DEFAULT 0,
  decided_on        TEXT NOT NULL,
  effective_on      TEXT NOT NULL,
  appeal            TEXT NOT NULL,
  annulled_on       TEXT,
  annul_reason      TEXT NOT NULL DEFAULT '',
  ledger_index      {{INT}},
  created_at        {{INT}} NOT NULL
);
CREATE INDEX case_decisions_power ON case_decisions(power_code, tier);

CREATE TABLE disclosures (
  case_id        {{INT}} PRIMARY KEY REFERENCES cases(id),
  town_code      TEXT NOT NULL,
  kind           TEXT NOT NULL,
  title          TEXT NOT NULL,
  content        TEXT NOT NULL,
  decided_on     TEXT NOT NULL,
  due_on         TEXT NOT NULL,
  published_on   TEXT,
  late           {{INT}} NOT NULL DEFAULT 0,
  withdrawn_on   TEXT,
  withdraw_due   TEXT,
  withdraw_reason TEXT NOT NULL DEFAULT '',
  ledger_index   {{INT}},
  created_at     {{INT}} NOT NULL
);
CREATE INDEX disclosures_town ON disclosures(town_code, published_on);

CREATE TABLE ratings (
  id           {{INT}} PRIMARY KEY,
  case_id      {{INT}} NOT NULL REFERENCES cases(id),
  level        {{INT}} NOT NULL CHECK (level BETWEEN 1 AND 5),
  scores       TEXT NOT NULL DEFAULT '{}',
  comment      TEXT NOT NULL DEFAULT '',
  rated_on     TEXT NOT NULL,
  callback_due TEXT,
  fix_due      TEXT,
  rectification TEXT NOT NULL DEFAULT 'none'
               CHECK (rectification IN ('none','open','called_back','fixed','overdue')),
  ledger_index {{INT}},
  created_at   {{INT}} NOT NULL
);
CREATE INDEX ratings_case ON ratings(case_id);

CREATE TABLE accountability_records (
  id           {{INT}} PRIMARY KEY,
  town_code    TEXT NOT NULL,
  case_id      {{INT}},
  trigger_kind TEXT NOT NULL,
  evidence     TEXT NOT NULL DEFAULT '[]',
  person_id    {{INT}},
  person_name  TEXT NOT NULL DEFAULT '',
  post         TEXT NOT NULL DEFAULT '',
  detail       TEXT NOT NULL DEFAULT '{}',
  state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','under_review','concluded')),
  conclusion   TEXT NOT NULL DEFAULT '',
  opened_on    TEXT NOT NULL,
  ledger_index {{INT}},
  created_at   {{INT}} NOT NULL,
  updated_at   {{INT}} NOT NULL
);
CREATE INDEX accountability_town ON accountability_records(town_code, state);
CREATE UNIQUE INDEX accountability_once ON accountability_records(case_id, trigger_kind, detail);
)SQL";

// Migration 5 (lawful outcomes, issue 13): a disclosure whose due date falls
// in a year without a loaded holiday schedule has no due date and says why.
const std::string_view kCasesSchemaV5 = R"SQL(
ALTER TABLE disclosures ADD COLUMN due_flag TEXT NOT NULL DEFAULT '';
)SQL";

}  // namespace quanze::store
