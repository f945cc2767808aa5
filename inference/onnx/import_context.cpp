#include "inference/onnx/import_context.hpp"

#include <algorithm>

#include "inference/onnx/model_error.hpp"
#include "inference/onnx/onnx_tensor.hpp"
#include "inference/onnx/shape_inference.hpp"

namespace guiju::inference {

const Value& ImportContext::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) {
    throw ModelError("input '" + name +
                     "' is not a graph input, an initializer or the output of an earlier node");
  }
  return it->second;
}

void ImportContext::define(const std::string& name, Value value) {
  if (value.kind == Value::Kind::kInts && value.ints.values.size() > limits_.max_folded_elements) {
    throw ModelError("'" + name + "' folds to " + std::to_string(value.ints.values.size()) +
                     " integers, more than " + std::to_string(limits_.max_folded_elements));
  }
  if (!values_.emplace(name, std::move(value)).second) {
    throw ModelError("tensor '" + name + "' is defined twice");
  }
}

void ImportContext::check_shape(const Shape& shape, const std::string& what) const {
  if (shape.size() > limits_.max_rank) {
    throw ModelError(what + " has rank " + std::to_string(shape.size()) + ", more than " +
                     std::to_string(limits_.max_rank));
  }
  if (std::count(shape.begin(), shape.end(), kBatch) > 1) {
    throw ModelError(what + " " + shape_text(shape) + " has two batch dimensions");
  }
  Shape row(shape);
  std::replace(row.begin(), row.end(), kBatch, int64_t{1});
  if (checked_elements(row, limits_.max_tensor_elements) == 0) {
    throw ModelError(what + " " + shape_text(shape) +
                     " is empty or has more elements per row than " +
                     std::to_string(limits_.max_tensor_elements));
  }
}

TensorId ImportContext::add_weight(const std::string& name, Shape shape, std::vector<float> data) {
  check_shape(shape, "weight '" + name + "'");
  if (data.size() > limits_.max_weight_elements - weight_elements_) {
    throw ModelError("weights exceed " + std::to_string(limits_.max_weight_elements) +
                     " elements in all");
  }
  weight_elements_ += data.size();
  Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  t.kind = TensorKind::kWeight;
  t.data = std::move(data);
  graph_.tensors.push_back(std::move(t));
  return static_cast<TensorId>(graph_.tensors.size() - 1);
}

TensorId ImportContext::add_input(const std::string& name, Shape shape) {
  check_shape(shape, "input '" + name + "'");
  Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  t.kind = TensorKind::kInput;
  graph_.tensors.push_back(std::move(t));
  const auto id = static_cast<TensorId>(graph_.tensors.size() - 1);
  graph_.inputs.push_back(id);
  return id;
}

void ImportContext::emit(Node node, const std::vector<std::string>& outputs,
                         const Shape* reshape_to) {
  node.outputs.clear();
  for (const std::string& name : outputs) {
    if (name.empty()) {
      node.outputs.push_back(kNoTensor);
      continue;
    }
    if (defined(name)) throw ModelError("tensor '" + name + "' is defined twice");
    Tensor t;
    t.name = name;
    t.kind = TensorKind::kActivation;
    if (reshape_to != nullptr) t.shape = *reshape_to;
    graph_.tensors.push_back(std::move(t));
    node.outputs.push_back(static_cast<TensorId>(graph_.tensors.size() - 1));
  }
  const std::vector<Shape> shapes = infer_shapes(graph_, node);
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    if (node.outputs[i] == kNoTensor) continue;
    check_shape(shapes[i], "output '" + outputs[i] + "'");
    graph_.tensor(node.outputs[i]).shape = shapes[i];
    Value v;
    v.tensor = node.outputs[i];
    define(outputs[i], std::move(v));
  }
  graph_.nodes.push_back(std::move(node));
}

}  // namespace guiju::inference
