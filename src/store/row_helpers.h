// Small helpers shared by the repositories (records.cc, catalogue_store.cc,
// staffing_store.cc): turning Exec/Query results into Status and typed
// values, and the path range used to scan a region subtree.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/db.h"

namespace quanze::store::rows {

// The status of a statement whose row count does not matter.
inline Status Done(Result<std::int64_t> r) {
  if (!r.ok()) return r.take_error();
  return Ok();
}

// An optional value as a parameter: NULL when absent.
inline Value OptValue(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return *v;
}
inline Value OptValue(const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

// Every row converted.
template <typename T, typename F>
Result<std::vector<T>> All(Result<std::vector<Row>> rows, F convert) {
  if (!rows.ok()) return rows.take_error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(convert(r));
  return out;
}

// The row converted, if there is one.
template <typename T, typename F>
Result<std::optional<T>> One(Result<std::optional<Row>> row, F convert) {
  if (!row.ok()) return row.take_error();
  if (!*row) return std::optional<T>();
  return std::optional<T>(convert(**row));
}

// Half-open range [prefix, prefix_end) of region paths under a scope path
// ("all" or "" = every region): a range scan instead of LIKE, so nothing
// needs escaping.
inline std::pair<std::string, std::string> PathRange(const std::string& scope_path) {
  std::string prefix = scope_path == "all" || scope_path.empty() ? "/" : scope_path;
  std::string end = prefix;
  end.back() = static_cast<char>(end.back() + 1);
  return {prefix, end};
}

}  // namespace quanze::store::rows
