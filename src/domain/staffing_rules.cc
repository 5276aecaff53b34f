#include "domain/staffing_rules.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <initializer_list>
#include <map>
#include <tuple>
#include <utility>

namespace quanze::domain {
namespace {

// ---- Text helpers: evidence is built only for violations. ----

class Piece {
 public:
  Piece(std::string_view s) : sv_(s) {}    // NOLINT: implicit by design
  Piece(const std::string& s) : sv_(s) {}  // NOLINT
  Piece(const char* s) : sv_(s) {}         // NOLINT
  Piece(long long v) : is_num_(true) {     // NOLINT
    len_ = static_cast<int>(std::to_chars(buf_, buf_ + sizeof buf_, v).ptr - buf_);
  }
  Piece(int v) : Piece(static_cast<long long>(v)) {}  // NOLINT
  std::string_view view() const { return is_num_ ? std::string_view(buf_, len_) : sv_; }

 private:
  std::string_view sv_;
  bool is_num_ = false;
  char buf_[24] = {};
  int len_ = 0;
};

std::string Cat(std::initializer_list<Piece> pieces) {
  std::string out;
  for (const Piece& p : pieces) out.append(p.view());
  return out;
}

struct RuleText {
  std::string_view code, zh, basis;
};

constexpr std::array<RuleText, kRuleCodeCount> kRuleTexts = {{
    {"over_quota_leaders", "超职数配备干部",
     "《地方各级人民政府机构设置和编制管理条例》第二十六条第（五）项、第二十八条"},
    {"promotion_above_agency_rank", "超机构规格提拔干部",
     "《公务员法》第十八条、第二十条；《地方各级人民政府机构设置和编制管理条例》第二十六条第（五）"
     "项"},
    {"agency_beyond_authority", "超审批权限设置机构",
     "《地方各级人民政府机构设置和编制管理条例》第九条、第二十六条第（一）（七）项；"
     "经济发达镇改革意见（综合设置10个以内职能机构）"},
    {"unauthorised_grade_raise", "擅自提高干部职级待遇", "《公务员法》第十九条、第二十一条"},
    {"unauthorised_title", "擅自设置职务名称", "《公务员法》第十八条、第十九条"},
    {"over_quota", "超编",
     "《地方各级人民政府机构设置和编制管理条例》第六条、第二十六条第（四）项"},
    {"wrong_quota_kind", "混编混岗",
     "《地方各级人民政府机构设置和编制管理条例》第十五条、第二十六条第（三）项"},
    {"total_above_baseline", "编制总额超过基数",
     "经济发达镇改革意见（严控总量、只减不增）；《地方各级人民政府机构设置和编制管理条例》第六条"},
    {"dispatched_assessment", "派驻机构考核未以镇为主",
     "经济发达镇改革意见（工作考核要以经济发达镇为主）"},
    {"quota_total_increase", "编制总量只减不增",
     "经济发达镇改革意见（只减不增）；《地方各级人民政府机构设置和编制管理条例》第六条、第二十六条"
     "第（三）项"},
    {"quota_beyond_authority", "超审批权限核定编制",
     "《地方各级人民政府机构设置和编制管理条例》第二十六条第（七）项"},
    {"consultation_missing", "派驻机构干部任免未事先听取镇党委和政府意见",
     "经济发达镇改革意见（干部任免应当事先听取所在镇党委和政府意见）"},
}};

// Agencies by id for one town: a sorted (id, index) list.
class TownView {
 public:
  explicit TownView(const TownStaffing& town) : town(town) {
    index_.reserve(town.agencies.size());
    for (std::size_t i = 0; i < town.agencies.size(); ++i) {
      index_.emplace_back(town.agencies[i].id, static_cast<int>(i));
    }
    std::sort(index_.begin(), index_.end());
  }
  // Index into town.agencies, or -1.
  int AgencyIndex(Id id) const {
    auto it = std::lower_bound(index_.begin(), index_.end(), std::pair<Id, int>(id, -1));
    return it != index_.end() && it->first == id ? it->second : -1;
  }
  const Agency* FindAgency(Id id) const {
    const int i = AgencyIndex(id);
    return i < 0 ? nullptr : &town.agencies[i];
  }
  std::string AgencyName(Id id) const {
    const Agency* a = FindAgency(id);
    return a != nullptr ? a->name : Cat({"机构#", static_cast<long long>(id)});
  }
  int agency_count() const { return static_cast<int>(town.agencies.size()); }

  const TownStaffing& town;

