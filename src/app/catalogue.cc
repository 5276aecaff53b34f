// CatalogueService: callers, request parsing and the helpers every catalogue
// use case shares (app/catalogue_internal.h).
#include "app/catalogue.h"

#include "app/catalogue_cache.h"
#include "app/catalogue_internal.h"
#include "domain/access.h"
#include "domain/catalogue_io.h"
#include "ledger/hash.h"

namespace quanze::app {

using nlohmann::json;
namespace ci = catalogue_internal;

CatalogueCaller CatalogueCaller::Of(const AuthUser& user, std::string channel) {
  return CatalogueCaller{user.AsActor(std::move(channel)), user.scope_path};
}

CatalogueCaller CatalogueCaller::System(std::string channel) {
  Actor a = Actor::System();
  a.channel = std::move(channel);
  return CatalogueCaller{a, "all"};
}

std::optional<CatalogueFormat> ParseCatalogueFormat(std::string_view text) {
  if (text == "json") return CatalogueFormat::kJson;
  if (text == "csv") return CatalogueFormat::kCsv;
  if (text == "xlsx") return CatalogueFormat::kXlsx;
  return std::nullopt;
}

std::string_view CatalogueFormatCode(CatalogueFormat format) {
  switch (format) {
    case CatalogueFormat::kJson:
      return "json";
    case CatalogueFormat::kCsv:
      return "csv";
    case CatalogueFormat::kXlsx:
      return "xlsx";
  }
  return "json";
}

Result<ParsedCatalogue> ParseMasterCatalogue(std::string_view bytes, std::string format) {
  if (format.empty()) {
    std::size_t i = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < bytes.size() &&
           (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) {
      ++i;
    }
    format = i < bytes.size() && (bytes[i] == '{' || bytes[i] == '[') ? "json" : "csv";
  }
  if (format != "csv" && format != "json") {
    return MakeError(ErrorCode::kBadRequest, "导入格式须为 csv 或 json",
                     "the import format must be csv or json");
  }
  auto powers =
      format == "csv" ? domain::ParseCatalogueCsv(bytes) : domain::ParseCatalogueJson(bytes);
  if (!powers.ok()) return powers.take_error();
  if (powers->empty()) {
    return MakeError(ErrorCode::kValidation, "文件中没有事项", "the file holds no items",
                     {{"errors", json::array()}, {"bad_rows", 0}});
  }
  return ParsedCatalogue{std::move(powers).value(), format, ci::Sha256Hex(bytes), bytes.size()};
}

namespace {

Error Invalid(const std::string& field, const std::string& zh, const std::string& en) {
  return MakeError(
      ErrorCode::kValidation, field + "：" + zh, field + ": " + en,
      {{"errors", json::array({{{"field", field}, {"reason_zh", zh}, {"reason_en", en}}})}});
}

Result<std::string> OptString(const json& j, const char* key, std::size_t max_len = 200) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Invalid(key, "须为字符串", "must be a string");
  std::string s = it->get<std::string>();
  if (s.size() > max_len) return Invalid(key, "过长", "too long");
  return s;
}

Status OnlyKeys(const json& j, std::initializer_list<const char*> keys) {
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (const char* key : keys) known = known || k == key;
    if (!known) return Invalid(k, "未知字段", "unknown field");
  }
  return Ok();
}

Result<std::string> OptDate(const json& j, const char* key) {
  QZ_ASSIGN_OR_RETURN(std::string s, OptString(j, key));
  if (!s.empty() && !domain::isodate::Valid(s)) {
    return Invalid(key, "须为YYYY-MM-DD格式的日期", "must be a date in YYYY-MM-DD form");
  }
  return s;
}

}  // namespace

