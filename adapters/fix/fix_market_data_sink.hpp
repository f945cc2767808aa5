#pragma once
// Where the FIX market-data mapping puts the events it makes: the engine's inbound ring in
// production (FixMarketDataRingSink), a vector in the tests.

#include "core/events/control_events.hpp"
#include "core/events/market_data.hpp"

namespace guiju {

class MarketDataSink {
 public:
  virtual ~MarketDataSink() = default;
  // False when the event could not be delivered (the ring closed at shutdown); the sink counts it.
  virtual bool publish(const BookUpdate& update) = 0;
  virtual bool publish(const Trade& trade) = 0;
  // The session's logon and logout, for the audit trail. A sink that keeps only market data
  // ignores them.
  virtual bool publish_session(const ControlCommand& /*session_state*/) { return true; }
};

}  // namespace guiju
