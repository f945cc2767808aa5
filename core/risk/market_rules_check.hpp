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
#include "core/rules/ashare_order_rules.hpp"

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
  // A strategy's cancel, in a phase that accepts none, is refused before it leaves.
  RiskDecision check_cancel(const Order& order, const RiskView& view) override;

  // A margin account: its sells need not come from what it holds (no short-sale refusal; the
  // other rules still apply, and an odd lot still only sells out a holding it has).
  void allow_short_sales(AccountId account);

  // What the account may sell now, before `excluding` (an order being replaced) is counted.
  Quantity sellable(AccountId account, InstrumentId instrument, const RiskView& view,
                    OrderId excluding = kNoOrder) const;

 private:
  RiskDecision check(AccountId account, InstrumentId instrument, Side side, OrderType type,
                     Price price, Quantity quantity, Quantity sellable, const RiskView& view);
  // The instrument's rules, worked out once per instrument (the daily limits' 128-bit rounding
  // included) the first time the check sees the registry, and again if it grows or changes:
  // instruments are never modified once registered.
  const rules::InstrumentRules& rules_of(InstrumentId instrument,
                                         const InstrumentRegistry& registry);
  void learn(const InstrumentRegistry& registry);

  // Overnight holdings, dense by account and instrument: holdings_[account * holding_columns_ +
  // instrument], both ids small and dense, so a lookup is one load. 8 bytes a cell: 20 accounts
  // x 1,000 instruments is 160 KB (a hashed map of the same 20,000 holdings took about 800 KB and
  // a division and two dependent loads a lookup). Only as wide and as tall as the largest ids in
  // the holdings, and no more than kMaxHoldingCells cells (16 MB): holdings beyond that are kept
  // hashed in holdings_beyond_.
  static constexpr size_t kMaxHoldingCells = size_t{1} << 21;
  static uint64_t key(AccountId a, InstrumentId i) { return (static_cast<uint64_t>(a) << 32) | i; }
  std::vector<Quantity> holdings_;
  size_t holding_rows_ = 0;
  size_t holding_columns_ = 0;
  std::unordered_map<uint64_t, Quantity> holdings_beyond_;
  bool t_plus_one_;
  std::vector<bool> short_allowed_;  // by account
  struct alignas(64) LineOfRules {   // one instrument's rules on one cache line
    rules::InstrumentRules rules;
  };
  std::vector<LineOfRules> instrument_rules_;       // by InstrumentId
  const InstrumentRegistry* rules_from_ = nullptr;  // the registry they were worked out from
};

}  // namespace guiju