 private:
  std::vector<std::pair<Id, int>> index_;
};

Violation MakeViolation(RuleCode rule, Id agency, Id person, std::string subject, int excess,
                        std::string zh, std::string en) {
  return Violation{rule, agency, person, std::move(subject), excess, std::move(zh), std::move(en)};
}

std::string JoinNames(const TownStaffing& town, const std::function<bool(const Person&)>& pick,
                      std::string_view separator) {
  std::string out;
  for (const Person& p : town.persons) {
    if (!pick(p)) continue;
    if (!out.empty()) out += separator;
    out += p.name;
  }
  return out;
}

// ---- The rules, on a prepared view. ----

std::vector<Violation> OverQuotaLeaders(const TownView& v, const StaffingSettings&) {
  const int n = v.agency_count();
  std::vector<int> filled(static_cast<std::size_t>(n) * kGradeCount, 0);
  std::vector<int> allowed(filled.size(), 0);
  auto bucket = [](const Person& p) { return IsLeadershipGrade(p.grade) ? p.grade : Grade::kNone; };
  for (const Person& p : v.town.persons) {
    if (!OccupiesLeadershipPost(p)) continue;
    const int ai = v.AgencyIndex(p.agency_id);
    if (ai >= 0) ++filled[ai * kGradeCount + static_cast<int>(bucket(p))];
  }
  for (const LeadershipQuota& q : v.town.leadership_quotas) {
    const int ai = v.AgencyIndex(q.agency_id);
    if (ai >= 0) allowed[ai * kGradeCount + static_cast<int>(q.grade)] += q.count;
  }
  std::vector<Violation> out;
  for (int ai = 0; ai < n; ++ai) {
    for (int g = 0; g < kGradeCount; ++g) {
      const int f = filled[ai * kGradeCount + g], a = allowed[ai * kGradeCount + g];
      if (f <= a) continue;
      const Agency& agency = v.town.agencies[ai];
      const Grade grade = static_cast<Grade>(g);
      auto pick = [&](const Person& p) {
        return p.agency_id == agency.id && OccupiesLeadershipPost(p) && bucket(p) == grade;
      };
      const std::string names = JoinNames(v.town, pick, "、");
      const std::string_view grade_zh =
          grade == Grade::kNone ? "股级（无领导职务层次）" : GradeNameZh(grade);
      out.push_back(MakeViolation(
          RuleCode::kOverQuotaLeaders, agency.id, 0, std::string(GradeCode(grade)), f - a,
          Cat({agency.name, " ", grade_zh, " 领导职数核定 ", a, " 名，实际配备 ", f, " 名（", names,
               "），超出 ", f - a, " 名"}),
          Cat({agency.name, ": ", a, " leadership post(s) of grade ", GradeCode(grade),
               " approved, ", f, " filled (", JoinNames(v.town, pick, ", "), "); ", f - a,
               " over"})));
    }
  }
  return out;
}

std::vector<Violation> PromotionAboveAgencyRank(const TownView& v, const StaffingSettings& s) {
  std::array<int, kAgencyRankCount> max_level{};
  for (int r = 0; r < kAgencyRankCount; ++r) max_level[r] = s.allowed_grades[r].MaxLevel();
  std::vector<Violation> out;
  for (const Person& p : v.town.persons) {
    if (p.grade == Grade::kNone) continue;
    const Agency* a = v.FindAgency(p.agency_id);
    if (a == nullptr) continue;
    const int r = static_cast<int>(a->rank);
    if (s.allowed_grades[r].Contains(p.grade)) continue;
    const int excess = std::max(1, GradeLevel(p.grade) - max_level[r]);
    out.push_back(MakeViolation(RuleCode::kPromotionAboveAgencyRank, a->id, p.id, "", excess,
                                Cat({p.name, " 现为 ", GradeNameZh(p.grade), "，超出 ", a->name,
                                     "（", AgencyRankNameZh(a->rank), "）的机构规格"}),
                                Cat({p.name, " holds ", GradeCode(p.grade), ", above the rank of ",
                                     a->name, " (", AgencyRankCode(a->rank), ")"})));
  }
  return out;
}

std::string ApprovalSubject(ApprovingLevel level, std::string_view doc) {
  return Cat({"approval:", ApprovingLevelCode(level), ":", doc});
}

std::optional<Violation> AgencyApprovalViolation(const Agency& a, const StaffingSettings& s) {
  if (!a.approval_doc.empty() && s.IsEntitled(a.approving_level)) return std::nullopt;
  std::string zh, en;
  if (a.approval_doc.empty()) {
    zh = Cat({a.name, " 无批准文号，未经有权机关批准设立或变更"});
    en = Cat({a.name, " has no approval document: not approved by an entitled body"});
  } else {
    zh = Cat({a.name, " 由", ApprovingLevelNameZh(a.approving_level), "机关（",
              a.approving_authority, "，", a.approval_doc, "）批准，该层级无权审批机构设置"});
    en = Cat({a.name, " was approved at ", ApprovingLevelCode(a.approving_level), " level (",
              a.approving_authority, ", ", a.approval_doc,
              "), a level not entitled to approve agencies"});
  }
  return MakeViolation(RuleCode::kAgencyBeyondAuthority, a.id, 0,
                       ApprovalSubject(a.approving_level, a.approval_doc), 1, std::move(zh),
                       std::move(en));
}

std::vector<Violation> AgencyBeyondAuthority(const TownView& v, const StaffingSettings& s) {
  std::vector<Violation> out;
  int capped = 0;
  std::string names, names_en;
  for (const Agency& a : v.town.agencies) {
    if (auto violation = AgencyApprovalViolation(a, s)) out.push_back(std::move(*violation));
    if (std::find(s.capped_agency_kinds.begin(), s.capped_agency_kinds.end(), a.kind) !=
        s.capped_agency_kinds.end()) {
      ++capped;
      if (!names.empty()) {
        names += "、";
        names_en += ", ";
      }
      names += a.name;
      names_en += a.name;
    }
  }
  if (capped > s.max_integrated_agencies) {
    const int excess = capped - s.max_integrated_agencies;
    out.push_back(
        MakeViolation(RuleCode::kAgencyBeyondAuthority, 0, 0, "agency_limit", excess,
                      Cat({"本镇综合设置的职能机构 ", capped, " 个（", names, "），超过上限 ",
                           s.max_integrated_agencies, " 个"}),
                      Cat({"The town has ", capped, " integrated functional agencies (", names_en,
                           "), above the limit of ", s.max_integrated_agencies})));
  }
  return out;
}

std::vector<Violation> UnauthorisedGradeRaise(const TownView& v, const StaffingSettings& s) {
  const int free_level = GradeLevel(s.max_grade_without_approval);
  std::vector<Violation> out;
  for (const Person& p : v.town.persons) {
    if (p.grade == Grade::kNone) continue;
    int ceiling = free_level;
    if (!p.grade_approval.empty()) ceiling = std::max(ceiling, GradeLevel(p.approved_grade));
    const int level = GradeLevel(p.grade);
    if (level <= ceiling) continue;
    std::string zh, en;
    if (p.grade_approval.empty()) {
      zh = Cat({p.name, " 现为 ", GradeNameZh(p.grade), "，无职级审批记录"});
      en = Cat({p.name, " holds ", GradeCode(p.grade), " with no grade approval record"});
    } else {
      zh = Cat({p.name, " 现为 ", GradeNameZh(p.grade), "，审批记录（", p.grade_approval,
                "）仅核定至 ", GradeNameZh(p.approved_grade)});
      en = Cat({p.name, " holds ", GradeCode(p.grade), " but the approval (", p.grade_approval,
                ") covers only ", GradeCode(p.approved_grade)});
    }
    out.push_back(MakeViolation(RuleCode::kUnauthorisedGradeRaise, p.agency_id, p.id, "",
                                level - ceiling, std::move(zh), std::move(en)));
  }
  return out;
}

std::vector<Violation> UnauthorisedTitle(const TownView& v, const StaffingSettings& s) {
  std::vector<Violation> out;
  for (const Person& p : v.town.persons) {
    if (p.title.empty() || s.standard_titles.count(std::string_view(p.title)) != 0) continue;
    out.push_back(MakeViolation(
        RuleCode::kUnauthorisedTitle, p.agency_id, p.id, p.title, 1,
        Cat({p.name, " 的职务名称“", p.title, "”不在规范职务名称目录中"}),
        Cat({"The title \"", p.title, "\" of ", p.name, " is not in the standard vocabulary"})));
  }
  return out;
}

// Whether agencies of a's kind may use quota `kind` (条例 第十五条).
bool AllowedKind(const StaffingSettings& s, const Agency& a, std::string_view kind) {
  const auto& list = s.allowed_quota_kinds[static_cast<int>(a.kind)];
  return s.IsConfiguredQuotaKind(kind) && std::find(list.begin(), list.end(), kind) != list.end();
}

std::vector<Violation> OverQuota(const TownView& v, const StaffingSettings& s) {
  // Kinds: the configured ones, then any other kind met in this town.
  std::vector<std::string_view> kinds;
  kinds.reserve(s.quota_kinds.size() + 2);
  for (const QuotaKindDef& k : s.quota_kinds) kinds.push_back(k.code);
  auto kind_index = [&](std::string_view kind) {
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      if (kinds[i] == kind) return static_cast<int>(i);
    }
    kinds.push_back(kind);
    return static_cast<int>(kinds.size() - 1);
  };
  for (const Quota& q : v.town.quotas) kind_index(q.kind);
  for (const Person& p : v.town.persons) {
    if (!p.quota_kind.empty()) kind_index(p.quota_kind);
  }
  const std::size_t nk = kinds.size();
  std::vector<int> filled(v.agency_count() * nk, 0), approved(filled.size(), 0);
  std::vector<std::tuple<Id, int, int>> unknown;  // (agency id, kind, persons)
  for (const Person& p : v.town.persons) {
    if (p.quota_kind.empty()) continue;  // reported by wrong_quota_kind
    const int k = kind_index(p.quota_kind);
    const int ai = v.AgencyIndex(p.agency_id);
    if (ai >= 0) {
      // A person on a kind the agency may not use (混岗) is reported once, by
      // wrong_quota_kind, not again as over quota.
      if (AllowedKind(s, v.town.agencies[ai], p.quota_kind)) ++filled[ai * nk + k];
      continue;
    }
    auto it = std::find_if(unknown.begin(), unknown.end(), [&](const auto& u) {
      return std::get<0>(u) == p.agency_id && std::get<1>(u) == k;
    });
    if (it == unknown.end())
      unknown.emplace_back(p.agency_id, k, 1);
    else
      ++std::get<2>(*it);
  }
  for (const Quota& q : v.town.quotas) {
    const int ai = v.AgencyIndex(q.agency_id);
    if (ai >= 0) approved[ai * nk + kind_index(q.kind)] += q.count;
  }
  std::vector<Violation> out;
  auto report = [&](Id agency_id, std::string_view agency_name, int k, int f, int a) {
    const std::string_view kind_zh = s.QuotaKindNameZh(kinds[k]);
    std::string zh =
        a == 0 && v.FindAgency(agency_id) == nullptr
            ? Cat({agency_name, " 未经批准设立或已撤销，却有 ", f, " 名人员占用", kind_zh})
            : Cat({agency_name, " ", kind_zh, " 核定 ", a, " 名，实有 ", f, " 名，超编 ", f - a,
                   " 名"});
    out.push_back(MakeViolation(RuleCode::kOverQuota, agency_id, 0, std::string(kinds[k]), f - a,
                                std::move(zh),
                                Cat({agency_name, ": ", a, " ", kinds[k], " post(s) approved, ", f,
                                     " filled; ", f - a, " over quota"})));
  };
  for (int ai = 0; ai < v.agency_count(); ++ai) {
    for (std::size_t k = 0; k < nk; ++k) {
      const int f = filled[ai * nk + k], a = approved[ai * nk + k];
      if (f > a)
        report(v.town.agencies[ai].id, v.town.agencies[ai].name, static_cast<int>(k), f, a);
    }
  }
  for (const auto& [agency_id, k, f] : unknown) report(agency_id, v.AgencyName(agency_id), k, f, 0);
  return out;
}

std::vector<Violation> WrongQuotaKind(const TownView& v, const StaffingSettings& s) {
  auto allowed = [&](const Agency& a, std::string_view kind) { return AllowedKind(s, a, kind); };
  std::vector<Violation> out;
  for (const Person& p : v.town.persons) {
    const Agency* a = v.FindAgency(p.agency_id);
    const bool configured = s.IsConfiguredQuotaKind(p.quota_kind);
    if (configured && (a == nullptr || allowed(*a, p.quota_kind))) continue;
    const std::string_view agency_kind = a != nullptr ? AgencyKindCode(a->kind) : "unknown";
    std::string zh, en;
    if (p.quota_kind.empty()) {
      zh = Cat({p.name, " 未登记所占用的编制类别"});
      en = Cat({p.name, " has no quota kind recorded"});
    } else if (!configured) {
      zh = Cat({p.name, " 占用的编制类别“", p.quota_kind,
                "”不在核定的编制类别中（自行设定其他类别的编制）"});
      en = Cat({p.name, " occupies \"", p.quota_kind, "\", which is not a configured quota kind"});
    } else {
      zh = Cat({p.name, " 在", AgencyKindNameZh(a->kind), "“", a->name, "”占用",
                s.QuotaKindNameZh(p.quota_kind),
                "（行政机构应当使用行政编制，事业单位应当使用事业编制）"});
      en = Cat({p.name, " occupies a quota of kind ", p.quota_kind, " in ", a->name, " (",
                AgencyKindCode(a->kind), "), a kind that agency may not use"});
    }
    out.push_back(MakeViolation(RuleCode::kWrongQuotaKind, p.agency_id, p.id,
                                Cat({agency_kind, "/", p.quota_kind}), 1, std::move(zh),
                                std::move(en)));
  }
  for (const Quota& q : v.town.quotas) {
    const Agency* a = v.FindAgency(q.agency_id);
    if (a == nullptr || q.count <= 0) continue;
    if (s.IsConfiguredQuotaKind(q.kind) && allowed(*a, q.kind)) continue;
    out.push_back(MakeViolation(
        RuleCode::kWrongQuotaKind, a->id, 0, q.kind, q.count,
        Cat({AgencyKindNameZh(a->kind), "“", a->name, "”核有", s.QuotaKindNameZh(q.kind), " ",
             q.count, " 名，该类机构不得使用此类编制"}),
        Cat({a->name, " (", AgencyKindCode(a->kind), ") holds ", q.count, " ", q.kind,
             " post(s), a kind it may not use"})));
  }
  return out;
}

int TotalOf(const std::vector<QuotaTotal>& totals, std::string_view kind) {
  for (const QuotaTotal& t : totals) {
    if (t.kind == kind) return t.count;
  }
  return 0;
}

std::vector<Violation> TotalAboveBaseline(const TownView& v, const StaffingSettings& s) {
  std::vector<Violation> out;
  const std::vector<QuotaTotal> totals = TownTotals(v.town);
  if (v.town.baseline.totals.empty()) {
    if (!totals.empty()) {
      out.push_back(MakeViolation(RuleCode::kTotalAboveBaseline, 0, 0, "baseline_missing", 1,
                                  "本镇尚未确定编制基数，无法核对编制总量只减不增",
                                  "The town has no quota baseline, so 'totals only go down' "
                                  "cannot be checked"));
    }
    return out;
  }
  for (const QuotaTotal& t : totals) {
    const int base = TotalOf(v.town.baseline.totals, t.kind);
    if (t.count <= base) continue;
    out.push_back(MakeViolation(
        RuleCode::kTotalAboveBaseline, 0, 0, t.kind, t.count - base,
        Cat({"本镇", s.QuotaKindNameZh(t.kind), "总额 ", t.count, " 名，超过编制基数 ", base,
             " 名"}),
        Cat({"The town's ", t.kind, " total is ", t.count, ", above its baseline of ", base})));
  }
  return out;
}

std::vector<Violation> DispatchedAssessment(const TownView& v, const StaffingSettings& s) {
  std::vector<Violation> out;
  for (const Agency& a : v.town.agencies) {
    if (a.kind != AgencyKind::kDispatched || a.localised ||
        a.town_assessment_weight > s.dispatched_town_weight) {
      continue;
    }
    const int pct = static_cast<int>(a.town_assessment_weight * 100 + 0.5);
    const int min_pct = static_cast<int>(s.dispatched_town_weight * 100 + 0.5);
    out.push_back(MakeViolation(
        RuleCode::kDispatchedAssessment, a.id, 0, "", 1,
        Cat({"派驻机构 ", a.name, " 的工作考核中镇所占权重为 ", pct, "%，应高于 ", min_pct, "%"}),
        Cat({"The town's weight in assessing the dispatched agency ", a.name, " is ", pct,
             "%; it must be above ", min_pct, "%"})));
  }
  return out;
}

template <typename Rule>
std::vector<Violation> RunOne(const TownStaffing& town, const StaffingSettings& s, Rule rule) {
  return rule(TownView(town), s);
}

}  // namespace

