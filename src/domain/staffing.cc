#include "domain/staffing.h"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace quanze::domain {
namespace {

struct Names {
  std::string_view code;
  std::string_view zh;
};

constexpr std::array<Names, kAgencyKindCount> kAgencyKindNames = {{
    {"integrated", "党政综合办事机构"},
    {"public_institution", "事业单位"},
    {"dispatched", "派驻机构"},
    {"zone_administration", "开发区管理机构"},
}};

constexpr std::array<Names, kAgencyRankCount> kAgencyRankNames = {{
    {"none", "不定规格"},
    {"unit", "股级"},
    {"township_deputy", "副科级"},
    {"township_chief", "正科级"},
    {"county_deputy", "副处级"},
    {"county_chief", "正处级"},
}};

constexpr std::array<Names, kApprovingLevelCount> kApprovingLevelNames = {{
    {"none", "无"},
    {"town", "镇级"},
    {"county", "县级"},
    {"city", "市级"},
    {"province", "省级"},
}};

constexpr std::array<Names, kGradeCount> kGradeNames = {{
    {"none", "无"},
    {"clerk_2", "二级科员"},
    {"clerk_1", "一级科员"},
    {"principal_staff_4", "四级主任科员"},
    {"principal_staff_3", "三级主任科员"},
    {"principal_staff_2", "二级主任科员"},
    {"principal_staff_1", "一级主任科员"},
    {"researcher_4", "四级调研员"},
    {"researcher_3", "三级调研员"},
    {"researcher_2", "二级调研员"},
    {"researcher_1", "一级调研员"},
    {"inspector_2", "二级巡视员"},
    {"inspector_1", "一级巡视员"},
    {"township_deputy", "乡科级副职"},
    {"township_chief", "乡科级正职"},
    {"county_deputy", "县处级副职"},
    {"county_chief", "县处级正职"},
    {"bureau_deputy", "厅局级副职"},
    {"bureau_chief", "厅局级正职"},
    {"provincial_deputy", "省部级副职"},
    {"provincial_chief", "省部级正职"},
    {"national_deputy", "国家级副职"},
    {"national_chief", "国家级正职"},
}};

// 级别 bands: leadership tiers share the level of the 职级 whose 级别 range
// matches (乡科级副职 = 四级主任科员, 乡科级正职 = 二级主任科员, 县处级副职 =
// 四级调研员, 县处级正职 = 二级调研员, 厅局级副职 = 二级巡视员, 厅局级正职 =
// 一级巡视员).
constexpr std::array<int, kGradeCount> kGradeLevels = {
    0,                                           // none
    1, 2, 3, 4, 5,  6,  7,  8,  9,  10, 11, 12,  // 职级
    3, 5, 7, 9, 11, 12, 13, 14, 15, 16,          // 领导职务
};

template <typename E, std::size_t N>
std::optional<E> ParseEnum(const std::array<Names, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i].code == text || names[i].zh == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

template <typename Vec, typename Pred>
auto FindIf(Vec& items, Pred pred) {
  return std::find_if(items.begin(), items.end(), pred);
}

Error NotFound(std::string_view what_zh, std::string_view what_en, Id id) {
  const std::string n = std::to_string(id);
  return MakeError(ErrorCode::kNotFound, std::string(what_zh) + " " + n + " 不存在",
                   std::string(what_en) + " " + n + " does not exist", nlohmann::json{{"id", id}});
}

// Adds `count` to the (agency, key) row of `rows`, creating it if needed.
template <typename Row, typename Key, typename KeyOf>
void AddToRow(std::vector<Row>& rows, Id agency_id, const Key& key, KeyOf key_of, int count) {
  auto it =
      FindIf(rows, [&](const Row& r) { return r.agency_id == agency_id && key_of(r) == key; });
  if (it != rows.end()) {
    it->count += count;
  } else {
    Row row{};
    row.agency_id = agency_id;
    if constexpr (std::is_same_v<Row, Quota>)
      row.kind = key;
    else
      row.grade = key;
    row.count = count;
    rows.push_back(std::move(row));
  }
}

template <typename Row, typename Key, typename KeyOf>
void SetRow(std::vector<Row>& rows, Id agency_id, const Key& key, KeyOf key_of, int count) {
  std::erase_if(rows, [&](const Row& r) { return r.agency_id == agency_id && key_of(r) == key; });
  if (count != 0) AddToRow(rows, agency_id, key, key_of, count);
}

const auto kQuotaKey = [](const Quota& q) -> const std::string& { return q.kind; };
const auto kLeaderKey = [](const LeadershipQuota& q) { return q.grade; };

Status CheckCounts(const std::vector<Quota>& quotas, const std::vector<LeadershipQuota>& leaders) {
  for (const Quota& q : quotas) {
    if (q.count < 0 || q.kind.empty()) {
      return MakeError(ErrorCode::kValidation, "编制数不能为负，编制类别不能为空",
                       "A quota count cannot be negative and its kind cannot be empty");
    }
  }
  for (const LeadershipQuota& q : leaders) {
    if (q.count < 0) {
      return MakeError(ErrorCode::kValidation, "领导职数不能为负",
                       "A leadership post count cannot be negative");
    }
  }
  return Ok();
}

// Rows of EstablishAgency belong to the new agency: agency_id 0 or its id.
Status CheckNewAgencyRow(Id row_agency_id, Id new_agency_id) {
  if (row_agency_id == 0 || row_agency_id == new_agency_id) return Ok();
  return MakeError(ErrorCode::kValidation, "新设机构的编制只能核给该机构本身",
                   "Quotas given with a new agency must belong to that agency");
}

Person* MutablePerson(TownStaffing& town, Id id) {
  auto it = FindIf(town.persons, [&](const Person& p) { return p.id == id; });
  return it == town.persons.end() ? nullptr : &*it;
}

Agency* MutableAgency(TownStaffing& town, Id id) {
  auto it = FindIf(town.agencies, [&](const Agency& a) { return a.id == id; });
  return it == town.agencies.end() ? nullptr : &*it;
}

void ApplyGrade(Person& p, Grade grade, const std::string& approval_record) {
  p.grade = grade;
  if (!approval_record.empty()) {
    p.grade_approval = approval_record;
    p.approved_grade = grade;
  }
}

void SetApproval(Agency& a, const Approval& approval) {
  a.approving_authority = approval.authority;
  a.approval_doc = approval.doc;
  a.approving_level = approval.level;
}

struct Applier {
  TownStaffing& t;