Result<GrantProposal> GrantProposalFromJson(const json& j) {
  if (!j.is_object()) return Invalid("$", "须为JSON对象", "must be a JSON object");
  QZ_TRY(OnlyKeys(j, {"town_code", "power_code", "batch_id", "mode", "decision_doc", "valid_from",
                      "valid_to"}));
  GrantProposal p;
  QZ_ASSIGN_OR_RETURN(p.town_code, OptString(j, "town_code", 16));
  QZ_ASSIGN_OR_RETURN(p.power_code, OptString(j, "power_code", 64));
  if (p.town_code.empty()) return Invalid("town_code", "不能为空", "is required");
  if (p.power_code.empty()) return Invalid("power_code", "不能为空", "is required");
  if (auto it = j.find("batch_id"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1) {
      return Invalid("batch_id", "须为正整数", "must be a positive integer");
    }
    p.batch_id = it->get<std::int64_t>();
  }
  QZ_ASSIGN_OR_RETURN(std::string mode, OptString(j, "mode"));
  if (!mode.empty()) {
    auto m = domain::ParseGrantMode(mode);
    if (!m)
      return Invalid("mode", "须为delegation（赋权）或entrustment（委托）",
                     "must be delegation or entrustment");
    p.mode = *m;
  }
  if (j.contains("decision_doc")) {
    QZ_ASSIGN_OR_RETURN(p.decision_doc, domain::DecisionDocumentFromJson(j["decision_doc"]));
  }
  QZ_ASSIGN_OR_RETURN(p.valid_from, OptDate(j, "valid_from"));
  QZ_ASSIGN_OR_RETURN(p.valid_to, OptDate(j, "valid_to"));
  return p;
}

Result<GrantTransitionRequest> GrantTransitionFromJson(std::int64_t grant_id, const json& j) {
  if (!j.is_object()) return Invalid("$", "须为JSON对象", "must be a JSON object");
  QZ_TRY(OnlyKeys(j, {"action", "reason", "on_date", "decision_doc"}));
  GrantTransitionRequest r;
  r.grant_id = grant_id;
  QZ_ASSIGN_OR_RETURN(std::string action, OptString(j, "action", 32));
  auto a = domain::ParseGrantAction(action);
  if (!a) {
    return Invalid("action", "须为mark_ready、make_effective、suspend、resume或revoke",
                   "must be mark_ready, make_effective, suspend, resume or revoke");
  }
  r.action = *a;
  QZ_ASSIGN_OR_RETURN(r.reason, OptString(j, "reason", 2000));
  QZ_ASSIGN_OR_RETURN(r.on_date, OptDate(j, "on_date"));
  if (j.contains("decision_doc") && !j["decision_doc"].is_null()) {
    QZ_ASSIGN_OR_RETURN(auto doc, domain::DecisionDocumentFromJson(j["decision_doc"]));
    r.decision_doc = std::move(doc);
  }
  return r;
}

CatalogueService::CatalogueService(store::Database& db, Writer& writer, const Clock& clock)
    : db_(db), writer_(writer), clock_(clock), cache_(std::make_unique<CatalogueCache>()) {}

CatalogueService::~CatalogueService() = default;

// ---- shared helpers ---------------------------------------------------------

namespace catalogue_internal {

Result<TownFacts> LoadTown(store::Connection& c, const std::string& code) {
  QZ_ASSIGN_OR_RETURN(auto r, store::GetRegion(c, code));
  if (!r || r->level != "town") {
    return MakeError(ErrorCode::kNotFound, "镇“" + code + "”不存在", "no town '" + code + "'");
  }
  TownFacts f{*r, r->parent_code.value_or(""), ProvinceOfPath(r->path)};
  return f;
}

Result<store::RegionRecord> LoadProvince(store::Connection& c, const std::string& code) {
  QZ_ASSIGN_OR_RETURN(auto r, store::GetRegion(c, code));
  if (!r || r->level != "province") {
    return MakeError(ErrorCode::kNotFound, "省级区划“" + code + "”不存在",
                     "no province '" + code + "'");
  }
  return *r;
}

std::string ProvinceOfPath(std::string_view path) {
  if (path.size() < 2 || path[0] != '/') return {};
  std::size_t end = path.find('/', 1);
  return std::string(
      path.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1));
}

Error OutOfScope(const std::string& what_zh, const std::string& what_en) {
  return MakeError(ErrorCode::kForbidden, what_zh + "不在您的授权范围内",
                   what_en + " is outside your scope");
}

