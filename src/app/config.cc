#include "app/config.h"

#include <toml++/toml.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace quanze::app {
namespace {

// One setting: its key, and how to set it from text.
struct Field {
  std::string key;
  std::function<Status(Config&, const std::string&)> set;
};

Error BadValue(const std::string& key, const std::string& value, const std::string& source,
               const std::string& want_zh, const std::string& want_en) {
  return MakeError(ErrorCode::kBadRequest,
                   "配置项 " + key + "（来自" + source + "）的值“" + value + "”无效，应为" + want_zh,
                   "setting " + key + " (from " + source + ") has invalid value '" + value +
                       "'; expected " + want_en);
}

template <typename T>
Field IntField(std::string key, T Config::*member, std::int64_t min, std::int64_t max) {
  return {key, [key, member, min, max](Config& c, const std::string& v) -> Status {
            try {
              std::size_t used = 0;
              long long n = std::stoll(v, &used);
              if (used != v.size() || n < min || n > max) throw std::out_of_range("range");
              c.*member = static_cast<T>(n);
              return Ok();
            } catch (...) {
              std::string range = std::to_string(min) + "–" + std::to_string(max);
              return BadValue(key, v, "", "整数 " + range, "an integer " + range);
            }
          }};
}

Field StringField(std::string key, std::string Config::*member) {
  return {key, [member](Config& c, const std::string& v) -> Status {
            c.*member = v;
            return Ok();
          }};
}

Field OptionalBoolField(std::string key, std::optional<bool> Config::*member) {
  return {key, [key, member](Config& c, const std::string& v) -> Status {
            if (v == "auto") {
              c.*member = std::nullopt;
            } else if (v == "true" || v == "1" || v == "yes") {
              c.*member = true;
            } else if (v == "false" || v == "0" || v == "no") {
              c.*member = false;
            } else {
              return BadValue(key, v, "", "true、false 或 auto", "true, false or auto");
            }
            return Ok();
          }};
}

Field RateField(std::string key, RateSetting Config::*member) {
  return {key, [key, member](Config& c, const std::string& v) -> Status {
            auto r = ParseRateSetting(key, v);
            if (!r.ok()) {
              return BadValue(key, v, "", "“容量,每秒补充数”（如 10,0.1）或 off",
                              "CAPACITY,REFILL_PER_SECOND (e.g. 10,0.1) or off");
            }
            c.*member = *r;
            return Ok();
          }};
}

const std::vector<Field>& Fields() {
  static const std::vector<Field> kFields = {
      StringField("db", &Config::db),
      StringField("server.listen", &Config::listen),
      StringField("server.web_root", &Config::web_root),
      IntField("server.workers", &Config::workers, 0, 256),
      IntField("server.max_body_bytes", &Config::max_body_bytes, 1024, 1LL << 30),
      IntField("server.read_timeout_seconds", &Config::read_timeout_seconds, 1, 3600),
      IntField("server.write_timeout_seconds", &Config::write_timeout_seconds, 1, 3600),
      IntField("server.handle_timeout_seconds", &Config::handle_timeout_seconds, 1, 3600),
      OptionalBoolField("server.cookie_secure", &Config::cookie_secure),
      StringField("server.trusted_proxies", &Config::trusted_proxies),
      RateField("server.rate_sign_in", &Config::rate_sign_in),
      RateField("server.rate_public_writes", &Config::rate_public_writes),
      IntField("server.public_applications_per_day", &Config::public_applications_per_day, 0,
               1000000),
      IntField("server.rate_max_clients", &Config::rate_max_clients, 100, 10000000),
      StringField("ledger.key_file", &Config::ledger_key_file),
      StringField("ledger.secret_file", &Config::ledger_secret_file),
      StringField("ledger.origin", &Config::ledger_origin),
      IntField("ledger.checkpoint_interval_ms", &Config::checkpoint_interval_ms, 0, 3600000),
      IntField("session.idle_seconds", &Config::session_idle_seconds, 60, 30LL * 86400),
      IntField("session.absolute_seconds", &Config::session_absolute_seconds, 60, 90LL * 86400),
      IntField("login.slow_after", &Config::login_slow_after, 1, 1000),
      IntField("login.lock_after", &Config::login_lock_after, 1, 1000),
      IntField("login.lock_seconds", &Config::login_lock_seconds, 1, 30LL * 86400),
      StringField("log.level", &Config::log_level),
      StringField("cases.holidays_dir", &Config::holidays_dir),
      IntField("cases.yellow_working_days", &Config::yellow_working_days, 0, 365),
      IntField("cases.disclosure_working_days", &Config::disclosure_working_days, 1, 365),
      IntField("cases.callback_working_days", &Config::callback_working_days, 1, 365),
      IntField("cases.fix_working_days", &Config::fix_working_days, 1, 365),
      IntField("cases.hearing_natural_person_fen", &Config::hearing_natural_person_fen, 0,
               1LL << 40),
      IntField("cases.hearing_organisation_fen", &Config::hearing_organisation_fen, 0, 1LL << 40),
      IntField("cases.max_backdate_days", &Config::max_backdate_days, 0, 365),
      IntField("cases.sweep_interval_seconds", &Config::sweep_interval_seconds, 0, 86400),
  };
  return kFields;
}

std::string EnvName(const std::string& key) {
  std::string out = "QUANZE_";
  for (char c : key) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Status Apply(Config& c, const Field& f, const std::string& value, const std::string& source_zh,
             const std::string& source_en) {
  Status s = f.set(c, value);
  if (s.ok()) return s;
  Error e = s.take_error();
  // Name the source in the message.
  e.message_zh.replace(e.message_zh.find("（来自"), std::string("（来自）").size(), "（来自" + source_zh + "）");
  e.message_en.replace(e.message_en.find("(from "), std::string("(from )").size(), "(from " + source_en + ")");
  return e;
}

// Flattens a TOML table into dotted keys with text values.
Status Flatten(const toml::table& table, const std::string& prefix,
               std::map<std::string, std::string>& out, const std::string& file) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      QZ_TRY(Flatten(*sub, key, out, file));
    } else if (const auto* s = node.as_string()) {
      out[key] = s->get();
    } else if (const auto* i = node.as_integer()) {
      out[key] = std::to_string(i->get());
    } else if (const auto* b = node.as_boolean()) {
      out[key] = b->get() ? "true" : "false";
    } else {
      return MakeError(ErrorCode::kBadRequest, file + " 中的 " + key + " 类型不受支持",
                       "unsupported value type for " + key + " in " + file);
    }
  }
  return Ok();
}

}  // namespace