// ---- Public ----

std::string_view RuleCodeName(RuleCode r) { return kRuleTexts[static_cast<int>(r)].code; }
std::string_view RuleNameZh(RuleCode r) { return kRuleTexts[static_cast<int>(r)].zh; }
std::string_view RuleBasisZh(RuleCode r) { return kRuleTexts[static_cast<int>(r)].basis; }
std::optional<RuleCode> ParseRuleCode(std::string_view code) {
  for (int i = 0; i < kRuleCodeCount; ++i) {
    if (kRuleTexts[i].code == code || kRuleTexts[i].zh == code) return static_cast<RuleCode>(i);
  }
  return std::nullopt;
}

int GradeSet::MaxLevel() const {
  int level = 0;
  for (int g = 0; g < kGradeCount; ++g) {
    if (Contains(static_cast<Grade>(g))) level = std::max(level, GradeLevel(static_cast<Grade>(g)));
  }
  return level;
}

std::vector<Grade> GradeSet::ToVector() const {
  std::vector<Grade> out;
  for (int g = 0; g < kGradeCount; ++g) {
    if (Contains(static_cast<Grade>(g))) out.push_back(static_cast<Grade>(g));
  }
  return out;
}

std::string_view StaffingSettings::QuotaKindNameZh(std::string_view code) const {
  for (const QuotaKindDef& k : quota_kinds) {
    if (k.code == code) return k.name_zh;
  }
  return code;
}

