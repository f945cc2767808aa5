// CUDA inference in process: the 64-256-256-1 signal MLP (the model of inference_cpu_bench)
// through load_model and the CUDA executor, max_batch 65,536.
//
// - latency at batch 1, host -> GPU -> host: each Executor::run() timed with steady_clock, the
//   input changing every run; p50, p90, p99, p99.9 over --samples runs after a warm-up. Twice:
//   from the caller's own memory (run() copies into and out of its pinned staging buffers) and
//   from the staging buffers themselves (the caller writes rows in place: no host copies).
//   Beside them, to show what the figure is made of: the same runs with the layers on cuBLASLt
//   instead of the fused chain kernel (GUIJU_CUDA_FUSED_ROWS=0), and the compute alone;
// - throughput at batch 256 and 65,536 in inferences a second, each call synchronous as run()
//   is: the same two ways, and the compute alone (run_on_device: the batch already on the GPU);
// - PyTorch on the same GPU in the same run (bench/inference_torch_cuda_baseline.py under
//   GUIJU_PYTHON, or the lines it printed earlier, read from --torch-output FILE): eager and CUDA
//   graphs, the same figures.
//
// Targets (the CUDA backend's issue): batch 1 p50 <= 10 us and p99 <= 20 us from the caller's
// memory; >= 5 M inferences/s at batch 256; at batch 65,536 at least PyTorch's best
// host -> GPU -> host figure (judged on the staging path: both start and end in pinned memory).
// Skips, printing why, without a CUDA device.
//
// Usage: inference_cuda_bench [--samples N] [--seconds S] [--torch-output FILE] [--no-torch]

#include <cuda_runtime_api.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "inference/cuda/cuda_executor.hpp"
#include "inference/cuda/device_probe.hpp"
#include "inference/runtime/load_model.hpp"
#include "tests/support/inference_models.hpp"

namespace {

using namespace guiju::inference;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxBatch = 65536;

struct Options {
  size_t samples = 100'000;
  double seconds = 1.0;
  std::string torch_output;
  bool torch = true;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--samples" && has_value) {
      o.samples = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--seconds" && has_value) {
      o.seconds = std::strtod(argv[++i], nullptr);
    } else if (a == "--torch-output" && has_value) {
      o.torch_output = argv[++i];
    } else if (a == "--no-torch") {
      o.torch = false;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--samples N] [--seconds S] [--torch-output FILE] [--no-torch]\n",
                   argv[0]);
      std::exit(2);  // NOLINT(concurrency-mt-unsafe): before any thread exists
    }
  }
  return o;
}

// fused_rows: GUIJU_CUDA_FUSED_ROWS while it loads ("" leaves the environment alone).
std::unique_ptr<Executor> load_mlp(const char* fused_rows = "") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("guiju-cuda-bench-mlp-" + std::to_string(::getpid()) + ".onnx");
  guiju::test::mlp_model().write(path.parent_path(), path.filename().string());
  ModelSpec spec;
  spec.path = path;
  spec.name = "mlp";
  spec.version = "bench";
  spec.backend = "cuda";
  spec.max_batch = kMaxBatch;
  if (*fused_rows != '\0') ::setenv("GUIJU_CUDA_FUSED_ROWS", fused_rows, 1);  // NOLINT
  auto e = load_model(spec);
  if (*fused_rows != '\0') ::unsetenv("GUIJU_CUDA_FUSED_ROWS");  // NOLINT
  std::filesystem::remove(path);
  return e;
}

struct Percentiles {
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double p999 = 0;
  double max = 0;
};

Percentiles percentiles(std::vector<double> ns) {
  std::sort(ns.begin(), ns.end());
  const auto at = [&](double q) {
    return ns[static_cast<size_t>(q * static_cast<double>(ns.size() - 1))];
  };
  return Percentiles{at(0.50), at(0.90), at(0.99), at(0.999), ns.back()};
}

