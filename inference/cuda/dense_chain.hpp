#pragma once
// A chain of dense layers (Gemm by a constant matrix, bias, activation: a Linear layer and the
// next) in one kernel, for batches of a few rows: the latency path.
//
// At batch 1 a layer is a matrix-vector product of a few microseconds' work at most, and what a
// run costs is the number of dependent kernels in the graph: each launch after the previous one
// finishes is a microsecond or more, and cuBLASLt needs one per layer plus one for each Tanh or
// Sigmoid it has no epilogue for. One thread block here runs every layer of the chain: the
// activations stay in shared memory, each weight is read once (coalesced, from L2 where a model
// of this size stays between runs) for all the rows, and each layer's sums are split across
// slices of the inputs and reduced in shared memory, so that all 1,024 threads keep loads in
// flight. Larger batches run on cuBLASLt, whose tiled kernels use the whole GPU.

#include <cuda_runtime_api.h>

#include <cstdint>

#include "inference/onnx/graph.hpp"

namespace guiju::inference::cuda {

inline constexpr int kChainMaxLayers = 8;
inline constexpr int kChainMaxRows = 4;     // rows one fused run takes
inline constexpr int kChainMaxWidth = 512;  // inputs and outputs of each layer
inline constexpr int kChainThreads = 1024;

struct DenseChainLayer {
  const float* weights = nullptr;  // [k, n], row-major: weights[i * n + j], alpha folded in
  const float* bias = nullptr;     // n values (beta folded in), or null
  int k = 0;
  int n = 0;
  Activation activation = Activation::kNone;
  float alpha = 0.01F;  // LeakyRelu's slope
};

struct DenseChain {
  DenseChainLayer layers[kChainMaxLayers];
  int count = 0;
};

// y [rows, last n] = the chain applied to x [rows, first k], rows <= kChainMaxRows. x and y may
// be mapped host memory.
void launch_dense_chain(const DenseChain& chain, const float* x, float* y, int rows,
                        cudaStream_t stream);

}  // namespace guiju::inference::cuda
