#include "inference/cuda/device_probe.hpp"

#include <cuda_runtime_api.h>

namespace guiju::inference::cuda {

DeviceProbe probe_devices() {
  DeviceProbe p;
  const cudaError_t e = cudaGetDeviceCount(&p.count);
  if (e != cudaSuccess) {
    p.count = 0;
    p.error = std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
    (void)cudaGetLastError();
  }
  return p;
}

std::string device_unavailable(int index) {
  const DeviceProbe p = probe_devices();
  if (p.count == 0) {
    return "no CUDA device is present (cudaGetDeviceCount: " +
           (p.error.empty() ? std::string("0 devices") : p.error) + ")";
  }
  if (index < 0 || index >= p.count) {
    return "device " + std::to_string(index) + " is not present (" + std::to_string(p.count) +
           " CUDA device" + (p.count == 1 ? "" : "s") + ": 0 to " + std::to_string(p.count - 1) +
           ")";
  }
  return "";
}

}  // namespace guiju::inference::cuda
