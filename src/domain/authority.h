// Legal authority (法无授权不可为): may this officer perform this step of a
// case, in this town, on this day? Default deny: the act is allowed only when
// every fact the step needs is on record and holds (ARCHITECTURE.md §6):
//   - the power is granted to the town, the grant is effective and `on` lies
//     within its validity (行政处罚法 第二十四条: towns act only on a grant);
//   - the grant names a handling agency and the performer belongs to it;
//   - the performer holds a post allowed to perform "procedure:step";
//   - enforcement steps have at least two officers (第四十二条 "执法人员不得
//     少于两人"), all of the handling agency and active;
//   - certificates (执法证), leadership and legal-review qualification
//     (第五十八条) where the step asks for them.
// Every decision lists the facts it looked at, allowed or not, so it can be
// explained to the officer and to a reviewer. docs/authority.md has the
// rules, the findings and the benchmark figure.
//
// Pure: no I/O, no clock (the day is a parameter).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/result.h"
#include "domain/calendar.h"
#include "domain/staffing.h"

namespace quanze::domain {

// What the officer-related guards of a procedure step require.
struct StepRequirements {
  int min_officers = 1;
  bool certificate = false;     // every acting officer holds a valid 执法证
  bool leader = false;          // the performer is a 负责人 (e.g. signs the decision)
  bool legal_reviewer = false;  // the performer may do 法制审核 (第五十八条)
  bool enforcement = false;     // an enforcement act: at least two officers (第四十二条)
  bool all_leaders = false;     // every acting officer is a leader (集体讨论, 第五十七条第二款)
};

// GrantFact: what the check needs to know of one grant (赋权) of a power to a
// town. `state` is a GrantStateCode ("effective", "suspended", ...).
struct GrantFact {
  std::string state;
  std::optional<Date> valid_from;  // required for the grant to be valid at all
  std::optional<Date> valid_to;    // inclusive; none: open-ended
  std::int64_t agency_id = 0;      // handling agency (承办机构) assigned to the grant; 0 = none
};

// OfficerFact: an officer (执法人员 or other staff) as the check sees them.
// No ID number here: nothing of it may reach a finding.
struct OfficerFact {
  std::int64_t person_id = 0;
  std::int64_t agency_id = 0;
  std::string name;
  std::string post;  // 岗位, e.g. "综合执法岗"
  bool is_leader = false;
  bool legal_review_qualified = false;  // 法制审核 qualification (第一次从事须有法律职业资格)
  EnforcementCertificate certificate;
  bool active = true;  // false once the person left, is suspended or retired
};

// AuthorityFacts: an index of a province's facts, built once and then read by
// many threads (const after building; no mutable state behind const methods).
// Lookups take string_views and do not allocate.
class AuthorityFacts {
 public:
  // Adds or replaces the grant of `power_code` to `town_code`.
  void SetGrant(std::string_view town_code, std::string_view power_code, GrantFact fact);
  // Adds or replaces the steps a post of an agency may perform. Entries are
  // "procedure_id:step_code", or "procedure_id:*" for every step of a
  // procedure; entries without ':' are ignored.
  void SetPostSteps(std::int64_t agency_id, std::string_view post, std::vector<std::string> steps);
  // Adds or replaces an officer, keyed by person_id.
  void SetOfficer(OfficerFact officer);
  // Optional display name of a town ("桥头镇") for messages; the code otherwise.
  void SetTownName(std::string_view town_code, std::string name);

  // Null when absent. Pointers stay valid until the next Set… call.
  const GrantFact* FindGrant(std::string_view town_code, std::string_view power_code) const;
  const OfficerFact* FindOfficer(std::int64_t person_id) const;
  bool PostMayPerform(std::int64_t agency_id, std::string_view post, std::string_view procedure_id,
                      std::string_view step) const;
  // The town's display name, or `town_code` when none was set.
  std::string_view TownName(std::string_view town_code) const;