Error DenyIn(Tx& tx, const CatalogueCaller& caller, const std::string& subject_kind,
             const std::string& subject_id, Error error) {
  tx.RecordOnFailure(
      {"access.denied",
       caller.actor,
       subject_kind,
       subject_id,
       {{"code", std::string(ErrorCodeName(error.code))}, {"reason", error.message_en}}});
  return error;
}

Status CheckScope(Tx& tx, const CatalogueCaller& caller, const std::string& path,
                  const std::string& subject_kind, const std::string& subject_id) {
  if (domain::InScope(caller.scope_path, path)) return Ok();
  return DenyIn(tx, caller, subject_kind, subject_id,
                OutOfScope(subject_kind == "town" ? "镇" + subject_id : subject_id,
                           subject_kind + " " + subject_id));
}

std::string Today(Instant now) { return FormatDate(now); }

std::string Sha256Hex(std::string_view data) {
  return ledger::HexEncode(ledger::ThreadLocalHasher().Sha256(data));
}

Result<domain::Grant> GrantFromRecord(const store::GrantRecord& r) {
  domain::Grant g;
  g.id = std::to_string(r.id);
  g.power_code = r.power_code;
  g.town_code = r.town_code;
  g.county_code = r.county_code;
  g.mode = domain::ParseGrantMode(r.mode).value_or(domain::GrantMode::kDelegation);
  g.batch_id = std::to_string(r.batch_id);
  json doc = json::parse(r.decision_doc, nullptr, false);
  json readiness = json::parse(r.readiness, nullptr, false);
  QZ_ASSIGN_OR_RETURN(g.decision_doc, domain::DecisionDocumentFromJson(doc));
  QZ_ASSIGN_OR_RETURN(g.readiness, domain::ReadinessFromJson(readiness));
  auto state = domain::ParseGrantState(r.state);
  if (!state) {
    return MakeError(ErrorCode::kInternal, "赋权状态无效：" + r.state,
                     "stored grant state is invalid: " + r.state);
  }
  g.state = *state;
  g.valid_from = r.valid_from;
  g.valid_to = r.valid_to.value_or("");
  g.next_evaluation = r.next_evaluation.value_or("");
  g.state_reason = r.state_reason;
  return g;
}

void GrantIntoRecord(const domain::Grant& g, store::GrantRecord& r) {
  r.mode = std::string(domain::GrantModeCode(g.mode));
  r.decision_doc = domain::DecisionDocumentToJson(g.decision_doc).dump();
  r.readiness = domain::ReadinessToJson(g.readiness).dump();
  r.state = std::string(domain::GrantStateCode(g.state));
  r.valid_from = g.valid_from;
  r.valid_to = g.valid_to.empty() ? std::nullopt : std::optional<std::string>(g.valid_to);
  r.next_evaluation =
      g.next_evaluation.empty() ? std::nullopt : std::optional<std::string>(g.next_evaluation);
  r.state_reason = g.state_reason;
}

json GrantRecordToJson(const store::GrantRecord& r, const domain::Grant& g) {
  json j = domain::GrantToJson(g);
  j["id"] = r.id;
  j["batch_id"] = r.batch_id;
  j["province_code"] = r.province_code;
  j["power_name"] = r.power_name;
  j["kind"] = r.kind;
  if (auto k = domain::ParsePowerKind(r.kind))
    j["kind_label"] = std::string(domain::PowerKindLabel(*k));
  j["department"] = r.department;
  j["town_name"] = r.town_name;
  j["created_at"] = FormatRfc3339(FromUnixSeconds(r.created_at));
  j["updated_at"] = FormatRfc3339(FromUnixSeconds(r.updated_at));
  return j;
}

json ZeroCountsByKind() {
  json counts = json::object();
  for (auto k : domain::kAllPowerKinds) counts[std::string(domain::PowerKindCode(k))] = 0;
  return counts;
}

}  // namespace catalogue_internal
}  // namespace quanze::app
