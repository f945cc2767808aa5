// The decision path: a quote popped from the engine's inbound ring -> book update -> the sample
// strategy -> validation and pre-trade checks -> OMS -> a NewOrder pushed to the outbound ring.
// Each sample times one engine.poll() that carries exactly one such quote (TSC, ~7 ns per read).
// Baselines in the same run: the empty timed region (timer overhead) and a quote nobody trades
// on (ring pop + book update + mark). Targets (bench/README.md): p50 <= 0.5 us, p99 <= 2 us.

#include <memory>
#include <stdexcept>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/clock/clock.hpp"
#include "core/engine/engine.hpp"
#include "core/plugin/plugin_strategy.hpp"
#include "core/risk/order_size_limits.hpp"

namespace {

using namespace guiju;
using guiju::bench::tsc;

constexpr size_t kSamples = 200'000;

struct Rig {
  InstrumentRegistry registry;
  LiveClock clock;
  std::unique_ptr<ClientOrderIdAllocator> ids;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<RiskLimits> limits;
  std::unique_ptr<OrderSizeCheck> size_check;
  SpscRing<EventSlot> inbound{1024, BackPressure::kFail, "bench-in"};
  InstrumentId instrument = 0;
  uint64_t exec_id = 1;

  explicit Rig(bool with_strategy) {
    Instrument i;
    i.symbol = "600000";
    i.venue = "SSE";
    i.tick_size = *Price::parse("0.01");
    i.lot_size = Quantity::from_units(100);
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = *Price::parse("10.00");
    instrument = registry.add(i);
    ids = std::make_unique<ClientOrderIdAllocator>("B", "20261127");
    EngineOptions options;
    options.max_orders = kSamples + 16;
    engine = std::make_unique<Engine>(registry, clock, *ids, options);
    const AccountId account = engine->add_account({"bench", FeeSchedule{}});
    limits = std::make_unique<RiskLimits>(1, registry.size());
    limits->set_every_account(LimitKey::kMaxOrderQuantity, Quantity::from_units(1'000'000).raw());
    limits->set_every_account(LimitKey::kMaxOrderValue, Price::from_units(100'000'000).raw());
    size_check = std::make_unique<OrderSizeCheck>(*limits);
    engine->add_pre_trade_check(size_check.get());
    if (with_strategy) {
      // The sample plugin, through the C ABI, as every strategy now runs.
      StrategyParameters p("bench", "bench", 1);
      p.add({"lookback", "64", 1, 1});
      p.add({"entry_bps", "5", 1, 1});
      p.add({"exit_bps", "10000", 1, 1});  // never exits: every signal is an entry
      p.add({"order_lots", "1", 1, 1});
      p.add({"max_position_lots", "1000000", 1, 1});
      p.add({"order_timeout_ms", "86400000", 1, 1});
      PluginLoadOptions plugins;
      plugins.directories = {GUIJU_STRATEGY_DIR};
      engine->add_strategy(
          "bench", account, {instrument},
          std::make_unique<PluginStrategy>(PluginLibrary::open("mean_reversion.so", plugins), p));
    }
    engine->add_inbound(&inbound);
    engine->start();
  }

  void push_quote(const char* bid, const char* ask) {
    Quote q;
    q.header.event_time = clock.now();
    q.instrument = instrument;
    q.bid_price = *Price::parse(bid);
    q.ask_price = *Price::parse(ask);
    q.bid_size = Quantity::from_units(1000);
    q.ask_size = Quantity::from_units(1000);
    if (!inbound.try_emplace([&](EventSlot& s) { s.store(q); })) {
      throw std::runtime_error("bench inbound ring full");
    }
  }

  // Takes the order the strategy sent and has the venue cancel it, so the next signal sends a
  // fresh order (untimed).
  size_t retire_orders() {
    size_t n = 0;
    std::vector<OrderId> sent;
    engine->order_ring().pop_batch([&](const EventSlot& e) {
      if (e.type() == EventType::kNewOrder) sent.push_back(e.as<NewOrder>().order_id);
      ++n;
    });
    for (OrderId id : sent) {
      ExecutionReport r;
      r.header.event_time = clock.now();
      r.order_id = id;
      r.exec_id = exec_id++;
      r.instrument = instrument;
      r.exec_type = ExecType::kCanceled;
      EventSlot slot;
      slot.store(r);
      engine->process(slot);
    }
    return n;
  }
};

void BM_TimerOverhead(benchmark::State& state) {
  guiju::bench::measure_timer_overhead(state, kSamples);
}

void BM_QuoteNoStrategy(benchmark::State& state) {
  std::vector<uint64_t> samples;
  samples.reserve(kSamples);
  for (auto _ : state) {
    Rig rig(false);
    for (size_t i = 0; i < kSamples; ++i) {
      rig.push_quote(i % 2 ? "9.90" : "10.00", i % 2 ? "9.91" : "10.01");
      const uint64_t t0 = tsc();
      rig.engine->poll();
      samples.push_back(tsc() - t0);
    }
  }
  guiju::bench::report_percentiles(state, samples);
}

void BM_QuoteToOrder(benchmark::State& state) {
  std::vector<uint64_t> samples;
  samples.reserve(kSamples);
  size_t missing_orders = 0;
  for (auto _ : state) {
    Rig rig(true);
    for (int i = 0; i < 128; ++i) {  // warm the strategy's average up at the normal price
      rig.push_quote("10.00", "10.01");
      rig.engine->poll();
    }
    for (size_t i = 0; i < kSamples; ++i) {
      rig.push_quote("9.90", "9.91");  // ~1% under the average: an entry signal
      const uint64_t t0 = tsc();
      rig.engine->poll();
      const uint64_t t1 = tsc();
      samples.push_back(t1 - t0);
      if (rig.retire_orders() != 1) ++missing_orders;
      rig.push_quote("10.00", "10.01");  // back to normal (untimed)
      rig.engine->poll();
      rig.retire_orders();
    }
  }
  if (missing_orders != 0) state.SkipWithError("a timed quote did not produce exactly one order");
  guiju::bench::report_percentiles(state, samples);
}

constexpr int kRepetitions = 5;
BENCHMARK(BM_TimerOverhead)->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_QuoteNoStrategy)->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_QuoteToOrder)->Iterations(1)->Repetitions(kRepetitions);

}  // namespace

int main(int argc, char** argv) {
  guiju::bench::CollectingReporter reporter;
  if (!guiju::bench::run_pinned(&argc, argv, reporter)) return 1;

  using guiju::bench::print_target;
  const double p50 = reporter.get("BM_QuoteToOrder", "p50_ns");
  const double p99 = reporter.get("BM_QuoteToOrder", "p99_ns");
  std::printf("\nDecision path (medians of %d repetitions, same run):\n", kRepetitions);
  std::printf("  timer overhead p50 %.1f ns; quote without strategy p50 %.1f ns p99 %.1f ns\n",
              reporter.get("BM_TimerOverhead", "p50_ns"),
              reporter.get("BM_QuoteNoStrategy", "p50_ns"),
              reporter.get("BM_QuoteNoStrategy", "p99_ns"));
  std::printf("  quote -> order p50 %.1f ns, p99 %.1f ns, p99.9 %.1f ns\n", p50, p99,
              reporter.get("BM_QuoteToOrder", "p999_ns"));
  print_target("quote -> order p50", p50, 500, false, "ns");
  print_target("quote -> order p99", p99, 2000, false, "ns");
  benchmark::Shutdown();
  return 0;
}
