// Replay throughput: how many market events a second one thread replays through the whole
// engine: the source, the simulated venue's queue-position fill model, the engine (books, OMS,
// portfolio, pre-trade check) and the sample market maker plugin through the C ABI.
//
//   replay_throughput_bench [--events N] [--file PATH] [--repetitions R] [--sse ZIP]
//                           [--volatility-ticks V]
//
// 1. A synthetic file of N (default 50 M) top-of-book quotes and trades of one instrument is
//    written once (the codec's bytes, back to back; V, default 2, is the mid's move per update in
//    ticks, which sets how often the market maker requotes) and then read through mmap: the first
//    baseline, "source only", decodes every event and does nothing else.
// 2. The replay: the same file through SimulatedSession with the market maker.
// Each is run R times, interleaved; the figures are the median run and the percentiles of the
// throughput of 1 M-event chunks over all runs. The SSE Level-2 day (the largest real file in the
// data directory), when given, is replayed the same way with the market maker on 600519.
//
// Targets (issue 5): >= 5 M events/s on one thread with the market maker on the synthetic file.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/replay/sse_level2.hpp"
#include "adapters/replay/sse_level2_source.hpp"
#include "adapters/replay/synthetic_market.hpp"
#include "adapters/sim/simulated_session.hpp"
#include "adapters/sim/simulated_venue.hpp"
#include "core/events/codec.hpp"
#include "core/plugin/plugin_strategy.hpp"
#include "core/risk/order_size_limits.hpp"

namespace guiju {
namespace {

namespace fs = std::filesystem;
using WallClock = std::chrono::steady_clock;

constexpr uint64_t kChunk = 1'000'000;

InstrumentRegistry make_registry() {
  InstrumentRegistry r;
  auto add = [&](const char* symbol, const char* venue, const char* close) {
    Instrument i;
    i.symbol = symbol;
    i.venue = venue;
    i.tick_size = *Price::parse("0.01");
    i.lot_size = Quantity::from_units(100);
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = *Price::parse(close);
    r.add(i);
  };
  add("000001", "SZSE", "11.20");
  add("600519", "SSE", "1845.76");
  return r;
}

// Writes N quotes and trades of 000001 from the seeded generator (its book snapshots are left
// out: a top-of-book file, as most vendors ship).
void write_synthetic_file(const fs::path& path, uint64_t events, double volatility_ticks,
                          const InstrumentRegistry& all) {
  InstrumentRegistry one;
  one.add(all.get(0));
  SyntheticMarketOptions o;
  o.seed = 20261127;
  o.quotes_per_second = 400;
  o.trade_probability = 0.35;
  o.mean_reversion = 0.01;
  o.volatility_ticks = volatility_ticks;
  o.session_seconds = 14400 * 40;  // far more than needed; the file stops at N events
  o.trading_date = "20261127";
  SyntheticMarket market(one, o);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::vector<char> buffer;
  buffer.reserve(1 << 22);
  EventSlot e;
  uint64_t written = 0;
  while (written < events && market.next(e)) {
    if (e.type() == EventType::kBookUpdate) continue;
    const size_t n = e.header().size;
    const size_t at = buffer.size();
    buffer.resize(at + n);
    std::memcpy(buffer.data() + at, e.bytes, n);
    ++written;
    if (buffer.size() > (1u << 22) - 512) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  if (!buffer.empty()) out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (!out || written < events) throw std::runtime_error("cannot write " + path.string());
}

// The file, mapped; events decoded one at a time.
class MappedEventFile final : public MarketDataSource {
 public:
  explicit MappedEventFile(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot open " + path.string());
    struct stat st {};
    ::fstat(fd, &st);
    size_ = static_cast<size_t>(st.st_size);
    data_ = static_cast<const std::byte*>(::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0));
    ::close(fd);
    if (data_ == MAP_FAILED) throw std::runtime_error("cannot map " + path.string());
    ::madvise(const_cast<std::byte*>(data_), size_, MADV_SEQUENTIAL);
  }
  ~MappedEventFile() override { ::munmap(const_cast<std::byte*>(data_), size_); }
  MappedEventFile(const MappedEventFile&) = delete;
  MappedEventFile& operator=(const MappedEventFile&) = delete;

  bool next(EventSlot& out) override {
    if (at_ >= size_) return false;
    // The header's size field (bytes 4..7) says where this event ends.
    uint32_t n = 0;
    std::memcpy(&n, data_ + at_ + offsetof(EventHeader, size), sizeof n);
    if (n > size_ - at_ || !decode(std::span(data_ + at_, n), out).ok()) {
      throw std::runtime_error("bad event in the benchmark file");
    }
    at_ += n;
    return true;
  }
  double progress() const override { return static_cast<double>(at_) / static_cast<double>(size_); }
  void rewind() { at_ = 0; }

 private:
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
  size_t at_ = 0;
};

// Chunk throughputs (events/s) of one run, and the run's overall rate.
struct RunFigures {
  double events_per_second = 0;
  uint64_t events = 0;
  uint64_t orders = 0;
  uint64_t fills = 0;
  std::vector<double> chunks;
};

// Times chunks of kChunk events as they pass.
class ChunkTimer final : public MarketDataSource {
 public:
  ChunkTimer(MarketDataSource& inner, RunFigures& f) : inner_(inner), f_(f) {}
  bool next(EventSlot& out) override {
    if (++n_ % kChunk == 0) {
      const auto now = WallClock::now();
      f_.chunks.push_back(static_cast<double>(kChunk) /
                          std::chrono::duration<double>(now - last_).count());
      last_ = now;
    }
    return inner_.next(out);
  }

