#pragma once
// The daily loss limit (FIA safeguards; MiFID II RTS 6 Art. 17 "kill functionality" on losses;
// SEC 15c3-5(c)(1)(i) credit thresholds): realised plus unrealised PnL, net of fees, since the
// session began. A strategy whose loss passes its `daily_loss_limit` is put in cancel-only mode:
// its open orders are cancelled and its new orders and replaces refused until an operator resets
// its kill switch. An account whose loss passes the account's limit has its kill switch engaged
// (every strategy of the account stops). At exactly the limit nothing happens.
//
// Evaluated off the order path: after every fill, and every 100 ms of engine time as marks move
// (so a loss from prices alone is seen within 100 ms). The order path reads only the engine's
// cancel-only flag.

#include <vector>

#include "core/risk/pre_trade_check.hpp"
#include "core/risk/risk_limits.hpp"

namespace guiju {

class LossLimitCheck final : public PreTradeCheck {
 public:
  explicit LossLimitCheck(const RiskLimits& limits) : limits_(limits) {}

  bool checks_orders() const override { return false; }
  RiskDecision check_new(const NewOrder& /*order*/, const RiskView& /*view*/) override {
    return RiskDecision::accept();
  }
  RiskDecision check_replace(const ReplaceOrder& /*request*/, const Order& /*current*/,
                             const RiskView& /*view*/) override {
    return RiskDecision::accept();
  }
  void on_sent(const SentMessage& message) override;
  void on_fill(const Order& order, Quantity quantity, const RiskView& view) override;
  void on_interval(const RiskView& view) override;

 private:
  void evaluate_strategy(StrategyId strategy, const RiskView& view) const;
  void evaluate_account(AccountId account, const RiskView& view) const;

  const RiskLimits& limits_;
  std::vector<AccountId> account_of_;  // by strategy, for those that have sent orders
  std::vector<bool> seen_;             // by strategy
  std::vector<bool> account_done_;     // scratch for on_interval, kept to avoid allocating
};

}  // namespace guiju
