#pragma once
// One side of an instrument's book as the FIX market-data adapter keeps it from snapshots (W) and
// incremental refreshes (X): at most kBookDepth price levels, best first, in a fixed array (no
// allocation). A level is identified by its price; MDEntryPositionNo(290), where the venue sends
// it, names the level by its 1-based rank instead and must agree with the price ordering.
//
// Only the top kBookDepth levels are kept because that is the MarketDepth the adapter subscribes
// with and all a BookUpdate carries: a venue that honours MarketDepth sends a New for the level
// that moves into view when one inside it is deleted.

#include <array>

#include "core/events/market_data.hpp"

namespace guiju {

// Why an incremental entry could not be applied; kApplied and kOutsideDepth leave the side
// consistent, the others mean the local book and the venue's disagree (counted as bad entries).
enum class FixBookResult : uint8_t {
  kApplied = 0,
  kOutsideDepth = 1,  // beyond the kept levels: nothing to do
  kNotFound = 2,      // change or delete of a level the side does not hold
  kOutOfOrder = 3,    // a position that contradicts the price ordering
};

class FixBookSide {
 public:
  explicit FixBookSide(bool bids) : bids_(bids) {}

  void clear() { count_ = 0; }
  int size() const { return count_; }
  const PriceLevel& level(int i) const { return levels_[static_cast<size_t>(i)]; }

  // MDUpdateAction New (0), and each snapshot entry (position 0). Without a position an existing
  // price gets the new size. position: 1-based rank, 0 when absent.
  FixBookResult insert(Price price, Quantity size, int position);
  // MDUpdateAction Change (1): by position when given (the price, if given, must match), else by
  // price.
  FixBookResult change(const Price* price, Quantity size, int position);
  // MDUpdateAction Delete (2): by position when given (the price, if given, must match), else by
  // price.
  FixBookResult erase(const Price* price, int position);

  // Copies the levels into a BookUpdate side; levels past the count are zeroed.
  void copy_to(std::array<PriceLevel, kBookDepth>& out, uint8_t& count) const;

 private:
  // True when a ranks ahead of b on this side.
  bool better(Price a, Price b) const { return bids_ ? a > b : a < b; }
  // The index of price, or -1; *insert_at is where it would go.
  int find(Price price, int* insert_at) const;
  void insert_at(int index, PriceLevel level);
  void erase_at(int index);

  bool bids_;
  int count_ = 0;
  std::array<PriceLevel, kBookDepth> levels_{};
};

}  // namespace guiju
