// The CUDA executor against PyTorch, as tests/integration/torch_parity_test.cpp holds the CPU
// executor to it: tests/inference/export_reference_models.py exports the MLP (64-256-256-1) and
// the model of LayerNorm, Softmax, Concat, Reshape/Flatten/Transpose, MatMul and broadcasting
// arithmetic, with random inputs and torch's (CPU, float32) outputs at batch 1, 7, 256 and
// 65,536; every output of the CUDA executor must match torch's within 1e-5 absolute plus 1e-5
// relative, the CPU backend's tolerance, and match the CPU executor's within the same. The
// differences are float32 sums taken in another order (cuBLASLt's blocking, never TF32) and
// expf/tanhf a few ulp from exact. The largest difference is printed, so that the figure in
// docs/inference.md can be checked. GRU and LSTM are the CPU backend's alone.
//
// Skips, saying why, without a CUDA device (checked first: the export is the slow part) or when
// the interpreter (GUIJU_PYTHON; the environment's overrides the build's) has no torch.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inference/runtime/load_model.hpp"
#include "tests/support/cuda_device.hpp"
#include "tests/support/inference_harness.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

constexpr float kAbsTolerance = 1e-5F;
constexpr float kRelTolerance = 1e-5F;
constexpr size_t kLargeBatch = 65536;

std::vector<float> read_floats(const std::filesystem::path& path) {
  const std::string bytes = test::read_bytes(path);
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

// The largest |got - want| / (abs + rel * |want|): at most 1 within the tolerance.
double worst_ratio(const std::vector<float>& got, const std::vector<float>& want, double* diff) {
  double worst = 0;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
    const double d = std::abs(static_cast<double>(got[i]) - want[i]);
    *diff = std::max(*diff, d);
    worst = std::max(worst, d / (kAbsTolerance + kRelTolerance * std::abs(want[i])));
  }
  return worst;
}

class CudaTorchParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    skip_ = cuda::device_unavailable(0);
    if (!skip_.empty()) return;
    dir_ = new test::TempDir("guiju-cuda-torch");
    const char* env = std::getenv("GUIJU_PYTHON");  // NOLINT(concurrency-mt-unsafe)
    const std::string python = env != nullptr ? env : GUIJU_PYTHON;
    const std::string script =
        std::string(GUIJU_SOURCE_ROOT) + "/tests/inference/export_reference_models.py";
    const test::CommandResult r =
        test::run_command({python, script, dir_->path().string(), "--batch", "7", "--batch", "256",
                           "--batch", std::to_string(kLargeBatch), "--models", "mlp,mixed"});
    if (r.exit_code == 3 || r.exit_code == 127) {
      skip_ = "no PyTorch to compare with: " + python + " says: " + r.output +
              "(install python3-torch, or set GUIJU_PYTHON to an interpreter with torch)";
      return;
    }
    if (r.exit_code != 0) {
      error_ = "exporting the reference models with " + python + " failed (exit " +
               std::to_string(r.exit_code) + "): " + r.output;
      return;
    }
    std::ifstream in(dir_->path() / "manifest.json");
    manifest_ = nlohmann::json::parse(in);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  void compare(const std::string& name) {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
    ASSERT_TRUE(error_.empty()) << error_;
    const nlohmann::json* model = nullptr;
    for (const auto& m : manifest_["models"]) {
      if (m["name"] == name) model = &m;
    }
    ASSERT_NE(model, nullptr) << name << " is not in the manifest";
    ModelSpec spec;
    spec.path = dir_->path() / (*model)["file"].get<std::string>();
    spec.name = name;
    spec.backend = "cuda";
    spec.max_batch = kLargeBatch;
    const auto gpu = load_model(spec);
    spec.backend = "cpu";
    spec.max_batch = kMaxBatchLimit;
    const auto cpu = load_model(spec);
    std::vector<size_t> seen;
    for (const auto& c : (*model)["cases"]) {
      const size_t rows = c["batch"];
      seen.push_back(rows);
      std::vector<std::vector<float>> inputs;
      for (const auto& i : c["inputs"]) inputs.push_back(read_floats(dir_->path() / i["file"]));
      const auto got = test::run_rows(*gpu, rows, inputs);
      ASSERT_EQ(got.size(), c["outputs"].size());
      for (size_t o = 0; o < got.size(); ++o) {
        const std::string what =
            name + " batch " + std::to_string(rows) + " output " + gpu->info().outputs[o].name;
        const std::vector<float> want = read_floats(dir_->path() / c["outputs"][o]["file"]);
        ASSERT_EQ(got[o].size(), want.size()) << what;
        double diff = 0;
        const double ratio = worst_ratio(got[o], want, &diff);
        std::printf("  %s: largest difference from torch %.3g (%.2f of the tolerance)\n",
                    what.c_str(), diff, ratio);
        test::expect_close(got[o], want, kAbsTolerance, kRelTolerance, what + " vs torch");
        // And the CPU executor on the same rows, in pieces of its max_batch.
        std::vector<float> cpu_out(want.size());
        const size_t in_row = inputs[0].size() / rows;
        const size_t out_row = want.size() / rows;
        for (size_t done = 0; done < rows; done += kMaxBatchLimit) {
          const size_t n = std::min(kMaxBatchLimit, rows - done);
          const float* in[] = {inputs[0].data() + done * in_row};
          float* out[] = {cpu_out.data() + done * out_row};
          cpu->run(Batch{n, in, out});
        }
        test::expect_close(got[o], cpu_out, kAbsTolerance, kRelTolerance, what + " vs cpu");
      }
    }
    EXPECT_EQ(seen, (std::vector<size_t>{1, 7, 256, kLargeBatch}));
  }

  static test::TempDir* dir_;
  static std::string skip_;
  static std::string error_;
  static nlohmann::json manifest_;
};

test::TempDir* CudaTorchParity::dir_ = nullptr;
std::string CudaTorchParity::skip_;
std::string CudaTorchParity::error_;
nlohmann::json CudaTorchParity::manifest_;

TEST_F(CudaTorchParity, Mlp) {
  compare("mlp");
}
TEST_F(CudaTorchParity, LayerNormSoftmaxConcatReshapeBroadcasting) {
  compare("mixed");
}

}  // namespace
}  // namespace guiju::inference
