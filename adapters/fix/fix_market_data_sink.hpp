#pragma once
// Where the FIX market-data mapping puts the events it makes: the engine's inbound ring in
// production (FixMarketDataRingSink), a vector in the tests.

#include "core/events/market_data.hpp"

namespace guiju {

class MarketDataSink {
 public:
  virtual ~MarketDataSink() = default;
  // False when the event could not be delivered (the ring closed at shutdown); the sink counts it.
  virtual bool publish(const BookUpdate& update) = 0;
  virtual bool publish(const Trade& trade) = 0;
};

}  // namespace guiju
