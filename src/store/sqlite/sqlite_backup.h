// Online backup of a SQLite database (SQLite's backup API), safe while a
// `quanze serve` process writes to the same file: the copy is one consistent
// snapshot, taken inside a single read transaction on the source, which in WAL
// mode never blocks the writers (it only holds back checkpoints meanwhile).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/result.h"

namespace quanze::store {

// Called after each step with the pages copied so far and the total.
using BackupProgress = std::function<void(std::int64_t copied, std::int64_t total)>;

// Copies the database at `from` (which must exist; never created) to `to`.
// The copy is written to a temporary file beside `to`, synced, and renamed
// over `to`, so `to` is either untouched or a complete copy; stale `to-wal` /
// `to-shm` files are removed first. The caller decides whether `to` may be
// overwritten. `progress` may be empty. Thread-compatible (no shared state).
// Failures: kNotFound when `from` does not exist, kInternal for I/O or
// SQLite errors, kUnavailable when the source stays locked past the timeout.
Status BackupSqlite(const std::string& from, const std::string& to,
                    const BackupProgress& progress = {});

}  // namespace quanze::store
