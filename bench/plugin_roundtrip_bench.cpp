// Quote -> order round trip through a strategy plugin, in process against out of process
// (`guiju strategy-host` over ipc://), same plugin, same engine, same run. Timed: from handing
// the quote to the engine until the engine returns with the strategy's order in its order ring.
// For the out-of-process host that is two ZeroMQ round trips (the callback, and the submit call
// the strategy makes back into the engine).

#include <filesystem>
#include <memory>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/engine/engine.hpp"
#include "core/plugin/plugin_loader.hpp"

namespace {

using namespace guiju;
using guiju::bench::tsc;

constexpr size_t kInProcessSamples = 200'000;
constexpr size_t kOutOfProcessSamples = 20'000;

struct Rig {
  explicit Rig(bool out_of_process, size_t samples) {
    Instrument i;
    i.symbol = "600000";
    i.venue = "SSE";
    i.tick_size = *Price::parse("0.01");
    i.lot_size = Quantity::from_units(100);
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = *Price::parse("10.00");
    registry.add(i);
    EngineOptions options;
    options.max_orders = samples + 16;
    options.order_ring_capacity = 1024;
    engine = std::make_unique<Engine>(registry, clock, ids, options);
    engine->add_account({"bench", FeeSchedule{}});
    PluginsConfig plugins;
    plugins.directories = {GUIJU_BENCH_PLUGIN_DIR};
    PluginLoader loader(plugins, "bench", registry, GUIJU_BINARY);
    StrategyConfig s;
    s.name = "q2o";
    s.plugin = "quote_to_order.so";
    s.out_of_process = out_of_process;
    s.parameters = StrategyParameters("bench", "q2o", 1);
    LoadedStrategy loaded = loader.load(s);
    engine->add_strategy("q2o", 0, {0}, std::move(loaded.strategy), loaded.identity);
    engine->start();
  }

  EventSlot quote(size_t k) {
    Quote q;
    const Timestamp t = clock.now() + kMicrosecond;
    q.header = make_header<Quote>(t, t);
    q.instrument = 0;
    q.bid_price = *Price::parse(k % 2 ? "9.99" : "9.98");
    q.ask_price = *Price::parse("10.00");
    q.bid_size = Quantity::from_units(1000);
    q.ask_size = Quantity::from_units(1000);
    EventSlot s;
    s.store(q);
    return s;
  }

  InstrumentRegistry registry;
  SimulatedClock clock{1'000'000'000};
  ClientOrderIdAllocator ids{"RT", "20261127"};
  std::unique_ptr<Engine> engine;
};

void run(benchmark::State& state, bool out_of_process) {
  const size_t n = out_of_process ? kOutOfProcessSamples : kInProcessSamples;
  std::vector<uint64_t> samples;
  samples.reserve(n);
  size_t missing = 0;
  for (auto _ : state) {
    Rig rig(out_of_process, n);
    for (size_t k = 0; k < n; ++k) {
      const EventSlot q = rig.quote(k);
      const uint64_t t0 = tsc();
      rig.engine->process(q);
      const uint64_t t1 = tsc();
      size_t orders = 0;
      rig.engine->order_ring().pop_batch([&](const EventSlot&) { ++orders; });
      if (orders != 1) ++missing;
      samples.push_back(t1 - t0);
    }
  }
  if (missing != 0) state.SkipWithError("a quote did not produce exactly one order");
  guiju::bench::report_percentiles(state, samples);
}

void BM_QuoteToOrderInProcess(benchmark::State& state) {
  run(state, false);
}
void BM_QuoteToOrderOutOfProcess(benchmark::State& state) {
  run(state, true);
}

BENCHMARK(BM_QuoteToOrderInProcess)->Iterations(1)->Repetitions(3)->UseRealTime();
BENCHMARK(BM_QuoteToOrderOutOfProcess)->Iterations(1)->Repetitions(3)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  guiju::bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const double in_p50 = reporter.get("BM_QuoteToOrderInProcess", "p50_ns");
  const double in_p99 = reporter.get("BM_QuoteToOrderInProcess", "p99_ns");
  const double out_p50 = reporter.get("BM_QuoteToOrderOutOfProcess", "p50_ns");
  const double out_p99 = reporter.get("BM_QuoteToOrderOutOfProcess", "p99_ns");
  std::printf("\nQuote -> order through a plugin (medians of 3 repetitions, same run):\n");
  std::printf("  in process      p50 %9.0f ns   p99 %9.0f ns\n", in_p50, in_p99);
  std::printf("  out of process  p50 %9.0f ns   p99 %9.0f ns   (%.0fx / %.0fx the in-process)\n",
              out_p50, out_p99, out_p50 / in_p50, out_p99 / in_p99);
  benchmark::Shutdown();
  return 0;
}
