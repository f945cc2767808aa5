#include "inference/onnx/onnx_tensor.hpp"

#include <onnx/onnx_pb.h>

#include <bit>
#include <cstring>

#include "inference/onnx/model_error.hpp"

namespace guiju::inference {
namespace {

// raw_data is little-endian by the ONNX spec; copying it as is needs a little-endian host.
static_assert(std::endian::native == std::endian::little);

template <typename T>
void copy_raw(const std::string& raw, size_t n, std::vector<T>& out, const std::string& what) {
  if (raw.size() != n * sizeof(T)) {
    throw ModelError(what + " has " + std::to_string(raw.size()) +
                     " bytes of data, its shape needs " + std::to_string(n * sizeof(T)));
  }
  out.resize(n);
  std::memcpy(out.data(), raw.data(), raw.size());
}

}  // namespace

size_t checked_elements(const Shape& dims, size_t cap) {
  size_t n = 1;
  for (const int64_t d : dims) {
    if (d <= 0 || static_cast<uint64_t>(d) > cap || n > cap / static_cast<size_t>(d)) return 0;
    n *= static_cast<size_t>(d);
  }
  return n;
}

DecodedTensor decode_tensor(const onnx::TensorProto& proto, const LoadLimits& limits,
                            const std::string& what) {
  if (proto.data_location() == onnx::TensorProto::EXTERNAL || proto.external_data_size() > 0) {
    throw ModelError(what +
                     " keeps its data in an external file; only self-contained models "
                     "load (save with all tensors inside the .onnx file)");
  }
  if (proto.has_segment()) throw ModelError(what + " is segmented; not supported");
  DecodedTensor t;
  if (static_cast<size_t>(proto.dims_size()) > limits.max_rank) {
    throw ModelError(what + " has rank " + std::to_string(proto.dims_size()) + ", more than " +
                     std::to_string(limits.max_rank));
  }
  t.dims.assign(proto.dims().begin(), proto.dims().end());
  const size_t n = checked_elements(t.dims, limits.max_tensor_elements);
  if (n == 0) {
    throw ModelError(what + " has shape " + shape_text(t.dims) +
                     ": every dimension must be positive and the tensor at most " +
                     std::to_string(limits.max_tensor_elements) + " elements");
  }
  const std::string& raw = proto.raw_data();
  switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (!raw.empty()) {
        copy_raw(raw, n, t.floats, what);
      } else if (static_cast<size_t>(proto.float_data_size()) == n) {
        t.floats.assign(proto.float_data().begin(), proto.float_data().end());
      } else {
        throw ModelError(what + " has " + std::to_string(proto.float_data_size()) +
                         " values, its shape " + shape_text(t.dims) + " needs " +
                         std::to_string(n));
      }
      return t;
    case onnx::TensorProto::INT64:
      t.is_float = false;
      if (!raw.empty()) {
        copy_raw(raw, n, t.ints, what);
      } else if (static_cast<size_t>(proto.int64_data_size()) == n) {
        t.ints.assign(proto.int64_data().begin(), proto.int64_data().end());
      } else {
        throw ModelError(what + " has " + std::to_string(proto.int64_data_size()) +
                         " values, its shape " + shape_text(t.dims) + " needs " +
                         std::to_string(n));
      }
      return t;
    case onnx::TensorProto::INT32: {
      t.is_float = false;
      std::vector<int32_t> v;
      if (!raw.empty()) {
        copy_raw(raw, n, v, what);
      } else if (static_cast<size_t>(proto.int32_data_size()) == n) {
        v.assign(proto.int32_data().begin(), proto.int32_data().end());
      } else {
        throw ModelError(what + " has " + std::to_string(proto.int32_data_size()) +
                         " values, its shape " + shape_text(t.dims) + " needs " +
                         std::to_string(n));
      }
      t.ints.assign(v.begin(), v.end());
      return t;
    }
    default:
      break;
  }
  const int type = proto.data_type();
  const std::string type_name = onnx::TensorProto::DataType_IsValid(type)
                                    ? onnx::TensorProto::DataType_Name(type)
                                    : "type " + std::to_string(type);
  throw ModelError(what + " is " + type_name + "; only FLOAT (float32) tensors are supported");
}

}  // namespace guiju::inference
