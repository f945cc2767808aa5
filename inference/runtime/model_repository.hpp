#pragma once
// The model repository: DIR/NAME/VERSION/ holds model.onnx and config.yaml, the same layout the
// service (guiju-inferd) and the engine's embedded backend serve from. config.yaml says how the
// model is served; the ONNX file says what it computes, and the two must agree (checked when the
// model is loaded).
//
//   name: ai_signal          # must match NAME
//   version: 1               # must match VERSION
//   backend: cpu             # cpu | cuda
//   device: 0                # the GPU, for cuda
//   max_batch: 64            # the most requests one run takes
//   max_queue_delay_us: 100  # how long a request may wait for others to fill a batch
//   inputs:  [{ name: features, shape: [16] }]   # without the batch dimension
//   outputs: [{ name: signal, shape: [1] }]

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "inference/runtime/executor.hpp"

namespace guiju::inference {

struct ModelConfig {
  std::string name;
  std::string version;
  std::filesystem::path model_file;  // DIR/NAME/VERSION/model.onnx
  std::filesystem::path config_file;
  std::string backend = "cpu";
  int device = 0;
  size_t max_batch = 1;
  int64_t max_queue_delay_ns = 0;
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
};

// Reads DIR/NAME/VERSION/config.yaml. Throws ConfigError (core/config/config_error.hpp) naming the
// file, the line and the key at fault, or std::invalid_argument when the directory or its model
// file is missing.
ModelConfig read_model_config(const std::filesystem::path& repository, const std::string& name,
                              const std::string& version);

// The versions of NAME in the repository, oldest first (numeric versions by value, others by
// name). Empty when there are none.
std::vector<std::string> model_versions(const std::filesystem::path& repository,
                                        const std::string& name);

// The order of versions: numeric versions by value ("2" before "10"), others by name. The
// latest version is the last in this order.
bool version_before(const std::string& a, const std::string& b);

// Every NAME/VERSION in the repository, by name then version.
std::vector<ModelConfig> scan_repository(const std::filesystem::path& repository);

}  // namespace guiju::inference
