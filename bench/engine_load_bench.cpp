// The engine under load: synthetic market data paced at --rate events a second (500,000 by
// default) into the engine as `guiju run` assembles it in paper mode (the config's strategies as
// plugins, its pre-trade checks, the audit journal on disk, the simulated venue filling orders),
// for --seconds (60). Before it, the same assembly unpaced for --max-seconds (5), journal on and
// off: the most it takes, so that headroom = max / offered. It prints the offered and consumed
// rates, ring overflows, ring depths, the journal's lag, decision latency, CPU per thread, the
// journal's bytes a second, and PASS or MISS per target. bench/README.md has the figures.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "adapters/replay/synthetic_market.hpp"
#include "adapters/sim/paper_session.hpp"
#include "adapters/sim/simulated_venue.hpp"
#include "apps/guiju/engine_assembly.hpp"
#include "apps/guiju/thread_setup.hpp"
#include "bench/bench_support.hpp"
#include "bench/bench_temp_dir.hpp"
#include "core/clock/clock.hpp"
#include "core/config/config_loader.hpp"
#include "core/engine/engine.hpp"
#include "core/journal/journal_service.hpp"
#include "core/logging/log.hpp"
#include "core/metrics/engine_metrics.hpp"

namespace guiju {
namespace {

namespace fs = std::filesystem;

struct Options {
  double rate = 500'000;  // events a second offered in the paced run
  double seconds = 60;
  double max_seconds = 5;  // each unpaced run; 0: none
  std::string config = GUIJU_SOURCE_DIR "/configs/demo.yaml";
  std::string durability;  // empty: the config's
  std::string series;      // the paced run's per-second figures as CSV; empty: none
  // true: PaperSession paces the events itself (it spins between events closer than 200 µs);
  // false: the source paces them in steps, and the feeder sleeps between steps.
  bool feeder_paces = false;
  bool keep_temp = false;
  bool check = false;  // exit 1 when a target is missed (the CTest smoke run)
};

// How far apart the source's steps are: the feeder sleeps until the next step is due, then
// publishes what is due back to back; an event goes out at most about this much late (plus the
// wake-up).
constexpr Duration kPacingStep = 50 * kMicrosecond;

// ---------------------------------------------------------------------------------------------
// The market data

// The config's synthetic market (trades, 10-level books and quotes for each instrument around its
// previous close), re-timed: event i is due at start + i / rate, so that exactly `rate` events a
// second are offered. Either PaperSession's feeder paces the event times to the wall clock, or
// (`paces`) next() holds each event back until it is due, sleeping a step at a time. Rate 0: each
// event is stamped when taken (the unpaced runs). Each time the feeder comes back for an event it
// also notes how far behind schedule it is: what it spent waiting on a full ring, or off the CPU.
class PacedMarket final : public MarketDataSource {
 public:
  PacedMarket(const InstrumentRegistry& registry, SyntheticMarketOptions options, double rate,
              bool paces)
      : market_(registry, widened(std::move(options), rate)), rate_(rate), paces_(paces) {}

  bool next(EventSlot& out) override {
    if (!market_.next(out)) return false;
    Timestamp now = utc_now();
    const uint64_t i = taken_.load(std::memory_order_relaxed);
    if (i == 0) start_.store(now, std::memory_order_relaxed);
    Timestamp t = now;
    if (rate_ > 0) {
      if (paces_ && now < due(i)) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(due(i) - now + kPacingStep));
        now = utc_now();
      }
      if (i != 0) {
        const Duration behind = now - due(i - 1);
        max_behind_ = std::max(max_behind_, behind);
        if (behind > kMillisecond) ++late_;
      }
      t = due(i);
    }
    out.header().event_time = t;
    out.header().receive_time = t;
    taken_.store(i + 1, std::memory_order_release);
    return true;
  }

  // Any thread.
  uint64_t taken() const { return taken_.load(std::memory_order_acquire); }
  Timestamp start() const { return start_.load(std::memory_order_relaxed); }
  // After the feeder has finished.
  Duration max_behind() const { return max_behind_; }
  uint64_t late() const { return late_; }

 private:
  // Updates come often enough in synthetic time that the session never ends within a run (the
  // mid's process is per update, so the market looks the same).
  static SyntheticMarketOptions widened(SyntheticMarketOptions o, double rate) {
    o.quotes_per_second = std::max(o.quotes_per_second, rate > 0 ? rate : 1e6);
    return o;
  }
  Timestamp due(uint64_t i) const {
    return start_.load(std::memory_order_relaxed) +
           static_cast<Timestamp>(static_cast<double>(i) * 1e9 / rate_);
  }

