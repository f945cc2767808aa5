#pragma once
// Replay: a market-data source, the simulated venue and the engine on one thread, on a simulated
// clock. Deterministic by construction: the same source and strategies give the same orders.
//
// The order of work for each market-data event mirrors what happens in a real market: the venue
// sees the event first (the market moved, resting orders may fill), the engine then receives the
// venue's reports and the event itself, and whatever the strategies send in response reaches the
// venue, whose reports reach the engine, until both sides are quiet.

#include <cstdint>

#include "adapters/sim/simulated_venue.hpp"
#include "core/data/market_data_source.hpp"
#include "core/engine/engine.hpp"

namespace guiju {

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
                   SpscRing<EventSlot>& reports);

  // Sets the clock to the first event's time, starts the engine (strategies' on_start), runs the
  // source to its end (or until the engine stops), then stops the engine and settles the
  // resulting cancels. Returns what went through.
  ReplayStats run(MarketDataSource& source);

 private:
  // Moves orders to the venue and reports to the engine until both rings are empty.
  void settle();

  Engine& engine_;
  SimulatedClock& clock_;
  SimulatedVenue& venue_;
  SpscRing<EventSlot>& reports_;
  ReplayStats stats_;
};

}  // namespace guiju
