#pragma once
// Live FIX market data as a MarketDataSource: paper trading on a venue's real prices with fills
// simulated locally (adapters/sim/paper_session.hpp, `endpoints.market_data: fix`). The feed's
// QuickFIX thread fills a ring of its own; next(), on the paper session's feeder thread, takes
// from it, waiting while it is empty, until stop is set or the deadline passes.

#include <atomic>
#include <cstddef>

#include "adapters/fix/fix_market_data_feed.hpp"
#include "core/bus/spsc_ring.hpp"
#include "core/data/market_data_source.hpp"

namespace guiju {

class FixMarketDataSource final : public MarketDataSource {
 public:
  // deadline: UTC nanoseconds after which next() reports the end (0: none).
  FixMarketDataSource(const InstrumentRegistry& registry, FixMarketDataOptions options,
                      size_t ring_capacity, const std::atomic<bool>& stop, Timestamp deadline);
  ~FixMarketDataSource() override;
  FixMarketDataSource(const FixMarketDataSource&) = delete;
  FixMarketDataSource& operator=(const FixMarketDataSource&) = delete;

  // Connects, logs on and subscribes (the feed's thread); stop() logs out.
  void start() { feed_.start(); }
  void stop() { feed_.stop(); }
  bool logged_on() const { return feed_.logged_on(); }

  bool next(EventSlot& out) override;

 private:
  SpscRing<EventSlot> ring_;
  FixMarketDataFeed feed_;
  const std::atomic<bool>& stop_;
  Timestamp deadline_;
};

}  // namespace guiju
