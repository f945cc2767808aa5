#pragma once
// The aggressor of a trade whose record does not say (LEAN ticks, user CSVs without a side
// column), by the tick test: a trade above the previous trade price was buyer-initiated, below it
// seller-initiated, at the same price as the trade before. Trade has no "unknown" aggressor, and
// the simulated venue fills resting bids only from seller-initiated trades (and asks only from
// buyer-initiated ones), so a constant guess would leave one side of the book never filled. The
// tick test is the standard classifier when no quotes are at hand (Lee and Ready, 1991); it is an
// inference, and the docs say so. The first trade of a file counts as buyer-initiated.

#include "core/model/fixed_point.hpp"
#include "core/model/order_types.hpp"

namespace guiju {

class TickRule {
 public:
  Side classify(Price price) {
    if (seen_ && price > last_) side_ = Side::kBuy;
    if (seen_ && price < last_) side_ = Side::kSell;
    last_ = price;
    seen_ = true;
    return side_;
  }

 private:
  Price last_;
  bool seen_ = false;
  Side side_ = Side::kBuy;
};

}  // namespace guiju
