#include "domain/authority.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "domain/grant.h"

namespace quanze::domain {
namespace {

std::size_t Mix(std::size_t seed, std::size_t h) {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

// Concatenates with one allocation.
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (std::string_view p : parts) {
    n += p.size();
  }
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) {
    out.append(p);
  }
  return out;
}

std::string Num(std::int64_t n) { return std::to_string(n); }

// How an officer is named in a message: the name, else "#id". Never an ID number.
std::string Who(const OfficerFact* o, std::int64_t id) {
  if (o != nullptr && !o->name.empty()) {
    return o->name;
  }
  return Cat({"#", Num(id)});
}

// What every check of one request shares, computed once.
struct Context {
  const AuthorityFacts& facts;
  const AuthorityRequest& r;
  const GrantFact* grant;
  const OfficerFact* performer;
  std::string who;  // the performer as named in messages
  std::string day;  // r.on as "YYYY-MM-DD"
};

// Builds the findings of one decision.
class Findings {
 public:
  Findings() { decision_.findings.reserve(9); }
  void Add(std::string_view code, bool ok, std::string zh, std::string en) {
    decision_.allowed = decision_.allowed && ok;
    decision_.findings.push_back({std::string(code), ok, std::move(zh), std::move(en)});
  }
  AuthorityDecision Take() && { return std::move(decision_); }

