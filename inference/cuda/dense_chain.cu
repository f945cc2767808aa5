// The fused dense chain (see dense_chain.hpp): one block of kChainThreads threads.

#include <stdexcept>
#include <string>

#include "inference/cuda/dense_chain.hpp"

namespace guiju::inference::cuda {
namespace {

__device__ inline float chain_activate(Activation a, float alpha, float x) {
  switch (a) {
    case Activation::kNone:
      return x;
    case Activation::kRelu:
      return x > 0.0F ? x : 0.0F;
    case Activation::kLeakyRelu:
      return x >= 0.0F ? x : alpha * x;
    case Activation::kTanh:
      return tanhf(x);
    case Activation::kSigmoid:
      return 1.0F / (1.0F + expf(-x));
  }
  return x;
}

__global__ void __launch_bounds__(kChainThreads)
    dense_chain_kernel(DenseChain chain, const float* __restrict__ x, float* y, int rows) {
  // Two activation buffers, each row kChainMaxWidth apart; the partial sums of every slice.
  __shared__ float buffers[2][kChainMaxRows * kChainMaxWidth];
  __shared__ float partial[kChainMaxRows * kChainThreads];
  const int t = static_cast<int>(threadIdx.x);
  const int k0 = chain.layers[0].k;
  for (int i = t; i < rows * k0; i += kChainThreads) {
    buffers[0][i / k0 * kChainMaxWidth + i % k0] = x[i];
  }
  __syncthreads();
  int current = 0;
  for (int l = 0; l < chain.count; ++l) {
    const DenseChainLayer layer = chain.layers[l];
    const int n = layer.n;
    const int k = layer.k;
    // Slices of the inputs per output: as many as the threads allow, a power of two, no more
    // than the inputs.
    int slices = 1;
    while (slices * 2 * n <= kChainThreads && slices * 2 <= k) slices *= 2;
    const float* in = buffers[current];
    if (t < slices * n) {
      const int j = t % n;
      const int s = t / n;
      const int per = (k + slices - 1) / slices;
      const int begin = s * per;
      const int end = begin + per < k ? begin + per : k;
      float acc[kChainMaxRows] = {};
      const float* __restrict__ w = layer.weights + j;
#pragma unroll 8
      for (int i = begin; i < end; ++i) {
        const float wi = __ldg(w + static_cast<int64_t>(i) * n);
#pragma unroll
        for (int r = 0; r < kChainMaxRows; ++r) {
          if (r < rows) acc[r] = fmaf(wi, in[r * kChainMaxWidth + i], acc[r]);
        }
      }
#pragma unroll
      for (int r = 0; r < kChainMaxRows; ++r) partial[r * kChainThreads + t] = acc[r];
    }
    __syncthreads();
    for (int half = slices / 2; half > 0; half /= 2) {
      if (t < half * n) {
        for (int r = 0; r < rows; ++r) {
          partial[r * kChainThreads + t] += partial[r * kChainThreads + t + half * n];
        }
      }
      __syncthreads();
    }
    const bool last = l + 1 == chain.count;
    if (t < n) {
      const float b = layer.bias != nullptr ? layer.bias[t] : 0.0F;
      for (int r = 0; r < rows; ++r) {
        const float v =
            chain_activate(layer.activation, layer.alpha, partial[r * kChainThreads + t] + b);
        if (last) {
          y[r * n + t] = v;
        } else {
          buffers[current ^ 1][r * kChainMaxWidth + t] = v;
        }
      }
    }
    __syncthreads();
    current ^= 1;
  }
}

}  // namespace

void launch_dense_chain(const DenseChain& chain, const float* x, float* y, int rows,
                        cudaStream_t stream) {
  dense_chain_kernel<<<1, kChainThreads, 0, stream>>>(chain, x, y, rows);
  const cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess) {
    throw std::runtime_error(std::string("launching the dense chain kernel: ") +
                             cudaGetErrorName(e) + ": " + cudaGetErrorString(e));
  }
}

}  // namespace guiju::inference::cuda
