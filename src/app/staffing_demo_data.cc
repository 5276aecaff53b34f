// Generator of the demo registers (see staffing_demo_data.h). Agencies are
// modelled on real 经济发达镇 (一办七局 / 一办八局, POLICY-FACTS.md §7); sizes
// scale with the town's population; everything else comes from a
// splitmix64 stream seeded with the town's position, so every run builds
// the same data.
#include "app/staffing_demo_data.h"

#include <algorithm>
#include <array>
#include <map>

namespace quanze::app::staffing {
namespace {

using domain::AgencyKind;
using domain::AgencyRank;
using domain::Grade;

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }

 private:
  std::uint64_t state_;
};

constexpr std::array<const char*, 50> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
    "朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许",
    "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋",
    "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "沈"};
constexpr std::array<const char*, 50> kGiven = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰",
    "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "文", "华", "建", "玲",
    "宁", "晨", "阳", "雪", "峰", "辉", "琳", "婷", "浩", "宇", "欣", "颖", "鹏",
    "飞", "凯", "帆", "博", "睿", "哲", "瑶", "悦", "露", "思", "嘉"};

std::string Name(Rng& r) {
  std::string n = kSurnames[static_cast<std::size_t>(r.Below(kSurnames.size()))];
  n += kGiven[static_cast<std::size_t>(r.Below(kGiven.size()))];
  if (r.Below(3) != 0) n += kGiven[static_cast<std::size_t>(r.Below(kGiven.size()))];
  return n;
}

// n in `width` digits, zero-padded.
std::string Digits(int n, std::size_t width) {
  std::string s = std::to_string(n);
  return s.size() >= width ? s : std::string(width - s.size(), '0') + s;
}

// 18 characters: region (the county's code, prefix 99), birth date, sequence,
// and the ISO 7064 MOD 11-2 check character, so the numbers look real but
// belong to no one.
std::string IdNumber(Rng& r, const std::string& county_code, int birth_year) {
  std::string out = county_code + Digits(birth_year, 4) + Digits(1 + r.Below(12), 2) +
                    Digits(1 + r.Below(28), 2) + Digits(r.Below(1000), 3);
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 17 && i < out.size(); ++i) sum += (out[i] - '0') * kWeights[i];
  out += "10X98765432"[sum % 11];
  return out;
}

struct AgencySpec {
  const char* name;
  AgencyKind kind;
  AgencyRank rank;
  std::vector<std::string> nameplates;
  const char* functions;
  int base;  // size in a town of about 50,000
  const char* post;
  const char* head;
  const char* deputy;
  const char* parent = "";  // dispatching department, after the county name
  bool localised = false;
  double weight = 0;
};