  SyntheticMarket market_;
  double rate_;
  bool paces_;
  std::atomic<uint64_t> taken_{0};
  std::atomic<Timestamp> start_{0};
  Duration max_behind_ = 0;
  uint64_t late_ = 0;  // times more than 1 ms behind
};

// ---------------------------------------------------------------------------------------------
// Sampling, every millisecond, on a thread of its own

// The engine's side comes from its metrics snapshot (published every millisecond from its loop,
// as /metrics gets it every 100 ms), so that the journal's queued and durable sequences are read
// at one instant; the rings' depths are read directly.
struct Sample {
  Timestamp at = 0;            // wall clock
  Timestamp published_at = 0;  // the snapshot's
  uint64_t offered = 0;        // events the feeder has taken from the source
  uint64_t consumed = 0;       // market-data events the engine has processed
  uint64_t queued = 0;         // journal records the engine has queued
  uint64_t durable = 0;        // the journal's durable sequence
};

struct ThreadTime {
  std::string name;
  uint64_t run_ns = 0;   // on a CPU
  uint64_t wait_ns = 0;  // runnable, waiting for a CPU
};

// Every thread of this process: /proc/self/task/*/{comm,schedstat}.
std::map<pid_t, ThreadTime> thread_times() {
  std::map<pid_t, ThreadTime> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/self/task", ec)) {
    ThreadTime t;
    std::ifstream comm(entry.path() / "comm");
    std::getline(comm, t.name);
    std::ifstream stat(entry.path() / "schedstat");
    if (!(stat >> t.run_ns >> t.wait_ns)) continue;
    out[static_cast<pid_t>(std::stol(entry.path().filename().string()))] = t;
  }
  return out;
}

class Sampler {
 public:
  Sampler(const Engine& engine, const EngineMetrics& metrics, const PacedMarket& market,
          double seconds)
      : engine_(engine),
        metrics_(metrics),
        market_(market),
        duration_(static_cast<Duration>(seconds * 1e9)) {
    samples_.reserve(static_cast<size_t>((seconds + 5) * 1000));
    depth_max_.assign(engine.inbound_rings().size() + 1, 0);
    thread_ = std::thread([this] { run(); });
  }
  ~Sampler() { finish(); }
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  void finish() {
    done_.store(true, std::memory_order_release);
    if (thread_.joinable()) thread_.join();
  }

  const std::vector<Sample>& samples() const { return samples_; }
  // The engine's inbound rings in its order, then its order ring: the deepest each was seen.
  const std::vector<uint64_t>& depth_max() const { return depth_max_; }
  // CPU per thread between the first and the last whole second of the run.
  const std::map<pid_t, ThreadTime>& threads_first() const { return threads_first_; }
  const std::map<pid_t, ThreadTime>& threads_last() const { return threads_last_; }
  double threads_seconds() const { return static_cast<double>(threads_span_) / 1e9; }

 private:
  void run() {
    pthread_setname_np(pthread_self(), "load-sampler");
    auto next = std::chrono::steady_clock::now();
    Timestamp next_threads = 0;
    Timestamp threads_from = 0;
    while (!done_.load(std::memory_order_acquire)) {
      next += std::chrono::milliseconds(1);
      std::this_thread::sleep_until(next);
      Sample s;
      s.offered = market_.taken();
      const MetricsSnapshot snap = metrics_.publisher().read();
      s.at = utc_now();
      s.published_at = static_cast<Timestamp>(snap.published_at_ns);
      s.consumed = snap.events_by_type[static_cast<size_t>(EventType::kQuote)] +
                   snap.events_by_type[static_cast<size_t>(EventType::kBookUpdate)] +
                   snap.events_by_type[static_cast<size_t>(EventType::kTrade)];
      s.queued = snap.journal_queued;
      s.durable = snap.journal_durable;
      if (samples_.size() < samples_.capacity()) samples_.push_back(s);
      const auto& rings = engine_.inbound_rings();
      for (size_t i = 0; i < rings.size(); ++i) {
        depth_max_[i] = std::max<uint64_t>(depth_max_[i], rings[i]->size());
      }
      depth_max_.back() = std::max<uint64_t>(depth_max_.back(), engine_.order_ring().size());
      // Threads once a second, from the first second on, while the feeder exists.
      const Timestamp start = market_.start();
      if (start != 0 && s.at >= start + kSecond && s.at >= next_threads &&
          s.at < start + duration_ - kSecond / 4) {
        next_threads = s.at + kSecond;
        if (threads_first_.empty()) {
          threads_first_ = thread_times();
          threads_from = s.at;
        } else {
          threads_last_ = thread_times();
          threads_span_ = s.at - threads_from;
        }
      }
    }
  }