  Status operator()(const EstablishAgency& c) {
    if (c.agency.id <= 0) {
      return MakeError(ErrorCode::kValidation, "机构编号必须为正数",
                       "An agency id must be positive");
    }
    if (t.FindAgency(c.agency.id) != nullptr) {
      return MakeError(ErrorCode::kConflict,
                       "机构编号 " + std::to_string(c.agency.id) + " 已被使用",
                       "Agency id " + std::to_string(c.agency.id) + " is already in use");
    }
    if (!c.agency.town_code.empty() && c.agency.town_code != t.town_code) {
      return MakeError(ErrorCode::kValidation, "机构不属于本镇",
                       "The agency belongs to another town");
    }
    QZ_TRY(CheckCounts(c.quotas, c.leadership_quotas));
    for (const Quota& q : c.quotas) QZ_TRY(CheckNewAgencyRow(q.agency_id, c.agency.id));
    for (const LeadershipQuota& q : c.leadership_quotas) {
      QZ_TRY(CheckNewAgencyRow(q.agency_id, c.agency.id));
    }
    Agency agency = c.agency;
    agency.town_code = t.town_code;
    t.agencies.push_back(std::move(agency));
    for (const Quota& q : c.quotas) AddToRow(t.quotas, c.agency.id, q.kind, kQuotaKey, q.count);
    for (const LeadershipQuota& q : c.leadership_quotas) {
      AddToRow(t.leadership_quotas, c.agency.id, q.grade, kLeaderKey, q.count);
    }
    return Ok();
  }

