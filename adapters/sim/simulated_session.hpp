#pragma once
// Replay: a market-data source, the simulated venue and the engine on one thread, on a simulated
// clock. Deterministic by construction: the same source and strategies give the same orders.
//
// The order of work for each market-data event mirrors what happens in a real market: the venue
// sees the event first (the market moved, resting orders may fill), the engine then receives the
// venue's reports and the event itself, and whatever the strategies send in response reaches the
// venue, whose reports reach the engine, until both sides are quiet.

#include <chrono>
#include <cstdint>
#include <functional>

#include "adapters/sim/simulated_venue.hpp"
#include "core/data/market_data_source.hpp"
#include "core/engine/engine.hpp"
#include "core/portfolio/performance.hpp"

namespace guiju {

// How far apart the engine and the venue are. Zero (the default) means the engine acts on the
// market as the venue sees it, at the same instant.
struct ReplayLatency {
  Duration market_data = 0;  // the venue's market moves; the engine hears of it this much later
  Duration order_entry = 0;  // each way: the engine's orders reach the venue, and the venue's
                             // reports reach the engine, this much later
  bool any() const { return market_data > 0 || order_entry > 0; }
};

struct ReplayStats {
  uint64_t market_events = 0;
  uint64_t venue_reports = 0;
  Timestamp first_event = 0;
  Timestamp last_event = 0;
};

class SimulatedSession {
 public:
  // The engine must run on `clock`; reports is the venue->engine ring (not yet added to the
  // engine).
  SimulatedSession(Engine& engine, SimulatedClock& clock, SimulatedVenue& venue,
                   SpscRing<EventSlot>& reports, ReplayLatency latency = {});

  // Sets the clock to the first event's time, starts the engine (strategies' on_start), runs the
  // source to its end (or until the engine stops), then stops the engine and settles the
  // resulting cancels. Returns what went through.
  ReplayStats run(MarketDataSource& source);
  // Samples the portfolio on market time while the replay runs (not owned; optional).
  void set_performance_tracker(PerformanceTracker* tracker) { tracker_ = tracker; }
  // Paces the replay to the wall clock: market time runs `speed` times as fast as real time
  // (1 = as recorded); 0, the default, runs as fast as the machine can. Pacing only waits: what
  // the engine decides is the same at every speed, on the simulated clock.
  void set_speed(double speed) { speed_ = speed; }
  // Called every few thousand market events (every event when paced) with the source (for its
  // progress) and the stats.
  using ProgressCallback = std::function<void(const MarketDataSource&, const ReplayStats&)>;
  void set_progress_callback(ProgressCallback callback) { progress_ = std::move(callback); }

 private:
  // Moves orders to the venue and reports to the engine until both rings are empty.
  void settle();
  // Hands an event to the engine (and a fill to the performance tracker).
  void to_engine(const EventSlot& e);
  // With latencies: every hand-over between the engine and the venue is scheduled for later, and
  // the market, the venue and the engine act in time order.
  ReplayStats run_with_latency(MarketDataSource& source);
  // Before each market event: counts it, waits for the wall clock when paced, reports progress.
  void on_market_event(const MarketDataSource& source, Timestamp t);

  Engine& engine_;
  SimulatedClock& clock_;
  SimulatedVenue& venue_;
  SpscRing<EventSlot>& reports_;
  ReplayLatency latency_;
  PerformanceTracker* tracker_ = nullptr;
  double speed_ = 0;
  ProgressCallback progress_;
  std::chrono::steady_clock::time_point wall_start_{};
  ReplayStats stats_;
};

}  // namespace guiju
