// The CUDA executor against the CPU executor, op by op and bucket by bucket, on models built in
// C++ (no PyTorch needed): the signal MLP at every batch size around the buckets, a model of
// every op the backend runs, the Gemm variants (transposes, alpha and beta, a per-row C, each
// activation fused in cuBLASLt's epilogue or in the kernel after it), padding rows that must
// never reach an output, the staging buffers as the caller's own, and the refusals of run().
// Same tolerance as against PyTorch: 1e-5 absolute plus 1e-5 relative. Every test skips,
// printing why, where there is no CUDA device.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "inference/cuda/cuda_executor.hpp"
#include "inference/cuda/graph_buckets.hpp"
#include "inference/onnx/model_error.hpp"
#include "inference/runtime/load_model.hpp"
#include "tests/support/cuda_device.hpp"
#include "tests/support/inference_harness.hpp"
#include "tests/support/inference_models.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

constexpr float kAbs = 1e-5F;
constexpr float kRel = 1e-5F;

std::unique_ptr<Executor> load(const test::OnnxBuilder& b, const std::string& backend,
                               size_t max_batch, const std::string& name = "model") {
  static test::TempDir dir("guiju-cuda");
  ModelSpec spec;
  spec.path = b.write(dir.path(), name + ".onnx");
  spec.name = name;
  spec.version = "test";
  spec.backend = backend;
  spec.max_batch = max_batch;
  return load_model(spec);
}

cuda::CudaExecutor& as_cuda(Executor& e) {
  return dynamic_cast<cuda::CudaExecutor&>(e);
}

std::vector<std::vector<float>> random_inputs(const Executor& e, size_t rows, unsigned seed) {
  std::vector<std::vector<float>> in;
  for (const TensorInfo& t : e.info().inputs) {
    in.push_back(test::random_floats(rows * t.row_elements(), seed++));
  }
  return in;
}

// The CPU executor's outputs for `rows` rows, run in pieces of at most its max_batch.
std::vector<std::vector<float>> cpu_outputs(Executor& cpu, size_t rows,
                                            const std::vector<std::vector<float>>& inputs) {
  const ModelInfo& info = cpu.info();
  std::vector<std::vector<float>> out;
  for (const TensorInfo& t : info.outputs) out.emplace_back(rows * t.row_elements());
  for (size_t done = 0; done < rows; done += info.max_batch) {
    const size_t n = std::min(info.max_batch, rows - done);
    std::vector<const float*> in;
    for (size_t i = 0; i < inputs.size(); ++i) {
      in.push_back(inputs[i].data() + done * info.inputs[i].row_elements());
    }
    std::vector<float*> o;
    for (size_t i = 0; i < out.size(); ++i) {
      o.push_back(out[i].data() + done * info.outputs[i].row_elements());
    }
    cpu.run(Batch{n, in, o});
  }
  return out;
}

void expect_same(Executor& gpu, Executor& cpu, size_t rows, unsigned seed,
                 const std::string& what) {
  const auto inputs = random_inputs(cpu, rows, seed);
  const auto want = cpu_outputs(cpu, rows, inputs);
  const auto got = test::run_rows(gpu, rows, inputs);
  ASSERT_EQ(got.size(), want.size());
  for (size_t o = 0; o < got.size(); ++o) {
    test::expect_close(
        got[o], want[o], kAbs, kRel,
        what + " rows " + std::to_string(rows) + " output " + gpu.info().outputs[o].name);
  }
}

