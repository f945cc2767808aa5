#include "inference/runtime/load_model.hpp"

#include <openssl/evp.h>

#include <array>

#include "inference/cpu/cpu_executor.hpp"
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

std::unique_ptr<Executor> load_model(const ModelSpec& spec) {
  const std::string what = "model '" + spec.name + "' (" + spec.path.string() + ")";
  // Backends are chosen here; the CUDA backend adds its branch beside the CPU's.
  if (spec.backend != "cpu") {
    throw ModelError(what + ": backend '" + spec.backend + "' is not known (known: cpu)");
  }
  if (spec.max_batch == 0 || spec.max_batch > kMaxBatchLimit) {
    throw ModelError(what + ": max_batch " + std::to_string(spec.max_batch) +
                     " is out of range (1 to " + std::to_string(kMaxBatchLimit) + ")");
  }
  const LoadLimits limits;
  const std::vector<std::byte> bytes = read_model_file(spec.path, limits.max_file_bytes);
  ModelInfo info;
  info.name = spec.name;
  info.version = spec.version;
  info.sha256 = sha256_hex(bytes);
  info.max_batch = spec.max_batch;
  Graph graph = parse_onnx(bytes, spec.path.string(), limits);
  return std::make_unique<cpu::CpuExecutor>(std::move(graph), std::move(info));
}

}  // namespace guiju::inference
