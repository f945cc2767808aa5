// The audit journal's costs, each against its baseline in the same run:
//   - the writer's sustained append rate with chaining, 128-byte records, against a bare SHA-256
//     chain over the same records (the hashing floor);
//   - the engine-side cost of handing one event to the journal (the ring push the engine pays),
//     p50/p99, with the writer thread draining behind it;
//   - verification throughput over a journal written for the purpose.
// Targets (bench/README.md): >= 4 M records/s and >= 70% of the bare chain; engine-side p50
// <= 50 ns; verify >= 1 GB/s.

#include <unistd.h>

#include <filesystem>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/journal/journal_service.hpp"
#include "core/journal/journal_writer.hpp"
#include "core/journal/verify.hpp"

namespace {

using namespace guiju;
using guiju::bench::tsc;

// 48-byte header + 48-byte payload + 32-byte hash = 128 bytes on disk.
constexpr size_t kPayload = 48;
constexpr size_t kRecords = 2'000'000;

std::filesystem::path scratch(const char* name) {
  auto p = std::filesystem::temp_directory_path() /
           ("guiju-journal-bench-" + std::to_string(getpid()) + "-" + name);
  std::filesystem::remove_all(p);
  return p;
}

journal::WriterOptions options(const std::filesystem::path& dir) {
  journal::WriterOptions o;
  o.directory = dir;
  o.trading_date = "20261127";
  o.durability = journal::Durability::kOsBuffered;
  o.segment_bytes = 1ull << 30;
  o.buffer_bytes = 1 << 20;
  return o;
}

void BM_BareSha256Chain(benchmark::State& state) {
  journal::ChainHasher hasher;
  std::vector<std::byte> header(sizeof(journal::RecordHeader), std::byte{1});
  std::vector<std::byte> payload(kPayload, std::byte{2});
  journal::Digest head{};
  for (auto _ : state) {
    for (size_t i = 0; i < kRecords; ++i) {
      header[8] = static_cast<std::byte>(i);
      head = hasher.link(head, header, payload);
    }
    benchmark::DoNotOptimize(head);
  }
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kRecords), benchmark::Counter::kIsRate);
}

void BM_WriterAppend(benchmark::State& state) {
  std::vector<std::byte> payload(kPayload, std::byte{2});
  for (auto _ : state) {
    state.PauseTiming();
    const auto dir = scratch("append");
    {
      journal::JournalWriter writer(options(dir));
      state.ResumeTiming();
      for (size_t i = 0; i < kRecords; ++i) {
        writer.append(1, 1, static_cast<Timestamp>(i), 0, 0, payload);
        if ((i & 4095) == 4095) writer.commit();  // group commit every 4096 records
      }
      writer.commit();
      state.PauseTiming();
    }
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kRecords), benchmark::Counter::kIsRate);
}

void BM_EngineSideRecord(benchmark::State& state) {
  constexpr size_t kSamples = 500'000;
  std::vector<uint64_t> samples;
  samples.reserve(kSamples);
  Quote q;
  q.instrument = 1;
  EventSlot slot;
  slot.store(q);
  for (auto _ : state) {
    samples.clear();
    const auto dir = scratch("engine");
    {
      journal::JournalService service(options(dir), 1 << 16);
      for (size_t i = 0; i < kSamples; ++i) {
        const uint64_t t0 = tsc();
        service.record(slot, static_cast<Timestamp>(i));
        samples.push_back(tsc() - t0);
      }
      service.stop();
    }
    std::filesystem::remove_all(dir);
  }
  guiju::bench::report_percentiles(state, samples);
}

void BM_Verify(benchmark::State& state) {
  const auto dir = scratch("verify");
  {
    std::vector<std::byte> payload(kPayload, std::byte{3});
    journal::JournalWriter writer(options(dir));
    for (size_t i = 0; i < kRecords; ++i) writer.append(1, 1, 0, 0, 0, payload);
    writer.commit();
  }
  uint64_t bytes = 0;
  for (auto _ : state) {
    const journal::VerifyReport r = journal::verify_journal(dir);
    if (!r.ok()) state.SkipWithError("verify failed");
    bytes += r.bytes;
  }
  std::filesystem::remove_all(dir);
  state.counters["bytes_per_s"] =
      benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kIsRate);
}

constexpr int kRepetitions = 5;
BENCHMARK(BM_BareSha256Chain)->Iterations(1)->Repetitions(kRepetitions)->UseRealTime();
BENCHMARK(BM_WriterAppend)->Iterations(1)->Repetitions(kRepetitions)->UseRealTime();
BENCHMARK(BM_EngineSideRecord)->Iterations(1)->Repetitions(kRepetitions)->UseRealTime();
BENCHMARK(BM_Verify)->Iterations(1)->Repetitions(kRepetitions)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  guiju::bench::tsc_per_ns();
  guiju::bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  using guiju::bench::print_target;
  const double bare = reporter.get("BM_BareSha256Chain", "records_per_s");
  const double writer = reporter.get("BM_WriterAppend", "records_per_s");
  const double engine_p50 = reporter.get("BM_EngineSideRecord", "p50_ns");
  const double verify = reporter.get("BM_Verify", "bytes_per_s");
  std::printf("\nAudit journal (medians of %d repetitions, same run, 128-byte records):\n",
              kRepetitions);
  std::printf("  writer %.2f M records/s; bare SHA-256 chain %.2f M records/s\n", writer / 1e6,
              bare / 1e6);
  std::printf("  engine-side record p50 %.1f ns, p99 %.1f ns; verify %.2f GB/s\n", engine_p50,
              reporter.get("BM_EngineSideRecord", "p99_ns"), verify / 1e9);
  print_target("writer append rate (M records/s)", writer / 1e6, 4.0, true, "M/s");
  if (bare > 0) print_target("writer / bare SHA-256 chain", writer / bare, 0.7, true, "x");
  print_target("engine-side record p50", engine_p50, 50, false, "ns");
  print_target("verify throughput", verify / 1e9, 1.0, true, "GB/s");
  benchmark::Shutdown();
  return 0;
}
