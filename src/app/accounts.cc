#include "app/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <future>

#include "ledger/hash.h"

namespace quanze::app {
namespace {

Error Unauthenticated() {
  return MakeError(ErrorCode::kUnauthenticated, "未登录或登录已失效，请重新登录",
                   "not signed in, or the session has expired; please sign in");
}

std::string RandomToken(const std::string& prefix) {
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, buf, sizeof buf, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return prefix + out;
}

Error UserNotFound(const std::string& name) {
  return MakeError(ErrorCode::kNotFound, "账号“" + name + "”不存在", "no account named '" + name + "'");
}

}  // namespace

nlohmann::json AuthUser::ToJson() const {
  return {{"id", id},
          {"name", name},
          {"role", std::string(domain::RoleCode(role))},
          {"role_label", std::string(domain::RoleLabelZh(role))},
          {"scope", scope}};
}

Actor AuthUser::AsActor(std::string channel) const {
  Actor a;
  a.user_id = id;
  a.role = std::string(domain::RoleCode(role));
  a.channel = std::move(channel);
  return a;
}

Accounts::Accounts(store::Database& db, Writer& writer, const Clock& clock,
                   domain::SessionPolicy session_policy, domain::ThrottlePolicy throttle_policy)
    : db_(db),
      writer_(writer),
      clock_(clock),
      session_policy_(session_policy),
      throttle_policy_(throttle_policy) {
  auto h = HashPassword("quanze-timing-equaliser");
  if (h.ok()) dummy_hash_ = *h;
}

Result<std::string> Accounts::HashPassword(const std::string& password) {
  if (sodium_init() < 0) {
    return MakeError(ErrorCode::kInternal, "libsodium 初始化失败", "libsodium failed to initialise");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return MakeError(ErrorCode::kInternal, "密码哈希失败（内存不足）", "password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool Accounts::VerifyPassword(const std::string& hash, const std::string& password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string Accounts::TokenHash(const std::string& token) {
  return ledger::HexEncode(ledger::ThreadLocalHasher().Sha256(token));
}

Result<AuthUser> Accounts::ToAuthUser(store::Connection& c, const store::UserRecord& u) {
  QZ_ASSIGN_OR_RETURN(domain::Role role, domain::ParseRole(u.role));
  AuthUser a{u.id, u.name, role, u.scope, "all"};
  if (u.scope != "all") {
    QZ_ASSIGN_OR_RETURN(auto region, store::GetRegion(c, u.scope));
    // A scope whose region vanished grants nothing.
    a.scope_path = region ? region->path : "/nonexistent/";
  }
  return a;
}

Result<Committed> Accounts::AddUser(const Actor& actor, const std::string& name,
                                    const std::string& role, const std::string& scope,
                                    const std::string& password) {
  QZ_TRY(domain::ValidateUserName(name));
  QZ_TRY(domain::ParseRole(role));
  QZ_TRY(domain::ValidatePassword(password));
  QZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return writer_.Run([&](Tx& tx) -> Result<nlohmann::json> {
    if (scope != "all") {
      QZ_ASSIGN_OR_RETURN(auto region, store::GetRegion(tx.conn(), scope));
      if (!region) {
        return MakeError(ErrorCode::kValidation, "授权范围“" + scope + "”不是已知的区划代码",
                         "scope '" + scope + "' is not a known region code");
      }
    }
    QZ_ASSIGN_OR_RETURN(auto existing, store::FindUserByName(tx.conn(), name));
    if (existing) {
      return MakeError(ErrorCode::kConflict, "账号“" + name + "”已存在", "account '" + name + "' already exists");
    }
    store::UserRecord u;
    u.name = name;
    u.role = role;
    u.scope = scope;
    u.password_hash = hash;
    QZ_ASSIGN_OR_RETURN(std::int64_t id, store::InsertUser(tx.conn(), u, tx.now_seconds()));
    QZ_TRY(tx.Append({"user.created", actor, "user", std::to_string(id),
                      {{"name", name}, {"role", role}, {"scope", scope}}}));
    return nlohmann::json{{"id", id}, {"name", name}, {"role", role}, {"scope", scope}};
  });
}

Result<Committed> Accounts::SetPassword(const Actor& actor, const std::string& name,
                                        const std::string& password) {
  QZ_TRY(domain::ValidatePassword(password));
  QZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return writer_.Run([&](Tx& tx) -> Result<nlohmann::json> {
    QZ_ASSIGN_OR_RETURN(auto user, store::FindUserByName(tx.conn(), name));
    if (!user) return UserNotFound(name);
    QZ_TRY(store::UpdatePasswordHash(tx.conn(), user->id, hash, tx.now_seconds()));
    QZ_TRY(store::DeleteUserSessions(tx.conn(), user->id));
    QZ_ASSIGN_OR_RETURN(std::int64_t revoked, store::DeleteUserTokens(tx.conn(), user->id));
    QZ_TRY(store::IncrementSetting(tx.conn(), kCredentialsGeneration));
    QZ_TRY(tx.Append({"user.password_changed",
                      actor,
                      "user",
                      std::to_string(user->id),
                      {{"name", name}, {"tokens_revoked", revoked}}}));
    return nlohmann::json{{"id", user->id}, {"name", name}, {"tokens_revoked", revoked}};
  });
}

Result<Committed> Accounts::SetDisabled(const Actor& actor, const std::string& name,
                                        bool disabled) {
  return writer_.Run([&](Tx& tx) -> Result<nlohmann::json> {
    QZ_ASSIGN_OR_RETURN(auto user, store::FindUserByName(tx.conn(), name));
    if (!user) return UserNotFound(name);
    QZ_TRY(store::SetUserDisabled(tx.conn(), user->id, disabled, tx.now_seconds()));
    if (disabled) {
      QZ_TRY(store::DeleteUserSessions(tx.conn(), user->id));
    }
    QZ_TRY(store::IncrementSetting(tx.conn(), kCredentialsGeneration));
    QZ_TRY(tx.Append({disabled ? "user.disabled" : "user.enabled",
                      actor,
                      "user",
                      std::to_string(user->id),
                      {{"name", name}}}));
    return nlohmann::json{{"id", user->id}, {"name", name}, {"disabled", disabled}};
  });
}

Result<Committed> Accounts::RevokeTokensWhere(const Actor& actor, std::optional<std::int64_t> id,
                                              const std::string& name) {
  return writer_.Run([&](Tx& tx) -> Result<nlohmann::json> {
    std::optional<store::UserRecord> user;
    if (id) {
      QZ_ASSIGN_OR_RETURN(user, store::FindUserById(tx.conn(), *id));
      if (!user) {
        return MakeError(ErrorCode::kNotFound, "账号 " + std::to_string(*id) + " 不存在",
                         "no account with id " + std::to_string(*id));
      }
    } else {
      QZ_ASSIGN_OR_RETURN(user, store::FindUserByName(tx.conn(), name));
      if (!user) return UserNotFound(name);
    }
    QZ_ASSIGN_OR_RETURN(std::int64_t revoked, store::DeleteUserTokens(tx.conn(), user->id));
    QZ_TRY(store::IncrementSetting(tx.conn(), kCredentialsGeneration));
    QZ_TRY(tx.Append({"token.revoked",
                      actor,
                      "user",
                      std::to_string(user->id),
                      {{"name", user->name}, {"tokens_revoked", revoked}}}));
    return nlohmann::json{{"id", user->id}, {"name", user->name}, {"tokens_revoked", revoked}};
  });
}

Result<Committed> Accounts::RevokeTokens(const Actor& actor, const std::string& name) {
  return RevokeTokensWhere(actor, std::nullopt, name);
}

Result<Committed> Accounts::RevokeTokensOf(const Actor& actor, std::int64_t user_id) {
  return RevokeTokensWhere(actor, user_id, "");
}

Result<Committed> Accounts::Unlock(const Actor& actor, const std::string& name) {
  return writer_.Run([&](Tx& tx) -> Result<nlohmann::json> {
    QZ_ASSIGN_OR_RETURN(auto user, store::FindUserByName(tx.conn(), name));
    if (!user) return UserNotFound(name);
    QZ_ASSIGN_OR_RETURN(auto cleared, store::ClearAccountThrottles(tx.conn(), name));
    nlohmann::json summary = {{"bursts", cleared.bursts}, {"failures", cleared.failures}};
    QZ_TRY(tx.Append({"login.unlocked",
                      actor,
                      "user",
                      std::to_string(user->id),
                      {{"name", name}, {"cleared", summary}}}));
    return nlohmann::json{{"id", user->id}, {"name", name}, {"cleared", summary}};
  });
}

Result<std::pair<std::string, Committed>> Accounts::IssueToken(const Actor& actor,
                                                               const std::string& name,
                                                               int ttl_days) {
  if (ttl_days < 1 || ttl_days > 3650) {
    return MakeError(ErrorCode::kBadRequest, "令牌有效期须为 1–3650 天", "token lifetime must be 1–3650 days");
  }
  std::string token = RandomToken("qzt_");
  std::string token_hash = TokenHash(token);
  auto r = writer_.Run([&](Tx& tx) -> Result<nlohmann::json> {
    QZ_ASSIGN_OR_RETURN(auto user, store::FindUserByName(tx.conn(), name));
    if (!user) return UserNotFound(name);
    std::int64_t expires = tx.now_seconds() + std::int64_t{ttl_days} * 86400;
    QZ_TRY(store::InsertToken(tx.conn(), user->id, token_hash, tx.now_seconds(), expires));
    QZ_TRY(tx.Append({"token.issued", actor, "user", std::to_string(user->id),
                      {{"name", name}, {"expires_at", FormatRfc3339(FromUnixSeconds(expires))}}}));
    return nlohmann::json{{"expires_at", FormatRfc3339(FromUnixSeconds(expires))}};
  });
  if (!r.ok()) return r.take_error();
  return std::make_pair(token, std::move(r).value());
}

Result<std::vector<store::UserRecord>> Accounts::ListUsers() {
  std::vector<store::UserRecord> users;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(users, store::ListUsers(c));
    return Ok();
  }));
  return users;
}

