// The real nesting depth of a JSON text, measured with nlohmann's SAX parser
// (iterative: safe on any input). An oracle for the fuzz targets, independent
// of the byte scan http::CheckJsonDepth does.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace quanze::fuzz {

class DepthSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  int max_depth = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return Open(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool Open() {
    max_depth = std::max(max_depth, ++depth_);
    return true;
  }
  bool Close() {
    --depth_;
    return true;
  }
  int depth_ = 0;
};

// The depth of `text` when it is one valid JSON value; nullopt otherwise.
inline std::optional<int> JsonDepth(std::string_view text) {
  DepthSax sax;
  bool ok = nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json, true);
  if (!ok) return std::nullopt;
  return sax.max_depth;
}

}  // namespace quanze::fuzz