const std::vector<AgencySpec>& Specs() {
  using K = AgencyKind;
  using R = AgencyRank;
  static const std::vector<AgencySpec> kSpecs = {
      {kDemoOffice,
       K::kIntegrated,
       R::kTownshipDeputy,
       {"指挥调度中心"},
       "综合协调、文秘督办、指挥调度",
       6,
       "综合岗",
       "主任",
       "副主任"},
      {kDemoEconomy,
       K::kIntegrated,
       R::kTownshipDeputy,
       {},
       "经济运行、招商引资、统计",
       7,
       "经济服务岗",
       "局长",
       "副局长"},
      {"行政审批局",
       K::kIntegrated,
       R::kTownshipDeputy,
       {"为民服务中心"},
       "集中办理赋予本镇的审批服务事项",
       9,
       "审批岗",
       "局长",
       "副局长"},
      {kDemoEnforcement,
       K::kIntegrated,
       R::kTownshipDeputy,
       {"安全生产监督管理办公室"},
       "以镇政府名义集中行使行政处罚权及相关的行政强制、监督检查权",
       14,
       "综合执法岗",
       "局长",
       "副局长"},
      {kDemoSocial,
       K::kIntegrated,
       R::kTownshipDeputy,
       {"退役军人服务站"},
       "教育、卫生健康、民政、社会保障、文化",
       7,
       "社会事务岗",
       "局长",
       "副局长"},
      {"自然资源和规划建设局",
       K::kIntegrated,
       R::kTownshipDeputy,
       {},
       "国土空间规划、村镇建设、生态环境",
       7,
       "规划建设岗",
       "局长",
       "副局长"},
      {kDemoGovernance,
       K::kIntegrated,
       R::kTownshipDeputy,
       {"综治中心"},
       "社会治安综合治理、信访、网格化管理",
       6,
       "社会治理岗",
       "局长",
       "副局长"},
      {"财政和资产管理局",
       K::kIntegrated,
       R::kTownshipDeputy,
       {},
       "财政预算、国有和集体资产管理",
       5,
       "财务岗",
       "局长",
       "副局长"},
      {"党群工作局",
       K::kIntegrated,
       R::kTownshipDeputy,
       {"党建工作办公室", "新时代文明实践所"},
       "党的建设、群团工作",
       4,
       "党群岗",
       "局长",
       "副局长"},
      {"农业农村服务中心",
       K::kPublicInstitution,
       R::kUnit,
       {},
       "农业技术推广、农村经营管理",
       5,
       "农技推广岗",
       "主任",
       "副主任"},
      {kDemoPolice,
       K::kDispatched,
       R::kTownshipDeputy,
       {},
       "治安管理、户籍管理",
       8,
       "民警岗",
       "所长",
       "副所长",
       "公安局",
       false,
       0.6},
      {kDemoMarket,
       K::kDispatched,
       R::kTownshipDeputy,
       {},
       "市场监管、食品药品安全",
       6,
       "市场监管岗",
       "局长",
       "副局长",
       "市场监督管理局",
       false,
       0.6},
      {"司法所",
       K::kDispatched,
       R::kUnit,
       {},
       "人民调解、社区矫正、法治宣传",
       3,
       "司法助理岗",
       "所长",
       "副所长",
       "司法局",
       true,
       1.0},
      {kDemoZone,
       K::kZoneAdministration,
       R::kTownshipDeputy,
       {},
       "开发区规划建设、招商和企业服务",
       5,
       "开发区服务岗",
       "主任",
       "副主任"},
      {"招商服务局",
       K::kIntegrated,
       R::kTownshipDeputy,
       {},
       "招商引资",
       3,
       "招商岗",
       "局长",
       "副局长"},
      {"城市管理局", K::kIntegrated, R::kUnit, {}, "市容环境卫生", 3, "城管岗", "局长", "副局长"},
      {"农业农村局", K::kIntegrated, R::kUnit, {}, "农业农村工作", 3, "农业岗", "局长", "副局长"},
      {"应急管理局",
       K::kIntegrated,
       R::kUnit,
       {},
       "应急管理、防汛防台",
       3,
       "应急岗",
       "局长",
       "副局长"},
  };
  return kSpecs;
}

bool Uses(const AgencySpec& s, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (std::string_view(s.name) == n) return true;
  }
  return false;
}

struct TownBuilder {
  const DemoTownInfo& info;
  std::string county_code;
  std::string abbr;  // 清 / 云 / 松
  Rng rng;
  domain::TownStaffing t;
  int doc_seq = 1;
  int cert_seq = 1;

  std::string Approval(const char* prefix) {
    return abbr + prefix + "〔20" + std::to_string(18 + rng.Below(5)) + "〕" +
           std::to_string(doc_seq++) + "号";
  }

  domain::Person NewPerson(domain::Id agency, const AgencySpec& spec) {
    domain::Person p;
    p.id = static_cast<domain::Id>(t.persons.size()) + 1;
    p.name = Name(rng);
    p.id_number = IdNumber(rng, county_code, 1966 + rng.Below(34));
    p.agency_id = agency;
    p.post = spec.post;
    p.title = "科员";
    p.quota_kind = spec.kind == AgencyKind::kPublicInstitution ? "institutional" : "administrative";
    return p;
  }

  void Approve(domain::Person& p) {
    p.grade_approval = Approval("组干");
    p.approved_grade = p.grade;
  }

  void Certificate(domain::Person& p) {
    p.certificate.number = "东执字" + info.code + Digits(cert_seq, 3);
    const bool expired = cert_seq++ % 6 == 5;
    p.certificate.valid_from = *domain::Date::FromYmd(expired ? 2021 : 2024, expired ? 7 : 1, 1);
    p.certificate.valid_to =
        *domain::Date::FromYmd(expired ? 2025 : 2028, expired ? 6 : 12, expired ? 30 : 31);
  }