std::string Accounts::ThrottleKey(const std::string& name, const std::string& client) {
  return "user:" + name + "|" + client;
}

void Accounts::Login(const std::string& name, const std::string& password,
                     const std::string& client, std::function<void(Result<LoginOutcome>)> done) {
  std::int64_t now = UnixSeconds(clock_.Now());
  std::string throttle_key = ThrottleKey(name, client);
  std::optional<store::UserRecord> user;
  store::ThrottleRecord throttle;
  Status read = db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(throttle, store::GetThrottle(c, throttle_key));
    QZ_ASSIGN_OR_RETURN(user, store::FindUserByName(c, name));
    return Ok();
  });
  if (!read.ok()) return done(read.take_error());

  domain::ThrottleState state{throttle.failures, throttle.last_failure_at, throttle.locked_until};
  std::int64_t wait = domain::ThrottleWait(throttle_policy_, state, now);
  auto policy = throttle_policy_;

  if (wait > 0) {
    // Refused before the password is checked; not journaled (the burst's
    // first failure and its lock are), so refusals cannot grow the log.
    LoginOutcome out;
    out.retry_after = wait;
    return done(out);
  }

  // The slow part, off the writer thread. Unknown accounts cost the same.
  bool password_ok = user && !user->disabled && VerifyPassword(user->password_hash, password);
  if (!user) (void)VerifyPassword(dummy_hash_, password);

  if (!password_ok) {
    // Failures of an unknown name are journaled per burst of the client, not
    // per name, so spraying invented names adds one entry per burst.
    std::string burst_key = user ? throttle_key : "unknown|" + client;
    writer_.Submit(
        [name, client, throttle_key, burst_key, policy](Tx& tx) -> Result<nlohmann::json> {
          std::int64_t at = tx.now_seconds();
          QZ_ASSIGN_OR_RETURN(auto current, store::GetThrottle(tx.conn(), throttle_key));
          domain::ThrottleState s{current.failures, current.last_failure_at, current.locked_until};
          s = domain::ThrottleAfterFailure(policy, s, at);
          QZ_TRY(store::PutThrottle(tx.conn(), throttle_key,
                                    {s.failures, s.last_failure_at, s.locked_until}));
          store::ThrottleRecord previous = current;
          domain::ThrottleState burst = s;
          if (burst_key != throttle_key) {
            QZ_ASSIGN_OR_RETURN(previous, store::GetThrottle(tx.conn(), burst_key));
            burst = domain::ThrottleAfterFailure(
                policy, {previous.failures, previous.last_failure_at, previous.locked_until}, at);
            QZ_TRY(store::PutThrottle(tx.conn(), burst_key,
                                      {burst.failures, burst.last_failure_at, 0}));
          }
          if (burst.failures == 1) {
            // A new burst: journal it, with the summary of this key's previous
            // burst and of the bursts that expired unseen (whose rows go now).
            nlohmann::json data = {{"burst", "started"},
                                   {"client", tx.Commitment("client_address", client)}};
            if (previous.failures > 1) {
              data["previous_burst"] = {
                  {"failures", previous.failures},
                  {"last_failure_at", FormatRfc3339(FromUnixSeconds(previous.last_failure_at))}};
            }
            QZ_ASSIGN_OR_RETURN(auto expired,
                                store::PruneThrottles(tx.conn(), at - policy.window_seconds, at));
            if (expired.bursts > 0) {
              data["expired_bursts"] = {{"bursts", expired.bursts}, {"failures", expired.failures}};
            }
            QZ_TRY(tx.Append({"login.failed", Actor::Public(), "account",
                              tx.Commitment("account_name", name), data}));
          }
          if (s.locked_until > at && current.locked_until <= at) {
            QZ_TRY(tx.Append({"login.locked",
                              Actor::Public(),
                              "account",
                              tx.Commitment("account_name", name),
                              {{"failures", s.failures},
                               {"client", tx.Commitment("client_address", client)},
                               {"locked_until", FormatRfc3339(FromUnixSeconds(s.locked_until))}}}));
          }
          return nlohmann::json::object();
        },
        [done](Result<Committed> r, std::optional<Receipt>) {
          if (!r.ok()) return done(r.take_error());
          done(LoginOutcome{});  // no receipt: it would tell names apart
        });
    return;
  }

  std::string session_token = RandomToken("qzs_");
  std::string csrf = RandomToken("");
  std::string id_hash = TokenHash(session_token);
  auto record = *user;
  auto session_policy = session_policy_;
  writer_.Submit(
      [this, record, id_hash, csrf, throttle_key,
       session_policy](Tx& tx) -> Result<nlohmann::json> {
        std::int64_t now2 = tx.now_seconds();
        QZ_TRY(store::InsertSession(tx.conn(), {id_hash, record.id, csrf, now2,
                                                now2 + session_policy.absolute_seconds, now2}));
        QZ_ASSIGN_OR_RETURN(auto before, store::GetThrottle(tx.conn(), throttle_key));
        QZ_TRY(store::ClearThrottle(tx.conn(), throttle_key));
        QZ_ASSIGN_OR_RETURN(AuthUser au, ToAuthUser(tx.conn(), record));
        nlohmann::json data = {{"name", record.name}};
        if (before.failures > 0) data["failures_before"] = before.failures;
        QZ_TRY(
            tx.Append({"login.succeeded", au.AsActor(), "user", std::to_string(record.id), data}));
        return au.ToJson();
      },
      [done, session_token, csrf, record](Result<Committed> r, std::optional<Receipt>) {
        if (!r.ok()) return done(r.take_error());
        LoginOutcome out;
        out.ok = true;
        out.session_token = session_token;
        out.csrf_token = csrf;
        out.receipt = r->receipt;
        out.user.id = record.id;
        out.user.name = record.name;
        out.user.role = domain::ParseRole(record.role).ok() ? *domain::ParseRole(record.role)
                                                            : domain::Role::kTownOfficer;
        out.user.scope = record.scope;
        done(out);
      });
}

