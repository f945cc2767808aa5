#pragma once
// Shared helpers for the benchmark harnesses: a calibrated TSC clock for nanosecond-scale
// timings, thread pinning, percentiles, and a reporter that prints each target with the figure
// it was judged on at the end of the run.

#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <x86intrin.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace guiju::bench {

// rdtsc is ~7 ns and does not serialise; on invariant-TSC machines (constant_tsc, nonstop_tsc)
// it ticks at a fixed rate on every core, so readings from two threads compare directly.
inline uint64_t tsc() {
  return __rdtsc();
}

// TSC ticks per nanosecond, measured once against steady_clock over ~50 ms.
inline double tsc_per_ns() {
  static const double value = [] {
    const auto t0 = std::chrono::steady_clock::now();
    const uint64_t c0 = tsc();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto t1 = std::chrono::steady_clock::now();
    const uint64_t c1 = tsc();
    const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    return static_cast<double>(c1 - c0) / ns;
  }();
  return value;
}

inline double to_ns(uint64_t ticks) {
  return static_cast<double>(ticks) / tsc_per_ns();
}

// Pins the calling thread to one CPU when the machine has it; benchmarks still run if not.
inline void pin_to_cpu(unsigned cpu) {
  if (cpu >= std::thread::hardware_concurrency()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// The CPUs the producer and the consumer are pinned to: GUIJU_BENCH_CPUS="a,b" when set,
// otherwise CPU 0 and the first CPU that is not a hyperthread sibling of CPU 0 (siblings share
// L1/L2 and would measure a different, much cheaper hand-off).
inline std::pair<unsigned, unsigned> producer_consumer_cpus() {
  // Read once at start-up, before any thread exists.
  if (const char* env = std::getenv("GUIJU_BENCH_CPUS")) {  // NOLINT(concurrency-mt-unsafe)
    unsigned a = 0;
    unsigned b = 1;
    if (std::sscanf(env, "%u,%u", &a, &b) == 2) return {a, b};
  }
  std::vector<unsigned> siblings;
  if (FILE* f = std::fopen("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "r")) {
    unsigned lo = 0;
    unsigned hi = 0;
    char sep = 0;
    while (std::fscanf(f, "%u%c", &lo, &sep) >= 1) {
      hi = lo;
      if (sep == '-' && std::fscanf(f, "%u%c", &hi, &sep) < 1) break;
      for (unsigned c = lo; c <= hi; ++c) siblings.push_back(c);
      if (sep != ',') break;
    }
    std::fclose(f);
  }
  const unsigned n = std::thread::hardware_concurrency();
  for (unsigned c = 1; c < n; ++c) {
    if (std::find(siblings.begin(), siblings.end(), c) == siblings.end()) return {0, c};
  }
  return {0, 1};
}

// The q-quantile (0..1) of samples, in ns; sorts in place.
inline double percentile_ns(std::vector<uint64_t>& samples, double q) {
  if (samples.empty()) return 0;
  const auto k = static_cast<size_t>(q * static_cast<double>(samples.size() - 1));
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(k),
                   samples.end());
  return to_ns(samples[k]);
}

inline void report_percentiles(benchmark::State& state, std::vector<uint64_t>& samples) {
  state.counters["p50_ns"] = percentile_ns(samples, 0.50);
  state.counters["p99_ns"] = percentile_ns(samples, 0.99);
  state.counters["p999_ns"] = percentile_ns(samples, 0.999);
}

// The cost of the timing itself: two TSC reads around nothing, `samples` times. Every latency
// harness reports it beside its figures as the floor they stand on.
inline void measure_timer_overhead(benchmark::State& state, size_t samples_per_run) {
  std::vector<uint64_t> samples;
  samples.reserve(samples_per_run);
  for (auto _ : state) {
    for (size_t i = 0; i < samples_per_run; ++i) {
      const uint64_t t0 = tsc();
      benchmark::ClobberMemory();
      samples.push_back(tsc() - t0);
    }
  }
  report_percentiles(state, samples);
}

// Console output as usual, and each run's counters kept so targets can be judged at the end.
// With repetitions, the median aggregate is what is kept (the machines here are noisy).
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  CollectingReporter()
      : benchmark::ConsoleReporter(isatty(fileno(stdout)) ? OO_ColorTabular : OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    benchmark::ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      const bool aggregate = r.run_type == Run::RT_Aggregate;
      if (aggregate && r.aggregate_name != "median") continue;
      const std::string name = r.run_name.function_name;
      auto& slot = results_[name];
      if (!aggregate && slot.from_median) continue;
      slot.from_median = aggregate;
      slot.values.clear();
      for (const auto& [key, counter] : r.counters) slot.values[key] = counter.value;
      slot.values["real_time_ns"] = r.GetAdjustedRealTime();
    }
  }
  // A counter of the named benchmark (median over repetitions when there were any); -1 if absent.
  double get(const std::string& benchmark_name, const std::string& counter) const {
    const auto it = results_.find(benchmark_name);
    if (it == results_.end()) return -1;
    const auto c = it->second.values.find(counter);
    return c == it->second.values.end() ? -1 : c->second;
  }

 private:
  struct Result {
    bool from_median = false;
    std::map<std::string, double> values;
  };
  std::map<std::string, Result> results_;
};

// Runs the benchmarks the command line selects, pinned to CPU 0, into `reporter`; false when
// the arguments are not understood.
inline bool run_pinned(int* argc, char** argv, CollectingReporter& reporter) {
  benchmark::Initialize(argc, argv);
  if (benchmark::ReportUnrecognizedArguments(*argc, argv)) return false;
  tsc_per_ns();  // calibrated before anything is timed
  pin_to_cpu(0);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  return true;
}

// Prints "target ... : measured X (limit Y) PASS|MISS".
inline bool print_target(const char* what, double measured, double limit, bool higher_is_better,
                         const char* unit) {
  const bool ok = measured >= 0 && (higher_is_better ? measured >= limit : measured <= limit);
  std::printf("  %-58s %10.3f %-6s (target %s %.3f) %s\n", what, measured, unit,
              higher_is_better ? ">=" : "<=", limit, ok ? "PASS" : "MISS");
  return ok;
}

}  // namespace guiju::bench