bool StaffingSettings::IsConfiguredQuotaKind(std::string_view code) const {
  return std::any_of(quota_kinds.begin(), quota_kinds.end(),
                     [&](const QuotaKindDef& k) { return k.code == code; });
}

bool StaffingSettings::IsEntitled(ApprovingLevel level) const {
  return std::find(entitled_approving_levels.begin(), entitled_approving_levels.end(), level) !=
         entitled_approving_levels.end();
}

StaffingSettings DefaultStaffingSettings() {
  StaffingSettings s;
  s.max_integrated_agencies = 10;
  s.capped_agency_kinds = {AgencyKind::kIntegrated};
  s.quota_kinds = {{"administrative", "行政编制", "administrative quota"},
                   {"institutional", "事业编制", "institutional quota"},
                   {"service_staff", "工勤编制", "service staff quota"}};
  s.allowed_quota_kinds[static_cast<int>(AgencyKind::kIntegrated)] = {"administrative",
                                                                      "service_staff"};
  s.allowed_quota_kinds[static_cast<int>(AgencyKind::kPublicInstitution)] = {"institutional"};
  s.allowed_quota_kinds[static_cast<int>(AgencyKind::kDispatched)] = {
      "administrative", "institutional", "service_staff"};
  s.allowed_quota_kinds[static_cast<int>(AgencyKind::kZoneAdministration)] = {"administrative",
                                                                              "institutional"};
  s.standard_titles = {"党委书记", "党委副书记", "镇长",     "副镇长", "人大主席", "人大副主席",
                       "纪委书记", "党委委员",   "武装部长", "主任",   "副主任",   "局长",
                       "副局长",   "所长",       "副所长",   "站长",   "副站长",   "队长",
                       "副队长",   "中队长",     "科员",     "办事员", "工作人员"};
  const GradeSet staff = {Grade::kNone,       Grade::kClerk2,     Grade::kClerk1,
                          Grade::kPrincipal4, Grade::kPrincipal3, Grade::kPrincipal2,
                          Grade::kPrincipal1};
  auto with = [](GradeSet set, std::initializer_list<Grade> extra) {
    for (Grade g : extra) set.Add(g);
    return set;
  };
  s.allowed_grades[static_cast<int>(AgencyRank::kNone)] = staff;
  s.allowed_grades[static_cast<int>(AgencyRank::kUnit)] = staff;
  s.allowed_grades[static_cast<int>(AgencyRank::kTownshipDeputy)] =
      with(staff, {Grade::kTownshipDeputy});
  s.allowed_grades[static_cast<int>(AgencyRank::kTownshipChief)] =
      with(staff, {Grade::kTownshipDeputy, Grade::kTownshipChief});
  s.allowed_grades[static_cast<int>(AgencyRank::kCountyDeputy)] = with(
      staff,
      {Grade::kTownshipDeputy, Grade::kTownshipChief, Grade::kResearcher4, Grade::kCountyDeputy});
  s.allowed_grades[static_cast<int>(AgencyRank::kCountyChief)] = with(
      staff, {Grade::kTownshipDeputy, Grade::kTownshipChief, Grade::kResearcher4,
              Grade::kResearcher3, Grade::kResearcher2, Grade::kCountyDeputy, Grade::kCountyChief});
  s.entitled_approving_levels = {ApprovingLevel::kCounty, ApprovingLevel::kCity,
                                 ApprovingLevel::kProvince};
  s.max_grade_without_approval = Grade::kClerk1;
  s.dispatched_town_weight = 0.5;
  return s;
}

