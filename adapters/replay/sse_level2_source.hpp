#pragma once
// Replaying a recorded SSE Level-2 day (sse_level2.hpp) through the engine: the order book is
// rebuilt from the exchange's orders, cancels and trades (as l2_rebuild.hpp does), and what the
// exchange's public feed would show is emitted in the exchange's event order:
//   - every trade, as a Trade (aggressor from TradeBSFlag; call-auction trades, flag N, are
//     marked buyer-initiated: an auction has no aggressor, and they fill no queue at their price
//     that the uncross did not);
//   - the top of book, as a Quote, whenever it changes;
//   - the ten levels a side, as a BookUpdate, whenever any of them changes.
// While the book is crossed (orders collecting in a call auction) no quote or book is emitted:
// it is not a market anyone can trade against. Event times are the exchange's, in UTC.

#include <memory>
#include <string>
#include <vector>

#include "adapters/replay/sse_level2.hpp"
#include "core/data/market_data_source.hpp"
#include "core/model/instrument.hpp"

namespace guiju::sse {

class Level2Source final : public MarketDataSource {
 public:
  // `day` is YYYYMMDD (the feed's times are times of day, China time); `instrument` the
  // registry's id for the feed's security.
  Level2Source(Level2Day day, const std::string& yyyymmdd, InstrumentId instrument);
  ~Level2Source() override;
  Level2Source(const Level2Source&) = delete;
  Level2Source& operator=(const Level2Source&) = delete;

  bool next(EventSlot& out) override;
  double progress() const override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace guiju::sse
