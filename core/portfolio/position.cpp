#include "core/portfolio/position.hpp"

namespace guiju {

namespace {

Quantity abs(Quantity q) {
  return q.is_negative() ? -q : q;
}

}  // namespace

void Position::apply_fill(Side side, Price price, Quantity qty, Money fee_total) {
  const Money notional = Money::notional(price, qty);
  ++fills;
  fees += fee_total;
  if (side == Side::kBuy) {
    bought += qty;
    bought_notional += notional;
  } else {
    sold += qty;
    sold_notional += notional;
  }

  const bool increases = quantity.is_zero() || (quantity.is_positive() == (side == Side::kBuy));
  if (increases) {
    cost_basis += side == Side::kBuy ? notional : -notional;
    quantity += side == Side::kBuy ? qty : -qty;
    return;
  }

  // Reducing (and possibly flipping through zero): close up to the open quantity first.
  const Quantity open = abs(quantity);
  const Quantity closing = qty < open ? qty : open;
  // The share of the cost basis that the closed units carried, exactly: basis x closing / open.
  const Money closed_cost = Money::from_raw(fixed_point::div_round(
      fixed_point::checked_mul(cost_basis.raw(), closing.raw()), static_cast<int128>(open.raw())));
  const Money closed_value = Money::notional(price, closing);
  // Long: proceeds - cost. Short: entry proceeds (-basis) - buy-back cost.
  realized_pnl += quantity.is_positive() ? closed_value - closed_cost : -closed_cost - closed_value;
  cost_basis -= closed_cost;
  quantity += side == Side::kBuy ? closing : -closing;

  const Quantity opening = qty - closing;
  if (opening.is_positive()) {
    const Money open_notional = Money::notional(price, opening);
    cost_basis = side == Side::kBuy ? open_notional : -open_notional;
    quantity = side == Side::kBuy ? opening : -opening;
  }
}

Price Position::average_cost() const {
  if (quantity.is_zero()) return Price::zero();
  return cost_basis.per_unit(quantity);
}

Money Position::unrealized_pnl(Price mark) const {
  if (quantity.is_zero()) return Money::zero();
  return Money::notional(mark, quantity) - cost_basis;
}

}  // namespace guiju
