// Accounts: users, passwords (argon2id), API tokens, browser sessions with
// CSRF tokens, login throttling. Every account change and every login
// success, failure and refusal is journaled. Passwords, tokens and session
// ids never reach the log or the request log: only their hashes are stored.
#pragma once

#include <functional>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/writer.h"
#include "domain/access.h"
#include "store/db.h"
#include "store/records.h"

namespace quanze::app {

// The signed-in account as seen by every use case.
struct AuthUser {
  std::int64_t id = 0;
  std::string name;
  domain::Role role = domain::Role::kTownOfficer;
  std::string scope;       // "all" or a region code
  std::string scope_path;  // "all" or the region's path
  nlohmann::json ToJson() const;  // {"id","name","role","role_label","scope"}
  Actor AsActor(std::string channel = "http") const;
};

struct Session {
  AuthUser user;
  std::string csrf_token;  // empty for bearer tokens (no CSRF needed)
  std::string id_hash;     // empty for bearer tokens
};

struct LoginOutcome {
  bool ok = false;
  std::int64_t retry_after = 0;   // seconds, when throttled
  std::string session_token;      // the cookie value, once
  std::string csrf_token;
  AuthUser user;
  std::optional<Receipt> receipt;
};

class Accounts {
 public:
  Accounts(store::Database& db, Writer& writer, const Clock& clock,
           domain::SessionPolicy session_policy, domain::ThrottlePolicy throttle_policy);

  // argon2id (libsodium crypto_pwhash_str, interactive limits).
  static Result<std::string> HashPassword(const std::string& password);
  static bool VerifyPassword(const std::string& hash, const std::string& password);

  Result<Committed> AddUser(const Actor& actor, const std::string& name, const std::string& role,
                            const std::string& scope, const std::string& password);
  // Sets the password; ends every session and revokes every bearer token of
  // the account, at once in every process.
  Result<Committed> SetPassword(const Actor& actor, const std::string& name,
                                const std::string& password);
  // Disables (or enables) an account. A disabled account cannot sign in; its
  // sessions are ended and its tokens refused at once in every process (they
  // work again after `enable` unless revoked).
  Result<Committed> SetDisabled(const Actor& actor, const std::string& name, bool disabled);
  // Revokes every bearer token of the account (by name, or by id for the
  // admin API), at once in every process. The answer counts them.
  Result<Committed> RevokeTokens(const Actor& actor, const std::string& name);
  Result<Committed> RevokeTokensOf(const Actor& actor, std::int64_t user_id);
  // Clears the sign-in throttle of the account for every client address.
  Result<Committed> Unlock(const Actor& actor, const std::string& name);
  // A new bearer token (printed once by the caller); only its hash is stored.
  Result<std::pair<std::string, Committed>> IssueToken(const Actor& actor, const std::string& name,
                                                       int ttl_days);
  Result<std::vector<store::UserRecord>> ListUsers();

  // Checks the password (slow: run off the writer thread), then records the
  // outcome. Throttled attempts come back with ok=false and retry_after > 0.
  // The throttle is kept per (account, client address), so failures from one
  // address never lock the account for another. Failures are journaled once
  // per burst (docs/operations.md "Failed sign-ins in the log").
  void Login(const std::string& name, const std::string& password, const std::string& client,
             std::function<void(Result<LoginOutcome>)> done);
  Result<LoginOutcome> LoginSync(const std::string& name, const std::string& password,
                                 const std::string& client = "cli");
  // The login_throttle key of (account, client).
  static std::string ThrottleKey(const std::string& name, const std::string& client);
  void Logout(const Session& session, std::function<void(Result<Committed>)> done);

  // kUnauthenticated when missing, unknown, expired or disabled.
  Result<Session> AuthenticateSession(const std::string& session_token);
  Result<Session> AuthenticateBearer(const std::string& token);

  static std::string TokenHash(const std::string& token);

 private:
  Result<AuthUser> ToAuthUser(store::Connection& c, const store::UserRecord& u);
  Result<Committed> RevokeTokensWhere(const Actor& actor, std::optional<std::int64_t> id,
                                      const std::string& name);

  store::Database& db_;
  Writer& writer_;
  const Clock& clock_;
  domain::SessionPolicy session_policy_;
  domain::ThrottlePolicy throttle_policy_;
  std::string dummy_hash_;
  // Bearer tokens seen in the last few seconds (token hash → session, time
  // cached): scripts send the same token on every request. A token that
  // expires stays usable at most kTokenCacheSeconds longer. Revocation,
  // disabling and password changes bump the database's credentials
  // generation (kCredentialsGeneration), read on every request: a changed
  // generation empties the cache, so they take effect at once everywhere.
  static constexpr std::int64_t kTokenCacheSeconds = 5;
  static constexpr const char* kCredentialsGeneration = "credentials_generation";
  std::mutex token_mu_;
  std::string token_cache_generation_;
  std::unordered_map<std::string, std::pair<Session, std::int64_t>> token_cache_;
};

}  // namespace quanze::app
