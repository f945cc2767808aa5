#include "inference/cuda/lt_matmul.hpp"

#include <string>

#include "inference/cuda/cuda_check.hpp"

namespace guiju::inference::cuda {
namespace {

// The alignment cuBLASLt may assume of an operand: its address's and, across a batch, its
// stride's lowest set bit, at most 256 (cuBLASLt's default assumption, which arena offsets and
// strides do not always meet: stating less keeps it from choosing a kernel that needs more).
uint32_t alignment(const void* p, int64_t stride_floats, int32_t batch) {
  auto v = reinterpret_cast<uintptr_t>(p);
  if (batch > 1) v |= static_cast<uintptr_t>(stride_floats) * sizeof(float);
  v |= 256;
  return static_cast<uint32_t>(v & (~v + 1));
}

cublasLtMatrixLayout_t layout(uint64_t rows, uint64_t cols, int64_t ld, int32_t batch,
                              int64_t stride) {
  cublasLtMatrixLayout_t l = nullptr;
  check_cublas(cublasLtMatrixLayoutCreate(&l, CUDA_R_32F, rows, cols, ld),
               "cublasLtMatrixLayoutCreate");
  if (batch > 1) {
    try {
      check_cublas(cublasLtMatrixLayoutSetAttribute(l, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &batch,
                                                    sizeof batch),
                   "cublasLtMatrixLayoutSetAttribute(BATCH_COUNT)");
      check_cublas(cublasLtMatrixLayoutSetAttribute(l, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET,
                                                    &stride, sizeof stride),
                   "cublasLtMatrixLayoutSetAttribute(STRIDED_BATCH_OFFSET)");
    } catch (...) {
      (void)cublasLtMatrixLayoutDestroy(l);
      throw;
    }
  }
  return l;
}

cublasLtEpilogue_t lt_epilogue(Epilogue e) {
  switch (e) {
    case Epilogue::kNone:
      return CUBLASLT_EPILOGUE_DEFAULT;
    case Epilogue::kBias:
      return CUBLASLT_EPILOGUE_BIAS;
    case Epilogue::kRelu:
      return CUBLASLT_EPILOGUE_RELU;
    case Epilogue::kReluBias:
      return CUBLASLT_EPILOGUE_RELU_BIAS;
  }
  return CUBLASLT_EPILOGUE_DEFAULT;
}

// The preference's lifetime is the heuristic call's.
struct Preference {
  cublasLtMatmulPreference_t p = nullptr;
  Preference() {
    check_cublas(cublasLtMatmulPreferenceCreate(&p), "cublasLtMatmulPreferenceCreate");
  }
  ~Preference() { (void)cublasLtMatmulPreferenceDestroy(p); }
  Preference(const Preference&) = delete;
  Preference& operator=(const Preference&) = delete;
  template <class T>
  void set(cublasLtMatmulPreferenceAttributes_t attribute, T value, const char* what) {
    check_cublas(cublasLtMatmulPreferenceSetAttribute(p, attribute, &value, sizeof value), what);
  }
};

}  // namespace

std::unique_ptr<LtMatmul> LtMatmul::plan(cublasLtHandle_t handle, const MatmulShape& s,
                                         Epilogue epilogue, const MatmulOperands& operands) {
  std::unique_ptr<LtMatmul> mm(new LtMatmul());
  mm->handle_ = handle;
  mm->operands_ = operands;
  const auto m = static_cast<uint64_t>(s.m);
  const auto n = static_cast<uint64_t>(s.n);
  const auto k = static_cast<uint64_t>(s.k);
  check_cublas(cublasLtMatmulDescCreate(&mm->desc_, CUBLAS_COMPUTE_32F, CUDA_R_32F),
               "cublasLtMatmulDescCreate");
  // Column-major roles (see the header): cuBLASLt's A is ONNX's B, its B is ONNX's A.
  const cublasOperation_t op_a = s.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasOperation_t op_b = s.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  check_cublas(
      cublasLtMatmulDescSetAttribute(mm->desc_, CUBLASLT_MATMUL_DESC_TRANSA, &op_a, sizeof op_a),
      "cublasLtMatmulDescSetAttribute(TRANSA)");
  check_cublas(
      cublasLtMatmulDescSetAttribute(mm->desc_, CUBLASLT_MATMUL_DESC_TRANSB, &op_b, sizeof op_b),
      "cublasLtMatmulDescSetAttribute(TRANSB)");
  const cublasLtEpilogue_t e = lt_epilogue(epilogue);
  check_cublas(
      cublasLtMatmulDescSetAttribute(mm->desc_, CUBLASLT_MATMUL_DESC_EPILOGUE, &e, sizeof e),
      "cublasLtMatmulDescSetAttribute(EPILOGUE)");
  if (epilogue == Epilogue::kBias || epilogue == Epilogue::kReluBias) {
    const void* bias = operands.bias;
    check_cublas(cublasLtMatmulDescSetAttribute(mm->desc_, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias,
                                                sizeof bias),
                 "cublasLtMatmulDescSetAttribute(BIAS_POINTER)");
  }
  mm->layout_a_ = s.trans_b ? layout(k, n, static_cast<int64_t>(k), s.batch, s.stride_b)
                            : layout(n, k, static_cast<int64_t>(n), s.batch, s.stride_b);
  mm->layout_b_ = s.trans_a ? layout(m, k, static_cast<int64_t>(m), s.batch, s.stride_a)
                            : layout(k, m, static_cast<int64_t>(k), s.batch, s.stride_a);
  mm->layout_y_ = layout(n, m, static_cast<int64_t>(n), s.batch, s.stride_y);

  Preference pref;
  pref.set(CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
           static_cast<uint64_t>(operands.workspace_bytes),
           "cublasLtMatmulPreferenceSetAttribute(MAX_WORKSPACE_BYTES)");
  pref.set(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, alignment(operands.b, s.stride_b, s.batch),
           "cublasLtMatmulPreferenceSetAttribute(MIN_ALIGNMENT_A_BYTES)");
  pref.set(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, alignment(operands.a, s.stride_a, s.batch),
           "cublasLtMatmulPreferenceSetAttribute(MIN_ALIGNMENT_B_BYTES)");
  const uint32_t y_alignment = alignment(operands.y, s.stride_y, s.batch);
  pref.set(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, y_alignment,
           "cublasLtMatmulPreferenceSetAttribute(MIN_ALIGNMENT_C_BYTES)");
  pref.set(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, y_alignment,
           "cublasLtMatmulPreferenceSetAttribute(MIN_ALIGNMENT_D_BYTES)");

  cublasLtMatmulHeuristicResult_t result{};
  int found = 0;
  const cublasStatus_t status =
      cublasLtMatmulAlgoGetHeuristic(handle, mm->desc_, mm->layout_a_, mm->layout_b_, mm->layout_y_,
                                     mm->layout_y_, pref.p, 1, &result, &found);
  if (status != CUBLAS_STATUS_SUCCESS || found == 0) {
    if (epilogue != Epilogue::kNone) return nullptr;
    if (status != CUBLAS_STATUS_SUCCESS) {
      check_cublas(status, "cublasLtMatmulAlgoGetHeuristic");
    }
    throw std::runtime_error("cublasLtMatmulAlgoGetHeuristic found no algorithm for [" +
                             std::to_string(s.m) + ", " + std::to_string(s.k) + "] x [" +
                             std::to_string(s.k) + ", " + std::to_string(s.n) + "] (batch " +
                             std::to_string(s.batch) + ")");
  }
  mm->algo_ = result.algo;
  return mm;
}

LtMatmul::~LtMatmul() {
  if (layout_y_ != nullptr) (void)cublasLtMatrixLayoutDestroy(layout_y_);
  if (layout_b_ != nullptr) (void)cublasLtMatrixLayoutDestroy(layout_b_);
  if (layout_a_ != nullptr) (void)cublasLtMatrixLayoutDestroy(layout_a_);
  if (desc_ != nullptr) (void)cublasLtMatmulDescDestroy(desc_);
}

void LtMatmul::enqueue(cudaStream_t stream) const {
  const float beta = 0.0F;
  check_cublas(cublasLtMatmul(handle_, desc_, &operands_.alpha, operands_.b, layout_a_, operands_.a,
                              layout_b_, &beta, operands_.y, layout_y_, operands_.y, layout_y_,
                              &algo_, operands_.workspace, operands_.workspace_bytes, stream),
               "cublasLtMatmul");
}

}  // namespace guiju::inference::cuda
