// Import and export of a master catalogue as CSV or JSON.
//
// Formats (docs/catalogue.md has the full specification):
//  - Text encoding on input: UTF-8 with or without BOM, GB18030/GBK (what
//    Excel on Chinese Windows saves as "CSV"), or UTF-16 with a BOM ("Unicode
//    text"). Output is UTF-8; CSV output starts with a BOM so Excel opens it.
//  - CSV is RFC 4180: comma-separated, fields with a comma, quote or line break
//    in double quotes, quotes doubled, records ended by CRLF (LF and CR also
//    accepted). The first record is the header; the columns are named in
//    Chinese (事项编码 ...) or by their English aliases (code ...), in any order.
//  - A cell holding a list (设定依据, 申请材料, 责任事项, 追责情形) has one entry
//    per line. Inside an entry "\" escapes: "\\" backslash, "\n" line feed,
//    "\r" carriage return, "\|" a literal bar; "|" separates the parts of an
//    entry (材料: 名称|来源|份数|必要性; 责任事项: 环节|内容). A legal basis is
//    written 《法律名称》第X条：条文 (the article and the "：条文" part may be omitted).
//  - JSON is {"powers": [<power>, ...]} (a bare array is accepted), each
//    power as in catalogue.h / catalogue_json.cc.
//
// Parsing is all-or-nothing: either every row is valid and all items are
// returned, or a kValidation error whose detail is
//   {"errors": [{"row": N, "column": "事项类型", "column_letter": "C",
//                "reason_zh": ..., "reason_en": ...}, ...]}
// lists every problem of every bad row. Rows are numbered as a spreadsheet
// shows them (the header is row 1; a record with line breaks inside quotes is
// one row). "column" is the header as written in the file, or null when the
// problem concerns the whole row. For JSON, "row" is the item's position in
// the array (from 1) and "column" the JSON path of the field.
//
// Everything here is pure (text in, values out) and thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/catalogue.h"
#include "domain/text_encoding.h"  // DecodeToUtf8, IsValidUtf8 (were declared here)

namespace quanze::domain {

// One CSV record and the spreadsheet row it appears on (first record = 1).
struct CsvRecord {
  int row = 0;
  std::vector<std::string> fields;
  bool operator==(const CsvRecord&) const = default;
};

// "A", "B", ... "Z", "AA": the spreadsheet letter of a 0-based column index.
std::string ColumnLetter(size_t index);

// RFC 4180 records of UTF-8 text. kValidation (same detail shape as above,
// column null) when a quoted field is not closed or text follows a closing
// quote; every such row is reported. A field that WriteCsvRecord neutralised
// ("'" followed by any quotes and then = + - @ tab or CR) loses that one
// leading "'", so ReadCsv(WriteCsvRecord(f)) gives f back.
Result<std::vector<CsvRecord>> ReadCsv(std::string_view text);

// One record, each field quoted when needed, ended by CRLF. A field that a
// spreadsheet would run as a formula (it starts with = + - @ tab or CR, after
// any leading "'") gets one "'" in front, so Excel and LibreOffice show it as
// text (OWASP CSV injection); every CSV quanze publishes is written here.
std::string WriteCsvRecord(const std::vector<std::string>& fields);

// The header names, Chinese, in the order WriteCatalogueCsv writes them.
std::vector<std::string> CatalogueCsvHeader();

Result<std::vector<Power>> ParseCatalogueCsv(std::string_view bytes);
Result<std::vector<Power>> ParseCatalogueJson(std::string_view bytes);

// parse(write(x)) == x for every list of valid powers.
std::string WriteCatalogueCsv(const std::vector<Power>& powers);
std::string WriteCatalogueJson(const std::vector<Power>& powers);

}  // namespace quanze::domain
