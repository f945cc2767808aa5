#pragma once
// A model repository for the inference service's tests and benchmark: DIR/NAME/VERSION with the
// 64-256-256-1 MLP (a seed per version, so versions compute different outputs) and its
// config.yaml.

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/inference_models.hpp"

namespace guiju::test {

inline std::filesystem::path write_mlp_version(const std::filesystem::path& repository,
                                               const std::string& name, const std::string& version,
                                               unsigned seed, int max_batch = 16,
                                               int max_queue_delay_us = 0) {
  const std::filesystem::path dir = repository / name / version;
  std::filesystem::create_directories(dir);
  mlp_model(seed).write(dir, "model.onnx");
  std::ofstream(dir / "config.yaml")
      << "name: " << name << "\nversion: " << version << "\nbackend: cpu\nmax_batch: " << max_batch
      << "\nmax_queue_delay_us: " << max_queue_delay_us << "\ninputs: [{ name: x, shape: [64] }]"
      << "\noutputs: [{ name: y, shape: [1] }]\n";
  return dir;
}

// A version whose model.onnx is not a model (the config is fine): refused at load.
inline std::filesystem::path write_corrupt_version(const std::filesystem::path& repository,
                                                   const std::string& name,
                                                   const std::string& version) {
  const std::filesystem::path dir = write_mlp_version(repository, name, version, 1);
  std::string bytes = mlp_model(1).bytes();
  bytes.resize(bytes.size() / 3);  // truncated: the protobuf does not parse
  for (size_t i = 0; i < bytes.size(); i += 7) bytes[i] = static_cast<char>(0xff);
  std::ofstream(dir / "model.onnx", std::ios::binary | std::ios::trunc) << bytes;
  return dir;
}

}  // namespace guiju::test