Result<LoginOutcome> Accounts::LoginSync(const std::string& name, const std::string& password,
                                         const std::string& client) {
  std::promise<Result<LoginOutcome>> p;
  auto f = p.get_future();
  Login(name, password, client, [&p](Result<LoginOutcome> r) { p.set_value(std::move(r)); });
  return f.get();
}

void Accounts::Logout(const Session& session, std::function<void(Result<Committed>)> done) {
  std::string id_hash = session.id_hash;
  AuthUser user = session.user;
  writer_.Submit(
      [id_hash, user](Tx& tx) -> Result<nlohmann::json> {
        if (!id_hash.empty()) QZ_TRY(store::DeleteSession(tx.conn(), id_hash));
        QZ_TRY(tx.Append({"logout", user.AsActor(), "user", std::to_string(user.id), {}}));
        return nlohmann::json{{"signed_out", true}};
      },
      [done](Result<Committed> r, std::optional<Receipt>) { done(std::move(r)); });
}

Result<Session> Accounts::AuthenticateSession(const std::string& session_token) {
  if (session_token.empty() || session_token.size() > 128) return Unauthenticated();
  std::string id_hash = TokenHash(session_token);
  std::int64_t now = UnixSeconds(clock_.Now());
  std::optional<Session> out;
  bool touch = false;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto s, store::FindSession(c, id_hash));
    if (!s || !domain::SessionAlive(session_policy_, s->created_at, s->last_seen_at, now)) {
      return Ok();
    }
    QZ_ASSIGN_OR_RETURN(auto u, store::FindUserById(c, s->user_id));
    if (!u || u->disabled) return Ok();
    QZ_ASSIGN_OR_RETURN(AuthUser au, ToAuthUser(c, *u));
    out = Session{au, s->csrf_token, id_hash};
    touch = now - s->last_seen_at >= std::min<std::int64_t>(60, session_policy_.idle_seconds / 2);
    return Ok();
  }));
  if (!out) return Unauthenticated();
  if (touch) {
    // Sliding idle expiry. Session bookkeeping is not a domain change and is
    // not journaled; sign-in and sign-out are.
    writer_.Submit(
        [id_hash](Tx& tx) -> Result<nlohmann::json> {
          QZ_TRY(store::TouchSession(tx.conn(), id_hash, tx.now_seconds()));
          return nlohmann::json();
        },
        [](Result<Committed>, std::optional<Receipt>) {});
  }
  return *out;
}