  const Engine& engine_;
  const EngineMetrics& metrics_;
  const PacedMarket& market_;
  const Duration duration_;
  std::vector<Sample> samples_;
  std::vector<uint64_t> depth_max_;
  std::map<pid_t, ThreadTime> threads_first_;
  std::map<pid_t, ThreadTime> threads_last_;
  Duration threads_span_ = 0;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// ---------------------------------------------------------------------------------------------
// One run: the engine assembled from the config, fed for a while, measured

struct PhaseSpec {
  std::string name;
  double rate = 0;  // 0: unpaced
  double seconds = 0;
  bool journal = true;
  bool feeder_paces = false;  // Options::feeder_paces
};

struct ThreadFigure {
  std::string name;
  double cpu = 0;   // fraction of one CPU
  double wait = 0;  // fraction of the time runnable but waiting for a CPU
};

struct PhaseResult {
  PhaseSpec spec;
  std::string failure;  // an exception out of the session; empty when none
  double wall_seconds = 0;
  double load_before = 0;
  double load_after = 0;
  uint64_t offered = 0;
  uint64_t consumed = 0;
  std::vector<double> offered_per_second;
  std::vector<double> consumed_per_second;
  uint64_t feeder_waits = 0;  // pushes that found a ring full (PaperSession's two rings)
  Duration max_behind = 0;
  uint64_t late = 0;
  std::vector<std::pair<std::string, uint64_t>> ring_depth_max;  // name, deepest seen
  std::vector<std::pair<std::string, uint64_t>> ring_capacity;
  uint64_t ring_full_rejects = 0;  // orders refused: the order ring was full
  Duration longest_publish_gap = 0;
  // The journal's lag (records queued minus durable), over the samples.
  bool journal = false;
  double lag_p50 = 0, lag_p99 = 0, lag_max = 0;
  double lag_ms_p50 = 0, lag_ms_p99 = 0, lag_ms_max = 0;
  // The first and the last 10 s (a third of a shorter run): the largest lag, and the median.
  double lag_first_window_max = 0, lag_last_window_max = 0;
  double lag_first_window_p50 = 0, lag_last_window_p50 = 0;
  std::vector<double> lag_max_per_second;
  double window_seconds = 0;
  uint64_t journal_records = 0;
  uint64_t journal_bytes = 0;
  uint64_t audit_ring_capacity = 0;
  uint64_t journal_full_waits = 0;  // the engine found the audit ring full and waited
  std::string journal_failure;
  EngineCounters counters;
  std::vector<std::pair<std::string, StrategyStats>> strategies;
  LatencyHistogram decision;
  double engine_cpu_seconds = 0;
  std::vector<ThreadFigure> threads;
  double threads_seconds = 0;
};

double load_average() {
  double one = -1;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &one) != 1) one = -1;
    std::fclose(f);
  }
  return one;
}

uint64_t directory_bytes(const fs::path& dir) {
  uint64_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  }
  return n;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// The value of a step series (time, value; times ascending) at t: the last value at or before it.
uint64_t value_at(const std::vector<std::pair<Timestamp, uint64_t>>& series, Timestamp t) {
  const auto it = std::upper_bound(series.begin(), series.end(), t,
                                   [](Timestamp x, const auto& p) { return x < p.first; });
  return it == series.begin() ? 0 : std::prev(it)->second;
}

std::vector<double> per_second(const std::vector<std::pair<Timestamp, uint64_t>>& series,
                               Timestamp start, double seconds) {
  std::vector<double> out;
  for (int k = 0; k + 1 <= static_cast<int>(seconds); ++k) {
    const Timestamp a = start + k * kSecond;
    out.push_back(static_cast<double>(value_at(series, a + kSecond) - value_at(series, a)));
  }
  return out;
}

