// What of the CUDA backend needs no GPU, built whether or not the backend is: the batch-size
// buckets its graphs are captured for, the per-backend max_batch limits, load_model's dispatch
// and refusals (not built into this binary; no device; an op it does not run), the model
// config's backend and device, and the index plans its kernels walk. Runs everywhere; the few
// cases that depend on the build or on a GPU being present skip, saying which.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "inference/cuda/graph_buckets.hpp"
#include "inference/onnx/model_error.hpp"
#include "inference/runtime/load_model.hpp"
#include "inference/runtime/model_repository.hpp"
#include "tests/support/inference_models.hpp"
#include "tests/support/temp_dir.hpp"

#if GUIJU_CUDA_ENABLED
#include "inference/cuda/cuda_executor.hpp"
#include "inference/cuda/device_probe.hpp"
#include "inference/cuda/strided_index.hpp"
#include "inference/onnx/onnx_loader.hpp"
#endif

namespace guiju::inference {
namespace {

std::string refusal(const ModelSpec& spec) {
  try {
    load_model(spec);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "loaded";
}

TEST(CudaBackendBuckets, PowersOfTwoBelowMaxBatchThenMaxBatch) {
  EXPECT_EQ(cuda::graph_buckets(1), (std::vector<size_t>{1}));
  EXPECT_EQ(cuda::graph_buckets(2), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(cuda::graph_buckets(6), (std::vector<size_t>{1, 2, 4, 6}));
  EXPECT_EQ(cuda::graph_buckets(64), (std::vector<size_t>{1, 2, 4, 8, 16, 32, 64}));
  const std::vector<size_t> big = cuda::graph_buckets(65536);
  ASSERT_EQ(big.size(), 17u);
  EXPECT_EQ(big.front(), 1u);
  EXPECT_EQ(big.back(), 65536u);
}

TEST(CudaBackendBuckets, ARunReplaysTheSmallestBucketThatHoldsIt) {
  for (const size_t max_batch :
       {size_t{1}, size_t{3}, size_t{6}, size_t{64}, size_t{100}, size_t{4096}, size_t{65536}}) {
    const std::vector<size_t> buckets = cuda::graph_buckets(max_batch);
    for (size_t rows = 1; rows <= max_batch; rows += rows < 300 ? 1 : 997) {
      const size_t i = cuda::bucket_index(rows, buckets.size());
      ASSERT_LT(i, buckets.size());
      EXPECT_GE(buckets[i], rows) << "max_batch " << max_batch << " rows " << rows;
      if (i > 0) {
        EXPECT_LT(buckets[i - 1], rows) << "max_batch " << max_batch << " rows " << rows;
      }
    }
    EXPECT_EQ(cuda::bucket_index(max_batch, buckets.size()), buckets.size() - 1);
  }
  // Padding stays under half the bucket: 5 rows replay the graph of 8, 33 that of 64.
  const std::vector<size_t> b = cuda::graph_buckets(64);
  EXPECT_EQ(b[cuda::bucket_index(5, b.size())], 8u);
  EXPECT_EQ(b[cuda::bucket_index(33, b.size())], 64u);
  EXPECT_EQ(b[cuda::bucket_index(1, b.size())], 1u);
}

TEST(CudaBackendLimits, MaxBatchIsPerBackend) {
  EXPECT_EQ(max_batch_limit("cpu"), 4096u);
  EXPECT_EQ(max_batch_limit("cuda"), 65536u);
  test::TempDir dir;
  ModelSpec spec;
  spec.path = test::mlp_model().write(dir.path(), "mlp.onnx");
  spec.name = "mlp";
  spec.backend = "cpu";
  spec.max_batch = 65536;
  EXPECT_NE(refusal(spec).find("max_batch 65536 is out of range for backend 'cpu' (1 to 4096)"),
            std::string::npos)
      << refusal(spec);
  spec.backend = "cuda";
  spec.max_batch = 65537;
  const std::string why = refusal(spec);
  if (backend_built("cuda")) {
    EXPECT_NE(why.find("max_batch 65537 is out of range for backend 'cuda' (1 to 65536)"),
              std::string::npos)
        << why;
  } else {
    EXPECT_NE(why.find("not built into this binary"), std::string::npos) << why;
  }
}

TEST(CudaBackendDispatch, UnknownBackendsAreRefusedNamingTheKnownOnes) {
  test::TempDir dir;
  ModelSpec spec;
  spec.path = test::mlp_model().write(dir.path(), "mlp.onnx");
  spec.name = "mlp";
  spec.backend = "rocm";
  EXPECT_NE(refusal(spec).find("model 'mlp'"), std::string::npos);
  EXPECT_NE(refusal(spec).find("backend 'rocm' is not known (known: cpu, cuda)"), std::string::npos)
      << refusal(spec);
}

TEST(CudaBackendDispatch, RefusedByNameWhenNotBuiltIn) {
  if (backend_built("cuda")) GTEST_SKIP() << "the cuda backend is built into this binary";
  test::TempDir dir;
  ModelSpec spec;
  spec.path = test::mlp_model().write(dir.path(), "mlp.onnx");
  spec.name = "mlp";
  spec.backend = "cuda";
  const std::string why = refusal(spec);
  EXPECT_NE(why.find("model 'mlp'"), std::string::npos) << why;
  EXPECT_NE(why.find("backend 'cuda' is not built into this binary"), std::string::npos) << why;
}

TEST(CudaBackendConfig, AModelConfigChoosesTheCudaBackendAndItsDevice) {
  test::TempDir dir;
  const std::filesystem::path version = dir.path() / "alpha" / "2";
  std::filesystem::create_directories(version);
  std::ofstream(version / "model.onnx") << "not parsed here";
  std::ofstream(version / "config.yaml") << R"(name: alpha
version: 2
backend: cuda
device: 1
max_batch: 65536
inputs: [{ name: x, shape: [64] }]
outputs: [{ name: y, shape: [1] }]
)";
  const ModelConfig c = read_model_config(dir.path(), "alpha", "2");
  EXPECT_EQ(c.backend, "cuda");
  EXPECT_EQ(c.device, 1);
  EXPECT_EQ(c.max_batch, 65536u);
}

#if GUIJU_CUDA_ENABLED

TEST(CudaBackendDevice, WithoutADeviceLoadModelSaysSoNamingTheModel) {
  const cuda::DeviceProbe probe = cuda::probe_devices();
  if (probe.count > 0) GTEST_SKIP() << "a CUDA device is present (" << probe.count << ")";
  test::TempDir dir;
  ModelSpec spec;
  spec.path = test::mlp_model().write(dir.path(), "mlp.onnx");
  spec.name = "mlp";
  spec.backend = "cuda";
  spec.max_batch = 256;
  const std::string why = refusal(spec);
  EXPECT_NE(why.find("model 'mlp'"), std::string::npos) << why;
  EXPECT_NE(why.find("no CUDA device is present (cudaGetDeviceCount: "), std::string::npos) << why;
  std::printf("  the refusal: %s\n", why.c_str());
}

TEST(CudaBackendDevice, ADeviceThatIsNotThereIsRefusedByNumber) {
  test::TempDir dir;
  ModelSpec spec;
  spec.path = test::mlp_model().write(dir.path(), "mlp.onnx");
  spec.name = "mlp";
  spec.backend = "cuda";
  spec.device = 200;
  const std::string why = refusal(spec);
  EXPECT_NE(why.find("model 'mlp'"), std::string::npos) << why;
  if (cuda::probe_devices().count > 0) {
    EXPECT_NE(why.find("device 200 is not present"), std::string::npos) << why;
  } else {
    EXPECT_NE(why.find("no CUDA device is present"), std::string::npos) << why;
  }
}

// GRU and LSTM are refused before any device is touched, so this runs on any machine.
TEST(CudaBackendOps, RecurrentOpsAreRefusedNamingTheNodeAndTheWayOut) {
  for (const std::string op : {"GRU", "LSTM"}) {
    const test::RnnCase k = test::rnn_case(op == "LSTM" ? 4 : 3, 1, 7);
    const std::string bytes = test::rnn_model(op, k, false).bytes();
    Graph g = parse_onnx(std::as_bytes(std::span(bytes.data(), bytes.size())), "rnn.onnx");
    ModelInfo info;
    info.name = "rnn";
    info.max_batch = 4;
    try {
      cuda::CudaExecutor e(std::move(g), info, 0);
      ADD_FAILURE() << op << " was accepted";
    } catch (const ModelError& e) {
      const std::string why = e.what();
      std::string want = "rnn.onnx: node 'rnn' (";
      want += op + "): op " + op;
      want += " is not supported by the cuda backend; use backend: cpu";
      EXPECT_NE(why.find(want), std::string::npos) << why;
    }
  }
}

// The index plans, walked on the host as the kernels walk them, against plain broadcasting.
int64_t offset_a(const cuda::StridedIndex& s, int64_t i) {
  int64_t off = 0;
  for (int d = s.rank - 1; d >= 0; --d) {
    off += i % s.dims[d] * s.stride_a[d];
    i /= s.dims[d];
  }
  return off;
}
int64_t offset_b(const cuda::StridedIndex& s, int64_t i) {
  int64_t off = 0;
  for (int d = s.rank - 1; d >= 0; --d) {
    off += i % s.dims[d] * s.stride_b[d];
    i /= s.dims[d];
  }
  return off;
}

cpu::Dims dims(std::initializer_list<size_t> d) {
  cpu::Dims out;
  for (const size_t x : d) out.d[out.rank++] = x;
  return out;
}

TEST(CudaBackendIndex, BroadcastingMergesWhatItCanAndReadsTheRightElements) {
  // [5, 4, 3] with a bias along the last dimension: two dimensions, whatever the rank.
  const cuda::StridedIndex bias =
      cuda::broadcast_index(dims({5, 4, 3}), dims({3}), dims({5, 4, 3}));
  EXPECT_EQ(bias.rank, 2);
  // Same shapes: one dimension.
  EXPECT_EQ(cuda::broadcast_index(dims({5, 4}), dims({5, 4}), dims({5, 4})).rank, 1);
  // Every case against the definition: a [2, 1, 3] by b [4, 1] -> [2, 4, 3].
  const cpu::Dims a = dims({2, 1, 3});
  const cpu::Dims b = dims({4, 1});
  const cpu::Dims y = dims({2, 4, 3});
  const cuda::StridedIndex s = cuda::broadcast_index(a, b, y);
  for (int64_t i = 0; i < 24; ++i) {
    const int64_t i0 = i / 12;
    const int64_t i1 = i / 3 % 4;
    const int64_t i2 = i % 3;
    EXPECT_EQ(offset_a(s, i), i0 * 3 + i2) << i;
    EXPECT_EQ(offset_b(s, i), i1) << i;
  }
}

TEST(CudaBackendIndex, TransposeReadsThroughThePermutation) {
  const cpu::Dims x = dims({2, 3, 4});
  const int perm[] = {1, 2, 0};
  const cpu::Dims y = dims({3, 4, 2});
  const cuda::StridedIndex s = cuda::transpose_index(x, perm, y);
  for (int64_t i = 0; i < 24; ++i) {
    const int64_t j0 = i / 8;      // x's dimension 1
    const int64_t j1 = i / 2 % 4;  // x's dimension 2
    const int64_t j2 = i % 2;      // x's dimension 0
    EXPECT_EQ(offset_a(s, i), j2 * 12 + j0 * 4 + j1) << i;
  }
}

#endif  // GUIJU_CUDA_ENABLED

}  // namespace
}  // namespace guiju::inference