// Gemm in its forms: C per row (kernel), transA and transB, ReLU without bias (epilogue),
// LeakyRelu after a [1, N] bias (epilogue, then kernel), Sigmoid after a scalar bias; MatMul by
// a constant on the left of a computed batch (a strided batch whose left operand repeats); an
// output that is a view of the input.
test::OnnxBuilder gemm_variants_model() {
  test::OnnxBuilder b;
  b.input("x", {test::kBatchDim, 8}).input("c", {test::kBatchDim, 4});
  b.input("z", {test::kBatchDim, 4, 5});
  b.weight("w1", {8, 4}, test::random_floats(32, 11, 0.4F));
  b.weight("w2", {4, 8}, test::random_floats(32, 12, 0.4F));
  b.weight("w3", {4, 4}, test::random_floats(16, 13, 0.5F));
  b.weight("b3", {1, 4}, test::random_floats(4, 14, 0.5F));
  b.weight("w4", {4, 4}, test::random_floats(16, 15, 0.5F));
  b.weight("b4", {1}, {0.25F});
  b.weight("w5", {3, 4}, test::random_floats(12, 16, 0.5F));
  auto& g1 = b.node("Gemm", {"x", "w1", "c"}, {"g1"}, "per_row_c");
  test::OnnxBuilder::attr(g1, "alpha", 0.5F);
  test::OnnxBuilder::attr(g1, "beta", 2.0F);
  b.node("Tanh", {"g1"}, {"t1"});
  test::OnnxBuilder::attr(b.node("Transpose", {"x"}, {"xt"}), "perm", std::vector<int64_t>{1, 0});
  auto& g2 = b.node("Gemm", {"xt", "w2"}, {"g2"}, "transposed");
  test::OnnxBuilder::attr(g2, "transA", int64_t{1});
  test::OnnxBuilder::attr(g2, "transB", int64_t{1});
  b.node("Relu", {"g2"}, {"r2"});
  b.node("Gemm", {"r2", "w3", "b3"}, {"g3"}, "row_bias");
  test::OnnxBuilder::attr(b.node("LeakyRelu", {"g3"}, {"l3"}), "alpha", 0.2F);
  b.node("Gemm", {"t1", "w4", "b4"}, {"g4"}, "scalar_bias");
  b.node("Sigmoid", {"g4"}, {"s4"});
  b.node("Add", {"l3", "s4"}, {"y"});
  b.node("Relu", {"z"}, {"zr"});
  b.node("MatMul", {"w5", "zr"}, {"m"});  // [3, 4] x [batch, 4, 5] -> [batch, 3, 5]
  b.node("Identity", {"x"}, {"xi"});
  b.output("y").output("m").output("xi");
  return b;
}

TEST(CudaExecutor, MlpMatchesTheCpuAtEveryBatchAroundTheBuckets) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  const auto gpu = load(test::mlp_model(), "cuda", 64, "mlp");
  const auto cpu = load(test::mlp_model(), "cpu", 64, "mlp");
  EXPECT_EQ(as_cuda(*gpu).buckets(), cuda::graph_buckets(64));
  for (const size_t rows : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64}) {
    expect_same(*gpu, *cpu, rows, static_cast<unsigned>(rows), "mlp");
  }
}

// Batches of up to 4 rows run dense chains (the MLP's three layers) in one fused kernel; with
// GUIJU_CUDA_FUSED_ROWS=0 they run on cuBLASLt at every size, which must agree as well.
TEST(CudaExecutor, TheCuBlasLtPathMatchesTheCpuAtSmallBatchesToo) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  ::setenv("GUIJU_CUDA_FUSED_ROWS", "0", 1);  // NOLINT(concurrency-mt-unsafe): one thread
  const auto gpu = load(test::mlp_model(), "cuda", 8, "mlp");
  const auto every = load(test::every_op_model(), "cuda", 8, "every_op");
  ::unsetenv("GUIJU_CUDA_FUSED_ROWS");  // NOLINT(concurrency-mt-unsafe)
  const auto cpu = load(test::mlp_model(), "cpu", 8, "mlp");
  const auto every_cpu = load(test::every_op_model(), "cpu", 8, "every_op");
  for (const size_t rows : {1, 2, 3, 4, 8}) {
    expect_same(*gpu, *cpu, rows, 500 + static_cast<unsigned>(rows), "mlp on cuBLASLt");
    expect_same(*every, *every_cpu, rows, 600 + static_cast<unsigned>(rows),
                "every op on cuBLASLt");
  }
}

TEST(CudaExecutor, EveryOpMatchesTheCpu) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  const auto gpu = load(test::every_op_model(), "cuda", 16, "every_op");
  const auto cpu = load(test::every_op_model(), "cpu", 16, "every_op");
  for (const size_t rows : {1, 2, 4, 5, 16}) expect_same(*gpu, *cpu, rows, 100, "every op");
}

TEST(CudaExecutor, GemmVariantsMatchTheCpu) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  const auto gpu = load(gemm_variants_model(), "cuda", 32, "gemm_variants");
  const auto cpu = load(gemm_variants_model(), "cpu", 32, "gemm_variants");
  for (const size_t rows : {1, 3, 4, 5, 32}) expect_same(*gpu, *cpu, rows, 200, "gemm variants");
}

TEST(CudaExecutor, TheLargestBatchMatchesTheCpu) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  const auto gpu = load(test::mlp_model(), "cuda", kMaxBatchLimitCuda, "mlp");
  const auto cpu = load(test::mlp_model(), "cpu", kMaxBatchLimit, "mlp");
  EXPECT_EQ(as_cuda(*gpu).buckets().size(), 17u);
  expect_same(*gpu, *cpu, kMaxBatchLimitCuda, 300, "mlp");
  expect_same(*gpu, *cpu, 40000, 301, "mlp");  // the 65,536 bucket, padded
  expect_same(*gpu, *cpu, 1, 302, "mlp");
}

