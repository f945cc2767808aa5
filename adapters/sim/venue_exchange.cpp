#include "adapters/sim/venue_exchange.hpp"

#include <algorithm>

#include "core/rules/ashare_order_rules.hpp"
#include "core/rules/trading_phase.hpp"

namespace guiju::sim {

Price MemberOrder::average_price() const {
  if (!cum.is_positive()) return Price::zero();
  return Price::from_raw(static_cast<int64_t>(fixed_point::div_round(notional, cum.raw())));
}

Exchange::Exchange(const InstrumentRegistry& instruments, ExchangeListener& listener,
                   ExchangeOptions options)
    : instruments_(instruments), listener_(listener), options_(options) {
  books_.resize(instruments.size());
}

const MemberOrder* Exchange::order(VenueOrderId id) const {
  const auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

std::vector<OrderBook::Level> Exchange::depth(InstrumentId instrument, Side side,
                                              size_t levels) const {
  if (instrument >= books_.size()) return {};
  return books_[instrument].book.depth(side, levels);
}

void Exchange::refuse(MemberOrder& o, std::string_view text, bool price_rule, bool unknown_symbol) {
  o.done = true;
  o.leaves = Quantity::zero();
  OrderEvent e;
  e.kind = OrderEventKind::kRejected;
  e.order = &o;
  e.text = text;
  e.price_rule = price_rule;
  e.unknown_symbol = unknown_symbol;
  listener_.on_order_event(e);
}

VenueOrderId Exchange::submit(const OrderRequest& request) {
  const VenueOrderId id = next_id_++;
  MemberOrder& o = orders_[id];
  o.id = id;
  o.account = request.account;
  o.instrument = request.instrument;
  o.side = request.side;
  o.type = request.type;
  o.tif = request.tif;
  o.price = request.type == OrderType::kMarket ? Price::zero() : request.price;
  o.quantity = request.quantity;
  o.leaves = request.quantity;
  if (request.instrument >= books_.size()) {
    refuse(o, "unknown symbol", false, true);
    return id;
  }
  Book& b = books_[request.instrument];
  if (options_.ashare_rules) {
    const rules::TradingPhase phase = rules::trading_phase(now_);
    const auto best = [&](Side side) {
      const auto level = b.book.depth(side, 1);
      return level.empty() ? Price::zero() : level.front().price;
    };
    // The venue does not know its members' overnight holdings: T+1 and short sales are the
    // member's own checks, so a sell may always sell its quantity here.
    const rules::OrderFacts facts{o.side,     o.type,
                                  o.price,    o.quantity,
                                  o.quantity, {best(Side::kBuy), best(Side::kSell), b.last_trade}};
    rules::RuleCheck check = rules::check_order(instruments_.get(o.instrument), facts, phase);
    if (check.ok() && !rules::matches_continuously(phase)) {
      // The venue trades continuously only: its clock is the background market's, which runs
      // from the open to the close.
      check = {rules::Rule::kMarketClosed, "the venue accepts orders in continuous trading only"};
    }
    if (!check.ok()) {
      const bool price_rule =
          check.rule == rules::Rule::kTickSize || check.rule == rules::Rule::kLimitUp ||
          check.rule == rules::Rule::kLimitDown || check.rule == rules::Rule::kPriceCage;
      reason_ = std::string(rules::to_string(check.rule));
      if (!check.reason.empty()) reason_ += ": " + std::string(check.reason);
      if (check.limit != 0) {
        // Prices and quantities share the raw scale of their fixed-point type.
        const bool is_price = price_rule;
        reason_ += is_price ? " (limit " + Price::from_raw(check.limit).to_string() + ", got " +
                                  Price::from_raw(check.observed).to_string() + ")"
                            : "";
      }
      refuse(o, reason_, price_rule, false);
      return id;
    }
  }
  OrderSpec spec;
  spec.id = id;
  spec.account = o.account;
  spec.side = o.side;
  spec.type = o.type;
  spec.tif = o.tif;
  spec.price = o.price;
  spec.quantity = o.quantity;
  scratch_.clear();
  b.book.submit(spec, scratch_);
  apply(request.instrument, scratch_);
  listener_.on_book_changed(request.instrument);
  return id;
}

void Exchange::cancel(VenueOrderId id) {
  const auto it = orders_.find(id);
  if (it == orders_.end()) return;
  MemberOrder& o = it->second;
  OrderEvent e;
  e.order = &o;
  e.kind = OrderEventKind::kCancelRejected;
  if (o.done) {
    e.text = "too late to cancel: the order is no longer working";
    listener_.on_order_event(e);
    return;
  }
  if (options_.ashare_rules) {
    const rules::RuleCheck check = rules::check_cancel(rules::trading_phase(now_));
    if (!check.ok()) {
      e.text = rules::to_string(check.rule);
      listener_.on_order_event(e);
      return;
    }
  }
  scratch_.clear();
  books_[o.instrument].book.cancel(id, scratch_);
  apply(o.instrument, scratch_);
  listener_.on_book_changed(o.instrument);
}

void Exchange::replace(VenueOrderId id, Price price, Quantity quantity) {
  const auto it = orders_.find(id);
  if (it == orders_.end()) return;
  MemberOrder& o = it->second;
  OrderEvent e;
  e.order = &o;
  e.kind = OrderEventKind::kReplaceRejected;
  if (o.done) {
    e.text = "too late to replace: the order is no longer working";
    listener_.on_order_event(e);
    return;
  }
  if (options_.ashare_rules) {
    const rules::TradingPhase phase = rules::trading_phase(now_);
    rules::RuleCheck check = rules::check_cancel(phase);
    if (check.ok() && quantity > o.cum) {
      const Quantity rest = quantity - o.cum;
      const rules::OrderFacts facts{o.side, o.type, price, rest, rest, {}};
      check = rules::check_order(instruments_.get(o.instrument), facts, phase);
    }
    if (!check.ok()) {
      reason_ = std::string(rules::to_string(check.rule));
      e.text = reason_;
      listener_.on_order_event(e);
      return;
    }
  }
  scratch_.clear();
  books_[o.instrument].book.replace(id, price, quantity, scratch_);
  apply(o.instrument, scratch_);
  listener_.on_book_changed(o.instrument);
}

void Exchange::apply(InstrumentId instrument, const std::vector<MatchEvent>& events) {
  for (const MatchEvent& m : events) {
    if (m.kind == MatchEventKind::kTrade && m.aggressor) {
      books_[instrument].last_trade = m.price;
      listener_.on_public_trade(instrument, m.price, m.quantity, now_);
    }
    const auto it = orders_.find(m.order);
    if (it == orders_.end()) continue;  // the background's
    MemberOrder& o = it->second;
    OrderEvent e;
    e.order = &o;
    e.text = m.reason;
    switch (m.kind) {
      case MatchEventKind::kAccepted:
        e.kind = OrderEventKind::kNew;
        break;
      case MatchEventKind::kTrade:
        e.kind = OrderEventKind::kTrade;
        o.cum += m.quantity;
        o.leaves = m.leaves;
        o.notional += static_cast<int128>(m.price.raw()) * m.quantity.raw();
        o.done = o.leaves.is_zero();
        e.last_price = m.price;
        e.last_qty = m.quantity;
        break;
      case MatchEventKind::kCanceled:
      case MatchEventKind::kSelfTradePrevented:
        e.kind = OrderEventKind::kCanceled;
        if (m.kind == MatchEventKind::kSelfTradePrevented) {
          e.text = "self-match prevented: would have traded with an order of the same account";
        }
        o.leaves = Quantity::zero();
        o.done = true;
        break;
      case MatchEventKind::kExpired:
        e.kind = OrderEventKind::kExpired;
        o.leaves = Quantity::zero();
        o.done = true;
        break;
      case MatchEventKind::kRejected:
        // A refused cancel or replace leaves the order as it was; a refused new order is done.
        if (o.leaves == o.quantity && o.cum.is_zero() && !books_[instrument].book.has_order(o.id) &&
            !o.done) {
          e.kind = OrderEventKind::kRejected;
          o.leaves = Quantity::zero();
          o.done = true;
        } else {
          e.kind = OrderEventKind::kReplaceRejected;
        }
        break;
      case MatchEventKind::kReplaced:
        e.kind = OrderEventKind::kReplaced;
        if (o.type == OrderType::kLimit) o.price = m.price;
        o.quantity = m.quantity;
        o.leaves = m.leaves;
        break;
    }
    listener_.on_order_event(e);
  }
}

void Exchange::replace_background(InstrumentId instrument, const PriceLevel* bids, size_t nbids,
                                  const PriceLevel* asks, size_t nasks) {
  Book& b = books_[instrument];
  scratch_.clear();
  for (const VenueOrderId id : b.background) b.book.cancel(id, scratch_);
  b.background.clear();
  const auto add = [&](Side side, const PriceLevel& level) {
    if (!level.price.is_positive() || !level.size.is_positive()) return;
    OrderSpec spec;
    spec.id = next_id_++;
    spec.account = kBackgroundAccount;
    spec.side = side;
    spec.price = level.price;
    spec.quantity = level.size;
    b.book.submit(spec, scratch_);
    if (b.book.has_order(spec.id)) b.background.push_back(spec.id);
  };
  for (size_t i = 0; i < nbids; ++i) add(Side::kBuy, bids[i]);
  for (size_t i = 0; i < nasks; ++i) add(Side::kSell, asks[i]);
  apply(instrument, scratch_);
  listener_.on_book_changed(instrument);
}

void Exchange::on_market_data(const EventSlot& event) {
  now_ = std::max(now_, event.header().event_time);
  switch (event.type()) {
    case EventType::kBookUpdate: {
      const BookUpdate& u = event.as<BookUpdate>();
      if (u.instrument >= books_.size()) return;
      books_[u.instrument].has_depth = true;
      replace_background(u.instrument, u.bids.data(), u.bid_levels, u.asks.data(), u.ask_levels);
      break;
    }
    case EventType::kQuote: {
      const Quote& q = event.as<Quote>();
      if (q.instrument >= books_.size() || books_[q.instrument].has_depth) return;
      const PriceLevel bid{q.bid_price, q.bid_size};
      const PriceLevel ask{q.ask_price, q.ask_size};
      replace_background(q.instrument, &bid, 1, &ask, 1);
      break;
    }
    case EventType::kTrade: {
      const Trade& t = event.as<Trade>();
      if (t.instrument >= books_.size()) return;
      books_[t.instrument].last_trade = t.price;
      listener_.on_public_trade(t.instrument, t.price, t.size, now_);
      break;
    }
    default:
      break;
  }
}

}  // namespace guiju::sim