// The journal's figures from the snapshots taken during the run (each snapshot once).
void journal_lag(const std::vector<Sample>& samples, Timestamp start, double seconds,
                 PhaseResult& r) {
  std::vector<const Sample*> s;
  const Timestamp end = start + static_cast<Timestamp>(seconds * 1e9);
  for (const Sample& x : samples) {
    if (x.published_at < start || x.published_at > end) continue;
    if (!s.empty() && s.back()->published_at == x.published_at) continue;
    s.push_back(&x);
  }
  if (s.empty()) return;
  std::vector<double> records;
  std::vector<double> ms;
  std::vector<double> first_window;
  std::vector<double> last_window;
  r.window_seconds = std::min(10.0, seconds / 3);
  r.lag_max_per_second.assign(static_cast<size_t>(seconds) + 1, 0.0);
  const auto window = static_cast<Timestamp>(r.window_seconds * 1e9);
  size_t j = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto lag = static_cast<double>(s[i]->queued - s[i]->durable);
    records.push_back(lag);
    double& second =
        r.lag_max_per_second[static_cast<size_t>((s[i]->published_at - start) / kSecond)];
    second = std::max(second, lag);
    if (s[i]->published_at < start + window) first_window.push_back(lag);
    if (s[i]->published_at >= end - window) last_window.push_back(lag);
    // In time: until the first snapshot at which what was queued at this one is durable.
    j = std::max(j, i);
    while (j < s.size() && s[j]->durable < s[i]->queued) ++j;
    const Timestamp until = j < s.size() ? s[j]->published_at : s.back()->published_at;
    ms.push_back(static_cast<double>(until - s[i]->published_at) / 1e6);
  }
  r.lag_first_window_max = quantile(first_window, 1.0);
  r.lag_last_window_max = quantile(last_window, 1.0);
  r.lag_first_window_p50 = quantile(first_window, 0.5);
  r.lag_last_window_p50 = quantile(last_window, 0.5);
  r.lag_p50 = quantile(records, 0.50);
  r.lag_p99 = quantile(records, 0.99);
  r.lag_max = *std::max_element(records.begin(), records.end());
  r.lag_ms_p50 = quantile(ms, 0.50);
  r.lag_ms_p99 = quantile(ms, 0.99);
  r.lag_ms_max = *std::max_element(ms.begin(), ms.end());
}

