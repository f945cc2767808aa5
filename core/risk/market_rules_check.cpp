#include "core/risk/market_rules_check.hpp"

#include <algorithm>

#include "core/data/book.hpp"
#include "core/model/instrument.hpp"
#include "core/oms/order_manager.hpp"
#include "core/portfolio/portfolio.hpp"

namespace guiju {

MarketRulesCheck::MarketRulesCheck(const std::vector<OvernightHolding>& holdings, bool t_plus_one)
    : t_plus_one_(t_plus_one) {
  size_t rows = 0;
  for (const OvernightHolding& h : holdings) {
    if (h.instrument >= kMaxHoldingCells) continue;
    rows = std::max<size_t>(rows, size_t{h.account} + 1);
    holding_columns_ = std::max<size_t>(holding_columns_, size_t{h.instrument} + 1);
  }
  if (holding_columns_ != 0) holding_rows_ = std::min(rows, kMaxHoldingCells / holding_columns_);
  holdings_.resize(holding_rows_ * holding_columns_);
  for (const OvernightHolding& h : holdings) {
    if (h.account < holding_rows_ && h.instrument < holding_columns_) {
      holdings_[h.account * holding_columns_ + h.instrument] += h.quantity;
    } else {
      holdings_beyond_[key(h.account, h.instrument)] += h.quantity;
    }
  }
}

void MarketRulesCheck::learn(const InstrumentRegistry& registry) {
  instrument_rules_.clear();
  instrument_rules_.reserve(registry.size());
  for (const Instrument& i : registry.all()) {
    instrument_rules_.push_back({rules::instrument_rules(i)});
  }
  rules_from_ = &registry;
}

const rules::InstrumentRules& MarketRulesCheck::rules_of(InstrumentId instrument,
                                                         const InstrumentRegistry& registry) {
  if (&registry != rules_from_ || instrument >= instrument_rules_.size()) [[unlikely]] {
    learn(registry);
  }
  return instrument_rules_[instrument].rules;
}

void MarketRulesCheck::allow_short_sales(AccountId account) {
  if (short_allowed_.size() <= account) short_allowed_.resize(account + 1, false);
  short_allowed_[account] = true;
}

Quantity MarketRulesCheck::sellable(AccountId account, InstrumentId instrument,
                                    const RiskView& view, OrderId excluding) const {
  if (account < short_allowed_.size() && short_allowed_[account]) {
    // Unlimited for the sellable-quantity rule; half the range so that sums cannot overflow.
    return Quantity::from_raw(INT64_MAX / 2);
  }
  // What working sell orders of the account already offer (the one being replaced excepted).
  Quantity offered = view.orders.working_quantity(account, instrument, Side::kSell);
  if (excluding != kNoOrder) {
    if (const Order* o = view.orders.find(excluding)) offered -= o->counted_leaves;
  }
  Quantity available;
  if (t_plus_one_) {
    if (account < holding_rows_ && instrument < holding_columns_) {
      available = holdings_[account * holding_columns_ + instrument];
    } else if (!holdings_beyond_.empty()) {
      const auto it = holdings_beyond_.find(key(account, instrument));
      if (it != holdings_beyond_.end()) available = it->second;
    }
    available -= view.portfolio.account_sold(account, instrument);
  } else {
    available = view.portfolio.account_quantity(account, instrument);
  }
  available -= offered;
  return available.is_positive() ? available : Quantity::zero();
}

RiskDecision MarketRulesCheck::check(AccountId /*account*/, InstrumentId instrument, Side side,
                                     OrderType type, Price price, Quantity quantity,
                                     Quantity sellable, const RiskView& view) {
  const Book& book = view.books[instrument];
  rules::OrderFacts facts;
  facts.side = side;
  facts.type = type;
  facts.price = price;
  facts.quantity = quantity;
  facts.sellable = sellable;
  facts.market = {book.has_bid() ? book.best_bid().price : Price::zero(),
                  book.has_ask() ? book.best_ask().price : Price::zero(), book.last_trade().price};
  const rules::RuleCheck c = rules::check_order(rules_of(instrument, view.instruments), facts,
                                                rules::trading_phase(view.now));
  if (c.ok()) return RiskDecision::accept();
  return {RejectCode::kMarketRule, c.reason, c.limit, c.observed, RiskCheckId::kMarketRule};
}

RiskDecision MarketRulesCheck::check_new(const NewOrder& order, const RiskView& view) {
  const Quantity can_sell = order.side == Side::kSell
                                ? sellable(order.account, order.instrument, view)
                                : Quantity::zero();
  return check(order.account, order.instrument, order.side, order.type, order.price, order.quantity,
               can_sell, view);
}

RiskDecision MarketRulesCheck::check_replace(const ReplaceOrder& request, const Order& current,
                                             const RiskView& view) {
  // A replace is a cancel and a new order for what is left: the cancel must be allowed now, and
  // the new working quantity is held against what is sellable once the current order's offer is
  // given back.
  if (RiskDecision d = check_cancel(current, view); !d.accepted()) return d;
  const Quantity working = request.new_quantity > current.filled
                               ? request.new_quantity - current.filled
                               : Quantity::zero();
  const Quantity can_sell = current.side == Side::kSell
                                ? sellable(current.account, current.instrument, view, current.id)
                                : Quantity::zero();
  return check(current.account, current.instrument, current.side, current.type, request.new_price,
               working, can_sell, view);
}

RiskDecision MarketRulesCheck::check_cancel(const Order& /*order*/, const RiskView& view) {
  // No cancels in the opening call's last minutes (09:20-09:25), before the open (09:25-09:30)
  // and in the closing call (14:57-15:00): the exchange would refuse them.
  const rules::RuleCheck c = rules::check_cancel(rules::trading_phase(view.now));
  if (c.ok()) return RiskDecision::accept();
  return {RejectCode::kMarketRule, c.reason, c.limit, c.observed, RiskCheckId::kMarketRule};
}

}  // namespace guiju
