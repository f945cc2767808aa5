// SPSC ring vs boost::lockfree::spsc_queue, in the same run:
//   - 1P1C throughput (items/s), single pop and batch pop on the consumer side;
//   - one-way hop latency (p50/p99/p99.9): producer stamps the TSC, consumer reads it on pop;
//   - the machine's cache-line ping-pong round trip, the physical floor a hop is judged against.
// Producer and consumer are pinned to two CPUs on different physical cores (bench_support.hpp).
// Targets (bench/README.md): throughput >= 1.5x boost's, hop p50 <= 2x the ping-pong round trip.

#include <atomic>
#include <boost/lockfree/spsc_queue.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/bus/cpu_relax.hpp"
#include "core/bus/spsc_ring.hpp"

namespace {

using guiju::bench::pin_to_cpu;
using guiju::bench::tsc;

constexpr size_t kCapacity = 4096;
const std::pair<unsigned, unsigned> kCpus = guiju::bench::producer_consumer_cpus();
constexpr size_t kBatch = 256;

struct GuijuRing {
  guiju::SpscRing<uint64_t> q{kCapacity, guiju::BackPressure::kFail, "bench"};
  bool push(uint64_t v) { return q.try_push(v); }
  bool pop(uint64_t& v) { return q.try_pop(v); }
  template <typename F>
  size_t pop_batch(F&& f) {
    return q.pop_batch(f, kBatch);
  }
};

struct BoostRing {
  boost::lockfree::spsc_queue<uint64_t, boost::lockfree::capacity<kCapacity>> q;
  bool push(uint64_t v) { return q.push(v); }
  bool pop(uint64_t& v) { return q.pop(v); }
  template <typename F>
  size_t pop_batch(F&& f) {
    uint64_t buffer[kBatch];
    const size_t n = q.pop(buffer, kBatch);
    for (size_t i = 0; i < n; ++i) f(buffer[i]);
    return n;
  }
};

template <typename Ring, bool kBatchPop>
void BM_Throughput(benchmark::State& state) {
  constexpr uint64_t kItems = 5'000'000;
  pin_to_cpu(kCpus.first);
  for (auto _ : state) {
    auto ring = std::make_unique<Ring>();
    uint64_t sum = 0;
    std::thread consumer([&] {
      pin_to_cpu(kCpus.second);
      // Accumulate locally: writing a variable on the producer's stack from here would put the
      // two threads on one cache line and measure false sharing, not the ring.
      uint64_t local_sum = 0;
      uint64_t received = 0;
      while (received < kItems) {
        if constexpr (kBatchPop) {
          received += ring->pop_batch([&](uint64_t v) { local_sum += v; });
        } else {
          uint64_t v;
          if (ring->pop(v)) {
            local_sum += v;
            ++received;
          }
        }
      }
      sum = local_sum;
    });
    for (uint64_t i = 0; i < kItems; ++i) {
      while (!ring->push(i)) guiju::cpu_relax();
    }
    consumer.join();
    if (sum != kItems * (kItems - 1) / 2) state.SkipWithError("lost or duplicated items");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kItems));
  state.counters["items_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kItems), benchmark::Counter::kIsRate);
}

// One message in flight at a time: the producer sends the next only after the consumer has
// taken the previous one, so the figure is the hop itself, not queueing.
template <typename Ring>
void BM_HopLatency(benchmark::State& state) {
  constexpr size_t kSamples = 200'000;
  std::vector<uint64_t> samples;
  samples.reserve(kSamples);
  pin_to_cpu(kCpus.first);
  for (auto _ : state) {
    samples.clear();
    auto ring = std::make_unique<Ring>();
    alignas(64) std::atomic<size_t> consumed{0};
    std::thread consumer([&] {
      pin_to_cpu(kCpus.second);
      for (size_t i = 0; i < kSamples; ++i) {
        uint64_t sent = 0;
        while (!ring->pop(sent)) guiju::cpu_relax();
        const uint64_t now = tsc();
        samples.push_back(now > sent ? now - sent : 0);
        consumed.store(i + 1, std::memory_order_release);
      }
    });
    for (size_t i = 0; i < kSamples; ++i) {
      while (!ring->push(tsc())) guiju::cpu_relax();
      while (consumed.load(std::memory_order_acquire) != i + 1) guiju::cpu_relax();
    }
    consumer.join();
  }
  guiju::bench::report_percentiles(state, samples);
}

// Two threads bounce one cache line: each waits for the other's value and answers. One sample is
// a full round trip (the line moves to the other core and back).
void BM_CacheLinePingPong(benchmark::State& state) {
  constexpr uint64_t kRounds = 200'000;
  std::vector<uint64_t> samples;
  samples.reserve(kRounds);
  pin_to_cpu(kCpus.first);
  for (auto _ : state) {
    samples.clear();
    alignas(64) std::atomic<uint64_t> line{0};
    std::thread responder([&] {
      pin_to_cpu(kCpus.second);
      for (uint64_t i = 1; i <= kRounds; ++i) {
        while (line.load(std::memory_order_acquire) != 2 * i - 1) guiju::cpu_relax();
        line.store(2 * i, std::memory_order_release);
      }
    });
    for (uint64_t i = 1; i <= kRounds; ++i) {
      const uint64_t t0 = tsc();
      line.store(2 * i - 1, std::memory_order_release);
      while (line.load(std::memory_order_acquire) != 2 * i) guiju::cpu_relax();
      samples.push_back(tsc() - t0);
    }
    responder.join();
  }
  guiju::bench::report_percentiles(state, samples);
}

constexpr int kRepetitions = 7;

BENCHMARK(BM_CacheLinePingPong)->Iterations(1)->Repetitions(kRepetitions)->UseRealTime();
BENCHMARK(BM_Throughput<GuijuRing, true>)
    ->Name("BM_Throughput/guiju/batch_pop")
    ->Iterations(3)
    ->Repetitions(kRepetitions)
    ->UseRealTime();
BENCHMARK(BM_Throughput<BoostRing, true>)
    ->Name("BM_Throughput/boost/batch_pop")
    ->Iterations(3)
    ->Repetitions(kRepetitions)
    ->UseRealTime();
BENCHMARK(BM_Throughput<GuijuRing, false>)
    ->Name("BM_Throughput/guiju/single_pop")
    ->Iterations(3)
    ->Repetitions(kRepetitions)
    ->UseRealTime();
BENCHMARK(BM_Throughput<BoostRing, false>)
    ->Name("BM_Throughput/boost/single_pop")
    ->Iterations(3)
    ->Repetitions(kRepetitions)
    ->UseRealTime();
BENCHMARK(BM_HopLatency<GuijuRing>)
    ->Name("BM_HopLatency/guiju")
    ->Iterations(1)
    ->Repetitions(kRepetitions)
    ->UseRealTime();
BENCHMARK(BM_HopLatency<BoostRing>)
    ->Name("BM_HopLatency/boost")
    ->Iterations(1)
    ->Repetitions(kRepetitions)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  // Repetitions of the guiju and boost benchmarks are interleaved in random order, so that both
  // see the same phases of a noisy host rather than one getting the quiet minute.
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  std::vector<char*> args;
  args.reserve(static_cast<size_t>(argc) + 1);
  args.push_back(argv[0]);
  args.push_back(interleave.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  int args_count = static_cast<int>(args.size());
  benchmark::Initialize(&args_count, args.data());
  argc = args_count;
  argv = args.data();
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (std::thread::hardware_concurrency() < 2) {
    std::printf("spsc_ring_bench: needs 2 CPUs for producer and consumer; found %u\n",
                std::thread::hardware_concurrency());
    return 0;
  }
  guiju::bench::tsc_per_ns();  // calibrate before any timed region
  std::printf("producer on CPU %u, consumer on CPU %u; TSC %.3f GHz\n", kCpus.first, kCpus.second,
              guiju::bench::tsc_per_ns());
  guiju::bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  using guiju::bench::print_target;
  const double guiju_batch = reporter.get("BM_Throughput/guiju/batch_pop", "items_per_s");
  const double boost_batch = reporter.get("BM_Throughput/boost/batch_pop", "items_per_s");
  const double guiju_single = reporter.get("BM_Throughput/guiju/single_pop", "items_per_s");
  const double boost_single = reporter.get("BM_Throughput/boost/single_pop", "items_per_s");
  const double hop = reporter.get("BM_HopLatency/guiju", "p50_ns");
  const double rtt = reporter.get("BM_CacheLinePingPong", "p50_ns");
  std::printf("\nTargets (medians of %d repetitions, same run):\n", kRepetitions);
  if (guiju_batch > 0 && boost_batch > 0) {
    std::printf("  throughput guiju %.1f M/s, boost %.1f M/s (batch pop: how the engine drains)\n",
                guiju_batch / 1e6, boost_batch / 1e6);
    print_target("throughput ratio guiju/boost, batch pop", guiju_batch / boost_batch, 1.5, true,
                 "x");
  }
  if (guiju_single > 0 && boost_single > 0) {
    std::printf("  throughput guiju %.1f M/s, boost %.1f M/s (single pop, for reference): %.2fx\n",
                guiju_single / 1e6, boost_single / 1e6, guiju_single / boost_single);
  }
  if (hop > 0 && rtt > 0) {
    std::printf(
        "  hop p50 %.1f ns (p99 %.1f, p99.9 %.1f); boost hop p50 %.1f ns; ping-pong RTT p50 %.1f "
        "ns\n",
        hop, reporter.get("BM_HopLatency/guiju", "p99_ns"),
        reporter.get("BM_HopLatency/guiju", "p999_ns"),
        reporter.get("BM_HopLatency/boost", "p50_ns"), rtt);
    print_target("hop p50 / cache-line ping-pong RTT p50", hop / rtt, 2.0, false, "x");
  }
  benchmark::Shutdown();
  return 0;
}
