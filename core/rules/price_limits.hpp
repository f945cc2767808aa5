#pragma once
// Daily price limits on the Shanghai and Shenzhen exchanges: from the previous close, by board
// (main board ±10%, ChiNext and STAR ±20%, risk-warning "ST" shares ±5%), each rounded half up
// to the tick. Orders priced outside them are refused by the exchange; the simulated venue and
// the pre-trade checks refuse them too, through this one function.

#include <optional>

#include "core/model/instrument.hpp"

namespace guiju::rules {

struct PriceLimits {
  Price lower;  // limit down
  Price upper;  // limit up
};

// The limit percentage of a board; nullopt for a board without daily limits (kOther).
std::optional<int> limit_percent(Board board);

// The limits for today; nullopt when the board has none or the previous close is unknown.
std::optional<PriceLimits> daily_price_limits(const Instrument& instrument);

}  // namespace guiju::rules
