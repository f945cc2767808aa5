// The CPU executor allocates nothing at batch 1 (its hot path): every allocation in this
// process is counted (malloc and its relatives are replaced here, so operator new, Eigen's
// aligned allocations and the C library's own calls are all seen) while a run of each model is
// in progress. Larger batches are counted too and reported; the contract is batch 1.

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <vector>

#include "tests/support/inference_harness.hpp"
#include "tests/support/inference_models.hpp"

// glibc's allocator under its own names, which the replacements below call.
// NOLINTBEGIN(bugprone-reserved-identifier)
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void __libc_free(void* p);
}
// NOLINTEND(bugprone-reserved-identifier)

namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> allocations{0};

void note() {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

// NOLINTBEGIN: the C library's allocation functions, replaced for counting.
extern "C" void* malloc(size_t size) {
  note();
  return __libc_malloc(size);
}
extern "C" void* calloc(size_t n, size_t size) {
  note();
  return __libc_calloc(n, size);
}
extern "C" void* realloc(void* p, size_t size) {
  note();
  return __libc_realloc(p, size);
}
extern "C" void free(void* p) {
  __libc_free(p);
}
extern "C" void* aligned_alloc(size_t alignment, size_t size) {
  note();
  return __libc_memalign(alignment, size);
}
extern "C" void* memalign(size_t alignment, size_t size) {
  note();
  return __libc_memalign(alignment, size);
}
extern "C" int posix_memalign(void** out, size_t alignment, size_t size) {
  note();
  *out = __libc_memalign(alignment, size);
  return *out == nullptr ? 12 : 0;  // ENOMEM
}
// NOLINTEND

namespace guiju::inference {
namespace {

// Allocations during one run of `rows` rows (buffers made before counting starts).
size_t allocations_in_run(Executor& e, size_t rows) {
  const ModelInfo& info = e.info();
  std::vector<std::vector<float>> in;
  std::vector<std::vector<float>> out;
  for (const auto& t : info.inputs) in.emplace_back(rows * t.row_elements(), 0.25F);
  for (const auto& t : info.outputs) out.emplace_back(rows * t.row_elements());
  std::vector<const float*> ip;
  std::vector<float*> op;
  ip.reserve(in.size());
  op.reserve(out.size());
  for (auto& v : in) ip.push_back(v.data());
  for (auto& v : out) op.push_back(v.data());
  const Batch batch{rows, ip, op};
  e.run(batch);  // a first run, as a warm service would have had
  allocations = 0;
  counting = true;
  e.run(batch);
  counting = false;
  return allocations.load();
}

TEST(InferenceAllocation, TheCounterSeesAllocations) {
  allocations = 0;
  counting = true;
  auto* p = new std::vector<float>(100);
  counting = false;
  delete p;
  EXPECT_GE(allocations.load(), 1U);
}

TEST(InferenceAllocation, NoneAtBatchOne) {
  struct Case {
    const char* name;
    test::OnnxBuilder model;
  };
  const test::RnnCase gru = test::rnn_case(3, 1, 1);
  const test::RnnCase lstm = test::rnn_case(4, 1, 2);
  std::vector<Case> cases;
  cases.push_back({"mlp", test::mlp_model()});
  cases.push_back({"every op", test::every_op_model()});
  cases.push_back({"gru", test::rnn_model("GRU", gru, true)});
  cases.push_back({"gru lbr 0", test::rnn_model("GRU", gru, false)});
  cases.push_back({"lstm", test::rnn_model("LSTM", lstm, false)});
  for (const Case& c : cases) {
    const auto e = test::load_built(c.model, 64, "alloc");
    EXPECT_EQ(allocations_in_run(*e, 1), 0U) << c.name << " at batch 1";
    std::printf("[ info ] %s: %zu allocations at batch 64\n", c.name, allocations_in_run(*e, 64));
  }
}

}  // namespace
}  // namespace guiju::inference
