// DataReader: reads typed fields out of a rule data file's JSON objects and
// collects every problem with its JSON path, so the author of a data file sees
// all of them at once. Shared by the parsers of procedure files
// (procedure_parse.cc) and the case rule book (cases/rule_book.cc). Internal
// to domain/.
#pragma once

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quanze::domain::detail {

// Collects errors while reading typed fields out of JSON objects.
class Reader {
 public:
  void Fail(std::string path, std::string zh, std::string en) {
    errors_.push_back(
        {{"path", std::move(path)}, {"message_zh", std::move(zh)}, {"message_en", std::move(en)}});
  }
  bool ok() const { return errors_.empty(); }
  nlohmann::json TakeErrors() { return std::exchange(errors_, nlohmann::json::array()); }

  // Refuses keys outside `allowed`; false when `obj` is not an object.
  bool Object(const nlohmann::json& obj, const std::string& path,
              std::initializer_list<std::string_view> allowed) {
    if (!obj.is_object()) {
      Fail(path, "应为对象", "must be an object");
      return false;
    }
    for (const auto& [key, value] : obj.items()) {
      bool known = false;
      for (auto a : allowed) known = known || a == key;
      if (!known) Fail(Join(path, key), "未知字段：" + key, "unknown field: " + key);
    }
    return true;
  }

  std::string String(const nlohmann::json& obj, const std::string& path, const char* key,
                     bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Fail(Join(path, key), "缺少必填字段", "required field missing");
      return "";
    }
    if (!it->is_string()) {
      Fail(Join(path, key), "应为字符串", "must be a string");
      return "";
    }
    std::string s = it->get<std::string>();
    if (required && s.empty()) Fail(Join(path, key), "不能为空", "must not be empty");
    return s;
  }

  int Int(const nlohmann::json& obj, const std::string& path, const char* key, int fallback,
          int min) {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_number_integer() || it->get<std::int64_t>() < min ||
        it->get<std::int64_t>() > 1000000) {
      Fail(Join(path, key), "应为不小于" + std::to_string(min) + "的整数",
           "must be an integer >= " + std::to_string(min));
      return fallback;
    }
    return it->get<int>();
  }

  std::int64_t Int64(const nlohmann::json& obj, const std::string& path, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) {
      Fail(Join(path, key), "应为非负整数（分）", "must be a non-negative integer (fen)");
      return 0;
    }
    return it->get<std::int64_t>();
  }

  bool Bool(const nlohmann::json& obj, const std::string& path, const char* key, bool fallback) {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_boolean()) {
      Fail(Join(path, key), "应为true或false", "must be true or false");
      return fallback;
    }
    return it->get<bool>();
  }

  std::vector<std::string> Strings(const nlohmann::json& obj, const std::string& path,
                                   const char* key) {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    if (!it->is_array()) {
      Fail(Join(path, key), "应为字符串数组", "must be an array of strings");
      return out;
    }
    for (size_t i = 0; i < it->size(); ++i) {
      const nlohmann::json& v = (*it)[i];
      if (!v.is_string() || v.get<std::string>().empty()) {
        Fail(Index(Join(path, key), i), "应为非空字符串", "must be a non-empty string");
        continue;
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  // Calls `each(element, path)` for every element of the array `key`.
  void Array(const nlohmann::json& obj, const std::string& path, const char* key, bool required,
             const std::function<void(const nlohmann::json&, const std::string&)>& each) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Fail(Join(path, key), "缺少必填数组", "required array missing");
      return;
    }
    if (!it->is_array()) {
      Fail(Join(path, key), "应为数组", "must be an array");
      return;
    }
    for (size_t i = 0; i < it->size(); ++i) each((*it)[i], Index(Join(path, key), i));
  }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string Index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  nlohmann::json errors_ = nlohmann::json::array();
};

}  // namespace quanze::domain::detail
