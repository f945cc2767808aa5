#pragma once
// Folds an activation (Relu, LeakyRelu, Tanh, Sigmoid) into the Gemm before it, when the Gemm's
// output feeds that activation alone and is not a graph output: the backend then applies it to
// each output while it is still in registers or cache (a CPU) or in the GEMM's epilogue (cuBLASLt),
// instead of writing the pre-activation tensor out and reading it back.

#include "inference/onnx/graph.hpp"

namespace guiju::inference {

// Returns how many activations were fused. The graph stays valid: the fused node takes the
// activation's output tensor and the activation's node is removed.
int fuse_activations(Graph& graph);

}  // namespace guiju::inference
