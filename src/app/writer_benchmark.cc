// Durable appends through the app layer: units of work submitted by many
// threads, each appending one journal event, committed with group commit
// to a real SQLite file (WAL, synchronous=FULL). Target ≥ 10,000 events/s.
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "app/journal.h"
#include "app/writer.h"
#include "store/db.h"

namespace {

using quanze::app::Committed;
using quanze::app::Event;
using quanze::app::Journal;
using quanze::app::Receipt;
using quanze::app::Tx;
using quanze::app::Writer;

void BM_DurableAppendsGroupCommit(benchmark::State& state) {
  const int producers = static_cast<int>(state.range(0));
  const int per_iteration = 20000;
  auto dir = std::filesystem::temp_directory_path() / ("quanze-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = quanze::store::OpenDatabase((dir / "bench.db").string());
  if (!db.ok()) {
    state.SkipWithError(db.error().Describe().c_str());
    return;
  }
  quanze::SystemClock clock;
  Journal journal(std::string(32, 's'));
  Writer writer(**db, journal, clock);
  std::int64_t total = 0;
  for (auto _ : state) {
    std::atomic<int> next{0};
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
      threads.emplace_back([&] {
        // Each producer keeps a window of outstanding units, as HTTP workers do.
        constexpr int kWindow = 64;
        std::atomic<int> outstanding{0};
        std::promise<void> drained;
        int i;
        while ((i = next.fetch_add(1)) < per_iteration) {
          while (outstanding.load() >= kWindow) std::this_thread::yield();
          outstanding.fetch_add(1);
          writer.Submit(
              [i](Tx& tx) -> quanze::Result<nlohmann::json> {
                Event e{"bench.event", quanze::app::Actor::System(), "bench", std::to_string(i),
                        {{"n", i}, {"note", "一条基准测试事件 / a benchmark event"}}};
                auto r = tx.Append(e);
                if (!r.ok()) return r.take_error();
                return nlohmann::json::object();
              },
              [&outstanding](quanze::Result<Committed>, std::optional<Receipt>) {
                outstanding.fetch_sub(1);
              });
        }
        while (outstanding.load() > 0) std::this_thread::yield();
      });
    }
    for (auto& t : threads) t.join();
    total += per_iteration;
  }
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["units_per_commit"] =
      static_cast<double>(writer.units()) / static_cast<double>(std::max<std::int64_t>(1, writer.commits()));
  writer.Stop();
  (*db)->Close();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DurableAppendsGroupCommit)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
