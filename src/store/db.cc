#include "store/db.h"

#include <algorithm>

namespace quanze::store {

bool Row::IsNull(std::size_t i) const {
  return std::holds_alternative<std::nullptr_t>(values_.at(i));
}

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    try {
      return std::stoll(*s);
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

std::string Row::Text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  return {};
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

Result<std::vector<Row>> Connection::Query(std::string_view sql, const Params& params) {
  std::vector<Row> rows;
  QZ_TRY(EachRow(sql, params, [&](Row&& row) -> Status {
    rows.push_back(std::move(row));
    return Ok();
  }));
  return rows;
}

Status Connection::QueryEach(std::string_view sql, const Params& params,
                             const std::function<Status(const Row&)>& fn) {
  return EachRow(sql, params, [&](Row&& row) { return fn(row); });
}

Result<std::optional<Row>> Connection::QueryOne(std::string_view sql, const Params& params) {
  auto rows = Query(sql, params);
  if (!rows.ok()) return rows.take_error();
  if (rows->empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows->front()));
}

Status InsertMany(Connection& c, std::string_view head, std::size_t columns,
                  const std::vector<Params>& rows) {
  constexpr std::size_t kRowsPerStatement = 500;  // 500 x 32 columns < SQLite's 32,766 variables
  std::string tuple = "(";
  for (std::size_t i = 0; i < columns; ++i) tuple += i ? ",?" : "?";
  tuple += ")";
  for (std::size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
    std::size_t n = std::min(kRowsPerStatement, rows.size() - start);
    std::string sql(head);
    sql += " VALUES ";
    Params params;
    params.reserve(n * columns);
    for (std::size_t i = 0; i < n; ++i) {
      const Params& row = rows[start + i];
      if (row.size() != columns) {
        return MakeError(ErrorCode::kInternal, "批量插入的列数不符", "bulk insert column count mismatch");
      }
      if (i) sql += ',';
      sql += tuple;
      params.insert(params.end(), row.begin(), row.end());
    }
    auto done = c.Exec(sql, params);
    if (!done.ok()) return done.take_error();
  }
  return Ok();
}

}  // namespace quanze::store