 private:
  AuthorityDecision decision_{true, {}};
};

void CheckGrant(const Context& c, Findings& out) {
  const AuthorityRequest& r = c.r;
  const GrantFact* grant = c.grant;
  const std::string_view town = c.facts.TownName(r.town_code);
  if (grant == nullptr) {
    out.Add("grant_effective", false, Cat({town, "未被赋予事项 ", r.power_code}),
            Cat({"power ", r.power_code, " is not granted to town ", r.town_code}));
    out.Add("grant_valid", false, Cat({"事项 ", r.power_code, " 无赋权，无有效期可核对"}),
            Cat({"power ", r.power_code, " has no grant, so no validity to check"}));
    return;
  }
  const std::optional<GrantState> state = ParseGrantState(grant->state);
  if (state != GrantState::kEffective) {
    const std::string_view label = state ? GrantStateLabel(*state) : std::string_view(grant->state);
    out.Add("grant_effective", false,
            Cat({town, "事项 ", r.power_code, " 的赋权状态为“", label, "”，未生效"}),
            Cat({"the grant of power ", r.power_code, " to town ", r.town_code, " is ",
                 grant->state.empty() ? "without state" : grant->state, ", not effective"}));
  } else {
    out.Add("grant_effective", true, Cat({town, "已被赋予事项 ", r.power_code, "，赋权已生效"}),
            Cat({"power ", r.power_code, " is granted to town ", r.town_code,
                 " and the grant is effective"}));
  }
  const std::string& day = c.day;
  if (!grant->valid_from) {
    out.Add("grant_valid", false, Cat({"事项 ", r.power_code, " 的赋权未载明生效日期"}),
            Cat({"the grant of power ", r.power_code, " has no start date"}));
  } else if (r.on < *grant->valid_from) {
    const std::string from = grant->valid_from->ToString();
    out.Add("grant_valid", false, Cat({day, " 早于事项 ", r.power_code, " 赋权的生效日期 ", from}),
            Cat({day, " is before the grant of power ", r.power_code, " takes effect on ", from}));
  } else if (grant->valid_to && *grant->valid_to < r.on) {
    const std::string to = grant->valid_to->ToString();
    out.Add("grant_valid", false, Cat({day, " 晚于事项 ", r.power_code, " 赋权的截止日期 ", to}),
            Cat({day, " is after the grant of power ", r.power_code, " ended on ", to}));
  } else {
    const std::string from = grant->valid_from->ToString();
    const std::string to = grant->valid_to ? grant->valid_to->ToString() : std::string();
    out.Add("grant_valid", true,
            Cat({day, " 在事项 ", r.power_code, " 赋权的有效期内（", from, "至",
                 to.empty() ? std::string_view("长期") : std::string_view(to), "）"}),
            Cat({day, " is within the validity of the grant of power ", r.power_code, " (", from,
                 " to ", to.empty() ? std::string_view("open-ended") : std::string_view(to), ")"}));
  }
}

void CheckAgencyAndPost(const Context& c, Findings& out) {
  const AuthorityRequest& r = c.r;
  const GrantFact* grant = c.grant;
  const OfficerFact* performer = c.performer;
  const std::string& who = c.who;
  const std::string unknown_zh = Cat({"执行人 ", who, " 不在人员名录中"});
  const std::string unknown_en = Cat({"performer ", who, " is not on record"});
  if (grant == nullptr) {
    out.Add("agency_handles", false, Cat({"事项 ", r.power_code, " 无赋权，无承办机构"}),
            Cat({"power ", r.power_code, " has no grant, so no handling agency"}));
  } else if (grant->agency_id == 0) {
    out.Add("agency_handles", false, Cat({"事项 ", r.power_code, " 的赋权未指定承办机构"}),
            Cat({"the grant of power ", r.power_code, " names no handling agency"}));
  } else if (performer == nullptr) {
    out.Add("agency_handles", false, unknown_zh, unknown_en);
  } else {
    const std::string agency = Num(grant->agency_id);
    const bool ok = performer->agency_id == grant->agency_id;
    out.Add("agency_handles", ok,
            Cat({who, ok ? "属于" : "不属于", "事项 ", r.power_code, " 的承办机构（机构 #", agency,
                 "）"}),
            Cat({who, ok ? " belongs to" : " does not belong to", " agency #", agency,
                 ", which handles power ", r.power_code}));
  }

  if (performer == nullptr) {
    out.Add("post_allows", false, unknown_zh, unknown_en);
    return;
  }
  const bool ok =
      c.facts.PostMayPerform(performer->agency_id, performer->post, r.procedure_id, r.step);
  out.Add("post_allows", ok,
          Cat({who, "的岗位“", performer->post, ok ? "”可以" : "”不得", "执行 ", r.procedure_id,
               ":", r.step}),
          Cat({who, "'s post \"", performer->post, ok ? "\" may" : "\" may not", " perform ",
               r.procedure_id, ":", r.step}));
}

struct Acting {
  std::int64_t id;
  const OfficerFact* fact;  // null: not on record
};

// The performer first, then the other officers, each once.
std::vector<Acting> ActingOfficers(const AuthorityFacts& facts, const AuthorityRequest& r,
                                   const OfficerFact* performer) {
  std::vector<Acting> acting;
  acting.reserve(r.officers.size() + 1);
  acting.push_back({r.performer, performer});
  for (std::int64_t id : r.officers) {
    const bool seen =
        std::any_of(acting.begin(), acting.end(), [id](const Acting& a) { return a.id == id; });
    if (!seen) {
      acting.push_back({id, facts.FindOfficer(id)});
    }
  }
  return acting;
}

void AppendList(std::string& list, std::string_view sep, std::string_view item) {
  if (!list.empty()) {
    list.append(sep);
  }
  list.append(item);
}

void CheckOfficerCount(const AuthorityRequest& r, const GrantFact* grant,
                       const std::vector<Acting>& acting, Findings& out) {
  const StepRequirements& q = r.requirements;
  if (!q.enforcement && q.min_officers <= 1) {
    return;
  }
  const int needed = std::max(q.min_officers, q.enforcement ? 2 : 1);
  const std::int64_t agency = grant != nullptr ? grant->agency_id : 0;
  int qualified = 0;
  std::string outside_zh, outside_en;
  for (const Acting& a : acting) {
    if (agency != 0 && a.fact != nullptr && a.fact->agency_id == agency) {
      ++qualified;
    } else {
      const std::string who = Who(a.fact, a.id);
      AppendList(outside_zh, "、", who);
      AppendList(outside_en, ", ", who);
    }
  }
  const std::string n = Num(needed);
  const std::string have = Num(static_cast<std::int64_t>(acting.size()));
  if (agency == 0) {
    out.Add("officer_count", false,
            Cat({"需要至少", n, "名承办机构的执法人员，但事项 ", r.power_code, " 无承办机构"}),
            Cat({"at least ", n, " officers of the handling agency are needed, but power ",
                 r.power_code, " has no handling agency"}));
  } else if (!outside_zh.empty()) {
    out.Add("officer_count", false, Cat({outside_zh, "不属于承办机构（机构 #", Num(agency), "）"}),
            Cat({outside_en, " not of the handling agency #", Num(agency)}));
  } else if (qualified < needed) {
    out.Add("officer_count", false, Cat({"执法人员不足：需要至少", n, "人，实有", have, "人"}),
            Cat({"too few officers: at least ", n, " needed, ", have, " acting"}));
  } else {
    out.Add("officer_count", true, Cat({"执法人员", have, "人，均属承办机构（至少需要", n, "人）"}),
            Cat({have, " officers acting, all of the handling agency (at least ", n, " needed)"}));
  }
}

void CheckCertificates(const Context& ctx, const std::vector<Acting>& acting, Findings& out) {
  const AuthorityRequest& r = ctx.r;
  if (!r.requirements.certificate) {
    return;
  }
  std::string bad_zh, bad_en;
  for (const Acting& a : acting) {
    if (a.fact != nullptr && CertificateValidOn(a.fact->certificate, r.on)) {
      continue;
    }
    const std::string who = Who(a.fact, a.id);
    if (a.fact == nullptr) {
      AppendList(bad_zh, "；", Cat({who, "不在人员名录中，无执法证记录"}));
      AppendList(bad_en, "; ", Cat({who, " is not on record, no certificate"}));
      continue;
    }
    const EnforcementCertificate& c = a.fact->certificate;
    if (c.number.empty()) {
      AppendList(bad_zh, "；", Cat({who, "无执法证"}));
      AppendList(bad_en, "; ", Cat({who, " holds no enforcement certificate"}));
    } else if (c.valid_from && r.on < *c.valid_from) {
      const std::string from = c.valid_from->ToString();
      AppendList(bad_zh, "；", Cat({who, "的执法证自 ", from, " 起有效"}));
      AppendList(bad_en, "; ", Cat({who, "'s enforcement certificate is valid from ", from}));
    } else {
      const std::string to = c.valid_to ? c.valid_to->ToString() : std::string();
      AppendList(bad_zh, "；", Cat({who, "的执法证已于 ", to, " 到期"}));
      AppendList(bad_en, "; ", Cat({who, "'s enforcement certificate expired on ", to}));
    }
  }
  const std::string& day = ctx.day;
  if (!bad_zh.empty()) {
    out.Add("certificates", false, Cat({"执法证在 ", day, " 无效：", bad_zh}),
            Cat({"enforcement certificate not valid on ", day, ": ", bad_en}));
  } else {
    const std::string n = Num(static_cast<std::int64_t>(acting.size()));
    out.Add(
        "certificates", true, Cat({n, "名执行人员的执法证在 ", day, " 均有效"}),
        Cat({"the enforcement certificates of all ", n, " acting officers are valid on ", day}));
  }
}

void CheckPerformerQualities(const Context& c, Findings& out) {
  const AuthorityRequest& r = c.r;
  const OfficerFact* performer = c.performer;
  const std::string& who = c.who;
  if (r.requirements.leader) {
    const bool ok = performer != nullptr && performer->is_leader;
    out.Add("leader", ok, Cat({who, ok ? "为负责人" : "不是负责人，不得执行此步骤"}),
            Cat({who, ok ? " is a leader" : " is not a leader and may not perform this step"}));
  }
  if (r.requirements.legal_reviewer) {
    const bool ok = performer != nullptr && performer->legal_review_qualified;
    out.Add("legal_reviewer", ok, Cat({who, ok ? "具备法制审核资格" : "不具备法制审核资格"}),
            Cat({who, ok ? " is qualified for legal review (法制审核)"
                         : " is not qualified for legal review (法制审核)"}));
  }
}

// 第五十七条第二款: collective discussion is by the agency's heads.
void CheckAllLeaders(const Context& ctx, const std::vector<Acting>& acting, Findings& out) {
  if (!ctx.r.requirements.all_leaders) return;
  std::string bad_zh, bad_en;
  for (const Acting& a : acting) {
    if (a.fact != nullptr && a.fact->is_leader) continue;
    const std::string who = Who(a.fact, a.id);
    AppendList(bad_zh, "；", Cat({who, "不是负责人"}));
    AppendList(bad_en, "; ", Cat({who, " is not a leader"}));
  }
  if (!bad_zh.empty()) {
    out.Add("all_leaders", false, Cat({"集体讨论须由负责人进行：", bad_zh}),
            Cat({"collective discussion is by the heads: ", bad_en}));
  } else {
    out.Add("all_leaders", true, "参加人员均为负责人", "every participant is a leader");
  }
}

void CheckActive(const std::vector<Acting>& acting, Findings& out) {
  std::string bad_zh, bad_en;
  for (const Acting& a : acting) {
    if (a.fact != nullptr && a.fact->active) {
      continue;
    }
    const std::string who = Who(a.fact, a.id);
    AppendList(bad_zh, "；", Cat({who, a.fact == nullptr ? "不在人员名录中" : "已不在岗"}));
    AppendList(bad_en, "; ",
               Cat({who, a.fact == nullptr ? " is not on record" : " is no longer active"}));
  }
  if (!bad_zh.empty()) {
    out.Add("officer_active", false, std::move(bad_zh), std::move(bad_en));
  } else {
    const std::string n = Num(static_cast<std::int64_t>(acting.size()));
    out.Add("officer_active", true, Cat({n, "名执行人员均在册在岗"}),
            Cat({"all ", n, " acting officers are on record and active"}));
  }
}

}  // namespace

