// Schema of organisation and staffing (migration 3). docs/staffing.md §7
// describes each table; the rows map onto the domain types of
// src/domain/staffing.h (enum columns hold their snake_case codes).
//
// Ids of agencies, people, consultations, grade approvals and changes are
// assigned by the application (the next free id, inside the writer's
// transaction), because the domain rules judge a change before it is stored.
// ID numbers are never stored here in clear: staffing_people.id_commitment
// is the keyed commitment whose clear value lives in personal_data (erasable).
#include "store/migrations.h"

namespace quanze::store {

const std::string_view kStaffingSchema = R"SQL(
CREATE TABLE staffing_agencies (
  id                     {{INT}} PRIMARY KEY,
  town_code              TEXT NOT NULL REFERENCES regions(code),
  name                   TEXT NOT NULL,
  kind                   TEXT NOT NULL,
  agency_rank            TEXT NOT NULL,
  nameplates             TEXT NOT NULL DEFAULT '[]',
  functions              TEXT NOT NULL DEFAULT '',
  approving_authority    TEXT NOT NULL DEFAULT '',
  approval_doc           TEXT NOT NULL DEFAULT '',
  approving_level        TEXT NOT NULL DEFAULT 'none',
  parent_department      TEXT NOT NULL DEFAULT '',
  localised              {{INT}} NOT NULL DEFAULT 0,
  assessment_permille    {{INT}} NOT NULL DEFAULT 0,
  state                  TEXT NOT NULL DEFAULT 'active'
                         CHECK (state IN ('active','merged','abolished','superseded')),
  merged_into            {{INT}},
  created_at             {{INT}} NOT NULL,
  updated_at             {{INT}} NOT NULL
);
CREATE INDEX staffing_agencies_town ON staffing_agencies(town_code, state);

CREATE TABLE staffing_quotas (
  agency_id  {{INT}} NOT NULL REFERENCES staffing_agencies(id),
  kind       TEXT NOT NULL,
  count      {{INT}} NOT NULL CHECK (count >= 0),
  PRIMARY KEY (agency_id, kind)
);

CREATE TABLE staffing_leadership_quotas (
  agency_id  {{INT}} NOT NULL REFERENCES staffing_agencies(id),
  grade      TEXT NOT NULL,
  count      {{INT}} NOT NULL CHECK (count >= 0),
  PRIMARY KEY (agency_id, grade)
);

CREATE TABLE staffing_baselines (
  region_code TEXT NOT NULL REFERENCES regions(code),
  kind        TEXT NOT NULL,
  count       {{INT}} NOT NULL CHECK (count >= 0),
  document    TEXT NOT NULL DEFAULT '',
  fixed_at    {{INT}} NOT NULL,
  PRIMARY KEY (region_code, kind)
);

CREATE TABLE staffing_people (
  id              {{INT}} PRIMARY KEY,
  town_code       TEXT NOT NULL REFERENCES regions(code),
  agency_id       {{INT}} NOT NULL,
  name            TEXT NOT NULL,
  id_commitment   TEXT NOT NULL DEFAULT '',
  post            TEXT NOT NULL DEFAULT '',
  title           TEXT NOT NULL DEFAULT '',
  grade           TEXT NOT NULL DEFAULT 'none',
  quota_kind      TEXT NOT NULL DEFAULT '',
  is_leader       {{INT}} NOT NULL DEFAULT 0,
  cert_number     TEXT NOT NULL DEFAULT '',
  cert_valid_from TEXT NOT NULL DEFAULT '',
  cert_valid_to   TEXT NOT NULL DEFAULT '',
  grade_approval  TEXT NOT NULL DEFAULT '',
  approved_grade  TEXT NOT NULL DEFAULT 'none',
  state           TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active','left','superseded')),
  created_at      {{INT}} NOT NULL,
  updated_at      {{INT}} NOT NULL
);
CREATE INDEX staffing_people_town ON staffing_people(town_code, state);
CREATE INDEX staffing_people_agency ON staffing_people(agency_id, state);
CREATE INDEX staffing_people_commitment ON staffing_people(id_commitment);

CREATE TABLE staffing_grade_approvals (
  id             {{INT}} PRIMARY KEY,
  town_code      TEXT NOT NULL REFERENCES regions(code),
  person_id      {{INT}},
  candidate_name TEXT NOT NULL DEFAULT '',
  grade          TEXT NOT NULL,
  authority      TEXT NOT NULL,
  doc            TEXT NOT NULL,
  level          TEXT NOT NULL,
  approved_on    TEXT NOT NULL,
  used_by_change {{INT}},
  created_at     {{INT}} NOT NULL
);

CREATE TABLE staffing_consultations (
  id             {{INT}} PRIMARY KEY,
  town_code      TEXT NOT NULL REFERENCES regions(code),
  agency_id      {{INT}} NOT NULL REFERENCES staffing_agencies(id),
  action         TEXT NOT NULL CHECK (action IN ('appoint','remove')),
  person_id      {{INT}},
  candidate_name TEXT NOT NULL DEFAULT '',
  post           TEXT NOT NULL DEFAULT '',
  town_opinion   TEXT NOT NULL DEFAULT '',
  document       TEXT NOT NULL,
  consulted_on   TEXT NOT NULL,
  used_by_change {{INT}},
  created_at     {{INT}} NOT NULL
);
CREATE INDEX staffing_consultations_agency ON staffing_consultations(agency_id);

CREATE TABLE staffing_changes (
  id                  {{INT}} PRIMARY KEY,
  town_code           TEXT NOT NULL REFERENCES regions(code),
  type                TEXT NOT NULL,
  request             TEXT NOT NULL,
  approving_authority TEXT NOT NULL DEFAULT '',
  approval_doc        TEXT NOT NULL DEFAULT '',
  approving_level     TEXT NOT NULL DEFAULT 'none',
  state               TEXT NOT NULL CHECK (state IN ('applied','imported')),
  requested_by        {{INT}},
  ledger_index        {{INT}},
  created_at          {{INT}} NOT NULL
);
CREATE INDEX staffing_changes_town ON staffing_changes(town_code, id);
)SQL";

}  // namespace quanze::store
