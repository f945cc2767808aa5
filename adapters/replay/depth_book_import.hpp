#pragma once
// A full price-level book built from depth records (Binance snapshots and diff updates): a map
// from price to quantity per side, where a quantity of zero removes the level. The importers
// publish its top kBookDepth levels as a BookUpdate, which is a snapshot, not a delta
// (market_data.hpp says why).

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>

#include "core/events/market_data.hpp"

namespace guiju {

class DepthBook {
 public:
  void clear() {
    bids_.clear();
    asks_.clear();
  }
  void set(Side side, Price price, Quantity quantity) {
    if (side == Side::kBuy) {
      put(bids_, price, quantity);
    } else {
      put(asks_, price, quantity);
    }
  }
  // Best bid at or above best ask: not a market anyone can trade against.
  bool crossed() const {
    return !bids_.empty() && !asks_.empty() && bids_.begin()->first >= asks_.begin()->first;
  }
  // The top levels per side into `u`, best first; the rest of `u`'s levels zeroed.
  void top(BookUpdate& u) const {
    u.bid_levels = fill(bids_, u.bids);
    u.ask_levels = fill(asks_, u.asks);
  }

 private:
  template <typename Map>
  static void put(Map& side, Price price, Quantity quantity) {
    if (quantity.is_zero()) {
      side.erase(price.raw());
    } else {
      side[price.raw()] = quantity.raw();
    }
  }
  template <typename Map>
  static uint8_t fill(const Map& side, std::array<PriceLevel, kBookDepth>& levels) {
    levels = {};
    uint8_t n = 0;
    for (auto it = side.begin(); it != side.end() && n < kBookDepth; ++it, ++n) {
      levels[n] = {Price::from_raw(it->first), Quantity::from_raw(it->second)};
    }
    return n;
  }

  std::map<int64_t, int64_t, std::greater<>> bids_;  // best (highest) first
  std::map<int64_t, int64_t> asks_;                  // best (lowest) first
};

// Whether two published books show the same levels (headers aside).
inline bool same_book(const BookUpdate& a, const BookUpdate& b) {
  auto same = [](const PriceLevel& x, const PriceLevel& y) {
    return x.price == y.price && x.size == y.size;
  };
  return a.bid_levels == b.bid_levels && a.ask_levels == b.ask_levels &&
         std::equal(a.bids.begin(), a.bids.end(), b.bids.begin(), same) &&
         std::equal(a.asks.begin(), a.asks.end(), b.asks.begin(), same);
}

}  // namespace guiju
