// The CPU backend's parts: the packed dense kernel on every instruction set this CPU has, against
// a plain product, for shapes that exercise full and partial panels and the dot-product form;
// the arena plan; load_model's checks, hashing and batch limits.

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <string>
#include <vector>

#include "inference/cpu/dense_layer.hpp"
#include "inference/cpu/memory_plan.hpp"
#include "inference/onnx/model_error.hpp"
#include "inference/runtime/load_model.hpp"
#include "tests/support/inference_harness.hpp"
#include "tests/support/inference_models.hpp"

namespace guiju::inference {
namespace {

using test::random_floats;

TEST(DenseLayer, MatchesAPlainProductOnEveryInstructionSet) {
  for (const cpu::Isa isa : {cpu::Isa::kPortable, cpu::Isa::kAvx2, cpu::Isa::kAvx512}) {
    if (!cpu::supports(isa)) {
      std::printf("[ info ] this CPU has no %s\n", std::string(cpu::isa_name(isa)).c_str());
      continue;
    }
    for (const size_t k : {1, 7, 64, 129}) {
      for (const size_t n : {1, 3, 8, 13, 64, 100, 257}) {
        const std::vector<float> w = random_floats(k * n, 3);
        const std::vector<float> bias = random_floats(n, 4);
        const size_t rows = 3;
        const std::vector<float> x = random_floats(rows * k, 5);
        const cpu::DenseLayer layer(
            k, n, [&](size_t i, size_t j) { return w[i * n + j]; }, bias, Activation::kNone, 0,
            isa);
        EXPECT_EQ(layer.isa(), isa);
        std::vector<float> y(rows * n + 1, -7.0F);  // one float past the end stays untouched
        layer.run(x.data(), rows, y.data());
        for (size_t r = 0; r < rows; ++r) {
          for (size_t j = 0; j < n; ++j) {
            double want = bias[j];
            for (size_t i = 0; i < k; ++i) want += double{x[r * k + i]} * w[i * n + j];
            ASSERT_NEAR(y[r * n + j], want, 1e-4 * (1 + std::abs(want)))
                << cpu::isa_name(isa) << " k " << k << " n " << n << " row " << r << " out " << j;
          }
        }
        EXPECT_EQ(y[rows * n], -7.0F);
      }
    }
  }
}

TEST(MemoryPlan, BlocksAliveTogetherNeverShareBytes) {
  cpu::MemoryPlan plan;
  const size_t a = plan.add(100, 0, 1);
  const size_t b = plan.add(50, 1, 2);
  const size_t c = plan.add(100, 2, 3);  // may reuse a's bytes: a is dead by step 2
  const size_t d = plan.add(10, 0, 3);
  plan.finish();
  auto overlap = [&](size_t x, size_t y, size_t nx, size_t ny) {
    return plan.offset(x) < plan.offset(y) + ny && plan.offset(y) < plan.offset(x) + nx;
  };
  EXPECT_FALSE(overlap(a, b, 112, 64));
  EXPECT_FALSE(overlap(b, c, 64, 112));
  EXPECT_FALSE(overlap(a, d, 112, 16));
  EXPECT_FALSE(overlap(c, d, 112, 16));
  EXPECT_EQ(plan.offset(a), plan.offset(c));                                 // reused
  for (const size_t id : {a, b, c, d}) EXPECT_EQ(plan.offset(id) % 16, 0U);  // 64-byte aligned
  EXPECT_LE(plan.total_floats(), 112U + 64U + 16U);
}

TEST(LoadModel, FillsTheModelInfoAndHashesTheFile) {
  test::TempDir dir;
  const std::string path = test::mlp_model().write(dir.path(), "mlp.onnx");
  ModelSpec spec;
  spec.path = path;
  spec.name = "mlp";
  spec.version = "3";
  spec.max_batch = 16;
  const auto e = load_model(spec);
  const ModelInfo& info = e->info();
  EXPECT_EQ(info.name, "mlp");
  EXPECT_EQ(info.version, "3");
  EXPECT_EQ(info.max_batch, 16U);
  ASSERT_EQ(info.inputs.size(), 1U);
  EXPECT_EQ(info.inputs[0].name, "x");
  EXPECT_EQ(info.inputs[0].shape, (std::vector<int64_t>{64}));
  ASSERT_EQ(info.outputs.size(), 1U);
  EXPECT_EQ(info.outputs[0].shape, (std::vector<int64_t>{1}));

  const std::string bytes = test::read_bytes(path);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  ASSERT_EQ(EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr), 1);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0xf];
  }
  EXPECT_EQ(info.sha256, hex);
}

TEST(LoadModel, RefusesUnknownBackendsAndBatchLimitsOutOfRange) {
  test::TempDir dir;
  ModelSpec spec;
  spec.path = test::mlp_model().write(dir.path(), "mlp.onnx");
  spec.name = "mlp";
  spec.backend = "tpu";
  try {
    load_model(spec);
    FAIL() << "loaded on an unknown backend";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("backend 'tpu' is not known (known: cpu, cuda)"),
              std::string::npos)
        << e.what();
  }
  spec.backend = "cpu";
  spec.max_batch = 0;
  EXPECT_THROW(load_model(spec), ModelError);
  spec.max_batch = kMaxBatchLimit + 1;
  EXPECT_THROW(load_model(spec), ModelError);
  spec.max_batch = 1;
  spec.path = dir.path() / "missing.onnx";
  EXPECT_THROW(load_model(spec), ModelError);
}

TEST(CpuExecutor, RefusesBatchesThatDoNotFit) {
  const auto e = test::load_built(test::mlp_model(), 4);
  std::vector<float> x(size_t{5} * 64, 0.1F);
  std::vector<float> y(5, 0);
  const float* in[] = {x.data()};
  float* out[] = {y.data()};
  EXPECT_THROW(e->run(Batch{0, in, out}), std::invalid_argument);
  EXPECT_THROW(e->run(Batch{5, in, out}), std::invalid_argument);
  EXPECT_THROW(e->run(Batch{1, {}, out}), std::invalid_argument);
  EXPECT_NO_THROW(e->run(Batch{4, in, out}));
}

TEST(CpuExecutor, EveryBatchSizeGivesTheRowsOfBatchOne) {
  // Rows are independent: running them together must give what running each alone gives.
  const auto e = test::load_built(test::every_op_model(), 5);
  const size_t rows = 5;
  const std::vector<float> x = random_floats(rows * 32, 9);
  const auto together = test::run_rows(*e, rows, {x});
  for (size_t r = 0; r < rows; ++r) {
    const std::vector<float> one(x.begin() + static_cast<std::ptrdiff_t>(r * 32),
                                 x.begin() + static_cast<std::ptrdiff_t>((r + 1) * 32));
    const auto alone = test::run_rows(*e, 1, {one});
    for (size_t o = 0; o < alone.size(); ++o) {
      const size_t n = alone[o].size();
      const std::vector<float> slice(
          together[o].begin() + static_cast<std::ptrdiff_t>(r * n),
          together[o].begin() + static_cast<std::ptrdiff_t>((r + 1) * n));
      test::expect_close(slice, alone[o], 1e-6F, 1e-6F, "row " + std::to_string(r));
    }
  }
}

}  // namespace
}  // namespace guiju::inference
