// Regions (行政区划): province → city → county → town, with official-style
// codes and, for towns, the selection indicators. Lists are scoped: a user
// sees only the subtree of their scope.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>

#include <nlohmann/json.hpp>

#include "app/accounts.h"
#include "app/writer.h"
#include "store/db.h"

namespace quanze::app {

struct NewRegion {
  std::string code;
  std::string name;
  std::string level;
  std::optional<std::string> parent_code;
  bool is_pilot = false;
  nlohmann::json indicators = nlohmann::json::object();
  bool is_demo = false;
};

nlohmann::json RegionToJson(const store::RegionRecord& r);

class Regions {
 public:
  Regions(store::Database& db, Writer& writer) : db_(db), writer_(writer) {}

  // Runs inside a unit of work (used by the demo builder and the HTTP API).
  static Result<nlohmann::json> Create(Tx& tx, const Actor& actor, const NewRegion& region);

  // {"items":[...],"next_cursor":...}; kForbidden when `parent` is outside the scope.
  Result<nlohmann::json> List(const AuthUser& user, const std::optional<std::string>& parent,
                              const std::string& cursor, int limit);
  // The same list, serialised (cached, for the HTTP hot path).
  Result<std::string> ListText(const AuthUser& user, const std::optional<std::string>& parent,
                               const std::string& cursor, int limit);
  Result<nlohmann::json> Get(const AuthUser& user, const std::string& code);

 private:
  // The regions' generation stored in the database (one indexed read).
  Result<std::uint64_t> Generation();
  Result<nlohmann::json> ListAt(std::uint64_t generation, const AuthUser& user,
                                const std::optional<std::string>& parent, const std::string& cursor,
                                int limit);

  store::Database& db_;
  Writer& writer_;
  // Rendered lists by (scope, parent, cursor, limit), each tagged with the
  // regions' generation (instance_settings "regions.generation", bumped in
  // the transaction of every Create) it was read at; valid while the stored
  // generation is unchanged, whichever process changed the regions.
  std::mutex cache_mu_;
  std::unordered_map<std::string, std::pair<std::uint64_t, nlohmann::json>> list_cache_;
  std::unordered_map<std::string, std::pair<std::uint64_t, std::string>> text_cache_;
};

}  // namespace quanze::app
