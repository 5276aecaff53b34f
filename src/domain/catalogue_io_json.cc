// The catalogue as JSON: {"powers": [<power>, ...]} (see catalogue_json.cc
// for one power). A bare array of powers is accepted on input.
#include "domain/catalogue_io.h"
#include "domain/catalogue_io_internal.h"

namespace quanze::domain {
namespace cii = catalogue_io_internal;

using nlohmann::json;

namespace {

// The parser's complaint without its echo of the input ("; last read: '...'"
// and what follows), which can end inside a UTF-8 character and would make the
// message invalid UTF-8 (found by fuzz/catalogue_json_fuzzer.cc).
std::string SyntaxErrorText(const json::parse_error& e) {
  std::string what = e.what();
  if (std::size_t echo = what.find("; last read: "); echo != std::string::npos) what.erase(echo);
  return what;
}

}  // namespace

Result<std::vector<Power>> ParseCatalogueJson(std::string_view bytes) {
  QZ_ASSIGN_OR_RETURN(std::string text, DecodeToUtf8(bytes));
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return MakeError(ErrorCode::kBadRequest, "JSON语法错误（第" + std::to_string(e.byte) + "字节）",
                     "JSON syntax error at byte " + std::to_string(e.byte) + ": " + SyntaxErrorText(e),
                     {{"byte_offset", e.byte}});
  } catch (const json::out_of_range&) {  // a number beyond double, e.g. 1e400 (found by fuzzing)
    return MakeError(ErrorCode::kBadRequest, "JSON中的数值超出范围", "a number in the JSON is out of range");
  }
  const json* list = &doc;
  if (doc.is_object()) {
    std::vector<cii::RowError> errors;
    for (const auto& [k, v] : doc.items()) {
      if (k != "powers") {
        errors.push_back({0, k, "", "未知字段：" + k, "unknown field: " + k});
      }
    }
    auto it = doc.find("powers");
    if (it == doc.end()) {
      errors.push_back({0, "powers", "", "缺少powers数组", "the powers array is missing"});
    }
    if (!errors.empty()) return cii::ImportFailure(std::move(errors));
    list = &*it;
  }
  if (!list->is_array()) {
    return MakeError(ErrorCode::kBadRequest, "JSON须为{\"powers\": [...]}或事项数组",
                     "JSON must be {\"powers\": [...]} or an array of powers");
  }
  std::vector<cii::RowError> errors;
  std::vector<Power> powers;
  powers.reserve(list->size());
  for (size_t i = 0; i < list->size(); ++i) {
    PowerReading reading = ReadPowerJson((*list)[i]);
    int row = static_cast<int>(i + 1);
    for (auto& e : reading.errors) {
      errors.push_back({row, e.field, "", std::move(e.reason_zh), std::move(e.reason_en)});
    }
    powers.push_back(std::move(reading.power));
  }
  std::vector<cii::RowRef> refs;
  for (size_t i = 0; i < powers.size(); ++i) refs.push_back({static_cast<int>(i + 1), &powers[i]});
  auto cross = cii::CheckCatalogueRows(refs, {"code", "", "parent_code", ""});
  errors.insert(errors.end(), cross.begin(), cross.end());
  if (!errors.empty()) return cii::ImportFailure(std::move(errors));
  return powers;
}

std::string WriteCatalogueJson(const std::vector<Power>& powers) {
  json list = json::array();
  for (const auto& p : powers) list.push_back(PowerToJson(p));
  return json{{"powers", std::move(list)}}.dump(2, ' ', false, json::error_handler_t::replace) +
         "\n";
}

}  // namespace quanze::domain
