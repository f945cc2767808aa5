#include "core/portfolio/portfolio.hpp"

namespace guiju {

Portfolio::Portfolio(size_t instrument_count, size_t reserve)
    : marks_(instrument_count), holders_(instrument_count) {
  positions_.reserve(reserve);
  index_.reserve(reserve);
  by_account_.reserve(reserve);
}

const Position& Portfolio::apply_fill(AccountId account, StrategyId strategy,
                                      InstrumentId instrument, Side side, Price price, Quantity qty,
                                      const FillFees& fees) {
  const auto [it, inserted] =
      index_.try_emplace(key(account, strategy, instrument), positions_.size());
  if (inserted) {
    Position& p = positions_.emplace_back();
    p.account = account;
    p.strategy = strategy;
    p.instrument = instrument;
  }
  Position& p = positions_[it->second];
  p.apply_fill(side, price, qty, fees.total());
  const auto [holding, first] = by_account_.try_emplace(account_key(account, instrument));
  AccountHolding& h = holding->second;
  if (first) holders_[instrument].push_back(account);
  value_holding(account, h.quantity, marks_[instrument], -1);
  (side == Side::kBuy ? h.bought : h.sold) += qty;
  h.quantity = h.bought - h.sold;
  value_holding(account, h.quantity, marks_[instrument], 1);
  return p;
}

void Portfolio::value_holding(AccountId account, Quantity quantity, Price mark, int sign) {
  if (exposure_.size() <= account) exposure_.resize(account + 1);
  const Money value = Money::notional(mark, quantity);
  const Money gross = value.is_negative() ? Money::zero() - value : value;
  Exposure& e = exposure_[account];
  if (sign > 0) {
    e.gross += gross;
    e.net += value;
  } else {
    e.gross -= gross;
    e.net -= value;
  }
}

void Portfolio::set_mark(InstrumentId instrument, Price mark) {
  const Price old = marks_[instrument];
  if (old == mark) return;
  for (AccountId account : holders_[instrument]) {
    const Quantity q = by_account_.find(account_key(account, instrument))->second.quantity;
    if (q.is_zero()) continue;
    value_holding(account, q, old, -1);
    value_holding(account, q, mark, 1);
  }
  marks_[instrument] = mark;
}

const Position* Portfolio::find(AccountId account, StrategyId strategy,
                                InstrumentId instrument) const {
  const auto it = index_.find(key(account, strategy, instrument));
  return it == index_.end() ? nullptr : &positions_[it->second];
}

Quantity Portfolio::account_quantity(AccountId account, InstrumentId instrument) const {
  const auto it = by_account_.find(account_key(account, instrument));
  return it == by_account_.end() ? Quantity::zero() : it->second.quantity;
}

Quantity Portfolio::account_sold(AccountId account, InstrumentId instrument) const {
  const auto it = by_account_.find(account_key(account, instrument));
  return it == by_account_.end() ? Quantity::zero() : it->second.sold;
}

template <typename Pred>
PnlSummary Portfolio::sum(Pred&& include) const {
  PnlSummary s;
  for (const Position& p : positions_) {
    if (!include(p)) continue;
    s.realized += p.realized_pnl;
    s.unrealized += p.unrealized_pnl(marks_[p.instrument]);
    s.fees += p.fees;
  }
  return s;
}

PnlSummary Portfolio::pnl() const {
  return sum([](const Position&) { return true; });
}
PnlSummary Portfolio::pnl_of_account(AccountId account) const {
  return sum([&](const Position& p) { return p.account == account; });
}
PnlSummary Portfolio::pnl_of_strategy(StrategyId strategy) const {
  return sum([&](const Position& p) { return p.strategy == strategy; });
}

}  // namespace guiju