  void AddAgency(const AgencySpec& spec, int count, bool vacant_head) {
    domain::Agency a;
    a.id = static_cast<domain::Id>(t.agencies.size()) + 1;
    a.town_code = info.code;
    a.name = spec.name;
    a.kind = spec.kind;
    a.rank = spec.rank;
    a.nameplates = spec.nameplates;
    a.functions = spec.functions;
    a.approving_authority = info.county_name + "机构编制委员会";
    a.approval_doc = Approval("编");
    a.approving_level = domain::ApprovingLevel::kCounty;
    if (spec.kind == AgencyKind::kDispatched) {
      a.parent_department = info.county_name + spec.parent;
      a.localised = spec.localised;
      a.town_assessment_weight = spec.weight;
    }
    const bool civil_servants = spec.kind != AgencyKind::kPublicInstitution;
    const bool certified = Uses(spec, {kDemoEnforcement, kDemoMarket});
    for (int i = 0; i < count; ++i) {
      domain::Person p = NewPerson(a.id, spec);
      if (i == 0 && !vacant_head) {
        p.is_leader = true;
        p.title = spec.head;
        p.post = std::string(spec.head) + "岗";
        if (civil_servants) {
          p.grade = spec.rank == AgencyRank::kTownshipDeputy ? Grade::kTownshipDeputy
                                                             : Grade::kPrincipal2;
          Approve(p);
        }
      } else if (i == 1 && count >= 5) {
        p.is_leader = true;
        p.title = spec.deputy;
        p.post = std::string(spec.deputy) + "岗";
        if (civil_servants) {
          p.grade = Grade::kPrincipal3;
          Approve(p);
        }
      } else if (i == 0) {
        continue;  // the head's post is vacant
      } else if (!civil_servants) {
        p.title = "工作人员";
      } else if (spec.kind == AgencyKind::kIntegrated && i % 8 == 7) {
        p.title = "工作人员";
        p.post = "工勤岗";
        p.quota_kind = "service_staff";
      } else {
        static constexpr Grade kLadder[10] = {
            Grade::kClerk2,     Grade::kClerk2,    Grade::kClerk2,     Grade::kClerk1,
            Grade::kClerk1,     Grade::kClerk1,    Grade::kPrincipal4, Grade::kPrincipal4,
            Grade::kPrincipal3, Grade::kPrincipal2};
        p.grade = kLadder[rng.Below(10)];
        p.title = p.grade == Grade::kClerk2 ? "办事员" : "科员";
        if (domain::GradeLevel(p.grade) > domain::GradeLevel(Grade::kClerk1)) Approve(p);
      }
      if (certified && civil_servants) Certificate(p);
      t.persons.push_back(std::move(p));
    }
    t.agencies.push_back(std::move(a));
  }

  // Quotas and leadership posts as approved: what is filled plus vacancies.
  void ApproveQuotas(const domain::StaffingSettings& s) {
    for (const domain::Agency& a : t.agencies) {
      std::map<std::string, int> filled;
      std::map<Grade, int> leaders;
      for (const domain::Person& p : t.persons) {
        if (p.agency_id != a.id) continue;
        ++filled[p.quota_kind];
        if (domain::OccupiesLeadershipPost(p)) {
          ++leaders[domain::IsLeadershipGrade(p.grade) ? p.grade : Grade::kNone];
        }
      }
      int vacancy = rng.Below(2);
      if (a.name == kDemoSocial || a.name == kDemoMarket) vacancy = 2;
      if (a.name == kDemoOffice || a.name == kDemoPolice) vacancy = 1;
      const auto& allowed = s.allowed_quota_kinds[static_cast<int>(a.kind)];
      for (const std::string& kind : allowed) {
        const int n = filled[kind] + (kind == allowed.front() ? vacancy : 0);
        if (n > 0) t.quotas.push_back({a.id, kind, n});
      }
      const bool head_vacant = a.rank == AgencyRank::kTownshipDeputy &&
                               leaders[Grade::kTownshipDeputy] == 0 &&
                               a.kind != AgencyKind::kPublicInstitution;
      if (head_vacant) leaders[Grade::kTownshipDeputy] = 1;
      for (const auto& [grade, n] : leaders) t.leadership_quotas.push_back({a.id, grade, n});
    }
  }

  domain::Agency& AgencyNamed(std::string_view name) {
    for (domain::Agency& a : t.agencies) {
      if (a.name == name) return a;
    }
    return t.agencies.front();
  }
  domain::Person& StaffOf(std::string_view agency, int nth) {
    const domain::Id id = AgencyNamed(agency).id;
    int seen = 0;
    for (domain::Person& p : t.persons) {
      if (p.agency_id == id && !p.is_leader && p.quota_kind != "service_staff" && seen++ == nth)
        return p;
    }
    return t.persons.front();
  }
  int& QuotaOf(std::string_view agency, std::string_view kind) {
    const domain::Id id = AgencyNamed(agency).id;
    for (domain::Quota& q : t.quotas) {
      if (q.agency_id == id && q.kind == kind) return q.count;
    }
    return t.quotas.front().count;
  }
  int& LeadersOf(std::string_view agency, Grade grade) {
    const domain::Id id = AgencyNamed(agency).id;
    for (domain::LeadershipQuota& q : t.leadership_quotas) {
      if (q.agency_id == id && q.grade == grade) return q.count;
    }
    return t.leadership_quotas.front().count;
  }
};

const AgencySpec& Spec(std::string_view name) {
  for (const AgencySpec& s : Specs()) {
    if (name == s.name) return s;
  }
  return Specs().front();
}

}  // namespace

