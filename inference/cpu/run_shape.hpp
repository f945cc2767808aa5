#pragma once
// Shapes at run time: an IR shape with the batch dimension set to the rows of the run, held in
// a fixed array so that working out a step's shapes on every run allocates nothing.

#include <array>
#include <cstddef>
#include <cstdint>

#include "inference/onnx/graph.hpp"
#include "inference/onnx/model_error.hpp"

namespace guiju::inference::cpu {

inline constexpr size_t kMaxRank = 8;

struct Dims {
  size_t rank = 0;
  std::array<size_t, kMaxRank> d{};

  size_t operator[](size_t i) const { return d[i]; }
  size_t elements() const {
    size_t n = 1;
    for (size_t i = 0; i < rank; ++i) n *= d[i];
    return n;
  }
  // The product of dimensions [from, to).
  size_t product(size_t from, size_t to) const {
    size_t n = 1;
    for (size_t i = from; i < to; ++i) n *= d[i];
    return n;
  }
};

class ShapeAt {
 public:
  ShapeAt() = default;
  explicit ShapeAt(const Shape& shape) {
    if (shape.size() > kMaxRank) throw ModelError("rank above " + std::to_string(kMaxRank));
    fixed_.rank = shape.size();
    for (size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] == kBatch) {
        batch_ = static_cast<int>(i);
        fixed_.d[i] = 1;
      } else {
        fixed_.d[i] = static_cast<size_t>(shape[i]);
      }
    }
  }
  Dims at(size_t rows) const {
    Dims out = fixed_;
    if (batch_ >= 0) out.d[static_cast<size_t>(batch_)] = rows;
    return out;
  }
  size_t rank() const { return fixed_.rank; }

 private:
  Dims fixed_;
  int batch_ = -1;
};

}  // namespace guiju::inference::cpu
