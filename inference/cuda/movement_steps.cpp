// Concat, Transpose and Gather: copies. Concat and Gather move whole contiguous pieces (one
// launch per input or index, each a strided block copy); Transpose reads through a permuted
// index plan.

#include <vector>

#include "inference/cuda/kernels.hpp"
#include "inference/cuda/steps.hpp"
#include "inference/cuda/strided_index.hpp"
#include "inference/onnx/model_error.hpp"

namespace guiju::inference::cuda {
namespace {

class ConcatStep final : public Step {
 public:
  ConcatStep(std::vector<DeviceOperand> inputs, DeviceOperand y, size_t axis)
      : inputs_(std::move(inputs)), y_(y), axis_(axis) {}
  void enqueue(size_t rows, cudaStream_t stream) const override {
    const cpu::Dims dy = y_.shape.at(rows);
    const auto outer = static_cast<int64_t>(dy.product(0, axis_));
    const auto inner = static_cast<int64_t>(dy.product(axis_ + 1, dy.rank));
    const int64_t y_chunk = static_cast<int64_t>(dy[axis_]) * inner;
    int64_t offset = 0;
    for (const DeviceOperand& in : inputs_) {
      const int64_t chunk = static_cast<int64_t>(in.shape.at(rows)[axis_]) * inner;
      launch_copy_blocks(in.data, chunk, y_.data + offset, y_chunk, chunk, outer, stream);
      offset += chunk;
    }
  }

 private:
  std::vector<DeviceOperand> inputs_;
  DeviceOperand y_;
  size_t axis_;
};

class TransposeStep final : public Step {
 public:
  TransposeStep(DeviceOperand x, DeviceOperand y, std::vector<int> perm)
      : x_(x), y_(y), perm_(std::move(perm)) {}
  void enqueue(size_t rows, cudaStream_t stream) const override {
    const cpu::Dims dy = y_.shape.at(rows);
    const StridedIndex index = transpose_index(x_.shape.at(rows), perm_.data(), dy);
    launch_gather_strided(x_.data, y_.data, index, static_cast<int64_t>(dy.elements()), stream);
  }

 private:
  DeviceOperand x_;
  DeviceOperand y_;
  std::vector<int> perm_;
};

class GatherStep final : public Step {
 public:
  GatherStep(DeviceOperand x, DeviceOperand y, GatherAttributes attributes)
      : x_(x), y_(y), attributes_(std::move(attributes)) {}
  void enqueue(size_t rows, cudaStream_t stream) const override {
    const cpu::Dims dx = x_.shape.at(rows);
    const auto axis = static_cast<size_t>(attributes_.axis);
    const auto outer = static_cast<int64_t>(dx.product(0, axis));
    const auto size = static_cast<int64_t>(dx[axis]);
    const auto inner = static_cast<int64_t>(dx.product(axis + 1, dx.rank));
    const auto picks = static_cast<int64_t>(attributes_.indices.size());
    for (int64_t j = 0; j < picks; ++j) {
      const int64_t i = attributes_.indices[static_cast<size_t>(j)];
      launch_copy_blocks(x_.data + i * inner, size * inner, y_.data + j * inner, picks * inner,
                         inner, outer, stream);
    }
  }

 private:
  DeviceOperand x_;
  DeviceOperand y_;
  GatherAttributes attributes_;
};

}  // namespace

std::unique_ptr<Step> make_concat_step(StepBuilder& b, const Node& n) {
  std::vector<DeviceOperand> inputs;
  for (const TensorId id : n.inputs) inputs.push_back(b.operand(id));
  return std::make_unique<ConcatStep>(
      std::move(inputs), b.operand(n.outputs[0]),
      static_cast<size_t>(std::get<ConcatAttributes>(n.attributes).axis));
}

std::unique_ptr<Step> make_transpose_step(StepBuilder& b, const Node& n) {
  return std::make_unique<TransposeStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]),
                                         std::get<TransposeAttributes>(n.attributes).perm);
}

std::unique_ptr<Step> make_gather_step(StepBuilder& b, const Node& n) {
  return std::make_unique<GatherStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]),
                                      std::get<GatherAttributes>(n.attributes));
}

}  // namespace guiju::inference::cuda
