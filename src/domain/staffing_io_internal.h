// Shared by staffing_io.cc (JSON, changes) and staffing_io_csv.cc (CSV):
// a field reader that collects problems instead of stopping, and the
// builder that turns located JSON items into a StaffingRegister.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/staffing_io.h"

namespace quanze::domain::staffing_io {

// Reads the fields of one JSON object (a record), collecting problems.
// Values may be JSON-typed or text (CSV cells): "3" is read as 3, "是" as
// true. Every key must be one of `allowed`.
class FieldReader {
 public:
  FieldReader(std::vector<InputProblem>& problems, const nlohmann::json& j, std::string where,
              int line, const std::vector<std::string_view>& allowed);

  bool valid_object() const { return object_; }
  bool Has(std::string_view key) const;
  std::string Text(std::string_view key, bool required, std::size_t max_bytes = 500);
  // A positive integer (an id or reference); 0 when absent and optional.
  std::int64_t Id(std::string_view key, bool required);
  // A count ≥ 0; 0 when absent and optional.
  int Count(std::string_view key, bool required);
  bool Bool(std::string_view key);
  // A share in [0, 1]; 0 when absent.
  double Share(std::string_view key);
  std::optional<Date> DateField(std::string_view key);
  std::vector<std::string> Strings(std::string_view key);
  // An enum from its code or Chinese name; `fallback` when absent and optional.
  template <typename E>
  E Enum(std::string_view key, std::optional<E> (*parse)(std::string_view),
         std::string_view what_zh, std::string_view what_en, bool required, E fallback) {
    if (!Has(key)) {
      if (required) Missing(key);
      return fallback;
    }
    const std::string text = Text(key, true, 100);
    if (text.empty()) return fallback;
    if (auto v = parse(text)) return *v;
    Fail(key, "未知的" + std::string(what_zh) + "“" + text + "”",
         "unknown " + std::string(what_en) + " \"" + text + "\"");
    return fallback;
  }
  // The nested object under `key` (an empty object when absent).
  const nlohmann::json& Object(std::string_view key);

  void Fail(std::string_view field, std::string zh, std::string en);
  void Missing(std::string_view field);
  const std::string& where() const { return where_; }
  int line() const { return line_; }

 private:
  const nlohmann::json* Get(std::string_view key) const;

  std::vector<InputProblem>& problems_;
  const nlohmann::json& j_;
  std::string where_;
  int line_;
  bool object_;
};

// One located JSON object of the input.
struct Item {
  nlohmann::json j;
  std::string where;
  int line = 0;
};

// One town's records before validation.
struct TownItems {
  std::string town_code;
  std::string where;
  int line = 0;
  std::vector<Item> agencies, quotas, leadership_quotas, persons, baseline;
  // baseline items are {"kind": ..., "count": ...}
};

// Validates every item (all problems collected) and builds the register.
// `problems` may already hold problems found while reading the text.
Result<StaffingRegister> BuildRegister(std::vector<TownItems> towns,
                                       std::vector<InputProblem> problems,
                                       const StaffingSettings& s);

// Field parsers shared with the change parser (ids may be 0 when
// `id_required` is false).
Agency ReadAgency(FieldReader& r, bool id_required);
Person ReadPerson(FieldReader& r, const StaffingSettings& s, bool id_required);
Approval ReadApproval(const nlohmann::json& j, std::vector<InputProblem>& problems,
                      const std::string& where, int line);

}  // namespace quanze::domain::staffing_io
