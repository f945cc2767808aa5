#pragma once
// The exchange rules an A-share order must satisfy, in the order they are checked: trading phase,
// order type for the phase, positive quantity and price, the tick, the daily price limits, the
// price cage in continuous trading (price_cage.hpp), the board lot for buys (odd lots only to
// sell out a remainder; on STAR at least 200 shares in steps of one), and T+1 (only shares held
// overnight can be sold today). The simulated venue refuses with these, and the pre-trade checks
// refuse before sending with the same function; every refusal names its rule, the limit and
// what was observed.

#include <string_view>

#include "core/model/instrument.hpp"
#include "core/model/order_types.hpp"
#include "core/rules/price_cage.hpp"
#include "core/rules/price_limits.hpp"
#include "core/rules/trading_phase.hpp"

namespace guiju::rules {

enum class Rule : uint8_t {
  kNone = 0,
  kMarketClosed = 1,          // no orders in this phase
  kNoCancelInPhase = 2,       // cancels refused (09:20-09:30, 14:57-15:00)
  kMarketOrderInAuction = 3,  // call auctions take day limit orders only
  kNonPositive = 4,           // quantity or limit price not positive
  kTickSize = 5,
  kLimitUp = 6,
  kLimitDown = 7,
  kBuyLot = 8,        // buys in whole board lots
  kOddLotSell = 9,    // an odd lot only to sell out the whole remainder
  kTPlusOne = 10,     // more than the shares sellable today
  kPriceCage = 11,    // continuous trading: too far from the reference price
  kStarMinimum = 12,  // STAR: at least the minimum (200 shares) unless selling out the remainder
};

std::string_view to_string(Rule rule);

struct RuleCheck {
  Rule rule = Rule::kNone;
  std::string_view reason;  // static text
  int64_t limit = 0;        // raw fixed point, or 0
  int64_t observed = 0;
  bool ok() const { return rule == Rule::kNone; }
};

struct OrderFacts {
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  Price price;
  Quantity quantity;
  // Sells: shares that may be sold today (held overnight, less what is sold or offered).
  Quantity sellable;
  // The market when the order arrives, for the price cage; all zero: only the previous close.
  CageMarket market;
};

// What the rules need of an instrument, worked out once: the daily limits from the previous
// close, the tick, the lot, whether the cage applies. Checking an order against it is
// comparisons and the tick and lot arithmetic only; a pre-trade check keeps one per instrument.
struct InstrumentRules {
  Price tick_size;
  Quantity lot_size;
  Price previous_close;  // the cage's last reference
  PriceLimits limits;    // when has_limits
  bool has_limits = false;
  bool has_cage = false;
  bool star = false;  // STAR's single shares above a minimum instead of board lots
};

InstrumentRules instrument_rules(const Instrument& instrument);

RuleCheck check_order(const InstrumentRules& instrument, const OrderFacts& order,
                      TradingPhase phase);
// The same, the instrument's rules worked out on the way.
RuleCheck check_order(const Instrument& instrument, const OrderFacts& order, TradingPhase phase);
RuleCheck check_cancel(TradingPhase phase);

}  // namespace guiju::rules
