#pragma once
// Every CUDA runtime and cuBLASLt call of the backend goes through these: a failure becomes a
// std::runtime_error naming the call and the library's own name and text for the error, so a
// refusal at load or a failure at run says what failed rather than a bare status number. The
// executor adds the model's name and file at load (as a ModelError).

#include <cublasLt.h>
#include <cuda_runtime_api.h>

namespace guiju::inference::cuda {

// Out of line: building the message allocates, and only the failure path pays for it.
[[noreturn]] void throw_cuda_error(cudaError_t error, const char* call);
[[noreturn]] void throw_cublas_error(cublasStatus_t status, const char* call);

inline void check_cuda(cudaError_t error, const char* call) {
  if (error != cudaSuccess) throw_cuda_error(error, call);
}
inline void check_cublas(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS) throw_cublas_error(status, call);
}

}  // namespace guiju::inference::cuda
