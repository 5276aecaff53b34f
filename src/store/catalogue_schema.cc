// Schema of the power catalogue and devolution (migration 2).
//
// catalogue_powers      one row per item of a province master catalogue (通用目录):
//                       the whole item as JSON (`item`, keys sorted, no whitespace:
//                       domain::PowerToJson) plus the columns lists filter on.
// reform_batches        改革批次: criteria and milestones as JSON arrays.
// reform_batch_towns    the towns selected into a batch, with their indicator
//                       values and score ({"indicators": {...}, "score": x}).
// grants                赋权: power × town. At most one grant per (town, power)
//                       that is not revoked. decision_doc and readiness are JSON.
// town_catalogue_versions  published town catalogues. A row is written once and
//                       never updated or deleted (app/ has no statement that
//                       would): `items` is the JSON array of the published items,
//                       `content_hash` the SHA-256 (hex) of
//                       domain::CanonicalCatalogueContent, `ledger_index` the
//                       journal entry that published it.
#include "store/migrations.h"

namespace quanze::store {

const std::string_view kCatalogueSchema = R"SQL(
CREATE TABLE catalogue_powers (
  province_code TEXT NOT NULL REFERENCES regions(code),
  code          TEXT NOT NULL,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,
  department    TEXT NOT NULL,
  parent_code   TEXT,
  version       {{INT}} NOT NULL,
  valid_from    TEXT NOT NULL,
  valid_to      TEXT,
  item          TEXT NOT NULL,
  created_at    {{INT}} NOT NULL,
  updated_at    {{INT}} NOT NULL,
  PRIMARY KEY (province_code, code)
);
CREATE INDEX catalogue_powers_kind ON catalogue_powers(province_code, kind, code);
CREATE INDEX catalogue_powers_department ON catalogue_powers(province_code, department, code);

CREATE TABLE reform_batches (
  id            {{ID}},
  province_code TEXT NOT NULL REFERENCES regions(code),
  name          TEXT NOT NULL,
  start_date    TEXT NOT NULL,
  criteria      TEXT NOT NULL,
  milestones    TEXT NOT NULL,
  created_at    {{INT}} NOT NULL
);
CREATE UNIQUE INDEX reform_batches_name ON reform_batches(province_code, name);

CREATE TABLE reform_batch_towns (
  batch_id  {{INT}} NOT NULL REFERENCES reform_batches(id),
  town_code TEXT NOT NULL REFERENCES regions(code),
  selection TEXT NOT NULL,
  added_at  {{INT}} NOT NULL,
  PRIMARY KEY (batch_id, town_code)
);
CREATE INDEX reform_batch_towns_town ON reform_batch_towns(town_code, batch_id);

CREATE TABLE grants (
  id              {{ID}},
  province_code   TEXT NOT NULL,
  power_code      TEXT NOT NULL,
  town_code       TEXT NOT NULL REFERENCES regions(code),
  county_code     TEXT NOT NULL REFERENCES regions(code),
  batch_id        {{INT}} NOT NULL,
  mode            TEXT NOT NULL CHECK (mode IN ('delegation','entrustment')),
  kind            TEXT NOT NULL,
  decision_doc    TEXT NOT NULL,
  readiness       TEXT NOT NULL,
  state           TEXT NOT NULL
                  CHECK (state IN ('proposed','ready','effective','suspended','revoked')),
  valid_from      TEXT NOT NULL,
  valid_to        TEXT,
  next_evaluation TEXT,
  state_reason    TEXT NOT NULL DEFAULT '',
  created_at      {{INT}} NOT NULL,
  updated_at      {{INT}} NOT NULL,
  FOREIGN KEY (province_code, power_code) REFERENCES catalogue_powers(province_code, code),
  FOREIGN KEY (batch_id, town_code) REFERENCES reform_batch_towns(batch_id, town_code)
);
CREATE INDEX grants_town ON grants(town_code, id);
CREATE INDEX grants_town_state ON grants(town_code, state, power_code);
CREATE UNIQUE INDEX grants_open_per_town ON grants(town_code, power_code) WHERE state <> 'revoked';

CREATE TABLE town_catalogue_versions (
  town_code    TEXT NOT NULL REFERENCES regions(code),
  version      {{INT}} NOT NULL,
  published_at TEXT NOT NULL,
  items        TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  item_count   {{INT}} NOT NULL,
  counts       TEXT NOT NULL,
  ledger_index {{INT}} NOT NULL,
  created_at   {{INT}} NOT NULL,
  PRIMARY KEY (town_code, version)
);
)SQL";

}  // namespace quanze::store