std::vector<Violation> CheckOverQuotaLeaders(const TownStaffing& t, const StaffingSettings& s) {
  return RunOne(t, s, OverQuotaLeaders);
}
std::vector<Violation> CheckPromotionAboveAgencyRank(const TownStaffing& t,
                                                     const StaffingSettings& s) {
  return RunOne(t, s, PromotionAboveAgencyRank);
}
std::vector<Violation> CheckAgencyBeyondAuthority(const TownStaffing& t,
                                                  const StaffingSettings& s) {
  return RunOne(t, s, AgencyBeyondAuthority);
}
std::vector<Violation> CheckUnauthorisedGradeRaise(const TownStaffing& t,
                                                   const StaffingSettings& s) {
  return RunOne(t, s, UnauthorisedGradeRaise);
}
std::vector<Violation> CheckUnauthorisedTitle(const TownStaffing& t, const StaffingSettings& s) {
  return RunOne(t, s, UnauthorisedTitle);
}
std::vector<Violation> CheckOverQuota(const TownStaffing& t, const StaffingSettings& s) {
  return RunOne(t, s, OverQuota);
}
std::vector<Violation> CheckWrongQuotaKind(const TownStaffing& t, const StaffingSettings& s) {
  return RunOne(t, s, WrongQuotaKind);
}
std::vector<Violation> CheckTotalAboveBaseline(const TownStaffing& t, const StaffingSettings& s) {
  return RunOne(t, s, TotalAboveBaseline);
}
std::vector<Violation> CheckDispatchedAssessment(const TownStaffing& t, const StaffingSettings& s) {
  return RunOne(t, s, DispatchedAssessment);
}

