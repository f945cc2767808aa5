// Softmax and LayerNormalization: each row normalised on its own, in two passes over data that
// is in L1 (max then exp-and-sum; mean then variance), for the accuracy of the two-pass forms.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

#include "inference/cpu/aligned_buffer.hpp"
#include "inference/cpu/steps.hpp"
#include "inference/onnx/model_error.hpp"

namespace guiju::inference::cpu {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

class SoftmaxStep final : public Step {
 public:
  SoftmaxStep(Operand x, Operand y, SoftmaxAttributes attributes)
      : x_(x), y_(y), attributes_(attributes) {}
  void run(const RunContext& c) const override {
    const Dims d = x_.shape.at(c.rows);
    const auto axis = static_cast<size_t>(attributes_.axis);
    const size_t outer = d.product(0, axis);
    const size_t len = attributes_.flatten ? d.product(axis, d.rank) : d[axis];
    const size_t inner = attributes_.flatten ? 1 : d.product(axis + 1, d.rank);
    const float* x = x_.at.read(c);
    float* y = y_.at.write(c);
    if (inner == 1) {
      // Along contiguous rows: vectorised max, exp and sum.
      for (size_t o = 0; o < outer; ++o) {
        const ConstArrayMap xr(x + o * len, static_cast<Eigen::Index>(len));
        ArrayMap yr(y + o * len, static_cast<Eigen::Index>(len));
        const float m = xr.maxCoeff();
        yr = (xr - m).exp();
        yr *= 1.0F / yr.sum();
      }
      return;
    }
    for (size_t o = 0; o < outer; ++o) {
      for (size_t i = 0; i < inner; ++i) {
        const float* xs = x + o * len * inner + i;
        float* ys = y + o * len * inner + i;
        float m = xs[0];
        for (size_t k = 1; k < len; ++k) m = std::max(m, xs[k * inner]);
        float sum = 0;
        for (size_t k = 0; k < len; ++k) {
          ys[k * inner] = std::exp(xs[k * inner] - m);
          sum += ys[k * inner];
        }
        const float scale = 1.0F / sum;
        for (size_t k = 0; k < len; ++k) ys[k * inner] *= scale;
      }
    }
  }

 private:
  Operand x_;
  Operand y_;
  SoftmaxAttributes attributes_;
};

class LayerNormStep final : public Step {
 public:
  LayerNormStep(Operand x, Operand y, size_t width, float epsilon, AlignedBuffer scale,
                AlignedBuffer bias)
      : x_(x),
        y_(y),
        width_(width),
        epsilon_(epsilon),
        scale_(std::move(scale)),
        bias_(std::move(bias)) {}
  void run(const RunContext& c) const override {
    const size_t rows = x_.shape.at(c.rows).elements() / width_;
    const auto w = static_cast<Eigen::Index>(width_);
    const ConstArrayMap scale(scale_.data(), w);
    const ConstArrayMap bias(bias_.data(), w);
    const float* x = x_.at.read(c);
    float* y = y_.at.write(c);
    for (size_t r = 0; r < rows; ++r) {
      const ConstArrayMap xr(x + r * width_, w);
      ArrayMap yr(y + r * width_, w);
      const float mean = xr.mean();
      yr = xr - mean;
      const float variance = yr.square().mean();
      const float inv = 1.0F / std::sqrt(variance + epsilon_);
      yr = yr * (scale * inv) + bias;
    }
  }

 private:
  Operand x_;
  Operand y_;
  size_t width_;
  float epsilon_;
  AlignedBuffer scale_;
  AlignedBuffer bias_;
};

// A weight that broadcasts to `width` values (the normalised shape), written out in full.
AlignedBuffer expand(const Graph& g, TensorId id, const Shape& normalised, float fill) {
  const size_t width = static_elements(normalised);
  AlignedBuffer out(width);
  if (id == kNoTensor) {
    std::fill(out.data(), out.data() + width, fill);
    return out;
  }
  const Tensor& t = g.tensor(id);
  // Index of each normalised element into the weight, with the weight's 1s repeating.
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
    out.data()[e] = t.data[src];
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
  return std::make_unique<LayerNormStep>(
      b.operand(n.inputs[0]), b.operand(n.outputs[0]), static_elements(normalised), at.epsilon,
      expand(b.graph(), n.inputs[1], normalised, 1.0F), expand(b.graph(), bias, normalised, 0.0F));
}

}  // namespace guiju::inference::cpu
