#include "inference/cpu/activations.hpp"

#include <Eigen/Core>

#include "inference/cpu/vector_tanh.hpp"

namespace guiju::inference::cpu {

void activation_into(Activation activation, float alpha, const float* in, float* out, size_t n) {
  const Eigen::Map<const Eigen::ArrayXf> x(in, static_cast<Eigen::Index>(n));
  Eigen::Map<Eigen::ArrayXf> y(out, static_cast<Eigen::Index>(n));
  switch (activation) {
    case Activation::kNone:
      if (in != out) y = x;
      return;
    case Activation::kRelu:
      y = x.max(0.0F);
      return;
    case Activation::kLeakyRelu:
      y = (x < 0.0F).select(x * alpha, x);
      return;
    case Activation::kTanh:
      if (!vector_tanh(in, out, n, 1.0F, 1.0F, 0.0F)) y = x.tanh();
      return;
    case Activation::kSigmoid:
      // sigmoid(x) = 0.5 + 0.5 tanh(x / 2)
      if (!vector_tanh(in, out, n, 0.5F, 0.5F, 0.5F)) y = x.logistic();
      return;
  }
}

void apply_activation(Activation activation, float alpha, float* data, size_t n) {
  if (activation != Activation::kNone) activation_into(activation, alpha, data, data, n);
}

}  // namespace guiju::inference::cpu
