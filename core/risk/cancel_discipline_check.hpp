#pragma once
// Cancel discipline. The CSRC programmatic-trading rules (2024) and the exchanges' implementing
// rules (2025-07-07) list frequent instant cancels and high cancel ratios among abnormal
// trading behaviours; exchanges watch the share of orders cancelled and how long they rested.
//   - min_resting_ms: a strategy's cancel, or replace (which cancels on the exchange), of an
//     order younger than this is refused. At exactly the limit it passes.
//   - max_cancel_ratio (with cancel_ratio_min_orders): a strategy's cancel that would take the
//     day's cancels above this share of its orders is refused, once at least the minimum of
//     orders went out. A replace counts as an order and a cancel.
// Both per account and per strategy; the stricter applies. Cancels the engine sends to reduce
// risk (kill switch, cancel-only, stop, self-trade prevention) are never asked: they are exempt,
// though they count in the ratio, as the exchange counts them.

#include <cstdint>
#include <vector>

#include "core/risk/pre_trade_check.hpp"
#include "core/risk/risk_limits.hpp"

namespace guiju {

class CancelDisciplineCheck final : public PreTradeCheck {
 public:
  explicit CancelDisciplineCheck(const RiskLimits& limits) : limits_(limits) {}

  RiskDecision check_new(const NewOrder& /*order*/, const RiskView& /*view*/) override {
    return RiskDecision::accept();
  }
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView& view) override;
  RiskDecision check_cancel(const Order& order, const RiskView& view) override;
  void on_sent(const SentMessage& message) override;

  struct Counts {
    uint64_t orders = 0;   // new orders and replaces sent today
    uint64_t cancels = 0;  // cancels and replaces sent today
  };
  Counts of_account(AccountId account) const;
  Counts of_strategy(StrategyId strategy) const;

 private:
  RiskDecision check_resting(const Order& order, const RiskView& view) const;
  static RiskDecision check_ratio(const Counts& c, int64_t max_basis_points, int64_t min_orders,
                                  const char* reason);

  const RiskLimits& limits_;
  std::vector<Counts> accounts_;  // grown as accounts and strategies send
  std::vector<Counts> strategies_;
};

}  // namespace guiju
