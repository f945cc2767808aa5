#pragma once
// The batch sizes the CUDA backend captures a graph for: the powers of two below max_batch, and
// max_batch itself. A run of n rows replays the smallest bucket of at least n rows; the rows past
// n (the padding) compute on whatever the staging buffers held and are never copied out. No op
// the loader accepts mixes rows (it refuses a product, softmax, normalisation, concatenation or
// gather across the batch), so the padding cannot change a real row.
//
// Why buckets captured at load rather than exact sizes captured on first use: capturing takes
// milliseconds and allocates, which run() must not do; every size up to 65,536 cannot be
// captured up front; and padding costs little: a small batch leaves the GPU mostly idle anyway,
// and a large one does at most twice its rows' work (powers of two bound the padding to under
// half of the bucket). log2(max_batch) + 1 graphs, 17 at 65,536.

#include <bit>
#include <cstddef>
#include <vector>

namespace guiju::inference::cuda {

// 1, 2, 4, ... below max_batch, then max_batch (max_batch >= 1).
inline std::vector<size_t> graph_buckets(size_t max_batch) {
  std::vector<size_t> sizes;
  for (size_t b = 1; b < max_batch; b *= 2) sizes.push_back(b);
  sizes.push_back(max_batch);
  return sizes;
}

// The index in graph_buckets(max_batch) of the bucket a run of `rows` (1..max_batch) replays:
// bucket i holds 2^i rows, so it is ceil(log2(rows)), capped at the last bucket (max_batch).
inline size_t bucket_index(size_t rows, size_t bucket_count) {
  const auto i = static_cast<size_t>(std::bit_width(rows - 1));
  return i < bucket_count ? i : bucket_count - 1;
}

}  // namespace guiju::inference::cuda
