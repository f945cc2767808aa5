#include "apps/guiju/signal_assembly.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "adapters/inference/kserve_signals.hpp"
#include "core/logging/log.hpp"

namespace guiju {

SignalBackend attach_signals(const EngineConfig& config, Engine& engine, SignalMode mode) {
  SignalBackend b;
  const InferenceConfig& inference = config.inference;
  if (inference.models.empty()) return b;
  if (mode == SignalMode::kRerun) {
    b.sink = std::make_unique<inference::RecordedSignals>();
    engine.set_signal_sink(b.sink.get());
    return b;
  }
  const bool with_service =
      mode == SignalMode::kLive && inference.transport != InferenceTransport::kEmbedded;
  if (!with_service) {
    if (inference.repository.empty()) {
      throw std::runtime_error(
          "inference: a replay runs the models in this process, from inference.repository, "
          "which the config does not set (inference.service " +
          inference.service + " serves paper and live runs)");
    }
    b.models = std::make_unique<inference::ModelSet>(inference);
    for (const inference::ModelSet::Model& m : b.models->models()) {
      log().info("model {}: {} version {} ({} backend, max batch {}), sha256 {}", m.id,
                 m.config.name, m.config.version, m.config.backend, m.config.max_batch,
                 m.executor->info().sha256);
    }
  }
  // Room for every request in flight: a reply never waits for the engine to make space.
  b.replies = std::make_unique<SpscRing<EventSlot>>(
      std::bit_ceil(std::max<size_t>(inference.queue_capacity, 2)), BackPressure::kFail,
      "signal-replies");
  engine.add_inbound(b.replies.get());
  if (mode == SignalMode::kReplay) {
    b.sink = std::make_unique<inference::InlineSignals>(*b.models, *b.replies);
  } else {
    switch (inference.transport) {
      case InferenceTransport::kEmbedded: {
        auto embedded = std::make_unique<inference::EmbeddedSignals>(*b.models, *b.replies,
                                                                     inference.queue_capacity);
        b.embedded = embedded.get();
        b.sink = std::move(embedded);
        break;
      }
      case InferenceTransport::kZeroMq: {
        for (const InferenceModelConfig& m : inference.models) {
          log().info("model {}: {} version {} served by {}", m.id, m.name,
                     m.version.empty() ? "latest" : m.version, inference.service);
        }
        auto service = std::make_unique<inference::ServiceSignals>(inference, *b.replies);
        engine.add_inbound(&service->refusals());
        b.service = service.get();
        b.sink = std::move(service);
        break;
      }
      case InferenceTransport::kKServeHttp: {
        // A KServe v2 server answers (guiju-inferd --http, NVIDIA Triton).
        inference::KServeOptions kserve;
        std::string why;
        if (!inference::parse_http_service(inference.service, kserve.host, kserve.port, why)) {
          throw std::runtime_error("inference.service " + inference.service + ": " + why);
        }
        kserve.queue_capacity = inference.queue_capacity;
        for (const InferenceModelConfig& m : inference.models) {
          log().info("model {}: {} version {} served by the KServe v2 server at {}", m.id, m.name,
                     m.version.empty() ? "latest" : m.version, inference.service);
        }
        b.sink = std::make_unique<inference::KServeSignals>(inference, *b.replies, kserve);
        break;
      }
    }
  }
  engine.set_signal_sink(b.sink.get());
  return b;
}

std::string signal_summary(const SignalBackend& backend, const EngineCounters& engine) {
  const std::string engine_side = std::to_string(engine.signals_timed_out) + " timed out, " +
                                  std::to_string(engine.late_signal_replies) +
                                  " late replies dropped";
  if (backend.service != nullptr) {
    const inference::ServiceSignalCounts c = backend.service->counts();
    return backend.service->endpoint() + ": " + std::to_string(c.sent) + " sent, " +
           std::to_string(c.answered) + " answered, " + std::to_string(c.expired) + " expired, " +
           std::to_string(c.overloaded) + " overloaded, " + std::to_string(c.unavailable) +
           " unavailable, " + std::to_string(c.errors) + " errors, " +
           std::to_string(c.late_dropped + engine.late_signal_replies) + " late replies dropped; " +
           std::to_string(engine.signals_timed_out) + " timed out";
  }
  if (backend.embedded != nullptr) {
    return "embedded: " + std::to_string(backend.embedded->answered()) + " answered, " +
           std::to_string(backend.embedded->expired()) + " expired; " + engine_side;
  }
  return "";
}

}  // namespace guiju
