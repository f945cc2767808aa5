#pragma once
// The loader's state while it translates an ONNX graph node by node (internal to
// inference/onnx): what each ONNX tensor name stands for so far, and the Graph being built. Every
// tensor that enters the Graph passes the load limits here.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "inference/onnx/graph.hpp"
#include "inference/onnx/load_limits.hpp"
#include "inference/onnx/shape_folding.hpp"

namespace onnx {
class NodeProto;
}  // namespace onnx

namespace guiju::inference {

// What an ONNX tensor name stands for while loading.
struct Value {
  enum class Kind : uint8_t {
    kTensor,  // a float tensor of the Graph (input, weight or activation)
    kInts,    // an integer tensor folded at load (shapes, axes, indices)
    kZeros,   // ConstantOfShape(0) whose shape has the batch in it: only an RNN's zero state
  };
  Kind kind = Kind::kTensor;
  TensorId tensor = kNoTensor;
  IntTensor ints;
  Shape zeros_shape;
};

class ImportContext {
 public:
  ImportContext(Graph& graph, const LoadLimits& limits, int64_t opset)
      : graph_(graph), limits_(limits), opset_(opset) {}

  Graph& graph() { return graph_; }
  const LoadLimits& limits() const { return limits_; }
  int64_t opset() const { return opset_; }

  bool defined(const std::string& name) const { return values_.contains(name); }
  const Value& value(const std::string& name) const;
  void define(const std::string& name, Value value);

  // A weight: a float constant of the Graph.
  TensorId add_weight(const std::string& name, Shape shape, std::vector<float> data);
  // A graph input.
  TensorId add_input(const std::string& name, Shape shape);
  // Appends `node` with one activation per name in `outputs` ("" for an unused optional output),
  // infers and checks its output shapes and defines the names. For a kReshape, `reshape_to` is
  // the output's shape, resolved by the caller.
  void emit(Node node, const std::vector<std::string>& outputs, const Shape* reshape_to = nullptr);

  // Checks a shape against the limits and the batch rule; `what` names it in the error.
  void check_shape(const Shape& shape, const std::string& what) const;

 private:
  Graph& graph_;
  const LoadLimits& limits_;
  int64_t opset_;
  size_t weight_elements_ = 0;
  std::unordered_map<std::string, Value> values_;
};

// Translates one ONNX node (after its inputs): emits Graph nodes or folds it into constants.
// Throws ModelError without the node's name (the caller adds it).
void import_node(ImportContext& ctx, const onnx::NodeProto& node, const std::string& label);

}  // namespace guiju::inference
