#pragma once
// One loaded model version as the service serves it: the executor, the identity every reply
// names, its queue of waiting requests, its counters, and the buffers a batch is gathered into
// and answered from (planned at load for max_batch rows: running a batch allocates nothing).
// Everything here belongs to the batcher's serving thread once the model is installed.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "inference/protocol/admin_reply.hpp"
#include "inference/runtime/executor.hpp"
#include "inference/runtime/model_repository.hpp"
#include "inference/server/job_queue.hpp"

namespace guiju::inference {

struct ModelCounters {
  uint64_t answered = 0;    // computed and answered ok
  uint64_t expired = 0;     // past their deadline when their batch formed: never computed
  uint64_t overloaded = 0;  // refused because the queue was full
  uint64_t errors = 0;      // bad requests (shape) and failed runs
};

struct ServedModel {
  ServedModel(ModelConfig model_config, std::unique_ptr<Executor> model, size_t queue_capacity);

  ModelConfig config;
  std::unique_ptr<Executor> executor;
  std::array<uint8_t, 32> sha256{};
  uint32_t input_elements = 0;  // per row
  uint32_t output_elements = 0;
  uint32_t max_batch = 1;
  ModelState state = ModelState::kReady;
  JobQueue queue;
  ModelCounters counters;
  std::vector<float> inputs;    // max_batch rows
  std::vector<float> outputs;   // max_batch rows
  std::vector<InferJob> batch;  // the jobs of the batch being run; capacity max_batch

  const std::string& name() const { return config.name; }
  const std::string& version() const { return config.version; }
  ModelEntry entry() const;
};

// Loads NAME/VERSION from the repository (the latest version when version is empty), as the
// service serves it: config.yaml read and checked, the model file loaded by its backend, its
// inputs and outputs the config's, one input tensor and one output tensor. Throws ModelError
// (inference/onnx/model_error.hpp) saying which model and why: the config's file, line and key,
// the loader's file, node and op, or what differs.
std::unique_ptr<ServedModel> load_served_model(const std::filesystem::path& repository,
                                               const std::string& name, const std::string& version,
                                               size_t queue_capacity);

}  // namespace guiju::inference
