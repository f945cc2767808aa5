#pragma once
// Wires the config's `inference` section to an engine: the models loaded in this process, the
// ring their replies come back on, and the backend that suits the run (adapters/inference/
// signal_service.hpp): answered at once in replay, by a worker thread in paper and live, not at
// all in a re-run (the journal's replies are the answers).

#include <memory>

#include "adapters/inference/signal_service.hpp"
#include "core/config/engine_config.hpp"
#include "core/engine/engine.hpp"

namespace guiju {

enum class SignalMode { kReplay, kLive, kRerun };

struct SignalBackend {
  std::unique_ptr<inference::ModelSet> models;
  std::unique_ptr<SpscRing<EventSlot>> replies;
  std::unique_ptr<SignalSink> sink;
};

// Nothing (and no sink: request_signal answers 0) when the config has no inference section.
// Throws std::runtime_error naming the model that cannot be loaded. The backend must outlive the
// engine's loop.
SignalBackend attach_signals(const EngineConfig& config, Engine& engine, SignalMode mode);

}  // namespace guiju