// Batch 1: x is what the runs read (the caller's or the staging buffer), y where they write.
Percentiles latency(Executor& e, float* x, float* y, size_t samples) {
  const float* in[] = {x};
  float* out[] = {y};
  const Batch batch{1, in, out};
  for (size_t i = 0; i < std::max<size_t>(2000, samples / 20); ++i) e.run(batch);
  std::vector<double> ns;
  ns.reserve(samples);
  double sum = 0;
  for (size_t i = 0; i < samples; ++i) {
    x[i % 64] += 1e-3F;
    const auto t0 = Clock::now();
    e.run(batch);
    ns.push_back(std::chrono::duration<double, std::nano>(Clock::now() - t0).count());
    sum += *y;
  }
  if (!(sum > 0)) std::printf("  warning: the MLP gave no sigmoid output\n");
  return percentiles(std::move(ns));
}

// Synchronous calls for at least `seconds`; inferences (rows) a second.
template <class Call>
double throughput(size_t rows, double seconds, Call call) {
  for (int i = 0; i < 10; ++i) call();
  size_t calls = 0;
  const auto t0 = Clock::now();
  double elapsed = 0;
  do {
    call();
    ++calls;
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (elapsed < seconds || calls < 10);
  return static_cast<double>(rows * calls) / elapsed;
}

struct Torch {
  std::map<std::string, Percentiles> latency;  // by variant
  std::map<std::string, double> throughput;    // "variant path batch"
  std::string device;
  std::string why_none;
};

Torch parse_torch(const std::string& text, int status) {
  Torch t;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    char variant[64] = {};
    char path[64] = {};
    size_t batch = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double per_s = 0;
    if (std::sscanf(line.c_str(), "latency variant=%63s batch=%zu p50_ns=%lf p90_ns=%lf p99_ns=%lf",
                    variant, &batch, &p50, &p90, &p99) == 5) {
      t.latency[variant] = Percentiles{p50, p90, p99, 0, 0};
    } else if (std::sscanf(line.c_str(), "throughput variant=%63s path=%63s batch=%zu per_s=%lf",
                           variant, path, &batch, &per_s) == 4) {
      t.throughput[std::string(variant) + " " + path + " " + std::to_string(batch)] = per_s;
    } else if (line.rfind("device ", 0) == 0) {
      t.device = line.substr(7);
    }
  }
  if (t.latency.empty() && t.throughput.empty()) {
    t.why_none = "exit status " + std::to_string(status) + ": " + text;
  }
  return t;
}

// Everything `f` gives, printed as it comes.
std::string echo_lines(FILE* f) {
  std::string text;
  char buf[512];
  while (std::fgets(buf, sizeof buf, f) != nullptr) {
    text += buf;
    std::fputs(buf, stdout);
  }
  return text;
}

Torch run_torch(const Options& o) {
  if (!o.torch_output.empty()) {
    FILE* f = std::fopen(o.torch_output.c_str(), "r");
    if (f == nullptr) return Torch{{}, {}, {}, "cannot read " + o.torch_output};
    std::printf("PyTorch baseline, from %s:\n", o.torch_output.c_str());
    const std::string text = echo_lines(f);
    std::fclose(f);
    return parse_torch(text, 0);
  }
  // GUIJU_PYTHON in the environment overrides the build's (read before any thread exists).
  const char* env = std::getenv("GUIJU_PYTHON");  // NOLINT(concurrency-mt-unsafe)
  const std::string python = env != nullptr ? env : GUIJU_PYTHON;
  const std::string command =
      python + " " GUIJU_SOURCE_ROOT "/bench/inference_torch_cuda_baseline.py 2>&1";
  std::printf("PyTorch baseline: %s\n", command.c_str());
  std::fflush(stdout);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return Torch{{}, {}, {}, "popen failed"};
  const std::string text = echo_lines(pipe);
  const int status = pclose(pipe);
  return parse_torch(text, status);
}

