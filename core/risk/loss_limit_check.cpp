#include "core/risk/loss_limit_check.hpp"

#include <algorithm>
#include <string>

#include "core/oms/order.hpp"
#include "core/portfolio/portfolio.hpp"

namespace guiju {

namespace {

constexpr auto kLossKey = static_cast<size_t>(LimitKey::kDailyLossLimit);

// "daily loss 1234.50 past the limit 1000" for the journal's reason.
std::string breach_text(Money loss, int64_t limit) {
  return "daily loss " + loss.to_string() + " past the limit " + Money::from_raw(limit).to_string();
}

// The loss (positive) of a PnL, or zero for a profit.
Money loss_of(const PnlSummary& pnl) {
  const Money net = pnl.net();
  return net.is_negative() ? Money::zero() - net : Money::zero();
}

}  // namespace

void LossLimitCheck::on_sent(const SentMessage& m) {
  if (m.strategy == kNoStrategy) return;
  if (seen_.size() <= m.strategy) {
    seen_.resize(m.strategy + 1, false);
    account_of_.resize(m.strategy + 1, 0);
  }
  seen_[m.strategy] = true;
  account_of_[m.strategy] = m.account;
}

void LossLimitCheck::evaluate_strategy(StrategyId strategy, const RiskView& view) const {
  const int64_t limit = limits_.strategy(strategy)[kLossKey];
  if (limit == 0 || view.actions == nullptr) return;
  const Money loss = loss_of(view.portfolio.pnl_of_strategy(strategy));
  if (loss.raw() > limit) {
    view.actions->enter_cancel_only(strategy, RiskCheckId::kDailyLoss, breach_text(loss, limit));
  }
}

void LossLimitCheck::evaluate_account(AccountId account, const RiskView& view) const {
  const int64_t limit = limits_.account(account)[kLossKey];
  if (limit == 0 || view.actions == nullptr) return;
  const Money loss = loss_of(view.portfolio.pnl_of_account(account));
  if (loss.raw() > limit) {
    view.actions->engage_kill_switch(ControlScope::kAccount, account, RiskCheckId::kDailyLoss,
                                     breach_text(loss, limit));
  }
}

void LossLimitCheck::on_fill(const Order& order, Quantity /*quantity*/, const RiskView& view) {
  evaluate_strategy(order.strategy, view);
  evaluate_account(order.account, view);
}

void LossLimitCheck::on_interval(const RiskView& view) {
  // Only strategies that have traded can have a PnL; accounts likewise through them.
  for (size_t s = 0; s < seen_.size(); ++s) {
    if (seen_[s]) evaluate_strategy(static_cast<StrategyId>(s), view);
  }
  std::fill(account_done_.begin(), account_done_.end(), false);
  for (size_t s = 0; s < seen_.size(); ++s) {
    if (!seen_[s]) continue;
    const AccountId a = account_of_[s];
    if (account_done_.size() <= a) account_done_.resize(a + 1, false);
    if (account_done_[a]) continue;
    account_done_[a] = true;
    evaluate_account(a, view);
  }
}

}  // namespace guiju
