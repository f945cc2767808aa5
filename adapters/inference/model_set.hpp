#pragma once
// The models a config's `inference` section names, loaded in this process: what the engine's
// embedded backend (and replay) run. Each model id maps to an executor and to the identity every
// reply carries (name, version, the model file's SHA-256), so the audit trail says which model
// produced each signal.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/config/engine_config.hpp"
#include "core/events/signal_events.hpp"
#include "inference/runtime/executor.hpp"
#include "inference/runtime/model_repository.hpp"

namespace guiju::inference {

class ModelSet {
 public:
  struct Model {
    uint32_t id = 0;
    ModelConfig config;
    std::unique_ptr<Executor> executor;
    std::array<uint8_t, 32> sha256{};
    size_t input_elements = 0;   // per row, the one input tensor
    size_t output_elements = 0;  // per row, the one output tensor
    // Planned at load for config.max_batch rows: a batch is gathered here and answered from here.
    std::vector<float> inputs;
    std::vector<float> outputs;
  };

  // Loads every configured model (the latest version when none is named). Throws
  // std::runtime_error naming the model and why: missing, refused by the loader, or not a signal
  // model (one float input of at most kMaxSignalInputs per row, one output of at most
  // kMaxSignalOutputs), or declared differently in its config.yaml than the file says.
  explicit ModelSet(const InferenceConfig& config);

  Model* find(uint32_t id);
  const std::vector<Model>& models() const { return models_; }

  // Answers requests for one model as one batch (at most its max_batch), writing one reply per
  // request: outputs, status, the model's identity. Requests whose input count does not match
  // the model are answered kModelError and left out of the batch. No allocation.
  void answer(Model& model, std::span<const SignalRequest* const> requests,
              std::span<SignalReply> replies);
  // A reply that is not computed: the status, and the identity of the model when it is known.
  void refuse(const SignalRequest& request, SignalStatus status, SignalReply& reply);

 private:
  std::vector<Model> models_;
};

}  // namespace guiju::inference
