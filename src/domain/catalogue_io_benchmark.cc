// Import speed of the catalogue CSV: the issue asks for < 2 s for 3,000 items.
// Rows are realistic in size (several legal bases, materials, duties).
#include <benchmark/benchmark.h>
#include <iconv.h>

#include <string>
#include <vector>

#include "domain/catalogue_io.h"

namespace quanze::domain {
namespace {

std::vector<Power> Items(int n) {
  std::vector<Power> out;
  for (int i = 0; i < n; ++i) {
    Power p;
    p.code = "XK-" + std::to_string(100000 + i);
    p.name = "临时占用城市绿化用地审批（第" + std::to_string(i) + "项）";
    p.kind = PowerKind::kLicensing;
    p.legal_basis = {
        {"城市绿化条例", "第十九条",
         "因建设或者其他特殊需要临时占用城市绿化用地，须经城市人民政府城市绿化行政主管部门同意，"
         "并按照有关规定办理临时用地手续。"},
        {"中华人民共和国行政许可法", "第四十二条",
         "除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可"
         "决定。"}};
    p.originating_department = "县住房和城乡建设局";
    p.statutory_limit = {20, TimeUnit::kWorkingDays};
    p.promised_limit = {5, TimeUnit::kWorkingDays};
    p.extension_allowed = true;
    p.max_extension_days = 10;
    p.materials = {{"申请表", "申请人自备", 1, true},
                   {"位置示意图, 含四至", "申请人自备", 2, true},
                   {"营业执照", "市场监管部门（共享获取）", 1, false}};
    p.responsibility_items = {{"受理", "依法受理或者不予受理，一次性告知需补正材料"},
                              {"审查", "审查申请材料，必要时现场勘查"},
                              {"决定", "作出准予或者不予许可的决定"},
                              {"送达", "依法送达"},
                              {"监管", "开展事中事后监管"}};
    p.accountability_situations = {"对符合法定条件的申请不予受理的",
                                   "对不符合法定条件的申请人准予许可的",
                                   "玩忽职守、滥用职权、徇私舞弊的"};
    p.valid_from = "2024-01-01";
    out.push_back(std::move(p));
  }
  return out;
}

void BM_ParseCatalogueCsv(benchmark::State& state) {
  const std::string csv = WriteCatalogueCsv(Items(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    auto r = ParseCatalogueCsv(csv);
    if (!r.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * csv.size()));
  state.counters["items"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_ParseCatalogueCsv)->Arg(3000)->Unit(benchmark::kMillisecond);

// UTF-8 → GB18030 with iconv, to feed the decoder what Excel would save.
std::string ToGb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t out_left = out.size();
  iconv(cd, &in, &in_left, &o, &out_left);
  iconv_close(cd);
  out.resize(o - out.data());
  return out;
}

void BM_ParseCatalogueCsvGb18030(benchmark::State& state) {
  const std::string utf8 = WriteCatalogueCsv(Items(static_cast<int>(state.range(0)))).substr(3);
  const std::string gbk = ToGb18030(utf8);
  for (auto _ : state) {
    auto r = ParseCatalogueCsv(gbk);
    if (!r.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * gbk.size()));
}
BENCHMARK(BM_ParseCatalogueCsvGb18030)->Arg(3000)->Unit(benchmark::kMillisecond);

void BM_WriteCatalogueCsv(benchmark::State& state) {
  const auto items = Items(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(WriteCatalogueCsv(items));
}
BENCHMARK(BM_WriteCatalogueCsv)->Arg(3000)->Unit(benchmark::kMillisecond);

void BM_ParseCatalogueJson(benchmark::State& state) {
  const std::string json = WriteCatalogueJson(Items(static_cast<int>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(ParseCatalogueJson(json));
}
BENCHMARK(BM_ParseCatalogueJson)->Arg(3000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace quanze::domain

BENCHMARK_MAIN();
