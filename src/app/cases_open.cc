// Opening cases: online applications from the public portal (第二十九条),
// cases entered at the window or from complaints, inspections and on the
// spot, and the materials attached to them.
#include <sodium.h>

#include <regex>

#include "app/cases_internal.h"
#include "ledger/hash.h"

namespace quanze::app {

using nlohmann::json;

namespace {

// 12 characters from an alphabet without look-alikes, "XXXX-XXXX-XXXX".
std::string NewReceiptCode() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  unsigned char buf[12];
  randombytes_buf(buf, sizeof buf);
  std::string out;
  for (int i = 0; i < 12; ++i) {
    if (i && i % 4 == 0) out += '-';
    out += kAlphabet[buf[i] % 32];
  }
  return out;
}

Error Bad(const std::string& zh, const std::string& en) {
  return MakeError(ErrorCode::kBadRequest, zh, en);
}

Result<std::string> TextField(const json& j, const char* key, std::size_t max_len, bool required) {
  if (!j.contains(key) || j[key].is_null()) {
    if (required) return Bad(std::string("缺少字段 ") + key, std::string("field ") + key + " is required");
    return std::string();
  }
  if (!j[key].is_string()) return Bad(std::string(key) + " 须为字符串", std::string(key) + " must be a string");
  std::string v = j[key].get<std::string>();
  if (required && v.empty()) return Bad(std::string(key) + " 不能为空", std::string(key) + " must not be empty");
  if (v.size() > max_len) {
    return Bad(std::string(key) + " 过长（最多 " + std::to_string(max_len) + " 字节）",
               std::string(key) + " is too long (at most " + std::to_string(max_len) + " bytes)");
  }
  return v;
}

Result<cases::Party> ParseParty(const json& j) {
  if (!j.is_object()) return Bad("缺少当事人（party）信息", "party must be an object");
  cases::Party p;
  QZ_ASSIGN_OR_RETURN(p.kind, TextField(j, "kind", 20, true));
  if (p.kind != "natural_person" && p.kind != "organisation") {
    return Bad("当事人类型须为 natural_person（自然人）或 organisation（法人或其他组织）",
               "party kind must be natural_person or organisation");
  }
  QZ_ASSIGN_OR_RETURN(p.name, TextField(j, "name", 200, true));
  QZ_ASSIGN_OR_RETURN(p.id_number, TextField(j, "id_number", 18, false));
  QZ_ASSIGN_OR_RETURN(p.phone, TextField(j, "phone", 20, false));
  static const std::regex kId("^[0-9A-Z]{18}$");
  if (!p.id_number.empty() && !std::regex_match(p.id_number, kId)) {
    return MakeError(ErrorCode::kValidation,
                     "证件号码须为 18 位（公民身份号码或统一社会信用代码）",
                     "id_number must be 18 characters (citizen ID or unified social credit code)");
  }
  static const std::regex kPhone("^[0-9+\\- ]{5,20}$");
  if (!p.phone.empty() && !std::regex_match(p.phone, kPhone)) {
    return MakeError(ErrorCode::kValidation, "联系电话格式不正确", "phone is not a phone number");
  }
  return p;
}

// The content type a file's first bytes show: PDF, PNG or JPEG.
std::string SniffType(std::string_view bytes) {
  if (bytes.substr(0, 5) == "%PDF-") return "application/pdf";
  if (bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  if (bytes.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) return "image/jpeg";
  return "";
}

}  // namespace

namespace cases {

// Checks and stores one material; adds its kind to the case's documents.
Result<json> StoreFile(Tx& tx, const CaseSettings& settings, std::int64_t case_id,
                       const std::string& kind, const std::string& file_name,
                       const std::string& content_type, std::string bytes) {
  static const std::regex kKind("^[a-z][a-z0-9_]{0,39}$");
  if (!std::regex_match(kind, kKind)) {
    return Bad("材料类型（kind）须为小写字母、数字和下划线", "material kind must match [a-z][a-z0-9_]*");
  }
  if (file_name.empty() || file_name.size() > 200 || file_name.find('/') != std::string::npos) {
    return Bad("文件名无效", "invalid file name");
  }
  if (bytes.empty()) return Bad("文件为空", "the file is empty");
  if (static_cast<std::int64_t>(bytes.size()) > settings.max_file_bytes) {
    return MakeError(ErrorCode::kPayloadTooLarge,
                     "文件超过 " + std::to_string(settings.max_file_bytes / 1024) + " KB 上限",
                     "the file is larger than " + std::to_string(settings.max_file_bytes / 1024) + " KB");
  }
  std::string sniffed = SniffType(bytes);
  if (sniffed.empty()) {
    return MakeError(ErrorCode::kUnsupportedMedia, "只接受 PDF、PNG 或 JPEG 文件",
                     "only PDF, PNG and JPEG files are accepted");
  }
  if (!content_type.empty() && content_type.rfind(sniffed, 0) != 0) {
    return MakeError(ErrorCode::kUnsupportedMedia,
                     "文件内容（" + sniffed + "）与声明的类型（" + content_type + "）不符",
                     "the file content (" + sniffed + ") does not match the declared type (" +
                         content_type + ")");
  }
  ledger::Hasher hasher;
  std::string sha = ledger::HexEncode(std::span<const std::uint8_t>(hasher.Sha256(bytes)));
  store::CaseFileRecord f;
  f.case_id = case_id;
  f.kind = kind;
  f.file_name = file_name;
  f.content_type = sniffed;
  f.size = static_cast<std::int64_t>(bytes.size());
  f.sha256 = sha;
  f.data = std::move(bytes);
  f.created_at = tx.now_seconds();
  QZ_ASSIGN_OR_RETURN(std::int64_t id, store::InsertCaseFile(tx.conn(), f));
  return json{{"id", id}, {"kind", kind}, {"file_name", file_name}, {"content_type", sniffed},
              {"size", f.size}, {"sha256", sha}};
}

// The item's own time limits from the catalogue (办事指南): a licensing
// item's promised limit (承诺时限), and a statutory limit shorter than the
// procedure's default (a law may set one), both in working days.
Status ApplyItemLimits(store::Connection& c, const domain::Procedure& proc,
                       const std::string& power_code, domain::CaseState& st) {
  if (proc.id != "licensing") return Ok();
  QZ_ASSIGN_OR_RETURN(auto item, store::PowerItem(c, power_code));
  if (!item) return Ok();
  json j = json::parse(*item, nullptr, false);
  if (!j.is_object()) return Ok();
  auto days = [&](const char* key) -> int {
    if (!j.contains(key) || !j[key].is_object()) return 0;
    const json& l = j[key];
    if (l.value("unit", "") != "working" || !l.contains("days") || !l["days"].is_number_integer()) return 0;
    return l["days"].get<int>();
  };
  const domain::ClockSpec* decision = proc.FindClock("decision");
  int statutory = days("statutory_limit");
  if (decision && statutory > 0 && statutory < decision->limit_days) {
    st.clocks["decision"].limit_days = statutory;
  }
  int promised = days("promised_limit");
  if (proc.FindClock("promised") && promised > 0) st.clocks["promised"].limit_days = promised;
  return Ok();
}

store::CaseRecord CaseRecordFor(const std::string& town, const std::string& power,
                                const store::GrantAuthorityRecord& grant,
                                const domain::Procedure& proc) {
  store::CaseRecord r;
  r.town_code = town;
  r.power_code = power;
  r.power_name = grant.power_name;
  r.power_kind = grant.kind;
  r.grant_id = grant.grant_id;
  r.agency_id = grant.agency_id;
  r.procedure_id = proc.id;
  r.procedure_version = proc.version;
  return r;
}

Result<json> CreateCase(Tx& tx, const Actor& actor, const CaseRules& rules,
                        const CaseSettings& settings, NewCase n) {
  QZ_ASSIGN_OR_RETURN(auto grant, store::FindGrantForCase(tx.conn(), n.town_code, n.power_code));
  if (!grant || grant->state != "effective") {
    QZ_ASSIGN_OR_RETURN(auto dept, store::PowerDepartment(tx.conn(), n.power_code));
    std::string body = dept ? *dept : "县级主管部门";
    return MakeError(ErrorCode::kValidation,
                     "本镇未承接事项“" + n.power_code + "”，请向" + body + "提出申请（行政许可法 第三十二条）",
                     "the town does not hold item '" + n.power_code + "'; apply to " + body +
                         " (Administrative Licensing Law art. 32)",
                     json{{"power_code", n.power_code},
                          {"competent_body", body},
                          {"grant_state", grant ? json(grant->state) : json()}});
  }
  if (grant->agency_id == 0) {
    return MakeError(ErrorCode::kConflict, "该事项尚未明确本镇的承办机构",
                     "no town agency has been assigned to handle this item");
  }
  QZ_ASSIGN_OR_RETURN(const domain::Procedure* proc, ProcedureFor(rules, grant->kind, n.procedure));
  domain::CaseState st = domain::OpenCase(*proc, n.opened_on);
  QZ_TRY(ApplyItemLimits(tx.conn(), *proc, n.power_code, st));
  store::CaseRecord r = CaseRecordFor(n.town_code, n.power_code, *grant, *proc);
  QZ_ASSIGN_OR_RETURN(r.id, store::NextCaseId(tx.conn()));
  r.receipt_code = NewReceiptCode();
  r.origin = n.origin;
  r.party_kind = n.party.kind;
  r.party_display = PublicPartyName(n.party.kind, n.party.name);
  if (n.party.kind == "natural_person") {
    QZ_ASSIGN_OR_RETURN(r.party_commitment, tx.Commit("party_name", n.party.name));
  }
  if (!n.party.id_number.empty()) {
    QZ_ASSIGN_OR_RETURN(r.id_commitment, tx.Commit("id_number", n.party.id_number));
  }
  if (!n.party.phone.empty()) {
    QZ_ASSIGN_OR_RETURN(r.phone_commitment, tx.Commit("phone", n.party.phone));
  }
  r.summary = n.summary;
  r.opened_on = n.opened_on.ToString();
  r.handler_id = n.handler_id;
  r.created_at = r.updated_at = tx.now_seconds();
  r.state = st.state;
  r.state_json = CaseStateToJson(st).dump();
  QZ_TRY(store::InsertCase(tx.conn(), r));
  json files = json::array();
  for (auto& f : n.files) {
    QZ_ASSIGN_OR_RETURN(json stored, StoreFile(tx, settings, r.id, f.kind, f.file_name,
                                               f.content_type, std::move(f.bytes)));
    st.documents.insert(f.kind);
    files.push_back(stored);
  }
  ClockSummary clocks = SummariseClocks(*proc, st, n.opened_on, rules, settings);
  r.state_json = CaseStateToJson(st).dump();
  r.deadline = clocks.deadline;
  r.clock_status = clocks.status;
  r.limit_days = clocks.limit_days;
  json event_files = json::array();
  for (const auto& f : files) {
    event_files.push_back({{"kind", f["kind"]}, {"sha256", f["sha256"]}, {"size", f["size"]}});
  }
  QZ_ASSIGN_OR_RETURN(
      Receipt receipt,
      tx.Append(CaseEvent("case.opened", actor, r,
                          {{"origin", r.origin},
                           {"party_kind", r.party_kind},
                           // An organisation's name is public; a person's only as a commitment.
                           {"party", r.party_kind == "organisation" ? json(n.party.name)
                                                                   : json(r.party_commitment)},
                           {"id_number", r.id_commitment.empty() ? json() : json(r.id_commitment)},
                           {"opened_on", r.opened_on},
                           {"files", event_files},
                           {"deadline", r.deadline ? json(*r.deadline) : json()}})));
  r.ledger_index = receipt.index;
  QZ_TRY(store::UpdateCase(tx.conn(), r));
  return json{{"case_id", r.id},
              {"receipt_code", r.receipt_code},
              {"town_code", r.town_code},
              {"power_code", r.power_code},
              {"power_name", r.power_name},
              {"procedure", r.procedure_id},
              {"procedure_version", r.procedure_version},
              {"state", r.state},
              {"state_label", StateLabel(*proc, r.state)},
              {"opened_on", r.opened_on},
              {"deadline", r.deadline ? json(*r.deadline) : json()},
              {"clocks", clocks.clocks},
              {"files", files}};
}

}  // namespace cases

namespace {

Result<std::vector<cases::NewCase::File>> ParseMaterials(const json& request,
                                                         const CaseSettings& settings) {
  std::vector<cases::NewCase::File> out;
  if (!request.contains("materials") || request["materials"].is_null()) return out;
  if (!request["materials"].is_array()) return Bad("materials 须为数组", "materials must be an array");
  if (static_cast<int>(request["materials"].size()) > settings.max_files) {
    return MakeError(ErrorCode::kPayloadTooLarge,
                     "材料最多 " + std::to_string(settings.max_files) + " 个",
                     "at most " + std::to_string(settings.max_files) + " materials");
  }
  for (const json& m : request["materials"]) {
    if (!m.is_object()) return Bad("每个材料须为对象", "each material must be an object");
    cases::NewCase::File f;
    QZ_ASSIGN_OR_RETURN(f.kind, TextField(m, "kind", 40, true));
    QZ_ASSIGN_OR_RETURN(f.file_name, TextField(m, "file_name", 200, true));
    QZ_ASSIGN_OR_RETURN(f.content_type, TextField(m, "content_type", 100, false));
    QZ_ASSIGN_OR_RETURN(std::string b64, TextField(m, "data_base64", 16 * 1024 * 1024, true));
    auto bytes = ledger::Base64Decode(b64);
    if (!bytes.ok()) return Bad("材料“" + f.file_name + "”的 Base64 数据有误", "material '" + f.file_name + "' is not valid base64");
    f.bytes = std::move(bytes).value();
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

Writer::Work CaseService::ApplicationWork(json request) const {
  return [this, request = std::move(request)](Tx& tx) -> Result<json> {
    cases::NewCase n;
    QZ_ASSIGN_OR_RETURN(n.town_code, TextField(request, "town_code", 9, true));
    QZ_ASSIGN_OR_RETURN(n.power_code, TextField(request, "power_code", 64, true));
    QZ_ASSIGN_OR_RETURN(n.summary, TextField(request, "summary", 2000, false));
    if (!request.contains("applicant")) return Bad("缺少申请人（applicant）信息", "applicant is required");
    QZ_ASSIGN_OR_RETURN(n.party, ParseParty(request["applicant"]));
    QZ_ASSIGN_OR_RETURN(n.files, ParseMaterials(request, settings_));
    QZ_ASSIGN_OR_RETURN(auto town, store::GetRegion(tx.conn(), n.town_code));
    if (!town || town->level != "town") {
      return MakeError(ErrorCode::kNotFound, "镇“" + n.town_code + "”不存在",
                       "town '" + n.town_code + "' does not exist");
    }
    auto grant = store::FindGrantForCase(tx.conn(), n.town_code, n.power_code);
    if (grant.ok() && *grant && (*grant)->kind != "licensing") {
      return MakeError(ErrorCode::kValidation, "网上申请只受理行政许可事项",
                       "online applications are for licensing items only");
    }
    n.origin = "online";
    n.opened_on = Today();
    Actor actor = Actor::Public();
    actor.channel = "public";
    return cases::CreateCase(tx, actor, rules_, settings_, std::move(n));
  };
}

Writer::Work CaseService::OpenWork(const AuthUser& user, json request) const {
  return [this, user, request = std::move(request)](Tx& tx) -> Result<json> {
    return OpenInTx(tx, user, request, std::nullopt);
  };
}

Result<json> CaseService::OpenInTx(Tx& tx, const AuthUser& user, const json& request,
                                   std::optional<std::int64_t> as_person) const {
  {
    cases::NewCase n;
    QZ_ASSIGN_OR_RETURN(n.town_code, TextField(request, "town_code", 9, true));
    QZ_ASSIGN_OR_RETURN(n.power_code, TextField(request, "power_code", 64, true));
    QZ_ASSIGN_OR_RETURN(n.procedure, TextField(request, "procedure", 40, false));
    QZ_ASSIGN_OR_RETURN(n.summary, TextField(request, "summary", 2000, false));
    QZ_ASSIGN_OR_RETURN(n.origin, TextField(request, "origin", 20, false));
    if (n.origin.empty()) n.origin = "window";
    static const std::set<std::string> kOrigins = {"window", "complaint", "inspection",
                                                   "on_the_spot", "referral"};
    if (!kOrigins.count(n.origin)) {
      return Bad("来源（origin）须为 window、complaint、inspection、on_the_spot 或 referral",
                 "origin must be window, complaint, inspection, on_the_spot or referral");
    }
    if (!request.contains("party")) return Bad("缺少当事人（party）信息", "party is required");
    QZ_ASSIGN_OR_RETURN(n.party, ParseParty(request["party"]));
    QZ_ASSIGN_OR_RETURN(n.files, ParseMaterials(request, settings_));
    QZ_ASSIGN_OR_RETURN(n.opened_on, cases::DateField(request, "opened_on", Today()));
    if (n.opened_on > Today()) {
      return MakeError(ErrorCode::kValidation, "立案/受理日期不能晚于今天",
                       "opened_on cannot be in the future");
    }
    QZ_TRY(cases::TownInScope(tx.conn(), user, n.town_code));
    QZ_ASSIGN_OR_RETURN(std::int64_t person,
                        as_person ? Result<std::int64_t>(*as_person) : cases::PersonOf(tx.conn(), user));
    n.handler_id = person;
    Actor actor = user.AsActor();
    actor.person_id = person;
    return cases::CreateCase(tx, actor, rules_, settings_, std::move(n));
  }
}

Writer::Work CaseService::FileWork(const AuthUser& user, std::int64_t case_id, std::string kind,
                                   std::string file_name, std::string content_type,
                                   std::string bytes) const {
  return [this, user, case_id, kind = std::move(kind), file_name = std::move(file_name),
          content_type = std::move(content_type),
          bytes = std::move(bytes)](Tx& tx) mutable -> Result<json> {
    QZ_ASSIGN_OR_RETURN(store::CaseRecord r, cases::LoadCaseInScope(tx.conn(), user, case_id));
    if (r.terminal) {
      return MakeError(ErrorCode::kConflict, "案件已办结，不能再添加材料",
                       "the case is closed; no more materials");
    }
    QZ_ASSIGN_OR_RETURN(std::int64_t person, cases::PersonOf(tx.conn(), user));
    QZ_ASSIGN_OR_RETURN(domain::CaseState st, cases::CaseStateFromJson(r.state_json));
    QZ_ASSIGN_OR_RETURN(json stored, cases::StoreFile(tx, settings_, case_id, kind, file_name,
                                                      content_type, std::move(bytes)));
    st.documents.insert(kind);
    r.state_json = cases::CaseStateToJson(st).dump();
    r.updated_at = tx.now_seconds();
    Actor actor = user.AsActor();
    actor.person_id = person;
    QZ_ASSIGN_OR_RETURN(Receipt receipt,
                        tx.Append(cases::CaseEvent("case.file_added", actor, r,
                                                   {{"kind", kind},
                                                    {"sha256", stored["sha256"]},
                                                    {"size", stored["size"]}})));
    QZ_TRY(store::UpdateCase(tx.conn(), r));
    stored["receipt_index"] = receipt.index;
    return stored;
  };
}

}  // namespace quanze::app
