// Softmax and LayerNormalization: a warp per contiguous row (the common case), reducing with
// shuffles; a thread per position for a softmax across a strided axis.

#include <vector>

#include "inference/cuda/kernels.hpp"
#include "inference/cuda/steps.hpp"

namespace guiju::inference::cuda {
namespace {

class SoftmaxStep final : public Step {
 public:
  SoftmaxStep(DeviceOperand x, DeviceOperand y, SoftmaxAttributes attributes)
      : x_(x), y_(y), attributes_(attributes) {}
  void enqueue(size_t rows, cudaStream_t stream) const override {
    const cpu::Dims d = x_.shape.at(rows);
    const auto axis = static_cast<size_t>(attributes_.axis);
    const size_t outer = d.product(0, axis);
    const size_t len = attributes_.flatten ? d.product(axis, d.rank) : d[axis];
    const size_t inner = attributes_.flatten ? 1 : d.product(axis + 1, d.rank);
    launch_softmax(x_.data, y_.data, static_cast<int64_t>(outer), static_cast<int64_t>(len),
                   static_cast<int64_t>(inner), stream);
  }

 private:
  DeviceOperand x_;
  DeviceOperand y_;
  SoftmaxAttributes attributes_;
};

class LayerNormStep final : public Step {
 public:
  LayerNormStep(DeviceOperand x, DeviceOperand y, size_t width, float epsilon, const float* scale,
                const float* bias)
      : x_(x), y_(y), width_(width), epsilon_(epsilon), scale_(scale), bias_(bias) {}
  void enqueue(size_t rows, cudaStream_t stream) const override {
    const size_t n = x_.shape.at(rows).elements() / width_;
    launch_layer_norm(x_.data, y_.data, scale_, bias_, static_cast<int64_t>(n),
                      static_cast<int64_t>(width_), epsilon_, stream);
  }

 private:
  DeviceOperand x_;
  DeviceOperand y_;
  size_t width_;
  float epsilon_;
  const float* scale_;
  const float* bias_;
};

// A weight that broadcasts to the normalised shape, written out in full (`fill` when absent), so
// that the kernel reads scale[k] and bias[k] without index arithmetic.
std::vector<float> expand(const Graph& g, TensorId id, const Shape& normalised, float fill) {
  const size_t width = static_elements(normalised);
  std::vector<float> out(width, fill);
  if (id == kNoTensor) return out;
  const Tensor& t = g.tensor(id);
  const size_t offset = normalised.size() - t.shape.size();
  for (size_t e = 0; e < width; ++e) {
    size_t rest = e;
    size_t src = 0;
    size_t stride = 1;
    for (size_t i = normalised.size(); i-- > 0;) {
      const auto dim = static_cast<size_t>(normalised[i]);
      const size_t at = rest % dim;
      rest /= dim;
      if (i >= offset) {
        const auto wdim = static_cast<size_t>(t.shape[i - offset]);
        if (wdim != 1) src += at * stride;
        stride *= wdim;
      }
    }
    out[e] = t.data[src];
  }
  return out;
}

}  // namespace

std::unique_ptr<Step> make_softmax_step(StepBuilder& b, const Node& n) {
  return std::make_unique<SoftmaxStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]),
                                       std::get<SoftmaxAttributes>(n.attributes));
}

std::unique_ptr<Step> make_layer_norm_step(StepBuilder& b, const Node& n) {
  const auto& at = std::get<LayerNormAttributes>(n.attributes);
  const Shape& x = b.graph().tensor(n.inputs[0]).shape;
  const Shape normalised(x.begin() + at.axis, x.end());
  const TensorId bias = n.inputs.size() > 2 ? n.inputs[2] : kNoTensor;
  const float* scale_d = b.upload(expand(b.graph(), n.inputs[1], normalised, 1.0F));
  const float* bias_d = b.upload(expand(b.graph(), bias, normalised, 0.0F));
  return std::make_unique<LayerNormStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]),
                                         static_elements(normalised), at.epsilon, scale_d, bias_d);
}

}  // namespace guiju::inference::cuda