std::size_t AuthorityFacts::Hash::operator()(std::string_view s) const {
  return std::hash<std::string_view>{}(s);
}
std::size_t AuthorityFacts::Hash::operator()(const PairKey& k) const {
  return (*this)(PairView{k.first, k.second});
}
std::size_t AuthorityFacts::Hash::operator()(const PairView& k) const {
  return Mix(std::hash<std::string_view>{}(k.first), std::hash<std::string_view>{}(k.second));
}
std::size_t AuthorityFacts::Hash::operator()(const PostKey& k) const {
  return (*this)(PostView{k.agency_id, k.post});
}
std::size_t AuthorityFacts::Hash::operator()(const PostView& k) const {
  return Mix(std::hash<std::int64_t>{}(k.agency_id), std::hash<std::string_view>{}(k.post));
}

void AuthorityFacts::SetGrant(std::string_view town_code, std::string_view power_code,
                              GrantFact fact) {
  auto it = grants_.find(PairView{town_code, power_code});
  if (it != grants_.end()) {
    it->second = std::move(fact);
  } else {
    grants_.emplace(PairKey{std::string(town_code), std::string(power_code)}, std::move(fact));
  }
}

void AuthorityFacts::SetPostSteps(std::int64_t agency_id, std::string_view post,
                                  std::vector<std::string> steps) {
  StepSet set;
  set.reserve(steps.size());
  for (std::string& entry : steps) {
    const std::size_t colon = entry.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string procedure = entry.substr(0, colon);
    entry.erase(0, colon + 1);
    set.insert(PairKey{std::move(procedure), std::move(entry)});
  }
  auto it = posts_.find(PostView{agency_id, post});
  if (it != posts_.end()) {
    it->second = std::move(set);
  } else {
    posts_.emplace(PostKey{agency_id, std::string(post)}, std::move(set));
  }
}