std::vector<Violation> Scan(const TownStaffing& town, const StaffingSettings& s) {
  const TownView view(town);
  std::vector<Violation> out;
  for (auto* rule :
       {OverQuotaLeaders, PromotionAboveAgencyRank, AgencyBeyondAuthority, UnauthorisedGradeRaise,
        UnauthorisedTitle, OverQuota, WrongQuotaKind, TotalAboveBaseline, DispatchedAssessment}) {
    std::vector<Violation> found = rule(view, s);
    if (out.empty()) {
      out = std::move(found);
    } else {
      out.insert(out.end(), std::make_move_iterator(found.begin()),
                 std::make_move_iterator(found.end()));
    }
  }
  return out;
}

namespace {

// Identity of a violation across two states: person-level violations follow
// the person (so moving a legacy case is not "new"), agency-level ones the
// agency.
using ViolationKey = std::tuple<int, Id, Id, std::string>;

ViolationKey KeyOf(const Violation& v) {
  return {static_cast<int>(v.rule), v.person_id != 0 ? 0 : v.agency_id, v.person_id, v.subject};
}

Id Follow(const std::vector<std::pair<Id, Id>>& merged, Id id) {
  for (const auto& [from, into] : merged) {
    if (from == id) return Follow(merged, into);
  }
  return id;
}

const Approval* ApprovalOf(const Change& change) {
  if (auto* c = std::get_if<MergeAgencies>(&change)) return &c->approval;
  if (auto* c = std::get_if<AbolishAgency>(&change)) return &c->approval;
  if (auto* c = std::get_if<RenameAgency>(&change)) return &c->approval;
  if (auto* c = std::get_if<AdjustQuota>(&change)) return &c->approval;
  return nullptr;
}

Id AgencyOf(const Change& change) {
  if (auto* c = std::get_if<MergeAgencies>(&change)) return c->into_agency_id;
  if (auto* c = std::get_if<AbolishAgency>(&change)) return c->agency_id;
  if (auto* c = std::get_if<RenameAgency>(&change)) return c->agency_id;
  return 0;
}

// The change's own approval must come from an entitled level (条例 第九条).
std::optional<Violation> ChangeApprovalViolation(const TownStaffing& state, const Change& change,
                                                 const StaffingSettings& s) {
  const Approval* approval = ApprovalOf(change);
  if (approval == nullptr || (!approval->doc.empty() && s.IsEntitled(approval->level))) {
    return std::nullopt;
  }
  const std::string_view what_zh =
      std::holds_alternative<AdjustQuota>(change) ? "编制调整" : "机构变更";
  const std::string zh =
      approval->doc.empty()
          ? Cat({what_zh, "（", ChangeCode(change), "）没有批准文号"})
          : Cat({what_zh, "由", ApprovingLevelNameZh(approval->level), "机关（",
                 approval->authority, "，", approval->doc, "）批准，该层级无权审批"});
  const std::string en =
      Cat({"The ", ChangeCode(change), " change is approved ",
           approval->doc.empty() ? "by no document" : "at a level not entitled (",
           approval->doc.empty() ? "" : ApprovingLevelCode(approval->level),
           approval->doc.empty() ? "" : ")"});
  if (std::holds_alternative<AdjustQuota>(change)) {
    return MakeViolation(RuleCode::kQuotaBeyondAuthority, 0, 0,
                         Cat({"adjust_quota:", ApprovalSubject(approval->level, approval->doc)}), 1,
                         zh, en);
  }
  const Agency* agency = state.FindAgency(AgencyOf(change));
  return MakeViolation(RuleCode::kAgencyBeyondAuthority, AgencyOf(change), 0,
                       ApprovalSubject(approval->level, approval->doc), 1,
                       Cat({agency != nullptr ? agency->name : "", " ", zh}), en);
}

struct PersonChange {
  Id person_id;
  const std::string* consultation_record;
};

std::optional<PersonChange> PersonChangeOf(const Change& change) {
  if (auto* c = std::get_if<Appoint>(&change))
    return PersonChange{c->person.id, &c->consultation_record};
  if (auto* c = std::get_if<Transfer>(&change))
    return PersonChange{c->person_id, &c->consultation_record};
  if (auto* c = std::get_if<Promote>(&change))
    return PersonChange{c->person_id, &c->consultation_record};
  if (auto* c = std::get_if<ChangeGrade>(&change)) {
    return PersonChange{c->person_id, &c->consultation_record};
  }
  return std::nullopt;
}

// The dispatched, not localised agency in which `p` holds a leadership post.
const Agency* DispatchedLeadership(const TownStaffing& t, const Person* p) {
  if (p == nullptr || !OccupiesLeadershipPost(*p)) return nullptr;
  const Agency* a = t.FindAgency(p->agency_id);
  return a != nullptr && a->kind == AgencyKind::kDispatched && !a->localised ? a : nullptr;
}

// Appointing or removing a leader of a dispatched agency needs a recorded
// prior consultation with the town party committee and government.
std::optional<Violation> ConsultationViolation(const TownStaffing& prev, const TownStaffing& next,
                                               const Change& change) {
  const std::optional<PersonChange> pc = PersonChangeOf(change);
  if (!pc || !pc->consultation_record->empty()) return std::nullopt;
  const Person* was = prev.FindPerson(pc->person_id);
  const Person* is = next.FindPerson(pc->person_id);
  const Agency* was_in = DispatchedLeadership(prev, was);
  const Agency* is_in = DispatchedLeadership(next, is);
  if (was_in == nullptr && is_in == nullptr) return std::nullopt;
  const bool same = was_in != nullptr && is_in != nullptr && was_in->id == is_in->id &&
                    was->post == is->post && was->title == is->title &&
                    (was->grade == is->grade ||
                     (!IsLeadershipGrade(was->grade) && !IsLeadershipGrade(is->grade)));
  if (same) return std::nullopt;
  const Agency* agency = is_in != nullptr ? is_in : was_in;
  const Person* person = is != nullptr ? is : was;
  const bool appointing = is_in != nullptr;
  return MakeViolation(RuleCode::kConsultationMissing, agency->id, person->id, "consultation", 1,
                       Cat({appointing ? "任命" : "免去", "派驻机构 ", agency->name, " 领导 ",
                            person->name, "，没有事先听取镇党委和政府意见的记录"}),
                       Cat({appointing ? "Appointing " : "Removing ", person->name,
                            " as a leader of the dispatched agency ", agency->name,
                            " has no recorded prior consultation with the town party committee and "
                            "government"}));
}

void TotalIncreaseViolations(const TownStaffing& before, const TownStaffing& after,
                             const StaffingSettings& s, const ChangeContext& context,
                             std::vector<Violation>& out) {
  const std::vector<QuotaTotal> was = TownTotals(before);
  for (const QuotaTotal& t : TownTotals(after)) {
    const int old_total = TotalOf(was, t.kind);
    const int delta = t.count - old_total;
    if (delta <= 0) continue;
    const std::string_view kind_zh = s.QuotaKindNameZh(t.kind);
    out.push_back(MakeViolation(RuleCode::kQuotaTotalIncrease, 0, 0, t.kind, delta,
                                Cat({"变更后本镇", kind_zh, "总额由 ", old_total, " 名增至 ",
                                     t.count, " 名；编制总量只减不增"}),
                                Cat({"The change raises the town's ", t.kind, " total from ",
                                     old_total, " to ", t.count, "; totals may only go down"})));
    if (!context.county) continue;
    const CountyQuotaPosition& county = *context.county;
    const int county_now = TotalOf(county.totals, t.kind);
    out.push_back(MakeViolation(
        RuleCode::kQuotaTotalIncrease, 0, 0, Cat({"county:", t.kind}), delta,
        Cat({"县（", county.county_code, "）", kind_zh, "总额将由 ", county_now, " 名增至 ",
             county_now + delta, " 名（基数 ", TotalOf(county.baseline, t.kind), " 名）"}),
        Cat({"The county (", county.county_code, ") ", t.kind, " total would rise from ",
             county_now, " to ", county_now + delta, " (baseline ",
             TotalOf(county.baseline, t.kind), ")"})));
  }
}

}  // namespace

