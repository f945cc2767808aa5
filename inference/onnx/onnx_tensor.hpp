#pragma once
// One ONNX TensorProto (an initializer or a Constant's value) decoded into floats or integers,
// after checking that its data is inside the file, has exactly the size its dimensions say and
// fits the load limits. Only float32 and the integer types torch uses for shapes (int64, int32)
// are read; anything else is refused with its type's name.

#include <cstdint>
#include <string>
#include <vector>

#include "inference/onnx/graph.hpp"
#include "inference/onnx/load_limits.hpp"

namespace onnx {
class TensorProto;
}  // namespace onnx

namespace guiju::inference {

struct DecodedTensor {
  Shape dims;  // static
  bool is_float = true;
  std::vector<float> floats;  // is_float
  std::vector<int64_t> ints;  // !is_float
};

// `what` names the tensor in errors ("initializer 'fc.weight'").
DecodedTensor decode_tensor(const onnx::TensorProto& proto, const LoadLimits& limits,
                            const std::string& what);

// The product of `dims` when every one is positive and the product is at most `cap`; otherwise
// 0. Overflow-safe: dimensions straight from a file may be anything.
size_t checked_elements(const Shape& dims, size_t cap);

}  // namespace guiju::inference