 private:
  MarketDataSource& inner_;
  RunFigures& f_;
  uint64_t n_ = 0;
  WallClock::time_point last_ = WallClock::now();
};

RunFigures source_only(MarketDataSource& source) {
  RunFigures f;
  ChunkTimer timed(source, f);
  EventSlot e;
  int64_t sum = 0;
  const auto t0 = WallClock::now();
  while (timed.next(e)) {
    sum += e.header().event_time;
    ++f.events;
  }
  f.events_per_second =
      static_cast<double>(f.events) / std::chrono::duration<double>(WallClock::now() - t0).count();
  if (sum == 42) std::puts("");  // keeps the loop
  return f;
}

RunFigures replay_with_market_maker(MarketDataSource& source, const InstrumentRegistry& registry,
                                    InstrumentId instrument, const fs::path& strategy_dir,
                                    size_t max_orders) {
  RunFigures f;
  SimulatedClock clock;
  ClientOrderIdAllocator ids("B", "20261127");
  EngineOptions options;
  options.max_orders = max_orders;
  options.journal_market_data = false;
  Engine engine(registry, clock, ids, options);
  const AccountId account = engine.add_account({"bench", FeeSchedule{}});
  RiskLimits limits(1, registry.size());
  limits.set_every_account(LimitKey::kMaxOrderQuantity, Quantity::from_units(1'000'000).raw());
  limits.set_every_account(LimitKey::kMaxOrderValue, Price::from_units(1'000'000'000).raw());
  OrderSizeCheck size_check(limits);
  engine.add_pre_trade_check(&size_check);
  StrategyParameters p("market-maker", "bench", 1);
  p.add({"half_spread_ticks", "2", 1, 1});
  p.add({"order_lots", "2", 1, 1});
  p.add({"max_inventory_lots", "20", 1, 1});
  p.add({"skew_ticks_per_lot", "0.25", 1, 1});
  p.add({"requote_ticks", "2", 1, 1});
  PluginLoadOptions plugins;
  plugins.directories = {strategy_dir};
  engine.add_strategy(
      "market-maker", account, {instrument},
      std::make_unique<PluginStrategy>(PluginLibrary::open("market_maker.so", plugins), p));
  SpscRing<EventSlot> reports(1 << 16, BackPressure::kFail, "venue-reports");
  VenueOptions vo;
  vo.fill_model = FillModel::kQueue;
  SimulatedVenue venue(registry, reports, vo);
  SimulatedSession session(engine, clock, venue, reports);
  ChunkTimer timed(source, f);
  const auto t0 = WallClock::now();
  const ReplayStats stats = session.run(timed);
  const double seconds = std::chrono::duration<double>(WallClock::now() - t0).count();
  f.events = engine.counters().total_events_in();
  f.events_per_second = static_cast<double>(stats.market_events) / seconds;
  f.orders = engine.counters().orders_sent + engine.counters().replaces_sent;
  f.fills = engine.counters().fills;
  return f;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

void report(const char* name, const std::vector<RunFigures>& runs) {
  std::vector<double> rates;
  std::vector<double> chunks;
  for (const RunFigures& r : runs) {
    rates.push_back(r.events_per_second);
    chunks.insert(chunks.end(), r.chunks.begin(), r.chunks.end());
  }
  const RunFigures& last = runs.back();
  std::printf("%-34s median %7.2f M events/s over %zu runs; ", name, percentile(rates, 0.5) / 1e6,
              runs.size());
  if (chunks.empty()) {
    std::printf("(under 1 M events: no chunk figures); ");
  } else {
    std::printf("1M-event chunks p50 %6.2f, p1 (slowest) %6.2f, p99 %6.2f M/s; ",
                percentile(chunks, 0.5) / 1e6, percentile(chunks, 0.01) / 1e6,
                percentile(chunks, 0.99) / 1e6);
  }
  std::printf("%llu market events, %llu orders+replaces, %llu fills\n",
              static_cast<unsigned long long>(last.events),
              static_cast<unsigned long long>(last.orders),
              static_cast<unsigned long long>(last.fills));
}

}  // namespace
}  // namespace guiju

int main(int argc, char** argv) {
  using namespace guiju;
  uint64_t events = 50'000'000;
  fs::path file = fs::temp_directory_path() / "guiju-replay-bench.events";
  fs::path sse_zip;
  int repetitions = 3;
  double volatility_ticks = 2.0;  // the demo's: a busy market, the mid moves ~2 ticks an update
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--events") events = std::stoull(argv[i + 1]);
    if (a == "--file") file = argv[i + 1];
    if (a == "--repetitions") repetitions = std::stoi(argv[i + 1]);
    if (a == "--sse") sse_zip = argv[i + 1];
    if (a == "--volatility-ticks") volatility_ticks = std::stod(argv[i + 1]);
  }
  const InstrumentRegistry registry = make_registry();
  if (!fs::exists(file)) {
    std::printf("writing %llu synthetic events to %s ...\n",
                static_cast<unsigned long long>(events), file.c_str());
    const auto t0 = WallClock::now();
    write_synthetic_file(file, events, volatility_ticks, registry);
    std::printf("  %.1f s, %.2f GB\n", std::chrono::duration<double>(WallClock::now() - t0).count(),
                static_cast<double>(fs::file_size(file)) / 1e9);
  }
  const auto max_orders = static_cast<size_t>(events / 4 + 100'000);
  std::vector<RunFigures> baseline;
  std::vector<RunFigures> replay;
  for (int r = 0; r < repetitions; ++r) {
    MappedEventFile a(file);
    baseline.push_back(source_only(a));
    MappedEventFile b(file);
    replay.push_back(replay_with_market_maker(b, registry, 0, GUIJU_STRATEGY_DIR, max_orders));
  }
  std::printf("\nsynthetic file, %.2f GB, one thread\n",
              static_cast<double>(fs::file_size(file)) / 1e9);
  report("source only (baseline)", baseline);
  report("replay with market maker", replay);
  std::sort(replay.begin(), replay.end(), [](const RunFigures& x, const RunFigures& y) {
    return x.events_per_second < y.events_per_second;
  });
  const double median = replay[replay.size() / 2].events_per_second;
  std::printf("target >= 5 M events/s: %s (%.2fx the target)\n", median >= 5e6 ? "MET" : "MISSED",
              median / 5e6);

  if (!sse_zip.empty()) {
    std::vector<RunFigures> sse_runs;
    std::vector<RunFigures> sse_base;
    for (int r = 0; r < repetitions; ++r) {
      const auto t0 = WallClock::now();
      sse::Level2Day day = sse::load_level2_day(sse_zip, "20230201");
      const double load = std::chrono::duration<double>(WallClock::now() - t0).count();
      sse::Level2Source base(day, "20230201", 1);
      sse_base.push_back(source_only(base));
      sse::Level2Source source(std::move(day), "20230201", 1);
      sse_runs.push_back(
          replay_with_market_maker(source, registry, 1, GUIJU_STRATEGY_DIR, 1 << 20));
      std::printf("  SSE day load %.3f s\n", load);
    }
    std::printf("\nSSE Level-2 600519 2023-02-01 (%s), book rebuilt from orders and trades\n",
                sse_zip.c_str());
    report("source only (rebuild, baseline)", sse_base);
    report("replay with market maker", sse_runs);
  }
  return 0;
}
