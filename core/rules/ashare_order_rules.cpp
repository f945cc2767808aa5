#include "core/rules/ashare_order_rules.hpp"

namespace guiju::rules {

std::string_view to_string(Rule rule) {
  switch (rule) {
    case Rule::kNone:
      return "none";
    case Rule::kMarketClosed:
      return "market closed";
    case Rule::kNoCancelInPhase:
      return "no cancels in this phase";
    case Rule::kMarketOrderInAuction:
      return "only day limit orders in a call auction";
    case Rule::kNonPositive:
      return "quantity or price not positive";
    case Rule::kTickSize:
      return "price not on the tick";
    case Rule::kLimitUp:
      return "above the daily limit up";
    case Rule::kLimitDown:
      return "below the daily limit down";
    case Rule::kBuyLot:
      return "buy not in whole lots";
    case Rule::kOddLotSell:
      return "odd lot not selling out the remainder";
    case Rule::kTPlusOne:
      return "T+1: more than is sellable today";
    case Rule::kPriceCage:
      return "outside the price cage of continuous trading";
    case Rule::kStarMinimum:
      return "STAR: below the 200-share minimum";
  }
  return "?";
}

namespace {

// STAR trades in single shares above a minimum of 200 (the instrument's lot_size): a buy of at
// least the minimum, a sell of at least the minimum or of the whole sellable remainder.
RuleCheck check_star_quantity(const InstrumentRules& instrument, const OrderFacts& order) {
  const Quantity minimum = instrument.lot_size;
  const Quantity share = Quantity::from_units(1);
  if (!order.quantity.is_multiple_of(share)) {
    return {Rule::kStarMinimum, "STAR orders are in whole shares", share.raw(),
            order.quantity.raw()};
  }
  if (order.side == Side::kSell && order.quantity > order.sellable) {
    return {Rule::kTPlusOne, "sells more than is sellable today (shares bought today settle T+1)",
            order.sellable.raw(), order.quantity.raw()};
  }
  const bool sells_out = order.side == Side::kSell && order.quantity == order.sellable;
  if (order.quantity < minimum && !sells_out) {
    return {Rule::kStarMinimum,
            "STAR orders are at least 200 shares (smaller only to sell out the remainder)",
            minimum.raw(), order.quantity.raw()};
  }
  return {};
}

}  // namespace

InstrumentRules instrument_rules(const Instrument& instrument) {
  InstrumentRules r;
  r.tick_size = instrument.tick_size;
  r.lot_size = instrument.lot_size;
  r.previous_close = instrument.previous_close;
  if (const auto limits = daily_price_limits(instrument)) {
    r.limits = *limits;
    r.has_limits = true;
  }
  r.has_cage = has_price_cage(instrument);
  r.star = instrument.board == Board::kStar;
  return r;
}

RuleCheck check_order(const Instrument& instrument, const OrderFacts& order, TradingPhase phase) {
  return check_order(instrument_rules(instrument), order, phase);
}

RuleCheck check_order(const InstrumentRules& instrument, const OrderFacts& order,
                      TradingPhase phase) {
  if (!accepts_orders(phase)) {
    return {Rule::kMarketClosed,
            phase == TradingPhase::kLunchBreak
                ? "the market is on its lunch break (11:30-13:00)"
                : "the market is closed (orders from 09:15 to 15:00)",
            0, static_cast<int64_t>(phase)};
  }
  if (order.type == OrderType::kMarket &&
      (is_call_auction(phase) || phase == TradingPhase::kPreOpen)) {
    return {Rule::kMarketOrderInAuction, "call auctions accept limit orders only", 0, 0};
  }
  if (!order.quantity.is_positive()) {
    return {Rule::kNonPositive, "quantity must be positive", 0, order.quantity.raw()};
  }
  if (order.type == OrderType::kLimit) {
    if (!order.price.is_positive()) {
      return {Rule::kNonPositive, "limit price must be positive", 0, order.price.raw()};
    }
    if (!order.price.is_multiple_of(instrument.tick_size)) {
      return {Rule::kTickSize, "price not a multiple of the tick size", instrument.tick_size.raw(),
              order.price.raw()};
    }
    if (instrument.has_limits) {
      const PriceLimits& limits = instrument.limits;
      if (order.price > limits.upper) {
        return {Rule::kLimitUp, "price above today's limit up", limits.upper.raw(),
                order.price.raw()};
      }
      if (order.price < limits.lower) {
        return {Rule::kLimitDown, "price below today's limit down", limits.lower.raw(),
                order.price.raw()};
      }
    }
    if (instrument.has_cage && matches_continuously(phase)) {
      if (const auto bound = caged_bound(instrument.tick_size, instrument.previous_close,
                                         order.side, order.market)) {
        if (order.side == Side::kBuy && order.price > *bound) {
          return {Rule::kPriceCage, "buy above the price cage (102% of the best ask, or +10 ticks)",
                  bound->raw(), order.price.raw()};
        }
        if (order.side == Side::kSell && order.price < *bound) {
          return {Rule::kPriceCage, "sell below the price cage (98% of the best bid, or -10 ticks)",
                  bound->raw(), order.price.raw()};
        }
      }
    }
  }
  if (instrument.star) return check_star_quantity(instrument, order);
  const Quantity lot = instrument.lot_size;
  const bool whole_lots = !lot.is_positive() || order.quantity.is_multiple_of(lot);
  if (order.side == Side::kBuy) {
    if (!whole_lots) {
      return {Rule::kBuyLot, "buys must be whole board lots", lot.raw(), order.quantity.raw()};
    }
    return {};
  }
  if (order.quantity > order.sellable) {
    return {Rule::kTPlusOne, "sells more than is sellable today (shares bought today settle T+1)",
            order.sellable.raw(), order.quantity.raw()};
  }
  if (!whole_lots && order.quantity != order.sellable) {
    return {Rule::kOddLotSell, "an odd lot may only be sold to sell out the whole remainder",
            order.sellable.raw(), order.quantity.raw()};
  }
  return {};
}

RuleCheck check_cancel(TradingPhase phase) {
  if (accepts_cancels(phase)) return {};
  return {Rule::kNoCancelInPhase,
          "cancels are not accepted now (09:20-09:30, 14:57-15:00, or outside trading hours)", 0,
          static_cast<int64_t>(phase)};
}

}  // namespace guiju::rules
