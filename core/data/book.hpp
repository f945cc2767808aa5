#pragma once
// The engine's view of one instrument's market: top of book, the last L2 snapshot, last trade.
// Owned and written by the engine thread only; strategies read it through their context.

#include <array>

#include "core/events/market_data.hpp"

namespace guiju {

// The fields every pre-trade check reads (top of book, last trade, times) come first and fill
// one cache line; the depth follows. Books sit in an array by instrument, each on its own lines.
class alignas(64) Book {
 public:
  // A quote sets the top of book. Deeper levels keep the last snapshot until the next one.
  void apply(const Quote& q) {
    bid_ = {q.bid_price, q.bid_size};
    ask_ = {q.ask_price, q.ask_size};
    updated_ = q.header.event_time;
  }
  // A snapshot replaces the depth and, through its first levels, the top of book.
  void apply(const BookUpdate& u) {
    bids_ = u.bids;
    asks_ = u.asks;
    bid_levels_ = u.bid_levels;
    ask_levels_ = u.ask_levels;
    bid_ = u.bid_levels > 0 ? u.bids[0] : PriceLevel{};
    ask_ = u.ask_levels > 0 ? u.asks[0] : PriceLevel{};
    updated_ = u.header.event_time;
  }
  void apply(const Trade& t) {
    last_trade_ = {t.price, t.size};
    last_trade_time_ = t.header.event_time;
  }

  const PriceLevel& best_bid() const { return bid_; }
  const PriceLevel& best_ask() const { return ask_; }
  bool has_bid() const { return bid_.size.is_positive(); }
  bool has_ask() const { return ask_.size.is_positive(); }
  bool has_two_sides() const { return has_bid() && has_ask(); }
  // Mid price rounded down to the raw unit; zero when one side is empty.
  Price mid() const {
    if (!has_two_sides()) return Price::zero();
    return Price::from_raw(bid_.price.raw() / 2 + ask_.price.raw() / 2 +
                           (bid_.price.raw() % 2 + ask_.price.raw() % 2) / 2);
  }
  Price spread() const { return has_two_sides() ? ask_.price - bid_.price : Price::zero(); }

  int bid_levels() const { return bid_levels_; }
  int ask_levels() const { return ask_levels_; }
  const PriceLevel& bid_level(int i) const { return bids_[static_cast<size_t>(i)]; }
  const PriceLevel& ask_level(int i) const { return asks_[static_cast<size_t>(i)]; }

  const PriceLevel& last_trade() const { return last_trade_; }
  Timestamp last_trade_time() const { return last_trade_time_; }
  Timestamp updated() const { return updated_; }

 private:
  PriceLevel bid_{};
  PriceLevel ask_{};
  PriceLevel last_trade_{};
  Timestamp last_trade_time_ = 0;
  Timestamp updated_ = 0;
  // The last snapshot's depth.
  std::array<PriceLevel, kBookDepth> bids_{};
  std::array<PriceLevel, kBookDepth> asks_{};
  int bid_levels_ = 0;
  int ask_levels_ = 0;
};

}  // namespace guiju
