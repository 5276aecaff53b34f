// The demo province's staffing registers (机构编制台账) as the towns brought
// them into the reform: generated deterministically (a fixed-seed PRNG) with
// clearly fictional names and ID numbers (prefix 99, a province code no real
// province uses), and with one planted violation of each rule somewhere, so
// the scan has something to show. See docs/staffing.md §10.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/staffing_io.h"

namespace quanze::app::staffing {

struct DemoTownInfo {
  std::string code;
  std::string name;
  std::string county_name;  // "清河县"
  bool pilot = false;
  std::int64_t population = 0;
};

// Agency names the demo's later steps refer to.
inline constexpr const char* kDemoZone = "桥头经济开发区管理委员会";
inline constexpr const char* kDemoEconomy = "经济发展局";
inline constexpr const char* kDemoSocial = "社会事业局";
inline constexpr const char* kDemoOffice = "党政办公室";
inline constexpr const char* kDemoEnforcement = "综合行政执法局";
inline constexpr const char* kDemoGovernance = "社会治理局";
inline constexpr const char* kDemoPolice = "派出所";
inline constexpr const char* kDemoMarket = "市场监督管理分局";

// Town codes with a planted problem or a special role in the demo.
inline constexpr const char* kZoneTown = "990121101";           // 桥头镇: development zone
inline constexpr const char* kOverLeadersTown = "990121102";    // 白沙镇
inline constexpr const char* kAboveRankTown = "990121103";      // 柳营镇
inline constexpr const char* kTownApprovedTown = "990121104";   // 东坝镇
inline constexpr const char* kGradeRaiseTown = "990122101";     // 云阳镇
inline constexpr const char* kAgencyLimitTown = "990122103";    // 南渡镇
inline constexpr const char* kTitleTown = "990122104";          // 新市镇
inline constexpr const char* kOverQuotaTown = "990123101";      // 松溪镇
inline constexpr const char* kWrongKindTown = "990123102";      // 龙泉镇
inline constexpr const char* kAboveBaselineTown = "990123103";  // 青山镇
inline constexpr const char* kAssessmentTown = "990123104";     // 梅林镇

// The registers of `towns`, in order.
domain::StaffingRegister DemoRegister(const std::vector<DemoTownInfo>& towns);

// A fictional person for a later appointment: name and ID number from
// `seed` (deterministic), born in `birth_year`.
struct DemoIdentity {
  std::string name;
  std::string id_number;
};
DemoIdentity DemoPerson(std::uint64_t seed, const std::string& county_code, int birth_year);

}  // namespace quanze::app::staffing