Result<Session> Accounts::AuthenticateBearer(const std::string& token) {
  if (token.empty() || token.size() > 128) return Unauthenticated();
  std::string hash = TokenHash(token);
  std::int64_t now = UnixSeconds(clock_.Now());
  std::optional<std::string> generation;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(generation, store::GetSetting(c, kCredentialsGeneration));
    return Ok();
  }));
  std::string current = generation.value_or("0");
  {
    std::lock_guard lock(token_mu_);
    if (current != token_cache_generation_) {
      token_cache_.clear();
      token_cache_generation_ = current;
    }
    auto it = token_cache_.find(hash);
    if (it != token_cache_.end() && now >= it->second.second &&
        now < it->second.second + kTokenCacheSeconds) {
      return it->second.first;
    }
  }
  std::optional<Session> out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(auto u, store::FindUserByToken(c, hash, now));
    if (!u || u->disabled) return Ok();
    QZ_ASSIGN_OR_RETURN(AuthUser au, ToAuthUser(c, *u));
    out = Session{au, "", ""};
    return Ok();
  }));
  if (!out) return Unauthenticated();
  std::lock_guard lock(token_mu_);
  // Cache only under the generation read before the lookup, so a revocation
  // committed in between is never hidden.
  if (current != token_cache_generation_) return *out;
  if (token_cache_.size() > 10000) token_cache_.clear();
  token_cache_[hash] = {*out, now};
  return *out;
}

}  // namespace quanze::app
