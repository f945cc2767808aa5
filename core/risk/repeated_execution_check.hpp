#pragma once
// The repeated-execution throttle (MiFID II RTS 6 Art. 15(3): a firm must be able to stop an
// algorithm that executes repeatedly without control; the CSRC rules name short bursts of large
// executions as abnormal). When a strategy's fills reach `repeated_fills` within
// `repeated_fills_window_ms`, its kill switch is engaged: its open orders are cancelled and it
// sends nothing more until an operator re-enables it (reset). The same limits per account
// disable the account. Counted exactly over a rolling window (rolling_window_limit.hpp); every
// fill report counts, partial fills included.

#include <vector>

#include "core/risk/pre_trade_check.hpp"
#include "core/risk/risk_limits.hpp"
#include "core/risk/rolling_window_limit.hpp"

namespace guiju {

class RepeatedExecutionCheck final : public PreTradeCheck {
 public:
  explicit RepeatedExecutionCheck(const RiskLimits& limits) : limits_(limits) {}

  bool checks_orders() const override { return false; }
  RiskDecision check_new(const NewOrder& /*order*/, const RiskView& /*view*/) override {
    return RiskDecision::accept();
  }
  RiskDecision check_replace(const ReplaceOrder& /*request*/, const Order& /*current*/,
                             const RiskView& /*view*/) override {
    return RiskDecision::accept();
  }
  void on_fill(const Order& order, Quantity quantity, const RiskView& view) override;

 private:
  // A scope's recent fills; rebuilt when its limits change (at run time too).
  struct Window {
    int64_t fills = 0;
    int64_t window = 0;
    RollingWindowLimit recent;
  };
  // Records a fill; true when it makes `fills` within the window.
  static bool record(std::vector<Window>& table, uint32_t id, const LimitValues& limits,
                     Timestamp now);

  const RiskLimits& limits_;
  std::vector<Window> accounts_;
  std::vector<Window> strategies_;
};

}  // namespace guiju
