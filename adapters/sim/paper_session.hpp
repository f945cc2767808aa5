#pragma once
// Paper trading: live clock, simulated venue. A feeder thread paces a market-data source to the
// wall clock and publishes each event into two rings (the engine's and the venue's); the engine
// thread runs the engine loop and the venue side by side. Nothing is shared but the rings.

#include <atomic>
#include <cstdint>
#include <functional>

#include "adapters/sim/simulated_venue.hpp"
#include "core/data/market_data_source.hpp"
#include "core/engine/engine.hpp"

namespace guiju {

struct PaperOptions {
  double speed = 1.0;     // 1.0: the source's own pace; 10: ten times faster
  Duration duration = 0;  // wall-clock limit; 0: until the source ends or stop is set
  size_t ring_capacity = 1 << 16;
  // false: publish each event as the source gives it (a live source, FIX market data, paces
  // itself); true: pace the source's event times to the wall clock.
  bool pace = true;
  // Called on the engine thread once the engine has started and the feeder thread exists: where
  // the caller announces readiness and places the engine thread (a CPU pinned now is not
  // inherited by the feeder).
  std::function<void()> on_started;
};

struct PaperStats {
  uint64_t market_events = 0;
  uint64_t feeder_waits = 0;  // times the feeder found a ring full and waited (back-pressure)
  bool source_exhausted = false;
};

class PaperSession {
 public:
  // The engine runs on a LiveClock; reports is the venue->engine ring, already added as inbound.
  // The session adds its market-data ring to the engine, so it must outlive the engine's loop.
  PaperSession(Engine& engine, SimulatedVenue& venue, SpscRing<EventSlot>& reports,
               const PaperOptions& options);

  // Starts the engine, runs until the source ends, the duration passes, or stop becomes true;
  // then stops the engine and lets the resulting cancels settle.
  PaperStats run(MarketDataSource& source, const std::atomic<bool>& stop);

 private:
  Engine& engine_;
  SimulatedVenue& venue_;
  SpscRing<EventSlot>& reports_;
  PaperOptions options_;
  // Both rings block when full: market data is paced, so a full ring means the engine is behind,
  // and waiting (counted) is the honest response; nothing is dropped.
  SpscRing<EventSlot> to_engine_;
  SpscRing<EventSlot> to_venue_;
};

}  // namespace guiju
