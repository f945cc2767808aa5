#include "apps/guiju/signal_assembly.hpp"

#include <algorithm>
#include <bit>

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
