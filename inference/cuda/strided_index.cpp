#include "inference/cuda/strided_index.hpp"

#include <array>

namespace guiju::inference::cuda {
namespace {

// Steps of `d` (aligned to the right of `rank` dimensions) when walking `rank` dimensions: 0
// along a dimension of 1, which repeats.
std::array<int64_t, cpu::kMaxRank> broadcast_strides(const cpu::Dims& d, size_t rank) {
  std::array<int64_t, cpu::kMaxRank> s{};
  int64_t stride = 1;
  for (size_t i = rank; i-- > 0;) {
    const size_t j = i + d.rank;  // d's dimension i - (rank - d.rank), if it exists
    const size_t size = j >= rank ? d[j - rank] : 1;
    s[i] = size == 1 ? 0 : stride;
    stride *= static_cast<int64_t>(size);
  }
  return s;
}

// Drops dimensions of 1 and merges a dimension into the one before it when both operands step
// through the pair as through one dimension.
StridedIndex merged(const cpu::Dims& y, const std::array<int64_t, cpu::kMaxRank>& sa,
                    const std::array<int64_t, cpu::kMaxRank>& sb) {
  StridedIndex s;
  for (size_t i = 0; i < y.rank; ++i) {
    const auto size = static_cast<int64_t>(y[i]);
    if (size == 1) continue;
    const int r = s.rank;
    if (r > 0 && s.stride_a[r - 1] == sa[i] * size && s.stride_b[r - 1] == sb[i] * size) {
      s.dims[r - 1] *= size;
      s.stride_a[r - 1] = sa[i];
      s.stride_b[r - 1] = sb[i];
      continue;
    }
    s.dims[r] = size;
    s.stride_a[r] = sa[i];
    s.stride_b[r] = sb[i];
    ++s.rank;
  }
  if (s.rank == 0) {  // a single element
    s.rank = 1;
    s.dims[0] = 1;
  }
  return s;
}

}  // namespace

StridedIndex broadcast_index(const cpu::Dims& a, const cpu::Dims& b, const cpu::Dims& y) {
  return merged(y, broadcast_strides(a, y.rank), broadcast_strides(b, y.rank));
}

StridedIndex transpose_index(const cpu::Dims& x, const int* perm, const cpu::Dims& y) {
  std::array<int64_t, cpu::kMaxRank> in_stride{};
  int64_t stride = 1;
  for (size_t i = x.rank; i-- > 0;) {
    in_stride[i] = stride;
    stride *= static_cast<int64_t>(x[i]);
  }
  std::array<int64_t, cpu::kMaxRank> sa{};
  for (size_t i = 0; i < y.rank; ++i) sa[i] = in_stride[static_cast<size_t>(perm[i])];
  const std::array<int64_t, cpu::kMaxRank> none{};
  return merged(y, sa, none);
}

}  // namespace guiju::inference::cuda