Result<std::vector<Violation>> NewViolations(const TownStaffing& before,
                                             std::span<const Change> changes,
                                             const StaffingSettings& settings,
                                             const ChangeContext& context) {
  std::vector<Violation> found;
  std::vector<std::pair<Id, Id>> merged;  // merged agency -> the agency it joined
  TownStaffing state = before;
  for (const Change& change : changes) {
    if (auto v = ChangeApprovalViolation(state, change, settings)) found.push_back(std::move(*v));
    QZ_ASSIGN_OR_RETURN(TownStaffing next, ApplyChange(state, change));
    if (auto v = ConsultationViolation(state, next, change)) found.push_back(std::move(*v));
    if (auto* m = std::get_if<MergeAgencies>(&change)) {
      for (Id from : m->from_agency_ids) merged.emplace_back(from, m->into_agency_id);
    }
    state = std::move(next);
  }
  TotalIncreaseViolations(before, state, settings, context, found);

  std::map<ViolationKey, int> had;
  for (Violation& v : Scan(before, settings)) {
    if (v.person_id == 0 && v.agency_id != 0) v.agency_id = Follow(merged, v.agency_id);
    had[KeyOf(v)] += v.excess;
  }
  for (Violation& v : Scan(state, settings)) {
    auto it = had.find(KeyOf(v));
    if (it == had.end() || v.excess > it->second) found.push_back(std::move(v));
  }
  // One entry per key: a change-level finding may repeat a scan finding.
  std::vector<Violation> out;
  std::set<ViolationKey> seen;
  for (Violation& v : found) {
    if (seen.insert(KeyOf(v)).second) out.push_back(std::move(v));
  }
  return out;
}

