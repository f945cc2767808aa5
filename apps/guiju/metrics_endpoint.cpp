#include "apps/guiju/metrics_endpoint.hpp"

#include "core/logging/log.hpp"
#include "core/metrics/prometheus_encoder.hpp"

namespace guiju {

std::unique_ptr<MetricsEndpoint> MetricsEndpoint::open(const EngineConfig& config, Engine& engine,
                                                       journal::JournalService* journal,
                                                       bool live) {
  if (!config.metrics.enabled) return nullptr;
  std::unique_ptr<MetricsEndpoint> endpoint(
      new MetricsEndpoint(engine, journal, live, config.metrics.listen));
  endpoint->server_.start();
  ListenAddress bound = config.metrics.listen;
  bound.port = endpoint->server_.port();
  log().info("metrics: http://{}/metrics (and /healthz, /readyz)", bound.to_string());
  return endpoint;
}

MetricsEndpoint::MetricsEndpoint(Engine& engine, journal::JournalService* journal, bool live,
                                 const ListenAddress& address)
    : engine_(engine),
      journal_(journal),
      live_(live),
      server_(address,
              HttpEndpoints{[this] { return encode_prometheus(metrics_.publisher().read()); },
                            // The journal's own flag, not the snapshot: it must say so even when
                            // the engine thread has stopped publishing.
                            [this]() -> std::string {
                              if (journal_ != nullptr && !journal_->healthy()) {
                                return "audit journal failed: " + journal_->failure();
                              }
                              return {};
                            },
                            [this]() -> std::string {
                              const MetricsSnapshot s = metrics_.publisher().read();
                              if (s.engine_started == 0) return "engine not started";
                              if (live_ && s.order_session_up == 0)
                                return "order session not logged on";
                              return {};
                            }}) {
  if (journal_ != nullptr) {
    // Engine thread: queued() is the engine's own count; durable_sequence() is atomic.
    metrics_.add_collector([this](MetricsSnapshot& s) {
      s.journal_enabled = 1;
      s.journal_healthy = journal_->healthy() ? 1 : 0;
      s.journal_queued = journal_->queued();
      s.journal_durable = journal_->durable_sequence();
    });
  }
  engine_.set_metrics(&metrics_);
}

MetricsEndpoint::~MetricsEndpoint() {
  server_.stop();
  engine_.set_metrics(nullptr);
}

}  // namespace guiju
