#pragma once
// Order limits per account, strategy and instrument (SEC 15c3-5(c)(1), MiFID II RTS 6 Art. 15,
// the FIA safeguards), in this order: restricted instruments, stale market data, the price collar,
// the duplicate-order guard, the maximum of open orders, the maximum long and short position, and
// the maximum gross and net exposure. Positions count the worst case: every working order on the
// side filled. Each refusal names its check, the limit and the value the order would have made.
// Every check is O(1): the OMS and the portfolio keep the running totals they read.

#include <cstdint>
#include <vector>

#include "core/model/fixed_point.hpp"
#include "core/risk/pre_trade_check.hpp"
#include "core/risk/risk_limits.hpp"

namespace guiju {

enum class CollarReference : uint8_t { kLastTrade, kMid };

// Where each limit is read (risk_limits.hpp), the tightest that applies winning:
//   restricted                 the instrument's flag
//   stale_quote_ms             the account's and the instrument's
//   price_collar_*             the instrument's when set, else the account's
//   duplicate_window_ms        the account's
//   max_open_orders            the account's (its orders) and the strategy's (its orders)
//   max_long/short_position    the account's and the instrument's (the account's position), and
//                              the strategy's (the strategy's own position)
//   max_gross/net_exposure     the account's
class OrderLimitsCheck final : public PreTradeCheck {
 public:
  OrderLimitsCheck(const RiskLimits& limits, CollarReference collar_reference);

  RiskDecision check_new(const NewOrder& order, const RiskView& view) override;
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView& view) override;
  void on_sent(const SentMessage& message) override;

 private:
  struct Recent {  // a new order sent, for the duplicate guard; 32 bytes, two to a cache line
    Timestamp time = 0;
    Price price;
    Quantity quantity;
    InstrumentId instrument = kNoInstrument;
    AccountId account = 0;
    Side side = Side::kBuy;
  };
  // The order's terms, and for a replace the order it replaces.
  struct Terms {
    AccountId account;
    StrategyId strategy;
    InstrumentId instrument;
    Side side;
    OrderType type;
    Price price;
    Quantity quantity;
    Quantity added;  // what it adds to the working quantity on its side
    const Order* replacing;
  };
  RiskDecision check(const Terms& t, const RiskView& view) const;
  RiskDecision check_collar(const Terms& t, const RiskView& view) const;
  RiskDecision check_positions(const Terms& t, const RiskView& view) const;
  RiskDecision check_exposure(const Terms& t, Price value_price, const RiskView& view) const;

  const RiskLimits& limits_;
  CollarReference collar_reference_;
  std::vector<Recent> recent_;  // the latest new order per slot (duplicate guard)
};

}  // namespace guiju
