// Loading and storing the staffing of towns (see staffing_internal.h).
#include <algorithm>
#include <set>

#include "app/staffing_internal.h"
#include "domain/access.h"

namespace quanze::app::staffing {

using nlohmann::json;

namespace {

template <typename E>
E ParseOr(std::optional<E> (*parse)(std::string_view), const std::string& text, E fallback) {
  auto v = parse(text);
  return v ? *v : fallback;
}

std::optional<domain::Date> DateOrNone(const std::string& s) {
  if (s.empty()) return std::nullopt;
  auto d = domain::ParseDate(s);
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::string DateText(const std::optional<domain::Date>& d) { return d ? d->ToString() : ""; }

}  // namespace

domain::Agency ToDomain(const store::StaffingAgencyRecord& r) {
  domain::Agency a;
  a.id = r.id;
  a.town_code = r.town_code;
  a.name = r.name;
  a.kind = ParseOr(domain::ParseAgencyKind, r.kind, domain::AgencyKind::kIntegrated);
  a.rank = ParseOr(domain::ParseAgencyRank, r.rank, domain::AgencyRank::kNone);
  json plates = json::parse(r.nameplates, nullptr, false);
  if (plates.is_array()) {
    for (const json& p : plates) {
      if (p.is_string()) a.nameplates.push_back(p.get<std::string>());
    }
  }
  a.functions = r.functions;
  a.approving_authority = r.approving_authority;
  a.approval_doc = r.approval_doc;
  a.approving_level =
      ParseOr(domain::ParseApprovingLevel, r.approving_level, domain::ApprovingLevel::kNone);
  a.parent_department = r.parent_department;
  a.localised = r.localised;
  a.town_assessment_weight = static_cast<double>(r.assessment_permille) / 1000.0;
  return a;
}

store::StaffingAgencyRecord ToRecord(const domain::Agency& a) {
  store::StaffingAgencyRecord r;
  r.id = a.id;
  r.town_code = a.town_code;
  r.name = a.name;
  r.kind = std::string(domain::AgencyKindCode(a.kind));
  r.rank = std::string(domain::AgencyRankCode(a.rank));
  r.nameplates = json(a.nameplates).dump();
  r.functions = a.functions;
  r.approving_authority = a.approving_authority;
  r.approval_doc = a.approval_doc;
  r.approving_level = std::string(domain::ApprovingLevelCode(a.approving_level));
  r.parent_department = a.parent_department;
  r.localised = a.localised;
  r.assessment_permille = static_cast<std::int64_t>(a.town_assessment_weight * 1000.0 + 0.5);
  return r;
}

domain::Person ToDomain(const store::StaffingPersonRecord& r) {
  domain::Person p;
  p.id = r.id;
  p.name = r.name;
  p.agency_id = r.agency_id;
  p.post = r.post;
  p.title = r.title;
  p.grade = ParseOr(domain::ParseGrade, r.grade, domain::Grade::kNone);
  p.quota_kind = r.quota_kind;
  p.is_leader = r.is_leader;
  p.certificate.number = r.cert_number;
  p.certificate.valid_from = DateOrNone(r.cert_valid_from);
  p.certificate.valid_to = DateOrNone(r.cert_valid_to);
  p.grade_approval = r.grade_approval;
  p.approved_grade = ParseOr(domain::ParseGrade, r.approved_grade, domain::Grade::kNone);
  return p;
}

store::StaffingPersonRecord ToRecord(const domain::Person& p, const std::string& town_code) {
  store::StaffingPersonRecord r;
  r.id = p.id;
  r.town_code = town_code;
  r.agency_id = p.agency_id;
  r.name = p.name;
  r.post = p.post;
  r.title = p.title;
  r.grade = std::string(domain::GradeCode(p.grade));
  r.quota_kind = p.quota_kind;
  r.is_leader = p.is_leader;
  r.cert_number = p.certificate.number;
  r.cert_valid_from = DateText(p.certificate.valid_from);
  r.cert_valid_to = DateText(p.certificate.valid_to);
  r.grade_approval = p.grade_approval;
  r.approved_grade = std::string(domain::GradeCode(p.approved_grade));
  return r;
}

Result<RegionStaffing> LoadRegion(store::Connection& c, const std::string& path, bool for_scan) {
  QZ_ASSIGN_OR_RETURN(auto agencies, store::ListStaffingAgenciesUnder(c, path));
  QZ_ASSIGN_OR_RETURN(auto quotas, store::ListStaffingQuotasUnder(c, path));
  QZ_ASSIGN_OR_RETURN(auto leaders, store::ListStaffingLeadershipQuotasUnder(c, path));
  QZ_ASSIGN_OR_RETURN(auto baselines, store::ListStaffingBaselinesUnder(c, path));
  std::map<std::string, domain::TownStaffing> towns;
  auto town = [&](const std::string& code) -> domain::TownStaffing& {
    domain::TownStaffing& t = towns[code];
    if (t.town_code.empty()) {
      t.town_code = code;
      t.baseline.town_code = code;
    }
    return t;
  };
  std::map<domain::Id, domain::TownStaffing*> by_agency;
  for (const auto& a : agencies) {
    domain::TownStaffing& t = town(a.town_code);
    t.agencies.push_back(ToDomain(a));
    by_agency[a.id] = &t;
  }
  for (const auto& q : quotas) {
    auto it = by_agency.find(q.agency_id);
    if (it == by_agency.end()) continue;
    it->second->quotas.push_back({q.agency_id, q.kind, static_cast<int>(q.count)});
  }
  for (const auto& q : leaders) {
    auto it = by_agency.find(q.agency_id);
    if (it == by_agency.end()) continue;
    it->second->leadership_quotas.push_back(
        {q.agency_id, ParseOr(domain::ParseGrade, q.grade, domain::Grade::kNone),
         static_cast<int>(q.count)});
  }
  // ~100,000 people at province scale: streamed into the towns, never all held as rows.
  QZ_TRY(store::ForEachStaffingPersonUnder(c, path, for_scan, [&](const store::StaffingPersonRecord& p) {
    town(p.town_code).persons.push_back(ToDomain(p));
    return Ok();
  }));
  RegionStaffing out;
  for (const auto& b : baselines) {
    domain::QuotaTotal total{b.kind, static_cast<int>(b.count)};
    if (b.region_code.size() == 9) {
      town(b.region_code).baseline.totals.push_back(std::move(total));
    } else {
      out.other_baselines[b.region_code].push_back(std::move(total));
    }
  }
  out.towns.reserve(towns.size());
  for (auto& [code, t] : towns) out.towns.push_back(std::move(t));
  return out;
}

Result<domain::TownStaffing> LoadTown(store::Connection& c, const std::string& town_code) {
  QZ_ASSIGN_OR_RETURN(store::RegionRecord region, RequireTown(c, town_code));
  QZ_ASSIGN_OR_RETURN(RegionStaffing loaded, LoadRegion(c, region.path));
  for (domain::TownStaffing& t : loaded.towns) {
    if (t.town_code == town_code) return std::move(t);
  }
  domain::TownStaffing empty;
  empty.town_code = town_code;
  empty.baseline.town_code = town_code;
  return empty;
}

Result<domain::CountyQuotaPosition> LoadCountyPosition(store::Connection& c,
                                                       const std::string& county_code) {
  QZ_ASSIGN_OR_RETURN(store::RegionRecord county, RequireRegion(c, county_code));
  QZ_ASSIGN_OR_RETURN(RegionStaffing loaded, LoadRegion(c, county.path, /*for_scan=*/true));
  domain::CountyQuotaPosition pos;
  pos.county_code = county_code;
  for (const domain::TownStaffing& t : loaded.towns) {
    for (const domain::QuotaTotal& total : domain::TownTotals(t)) {
      auto it = std::find_if(pos.totals.begin(), pos.totals.end(),
                             [&](const domain::QuotaTotal& x) { return x.kind == total.kind; });
      if (it == pos.totals.end()) {
        pos.totals.push_back(total);
      } else {
        it->count += total.count;
      }
    }
  }
  pos.baseline = loaded.other_baselines[county_code];
  return pos;
}

namespace {

template <typename Row, typename KeyOf>
std::map<std::pair<domain::Id, std::string>, int> Counts(const std::vector<Row>& rows, KeyOf key) {
  std::map<std::pair<domain::Id, std::string>, int> out;
  for (const Row& r : rows) out[{r.agency_id, key(r)}] += r.count;
  return out;
}

}  // namespace

Status PersistDiff(Tx& tx, const domain::TownStaffing& before, const domain::TownStaffing& after,
                   const RemovedAgencies& removed) {
  store::Connection& c = tx.conn();
  const std::int64_t now = tx.now_seconds();
  for (const domain::Agency& a : after.agencies) {
    store::StaffingAgencyRecord rec = ToRecord(a);
    rec.town_code = after.town_code;
    const domain::Agency* old = before.FindAgency(a.id);
    if (old == nullptr) {
      QZ_TRY(store::InsertStaffingAgency(c, rec, now));
    } else {
      store::StaffingAgencyRecord old_rec = ToRecord(*old);
      old_rec.town_code = after.town_code;
      if (!(old_rec == rec)) QZ_TRY(store::UpdateStaffingAgency(c, rec, now));
    }
  }
  for (const domain::Agency& a : before.agencies) {
    if (after.FindAgency(a.id) != nullptr) continue;
    store::StaffingAgencyRecord rec = ToRecord(a);
    rec.town_code = before.town_code;
    rec.state = removed.state;
    if (removed.state == "merged") rec.merged_into = removed.merged_into;
    QZ_TRY(store::UpdateStaffingAgency(c, rec, now));
  }
  auto kind = [](const domain::Quota& q) { return q.kind; };
  auto q_before = Counts(before.quotas, kind), q_after = Counts(after.quotas, kind);
  for (const auto& [key, count] : q_after) {
    auto it = q_before.find(key);
    if (it == q_before.end() || it->second != count) {
      QZ_TRY(store::SetStaffingQuota(c, {key.first, key.second, count}));
    }
  }
  for (const auto& [key, count] : q_before) {
    if (q_after.count(key) == 0) QZ_TRY(store::SetStaffingQuota(c, {key.first, key.second, 0}));
  }
  auto grade = [](const domain::LeadershipQuota& q) {
    return std::string(domain::GradeCode(q.grade));
  };
  auto l_before = Counts(before.leadership_quotas, grade);
  auto l_after = Counts(after.leadership_quotas, grade);
  for (const auto& [key, count] : l_after) {
    auto it = l_before.find(key);
    if (it == l_before.end() || it->second != count) {
      QZ_TRY(store::SetStaffingLeadershipQuota(c, {key.first, key.second, count}));
    }
  }
  for (const auto& [key, count] : l_before) {
    if (l_after.count(key) == 0) {
      QZ_TRY(store::SetStaffingLeadershipQuota(c, {key.first, key.second, 0}));
    }
  }
  for (const domain::Person& p : after.persons) {
    store::StaffingPersonRecord rec = ToRecord(p, after.town_code);
    const domain::Person* old = before.FindPerson(p.id);
    if (old == nullptr) {
      if (!p.id_number.empty()) {
        QZ_ASSIGN_OR_RETURN(rec.id_commitment, tx.Commit("id_number", p.id_number));
      }
      QZ_TRY(store::InsertStaffingPerson(c, rec, now));
    } else if (!(ToRecord(*old, after.town_code) == rec)) {
      QZ_TRY(store::UpdateStaffingPerson(c, rec, now));
    }
  }
  for (const domain::Person& p : before.persons) {
    if (after.FindPerson(p.id) != nullptr) continue;
    store::StaffingPersonRecord rec = ToRecord(p, before.town_code);
    rec.state = "left";
    QZ_TRY(store::UpdateStaffingPerson(c, rec, now));
  }
  return Ok();
}

Result<store::RegionRecord> RequireRegion(store::Connection& c, const std::string& code) {
  QZ_ASSIGN_OR_RETURN(auto r, store::GetRegion(c, code));
  if (!r) {
    return MakeError(ErrorCode::kNotFound, "区划“" + code + "”不存在", "no region '" + code + "'");
  }
  return std::move(*r);
}

Result<store::RegionRecord> RequireTown(store::Connection& c, const std::string& code) {
  QZ_ASSIGN_OR_RETURN(store::RegionRecord r, RequireRegion(c, code));
  if (r.level != "town") {
    return MakeError(ErrorCode::kNotFound, "“" + code + "”不是镇", "'" + code + "' is not a town");
  }
  return r;
}

Error OutOfScope(const std::string& code) {
  return MakeError(ErrorCode::kForbidden, "区划“" + code + "”不在您的授权范围内",
                   "region '" + code + "' is outside your scope");
}

void RecordDenied(Tx& tx, const Actor& actor, const std::string& what, const Error& e) {
  tx.RecordOnFailure(
      Event{"access.denied",
            actor,
            "staffing",
            what,
            {{"code", std::string(ErrorCodeName(e.code))}, {"reason", e.message_en}}});
}

domain::ApprovingLevel LevelOfRole(domain::Role role) {
  switch (role) {
    case domain::Role::kProvinceStaffing:
      return domain::ApprovingLevel::kProvince;
    case domain::Role::kCountyStaffing:
      return domain::ApprovingLevel::kCounty;
    case domain::Role::kTownLeader:
    case domain::Role::kTownOfficer:
      return domain::ApprovingLevel::kTown;
    default:
      return domain::ApprovingLevel::kNone;
  }
}

json QuotaKindJson(const domain::StaffingSettings& s, const std::string& kind) {
  return {{"kind", kind}, {"kind_zh", std::string(s.QuotaKindNameZh(kind))}};
}

json ViolationItem(const domain::Violation& v, const domain::TownStaffing& town,
                   const std::string& town_name) {
  const domain::Agency* a = town.FindAgency(v.agency_id);
  const domain::Person* p = town.FindPerson(v.person_id);
  return {{"town_code", town.town_code},
          {"town_name", town_name},
          {"rule", std::string(domain::RuleCodeName(v.rule))},
          {"rule_zh", std::string(domain::RuleNameZh(v.rule))},
          {"basis_zh", std::string(domain::RuleBasisZh(v.rule))},
          {"agency_id", v.agency_id},
          {"agency_name", a != nullptr ? json(a->name) : json()},
          {"person_id", v.person_id},
          {"person_name", p != nullptr ? json(p->name) : json()},
          {"subject", v.subject},
          {"excess", v.excess},
          {"evidence_zh", v.evidence_zh},
          {"evidence_en", v.evidence_en}};
}

}  // namespace quanze::app::staffing
