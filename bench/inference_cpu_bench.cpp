// CPU inference in process: the 64-256-256-1 signal MLP (Linear + ReLU, Tanh, Sigmoid) at batch
// 1 through load_model and the CPU executor, as the engine's embedded client or the service's
// batcher would run it. Each sample times one Executor::run() with the TSC; the input changes
// every run so nothing is cached between them.
// Baselines in the same run: the timer alone; PyTorch on the CPU for the same model at batch 1
// (bench/inference_torch_baseline.py under GUIJU_PYTHON: eager under inference_mode, and
// TorchScript traced and frozen, one thread, pinned to the same CPU), skipped with a note when
// torch is missing. Also reported: the cost per row at batch 64, and one 256x256 layer on each
// instruction set this CPU has (the portable kernel is what a CPU without AVX2 and FMA runs).
// Target: batch 1 p50 <= 2 us.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "inference/cpu/dense_layer.hpp"
#include "inference/runtime/load_model.hpp"
#include "tests/support/inference_models.hpp"

namespace {

using guiju::bench::tsc;
using namespace guiju::inference;

constexpr size_t kSamples = 100'000;
constexpr size_t kBatch = 64;

// The model, loaded once: written to a scratch file and loaded as the service loads models.
Executor& mlp() {
  static const std::unique_ptr<Executor> executor = [] {
    const auto path = std::filesystem::temp_directory_path() /
                      ("guiju-bench-mlp-" + std::to_string(::getpid()) + ".onnx");
    guiju::test::mlp_model().write(path.parent_path(), path.filename().string());
    ModelSpec spec;
    spec.path = path;
    spec.name = "mlp";
    spec.version = "bench";
    spec.max_batch = kBatch;
    auto e = load_model(spec);
    std::filesystem::remove(path);
    return e;
  }();
  return *executor;
}

void BM_TimerOverhead(benchmark::State& state) {
  guiju::bench::measure_timer_overhead(state, kSamples);
}

void BM_CpuMlpBatch1(benchmark::State& state) {
  Executor& e = mlp();
  std::vector<float> x = guiju::test::random_floats(64, 42);
  float y = 0;
  const float* in[] = {x.data()};
  float* out[] = {&y};
  const Batch batch{1, in, out};
  for (int i = 0; i < 1000; ++i) e.run(batch);  // warm: weights in cache, branch history
  std::vector<uint64_t> samples;
  samples.reserve(kSamples);
  double sum = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < kSamples; ++i) {
      x[i % 64] += 1e-3F;
      const uint64_t t0 = tsc();
      e.run(batch);
      samples.push_back(tsc() - t0);
      sum += y;
    }
  }
  if (!(sum > 0)) state.SkipWithError("the MLP gave no sigmoid output");
  guiju::bench::report_percentiles(state, samples);
}

void BM_CpuMlpBatch64PerRow(benchmark::State& state) {
  Executor& e = mlp();
  std::vector<float> x = guiju::test::random_floats(64 * kBatch, 43);
  std::vector<float> y(kBatch);
  const float* in[] = {x.data()};
  float* out[] = {y.data()};
  const Batch batch{kBatch, in, out};
  std::vector<uint64_t> samples;
  for (auto _ : state) {
    for (size_t i = 0; i < kSamples / kBatch; ++i) {
      x[i % x.size()] += 1e-3F;
      const uint64_t t0 = tsc();
      e.run(batch);
      samples.push_back((tsc() - t0) / kBatch);
    }
  }
  guiju::bench::report_percentiles(state, samples);
}

