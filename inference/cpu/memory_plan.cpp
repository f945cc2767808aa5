#include "inference/cpu/memory_plan.hpp"

#include <algorithm>
#include <numeric>

namespace guiju::inference::cpu {
namespace {

constexpr size_t kAlignFloats = 16;  // 64 bytes: a cache line, and a whole AVX-512 vector

size_t round_up(size_t n) {
  return (n + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
}

}  // namespace

size_t MemoryPlan::add(size_t floats, int first, int last) {
  blocks_.push_back(Block{round_up(std::max<size_t>(floats, 1)), first, last, 0});
  return blocks_.size() - 1;
}

void MemoryPlan::extend(size_t block, int last) {
  blocks_[block].last = std::max(blocks_[block].last, last);
}

void MemoryPlan::finish() {
  // Greedy by size, largest first, each at the lowest offset clear of every placed block that
  // is alive at the same time: simple, and close to optimal on the chains models are.
  std::vector<size_t> order(blocks_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return blocks_[a].floats > blocks_[b].floats; });
  std::vector<size_t> placed;
  total_ = 0;
  for (const size_t id : order) {
    Block& b = blocks_[id];
    std::vector<std::pair<size_t, size_t>> busy;  // [begin, end) of overlapping blocks
    for (const size_t other : placed) {
      const Block& o = blocks_[other];
      if (o.first <= b.last && b.first <= o.last) busy.emplace_back(o.offset, o.offset + o.floats);
    }
    std::sort(busy.begin(), busy.end());
    size_t at = 0;
    for (const auto& [begin, end] : busy) {
      if (at + b.floats <= begin) break;
      at = std::max(at, end);
    }
    b.offset = at;
    total_ = std::max(total_, at + b.floats);
    placed.push_back(id);
  }
  offsets_.resize(blocks_.size());
  for (size_t i = 0; i < blocks_.size(); ++i) offsets_[i] = blocks_[i].offset;
}

}  // namespace guiju::inference::cpu
