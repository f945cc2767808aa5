#pragma once
// `guiju run`'s metrics endpoint (the config's `metrics` section): the engine's snapshot
// publisher and the HTTP server over it, with the health and readiness rules of docs/metrics.md.

#include <memory>

#include "core/config/engine_config.hpp"
#include "core/engine/engine.hpp"
#include "core/journal/journal_service.hpp"
#include "core/metrics/engine_metrics.hpp"
#include "core/metrics/http_server.hpp"

namespace guiju {

class MetricsEndpoint {
 public:
  // Attaches the metrics to the engine and starts serving; nullptr when the config has no
  // `metrics` section. `journal` may be null (no audit journal). `live`: ready only once the
  // order session is logged on. Throws std::runtime_error when the address cannot be bound.
  static std::unique_ptr<MetricsEndpoint> open(const EngineConfig& config, Engine& engine,
                                               journal::JournalService* journal, bool live);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  EngineMetrics& metrics() { return metrics_; }

 private:
  MetricsEndpoint(Engine& engine, journal::JournalService* journal, bool live,
                  const ListenAddress& address);

  Engine& engine_;
  journal::JournalService* journal_;
  bool live_;
  EngineMetrics metrics_;
  MetricsHttpServer server_;
};

}  // namespace guiju
