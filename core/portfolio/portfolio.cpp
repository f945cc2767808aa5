#include "core/portfolio/portfolio.hpp"

namespace guiju {

Portfolio::Portfolio(size_t instrument_count, size_t reserve)
    : instrument_count_(instrument_count),
      marks_(instrument_count),
      max_account_rows_(instrument_count == 0 ? 0 : kMaxHoldingCells / instrument_count),
      holders_(instrument_count) {
  positions_.reserve(reserve);
  index_.reserve(reserve);
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
  AccountHolding* held = nullptr;
  bool first = false;
  if (account < max_account_rows_ && instrument < instrument_count_) {
    if (account >= account_rows_) {
      account_rows_ = size_t{account} + 1;
      by_account_.resize(account_rows_ * instrument_count_);
      traded_.resize(account_rows_ * instrument_count_);
    }
    const size_t cell = account * instrument_count_ + instrument;
    held = &by_account_[cell];
    first = !traded_[cell];
    traded_[cell] = true;
  } else {
    const auto [slot, added] = beyond_.try_emplace(account_key(account, instrument));
    held = &slot->second;
    first = added;
  }
  AccountHolding& h = *held;
  if (first) holders_[instrument].push_back(account);
  const Quantity quantity = side == Side::kBuy ? h.quantity + qty : h.quantity - qty;
  const Quantity sold = side == Side::kBuy ? h.sold : h.sold + qty;
  value_holding(account, h.quantity, marks_[instrument], -1);
  h.quantity = quantity;
  h.sold = sold;
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
    const AccountHolding* h = holding(account, instrument);  // a holder has its totals
    const Quantity q = h ? h->quantity : Quantity::zero();
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

const Portfolio::AccountHolding* Portfolio::holding_beyond(AccountId account,
                                                           InstrumentId instrument) const {
  const auto it = beyond_.find(account_key(account, instrument));
  return it == beyond_.end() ? nullptr : &it->second;
}

Quantity Portfolio::account_quantity(AccountId account, InstrumentId instrument) const {
  const AccountHolding* h = holding(account, instrument);
  return h ? h->quantity : Quantity::zero();
}

Quantity Portfolio::account_sold(AccountId account, InstrumentId instrument) const {
  const AccountHolding* h = holding(account, instrument);
  return h ? h->sold : Quantity::zero();
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
