// Staffing records as data: the register a town brings into the system
// (导入台账, JSON or CSV) and the JSON form of a change request. Pure: text
// or JSON in, domain values or a complete list of problems out. The formats
// are specified in docs/staffing.md (§6 scenario files, §8 import, §9 API);
// the JSON of one town is the "state" object of a scenario file.
//
// Parsing never stops at the first problem: every bad row and field is
// reported, so an operator can fix a file in one pass. Messages never quote
// an ID number.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/staffing.h"
#include "domain/staffing_rules.h"

namespace quanze::domain {

// One problem in the input: where (a CSV line, or a JSON pointer such as
// "/towns/0/persons/3"), which field, and what is wrong.
struct InputProblem {
  int line = 0;  // CSV line (1 = header); 0 for JSON
  std::string where;
  std::string field;
  std::string message_zh;
  std::string message_en;
};

// The problems as the "errors" array of Error::detail.
nlohmann::json ProblemsToJson(const std::vector<InputProblem>& problems);
// kValidation "输入有 N 处错误 / the input has N problem(s)" with
// detail {"errors": [...]}.
Error ProblemsError(const std::vector<InputProblem>& problems);

// A register: the towns of a file, each a TownStaffing whose agency and
// person ids are the file's own references (unique and positive within the
// town; the importer gives them database ids). has_baseline tells a town
// whose file fixes its baseline.
struct RegisterTown {
  TownStaffing staffing;
  bool has_baseline = false;
  std::string where;  // location of the town in the file
};

struct StaffingRegister {
  std::vector<RegisterTown> towns;
  std::int64_t persons = 0;
  std::int64_t agencies = 0;
};

// Both parsers take the file's bytes in any encoding DecodeToUtf8 accepts
// (UTF-8 with or without BOM, GB18030/GBK as Excel on Chinese Windows saves,
// UTF-16 with BOM); every message is UTF-8. kBadRequest, naming the byte
// offset, when the bytes cannot be decoded.
//
// JSON: {"towns": [<town>, ...]}, a bare array of towns, or one town object
// {"town_code", "baseline", "agencies", "quotas", "leadership_quotas",
// "persons"}. kBadRequest for text that is not JSON; kValidation with every
// problem otherwise.
Result<StaffingRegister> ParseRegisterJson(std::string_view bytes, const StaffingSettings& s);
// CSV (RFC 4180): one record per line, typed by the "record" column (agency,
// quota, leadership_quota, person, baseline). A problem in a cell is located
// as "第 3 行 S 列 / line 3, column S" (where) and the column's name (field).
Result<StaffingRegister> ParseRegisterCsv(std::string_view bytes, const StaffingSettings& s);

// 15 or 18 characters: digits, the 18th may be 'X'. Shape only (legacy
// registers hold numbers whose check digit is wrong).
bool IdNumberShapeValid(std::string_view id_number);

// A quota kind from its code or Chinese name ("行政编制" → "administrative");
// any other text is kept as it is (an unconfigured kind, reported by the
// wrong_quota_kind rule).
std::string NormaliseQuotaKind(std::string_view text, const StaffingSettings& s);

// A change request in the JSON of docs/staffing.md §9 (the "change" objects
// of scenario files): {"type": "appoint", "person": {...}, ...}. Ids that the
// system assigns (a new agency's, a new person's) may be absent and are 0.
// kBadRequest / kValidation with every problem in detail.errors.
Result<Change> ParseChangeJson(const nlohmann::json& request, const StaffingSettings& s);

}  // namespace quanze::domain
