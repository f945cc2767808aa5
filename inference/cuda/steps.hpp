#pragma once
// The CUDA backend's steps, one factory per kind of node. Each returns a Step ready to prepare,
// or throws ModelError when the node is one the CUDA backend cannot run.

#include <cstddef>
#include <memory>
#include <vector>

#include "inference/cuda/step.hpp"

namespace guiju::inference::cuda {

// Gemm and MatMul through cuBLASLt, bias and ReLU in its epilogue; Tanh, Sigmoid, LeakyRelu and
// a bias that is not one value per output feature in one kernel after it.
std::unique_ptr<Step> make_gemm_step(StepBuilder& b, const Node& node);
std::unique_ptr<Step> make_matmul_step(StepBuilder& b, const Node& node);
// Whether a Gemm finishes in a kernel of ours after cuBLASLt (and so may write a graph output
// straight into its staging buffer, from a scratch block cuBLASLt writes first).
bool gemm_finishes_in_kernel(const Graph& g, const Node& node);
// Whether a Gemm's C is a constant of one value per output feature (or one for all): a bias.
bool gemm_c_is_bias(const Graph& g, const Node& node);
// Consecutive Gemms by constant matrices, each reading the last one's output, run as one fused
// kernel for batches of up to `fused_rows` rows and as `gemm_steps` (theirs, in order) above
// (inference/cuda/dense_chain.hpp). Each node must be gemm_chainable.
bool gemm_chainable(const Graph& g, const Node& node);
std::unique_ptr<Step> make_dense_chain_step(StepBuilder& b, const std::vector<const Node*>& nodes,
                                            std::vector<std::unique_ptr<Step>> gemm_steps,
                                            size_t fused_rows);
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

}  // namespace guiju::inference::cuda