TEST(CudaExecutor, PaddingRowsNeverReachTheOutputs) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  const auto gpu = load(test::mlp_model(), "cuda", 8, "mlp");
  const auto cpu = load(test::mlp_model(), "cpu", 8, "mlp");
  // Fill every staging row with values that would poison any row that read them.
  std::vector<float> poison(size_t{8} * 64, std::numeric_limits<float>::quiet_NaN());
  std::vector<float> sink(8);
  const float* in[] = {poison.data()};
  float* out[] = {sink.data()};
  gpu->run(Batch{8, in, out});
  // 5 rows replay the bucket of 8; rows 5 to 7 are the NaNs left over. The caller's buffer has
  // room past its 5 rows, which must stay untouched.
  const auto x = test::random_floats(size_t{5} * 64, 9);
  std::vector<float> y(8, -7.0F);
  const float* in5[] = {x.data()};
  float* out5[] = {y.data()};
  gpu->run(Batch{5, in5, out5});
  const auto want = cpu_outputs(*cpu, 5, {x});
  test::expect_close(std::vector<float>(y.begin(), y.begin() + 5), want[0], kAbs, kRel, "rows");
  for (size_t i = 5; i < 8; ++i) EXPECT_EQ(y[i], -7.0F) << "row " << i << " was written";
}

TEST(CudaExecutor, RowsWrittenIntoTheStagingBuffersRunWithoutHostCopies) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  const auto gpu = load(test::every_op_model(), "cuda", 16, "every_op");
  const auto cpu = load(test::every_op_model(), "cpu", 16, "every_op");
  auto& e = as_cuda(*gpu);
  ASSERT_EQ(e.input_staging().size(), 1u);
  ASSERT_EQ(e.output_staging().size(), 2u);
  const size_t rows = 11;
  const auto inputs = random_inputs(*cpu, rows, 400);
  std::copy(inputs[0].begin(), inputs[0].end(), e.input_staging()[0]);
  gpu->run(Batch{rows, e.input_staging(), e.output_staging()});
  const auto want = cpu_outputs(*cpu, rows, inputs);
  for (size_t o = 0; o < want.size(); ++o) {
    const float* got = e.output_staging()[o];
    test::expect_close(std::vector<float>(got, got + want[o].size()), want[o], kAbs, kRel,
                       "staging output " + std::to_string(o));
  }
  EXPECT_NO_THROW(e.run_on_device(rows));
  EXPECT_THROW(e.run_on_device(0), std::invalid_argument);
  EXPECT_THROW(e.run_on_device(17), std::invalid_argument);
}

TEST(CudaExecutor, RefusesBatchesThatDoNotFit) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  const auto e = load(test::mlp_model(), "cuda", 4, "mlp");
  std::vector<float> x(size_t{5} * 64, 0.1F);
  std::vector<float> y(5, 0);
  const float* in[] = {x.data()};
  float* out[] = {y.data()};
  EXPECT_THROW(e->run(Batch{0, in, out}), std::invalid_argument);
  EXPECT_THROW(e->run(Batch{5, in, out}), std::invalid_argument);
  EXPECT_THROW(e->run(Batch{1, {}, out}), std::invalid_argument);
  const float* null_in[] = {nullptr};
  EXPECT_THROW(e->run(Batch{1, null_in, out}), std::invalid_argument);
  EXPECT_NO_THROW(e->run(Batch{4, in, out}));
  EXPECT_GT(y[3], 0.0F);  // a sigmoid: something was computed
}

TEST(CudaExecutor, InfoAndMemoryAreWhatWasPlanned) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  const auto e = load(test::mlp_model(), "cuda", 256, "mlp");
  EXPECT_EQ(e->info().name, "mlp");
  EXPECT_EQ(e->info().max_batch, 256u);
  ASSERT_EQ(e->info().inputs.size(), 1u);
  EXPECT_EQ(e->info().inputs[0].shape, (std::vector<int64_t>{64}));
  EXPECT_EQ(e->info().outputs[0].shape, (std::vector<int64_t>{1}));
  EXPECT_EQ(as_cuda(*e).device(), 0);
  // Weights (about 82 K floats), two 256-wide intermediates at 256 rows, the workspace.
  EXPECT_GT(as_cuda(*e).device_bytes(), size_t{82'000} * 4);
}

}  // namespace
}  // namespace guiju::inference
