// SQLite backend: one file, WAL journal, foreign keys on, synchronous=FULL
// (an acknowledged commit survives a crash or power loss), a busy timeout,
// one writer connection and a pool of reader connections. Statements are
// prepared once per connection and cached by their SQL text.
#pragma once

#include <memory>
#include <string>

#include "store/db.h"

namespace quanze::store {

struct SqliteOptions {
  std::string path;
  int readers = 4;
  int busy_timeout_ms = 5000;
};

Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options);

}  // namespace quanze::store