void AuthorityFacts::SetOfficer(OfficerFact officer) {
  const std::int64_t id = officer.person_id;
  officers_.insert_or_assign(id, std::move(officer));
}

void AuthorityFacts::SetTownName(std::string_view town_code, std::string name) {
  auto it = town_names_.find(town_code);
  if (it != town_names_.end()) {
    it->second = std::move(name);
  } else {
    town_names_.emplace(std::string(town_code), std::move(name));
  }
}

const GrantFact* AuthorityFacts::FindGrant(std::string_view town_code,
                                           std::string_view power_code) const {
  auto it = grants_.find(PairView{town_code, power_code});
  return it == grants_.end() ? nullptr : &it->second;
}

const OfficerFact* AuthorityFacts::FindOfficer(std::int64_t person_id) const {
  auto it = officers_.find(person_id);
  return it == officers_.end() ? nullptr : &it->second;
}

bool AuthorityFacts::PostMayPerform(std::int64_t agency_id, std::string_view post,
                                    std::string_view procedure_id, std::string_view step) const {
  if (post.empty() || procedure_id.empty() || step.empty()) {
    return false;
  }
  auto it = posts_.find(PostView{agency_id, post});
  if (it == posts_.end()) {
    return false;
  }
  const StepSet& set = it->second;
  return set.contains(PairView{procedure_id, step}) || set.contains(PairView{procedure_id, "*"});
}

