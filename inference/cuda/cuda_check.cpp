#include "inference/cuda/cuda_check.hpp"

#include <stdexcept>
#include <string>

namespace guiju::inference::cuda {

void throw_cuda_error(cudaError_t error, const char* call) {
  // Drain the error so that a later, unrelated check does not report it again; a sticky error
  // (a kernel fault) stays, and every later call reports it, as it should.
  (void)cudaGetLastError();
  throw std::runtime_error(std::string(call) + " failed: " + cudaGetErrorName(error) + " (" +
                           cudaGetErrorString(error) + ")");
}

void throw_cublas_error(cublasStatus_t status, const char* call) {
  throw std::runtime_error(std::string(call) + " failed: " + cublasLtGetStatusName(status) + " (" +
                           cublasLtGetStatusString(status) + ")");
}

}  // namespace guiju::inference::cuda
