// Reading a case step command (cases_step_input.h).
#include "app/cases_step_input.h"

#include <set>

#include "app/cases_internal.h"

namespace quanze::app::cases {
namespace {

using nlohmann::json;

Error Bad(const std::string& field, const std::string& zh, const std::string& en) {
  return MakeError(ErrorCode::kBadRequest, field + " " + zh, field + " " + en, {{"field", field}});
}

bool Absent(const json& j, const char* key) { return !j.contains(key) || j[key].is_null(); }

Result<std::string> Text(const json& j, const char* key, const std::string& path, std::size_t max) {
  if (Absent(j, key)) return std::string();
  if (!j[key].is_string() || j[key].get_ref<const std::string&>().size() > max) {
    return Bad(path, "须为不超过 " + std::to_string(max) + " 字节的字符串",
               "must be a string of at most " + std::to_string(max) + " bytes");
  }
  return j[key].get<std::string>();
}

Result<std::int64_t> Integer(const json& j, const char* key, const std::string& path,
                             std::int64_t lo, std::int64_t hi) {
  if (Absent(j, key)) return std::int64_t{0};
  if (!j[key].is_number_integer()) return Bad(path, "须为整数", "must be an integer");
  const std::int64_t v = j[key].get<std::int64_t>();
  if (v < lo || v > hi) {
    return Bad(path, "须在 " + std::to_string(lo) + " 到 " + std::to_string(hi) + " 之间",
               "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return v;
}

Result<bool> Flag(const json& j, const char* key, const std::string& path) {
  if (Absent(j, key)) return false;
  if (!j[key].is_boolean()) return Bad(path, "须为 true 或 false", "must be true or false");
  return j[key].get<bool>();
}

Result<std::set<std::string>> Codes(const json& j, const char* key) {
  std::set<std::string> out;
  if (Absent(j, key)) return out;
  if (!j[key].is_array() || j[key].size() > 50) {
    return Bad(key, "须为字符串数组（最多 50 项）", "must be an array of at most 50 strings");
  }
  for (const auto& v : j[key]) {
    if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
        v.get_ref<const std::string&>().size() > 64) {
      return Bad(key, "的每一项须为 1–64 字节的字符串", "items must be strings of 1–64 bytes");
    }
    out.insert(v.get<std::string>());
  }
  return out;
}

Result<const json*> Object(const json& j, const char* key) {
  if (Absent(j, key)) return static_cast<const json*>(nullptr);
  if (!j[key].is_object()) return Bad(key, "须为对象", "must be an object");
  return &j[key];
}

constexpr std::int64_t kMaxFen = 100'000'000'000LL;

Result<domain::PenaltyTerms> Terms(const json& j, const std::string& at, std::int64_t* base) {
  domain::PenaltyTerms t;
  QZ_ASSIGN_OR_RETURN(t.tier, Text(j, "tier", at + ".tier", 32));
  QZ_ASSIGN_OR_RETURN(t.amount_fen, Integer(j, "amount_fen", at + ".amount_fen", 0, kMaxFen));
  QZ_ASSIGN_OR_RETURN(t.confiscation_fen,
                      Integer(j, "confiscation_fen", at + ".confiscation_fen", 0, kMaxFen));
  QZ_ASSIGN_OR_RETURN(t.licence_revoked_or_closure,
                      Flag(j, "licence_revoked_or_closure", at + ".licence_revoked_or_closure"));
  QZ_ASSIGN_OR_RETURN(*base, Integer(j, "base_fen", at + ".base_fen", 0, kMaxFen));
  return t;
}

Result<domain::Date> Day(const json& j, const char* key, const std::string& path) {
  if (Absent(j, key) || !j[key].is_string())
    return Bad(path, "须为 YYYY-MM-DD 日期", "must be a YYYY-MM-DD date");
  auto d = domain::ParseDate(j[key].get<std::string>());
  if (!d.ok()) return Bad(path, "须为 YYYY-MM-DD 日期", "must be a YYYY-MM-DD date");
  return *d;
}

Status ReadEvidence(const json& r, domain::cases::CaseCommand& in) {
  QZ_ASSIGN_OR_RETURN(const json* d, Object(r, "decision"));
  if (d != nullptr) {
    domain::cases::DecisionInput di;
    QZ_ASSIGN_OR_RETURN(di.content, Text(*d, "content", "decision.content", 20000));
    QZ_ASSIGN_OR_RETURN(di.written_reason,
                        Text(*d, "written_reason", "decision.written_reason", 4000));
    QZ_ASSIGN_OR_RETURN(di.terms, Terms(*d, "decision", &di.base_fen));
    in.decision = std::move(di);
  }
  QZ_ASSIGN_OR_RETURN(const json* p, Object(r, "proposal"));
  if (p != nullptr) {
    QZ_ASSIGN_OR_RETURN(in.proposal, Terms(*p, "proposal", &in.proposal_base_fen));
  }
  QZ_ASSIGN_OR_RETURN(const json* v, Object(r, "violation"));
  if (v != nullptr) {
    domain::ViolationDates vd;
    QZ_ASSIGN_OR_RETURN(vd.committed_on, Day(*v, "committed_on", "violation.committed_on"));
    QZ_ASSIGN_OR_RETURN(vd.discovered_on, Day(*v, "discovered_on", "violation.discovered_on"));
    QZ_ASSIGN_OR_RETURN(vd.serious_harm, Flag(*v, "serious_harm", "violation.serious_harm"));
    in.violation = vd;
  }
  QZ_ASSIGN_OR_RETURN(in.receipt_number, Text(r, "receipt_number", "receipt_number", 64));
  return Ok();
}

}  // namespace

Result<domain::cases::CaseCommand> ParseStepCommand(const json& r, domain::Date today) {
  domain::cases::CaseCommand in;
  if (!r.is_object()) return Bad("body", "须为 JSON 对象", "must be a JSON object");
  if (Absent(r, "step") || !r["step"].is_string() ||
      r["step"].get_ref<const std::string&>().empty()) {
    return Bad("step", "为必填字符串", "is a required string");
  }
  QZ_ASSIGN_OR_RETURN(in.step.step, Text(r, "step", "step", 64));
  QZ_ASSIGN_OR_RETURN(in.step.on, DateField(r, "on", today));
  QZ_ASSIGN_OR_RETURN(in.step.documents, Codes(r, "documents"));
  QZ_ASSIGN_OR_RETURN(in.step.facts, Codes(r, "facts"));
  QZ_ASSIGN_OR_RETURN(in.step.reason, Text(r, "reason", "reason", 4000));
  QZ_ASSIGN_OR_RETURN(in.backdate_reason, Text(r, "backdate_reason", "backdate_reason", 4000));
  QZ_ASSIGN_OR_RETURN(std::int64_t ext, Integer(r, "extension_days", "extension_days", 0, 366));
  in.step.extension_days = static_cast<int>(ext);
  QZ_ASSIGN_OR_RETURN(std::int64_t limit, Integer(r, "limit_days", "limit_days", 0, 3650));
  in.step.limit_days = static_cast<int>(limit);
  if (!Absent(r, "officers")) {
    if (!r["officers"].is_array() || r["officers"].size() > 10) {
      return Bad("officers", "须为人员编号数组（最多 10 人）",
                 "must be an array of at most 10 person ids");
    }
    for (const auto& o : r["officers"]) {
      if (!o.is_number_integer())
        return Bad("officers", "的每一项须为人员编号", "items must be person ids");
      in.officers.push_back(o.get<std::int64_t>());
    }
  }
  QZ_TRY(ReadEvidence(r, in));
  return in;
}

}  // namespace quanze::app::cases
