#include "inference/onnx/shape_inference.hpp"

#include <algorithm>
#include <string>

#include "inference/onnx/broadcast.hpp"
#include "inference/onnx/model_error.hpp"

namespace guiju::inference {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw ModelError(what);
}

const Shape& input_shape(const Graph& g, const Node& n, size_t i) {
  if (i >= n.inputs.size() || n.inputs[i] == kNoTensor) {
    fail("input " + std::to_string(i) + " is missing");
  }
  return g.tensor(n.inputs[i]).shape;
}

bool has_input(const Node& n, size_t i) {
  return i < n.inputs.size() && n.inputs[i] != kNoTensor;
}

void expect_rank(const Shape& s, size_t rank, const char* what) {
  if (s.size() != rank) {
    fail(std::string(what) + " must have rank " + std::to_string(rank) + ", has shape " +
         shape_text(s));
  }
}

void expect_weight(const Graph& g, const Node& n, size_t i, const char* what) {
  if (has_input(n, i) && g.tensor(n.inputs[i]).kind != TensorKind::kWeight) {
    fail(std::string(what) + " ('" + g.tensor(n.inputs[i]).name +
         "') must be an initializer (a constant), not computed by the graph");
  }
}

void expect_no_batch(const Shape& s, size_t from, const char* what) {
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == kBatch) fail(std::string(what) + " includes the batch dimension: " + shape_text(s));
  }
}

Shape gemm(const Graph& g, const Node& n) {
  const auto& at = std::get<GemmAttributes>(n.attributes);
  const Shape& a = input_shape(g, n, 0);
  const Shape& b = input_shape(g, n, 1);
  expect_rank(a, 2, "A");
  expect_rank(b, 2, "B");
  const int64_t m = at.trans_a ? a[1] : a[0];
  const int64_t ka = at.trans_a ? a[0] : a[1];
  const int64_t kb = at.trans_b ? b[1] : b[0];
  const int64_t nn = at.trans_b ? b[0] : b[1];
  if (ka != kb) {
    fail("A " + shape_text(a) + " and B " + shape_text(b) + " do not multiply (transA " +
         std::to_string(at.trans_a) + ", transB " + std::to_string(at.trans_b) + ")");
  }
  if (ka == kBatch) fail("the inner dimension of the product is the batch");
  if (m == kBatch && nn == kBatch) fail("the output would have two batch dimensions");
  Shape out{m, nn};
  if (has_input(n, 2) && !broadcasts_to(input_shape(g, n, 2), out)) {
    fail("C " + shape_text(input_shape(g, n, 2)) + " does not broadcast to the output " +
         shape_text(out));
  }
  return out;
}

Shape matmul(const Graph& g, const Node& n) {
  Shape a = input_shape(g, n, 0);
  Shape b = input_shape(g, n, 1);
  if (a.empty() || b.empty()) fail("MatMul of a scalar");
  const bool a_vector = a.size() == 1;
  const bool b_vector = b.size() == 1;
  if (a_vector) a.insert(a.begin(), 1);
  if (b_vector) b.push_back(1);
  const int64_t ka = a[a.size() - 1];
  const int64_t kb = b[b.size() - 2];
  if (ka != kb) {
    fail("shapes " + shape_text(input_shape(g, n, 0)) + " and " + shape_text(input_shape(g, n, 1)) +
         " do not multiply");
  }
  if (ka == kBatch) fail("the inner dimension of the product is the batch");
  const Shape lead_a(a.begin(), a.end() - 2);
  const Shape lead_b(b.begin(), b.end() - 2);
  Shape out = broadcast_shapes(lead_a, lead_b);
  if (!a_vector) out.push_back(a[a.size() - 2]);
  if (!b_vector) out.push_back(b[b.size() - 1]);
  if (std::count(out.begin(), out.end(), kBatch) > 1) {
    fail("the output " + shape_text(out) + " would have two batch dimensions");
  }
  return out;
}

