// Test helpers for the catalogue and grant tests: sample values and reading
// files from the source tree (QUANZE_SOURCE_DIR). Tests only.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "domain/catalogue.h"
#include "domain/grant.h"

namespace quanze::domain::testing {

// A valid licensing item modelled on 临时占用城市绿化用地审批.
inline Power SamplePower(std::string code = "XK-01-0001") {
  Power p;
  p.code = std::move(code);
  p.name = "临时占用城市绿化用地审批";
  p.kind = PowerKind::kLicensing;
  p.legal_basis = {
      {"城市绿化条例", "第十九条",
       "因建设或者其他特殊需要临时占用城市绿化用地，须经城市人民政府城市绿化行政主管部门同意，"
       "并按照有关规定办理临时用地手续。"}};
  p.originating_department = "县住房和城乡建设局";
  p.statutory_limit = {20, TimeUnit::kWorkingDays};
  p.promised_limit = {3, TimeUnit::kWorkingDays};
  p.extension_allowed = true;
  p.max_extension_days = 10;
  p.materials = {{"临时占用城市绿化用地申请表", "申请人自备", 1, true},
                 {"占用绿地位置示意图", "申请人自备", 2, false}};
  p.responsibility_items = {{"受理", "一次性告知需要补正的全部内容"},
                            {"审查", "对申请材料进行审查，必要时现场勘查"}};
  p.accountability_situations = {"对符合法定条件的申请不予受理的", "玩忽职守、滥用职权的"};
  p.valid_from = "2024-01-01";
  return p;
}

inline Grant SampleGrant() {
  Grant g;
  g.id = "G-0001";
  g.power_code = "XK-01-0001";
  g.town_code = "320582104";
  g.county_code = "320582";
  g.mode = GrantMode::kDelegation;
  g.batch_id = "JS-2024-1";
  g.valid_from = "2024-03-01";
  g.valid_to = "2027-02-28";
  return g;
}

inline void CompleteReadiness(Grant& g) {
  for (auto& item : g.readiness) {
    item.done = true;
    item.done_at = "2024-02-20";
  }
}

inline DecisionDocument SampleDecision() {
  return {"张家港市人民政府", "张政发〔2024〕12号", "关于赋予塘桥镇部分县级行政权力事项的决定",
          "2024-02-26"};
}

// The bytes of `relative` under the source tree; empty when unreadable.
inline std::string ReadSourceFile(const std::string& relative) {
  const char* root = std::getenv("QUANZE_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace quanze::domain::testing
