#pragma once
// One matrix product through cuBLASLt, planned at load for one batch size: descriptors, layouts
// and the algorithm cuBLASLt's heuristic picks, kept for the executor's lifetime and queued once
// into each graph captured for that size.
//
// The tensors are row-major and cuBLASLt is column-major: a row-major Y [M, N] = A [M, K] B [K, N]
// is the column-major Y^T [N, M] = B^T [N, K] A^T [K, M], and a row-major matrix is its transpose
// in column-major order as it lies, so the product runs on the same memory with the operands
// swapped and nothing copied. The bias of an epilogue then runs along Y^T's rows: one value per
// output feature, as a Linear layer's bias is.
//
// float32 in, float32 accumulation (CUBLAS_COMPUTE_32F, never TF32): the tolerance against
// PyTorch's float32 holds.

#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace guiju::inference::cuda {

// In ONNX's terms, row-major: Y [M, N] = alpha * A' [M, K] * B' [K, N], A' = trans_a ? A^T : A
// (A stored [K, M] then), B' likewise; `batch` such products, each operand `stride_*` floats
// after the last (0: the same matrix for every product).
struct MatmulShape {
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
  bool trans_a = false;
  bool trans_b = false;
  int32_t batch = 1;
  int64_t stride_a = 0;
  int64_t stride_b = 0;
  int64_t stride_y = 0;
};

// What cuBLASLt does to the product before writing it (bias: one value per column of Y).
enum class Epilogue : uint8_t { kNone, kBias, kRelu, kReluBias };

struct MatmulOperands {
  const float* a = nullptr;
  const float* b = nullptr;
  float* y = nullptr;
  const float* bias = nullptr;  // device, n floats, for kBias and kReluBias
  float alpha = 1.0F;
  void* workspace = nullptr;
  size_t workspace_bytes = 0;
};

class LtMatmul {
 public:
  // Plans the product. Returns null when `epilogue` is not kNone and no algorithm supports it
  // (the caller then finishes bias and activation in its own kernel); throws std::runtime_error
  // naming the cuBLASLt call when anything else fails.
  static std::unique_ptr<LtMatmul> plan(cublasLtHandle_t handle, const MatmulShape& shape,
                                        Epilogue epilogue, const MatmulOperands& operands);
  ~LtMatmul();
  LtMatmul(const LtMatmul&) = delete;
  LtMatmul& operator=(const LtMatmul&) = delete;

  void enqueue(cudaStream_t stream) const;

 private:
  LtMatmul() = default;

  cublasLtHandle_t handle_ = nullptr;
  cublasLtMatmulDesc_t desc_ = nullptr;
  cublasLtMatrixLayout_t layout_a_ = nullptr;  // cuBLASLt's A: ONNX's B
  cublasLtMatrixLayout_t layout_b_ = nullptr;  // cuBLASLt's B: ONNX's A
  cublasLtMatrixLayout_t layout_y_ = nullptr;
  cublasLtMatmulAlgo_t algo_{};
  MatmulOperands operands_;
};

}  // namespace guiju::inference::cuda