  Status operator()(const MergeAgencies& c) {
    Agency* into = MutableAgency(t, c.into_agency_id);
    if (into == nullptr) return NotFound("机构", "Agency", c.into_agency_id);
    if (c.from_agency_ids.empty()) {
      return MakeError(ErrorCode::kValidation, "合并机构需要至少一个被合并机构",
                       "A merger needs at least one agency to merge");
    }
    std::vector<std::string> plates;
    for (Id from : c.from_agency_ids) {
      const Agency* a = t.FindAgency(from);
      if (a == nullptr) return NotFound("机构", "Agency", from);
      if (from == c.into_agency_id) {
        return MakeError(ErrorCode::kValidation, "机构不能与自身合并",
                         "An agency cannot be merged into itself");
      }
      if (c.keep_names_as_nameplates) {
        plates.push_back(a->name);
        plates.insert(plates.end(), a->nameplates.begin(), a->nameplates.end());
      }
    }
    for (Id from : c.from_agency_ids) {
      for (Person& p : t.persons) {
        if (p.agency_id == from) p.agency_id = c.into_agency_id;
      }
      for (const Quota& q : std::vector<Quota>(t.quotas)) {  // copy: AddToRow may grow the list
        if (q.agency_id == from) AddToRow(t.quotas, c.into_agency_id, q.kind, kQuotaKey, q.count);
      }
      for (const LeadershipQuota& q : std::vector<LeadershipQuota>(t.leadership_quotas)) {
        if (q.agency_id == from) {
          AddToRow(t.leadership_quotas, c.into_agency_id, q.grade, kLeaderKey, q.count);
        }
      }
      std::erase_if(t.quotas, [&](const Quota& q) { return q.agency_id == from; });
      std::erase_if(t.leadership_quotas,
                    [&](const LeadershipQuota& q) { return q.agency_id == from; });
    }
    std::erase_if(t.agencies, [&](const Agency& a) {
      return std::find(c.from_agency_ids.begin(), c.from_agency_ids.end(), a.id) !=
             c.from_agency_ids.end();
    });
    into = MutableAgency(t, c.into_agency_id);
    into->nameplates.insert(into->nameplates.end(), plates.begin(), plates.end());
    SetApproval(*into, c.approval);
    return Ok();
  }

  Status operator()(const AbolishAgency& c) {
    if (t.FindAgency(c.agency_id) == nullptr) return NotFound("机构", "Agency", c.agency_id);
    const bool has_staff = std::any_of(t.persons.begin(), t.persons.end(),
                                       [&](const Person& p) { return p.agency_id == c.agency_id; });
    if (has_staff) {
      if (c.staff_to_agency_id == 0) {
        return MakeError(ErrorCode::kConflict, "机构仍有在编人员，撤销前须指定人员去向",
                         "The agency still has staff; name where they go before abolishing it");
      }
      if (c.staff_to_agency_id == c.agency_id || t.FindAgency(c.staff_to_agency_id) == nullptr) {
        return NotFound("接收机构", "Receiving agency", c.staff_to_agency_id);
      }
      for (Person& p : t.persons) {
        if (p.agency_id == c.agency_id) p.agency_id = c.staff_to_agency_id;
      }
    }
    std::erase_if(t.quotas, [&](const Quota& q) { return q.agency_id == c.agency_id; });
    std::erase_if(t.leadership_quotas,
                  [&](const LeadershipQuota& q) { return q.agency_id == c.agency_id; });
    std::erase_if(t.agencies, [&](const Agency& a) { return a.id == c.agency_id; });
    return Ok();
  }

