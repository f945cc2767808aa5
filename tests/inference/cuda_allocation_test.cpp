// The CUDA executor's run() allocates nothing of its own: every operator new in this process is
// counted (replaced here) while runs are in progress, at batch 1 and at the largest batch. The
// CUDA driver is C and allocates with malloc, which is not counted: what it does inside a graph
// launch is its own. Skips, printing why, where there is no CUDA device.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "inference/runtime/load_model.hpp"
#include "tests/support/cuda_device.hpp"
#include "tests/support/inference_models.hpp"
#include "tests/support/temp_dir.hpp"

namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> allocations{0};
}  // namespace

// NOLINTBEGIN: the global allocation functions, replaced for counting. GCC sees free() on what
// its idea of operator new returned; here both are malloc's.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) {
  return ::operator new(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop
// NOLINTEND

namespace guiju::inference {
namespace {

size_t allocations_during_runs(Executor& e, size_t rows, int runs) {
  std::vector<float> x = test::random_floats(rows * 64, 5);
  std::vector<float> y(rows);
  const float* in[] = {x.data()};
  float* out[] = {y.data()};
  const Batch batch{rows, in, out};
  e.run(batch);
  allocations = 0;
  counting = true;
  for (int i = 0; i < runs; ++i) e.run(batch);
  counting = false;
  return allocations.load();
}

TEST(CudaAllocation, TheCounterSeesAllocations) {
  counting = true;
  allocations = 0;
  auto* p = new std::vector<int>(10);
  counting = false;
  delete p;
  EXPECT_GE(allocations.load(), 1u);
}

TEST(CudaAllocation, NoneDuringRunsAtBatchOneAndTheLargestBatch) {
  GUIJU_SKIP_WITHOUT_CUDA_DEVICE();
  test::TempDir dir;
  ModelSpec spec;
  spec.path = test::mlp_model().write(dir.path(), "mlp.onnx");
  spec.name = "mlp";
  spec.backend = "cuda";
  spec.max_batch = kMaxBatchLimitCuda;
  const auto e = load_model(spec);
  EXPECT_EQ(allocations_during_runs(*e, 1, 1000), 0u);
  EXPECT_EQ(allocations_during_runs(*e, 7, 100), 0u);
  EXPECT_EQ(allocations_during_runs(*e, kMaxBatchLimitCuda, 3), 0u);
}

}  // namespace
}  // namespace guiju::inference
