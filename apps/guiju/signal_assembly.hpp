#pragma once
// Wires the config's `inference` section to an engine: the backend that suits the run
// (adapters/inference/) and the ring its replies come back on. Replay answers at once with the
// models loaded in this process; paper and live ask a worker thread of this process with the
// models loaded (`service: embedded`) or guiju-inferd (`service: tcp://...`, `ipc://...`); a
// re-run asks nothing (the journal's replies are the answers).

#include <memory>
#include <string>

#include "adapters/inference/service_signals.hpp"
#include "adapters/inference/signal_service.hpp"
#include "core/config/engine_config.hpp"
#include "core/engine/engine.hpp"

namespace guiju {

enum class SignalMode { kReplay, kLive, kRerun };

struct SignalBackend {
  std::unique_ptr<inference::ModelSet> models;  // none with a service, and in a re-run
  std::unique_ptr<SpscRing<EventSlot>> replies;
  std::unique_ptr<SignalSink> sink;
  // The sink by its kind, for the run summary's counters (null when it is another kind).
  const inference::EmbeddedSignals* embedded = nullptr;
  const inference::ServiceSignals* service = nullptr;
};

// Nothing (and no sink: request_signal answers 0) when the config has no inference section.
// Throws std::runtime_error naming the model that cannot be loaded, the service's endpoint that
// ZeroMQ refuses, or a replay of a config with a service but no repository to run the models
// from. The backend must outlive the engine's loop.
SignalBackend attach_signals(const EngineConfig& config, Engine& engine, SignalMode mode);

// The run summary's line about signals: what the backend and the engine counted (empty when the
// run had no backend that counts).
std::string signal_summary(const SignalBackend& backend, const EngineCounters& engine);

}  // namespace guiju