std::string_view AuthorityFacts::TownName(std::string_view town_code) const {
  auto it = town_names_.find(town_code);
  return it == town_names_.end() || it->second.empty() ? town_code : std::string_view(it->second);
}

const AuthorityFinding* AuthorityDecision::FirstFailure() const {
  for (const AuthorityFinding& f : findings) {
    if (!f.ok) {
      return &f;
    }
  }
  return nullptr;
}

AuthorityDecision CheckAuthority(const AuthorityFacts& facts, const AuthorityRequest& r) {
  Findings out;
  const OfficerFact* performer = facts.FindOfficer(r.performer);
  const Context c{facts,
                  r,
                  facts.FindGrant(r.town_code, r.power_code),
                  performer,
                  Who(performer, r.performer),
                  r.on.ToString()};
  CheckGrant(c, out);
  CheckAgencyAndPost(c, out);
  const std::vector<Acting> acting = ActingOfficers(facts, r, performer);
  CheckOfficerCount(r, c.grant, acting, out);
  CheckCertificates(c, acting, out);
  CheckPerformerQualities(c, out);
  CheckAllLeaders(c, acting, out);
  CheckActive(acting, out);
  return std::move(out).Take();
}

nlohmann::json FindingsJson(const AuthorityDecision& decision) {
  nlohmann::json list = nlohmann::json::array();
  for (const AuthorityFinding& f : decision.findings) {
    list.push_back({{"code", f.code},
                    {"ok", f.ok},
                    {"message_zh", f.message_zh},
                    {"message_en", f.message_en}});
  }
  return list;
}

Error AuthorityDeniedError(const AuthorityDecision& decision) {
  const AuthorityFinding* first = decision.FirstFailure();
  std::string zh = first != nullptr ? Cat({"无法定授权，不得执行：", first->message_zh})
                                    : std::string("无法定授权，不得执行");
  std::string en = first != nullptr ? Cat({"no legal authority for this act: ", first->message_en})
                                    : std::string("no legal authority for this act");
  return MakeError(ErrorCode::kAuthorityDenied, std::move(zh), std::move(en),
                   {{"findings", FindingsJson(decision)}});
}

}  // namespace quanze::domain
