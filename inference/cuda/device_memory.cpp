#include "inference/cuda/device_memory.hpp"

#include <cuda_runtime_api.h>

#include <cstring>
#include <utility>

#include "inference/cuda/cuda_check.hpp"

namespace guiju::inference::cuda {

DeviceBuffer::DeviceBuffer(size_t bytes) : bytes_(bytes) {
  check_cuda(cudaMalloc(&data_, bytes == 0 ? 1 : bytes), "cudaMalloc");
}

DeviceBuffer::~DeviceBuffer() {
  // A failure to free at teardown has no one to report to; the memory goes with the context.
  if (data_ != nullptr) (void)cudaFree(data_);
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) (void)cudaFree(data_);
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

PinnedBuffer::PinnedBuffer(size_t bytes) : bytes_(bytes) {
  check_cuda(cudaHostAlloc(&host_, bytes == 0 ? 1 : bytes, cudaHostAllocMapped), "cudaHostAlloc");
  // Zeroed so that the padding rows of the first runs compute on numbers, not on leftovers.
  std::memset(host_, 0, bytes);
  try {
    check_cuda(cudaHostGetDevicePointer(&device_, host_, 0), "cudaHostGetDevicePointer");
  } catch (...) {
    (void)cudaFreeHost(host_);
    throw;
  }
}

PinnedBuffer::~PinnedBuffer() {
  if (host_ != nullptr) (void)cudaFreeHost(host_);
}

PinnedBuffer::PinnedBuffer(PinnedBuffer&& other) noexcept
    : host_(std::exchange(other.host_, nullptr)),
      device_(std::exchange(other.device_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)) {}

PinnedBuffer& PinnedBuffer::operator=(PinnedBuffer&& other) noexcept {
  if (this != &other) {
    if (host_ != nullptr) (void)cudaFreeHost(host_);
    host_ = std::exchange(other.host_, nullptr);
    device_ = std::exchange(other.device_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

}  // namespace guiju::inference::cuda