  std::size_t grant_count() const { return grants_.size(); }
  std::size_t officer_count() const { return officers_.size(); }
  std::size_t post_count() const { return posts_.size(); }

  // Key types (public so the hashing helpers in authority.cc can name them).
  struct PairKey {
    std::string first, second;
  };
  struct PairView {
    std::string_view first, second;
  };
  struct PostKey {
    std::int64_t agency_id;
    std::string post;
  };
  struct PostView {
    std::int64_t agency_id;
    std::string_view post;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const;
    std::size_t operator()(const PairKey& k) const;
    std::size_t operator()(const PairView& k) const;
    std::size_t operator()(const PostKey& k) const;
    std::size_t operator()(const PostView& k) const;
  };
  struct Equal {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      if constexpr (requires { a.agency_id; }) {
        return a.agency_id == b.agency_id && std::string_view(a.post) == std::string_view(b.post);
      } else if constexpr (requires { a.first; }) {
        return std::string_view(a.first) == std::string_view(b.first) &&
               std::string_view(a.second) == std::string_view(b.second);
      } else {
        return std::string_view(a) == std::string_view(b);
      }
    }
  };

 private:
  // (procedure_id, step) pairs; step "*" stands for every step.
  using StepSet = std::unordered_set<PairKey, Hash, Equal>;
  std::unordered_map<PairKey, GrantFact, Hash, Equal> grants_;  // (town, power)
  std::unordered_map<PostKey, StepSet, Hash, Equal> posts_;
  std::unordered_map<std::int64_t, OfficerFact> officers_;
  std::unordered_map<std::string, std::string, Hash, Equal> town_names_;
};

struct AuthorityRequest {
  std::string_view town_code, power_code, procedure_id, step;
  StepRequirements requirements;
  Date on;  // the day of the act
  std::int64_t performer = 0;
  std::vector<std::int64_t> officers;  // all officers acting, including the performer
};

// A fact the check looked at. Codes, in the fixed order they appear:
//   grant_effective  the power is granted to the town and the grant is effective
//   grant_valid      `on` lies within the grant's validity
//   agency_handles   the grant has a handling agency and the performer belongs to it
//   post_allows      the performer's post may perform procedure:step
//   officer_count    enough distinct officers, all of the handling agency
//                    (only when enforcement or min_officers > 1)
//   certificates     every acting officer's 执法证 is valid on `on` (only when required)
//   leader           the performer is a leader (only when required)
//   legal_reviewer   the performer is qualified for 法制审核 (only when required)
//   officer_active   every acting officer is on record and active (always)
// The messages name the fact in Chinese and English ("桥头镇未被赋予事项 X /
// power X is not granted to town 990121101"); never an ID number.
struct AuthorityFinding {
  std::string code;
  bool ok = false;
  std::string message_zh, message_en;
};

struct AuthorityDecision {
  bool allowed = false;
  std::vector<AuthorityFinding> findings;  // every fact checked, allowed or not, in a fixed order
  // The first finding that failed, or null when allowed.
  const AuthorityFinding* FirstFailure() const;
};

// Decides `request` against `facts`. allowed is true only when every finding
// is ok. Thread-safe for concurrent calls on the same const facts.
AuthorityDecision CheckAuthority(const AuthorityFacts& facts, const AuthorityRequest& request);

// The error for a denied decision: ErrorCode::kAuthorityDenied (HTTP 403,
// "authority_denied"; kForbidden is the account-permission layer), the message
// naming the first failing fact (zh / en), detail {"findings": [{code, ok,
// message_zh, message_en}, ...]}. Precondition: !decision.allowed.
Error AuthorityDeniedError(const AuthorityDecision& decision);

// The findings as JSON: [{"code","ok","message_zh","message_en"}, ...].
nlohmann::json FindingsJson(const AuthorityDecision& decision);

}  // namespace quanze::domain
