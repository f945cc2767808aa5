#include "apps/guiju/signal_assembly.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "adapters/inference/kserve_signals.hpp"
#include "core/logging/log.hpp"

namespace guiju {

SignalBackend attach_signals(const EngineConfig& config, Engine& engine, SignalMode mode) {
  SignalBackend b;
  if (config.inference.models.empty()) return b;
  if (mode == SignalMode::kRerun) {
    b.sink = std::make_unique<inference::RecordedSignals>();
    engine.set_signal_sink(b.sink.get());
    return b;
  }
  if (mode == SignalMode::kLive && config.inference.service.rfind("http://", 0) == 0) {
    // A KServe v2 server answers (guiju-inferd --http, Triton): no model is loaded here.
    inference::KServeOptions kserve;
    std::string why;
    if (!inference::parse_http_service(config.inference.service, kserve.host, kserve.port, why)) {
      throw std::runtime_error("inference.service " + config.inference.service + ": " + why);
    }
    kserve.queue_capacity = config.inference.queue_capacity;
    b.replies = std::make_unique<SpscRing<EventSlot>>(
        std::bit_ceil(std::max<size_t>(config.inference.queue_capacity, 2)), BackPressure::kFail,
        "signal-replies");
    engine.add_inbound(b.replies.get());
    b.sink = std::make_unique<inference::KServeSignals>(config.inference, *b.replies, kserve);
    engine.set_signal_sink(b.sink.get());
    log().info("signals: served by the KServe v2 server at {}", config.inference.service);
    return b;
  }
  b.models = std::make_unique<inference::ModelSet>(config.inference);
  for (const inference::ModelSet::Model& m : b.models->models()) {
    log().info("model {}: {} version {} ({} backend, max batch {}), sha256 {}", m.id, m.config.name,
               m.config.version, m.config.backend, m.config.max_batch, m.executor->info().sha256);
  }
  // Room for every request in flight: a reply never waits for the engine to make space.
  b.replies = std::make_unique<SpscRing<EventSlot>>(
      std::bit_ceil(std::max<size_t>(config.inference.queue_capacity, 2)), BackPressure::kFail,
      "signal-replies");
  engine.add_inbound(b.replies.get());
  if (mode == SignalMode::kReplay) {
    b.sink = std::make_unique<inference::InlineSignals>(*b.models, *b.replies);
  } else {
    b.sink = std::make_unique<inference::EmbeddedSignals>(*b.models, *b.replies,
                                                          config.inference.queue_capacity);
  }
  engine.set_signal_sink(b.sink.get());
  return b;
}

}  // namespace guiju