  Status operator()(const RenameAgency& c) {
    Agency* a = MutableAgency(t, c.agency_id);
    if (a == nullptr) return NotFound("机构", "Agency", c.agency_id);
    if (c.name.empty()) {
      return MakeError(ErrorCode::kValidation, "机构名称不能为空",
                       "An agency name cannot be empty");
    }
    a->name = c.name;
    a->nameplates = c.nameplates;
    SetApproval(*a, c.approval);
    return Ok();
  }

  Status operator()(const AdjustQuota& c) {
    QZ_TRY(CheckCounts(c.quotas, c.leadership_quotas));
    for (const Quota& q : c.quotas) {
      if (t.FindAgency(q.agency_id) == nullptr) return NotFound("机构", "Agency", q.agency_id);
    }
    for (const LeadershipQuota& q : c.leadership_quotas) {
      if (t.FindAgency(q.agency_id) == nullptr) return NotFound("机构", "Agency", q.agency_id);
    }
    for (const Quota& q : c.quotas) SetRow(t.quotas, q.agency_id, q.kind, kQuotaKey, q.count);
    for (const LeadershipQuota& q : c.leadership_quotas) {
      SetRow(t.leadership_quotas, q.agency_id, q.grade, kLeaderKey, q.count);
    }
    return Ok();
  }

  Status operator()(const Appoint& c) {
    if (c.person.id <= 0) {
      return MakeError(ErrorCode::kValidation, "人员编号必须为正数",
                       "A person id must be positive");
    }
    if (t.FindPerson(c.person.id) != nullptr) {
      return MakeError(ErrorCode::kConflict,
                       "人员编号 " + std::to_string(c.person.id) + " 已被使用",
                       "Person id " + std::to_string(c.person.id) + " is already in use");
    }
    if (t.FindAgency(c.person.agency_id) == nullptr) {
      return NotFound("机构", "Agency", c.person.agency_id);
    }
    t.persons.push_back(c.person);
    return Ok();
  }

  Status operator()(const Transfer& c) {
    if (MutablePerson(t, c.person_id) == nullptr) return NotFound("人员", "Person", c.person_id);
    if (c.to_agency_id == 0) {
      std::erase_if(t.persons, [&](const Person& p) { return p.id == c.person_id; });
      return Ok();
    }
    if (t.FindAgency(c.to_agency_id) == nullptr) return NotFound("机构", "Agency", c.to_agency_id);
    Person* p = MutablePerson(t, c.person_id);
    p->agency_id = c.to_agency_id;
    p->post = c.post;
    p->title = c.title;
    p->quota_kind = c.quota_kind;
    p->is_leader = c.is_leader;
    return Ok();
  }

  Status operator()(const Promote& c) {
    Person* p = MutablePerson(t, c.person_id);
    if (p == nullptr) return NotFound("人员", "Person", c.person_id);
    p->is_leader = true;
    p->post = c.post;
    p->title = c.title;
    ApplyGrade(*p, c.grade, c.approval_record);
    return Ok();
  }

  Status operator()(const ChangeGrade& c) {
    Person* p = MutablePerson(t, c.person_id);
    if (p == nullptr) return NotFound("人员", "Person", c.person_id);
    ApplyGrade(*p, c.grade, c.approval_record);
    return Ok();
  }

  Status operator()(const SetTitle& c) {
    Person* p = MutablePerson(t, c.person_id);
    if (p == nullptr) return NotFound("人员", "Person", c.person_id);
    p->title = c.title;
    return Ok();
  }
};

}  // namespace

bool IsLeadershipGrade(Grade grade) { return grade >= Grade::kTownshipDeputy; }

int GradeLevel(Grade grade) { return kGradeLevels[static_cast<std::size_t>(grade)]; }

