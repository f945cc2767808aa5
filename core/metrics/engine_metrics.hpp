#pragma once
// The engine's side of /metrics. The engine thread owns the histograms it fills while it works
// and, every period() of its clock, copies its counters, ring depths, risk use and what the
// collectors add (adapter state: FIX sessions, the journal) into a snapshot it publishes. The
// HTTP thread only ever reads publisher(); nothing here is touched by two threads but that.

#include <functional>
#include <vector>

#include "core/metrics/latency_histogram.hpp"
#include "core/metrics/metrics_snapshot.hpp"
#include "core/metrics/snapshot_publisher.hpp"
#include "core/model/timestamp.hpp"

namespace guiju {

class Engine;

class EngineMetrics {
 public:
  // Runs on the engine thread at each publish, after the engine's own figures are in.
  using Collector = std::function<void(MetricsSnapshot&)>;

  explicit EngineMetrics(Duration period = 100 * kMillisecond) : period_(period) {}

  // Engine thread (or before the engine runs). Returns a handle for remove_collector.
  size_t add_collector(Collector collector);
  // For a collector reading an object about to be destroyed.
  void remove_collector(size_t handle);

  Duration period() const { return period_; }
  // Engine thread: fills the snapshot from the engine and the collectors, and publishes it.
  void publish(const Engine& engine, Timestamp now);

  const SnapshotPublisher& publisher() const { return publisher_; }

  // Engine thread only.
  LatencyHistogram decision_latency;   // an event's handling, from ring to orders out
  LatencyHistogram inference_latency;  // the service's answer time, as its replies report it

 private:
  Duration period_;
  std::vector<Collector> collectors_;
  MetricsSnapshot scratch_;  // reused: publishing allocates nothing
  SnapshotPublisher publisher_;
};

}  // namespace guiju
