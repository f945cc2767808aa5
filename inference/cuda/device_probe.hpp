#pragma once
// Whether this process can use a CUDA device: load_model asks before it plans a model for the
// cuda backend (so a machine without a GPU or driver gets a refusal that says so), and the tests
// ask so that they skip, printing why, rather than fail.

#include <string>

namespace guiju::inference::cuda {

struct DeviceProbe {
  int count = 0;      // CUDA devices visible to this process
  std::string error;  // why there are none: cudaGetDeviceCount's error, empty when it succeeded
};

DeviceProbe probe_devices();

// "" when device `index` can be used; otherwise why not, e.g. "no CUDA device is present
// (cudaGetDeviceCount: cudaErrorNoDevice: no CUDA-capable device is detected)".
std::string device_unavailable(int index);

}  // namespace guiju::inference::cuda
