#pragma once
// The element-wise activations over a run of floats: Relu and LeakyRelu as Eigen array loops,
// Tanh and Sigmoid through Eigen's rational approximation of tanh (a few ulp from the exact
// values, well inside the tolerance against PyTorch), on AVX-512 or AVX2 where the CPU has them
// (inference/cpu/vector_tanh.hpp), through Eigen at the build's baseline otherwise.

#include <cstddef>

#include "inference/onnx/graph.hpp"

namespace guiju::inference::cpu {

void apply_activation(Activation activation, float alpha, float* data, size_t n);
// out[i] = activation(in[i]); in and out may be the same.
void activation_into(Activation activation, float alpha, const float* in, float* out, size_t n);

}  // namespace guiju::inference::cpu
