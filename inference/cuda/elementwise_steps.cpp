// Add, Sub, Mul, Div with ONNX broadcasting, and the activations: one kernel each, the
// broadcast's index plan worked out on the host per batch size (inference/cuda/strided_index).

#include "inference/cuda/kernels.hpp"
#include "inference/cuda/steps.hpp"
#include "inference/cuda/strided_index.hpp"

namespace guiju::inference::cuda {
namespace {

class BinaryStep final : public Step {
 public:
  BinaryStep(BinaryOp op, DeviceOperand a, DeviceOperand b, DeviceOperand y)
      : op_(op), a_(a), b_(b), y_(y) {}
  void enqueue(size_t rows, cudaStream_t stream) const override {
    const cpu::Dims dy = y_.shape.at(rows);
    const StridedIndex index = broadcast_index(a_.shape.at(rows), b_.shape.at(rows), dy);
    launch_binary(op_, a_.data, b_.data, y_.data, index, static_cast<int64_t>(dy.elements()),
                  stream);
  }

 private:
  BinaryOp op_;
  DeviceOperand a_;
  DeviceOperand b_;
  DeviceOperand y_;
};

class UnaryStep final : public Step {
 public:
  UnaryStep(DeviceOperand x, DeviceOperand y, Activation activation, float alpha)
      : x_(x), y_(y), activation_(activation), alpha_(alpha) {}
  void enqueue(size_t rows, cudaStream_t stream) const override {
    launch_activation(activation_, alpha_, x_.data, y_.data,
                      static_cast<int64_t>(y_.shape.at(rows).elements()), stream);
  }

 private:
  DeviceOperand x_;
  DeviceOperand y_;
  Activation activation_;
  float alpha_;
};

}  // namespace

std::unique_ptr<Step> make_binary_step(StepBuilder& b, const Node& n) {
  BinaryOp op = BinaryOp::kAdd;
  switch (n.op) {
    case OpType::kSub:
      op = BinaryOp::kSub;
      break;
    case OpType::kMul:
      op = BinaryOp::kMul;
      break;
    case OpType::kDiv:
      op = BinaryOp::kDiv;
      break;
    default:
      op = BinaryOp::kAdd;
      break;
  }
  return std::make_unique<BinaryStep>(op, b.operand(n.inputs[0]), b.operand(n.inputs[1]),
                                      b.operand(n.outputs[0]));
}

std::unique_ptr<Step> make_unary_step(StepBuilder& b, const Node& n) {
  Activation a = Activation::kSigmoid;
  float alpha = 0;
  switch (n.op) {
    case OpType::kRelu:
      a = Activation::kRelu;
      break;
    case OpType::kLeakyRelu:
      a = Activation::kLeakyRelu;
      alpha = std::get<LeakyReluAttributes>(n.attributes).alpha;
      break;
    case OpType::kTanh:
      a = Activation::kTanh;
      break;
    default:
      a = Activation::kSigmoid;
      break;
  }
  return std::make_unique<UnaryStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]), a, alpha);
}

}  // namespace guiju::inference::cuda