void DenseLayer256(benchmark::State& state, cpu::Isa isa) {
  if (!cpu::supports(isa)) {
    state.SkipWithError("this CPU does not have the instruction set");
    return;
  }
  const std::vector<float> w = guiju::test::random_floats(size_t{256} * 256, 5);
  const cpu::DenseLayer layer(
      256, 256, [&](size_t i, size_t j) { return w[i * 256 + j]; }, {}, Activation::kNone, 0, isa);
  std::vector<float> x = guiju::test::random_floats(256, 6);
  std::vector<float> y(256);
  std::vector<uint64_t> samples;
  for (auto _ : state) {
    for (size_t i = 0; i < kSamples; ++i) {
      x[i % 256] += 1e-3F;
      const uint64_t t0 = tsc();
      layer.run(x.data(), 1, y.data());
      samples.push_back(tsc() - t0);
      benchmark::DoNotOptimize(y.data());
    }
  }
  guiju::bench::report_percentiles(state, samples);
}
void BM_DenseLayer256Avx512(benchmark::State& state) {
  DenseLayer256(state, cpu::Isa::kAvx512);
}
void BM_DenseLayer256Avx2(benchmark::State& state) {
  DenseLayer256(state, cpu::Isa::kAvx2);
}
void BM_DenseLayer256Portable(benchmark::State& state) {
  DenseLayer256(state, cpu::Isa::kPortable);
}

constexpr int kRepetitions = 5;
BENCHMARK(BM_TimerOverhead)->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_CpuMlpBatch1)->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_CpuMlpBatch64PerRow)->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_DenseLayer256Avx512)->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_DenseLayer256Avx2)->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_DenseLayer256Portable)->Iterations(1)->Repetitions(kRepetitions);

struct TorchFigures {
  double p50 = -1;
  double p99 = -1;
};

// Runs the PyTorch baseline on CPU 0; returns the figures of one variant ("eager",
// "torchscript"), or prints why there are none.
std::vector<std::pair<std::string, TorchFigures>> torch_baseline() {
  const std::string command = std::string(GUIJU_PYTHON) +
                              " " GUIJU_SOURCE_ROOT
                              "/bench/inference_torch_baseline.py --samples 20000 --cpu 0 2>&1";
  std::vector<std::pair<std::string, TorchFigures>> out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char line[512];
  std::string text;
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    text += line;
    char name[64];
    double p50 = 0;
    double p99 = 0;
    if (std::sscanf(line, "%63s p50_ns=%lf p99_ns=%lf", name, &p50, &p99) == 3) {
      out.emplace_back(name, TorchFigures{p50, p99});
    }
  }
  const int status = pclose(pipe);
  if (out.empty()) {
    std::printf("  PyTorch baseline skipped (exit status %d): %s", status, text.c_str());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  guiju::bench::CollectingReporter reporter;
  if (!guiju::bench::run_pinned(&argc, argv, reporter)) return 1;
  using guiju::bench::print_target;
  const double p50 = reporter.get("BM_CpuMlpBatch1", "p50_ns");
  const double p99 = reporter.get("BM_CpuMlpBatch1", "p99_ns");
  std::printf(
      "\nCPU inference, MLP 64-256-256-1 (medians of %d repetitions, same run; kernels: "
      "%s):\n",
      kRepetitions, std::string(cpu::isa_name(cpu::best_isa())).c_str());
  std::printf("  timer overhead p50 %.1f ns\n", reporter.get("BM_TimerOverhead", "p50_ns"));
  std::printf("  batch 1: p50 %.1f ns, p99 %.1f ns, p99.9 %.1f ns\n", p50, p99,
              reporter.get("BM_CpuMlpBatch1", "p999_ns"));
  std::printf("  batch 64: p50 %.1f ns per row\n",
              reporter.get("BM_CpuMlpBatch64PerRow", "p50_ns"));
  std::printf(
      "  one 256x256 layer at batch 1: avx512 p50 %.1f ns, avx2+fma p50 %.1f ns, "
      "portable p50 %.1f ns\n",
      reporter.get("BM_DenseLayer256Avx512", "p50_ns"),
      reporter.get("BM_DenseLayer256Avx2", "p50_ns"),
      reporter.get("BM_DenseLayer256Portable", "p50_ns"));
  for (const auto& [name, f] : torch_baseline()) {
    std::printf(
        "  PyTorch %s batch 1: p50 %.1f ns, p99 %.1f ns; guiju is %.1fx faster at p50, "
        "%.1fx at p99\n",
        name.c_str(), f.p50, f.p99, f.p50 / p50, f.p99 / p99);
  }
  print_target("MLP batch 1 p50", p50, 2000, false, "ns");
  benchmark::Shutdown();
  return 0;
}
