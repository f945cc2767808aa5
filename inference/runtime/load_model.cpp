#include "inference/runtime/load_model.hpp"

#include <openssl/evp.h>

#include <array>

#include "inference/cpu/cpu_executor.hpp"
#if GUIJU_CUDA_ENABLED
#include "inference/cuda/cuda_executor.hpp"
#include "inference/cuda/device_probe.hpp"
#endif
#include "inference/onnx/load_limits.hpp"
#include "inference/onnx/model_error.hpp"
#include "inference/onnx/onnx_loader.hpp"

namespace guiju::inference {
namespace {

std::string sha256_hex(const std::vector<std::byte>& bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw ModelError("OpenSSL: SHA-256 failed");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kDigits[digest[i] >> 4]);
    hex.push_back(kDigits[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace

size_t max_batch_limit(std::string_view backend) {
  return backend == "cuda" ? kMaxBatchLimitCuda : kMaxBatchLimit;
}

bool backend_built(std::string_view backend) {
  if (backend == "cpu") return true;
#if GUIJU_CUDA_ENABLED
  if (backend == "cuda") return true;
#endif
  return false;
}

std::unique_ptr<Executor> load_model(const ModelSpec& spec) {
  const std::string what = "model '" + spec.name + "' (" + spec.path.string() + ")";
  if (spec.backend == "cuda" && !backend_built("cuda")) {
    throw ModelError(what +
                     ": backend 'cuda' is not built into this binary (it was built without the "
                     "CUDA toolkit: configure with -DGUIJU_CUDA=ON where nvcc is installed), "
                     "use backend: cpu");
  }
  if (spec.backend != "cpu" && spec.backend != "cuda") {
    throw ModelError(what + ": backend '" + spec.backend + "' is not known (known: cpu, cuda)");
  }
  const size_t limit = max_batch_limit(spec.backend);
  if (spec.max_batch == 0 || spec.max_batch > limit) {
    throw ModelError(what + ": max_batch " + std::to_string(spec.max_batch) +
                     " is out of range for backend '" + spec.backend + "' (1 to " +
                     std::to_string(limit) + ")");
  }
#if GUIJU_CUDA_ENABLED
  // Before the file is read: on a machine without a GPU (or its driver) that is the one thing
  // to say.
  if (spec.backend == "cuda") {
    if (const std::string why = cuda::device_unavailable(spec.device); !why.empty()) {
      throw ModelError(what + ": backend 'cuda': " + why);
    }
  }
#endif
  const LoadLimits limits;
  const std::vector<std::byte> bytes = read_model_file(spec.path, limits.max_file_bytes);
  ModelInfo info;
  info.name = spec.name;
  info.version = spec.version;
  info.sha256 = sha256_hex(bytes);
  info.max_batch = spec.max_batch;
  Graph graph = parse_onnx(bytes, spec.path.string(), limits);
#if GUIJU_CUDA_ENABLED
  if (spec.backend == "cuda") {
    return std::make_unique<cuda::CudaExecutor>(std::move(graph), std::move(info), spec.device);
  }
#endif
  return std::make_unique<cpu::CpuExecutor>(std::move(graph), std::move(info));
}

}  // namespace guiju::inference