Status CheckChanges(const TownStaffing& before, std::span<const Change> changes,
                    const StaffingSettings& settings, const ChangeContext& context) {
  QZ_ASSIGN_OR_RETURN(const std::vector<Violation> violations,
                      NewViolations(before, changes, settings, context));
  if (violations.empty()) return Ok();
  std::string rules_zh, rules_en;
  for (const Violation& v : violations) {
    if (rules_en.find(RuleCodeName(v.rule)) != std::string::npos) continue;
    if (!rules_en.empty()) {
      rules_zh += "、";
      rules_en += ", ";
    }
    rules_zh += RuleNameZh(v.rule);
    rules_en += RuleCodeName(v.rule);
  }
  const int n = static_cast<int>(violations.size());
  nlohmann::json detail = {{"changes", nlohmann::json::array()},
                           {"violations", ViolationsToJson(violations)}};
  for (const Change& c : changes) detail["changes"].push_back(ChangeCode(c));
  return MakeError(
      ErrorCode::kRuleViolation,
      Cat({"变更被拒绝：将新增 ", n, " 项违规（", rules_zh, "）。", violations[0].evidence_zh}),
      Cat({"Change refused: it would introduce ", n, " new violation(s) (", rules_en, "). ",
           violations[0].evidence_en}),
      std::move(detail));
}

Status CheckChange(const TownStaffing& before, const Change& change,
                   const StaffingSettings& settings, const ChangeContext& context) {
  return CheckChanges(before, std::span<const Change>(&change, 1), settings, context);
}

nlohmann::json ViolationsToJson(std::span<const Violation> violations) {
  nlohmann::json list = nlohmann::json::array();
  for (const Violation& v : violations) {
    list.push_back({{"rule", RuleCodeName(v.rule)},
                    {"rule_zh", RuleNameZh(v.rule)},
                    {"basis_zh", RuleBasisZh(v.rule)},
                    {"agency_id", v.agency_id},
                    {"person_id", v.person_id},
                    {"subject", v.subject},
                    {"excess", v.excess},
                    {"evidence_zh", v.evidence_zh},
                    {"evidence_en", v.evidence_en}});
  }
  return list;
}

}  // namespace quanze::domain
