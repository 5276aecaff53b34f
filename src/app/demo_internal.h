// What the demo generators share: the case-handling set-up of one town
// (handling agencies for its grants, the steps each post may perform, a
// legal reviewer), made through CaseService. Used by cases_demo.cc and
// province_demo.cc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/app.h"
#include "domain/calendar.h"

namespace quanze::app::demo {

// xorshift64: the demo generators' fixed-seed PRNG.
struct Rng {
  std::uint64_t s = 0x9e3779b97f4a7c15ULL;
  Rng() = default;
  explicit Rng(std::uint64_t seed) : s(seed ? seed : 0x9e3779b97f4a7c15ULL) {}
  std::uint64_t Next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
};

struct Person {
  std::int64_t id = 0;
  std::string post;
  bool leader = false;
  bool certified = false;  // certificate valid today
};

struct TownSetup {
  std::string code;
  std::int64_t approval_agency = 0;
  std::int64_t enforcement_agency = 0;
  std::vector<Person> approval;
  std::vector<Person> enforcement;
  std::vector<std::string> licensing_items, penalty_items, inspection_items, coercion_items;
  std::int64_t legal_reviewer = 0;

  std::int64_t ApprovalLeader() const { return Pick(approval, true, false); }
  std::int64_t Clerk() const { return Pick(approval, false, false); }
  std::int64_t Chief() const { return Pick(enforcement, true, false); }
  std::vector<std::int64_t> Certified() const {
    std::vector<std::int64_t> out;
    for (const auto& p : enforcement) {
      if (p.certified && !p.leader && p.id != legal_reviewer) out.push_back(p.id);
    }
    return out;
  }
  static std::int64_t Pick(const std::vector<Person>& people, bool leader, bool certified) {
    for (const auto& p : people) {
      if (p.leader == leader && (!certified || p.certified)) return p.id;
    }
    return 0;
  }
};

// Assigns the town's approval and enforcement agencies to its effective
// grants, sets post steps and names a legal reviewer. An empty set-up (no
// agencies) when the town has no such agencies.
Result<TownSetup> SetUpTown(Tx& tx, const CaseService& cs, const AuthUser& sys,
                            const std::string& town, domain::Date today);

}  // namespace quanze::app::demo