std::string_view AgencyKindCode(AgencyKind v) { return kAgencyKindNames[static_cast<int>(v)].code; }
std::string_view AgencyKindNameZh(AgencyKind v) { return kAgencyKindNames[static_cast<int>(v)].zh; }
std::optional<AgencyKind> ParseAgencyKind(std::string_view s) {
  return ParseEnum<AgencyKind>(kAgencyKindNames, s);
}
std::string_view AgencyRankCode(AgencyRank v) { return kAgencyRankNames[static_cast<int>(v)].code; }
std::string_view AgencyRankNameZh(AgencyRank v) { return kAgencyRankNames[static_cast<int>(v)].zh; }
std::optional<AgencyRank> ParseAgencyRank(std::string_view s) {
  return ParseEnum<AgencyRank>(kAgencyRankNames, s);
}
std::string_view ApprovingLevelCode(ApprovingLevel v) {
  return kApprovingLevelNames[static_cast<int>(v)].code;
}
std::string_view ApprovingLevelNameZh(ApprovingLevel v) {
  return kApprovingLevelNames[static_cast<int>(v)].zh;
}
std::optional<ApprovingLevel> ParseApprovingLevel(std::string_view s) {
  return ParseEnum<ApprovingLevel>(kApprovingLevelNames, s);
}
std::string_view GradeCode(Grade v) { return kGradeNames[static_cast<int>(v)].code; }
std::string_view GradeNameZh(Grade v) { return kGradeNames[static_cast<int>(v)].zh; }
std::optional<Grade> ParseGrade(std::string_view s) { return ParseEnum<Grade>(kGradeNames, s); }

bool CertificateValidOn(const EnforcementCertificate& c, Date day) {
  if (c.number.empty()) return false;
  if (c.valid_from && day < *c.valid_from) return false;
  if (c.valid_to && *c.valid_to < day) return false;
  return true;
}

bool OccupiesLeadershipPost(const Person& p) { return p.is_leader || IsLeadershipGrade(p.grade); }

std::string MaskIdNumber(std::string_view id) {
  const bool ascii = std::all_of(id.begin(), id.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string out(id.size(), '*');
  if (ascii && id.size() >= 11) {
    out.replace(0, 6, id.substr(0, 6));
    out.replace(id.size() - 4, 4, id.substr(id.size() - 4));
  }
  return out;
}

const Agency* TownStaffing::FindAgency(Id id) const {
  auto it = FindIf(agencies, [&](const Agency& a) { return a.id == id; });
  return it == agencies.end() ? nullptr : &*it;
}

const Person* TownStaffing::FindPerson(Id id) const {
  auto it = FindIf(persons, [&](const Person& p) { return p.id == id; });
  return it == persons.end() ? nullptr : &*it;
}

bool CountsTowardTownTotal(const Agency& a) {
  return a.kind != AgencyKind::kDispatched || a.localised;
}

std::vector<QuotaTotal> TownTotals(const TownStaffing& town) {
  std::vector<QuotaTotal> totals;
  for (const Quota& q : town.quotas) {
    const Agency* a = town.FindAgency(q.agency_id);
    // Quotas of an unknown agency still count: the town holds them.
    if (a != nullptr && !CountsTowardTownTotal(*a)) continue;
    auto it = FindIf(totals, [&](const QuotaTotal& t) { return t.kind == q.kind; });
    if (it == totals.end()) {
      totals.push_back(QuotaTotal{q.kind, q.count});
    } else {
      it->count += q.count;
    }
  }
  return totals;
}

std::string_view ChangeCode(const Change& change) {
  static constexpr std::string_view kCodes[] = {
      "establish_agency", "merge_agencies", "abolish_agency", "rename_agency", "adjust_quota",
      "appoint",          "transfer",       "promote",        "change_grade",  "set_title"};
  static_assert(std::size(kCodes) == std::variant_size_v<Change>);
  return kCodes[change.index()];
}

Result<TownStaffing> ApplyChange(const TownStaffing& town, const Change& change) {
  TownStaffing after = town;
  QZ_TRY(std::visit(Applier{after}, change));
  return after;
}

}  // namespace quanze::domain
