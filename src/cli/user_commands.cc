#include <iostream>

#include "cli/commands.h"

namespace quanze::cli {

int RunUserAdd(const GlobalOptions& g, const UserOptions& o) {
  auto password = ReadPasswordFromStdin();
  if (!password.ok()) return Fail(password.error());
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto r = (*app)->accounts().AddUser(app::Actor::Cli(), o.name, o.role, o.scope, *password);
  if (!r.ok()) return Fail(r.error());
  std::cout << "added " << o.name << " (" << o.role << ", scope " << o.scope << "); receipt index "
            << (r->receipt ? r->receipt->index : -1) << "\n";
  return 0;
}

int RunUserPasswd(const GlobalOptions& g, const UserOptions& o) {
  auto password = ReadPasswordFromStdin();
  if (!password.ok()) return Fail(password.error());
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto r = (*app)->accounts().SetPassword(app::Actor::Cli(), o.name, *password);
  if (!r.ok()) return Fail(r.error());
  std::cout << "password changed for " << o.name << "; existing sessions ended, "
            << r->value["tokens_revoked"].get<std::int64_t>() << " token(s) revoked\n";
  return 0;
}

int RunUserToken(const GlobalOptions& g, const UserOptions& o) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto r = (*app)->accounts().IssueToken(app::Actor::Cli(), o.name, o.ttl_days);
  if (!r.ok()) return Fail(r.error());
  std::cout << "bearer token for " << o.name << ", expires "
            << r->second.value["expires_at"].get<std::string>()
            << " (shown once; only its hash is stored):\n"
            << r->first << "\n";
  return 0;
}

int RunUserRevokeTokens(const GlobalOptions& g, const UserOptions& o) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto r = (*app)->accounts().RevokeTokens(app::Actor::Cli(), o.name);
  if (!r.ok()) return Fail(r.error());
  std::cout << "revoked " << r->value["tokens_revoked"].get<std::int64_t>() << " token(s) of "
            << o.name << "\n";
  return 0;
}

int RunUserSetDisabled(const GlobalOptions& g, const UserOptions& o, bool disabled) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto r = (*app)->accounts().SetDisabled(app::Actor::Cli(), o.name, disabled);
  if (!r.ok()) return Fail(r.error());
  std::cout << (disabled ? "disabled " : "enabled ") << o.name
            << (disabled ? "; its sessions ended and its tokens are refused\n" : "\n");
  return 0;
}

int RunUserUnlock(const GlobalOptions& g, const UserOptions& o) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto r = (*app)->accounts().Unlock(app::Actor::Cli(), o.name);
  if (!r.ok()) return Fail(r.error());
  std::cout << "unlocked " << o.name << " (sign-in throttle cleared for every address)\n";
  return 0;
}

int RunUserList(const GlobalOptions& g) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  auto users = (*app)->accounts().ListUsers();
  if (!users.ok()) return Fail(users.error());
  std::cout << "name\trole\tscope\tdisabled\n";
  for (const auto& u : *users) {
    std::cout << u.name << "\t" << u.role << "\t" << u.scope << "\t" << (u.disabled ? "yes" : "no") << "\n";
  }
  return 0;
}

}  // namespace quanze::cli