Shape softmax(const Graph& g, const Node& n) {
  const auto& at = std::get<SoftmaxAttributes>(n.attributes);
  const Shape& x = input_shape(g, n, 0);
  if (at.axis < 0 || static_cast<size_t>(at.axis) >= x.size()) {
    fail("axis " + std::to_string(at.axis) + " is out of range for " + shape_text(x));
  }
  if (at.flatten) {
    expect_no_batch(x, static_cast<size_t>(at.axis), "the softmax (dimensions from axis on)");
  } else if (x[static_cast<size_t>(at.axis)] == kBatch) {
    fail("the softmax axis " + std::to_string(at.axis) + " is the batch dimension of " +
         shape_text(x));
  }
  return x;
}

Shape layer_norm(const Graph& g, const Node& n) {
  const auto& at = std::get<LayerNormAttributes>(n.attributes);
  const Shape& x = input_shape(g, n, 0);
  if (at.axis < 0 || static_cast<size_t>(at.axis) >= x.size()) {
    fail("axis " + std::to_string(at.axis) + " is out of range for " + shape_text(x));
  }
  expect_no_batch(x, static_cast<size_t>(at.axis), "the normalised dimensions (axis on)");
  if (!(at.epsilon > 0.0F)) fail("epsilon must be positive");
  const Shape normalised(x.begin() + at.axis, x.end());
  expect_weight(g, n, 1, "Scale");
  expect_weight(g, n, 2, "B");
  for (size_t i = 1; i <= 2; ++i) {
    if (!has_input(n, i)) {
      if (i == 1) fail("input Scale is missing");
      continue;
    }
    if (!broadcasts_to(input_shape(g, n, i), normalised)) {
      fail(std::string(i == 1 ? "Scale " : "B ") + shape_text(input_shape(g, n, i)) +
           " does not broadcast to the normalised shape " + shape_text(normalised));
    }
  }
  return x;
}

Shape concat(const Graph& g, const Node& n) {
  const int axis = std::get<ConcatAttributes>(n.attributes).axis;
  if (n.inputs.empty()) fail("no inputs");
  Shape out = input_shape(g, n, 0);
  if (axis < 0 || static_cast<size_t>(axis) >= out.size()) {
    fail("axis " + std::to_string(axis) + " is out of range for " + shape_text(out));
  }
  const auto ax = static_cast<size_t>(axis);
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    const Shape& s = input_shape(g, n, i);
    bool same = s.size() == out.size();
    for (size_t d = 0; same && d < s.size(); ++d) same = d == ax || s[d] == out[d];
    if (!same) {
      fail("input " + std::to_string(i) + " " + shape_text(s) + " does not match input 0 " +
           shape_text(input_shape(g, n, 0)) + " outside axis " + std::to_string(axis));
    }
    if (s[ax] == kBatch) fail("concatenation along the batch dimension");
    if (i != 0) out[ax] += s[ax];
  }
  return out;
}

Shape reshape(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  if (n.outputs.empty() || n.outputs[0] == kNoTensor) fail("no output");
  const Shape& y = g.tensor(n.outputs[0]).shape;
  if (static_elements(x) != static_elements(y) || (batch_axis(x) < 0) != (batch_axis(y) < 0)) {
    fail("cannot reshape " + shape_text(x) + " to " + shape_text(y));
  }
  return y;
}

Shape transpose(const Graph& g, const Node& n) {
  const auto& perm = std::get<TransposeAttributes>(n.attributes).perm;
  const Shape& x = input_shape(g, n, 0);
  std::vector<int> sorted(perm);
  std::sort(sorted.begin(), sorted.end());
  bool ok = sorted.size() == x.size();
  for (size_t i = 0; ok && i < sorted.size(); ++i) ok = sorted[i] == static_cast<int>(i);
  if (!ok) fail("perm is not a permutation of the " + std::to_string(x.size()) + " dimensions");
  Shape out(x.size());
  for (size_t i = 0; i < perm.size(); ++i) out[i] = x[static_cast<size_t>(perm[i])];
  return out;
}

