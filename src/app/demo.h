// The demo province (东海省, code 99 — a code no real province uses): fictional
// but realistic names and sizes, clearly labelled as demo data, generated
// deterministically through the same use cases as real data, so a fresh demo
// log already holds the demo's history.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/app.h"

namespace quanze::app {

struct DemoAccount {
  std::string name;
  std::string password;
  std::string role;
  std::string scope;
  std::string description;
};

// The accounts the demo creates (printed by `make run` and `quanze demo`).
const std::vector<DemoAccount>& DemoAccounts();

// The demo parts of each area (app/<area>_demo.cc), run by BuildDemo after
// the regions and accounts exist.
Status BuildCatalogueDemo(App& app);
Status BuildStaffingDemo(App& app);
// Case handling: agencies per grant, post steps, reviewers, a few thousand
// cases (cases_demo.cc). Needs the catalogue and staffing demos.
Status BuildCasesDemo(App& app);

// Fills an empty database with the demo province.
Status BuildDemo(App& app);

// `quanze demo --scale province`: the demo province grown to province size
// (province_demo.cc). `towns` counts the small demo's 12.
struct ProvinceScale {
  int towns = 700;
  int items_per_town = 300;
  std::int64_t cases = 1'000'000;  // spread evenly over the towns beyond the small demo's
};
// Called as work proceeds: (phase, done, total); phases "demo", "regions",
// "staffing", "grants", "cases".
using DemoProgress = std::function<void(const std::string& phase, std::int64_t done, std::int64_t total)>;
Status BuildProvinceDemo(App& app, const ProvinceScale& scale, const DemoProgress& progress);

}  // namespace quanze::app
