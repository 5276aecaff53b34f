// Shared by catalogue_io*.cc only: the row-error list of an import and the
// checks that span rows. Not part of the public API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/catalogue.h"

namespace quanze::domain::catalogue_io_internal {

struct RowError {
  int row = 0;
  std::optional<std::string> column;  // nullopt: the whole row
  std::string column_letter;          // "C"; empty for JSON or whole-row errors
  std::string reason_zh;
  std::string reason_en;
};

// kValidation listing every error (sorted by row, stable), nothing imported.
Error ImportFailure(std::vector<RowError> errors);

// Where the code and parent-code cells of a row are, for error messages.
struct RowRef {
  int row = 0;
  const Power* power = nullptr;
};
struct CodeColumns {
  std::string code, code_letter, parent, parent_letter;
};

// Duplicate codes (reported on every later row), parent codes absent from
// the file, and parent chains that loop.
std::vector<RowError> CheckCatalogueRows(const std::vector<RowRef>& rows,
                                         const CodeColumns& columns);

}  // namespace quanze::domain::catalogue_io_internal
