#pragma once
// One position: an account's holding of an instrument through one strategy.
//
// Average-cost accounting, exact: the cost basis of the open quantity is kept as Money (not as an
// average price), so repeated partial closes never accumulate rounding error.

#include "core/model/fixed_point.hpp"
#include "core/model/ids.hpp"
#include "core/model/order_types.hpp"

namespace guiju {

struct Position {
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  InstrumentId instrument = kNoInstrument;
  Quantity quantity;   // signed: negative is short
  Money cost_basis;    // signed: cost of the open quantity (negative when short)
  Money realized_pnl;  // before fees
  Money fees;          // all fees paid
  Quantity bought;     // today's totals
  Quantity sold;
  Money bought_notional;
  Money sold_notional;
  uint64_t fills = 0;

  // Applies one fill (price and quantity > 0) and its fees.
  void apply_fill(Side side, Price price, Quantity qty, Money fee_total);

  bool is_flat() const { return quantity.is_zero(); }
  // Average cost per unit of the open quantity; zero when flat.
  Price average_cost() const;
  // Mark-to-market PnL of the open quantity at `mark`.
  Money unrealized_pnl(Price mark) const;
  // realized + unrealized - fees.
  Money net_pnl(Price mark) const { return realized_pnl + unrealized_pnl(mark) - fees; }
};

}  // namespace guiju
