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
  // How far through its data the source is, 0 to 1, for a progress bar; negative when unknown.
  virtual double progress() const { return -1; }
};

}  // namespace guiju