Result<RateSetting> ParseRateSetting(const std::string& key, const std::string& text) {
  if (text == "off" || text == "0") return RateSetting{};
  auto bad = [&] {
    return MakeError(
        ErrorCode::kBadRequest,
        "配置项 " + key + " 的值“" + text + "”无效，应为“容量,每秒补充数”（如 10,0.2）或 off",
        "setting " + key + " has invalid value '" + text +
            "'; expected CAPACITY,REFILL_PER_SECOND (e.g. 10,0.2) or off");
  };
  std::size_t comma = text.find(',');
  if (comma == std::string::npos) return bad();
  std::string a = text.substr(0, comma), b = text.substr(comma + 1);
  char* end = nullptr;
  double capacity = std::strtod(a.c_str(), &end);
  if (a.empty() || *end != '\0') return bad();
  double refill = std::strtod(b.c_str(), &end);
  if (b.empty() || *end != '\0') return bad();
  if (!(capacity >= 1 && capacity <= 1e6) || !(refill > 0 && refill <= 1e6)) return bad();
  return RateSetting{capacity, refill};
}

bool Config::SessionCookieSecure() const {
  if (cookie_secure) return *cookie_secure;
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  bool loopback = host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
  return !loopback;
}

std::string Config::KeyFileBase() const {
  bool pg = db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
  if (!pg) return db;
  // postgresql://[authority]/NAME?params: NAME, made safe as a file name.
  std::size_t start = db.find("://") + 3;
  std::size_t slash = db.find_first_of("/?", start);
  std::string name;
  if (slash != std::string::npos && db[slash] == '/') {
    name = db.substr(slash + 1, db.find('?', slash) - slash - 1);
  }
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  }
  return "var/" + (name.empty() ? std::string("postgres") : name);
}

const std::vector<std::string>& ConfigKeys() {
  static const std::vector<std::string> kKeys = [] {
    std::vector<std::string> keys;
    for (const auto& f : Fields()) keys.push_back(f.key);
    return keys;
  }();
  return kKeys;
}

Result<Config> LoadConfig(const std::map<std::string, std::string>& flags,
                          const std::function<std::optional<std::string>(const std::string&)>& getenv,
                          const std::string& toml_text, const std::string& toml_name) {
  Config config;
  std::map<std::string, std::string> from_file;
  if (!toml_text.empty()) {
    try {
      toml::table table = toml::parse(toml_text, toml_name);
      QZ_TRY(Flatten(table, "", from_file, toml_name));
    } catch (const toml::parse_error& e) {
      std::ostringstream where;
      where << e.source().begin;
      return MakeError(ErrorCode::kBadRequest,
                       "配置文件 " + toml_name + " 语法错误（" + where.str() + "）：" + std::string(e.description()),
                       "config file " + toml_name + " has a syntax error at " + where.str() + ": " +
                           std::string(e.description()));
    }
  }
  for (const auto& [key, value] : from_file) {
    bool known = false;
    for (const auto& f : Fields()) known = known || f.key == key;
    if (!known) {
      return MakeError(ErrorCode::kBadRequest, "配置文件 " + toml_name + " 中有未知配置项 " + key,
                       "unknown setting " + key + " in " + toml_name);
    }
  }
  for (const auto& f : Fields()) {
    if (auto it = flags.find(f.key); it != flags.end()) {
      QZ_TRY(Apply(config, f, it->second, "命令行", "the command line"));
    } else if (auto env = getenv(EnvName(f.key)); env && !env->empty()) {
      QZ_TRY(Apply(config, f, *env, EnvName(f.key), EnvName(f.key)));
    } else if (auto it2 = from_file.find(f.key); it2 != from_file.end()) {
      QZ_TRY(Apply(config, f, it2->second, toml_name, toml_name));
    }
  }
  return config;
}

Result<std::string> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kBadRequest, "无法读取配置文件 " + path, "cannot read config file " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace quanze::app