void target(const char* what, double value, double limit, bool at_least, const char* unit) {
  const bool pass = at_least ? value >= limit : value <= limit;
  std::printf("  TARGET %-44s %12.3f %s %s %12.3f %s  %s\n", what, value, unit,
              at_least ? ">=" : "<=", limit, unit, pass ? "PASS" : "MISS");
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (const std::string why = cuda::device_unavailable(0); !why.empty()) {
    std::printf("inference_cuda_bench: skipped: %s\n", why.c_str());
    return 0;
  }
  cudaDeviceProp prop{};
  int driver = 0;
  (void)cudaGetDeviceProperties(&prop, 0);
  (void)cudaDriverGetVersion(&driver);
  std::printf("device 0: %s, %d SMs, compute capability %d.%d, %.0f GiB, driver %d.%d\n", prop.name,
              prop.multiProcessorCount, prop.major, prop.minor,
              static_cast<double>(prop.totalGlobalMem) / (1 << 30), driver / 1000,
              driver % 1000 / 10);

  const auto t_load = Clock::now();
  const std::unique_ptr<Executor> executor = load_mlp();
  auto& e = dynamic_cast<cuda::CudaExecutor&>(*executor);
  std::printf(
      "loaded the MLP for max_batch %zu in %.0f ms: %zu graphs, %.1f MiB of device memory\n",
      kMaxBatch, std::chrono::duration<double, std::milli>(Clock::now() - t_load).count(),
      e.buckets().size(), static_cast<double>(e.device_bytes()) / (1 << 20));

  std::vector<float> x = guiju::test::random_floats(64 * kMaxBatch, 42);
  std::vector<float> y(kMaxBatch);
  float* staged_x = e.input_staging()[0];
  float* staged_y = e.output_staging()[0];
  std::memcpy(staged_x, x.data(), x.size() * sizeof(float));

  std::printf("\nbatch 1, host -> GPU -> host, %zu samples:\n", o.samples);
  const Percentiles own = latency(e, x.data(), y.data(), o.samples);
  std::printf(
      "  from the caller's memory: p50 %.2f us, p90 %.2f us, p99 %.2f us, p99.9 %.2f us, "
      "max %.1f us\n",
      own.p50 / 1e3, own.p90 / 1e3, own.p99 / 1e3, own.p999 / 1e3, own.max / 1e3);
  const Percentiles staged = latency(e, staged_x, staged_y, o.samples);
  std::printf(
      "  from the staging buffers: p50 %.2f us, p90 %.2f us, p99 %.2f us, p99.9 %.2f us, "
      "max %.1f us\n",
      staged.p50 / 1e3, staged.p90 / 1e3, staged.p99 / 1e3, staged.p999 / 1e3, staged.max / 1e3);

  // What the figure is made of: the same batch-1 runs with the three layers on cuBLASLt (a
  // kernel per layer, and one for the Tanh and one for the Sigmoid after it) instead of the
  // fused chain, and the compute alone without the transfers.
  {
    const std::unique_ptr<Executor> lt = load_mlp("0");
    const Percentiles p = latency(*lt, x.data(), y.data(), o.samples / 4);
    std::printf(
        "  cuBLASLt at batch 1 (GUIJU_CUDA_FUSED_ROWS=0), caller's memory: p50 %.2f us, "
        "p90 %.2f us, p99 %.2f us\n",
        p.p50 / 1e3, p.p90 / 1e3, p.p99 / 1e3);
  }
  {
    std::vector<double> ns;
    ns.reserve(o.samples / 4);
    for (size_t i = 0; i < o.samples / 4; ++i) {
      const auto t0 = Clock::now();
      e.run_on_device(1);
      ns.push_back(std::chrono::duration<double, std::nano>(Clock::now() - t0).count());
    }
    const Percentiles p = percentiles(std::move(ns));
    std::printf(
        "  the compute alone at batch 1 (run_on_device): p50 %.2f us, p90 %.2f us, "
        "p99 %.2f us\n",
        p.p50 / 1e3, p.p90 / 1e3, p.p99 / 1e3);
  }

  std::map<size_t, double> own_rate;
  std::map<size_t, double> staged_rate;
  std::map<size_t, double> device_rate;
  for (const size_t rows : {size_t{256}, kMaxBatch}) {
    const float* in[] = {x.data()};
    float* out[] = {y.data()};
    const Batch from_own{rows, in, out};
    const Batch from_staging{rows, e.input_staging(), e.output_staging()};
    own_rate[rows] = throughput(rows, o.seconds, [&] { e.run(from_own); });
    staged_rate[rows] = throughput(rows, o.seconds, [&] { e.run(from_staging); });
    device_rate[rows] = throughput(rows, o.seconds, [&] { e.run_on_device(rows); });
    std::printf(
        "\nbatch %zu, inferences/s: from the caller's memory %.2f M/s, from the staging "
        "buffers %.2f M/s, on the device alone %.2f M/s\n",
        rows, own_rate[rows] / 1e6, staged_rate[rows] / 1e6, device_rate[rows] / 1e6);
  }

  std::printf("\n");
  Torch torch;
  if (o.torch) {
    torch = run_torch(o);
  } else {
    torch.why_none = "--no-torch";
  }
  std::printf("\nCUDA inference, MLP 64-256-256-1, %s:\n", prop.name);
  std::printf("  guiju batch 1 p50 %.2f us, p99 %.2f us (staging: p50 %.2f us, p99 %.2f us)\n",
              own.p50 / 1e3, own.p99 / 1e3, staged.p50 / 1e3, staged.p99 / 1e3);
  if (!torch.why_none.empty()) {
    std::printf("  PyTorch baseline skipped: %s\n", torch.why_none.c_str());
  } else {
    for (const auto& [variant, p] : torch.latency) {
      std::printf(
          "  PyTorch %-6s batch 1 p50 %.2f us, p99 %.2f us: guiju is %.1fx faster at "
          "p50, %.1fx at p99\n",
          variant.c_str(), p.p50 / 1e3, p.p99 / 1e3, p.p50 / own.p50, p.p99 / own.p99);
    }
    for (const size_t rows : {size_t{256}, kMaxBatch}) {
      for (const char* variant : {"eager", "graphs"}) {
        const std::string key = std::string(variant) + " host " + std::to_string(rows);
        const std::string dkey = std::string(variant) + " device " + std::to_string(rows);
        if (!torch.throughput.contains(key)) continue;
        std::printf(
            "  PyTorch %-6s batch %zu: host %.2f M/s, device %.2f M/s (guiju staging "
            "%.2f M/s, device %.2f M/s)\n",
            variant, rows, torch.throughput[key] / 1e6, torch.throughput[dkey] / 1e6,
            staged_rate[rows] / 1e6, device_rate[rows] / 1e6);
      }
    }
  }
  std::printf("\n");
  target("batch 1 p50 (caller's memory)", own.p50 / 1e3, 10, false, "us");
  target("batch 1 p99 (caller's memory)", own.p99 / 1e3, 20, false, "us");
  target("batch 256 throughput (caller's memory)", own_rate[256] / 1e6, 5, true, "M/s");
  double best_torch = 0;
  for (const char* variant : {"eager", "graphs"}) {
    const std::string key = std::string(variant) + " host " + std::to_string(kMaxBatch);
    if (torch.throughput.contains(key)) best_torch = std::max(best_torch, torch.throughput[key]);
  }
  if (best_torch > 0) {
    target("batch 65536 throughput vs PyTorch host path", staged_rate[kMaxBatch] / 1e6,
           best_torch / 1e6, true, "M/s");
  } else {
    std::printf("  TARGET batch 65536 vs PyTorch: no PyTorch figure to judge against\n");
  }
  return 0;
}
