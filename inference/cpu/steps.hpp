#pragma once
// The CPU backend's steps, one factory per kind of node. Each returns a Step ready to run, or
// throws ModelError when the node is one the CPU backend cannot plan.

#include <memory>

#include "inference/cpu/step.hpp"

namespace guiju::inference::cpu {

// Gemm; MatMul (by a constant matrix: packed dense layer; otherwise Eigen products).
std::unique_ptr<Step> make_gemm_step(StepBuilder& b, const Node& node);
std::unique_ptr<Step> make_matmul_step(StepBuilder& b, const Node& node);
// Add, Sub, Mul, Div with broadcasting; Relu, LeakyRelu, Tanh, Sigmoid.
std::unique_ptr<Step> make_binary_step(StepBuilder& b, const Node& node);
std::unique_ptr<Step> make_unary_step(StepBuilder& b, const Node& node);
// Softmax, LayerNormalization.
std::unique_ptr<Step> make_softmax_step(StepBuilder& b, const Node& node);
std::unique_ptr<Step> make_layer_norm_step(StepBuilder& b, const Node& node);
// Concat, Transpose, Gather.
std::unique_ptr<Step> make_concat_step(StepBuilder& b, const Node& node);
std::unique_ptr<Step> make_transpose_step(StepBuilder& b, const Node& node);
std::unique_ptr<Step> make_gather_step(StepBuilder& b, const Node& node);
// GRU, LSTM.
std::unique_ptr<Step> make_gru_step(StepBuilder& b, const Node& node);
std::unique_ptr<Step> make_lstm_step(StepBuilder& b, const Node& node);

}  // namespace guiju::inference::cpu
