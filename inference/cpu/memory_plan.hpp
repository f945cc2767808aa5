#pragma once
// Where every intermediate tensor and every step's scratch lives: one arena, planned once at
// load for the largest batch. Blocks whose lifetimes (first and last step that touch them)
// overlap never share bytes; the others may, so the arena is about the size of the widest
// point of the graph rather than the sum of its tensors, and stays in cache.

#include <cstddef>
#include <vector>

namespace guiju::inference::cpu {

class MemoryPlan {
 public:
  // A block of `floats` used from step `first` to step `last`, inclusive; returns its id.
  size_t add(size_t floats, int first, int last);
  // Keeps a block alive until at least step `last`.
  void extend(size_t block, int last);
  // Assigns offsets (64-byte aligned); call once, after every add.
  void finish();

  size_t offset(size_t block) const { return blocks_[block].offset; }
  size_t total_floats() const { return total_; }
  const std::vector<size_t>& offsets() const { return offsets_; }

 private:
  struct Block {
    size_t floats = 0;
    int first = 0;
    int last = 0;
    size_t offset = 0;
  };
  std::vector<Block> blocks_;
  std::vector<size_t> offsets_;
  size_t total_ = 0;
};

}  // namespace guiju::inference::cpu
