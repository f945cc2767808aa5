#pragma once
// Integer tensors computed at load: what torch's exporter builds out of Shape, Gather, Unsqueeze,
// Concat, Cast, Slice and integer arithmetic to give a Reshape its target or an RNN its zero
// state. They are folded into constants while loading, so a backend never sees an integer
// tensor. The batch is carried symbolically (kBatchValue), so that x.view(x.size(0), -1) folds to
// the target [batch, -1] rather than to the batch size the model was exported with.

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "inference/onnx/graph.hpp"

namespace guiju::inference {

// The batch's size as a value in a folded tensor (a shape's first element, say).
inline constexpr int64_t kBatchValue = std::numeric_limits<int64_t>::min();

struct IntTensor {
  Shape shape;  // static: 0-d (scalar) or small
  std::vector<int64_t> values;
};

// Shape(x)[start:end] (opset 15 slicing; end = INT64_MAX for "to the last").
IntTensor fold_shape(const Shape& of, int64_t start, int64_t end);
// Gather(data, indices) along `axis`.
IntTensor fold_gather(const IntTensor& data, const IntTensor& indices, int64_t axis);
// Unsqueeze and Squeeze change only the shape.
IntTensor fold_unsqueeze(const IntTensor& data, const std::vector<int64_t>& axes);
IntTensor fold_squeeze(const IntTensor& data, const std::vector<int64_t>& axes);
// Concat of rank-1 tensors (axis 0) or of equal-shape tensors along `axis`.
IntTensor fold_concat(const std::vector<const IntTensor*>& parts, int64_t axis);
// Slice of a rank-1 tensor.
IntTensor fold_slice(const IntTensor& data, int64_t start, int64_t end, int64_t step);
// Add, Sub, Mul, Div (integer division, truncating as ONNX does) with broadcasting of scalars.
// The batch survives only where the other operand is the identity (batch * 1, batch + 0).
IntTensor fold_arithmetic(std::string_view op, const IntTensor& a, const IntTensor& b);

// A folded tensor read as a list of axes (normalised against `rank`) or a Reshape target.
std::vector<int64_t> axes_from(const IntTensor& t, size_t rank);

}  // namespace guiju::inference
