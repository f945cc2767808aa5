#pragma once
// The exchange's rules before sending: the same core/rules module the simulated venue (and so
// the exchange model) applies, checked on the engine's view at the moment of the decision, so an
// order the exchange would refuse never leaves. The trading phase (and what it allows), the
// daily price limits, the price cage against the engine's book, the tick, board lots and STAR's
// minimum, and what may be sold:
//   - with T+1, only shares held overnight (the accounts' holdings), less what was sold today
//     and what working sell orders offer;
//   - without T+1 (intraday accounts), no more than the account holds now, less what is offered:
//     no short sales.

#include <unordered_map>
#include <vector>

#include "core/risk/pre_trade_check.hpp"

namespace guiju {

struct OvernightHolding {
  AccountId account = 0;
  InstrumentId instrument = kNoInstrument;
  Quantity quantity;
};

class MarketRulesCheck final : public PreTradeCheck {
 public:
  MarketRulesCheck(const std::vector<OvernightHolding>& holdings, bool t_plus_one);

  RiskDecision check_new(const NewOrder& order, const RiskView& view) override;
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView& view) override;

  // A margin account: its sells need not come from what it holds (no short-sale refusal; the
  // other rules still apply, and an odd lot still only sells out a holding it has).
  void allow_short_sales(AccountId account);

  // What the account may sell now, before `excluding` (an order being replaced) is counted.
  Quantity sellable(AccountId account, InstrumentId instrument, const RiskView& view,
                    OrderId excluding = kNoOrder) const;

 private:
  RiskDecision check(AccountId account, InstrumentId instrument, Side side, OrderType type,
                     Price price, Quantity quantity, Quantity sellable, const RiskView& view) const;

  static uint64_t key(AccountId a, InstrumentId i) { return (static_cast<uint64_t>(a) << 32) | i; }
  std::unordered_map<uint64_t, Quantity> holdings_;  // overnight, by account and instrument
  bool t_plus_one_;
  std::vector<bool> short_allowed_;  // by account
};

}  // namespace guiju
