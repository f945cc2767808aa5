#include "core/risk/cancel_discipline_check.hpp"

#include <algorithm>

#include "core/oms/order.hpp"

namespace guiju {

namespace {

constexpr auto kRest = static_cast<size_t>(LimitKey::kMinRestingTime);
constexpr auto kRatio = static_cast<size_t>(LimitKey::kMaxCancelRatio);
constexpr auto kMinOrders = static_cast<size_t>(LimitKey::kCancelRatioMinOrders);

template <typename Table>
auto& grow(Table& t, size_t id) {
  if (t.size() <= id) t.resize(id + 1);
  return t[id];
}

}  // namespace

CancelDisciplineCheck::Counts CancelDisciplineCheck::of_account(AccountId account) const {
  return account < accounts_.size() ? accounts_[account] : Counts{};
}

CancelDisciplineCheck::Counts CancelDisciplineCheck::of_strategy(StrategyId strategy) const {
  return strategy < strategies_.size() ? strategies_[strategy] : Counts{};
}

RiskDecision CancelDisciplineCheck::check_resting(const Order& order, const RiskView& view) const {
  // The longer of the two minimums is the stricter.
  const int64_t min_rest =
      std::max(limits_.account(order.account)[kRest], limits_.strategy(order.strategy)[kRest]);
  if (min_rest == 0) return RiskDecision::accept();
  const Duration rested = view.now - order.created;
  if (rested < min_rest) {
    return {RejectCode::kRiskRejected, "minimum resting time before a cancel", min_rest, rested,
            RiskCheckId::kMinRestingTime};
  }
  return RiskDecision::accept();
}

RiskDecision CancelDisciplineCheck::check_ratio(const Counts& c, int64_t max_basis_points,
                                                int64_t min_orders, const char* reason) {
  if (max_basis_points == 0 || c.orders == 0 || c.orders < static_cast<uint64_t>(min_orders)) {
    return RiskDecision::accept();
  }
  // (cancels + 1) / orders > max, in integers: no rounding at the edge.
  const uint64_t after = (c.cancels + 1) * 10'000;
  if (after > static_cast<uint64_t>(max_basis_points) * c.orders) {
    return {RejectCode::kRiskRejected, reason, max_basis_points,
            static_cast<int64_t>(after / c.orders), RiskCheckId::kCancelRatio};
  }
  return RiskDecision::accept();
}

RiskDecision CancelDisciplineCheck::check_cancel(const Order& order, const RiskView& view) {
  if (RiskDecision d = check_resting(order, view); !d.accepted()) return d;
  const LimitValues& account = limits_.account(order.account);
  if (RiskDecision d = check_ratio(of_account(order.account), account[kRatio], account[kMinOrders],
                                   "cancel ratio of the account");
      !d.accepted()) {
    return d;
  }
  const LimitValues& strategy = limits_.strategy(order.strategy);
  return check_ratio(of_strategy(order.strategy), strategy[kRatio], strategy[kMinOrders],
                     "cancel ratio of the strategy");
}

RiskDecision CancelDisciplineCheck::check_replace(const ReplaceOrder& /*request*/,
                                                  const Order& current, const RiskView& view) {
  return check_resting(current, view);
}

void CancelDisciplineCheck::on_sent(const SentMessage& m) {
  const bool order = m.kind != SentMessage::Kind::kCancel;
  const bool cancel = m.kind != SentMessage::Kind::kNew;
  Counts& a = grow(accounts_, m.account);
  a.orders += order ? 1 : 0;
  a.cancels += cancel ? 1 : 0;
  if (m.strategy == kNoStrategy) return;
  Counts& s = grow(strategies_, m.strategy);
  s.orders += order ? 1 : 0;
  s.cancels += cancel ? 1 : 0;
}

}  // namespace guiju
