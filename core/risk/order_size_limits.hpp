#pragma once
// Per-order size limits: maximum quantity and maximum notional value of a single order (fat-finger
// protection, SEC 15c3-5(c)(1)(ii), MiFID II RTS 6 Art. 15), the tightest of those set for the
// order's account, strategy and instrument.

#include "core/risk/pre_trade_check.hpp"
#include "core/risk/risk_limits.hpp"

namespace guiju {

class OrderSizeCheck final : public PreTradeCheck {
 public:
  explicit OrderSizeCheck(const RiskLimits& limits) : limits_(limits) {}
  RiskDecision check_new(const NewOrder& order, const RiskView& view) override;
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView& view) override;

 private:
  RiskDecision check(AccountId account, StrategyId strategy, Side side, InstrumentId instrument,
                     OrderType type, Price price, Quantity quantity, const RiskView& view) const;
  const RiskLimits& limits_;
};

}  // namespace guiju