DemoIdentity DemoPerson(std::uint64_t seed, const std::string& county_code, int birth_year) {
  Rng rng(0x51A7F00DULL ^ (seed * 0x100000001B3ULL));
  DemoIdentity out;
  out.name = Name(rng);
  out.id_number = IdNumber(rng, county_code, birth_year);
  return out;
}

domain::StaffingRegister DemoRegister(const std::vector<DemoTownInfo>& towns) {
  const domain::StaffingSettings settings = domain::DefaultStaffingSettings();
  domain::StaffingRegister reg;
  for (std::size_t i = 0; i < towns.size(); ++i) {
    const DemoTownInfo& info = towns[i];
    TownBuilder b{info,
                  info.code.substr(0, 6),
                  info.county_name.substr(0, 3),
                  Rng(0x9E3779B9ULL * (i + 1) + 2026),
                  {}};
    b.t.town_code = info.code;
    b.t.baseline.town_code = info.code;
    const int people = static_cast<int>(45 + info.population / 1300);
    const double scale = people / 83.0;
    auto add = [&](const char* name, bool vacant_head = false) {
      const AgencySpec& spec = Spec(name);
      b.AddAgency(spec, std::max(3, static_cast<int>(spec.base * scale + 0.5)), vacant_head);
    };
    for (const char* name : {kDemoOffice, kDemoEconomy, "行政审批局", kDemoEnforcement, kDemoSocial,
                             "自然资源和规划建设局", kDemoGovernance, "财政和资产管理局"}) {
      add(name);
    }
    if (info.pilot) add("党群工作局");  // 一办八局
    add("农业农村服务中心");
    add(kDemoPolice, info.code == kGradeRaiseTown);  // 云阳镇: the demo appoints the head
    add(kDemoMarket, info.code == kZoneTown);        // 桥头镇: left for the integration test
    add("司法所");
    if (info.code == kZoneTown) add(kDemoZone);
    if (info.code == kTownApprovedTown) add("招商服务局");
    if (info.code == kAgencyLimitTown) {
      for (const char* name : {"城市管理局", "农业农村局", "应急管理局"}) add(name);
    }
    // Planted legacy problems (one of each rule somewhere).
    if (info.code == kOverLeadersTown) {
      domain::Person& p = b.StaffOf(kDemoEnforcement, 1);
      p.is_leader = true;
      p.title = "副局长";
      p.grade = Grade::kTownshipDeputy;
      b.Approve(p);
    }
    if (info.code == kAboveRankTown) {
      for (domain::Person& p : b.t.persons) {
        if (p.agency_id == b.AgencyNamed("司法所").id && p.is_leader) {
          p.grade = Grade::kTownshipDeputy;
          b.Approve(p);
        }
      }
    }
    if (info.code == kTownApprovedTown) {
      domain::Agency& a = b.AgencyNamed("招商服务局");
      a.approving_authority = info.name + "人民政府";
      a.approval_doc = "东坝政发〔2020〕8号";
      a.approving_level = domain::ApprovingLevel::kTown;
    }
    if (info.code == kGradeRaiseTown) {
      domain::Person& p = b.StaffOf(kDemoEconomy, 0);
      p.grade = Grade::kPrincipal2;
      p.grade_approval.clear();
      p.approved_grade = Grade::kNone;
    }
    if (info.code == kTitleTown) b.StaffOf(kDemoGovernance, 0).title = "首席服务官";
    if (info.code == kWrongKindTown) b.StaffOf(kDemoOffice, 0).quota_kind = "institutional";
    b.ApproveQuotas(settings);
    if (info.code == kOverLeadersTown) b.LeadersOf(kDemoEnforcement, Grade::kTownshipDeputy) = 1;
    if (info.code == kOverQuotaTown) {
      int filled = 0;
      for (const domain::Person& p : b.t.persons) {
        const bool counts =
            p.agency_id == b.AgencyNamed("行政审批局").id && p.quota_kind == "administrative";
        filled += counts ? 1 : 0;
      }
      b.QuotaOf("行政审批局", "administrative") = filled - 1;
    }
    if (info.code == kAssessmentTown) b.AgencyNamed(kDemoPolice).town_assessment_weight = 0.4;
    domain::RegisterTown town;
    town.where = info.name;
    if (info.code == kAboveBaselineTown) {  // a baseline below the totals it came with
      town.has_baseline = true;
      for (domain::QuotaTotal total : domain::TownTotals(b.t)) {
        if (total.kind == "administrative") total.count -= 3;
        b.t.baseline.totals.push_back(total);
      }
    }
    reg.agencies += static_cast<std::int64_t>(b.t.agencies.size());
    reg.persons += static_cast<std::int64_t>(b.t.persons.size());
    town.staffing = std::move(b.t);
    reg.towns.push_back(std::move(town));
  }
  return reg;
}

}  // namespace quanze::app::staffing
