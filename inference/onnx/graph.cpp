#include "inference/onnx/graph.hpp"

namespace guiju::inference {

std::string shape_text(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i != 0) s += ", ";
    s += shape[i] == kBatch ? std::string("batch") : std::to_string(shape[i]);
  }
  return s + "]";
}

size_t static_elements(const Shape& shape) {
  size_t n = 1;
  for (const int64_t d : shape) {
    if (d != kBatch) n *= static_cast<size_t>(d);
  }
  return n;
}

size_t elements_at(const Shape& shape, size_t rows) {
  size_t n = 1;
  for (const int64_t d : shape) n *= d == kBatch ? rows : static_cast<size_t>(d);
  return n;
}

int batch_axis(const Shape& shape) {
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == kBatch) return static_cast<int>(i);
  }
  return -1;
}

std::string_view op_name(OpType op) {
  switch (op) {
    case OpType::kGemm:
      return "Gemm";
    case OpType::kMatMul:
      return "MatMul";
    case OpType::kAdd:
      return "Add";
    case OpType::kSub:
      return "Sub";
    case OpType::kMul:
      return "Mul";
    case OpType::kDiv:
      return "Div";
    case OpType::kRelu:
      return "Relu";
    case OpType::kLeakyRelu:
      return "LeakyRelu";
    case OpType::kTanh:
      return "Tanh";
    case OpType::kSigmoid:
      return "Sigmoid";
    case OpType::kSoftmax:
      return "Softmax";
    case OpType::kLayerNormalization:
      return "LayerNormalization";
    case OpType::kConcat:
      return "Concat";
    case OpType::kReshape:
      return "Reshape";
    case OpType::kTranspose:
      return "Transpose";
    case OpType::kGather:
      return "Gather";
    case OpType::kGru:
      return "GRU";
    case OpType::kLstm:
      return "LSTM";
  }
  return "?";
}

std::string_view activation_name(Activation a) {
  switch (a) {
    case Activation::kNone:
      return "none";
    case Activation::kRelu:
      return "Relu";
    case Activation::kLeakyRelu:
      return "LeakyRelu";
    case Activation::kTanh:
      return "Tanh";
    case Activation::kSigmoid:
      return "Sigmoid";
  }
  return "?";
}

}  // namespace guiju::inference
