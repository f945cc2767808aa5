// The CPU executor against PyTorch: tests/inference/export_reference_models.py exports an MLP
// (64-256-256-1), a model of LayerNorm, Softmax, Concat, Reshape/Flatten/Transpose and
// broadcasting arithmetic, a GRU and an LSTM with torch, with random inputs and torch's outputs
// for batch 1 and batch 7; every output here must match torch's within 1e-5 absolute plus 1e-5
// relative (float32 sums taken in a different order differ by a few ulp; the largest difference
// measured is about 2e-7). Skips, saying why, when the interpreter (GUIJU_PYTHON, Debian's
// /usr/bin/python3 by default; GUIJU_PYTHON in the environment overrides it) has no torch.

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inference/runtime/load_model.hpp"
#include "tests/support/inference_harness.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

constexpr float kAbsTolerance = 1e-5F;
constexpr float kRelTolerance = 1e-5F;

std::vector<float> read_floats(const std::filesystem::path& path) {
  const std::string bytes = test::read_bytes(path);
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

class TorchParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("guiju-torch");
    // GUIJU_PYTHON in the environment overrides the build's (read before any test runs).
    const char* env = std::getenv("GUIJU_PYTHON");  // NOLINT(concurrency-mt-unsafe)
    const std::string python = env != nullptr ? env : GUIJU_PYTHON;
    const std::string script =
        std::string(GUIJU_SOURCE_ROOT) + "/tests/inference/export_reference_models.py";
    const test::CommandResult r =
        test::run_command({python, script, dir_->path().string(), "--batch", "7"});
    // 3: the script found no torch; 127: no such interpreter. Anything else is a failure.
    if (r.exit_code == 3 || r.exit_code == 127) {
      skip_ = "no PyTorch to compare with: " + python + " says: " + r.output +
              "(install python3-torch, scripts/install-deps.sh)";
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
    spec.max_batch = 8;
    const auto e = load_model(spec);
    for (const auto& c : (*model)["cases"]) {
      const size_t rows = c["batch"];
      std::vector<std::vector<float>> inputs;
      for (const auto& i : c["inputs"]) inputs.push_back(read_floats(dir_->path() / i["file"]));
      const auto got = test::run_rows(*e, rows, inputs);
      ASSERT_EQ(got.size(), c["outputs"].size());
      for (size_t o = 0; o < got.size(); ++o) {
        const std::vector<float> want = read_floats(dir_->path() / c["outputs"][o]["file"]);
        test::expect_close(
            got[o], want, kAbsTolerance, kRelTolerance,
            name + " batch " + std::to_string(rows) + " output " + e->info().outputs[o].name);
      }
    }
  }

  static test::TempDir* dir_;
  static std::string skip_;
  static std::string error_;
  static nlohmann::json manifest_;
};

test::TempDir* TorchParity::dir_ = nullptr;
std::string TorchParity::skip_;
std::string TorchParity::error_;
nlohmann::json TorchParity::manifest_;

TEST_F(TorchParity, Mlp) {
  compare("mlp");
}
TEST_F(TorchParity, LayerNormSoftmaxConcatReshapeBroadcasting) {
  compare("mixed");
}
TEST_F(TorchParity, Gru) {
  compare("gru");
}
TEST_F(TorchParity, Lstm) {
  compare("lstm");
}

}  // namespace
}  // namespace guiju::inference
