#pragma once
// Owners of the backend's memory, all allocated when a model loads: device memory (cudaMalloc)
// for weights, intermediates and cuBLASLt's workspace, and pinned host memory mapped into the
// device's address space for the staging buffers a run's rows pass through (the GPU reads and
// writes them directly, and copies from them run at full PCIe speed).

#include <cstddef>

namespace guiju::inference::cuda {

class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t bytes);  // throws std::runtime_error naming cudaMalloc
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& other) noexcept;
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  float* data() const { return static_cast<float*>(data_); }
  size_t bytes() const { return bytes_; }

 private:
  void* data_ = nullptr;
  size_t bytes_ = 0;
};

// Pinned, mapped, zeroed host memory: host() for the CPU, device() for kernels.
class PinnedBuffer {
 public:
  PinnedBuffer() = default;
  explicit PinnedBuffer(size_t bytes);  // throws std::runtime_error naming cudaHostAlloc
  ~PinnedBuffer();
  PinnedBuffer(PinnedBuffer&& other) noexcept;
  PinnedBuffer& operator=(PinnedBuffer&& other) noexcept;
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;

  float* host() const { return static_cast<float*>(host_); }
  float* device() const { return static_cast<float*>(device_); }
  size_t bytes() const { return bytes_; }

 private:
  void* host_ = nullptr;
  void* device_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace guiju::inference::cuda
