#pragma once
// The price cage of continuous trading on the Shanghai and Shenzhen exchanges (main board,
// ChiNext and STAR, since the 2023 registration-system rules): a buy may be priced at most
// max(102% of the buy reference, the reference + 10 ticks), a sell at least min(98% of the sell
// reference, the reference - 10 ticks). The buy reference is the best ask, else the best bid,
// else the last trade, else the previous close; the sell reference mirrors it (best bid first).
// It keeps an order from sweeping far through a thin book. Call auctions have no cage.
//
// Shanghai refuses an order outside the cage; Shenzhen holds it until the market moves the cage
// over it. The simulated venue refuses in both (docs/simulated-venue.md), and names the rule.

#include <optional>

#include "core/model/instrument.hpp"
#include "core/model/order_types.hpp"

namespace guiju::rules {

// What the market shows when an order arrives; zero prices are unknown.
struct CageMarket {
  Price best_bid;
  Price best_ask;
  Price last_trade;
};

// The reference price an order on `side` is caged around; zero when nothing is known.
Price cage_reference(const Instrument& instrument, Side side, const CageMarket& market);

// The furthest price the cage allows on `side` (the highest buy, the lowest sell); nullopt when
// the board has no cage or no reference is known.
std::optional<Price> cage_bound(const Instrument& instrument, Side side, const CageMarket& market);

// Whether the instrument's orders are caged in continuous trading: a board with a cage and a
// positive tick.
bool has_price_cage(const Instrument& instrument);

// cage_bound for an instrument known to have a cage (has_price_cage), from its tick and
// previous close alone: what the pre-trade checks keep per instrument.
std::optional<Price> caged_bound(Price tick, Price previous_close, Side side,
                                 const CageMarket& market);

}  // namespace guiju::rules