Shape gather(const Graph& g, const Node& n) {
  const auto& at = std::get<GatherAttributes>(n.attributes);
  const Shape& x = input_shape(g, n, 0);
  if (at.axis < 0 || static_cast<size_t>(at.axis) >= x.size()) {
    fail("axis " + std::to_string(at.axis) + " is out of range for " + shape_text(x));
  }
  const int64_t size = x[static_cast<size_t>(at.axis)];
  if (size == kBatch) fail("gathering along the batch dimension");
  if (at.scalar && at.indices.size() != 1) fail("a scalar index with several values");
  for (const int64_t i : at.indices) {
    if (i < 0 || i >= size) {
      fail("index " + std::to_string(i) + " is out of range for a dimension of " +
           std::to_string(size));
    }
  }
  Shape out(x.begin(), x.begin() + at.axis);
  if (!at.scalar) out.push_back(static_cast<int64_t>(at.indices.size()));
  out.insert(out.end(), x.begin() + at.axis + 1, x.end());
  return out;
}

std::vector<Shape> rnn(const Graph& g, const Node& n, int64_t gates, size_t max_inputs,
                       size_t outputs) {
  const auto& at = std::get<RnnAttributes>(n.attributes);
  const int64_t h = at.hidden_size;
  if (h <= 0) fail("hidden_size must be positive");
  if (n.inputs.size() > max_inputs) fail("too many inputs");
  const Shape& x = input_shape(g, n, 0);
  expect_rank(x, 3, "X ([steps, batch, input])");
  if (x[0] == kBatch || x[2] == kBatch) {
    fail("X " + shape_text(x) +
         " has the batch outside dimension 1 (layout 0 is [steps, batch, "
         "input])");
  }
  for (size_t i = 1; i <= 3; ++i) expect_weight(g, n, i, i == 1 ? "W" : i == 2 ? "R" : "B");
  const Shape w{1, gates * h, x[2]};
  const Shape r{1, gates * h, h};
  const Shape b{1, 2 * gates * h};
  if (input_shape(g, n, 1) != w) {
    fail("W is " + shape_text(input_shape(g, n, 1)) + ", expected " + shape_text(w));
  }
  if (input_shape(g, n, 2) != r) {
    fail("R is " + shape_text(input_shape(g, n, 2)) + ", expected " + shape_text(r));
  }
  if (has_input(n, 3) && input_shape(g, n, 3) != b) {
    fail("B is " + shape_text(input_shape(g, n, 3)) + ", expected " + shape_text(b));
  }
  const Shape state{1, x[1], h};
  for (size_t i = 5; i < max_inputs; ++i) {  // initial_h, and for the LSTM initial_c
    if (has_input(n, i) && input_shape(g, n, i) != state) {
      fail(std::string(i == 5 ? "initial_h" : "initial_c") + " is " +
           shape_text(input_shape(g, n, i)) + ", expected " + shape_text(state));
    }
  }
  if (n.outputs.size() > outputs) fail("too many outputs");
  std::vector<Shape> out(n.outputs.size(), state);
  if (!out.empty()) out[0] = {x[0], 1, x[1], h};
  return out;
}

}  // namespace

std::vector<Shape> infer_shapes(const Graph& graph, const Node& node) {
  const Graph& g = graph;
  const Node& n = node;
  switch (n.op) {
    case OpType::kGemm:
      return {gemm(g, n)};
    case OpType::kMatMul:
      return {matmul(g, n)};
    case OpType::kAdd:
    case OpType::kSub:
    case OpType::kMul:
    case OpType::kDiv:
      return {broadcast_shapes(input_shape(g, n, 0), input_shape(g, n, 1))};
    case OpType::kRelu:
    case OpType::kLeakyRelu:
    case OpType::kTanh:
    case OpType::kSigmoid:
      return {input_shape(g, n, 0)};
    case OpType::kSoftmax:
      return {softmax(g, n)};
    case OpType::kLayerNormalization:
      return {layer_norm(g, n)};
    case OpType::kConcat:
      return {concat(g, n)};
    case OpType::kReshape:
      return {reshape(g, n)};
    case OpType::kTranspose:
      return {transpose(g, n)};
    case OpType::kGather:
      return {gather(g, n)};
    case OpType::kGru:
      return rnn(g, n, 3, 6, 2);
    case OpType::kLstm:
      return rnn(g, n, 4, 7, 3);
  }
  fail("unknown op");
}

}  // namespace guiju::inference
