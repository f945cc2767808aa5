// The CUDA backend's kernels (see kernels.hpp). Grid-stride loops over 64-bit indices: one
// launch shape fits every size, and a tensor of more than 2^31 elements stays correct.
// Accuracy: expf, tanhf and division are the IEEE-accurate forms (no fast-math), so the results
// stay within the documented tolerance of PyTorch's.

#include <cmath>
#include <stdexcept>
#include <string>

#include "inference/cuda/kernels.hpp"

namespace guiju::inference::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = int64_t{1} << 20;
constexpr int kWarp = 32;

unsigned blocks_for(int64_t threads) {
  const int64_t b = (threads + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 1 ? 1 : (b > kMaxBlocks ? kMaxBlocks : b));
}

void check_launch(const char* kernel) {
  const cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess) {
    throw std::runtime_error(std::string("launching the ") + kernel +
                             " kernel: " + cudaGetErrorName(e) + ": " + cudaGetErrorString(e));
  }
}

__device__ inline int64_t first_index() {
  return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ inline int64_t grid_step() {
  return static_cast<int64_t>(gridDim.x) * blockDim.x;
}

__device__ inline float activate(Activation a, float alpha, float x) {
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

struct AddOp {
  __device__ float operator()(float a, float b) const { return a + b; }
};
struct SubOp {
  __device__ float operator()(float a, float b) const { return a - b; }
};
struct MulOp {
  __device__ float operator()(float a, float b) const { return a * b; }
};
struct DivOp {
  __device__ float operator()(float a, float b) const { return a / b; }
};

template <class F>
__global__ void binary_kernel(const float* a, const float* b, float* y, StridedIndex s, int64_t n,
                              F f) {
  for (int64_t i = first_index(); i < n; i += grid_step()) {
    int64_t rest = i;
    int64_t oa = 0;
    int64_t ob = 0;
    for (int d = s.rank - 1; d >= 0; --d) {
      const int64_t at = rest % s.dims[d];
      rest /= s.dims[d];
      oa += at * s.stride_a[d];
      ob += at * s.stride_b[d];
    }
    y[i] = f(a[oa], b[ob]);
  }
}

__global__ void activation_kernel(Activation act, float alpha, const float* x, float* y,
                                  int64_t n) {
  for (int64_t i = first_index(); i < n; i += grid_step()) y[i] = activate(act, alpha, x[i]);
}

__global__ void bias_activation_kernel(const float* x, float* y, int64_t m, int64_t n,
                                       BiasActivation p) {
  const int64_t total = m * n;
  for (int64_t i = first_index(); i < total; i += grid_step()) {
    float v = x[i];
    if (p.c != nullptr) {
      const int64_t r = p.c_rows == 1 ? 0 : i / n;
      const int64_t c = p.c_cols == 1 ? 0 : i % n;
      v += p.beta * p.c[r * p.c_cols + c];
    }
    y[i] = activate(p.activation, p.alpha, v);
  }
}

__device__ inline float warp_max(float v) {
  for (int o = kWarp / 2; o > 0; o /= 2) v = fmaxf(v, __shfl_xor_sync(0xffffffffU, v, o));
  return v;
}
__device__ inline float warp_sum(float v) {
  for (int o = kWarp / 2; o > 0; o /= 2) v += __shfl_xor_sync(0xffffffffU, v, o);
  return v;
}

// One warp per contiguous row: the common softmax over the last dimension.
__global__ void softmax_rows_kernel(const float* x, float* y, int64_t rows, int64_t len) {
  const int lane = static_cast<int>(threadIdx.x) % kWarp;
  for (int64_t row = first_index() / kWarp; row < rows; row += grid_step() / kWarp) {
    const float* xr = x + row * len;
    float* yr = y + row * len;
    float m = -INFINITY;
    for (int64_t k = lane; k < len; k += kWarp) m = fmaxf(m, xr[k]);
    m = warp_max(m);
    float sum = 0.0F;
    for (int64_t k = lane; k < len; k += kWarp) {
      const float e = expf(xr[k] - m);
      yr[k] = e;
      sum += e;
    }
    const float scale = 1.0F / warp_sum(sum);
    for (int64_t k = lane; k < len; k += kWarp) yr[k] *= scale;
  }
}

// One thread per position when the softmax runs across a strided axis.
__global__ void softmax_strided_kernel(const float* x, float* y, int64_t outer, int64_t len,
                                       int64_t inner) {
  for (int64_t p = first_index(); p < outer * inner; p += grid_step()) {
    const int64_t base = p / inner * len * inner + p % inner;
    float m = -INFINITY;
    for (int64_t k = 0; k < len; ++k) m = fmaxf(m, x[base + k * inner]);
    float sum = 0.0F;
    for (int64_t k = 0; k < len; ++k) {
      const float e = expf(x[base + k * inner] - m);
      y[base + k * inner] = e;
      sum += e;
    }
    const float scale = 1.0F / sum;
    for (int64_t k = 0; k < len; ++k) y[base + k * inner] *= scale;
  }
}

// One warp per row; the two-pass mean and variance, as the CPU backend and PyTorch compute them.
__global__ void layer_norm_kernel(const float* x, float* y, const float* scale, const float* bias,
                                  int64_t rows, int64_t width, float epsilon) {
  const int lane = static_cast<int>(threadIdx.x) % kWarp;
  const float inv_width = 1.0F / static_cast<float>(width);
  for (int64_t row = first_index() / kWarp; row < rows; row += grid_step() / kWarp) {
    const float* xr = x + row * width;
    float* yr = y + row * width;
    float sum = 0.0F;
    for (int64_t k = lane; k < width; k += kWarp) sum += xr[k];
    const float mean = warp_sum(sum) * inv_width;
    float sq = 0.0F;
    for (int64_t k = lane; k < width; k += kWarp) {
      const float d = xr[k] - mean;
      sq += d * d;
    }
    const float inv = 1.0F / sqrtf(warp_sum(sq) * inv_width + epsilon);
    for (int64_t k = lane; k < width; k += kWarp) yr[k] = (xr[k] - mean) * inv * scale[k] + bias[k];
  }
}

__global__ void copy_blocks_kernel(const float* src, int64_t src_stride, float* dst,
                                   int64_t dst_stride, int64_t len, int64_t count) {
  for (int64_t i = first_index(); i < len * count; i += grid_step()) {
    const int64_t b = i / len;
    const int64_t k = i % len;
    dst[b * dst_stride + k] = src[b * src_stride + k];
  }
}

// Whole rows as float4 when both sides are 16-byte aligned row by row: a quarter of the memory
// transactions, which matters when the source is host memory read across PCIe.
__global__ void copy_rows4_kernel(const float4* src, float4* dst, int64_t n4) {
  for (int64_t i = first_index(); i < n4; i += grid_step()) dst[i] = src[i];
}

__global__ void gather_strided_kernel(const float* x, float* y, StridedIndex s, int64_t n) {
  for (int64_t i = first_index(); i < n; i += grid_step()) {
    int64_t rest = i;
    int64_t off = 0;
    for (int d = s.rank - 1; d >= 0; --d) {
      off += rest % s.dims[d] * s.stride_a[d];
      rest /= s.dims[d];
    }
    y[i] = x[off];
  }
}

}  // namespace

void launch_binary(BinaryOp op, const float* a, const float* b, float* y, const StridedIndex& index,
                   int64_t n, cudaStream_t stream) {
  const unsigned grid = blocks_for(n);
  switch (op) {
    case BinaryOp::kAdd:
      binary_kernel<<<grid, kThreads, 0, stream>>>(a, b, y, index, n, AddOp{});
      break;
    case BinaryOp::kSub:
      binary_kernel<<<grid, kThreads, 0, stream>>>(a, b, y, index, n, SubOp{});
      break;
    case BinaryOp::kMul:
      binary_kernel<<<grid, kThreads, 0, stream>>>(a, b, y, index, n, MulOp{});
      break;
    case BinaryOp::kDiv:
      binary_kernel<<<grid, kThreads, 0, stream>>>(a, b, y, index, n, DivOp{});
      break;
  }
  check_launch("binary");
}

void launch_activation(Activation activation, float alpha, const float* x, float* y, int64_t n,
                       cudaStream_t stream) {
  activation_kernel<<<blocks_for(n), kThreads, 0, stream>>>(activation, alpha, x, y, n);
  check_launch("activation");
}

void launch_bias_activation(const float* x, float* y, int64_t m, int64_t n,
                            const BiasActivation& bias, cudaStream_t stream) {
  bias_activation_kernel<<<blocks_for(m * n), kThreads, 0, stream>>>(x, y, m, n, bias);
  check_launch("bias and activation");
}

void launch_softmax(const float* x, float* y, int64_t outer, int64_t len, int64_t inner,
                    cudaStream_t stream) {
  if (inner == 1) {
    softmax_rows_kernel<<<blocks_for(outer * kWarp), kThreads, 0, stream>>>(x, y, outer, len);
  } else {
    softmax_strided_kernel<<<blocks_for(outer * inner), kThreads, 0, stream>>>(x, y, outer, len,
                                                                               inner);
  }
  check_launch("softmax");
}

void launch_layer_norm(const float* x, float* y, const float* scale, const float* bias,
                       int64_t rows, int64_t width, float epsilon, cudaStream_t stream) {
  layer_norm_kernel<<<blocks_for(rows * kWarp), kThreads, 0, stream>>>(x, y, scale, bias, rows,
                                                                       width, epsilon);
  check_launch("layer normalization");
}

void launch_copy_blocks(const float* src, int64_t src_stride, float* dst, int64_t dst_stride,
                        int64_t len, int64_t count, cudaStream_t stream) {
  const auto aligned = [](const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; };
  if (src_stride == len && dst_stride == len && (len * count) % 4 == 0 && aligned(src) &&
      aligned(dst)) {
    const int64_t n4 = len * count / 4;
    copy_rows4_kernel<<<blocks_for(n4), kThreads, 0, stream>>>(reinterpret_cast<const float4*>(src),
                                                               reinterpret_cast<float4*>(dst), n4);
  } else {
    copy_blocks_kernel<<<blocks_for(len * count), kThreads, 0, stream>>>(src, src_stride, dst,
                                                                         dst_stride, len, count);
  }
  check_launch("copy");
}

void launch_gather_strided(const float* x, float* y, const StridedIndex& index, int64_t n,
                           cudaStream_t stream) {
  gather_strided_kernel<<<blocks_for(n), kThreads, 0, stream>>>(x, y, index, n);
  check_launch("transpose");
}

}  // namespace guiju::inference::cuda
