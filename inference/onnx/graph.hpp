#pragma once
// The model as every backend sees it: a small, validated graph IR built from an ONNX file by
// inference/onnx/onnx_loader.hpp. Nothing here knows protobuf or a device.
//
// What the loader guarantees of a Graph (so a backend checks none of it again):
// - every tensor is float32 and has a static shape, except for at most one dimension that is the
//   batch (kBatch); graph inputs and outputs have the batch as their first dimension and nowhere
//   else;
// - nodes are in topological order, every input of a node is a graph input, a weight or the
//   output of an earlier node, and every output shape was inferred and checked from the inputs;
// - attributes are typed, defaulted and normalised (axes non-negative, Reshape targets resolved),
//   so a backend reads them without knowing ONNX's opset rules;
// - everything ONNX computes from shapes alone (Shape, Gather on shapes, Constant, ...) is folded
//   away at load, and Reshape, Flatten, Squeeze, Unsqueeze and Identity all become kReshape: the
//   same row-major data under another shape, which a backend may alias.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace guiju::inference {

// A dimension's size, or kBatch: the rows of a run. A Shape holds kBatch at most once.
inline constexpr int64_t kBatch = -1;
using Shape = std::vector<int64_t>;

// "[batch, 4, 16]", for error messages and logs.
std::string shape_text(const Shape& shape);
// The product of the static dimensions (the batch counts as 1).
size_t static_elements(const Shape& shape);
// Elements with the batch dimension set to `rows`.
size_t elements_at(const Shape& shape, size_t rows);
// The index of the batch dimension, or -1 when the shape has none.
int batch_axis(const Shape& shape);

using TensorId = int32_t;
inline constexpr TensorId kNoTensor = -1;  // an optional input or output that is absent

enum class TensorKind : uint8_t {
  kInput,       // a graph input, given by the caller on every run
  kWeight,      // an initializer or folded constant: `data` holds its values
  kActivation,  // produced by a node
};

struct Tensor {
  std::string name;
  Shape shape;
  TensorKind kind = TensorKind::kActivation;
  std::vector<float> data;  // kWeight only: static_elements(shape) values, row-major
};

enum class OpType : uint8_t {
  kGemm,
  kMatMul,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kRelu,
  kLeakyRelu,
  kTanh,
  kSigmoid,
  kSoftmax,
  kLayerNormalization,
  kConcat,
  kReshape,  // also Flatten, Squeeze, Unsqueeze and Identity: the output's shape says it all
  kTranspose,
  kGather,
  kGru,
  kLstm,
};
std::string_view op_name(OpType op);

// An activation fused into the node before it (see inference/onnx/fuse_activations.hpp).
enum class Activation : uint8_t { kNone, kRelu, kLeakyRelu, kTanh, kSigmoid };
std::string_view activation_name(Activation a);

// Y = activation(alpha * A' * B' + beta * C), A' = transA ? A^T : A, B' likewise. A' is [M, K], B'
// is [K, N]; C (optional) broadcasts to [M, N] in one direction.
struct GemmAttributes {
  float alpha = 1.0F;
  float beta = 1.0F;
  bool trans_a = false;
  bool trans_b = false;
  Activation activation = Activation::kNone;  // never set by ONNX itself: by the fusion pass
  float activation_alpha = 0.01F;             // LeakyRelu's slope
};

struct LeakyReluAttributes {
  float alpha = 0.01F;
};

// Opset 13 and later: along `axis` alone. Before opset 13 (`flatten`): over every dimension from
// `axis` on, as one row of a 2-D matrix.
struct SoftmaxAttributes {
  int axis = 0;
  bool flatten = false;
};

// Normalises over the dimensions from `axis` to the last (all static).
struct LayerNormAttributes {
  int axis = 0;
  float epsilon = 1e-5F;
};

struct ConcatAttributes {
  int axis = 0;
};

struct TransposeAttributes {
  std::vector<int> perm;  // output dimension i is input dimension perm[i]
};

// Takes `indices` along `axis`; with `scalar` the axis is dropped (a 0-d index), otherwise it
// becomes indices.size() long. Indices are constant and in range.
struct GatherAttributes {
  int axis = 0;
  std::vector<int64_t> indices;
  bool scalar = false;
};

// Forward direction, one layer, layout 0 (X is [steps, batch, input]), default activations.
// Inputs: X, W [1, gates*H, I], R [1, gates*H, H], B [1, 2*gates*H] (or kNoTensor), initial_h
// [1, batch, H] (or kNoTensor: zeros), and for the LSTM initial_c likewise. Outputs: Y
// [steps, 1, batch, H], Y_h [1, batch, H], and for the LSTM Y_c; kNoTensor where unused.
// GRU gates are z, r, h; LSTM gates are i, o, f, c, as ONNX orders them.
struct RnnAttributes {
  int hidden_size = 0;
  bool linear_before_reset = false;  // GRU only
};

using Attributes = std::variant<std::monostate, GemmAttributes, LeakyReluAttributes,
                                SoftmaxAttributes, LayerNormAttributes, ConcatAttributes,
                                TransposeAttributes, GatherAttributes, RnnAttributes>;

struct Node {
  OpType op = OpType::kReshape;
  std::string name;     // the ONNX node's name, or "#<index>" when it had none
  std::string onnx_op;  // the ONNX op type it came from (Flatten for a kReshape from Flatten)
  std::vector<TensorId> inputs;
  std::vector<TensorId> outputs;
  Attributes attributes;
};

struct Graph {
  std::string source;  // the file it was loaded from, for messages
  int64_t opset = 0;
  std::vector<Tensor> tensors;
  std::vector<Node> nodes;  // topological order
  std::vector<TensorId> inputs;
  std::vector<TensorId> outputs;

  const Tensor& tensor(TensorId id) const { return tensors[static_cast<size_t>(id)]; }
  Tensor& tensor(TensorId id) { return tensors[static_cast<size_t>(id)]; }
};

}  // namespace guiju::inference
