// Forward-only, numbered schema migrations, recorded in schema_migrations.
// The SQL is written once with dialect placeholders ({{ID}}, {{INT}},
// {{BLOB}}) so that SQLite and PostgreSQL get schemas identical in effect.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"

namespace quanze::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Schemas of the areas, each in its own file (store/<area>_schema.cc).
extern const std::string_view kCatalogueSchema;  // version 2
extern const std::string_view kStaffingSchema;   // version 3
extern const std::string_view kCasesSchema;      // version 4
extern const std::string_view kCasesSchemaV5;    // version 5

// All migrations in order. Append only: never edit a released one.
const std::vector<Migration>& AllMigrations();

// Rewrites the dialect placeholders for "sqlite" or "postgres".
std::string RenderMigration(std::string_view sql, std::string_view dialect);

// Applies every migration newer than the recorded version, each in its own
// transaction. Refuses a database from a newer quanze (unknown version).
Status RunMigrations(Connection& conn);

// The highest applied migration version (0 when none is); needs the
// schema_migrations table that RunMigrations creates. Read-only.
Result<int> SchemaVersion(Connection& conn);

}  // namespace quanze::store
