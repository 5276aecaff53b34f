// Organisation and staffing model (机构编制): agencies, quotas, leadership
// posts, the quota baseline and real-name staffing (实名制), plus the changes
// that may be made to them.
//
// Plain value types that map one-to-one onto tables: ids are std::int64_t,
// codes are strings, enums have stable snake_case codes (…Code()) and Chinese
// names (…NameZh()), and Parse…() accepts either. The rules that judge a
// TownStaffing live in staffing_rules.h; docs/staffing.md explains both.
//
// Pure: no I/O, no clock. Thread-compatible values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "domain/calendar.h"

namespace quanze::domain {

using Id = std::int64_t;

// AgencyKind (机构类别).
enum class AgencyKind : std::uint8_t {
  kIntegrated,          // 党政综合办事机构 (the ≤10 integrated functional agencies)
  kPublicInstitution,   // 事业单位
  kDispatched,          // 派驻机构 (of a city or county department)
  kZoneAdministration,  // 开发区管理机构 (一套班子、两块牌子 with the town)
};
inline constexpr int kAgencyKindCount = 4;

// AgencyRank (机构规格).
enum class AgencyRank : std::uint8_t {
  kNone,            // 不定规格
  kUnit,            // 股级
  kTownshipDeputy,  // 副科级
  kTownshipChief,   // 正科级
  kCountyDeputy,    // 副处级 (高配, e.g. a development zone)
  kCountyChief,     // 正处级
};
inline constexpr int kAgencyRankCount = 6;

// ApprovingLevel (审批机关层级) of the body that approved an agency or quota.
enum class ApprovingLevel : std::uint8_t { kNone, kTown, kCounty, kCity, kProvince };
inline constexpr int kApprovingLevelCount = 5;

// Grade: the civil-servant ladder of 公务员法 (2018). 第十八条 leadership
// tiers (领导职务) and 第十九条 grades (职级, 综合管理类) in one enum, because a
// person's record holds one of them. kNone for staff outside the ladder
// (事业、工勤人员).
enum class Grade : std::uint8_t {
  kNone,
  // 职级 (第十九条), low to high.
  kClerk2,       // 二级科员
  kClerk1,       // 一级科员
  kPrincipal4,   // 四级主任科员
  kPrincipal3,   // 三级主任科员
  kPrincipal2,   // 二级主任科员
  kPrincipal1,   // 一级主任科员
  kResearcher4,  // 四级调研员
  kResearcher3,  // 三级调研员
  kResearcher2,  // 二级调研员
  kResearcher1,  // 一级调研员
  kInspector2,   // 二级巡视员
  kInspector1,   // 一级巡视员
  // 领导职务 (第十八条), low to high.
  kTownshipDeputy,    // 乡科级副职
  kTownshipChief,     // 乡科级正职
  kCountyDeputy,      // 县处级副职
  kCountyChief,       // 县处级正职
  kBureauDeputy,      // 厅局级副职
  kBureauChief,       // 厅局级正职
  kProvincialDeputy,  // 省部级副职
  kProvincialChief,   // 省部级正职
  kNationalDeputy,    // 国家级副职
  kNationalChief,     // 国家级正职
};
inline constexpr int kGradeCount = 23;

// True for the 领导职务 tiers of 第十八条.
bool IsLeadershipGrade(Grade grade);
// A comparable level: equal levels mean the same 级别 band (e.g. 乡科级副职 and
// 四级主任科员 both span 级别 24–17). Used to tell a raise from a lateral move.
// kNone is 0. Source: POLICY-FACTS.md §7 (级别 ranges, secondary sources).
int GradeLevel(Grade grade);

std::string_view AgencyKindCode(AgencyKind kind);
std::string_view AgencyKindNameZh(AgencyKind kind);
std::optional<AgencyKind> ParseAgencyKind(std::string_view code_or_zh);
std::string_view AgencyRankCode(AgencyRank rank);
std::string_view AgencyRankNameZh(AgencyRank rank);
std::optional<AgencyRank> ParseAgencyRank(std::string_view code_or_zh);
std::string_view ApprovingLevelCode(ApprovingLevel level);
std::string_view ApprovingLevelNameZh(ApprovingLevel level);
std::optional<ApprovingLevel> ParseApprovingLevel(std::string_view code_or_zh);
std::string_view GradeCode(Grade grade);
std::string_view GradeNameZh(Grade grade);
std::optional<Grade> ParseGrade(std::string_view code_or_zh);

// Agency (机构). One body with several names (一套班子、两块牌子) is one
// Agency with extra nameplates, never two agencies.
struct Agency {
  Id id = 0;
  std::string town_code;
  std::string name;
  AgencyKind kind = AgencyKind::kIntegrated;
  AgencyRank rank = AgencyRank::kNone;
  std::vector<std::string> nameplates;  // 挂牌 names besides `name`
  std::string functions;                // 主要职责
  std::string approving_authority;      // 审批机关, e.g. "吴中区机构编制委员会"
  std::string approval_doc;             // 批准文号, e.g. "吴编〔2018〕12号"; empty: none
  ApprovingLevel approving_level = ApprovingLevel::kNone;
  // Dispatched agencies only.
  std::string parent_department;      // 派出部门, e.g. "县市场监督管理局"
  bool localised = false;             // 下放实行属地管理
  double town_assessment_weight = 0;  // share of the town in its assessment (0..1)
};

// Quota (编制): `count` posts of one kind held by an agency. Kinds are codes
// from StaffingSettings::quota_kinds ("administrative" 行政编制, …).
struct Quota {
  Id agency_id = 0;
  std::string kind;
  int count = 0;
};

// LeadershipQuota (领导职数): leadership posts of one grade in an agency.
// Grade::kNone counts leaders whose grade is not a 领导职务 tier (heads of a
// 股级 office who hold a 职级).
struct LeadershipQuota {
  Id agency_id = 0;
  Grade grade = Grade::kNone;
  int count = 0;
};

// EnforcementCertificate (执法证). An empty number means none.
struct EnforcementCertificate {
  std::string number;
  std::optional<Date> valid_from;
  std::optional<Date> valid_to;  // inclusive
};

// True when the certificate has a number and `day` is within its validity.
bool CertificateValidOn(const EnforcementCertificate& certificate, Date day);

// Person (实名制人员). id_number is personal data: never put it in messages,
// logs or output; show MaskIdNumber(id_number) instead.
struct Person {
  Id id = 0;
  std::string name;
  std::string id_number;  // 公民身份号码 — protected
  Id agency_id = 0;
  std::string post;   // 岗位, e.g. "综合执法岗"
  std::string title;  // 职务名称, from StaffingSettings::standard_titles
  Grade grade = Grade::kNone;
  std::string quota_kind;  // the kind of quota the person occupies
  bool is_leader = false;  // holds a leadership post (领导职数)
  EnforcementCertificate certificate;
  // The approval (审批记录) behind the person's grade and the grade it
  // approved. Empty when none; see the unauthorised_grade_raise rule.
  std::string grade_approval;
  Grade approved_grade = Grade::kNone;
};

// True when the person occupies a leadership post: is_leader, or a grade
// that is itself a 领导职务 tier.
bool OccupiesLeadershipPost(const Person& person);

// "110101199003071234" -> "110101********1234": keeps the first 6 and last 4
// characters (the region code and the check digits) and masks the rest, one
// '*' per character. Shorter than 11 characters, or not ASCII: all masked.
std::string MaskIdNumber(std::string_view id_number);

// QuotaTotal: a count of one quota kind.
struct QuotaTotal {
  std::string kind;
  int count = 0;
};

// Baseline (编制基数): the town's totals fixed when it entered the reform.
// Totals may only go down from here (只减不增).
struct Baseline {
  std::string town_code;
  std::vector<QuotaTotal> totals;
};

// TownStaffing: everything the rules look at for one town.
struct TownStaffing {
  std::string town_code;
  std::vector<Agency> agencies;
  std::vector<Quota> quotas;
  std::vector<LeadershipQuota> leadership_quotas;
  std::vector<Person> persons;
  Baseline baseline;

