// Config: every setting of a quanze instance, from four sources in order of
// precedence: command-line flags > environment (QUANZE_*) > TOML file >
// defaults. Keys are dotted ("server.listen"); the environment name of a key
// is QUANZE_ + upper-case with '.' → '_' (QUANZE_SERVER_LISTEN).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace quanze::app {

// A token-bucket rate limit (docs/operations.md "Abuse limits"): `capacity`
// requests at once, then `refill_per_second`. capacity 0 = no limit.
struct RateSetting {
  double capacity = 0;
  double refill_per_second = 0;
};
// Parses "CAPACITY,REFILL_PER_SECOND" (e.g. "10,0.1") or "off".
// kBadRequest naming `key` otherwise.
Result<RateSetting> ParseRateSetting(const std::string& key, const std::string& text);

struct Config {
  std::string db = "var/quanze.db";
  std::string listen = "127.0.0.1:8080";
  std::string web_root;          // directory with the built web front end ("" = none)
  int workers = 0;               // HTTP worker threads; 0 = number of cores
  std::int64_t max_body_bytes = 8 * 1024 * 1024;
  int read_timeout_seconds = 15;    // slow clients: time to read a whole request
  int write_timeout_seconds = 15;
  int handle_timeout_seconds = 30;
  std::string ledger_key_file;      // "" = <db>.ledger-key
  std::string ledger_secret_file;   // "" = <db>.commit-secret
  std::string ledger_origin = "quanze.demo/ledger";
  int checkpoint_interval_ms = 1000;
  std::int64_t session_idle_seconds = 30 * 60;
  std::int64_t session_absolute_seconds = 12 * 3600;
  int login_slow_after = 3;
  int login_lock_after = 8;
  std::int64_t login_lock_seconds = 15 * 60;
  std::string log_level = "info";
  // Session cookie `Secure`: true, false, or unset = automatic (Secure unless
  // server.listen is a loopback address); see SessionCookieSecure().
  std::optional<bool> cookie_secure;
  // Abuse limits (issue 14 §2), per client address; see docs/operations.md.
  std::string trusted_proxies;  // IPs/CIDRs whose X-Forwarded-For is believed
  RateSetting rate_sign_in{10, 0.1};
  RateSetting rate_public_writes{30, 0.5};
  int public_applications_per_day = 20;  // per client; 0 = no cap
  int rate_max_clients = 100000;         // addresses tracked per limit, per process
  // Case handling (docs/cases.md).
  std::string holidays_dir;         // extra cn-YYYY.json schedules ("" = the built-in years)
  int yellow_working_days = 3;
  int max_backdate_days = 3;  // working days a step may be dated before it is recorded
  int disclosure_working_days = 7;
  int callback_working_days = 1;
  int fix_working_days = 15;
  std::int64_t hearing_natural_person_fen = 300000;   // 较大数额: 3,000 yuan (as Jiangxi 2021)
  std::int64_t hearing_organisation_fen = 2000000;    // 20,000 yuan
  int sweep_interval_seconds = 300;  // deadline sweep in `serve` (0 = off)

  // Key files default to <db>.ledger-key / <db>.commit-secret beside a SQLite
  // file, and to var/<database name>.* for a postgresql:// URL. Every process
  // serving one PostgreSQL database must use the same two files.
  std::string KeyFile() const {
    return ledger_key_file.empty() ? KeyFileBase() + ".ledger-key" : ledger_key_file;
  }
  std::string SecretFile() const {
    return ledger_secret_file.empty() ? KeyFileBase() + ".commit-secret" : ledger_secret_file;
  }
  std::string KeyFileBase() const;
  // Whether the session cookie carries `Secure`: cookie_secure when set, else
  // true unless the host of `listen` is loopback (127.0.0.0/8, ::1, localhost).
  bool SessionCookieSecure() const;
};

// The keys LoadConfig understands, for --help and error messages.
const std::vector<std::string>& ConfigKeys();

// Builds the config. `flags` holds only the flags given explicitly on the
// command line (key → text); `getenv` looks up environment variables;
// `toml_text` is the content of the config file ("" if none).
// Errors (kBadRequest): unknown key in the file, a value of the wrong type.
Result<Config> LoadConfig(const std::map<std::string, std::string>& flags,
                          const std::function<std::optional<std::string>(const std::string&)>& getenv,
                          const std::string& toml_text, const std::string& toml_name = "config");

// Reads a file for LoadConfig; kBadRequest if it cannot be read.
Result<std::string> ReadConfigFile(const std::string& path);

}  // namespace quanze::app
