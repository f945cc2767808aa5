#pragma once
// Per-order size limits: maximum quantity and maximum notional value of a single order (fat-finger
// protection, SEC 15c3-5(c)(1)(ii), MiFID II RTS 6 Art. 15). The first link of the pre-trade chain;
// the risk module adds the rest behind the same PreTradeCheck hook.

#include "core/model/fixed_point.hpp"
#include "core/risk/pre_trade_check.hpp"

namespace guiju {

struct OrderSizeLimits {
  Quantity max_order_quantity;  // zero: no limit
  Money max_order_value;        // zero: no limit
};

class OrderSizeCheck final : public PreTradeCheck {
 public:
  explicit OrderSizeCheck(OrderSizeLimits limits) : limits_(limits) {}
  RiskDecision check_new(const NewOrder& order, const RiskView& view) override;
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView& view) override;

 private:
  // The price used to value an order: its limit, or for a market order the far touch.
  RiskDecision check(Side side, InstrumentId instrument, OrderType type, Price price,
                     Quantity quantity, const RiskView& view) const;
  OrderSizeLimits limits_;
};

}  // namespace guiju
