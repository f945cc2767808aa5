#pragma once
// The CUDA backend's own kernels: everything that is not a matrix product (cuBLASLt's), as
// host-callable launchers so that the executor is plain C++ compiled with the project's warnings.
// Each launcher queues its kernel on `stream` (where the executor captures it into a graph) and
// throws std::runtime_error naming the kernel if the launch fails.
//
// Shapes arrive worked out on the host for one batch size: index arithmetic on the device is a
// few divisions per element, which costs nothing next to the launch for the sizes models have.

#include <cuda_runtime_api.h>

#include <cstdint>

#include "inference/onnx/graph.hpp"

namespace guiju::inference::cuda {

inline constexpr int kMaxKernelRank = 8;

// An output of `rank` dimensions walked in row-major order, and for each dimension the step of
// each operand (0 where it repeats): broadcasting for binary ops (operands a and b), a
// permutation for Transpose (operand a only).
struct StridedIndex {
  int rank = 0;
  int64_t dims[kMaxKernelRank] = {};
  int64_t stride_a[kMaxKernelRank] = {};
  int64_t stride_b[kMaxKernelRank] = {};
};

enum class BinaryOp : uint8_t { kAdd, kSub, kMul, kDiv };

// y[i] = a[..] op b[..] for the n elements of y.
void launch_binary(BinaryOp op, const float* a, const float* b, float* y, const StridedIndex& index,
                   int64_t n, cudaStream_t stream);

// y[i] = activation(x[i]); x and y may be the same.
void launch_activation(Activation activation, float alpha, const float* x, float* y, int64_t n,
                       cudaStream_t stream);

// A Gemm's result [m, n] finished outside cuBLASLt: y[i, j] = activation(x[i, j] + beta * c[..]),
// c (optional) of [c_rows, c_cols], each 1 (repeating) or the full size. x and y may be the same.
struct BiasActivation {
  const float* c = nullptr;
  int64_t c_rows = 1;
  int64_t c_cols = 1;
  float beta = 1.0F;
  Activation activation = Activation::kNone;
  float alpha = 0.01F;  // LeakyRelu's slope
};
void launch_bias_activation(const float* x, float* y, int64_t m, int64_t n,
                            const BiasActivation& bias, cudaStream_t stream);

// Softmax over `len` elements `inner` apart, for each of outer * inner positions.
void launch_softmax(const float* x, float* y, int64_t outer, int64_t len, int64_t inner,
                    cudaStream_t stream);

// Each of `rows` rows of `width` normalised: (x - mean) / sqrt(var + epsilon) * scale + bias.
void launch_layer_norm(const float* x, float* y, const float* scale, const float* bias,
                       int64_t rows, int64_t width, float epsilon, cudaStream_t stream);

// `count` blocks of `len` floats: dst[b * dst_stride + k] = src[b * src_stride + k]. Concat,
// Gather, and moving rows between the host staging buffers and the device (src or dst may be
// mapped host memory).
void launch_copy_blocks(const float* src, int64_t src_stride, float* dst, int64_t dst_stride,
                        int64_t len, int64_t count, cudaStream_t stream);

// y[i] = x[offset of i], the offsets through index.stride_a: Transpose.
void launch_gather_strided(const float* x, float* y, const StridedIndex& index, int64_t n,
                           cudaStream_t stream);

}  // namespace guiju::inference::cuda
