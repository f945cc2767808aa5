#pragma once
// Per-account order limits (SEC 15c3-5(c)(1), MiFID II RTS 6 Art. 15, the FIA safeguards), in
// this order: restricted instruments, stale market data, the price collar, the duplicate-order
// guard, the maximum of open orders, the maximum long and short position, and the maximum gross
// and net exposure. Positions count the worst case: every working order on the side filled.
// Each refusal names its check, the limit and the value the order would have made. Every check
// is O(1): the OMS and the portfolio keep the running totals they read.

#include <cstdint>
#include <vector>

#include "core/model/fixed_point.hpp"
#include "core/risk/pre_trade_check.hpp"

namespace guiju {

enum class CollarReference : uint8_t { kLastTrade, kMid };

struct OrderLimits {
  std::vector<InstrumentId> restricted;  // no new orders at all
  Duration stale_after = 0;              // no quote for this long: no new orders; 0: off
  // A buy above reference + max(percent, ticks), or a sell below reference - the same, is a
  // fat finger. The reference is the last trade (else the mid) or the mid (else the last
  // trade); with neither, the previous close. 0 percent and 0 ticks: off.
  int64_t collar_basis_points = 0;
  int64_t collar_ticks = 0;
  CollarReference collar_reference = CollarReference::kLastTrade;
  Duration duplicate_window = 0;  // the same side, instrument, price and quantity: refused; 0: off
  uint32_t max_open_orders = 0;   // working orders of the account; 0: none
  Quantity max_long_position;     // per instrument, the account's; zero: none
  Quantity max_short_position;
  Money max_gross_exposure;  // sum over instruments of |position| x mark; zero: none
  Money max_net_exposure;    // |sum of position x mark|; zero: none
};

class OrderLimitsCheck final : public PreTradeCheck {
 public:
  OrderLimitsCheck(OrderLimits limits, size_t instruments);

  RiskDecision check_new(const NewOrder& order, const RiskView& view) override;
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView& view) override;
  void on_sent(const SentMessage& message) override;

 private:
  struct Recent {  // a new order sent, for the duplicate guard
    Timestamp time = 0;
    AccountId account = 0;
    InstrumentId instrument = kNoInstrument;
    Side side = Side::kBuy;
    Price price;
    Quantity quantity;
  };
  RiskDecision check(AccountId account, InstrumentId instrument, Side side, OrderType type,
                     Price price, Quantity quantity, Quantity added_quantity, OrderId replacing,
                     bool is_new, const RiskView& view) const;
  RiskDecision check_collar(InstrumentId instrument, Side side, Price price,
                            const RiskView& view) const;
  RiskDecision check_exposure(AccountId account, Side side, Price price, Quantity quantity,
                              const RiskView& view) const;

  OrderLimits limits_;
  std::vector<bool> restricted_;  // by instrument
  std::vector<Recent> recent_;    // the latest new order per slot (duplicate guard)
};

}  // namespace guiju