  const Agency* FindAgency(Id id) const;
  const Person* FindPerson(Id id) const;
};

// True when the agency's quotas count toward the town's totals: every agency
// except a dispatched one that is not localised (its posts belong to the
// dispatching department).
bool CountsTowardTownTotal(const Agency& agency);

// Town totals per quota kind, in order of first appearance.
std::vector<QuotaTotal> TownTotals(const TownStaffing& town);

// ---- Changes (机构编制事项变更) ----
// Fields named approval_* record the approval of the change itself (条例
// 第九条: setting up, abolishing, merging or renaming an agency is approved by
// the government one level up). consultation_record is the id of the
// recorded prior consultation with the town party committee and government
// (needed to appoint or remove a leader of a dispatched agency).

struct Approval {
  std::string authority;
  std::string doc;
  ApprovingLevel level = ApprovingLevel::kNone;
};

// 设立机构: the agency (its approval in its own fields) and its posts (rows
// with agency_id 0 or the new id; other ids are kValidation).
struct EstablishAgency {
  Agency agency;
  std::vector<Quota> quotas;
  std::vector<LeadershipQuota> leadership_quotas;
};
// 合并机构: the sources join `into_agency_id`; their staff, quotas and
// leadership posts move to it; with keep_names_as_nameplates their names
// become nameplates of the merged body.
struct MergeAgencies {
  std::vector<Id> from_agency_ids;
  Id into_agency_id = 0;
  bool keep_names_as_nameplates = true;
  Approval approval;
};
// 撤销机构: its quotas and posts are cancelled. Remaining staff move to
// staff_to_agency_id; 0 requires that nobody is left.
struct AbolishAgency {
  Id agency_id = 0;
  Id staff_to_agency_id = 0;
  Approval approval;
};
// 更名 / 挂牌.
struct RenameAgency {
  Id agency_id = 0;
  std::string name;
  std::vector<std::string> nameplates;
  Approval approval;
};
// 调整编制: sets the listed counts (absolute; 0 removes the row). Several
// rows in one change let posts move between agencies without raising totals.
struct AdjustQuota {
  std::vector<Quota> quotas;
  std::vector<LeadershipQuota> leadership_quotas;
  Approval approval;
};
// 进人 / 任职: a person joins the town's establishment.
struct Appoint {
  Person person;
  std::string consultation_record;
};
// 调动: to another agency, or out of the town when to_agency_id is 0.
struct Transfer {
  Id person_id = 0;
  Id to_agency_id = 0;
  std::string post;
  std::string title;
  std::string quota_kind;
  bool is_leader = false;
  std::string consultation_record;
};
// 提拔: to a leadership post of `grade`.
struct Promote {
  Id person_id = 0;
  Grade grade = Grade::kNone;
  std::string post;
  std::string title;
  std::string approval_record;  // empty: none
  std::string consultation_record;
};
// 职级调整.
struct ChangeGrade {
  Id person_id = 0;
  Grade grade = Grade::kNone;
  std::string approval_record;  // empty: none
  std::string consultation_record;
};
// 设置职务名称.
struct SetTitle {
  Id person_id = 0;
  std::string title;
};

using Change = std::variant<EstablishAgency, MergeAgencies, AbolishAgency, RenameAgency,
                            AdjustQuota, Appoint, Transfer, Promote, ChangeGrade, SetTitle>;

// Stable code of a change type: "establish_agency", "merge_agencies", …
std::string_view ChangeCode(const Change& change);

// The state after `change`. Only the mechanics: referenced ids must exist
// (kNotFound), new ids must be unused and positive (kConflict / kValidation),
// an abolished agency with staff needs a destination (kConflict). Whether the
// result is allowed is decided by CheckChange (staffing_rules.h).
//
// A grade approval follows the change: Promote and ChangeGrade with an
// approval_record set grade_approval to it and approved_grade to the new
// grade; without one they keep the previous approval.
Result<TownStaffing> ApplyChange(const TownStaffing& town, const Change& change);

}  // namespace quanze::domain
