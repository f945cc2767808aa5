#pragma once
// Order-message throttles (CSRC programmatic-trading rules, 2024, and the exchanges' rules in
// force from 2025-07-07): an account that reaches 300 order messages in a second, or 20,000 in a
// day, is a high-frequency account with extra reporting duties and scrutiny. So, per account
// and per strategy:
//   - alert (a warning in the log, once per window) at 200 messages in a rolling second and at
//     15,000 in the day;
//   - a hard stop below the thresholds: new orders and replaces are refused once 299 messages
//     went out in the last second, or 19,999 in the day; near the daily stop, room is kept to
//     cancel every working order, so that no kill switch or close can take the day over.
// An account filed as high-frequency uses its filed peak per second and per day instead.
// Messages are new orders, cancels and replaces (a replace is a cancel and a new order on the
// exchange: it counts two). Cancels are never refused (they reduce risk) but they count.
// Exact over any rolling second (rolling_window_limit.hpp) and O(1) per check.

#include <cstdint>
#include <vector>

#include "core/risk/pre_trade_check.hpp"
#include "core/risk/rolling_window_limit.hpp"

namespace guiju {

struct ThrottleLimits {
  uint32_t alert_per_second = 200;
  uint32_t max_per_second = 299;
  uint32_t alert_per_day = 15'000;
  uint32_t max_per_day = 19'999;
};

class MessageThrottle final : public PreTradeCheck {
 public:
  // `account_limits[a]`: account a's limits (its filed figures, or the defaults). A strategy is
  // held to its account's limits on its own as well: one strategy cannot use up what the
  // account may send, nor hide behind the others.
  explicit MessageThrottle(const std::vector<ThrottleLimits>& account_limits);

  RiskDecision check_new(const NewOrder& order, const RiskView& view) override;
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView& view) override;
  void on_sent(const SentMessage& message) override;

  uint64_t messages_today_of_account(AccountId account) const;
  uint64_t alerts() const { return alerts_; }

 private:
  struct Scope {
    ThrottleLimits limits;
    // The scope's messages of the last second, for both the alert and the hard stop.
    RollingWindowLimit second;
    uint64_t today = 0;
    Timestamp alerted_until = 0;  // one alert per window
    bool alerted_day = false;
    explicit Scope(const ThrottleLimits& l);
  };
  // Refuses when `messages` more would take the scope past a hard limit. `OpenInScope` counts
  // the scope's working orders (the OMS keeps the counts).
  template <typename OpenInScope>
  static RiskDecision check_scope(const Scope& s, uint32_t messages, const RiskView& view,
                                  OpenInScope&& open_in_scope);
  RiskDecision check(AccountId account, StrategyId strategy, uint32_t messages,
                     const RiskView& view);
  Scope& strategy_scope(StrategyId strategy, AccountId account);
  void record(Scope& s, const char* what, uint32_t id, Timestamp now);

  std::vector<Scope> accounts_;
  std::vector<Scope> strategies_;  // grown as strategies appear (loaded at run time too)
  uint64_t alerts_ = 0;
};

}  // namespace guiju
