#include "core/risk/message_throttle.hpp"

#include <algorithm>

#include "core/logging/log.hpp"
#include "core/oms/order_manager.hpp"

namespace guiju {

MessageThrottle::Scope::Scope(const ThrottleLimits& l)
    : limits(l), second(std::max(l.alert_per_second, l.max_per_second), kSecond) {}

MessageThrottle::MessageThrottle(const std::vector<ThrottleLimits>& account_limits) {
  accounts_.reserve(account_limits.size());
  for (const ThrottleLimits& l : account_limits) accounts_.emplace_back(l);
}

MessageThrottle::Scope& MessageThrottle::strategy_scope(StrategyId strategy, AccountId account) {
  // A strategy's scope is made the first time it sends (strategies can be loaded at run time);
  // ids are dense, so the ones in between are made too, with their first sender's account.
  const ThrottleLimits limits =
      account < accounts_.size() ? accounts_[account].limits : ThrottleLimits{};
  while (strategies_.size() <= strategy) strategies_.emplace_back(limits);
  return strategies_[strategy];
}

template <typename OpenInScope>
RiskDecision MessageThrottle::check_scope(const Scope& s, uint32_t messages, const RiskView& view,
                                          OpenInScope&& open_in_scope) {
  const Timestamp now = view.now;
  // A replace is two messages: the second must fit as well as the first.
  if (s.limits.max_per_second != 0 && (s.second.reached(s.limits.max_per_second, now) ||
                                       (messages > 1 && s.limits.max_per_second < messages))) {
    return {RejectCode::kThrottled, "order messages per second",
            static_cast<int64_t>(s.limits.max_per_second),
            static_cast<int64_t>(s.limits.max_per_second) + messages, RiskCheckId::kMessageRate};
  }
  if (s.limits.max_per_day == 0) return RiskDecision::accept();
  const uint64_t projected = s.today + messages;
  if (projected > s.limits.max_per_day) {
    return {RejectCode::kThrottled, "order messages per day",
            static_cast<int64_t>(s.limits.max_per_day), static_cast<int64_t>(projected),
            RiskCheckId::kMessagesPerDay};
  }
  // Room is kept to cancel every working order: the cancels of a kill switch or of the close
  // must not take the day over the threshold.
  const uint64_t working = open_in_scope(view.orders);
  if (projected + working > s.limits.max_per_day) {
    return {RejectCode::kThrottled, "order messages per day, room kept to cancel working orders",
            static_cast<int64_t>(s.limits.max_per_day), static_cast<int64_t>(projected + working),
            RiskCheckId::kMessagesPerDay};
  }
  return RiskDecision::accept();
}

RiskDecision MessageThrottle::check(AccountId account, StrategyId strategy, uint32_t messages,
                                    const RiskView& view) {
  if (account < accounts_.size()) {
    const RiskDecision d = check_scope(
        accounts_[account], messages, view,
        [account](const OrderManager& orders) { return orders.open_count_of_account(account); });
    if (!d.accepted()) return d;
  }
  return check_scope(
      strategy_scope(strategy, account), messages, view,
      [strategy](const OrderManager& orders) { return orders.open_count_of_strategy(strategy); });
}

RiskDecision MessageThrottle::check_new(const NewOrder& order, const RiskView& view) {
  return check(order.account, order.strategy, 1, view);
}

RiskDecision MessageThrottle::check_replace(const ReplaceOrder& request, const Order& /*current*/,
                                            const RiskView& view) {
  return check(request.account, request.strategy, 2, view);
}

void MessageThrottle::record(Scope& s, const char* what, uint32_t id, Timestamp now) {
  if (s.second.reached(s.limits.alert_per_second, now) && now >= s.alerted_until) {
    ++alerts_;
    s.alerted_until = now + kSecond;
    log().warn("order-rate alert: {} {} reached {} order messages in one second (hard stop at {})",
               what, id, s.limits.alert_per_second, s.limits.max_per_second);
  }
  s.second.record(now);
  ++s.today;
  if (!s.alerted_day && s.limits.alert_per_day != 0 && s.today >= s.limits.alert_per_day) {
    ++alerts_;
    s.alerted_day = true;
    log().warn("order-rate alert: {} {} reached {} order messages today (hard stop at {})", what,
               id, s.today, s.limits.max_per_day);
  }
}

void MessageThrottle::on_sent(const SentMessage& m) {
  const int messages = m.kind == SentMessage::Kind::kReplace ? 2 : 1;
  for (int i = 0; i < messages; ++i) {
    if (m.account < accounts_.size()) record(accounts_[m.account], "account", m.account, m.time);
    record(strategy_scope(m.strategy, m.account), "strategy", m.strategy, m.time);
  }
}

uint64_t MessageThrottle::messages_today_of_account(AccountId account) const {
  return account < accounts_.size() ? accounts_[account].today : 0;
}

}  // namespace guiju
