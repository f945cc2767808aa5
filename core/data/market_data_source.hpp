#pragma once
// Something that produces market-data events in time order: the synthetic generator, a recorded
// journal, an imported file. Replay pulls from it; paper trading paces it to the real clock.

#include "core/events/event_slot.hpp"

namespace guiju {

class MarketDataSource {
 public:
  virtual ~MarketDataSource() = default;
  // Writes the next event into out; false when the source is exhausted.
  virtual bool next(EventSlot& out) = 0;
};

}  // namespace guiju