PhaseResult run_phase(const EngineConfig& base, const PhaseSpec& spec, const fs::path& dir) {
  PhaseResult r;
  r.spec = spec;
  EngineConfig config = base;
  config.mode = RunMode::kPaper;
  config.audit.enabled = spec.journal;
  config.audit.directory = (dir / (spec.name + "-journal")).string();
  config.engine.state_dir = (dir / (spec.name + "-state")).string();

  // As run_command assembles a paper session (apps/guiju/run_command.cpp).
  const InstrumentRegistry registry = build_registry(config);
  LiveClock clock;
  ClientOrderIdAllocator ids = ClientOrderIdAllocator::open_persistent(
      fs::path(config.engine.state_dir) / "client_order_ids", config.engine.client_order_id_prefix,
      config.trading_date);
  Engine engine(registry, clock, ids, engine_options(config));
  add_accounts_and_strategies(engine, config, registry);
  const RiskChecks risk(engine, config);
  const NewThreads journal_threads;
  std::unique_ptr<journal::JournalService> audit = open_audit_journal(config);
  journal_threads.place("guiju-journal", "journal", config.threads.journal);
  if (audit) engine.set_journal(audit.get());
  // The metrics /metrics serves, published every millisecond instead of every 100 ms, with the
  // journal's figures as MetricsEndpoint collects them.
  EngineMetrics metrics(kMillisecond);
  if (audit) {
    metrics.add_collector([&audit](MetricsSnapshot& s) {
      s.journal_enabled = 1;
      s.journal_healthy = audit->healthy() ? 1 : 0;
      s.journal_queued = audit->queued();
      s.journal_durable = audit->durable_sequence();
    });
  }
  engine.set_metrics(&metrics);
  SpscRing<EventSlot> reports(config.engine.inbound_ring_capacity, BackPressure::kFail,
                              "venue-reports");
  SimulatedVenue venue(registry, reports, venue_options(config, registry));
  engine.add_inbound(&reports);
  PaperOptions paper;
  paper.speed = 1.0;
  paper.duration = static_cast<Duration>(spec.seconds * 1e9);
  paper.ring_capacity = config.engine.inbound_ring_capacity;
  paper.pace = spec.rate > 0 && spec.feeder_paces;
  paper.on_started = [&config] { place_engine_thread(config); };
  PaperSession session(engine, venue, reports, paper);
  PacedMarket market(registry, synthetic_options(config), spec.rate, !spec.feeder_paces);

  r.load_before = load_average();
  std::atomic<bool> stop{false};
  PaperStats stats;
  const auto wall_start = std::chrono::steady_clock::now();
  {
    Sampler sampler(engine, metrics, market, spec.seconds);
    std::thread engine_thread([&] {
      const double cpu0 = thread_cpu_seconds();
      try {
        stats = session.run(market, stop);
      } catch (const std::exception& e) {
        r.failure = e.what();
      }
      r.engine_cpu_seconds = thread_cpu_seconds() - cpu0;
    });
    engine_thread.join();
    sampler.finish();
    r.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    r.load_after = load_average();

    const Timestamp start = market.start();
    std::vector<std::pair<Timestamp, uint64_t>> offered;
    std::vector<std::pair<Timestamp, uint64_t>> consumed;
    Timestamp last_published = 0;
    for (const Sample& s : sampler.samples()) {
      offered.emplace_back(s.at, s.offered);
      if (s.published_at == 0 || s.published_at == last_published) continue;
      if (last_published != 0 && s.published_at > start &&
          s.published_at < start + paper.duration) {
        r.longest_publish_gap = std::max(r.longest_publish_gap, s.published_at - last_published);
      }
      last_published = s.published_at;
      consumed.emplace_back(s.published_at, s.consumed);
    }
    r.offered_per_second = per_second(offered, start, spec.seconds);
    r.consumed_per_second = per_second(consumed, start, spec.seconds);
    if (audit) journal_lag(sampler.samples(), start, spec.seconds, r);
    for (size_t i = 0; i < engine.inbound_rings().size(); ++i) {
      const EventRing& ring = *engine.inbound_rings()[i];
      r.ring_depth_max.emplace_back(ring.name(), sampler.depth_max()[i]);
      r.ring_capacity.emplace_back(ring.name(), ring.capacity());
    }
    r.ring_depth_max.emplace_back(engine.order_ring().name(), sampler.depth_max().back());
    r.ring_capacity.emplace_back(engine.order_ring().name(), engine.order_ring().capacity());
    r.threads_seconds = sampler.threads_seconds();
    for (const auto& [tid, last] : sampler.threads_last()) {
      const auto first = sampler.threads_first().find(tid);
      if (first == sampler.threads_first().end() || r.threads_seconds <= 0) continue;
      r.threads.push_back(
          {last.name,
           static_cast<double>(last.run_ns - first->second.run_ns) / 1e9 / r.threads_seconds,
           static_cast<double>(last.wait_ns - first->second.wait_ns) / 1e9 / r.threads_seconds});
    }
  }
  if (audit) {
    audit->stop();
    r.journal = true;
    r.journal_records = audit->durable_sequence();
    r.journal_failure = audit->failure();
    r.journal_bytes = directory_bytes(config.audit.directory);
    r.audit_ring_capacity = config.audit.ring_capacity;
    r.journal_full_waits = audit->full_waits();
  }
  r.offered = stats.market_events;
  r.consumed = engine.counters().events_in[static_cast<size_t>(EventType::kQuote)] +
               engine.counters().events_in[static_cast<size_t>(EventType::kBookUpdate)] +
               engine.counters().events_in[static_cast<size_t>(EventType::kTrade)];
  r.feeder_waits = stats.feeder_waits;
  r.max_behind = market.max_behind();
  r.late = market.late();
  r.counters = engine.counters();
  for (size_t i = 0; i < engine.strategy_count(); ++i) {
    const auto id = static_cast<StrategyId>(i);
    r.strategies.emplace_back(engine.strategy_name(id), engine.strategy_stats(id));
  }
  r.ring_full_rejects = engine.counters().ring_full_rejects;
  r.decision = metrics.decision_latency;
  engine.set_metrics(nullptr);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Reporting

// The bucket bound at or below which a fraction q of the observations lie, in ns; -1: none.
double histogram_quantile(const LatencyHistogram& h, double q) {
  if (h.count == 0) return -1;
  const auto target = static_cast<uint64_t>(std::ceil(q * static_cast<double>(h.count)));
  uint64_t seen = 0;
  for (size_t b = 0; b < LatencyHistogram::kBuckets; ++b) {
    seen += h.counts[b];
    if (seen >= target) {
      return b < LatencyHistogram::kBoundsNs.size()
                 ? static_cast<double>(LatencyHistogram::kBoundsNs[b])
                 : INFINITY;
    }
  }
  return INFINITY;
}

double median_of(const std::vector<double>& v) {
  return quantile(v, 0.5);
}
double min_of(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

void print_phase(const PhaseResult& r) {
  const double secs = r.spec.seconds;
  std::printf(
      "\n== %s: %s, journal %s, %.0f s (wall %.1f s; load average %.2f -> %.2f)\n",
      r.spec.name.c_str(),
      r.spec.rate > 0
          ? ("paced at " + std::to_string(static_cast<long>(r.spec.rate)) + " events/s by the " +
             (r.spec.feeder_paces ? "feeder (spinning)" : "source (50 us steps)"))
                .c_str()
          : "unpaced",
      r.spec.journal ? "on" : "off", secs, r.wall_seconds, r.load_before, r.load_after);
  if (!r.failure.empty()) std::printf("  FAILED: %s\n", r.failure.c_str());
  std::printf("  market events offered %llu (%.0f/s), consumed %llu (%.0f/s)\n",
              static_cast<unsigned long long>(r.offered), static_cast<double>(r.offered) / secs,
              static_cast<unsigned long long>(r.consumed), static_cast<double>(r.consumed) / secs);
  std::printf("  per second: offered min %.0f median %.0f; consumed min %.0f median %.0f\n",
              min_of(r.offered_per_second), median_of(r.offered_per_second),
              min_of(r.consumed_per_second), median_of(r.consumed_per_second));
  std::printf("  feeder: %llu pushes found a ring full",
              static_cast<unsigned long long>(r.feeder_waits));
  if (r.spec.rate > 0) {
    std::printf("; furthest behind schedule %.3f ms, %llu events taken > 1 ms behind it",
                static_cast<double>(r.max_behind) / 1e6, static_cast<unsigned long long>(r.late));
  }
  std::printf("\n  rings, deepest seen (capacity):");
  for (size_t i = 0; i < r.ring_depth_max.size(); ++i) {
    std::printf(" %s %llu (%llu)", r.ring_depth_max[i].first.c_str(),
                static_cast<unsigned long long>(r.ring_depth_max[i].second),
                static_cast<unsigned long long>(r.ring_capacity[i].second));
  }
  std::printf("; orders refused for a full order ring %llu\n",
              static_cast<unsigned long long>(r.ring_full_rejects));
  std::printf(
      "  engine: longest gap between polls (1 ms metrics publishes) %.1f ms; CPU %.1f s "
      "of %.1f s\n",
      static_cast<double>(r.longest_publish_gap) / 1e6, r.engine_cpu_seconds, r.wall_seconds);
  const EngineCounters& c = r.counters;
  uint64_t refused = 0;
  for (const uint64_t n : c.rejects_by_check) refused += n;
  std::printf(
      "  orders %llu, cancels %llu, replaces %llu, fills %llu, refused by risk %llu, "
      "venue rejects %llu, strategy errors %llu, callback overruns %llu\n",
      static_cast<unsigned long long>(c.orders_sent),
      static_cast<unsigned long long>(c.cancels_sent),
      static_cast<unsigned long long>(c.replaces_sent), static_cast<unsigned long long>(c.fills),
      static_cast<unsigned long long>(refused), static_cast<unsigned long long>(c.venue_rejects),
      static_cast<unsigned long long>(c.strategy_errors),
      static_cast<unsigned long long>(c.callback_overruns));
  std::printf("  refused by:");
  for (size_t k = 0; k < c.rejects_by_check.size(); ++k) {
    if (c.rejects_by_check[k] == 0) continue;
    std::printf(" %s %llu", std::string(to_string(static_cast<RiskCheckId>(k))).c_str(),
                static_cast<unsigned long long>(c.rejects_by_check[k]));
  }
  for (const auto& [name, stats] : r.strategies) {
    if (!stats.quarantine_reason.empty()) {
      std::printf("; %s quarantined (%s)", name.c_str(), stats.quarantine_reason.c_str());
    }
  }
  std::printf("\n");
  std::printf(
      "  decision latency (event in -> its orders out, histogram bounds): p50 <= %.0f ns, "
      "p99 <= %.0f ns, p99.9 <= %.0f ns over %llu events\n",
      histogram_quantile(r.decision, 0.5), histogram_quantile(r.decision, 0.99),
      histogram_quantile(r.decision, 0.999), static_cast<unsigned long long>(r.decision.count));
  if (r.journal) {
    std::printf("  journal: engine waited %llu times for room in its ring\n",
                static_cast<unsigned long long>(r.journal_full_waits));
    std::printf("  journal: %llu records, %.1f MB/s (%.0f records/s, %.0f bytes a record)%s%s\n",
                static_cast<unsigned long long>(r.journal_records),
                static_cast<double>(r.journal_bytes) / 1e6 / secs,
                static_cast<double>(r.journal_records) / secs,
                r.journal_records
                    ? static_cast<double>(r.journal_bytes) / static_cast<double>(r.journal_records)
                    : 0.0,
                r.journal_failure.empty() ? "" : ", FAILED: ", r.journal_failure.c_str());
    std::printf(
        "  journal lag (queued - durable), 1 ms samples: p50 %.0f, p99 %.0f, max %.0f "
        "records; p50 %.2f, p99 %.2f, max %.2f ms; first %.0f s p50 %.0f max %.0f, last "
        "%.0f s p50 %.0f max %.0f records\n",
        r.lag_p50, r.lag_p99, r.lag_max, r.lag_ms_p50, r.lag_ms_p99, r.lag_ms_max, r.window_seconds,
        r.lag_first_window_p50, r.lag_first_window_max, r.window_seconds, r.lag_last_window_p50,
        r.lag_last_window_max);
  }
  std::printf("  threads (CPU, waiting for a CPU; share of %.0f s):", r.threads_seconds);
  for (const ThreadFigure& t : r.threads) {
    if (t.cpu < 0.005 && t.wait < 0.005) continue;
    std::printf(" %s %.0f%% / %.0f%%;", t.name.c_str(), t.cpu * 100, t.wait * 100);
  }
  std::printf("\n");
  std::fflush(stdout);
}

// The paced run second by second: offered and consumed events, the journal's largest lag.
void write_series(const std::string& path, const PhaseResult& r) {
  std::ofstream out(path);
  out << "second,offered,consumed,journal_lag_max_records\n";
  for (size_t k = 0; k < r.offered_per_second.size(); ++k) {
    out << k << ',' << r.offered_per_second[k] << ','
        << (k < r.consumed_per_second.size() ? r.consumed_per_second[k] : 0) << ','
        << (k < r.lag_max_per_second.size() ? r.lag_max_per_second[k] : 0) << '\n';
  }
  if (!out) std::fprintf(stderr, "cannot write %s\n", path.c_str());
}

// ---------------------------------------------------------------------------------------------
// The run

bool parse_options(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto number = [&](double& value) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      value = std::strtod(argv[++i], &end);
      return end != nullptr && *end == '\0' && std::isfinite(value) && value >= 0;
    };
    bool ok = true;
    if (a == "--rate") {
      ok = number(o.rate) && o.rate >= 1;
    } else if (a == "--seconds") {
      ok = number(o.seconds) && o.seconds >= 1;
    } else if (a == "--max-seconds") {
      ok = number(o.max_seconds);
    } else if (a == "--config" && i + 1 < argc) {
      o.config = argv[++i];
    } else if (a == "--durability" && i + 1 < argc) {
      o.durability = argv[++i];
      ok = o.durability == "every_commit" || o.durability == "interval" ||
           o.durability == "os_buffered";
    } else if (a == "--series" && i + 1 < argc) {
      o.series = argv[++i];
    } else if (a == "--feeder-paces") {
      o.feeder_paces = true;
    } else if (a == "--keep-temp") {
      o.keep_temp = true;
    } else if (a == "--check") {
      o.check = true;
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr,
                   "usage: %s [--rate EVENTS_PER_S] [--seconds S] [--max-seconds S] "
                   "[--config FILE] [--durability every_commit|interval|os_buffered] "
                   "[--feeder-paces] [--series FILE.csv] [--keep-temp] [--check]\n",
                   argv[0]);
      return false;
    }
  }
  return true;
}

