#pragma once
// The engine's own checks on an order's shape, before any risk check: the instrument exists, the
// quantity is positive, a limit price is positive and on the instrument's tick. These never depend
// on state, so a failure is the strategy's bug and the reason says exactly which field.

#include "core/events/order_events.hpp"
#include "core/model/instrument.hpp"
#include "core/risk/pre_trade_check.hpp"

namespace guiju {

inline RiskDecision validate_order_shape(InstrumentId instrument, OrderType type, Price price,
                                         Quantity quantity, const InstrumentRegistry& registry) {
  if (!registry.contains(instrument)) {
    return {RejectCode::kUnknownInstrument, "unknown instrument id", 0, instrument,
            RiskCheckId::kOrderShape};
  }
  if (!quantity.is_positive()) {
    return {RejectCode::kInvalidQuantity, "quantity must be positive", 0, quantity.raw(),
            RiskCheckId::kOrderShape};
  }
  if (type == OrderType::kLimit) {
    if (!price.is_positive()) {
      return {RejectCode::kInvalidPrice, "limit price must be positive", 0, price.raw(),
              RiskCheckId::kOrderShape};
    }
    const Price tick = registry.get(instrument).tick_size;
    if (!price.is_multiple_of(tick)) {
      return {RejectCode::kOffTick, "limit price not a multiple of the tick size", tick.raw(),
              price.raw(), RiskCheckId::kOrderShape};
    }
  }
  return RiskDecision::accept();
}

}  // namespace guiju
