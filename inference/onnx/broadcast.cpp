#include "inference/onnx/broadcast.hpp"

#include <algorithm>

#include "inference/onnx/model_error.hpp"

namespace guiju::inference {

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Aligned from the right: a missing leading dimension is a 1.
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1) {
      out[i] = da;
    } else if (da == 1) {
      out[i] = db;
    } else {
      throw ModelError("shapes " + shape_text(a) + " and " + shape_text(b) + " do not broadcast");
    }
  }
  if (std::count(out.begin(), out.end(), kBatch) > 1) {
    throw ModelError("broadcasting " + shape_text(a) + " with " + shape_text(b) +
                     " would give two batch dimensions");
  }
  return out;
}

bool broadcasts_to(const Shape& from, const Shape& to) {
  if (from.size() > to.size()) return false;
  const size_t offset = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i) {
    if (from[i] != 1 && from[i] != to[i + offset]) return false;
  }
  return true;
}

}  // namespace guiju::inference