// The config with its plugin directories replaced by this build's strategies (the demo's are
// relative to the repository root, where `guiju run` is started).
EngineConfig load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open the config file");
  YAML::Node root = YAML::Load(in);
  YAML::Node directories(YAML::NodeType::Sequence);
  directories.push_back(GUIJU_STRATEGY_DIR);
  root["plugins"]["directories"] = directories;
  return parse_engine_config(YAML::Dump(root), path);
}

int run_bench(const Options& o) {
  EngineConfig config;
  try {
    config = load_config(o.config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "config: %s\n", e.what());
    return 2;
  }
  bench::BenchTempDir temp("guiju-loadbench", o.keep_temp);
  // The log to a file: the journal says once a second how far it is durable, which would
  // interleave with the figures.
  if (!o.durability.empty()) config.audit.durability = o.durability;
  LogOptions log_options = config.logging;
  log_options.console = false;
  log_options.directory = (temp.path() / "logs").string();
  init_logging(log_options);

  std::printf("engine load: %s (%zu instruments, %zu strategies: ", config.source_file.c_str(),
              config.instruments.size(), config.strategies.size());
  for (size_t i = 0; i < config.strategies.size(); ++i) {
    std::printf("%s%s", i ? ", " : "", config.strategies[i].plugin.c_str());
  }
  std::printf(") in paper mode; journal durability %s in %s; %u CPUs\n",
              config.audit.durability.c_str(), temp.path().c_str(),
              std::thread::hardware_concurrency());
  std::fflush(stdout);

  std::vector<PhaseResult> results;
  try {
    if (o.max_seconds > 0) {
      results.push_back(run_phase(config, {"max-journal", 0, o.max_seconds, true}, temp.path()));
      print_phase(results.back());
      results.push_back(
          run_phase(config, {"max-no-journal", 0, o.max_seconds, false}, temp.path()));
      print_phase(results.back());
    }
    results.push_back(
        run_phase(config, {"paced", o.rate, o.seconds, true, o.feeder_paces}, temp.path()));
    print_phase(results.back());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "FAILED: %s\n", e.what());
    shutdown_logging();
    return 1;
  }
  shutdown_logging();

  const PhaseResult& p = results.back();
  if (!o.series.empty()) write_series(o.series, p);
  const double offered_rate = static_cast<double>(p.offered) / o.seconds;
  std::printf(
      "\nTargets (paced run; journal lag bound: p99 under 1 s of events, the engine never waiting "
      "for the journal's writer, the last %.0f s' median within 0.1 s of events of the first %.0f "
      "s'):\n",
      p.window_seconds, p.window_seconds);
  // --check fails on what must never happen at a rate the machine keeps up with (an overflow, a
  // journal that falls behind, a failure); the rates are judged, not enforced: on a loaded CI
  // machine a feeder that is off the CPU at the deadline leaves events unsent.
  bool ok = p.failure.empty() && p.journal_failure.empty();
  // The feeder stops at the deadline: a few milliseconds behind then leaves a few events unsent.
  bench::print_target("offered, events/s over the run", offered_rate, 0.99 * o.rate, true, "/s");
  bench::print_target("consumed, events/s, median second", median_of(p.consumed_per_second),
                      0.99 * o.rate, true, "/s");
  const auto overflows = static_cast<double>(p.feeder_waits + p.ring_full_rejects);
  ok &= bench::print_target("ring overflows (full pushes, order-ring refusals)", overflows, 0,
                            false, "");
  ok &= bench::print_target("journal lag p99, records", p.lag_p99, o.rate, false, "");
  // The lag counts the group being written too (popped from the ring, not yet synced), so it
  // may pass the ring's capacity; what matters is whether the engine had to wait for the writer.
  ok &= bench::print_target("engine waits on a full journal ring",
                            static_cast<double>(p.journal_full_waits), 0, false, "");
  // Medians, not maxima: a sync that stalls once makes a peak that drains again; a writer that
  // falls behind moves the median.
  ok &= bench::print_target("journal lag growth: last-window p50 - first-window p50",
                            std::max(0.0, p.lag_last_window_p50 - p.lag_first_window_p50),
                            0.1 * o.rate, false, "");
  if (results.size() == 3) {
    const double max_rate = static_cast<double>(results[0].consumed) / o.max_seconds;
    bench::print_target("headroom: unpaced max (journal on) / offered", max_rate / o.rate, 1.0,
                        true, "x");
  }
  if (!p.failure.empty()) std::printf("  session failed: %s\n", p.failure.c_str());
  if (!p.journal_failure.empty()) std::printf("  journal failed: %s\n", p.journal_failure.c_str());
  return o.check && !ok ? 1 : 0;
}

}  // namespace
}  // namespace guiju

int main(int argc, char** argv) {
  guiju::Options options;
  if (!guiju::parse_options(argc, argv, options)) return 2;
  return guiju::run_bench(options);
}
