#include "adapters/sim/simulated_venue.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/engine/order_validation.hpp"
#include "core/rules/ashare_order_rules.hpp"
#include "core/rules/trading_phase.hpp"

namespace guiju {

SimulatedVenue::SimulatedVenue(const InstrumentRegistry& instruments, SpscRing<EventSlot>& reports,
                               const VenueOptions& options)
    : instruments_(instruments),
      reports_(reports),
      source_id_(options.source_id),
      model_(options.fill_model),
      ashare_rules_(options.ashare_rules),
      t_plus_one_(options.ashare_rules && options.t_plus_one),
      touch_(instruments.size()),
      last_trade_(instruments.size()),
      depth_(instruments.size()),
      resting_(instruments.size()) {
  for (AccountId a : options.short_allowed) {
    if (short_allowed_.size() <= a) short_allowed_.resize(a + 1, false);
    short_allowed_[a] = true;
  }
  for (const VenueOptions::Holding& h : options.holdings) {
    sellable(h.account, h.instrument).overnight = h.quantity;
  }
}

SimulatedVenue::Sellable& SimulatedVenue::sellable(AccountId account, InstrumentId instrument) {
  return sellable_[static_cast<uint64_t>(account) << 32 | instrument];
}

void SimulatedVenue::release_offer(InstrumentId instrument, const Resting& o) {
  if (!t_plus_one_ || o.side != Side::kSell) return;
  Sellable& s = sellable(o.account, instrument);
  s.used = s.used > o.leaves ? s.used - o.leaves : Quantity::zero();
}

std::optional<Quantity> SimulatedVenue::queue_ahead(InstrumentId instrument, OrderId id) const {
  if (instrument >= resting_.size()) return std::nullopt;
  for (const Resting& o : resting_[instrument]) {
    if (o.id == id) return o.ahead;
  }
  return std::nullopt;
}

std::optional<Quantity> SimulatedVenue::displayed_at(InstrumentId instrument, Side side,
                                                     Price price) const {
  const Touch& t = touch_[instrument];
  const Price best = side == Side::kBuy ? t.bid_price : t.ask_price;
  const Quantity best_size = side == Side::kBuy ? t.bid_size : t.ask_size;
  if (!best_size.is_positive()) return Quantity::zero();  // an empty side: nothing in front
  if (price == best) return best_size;
  // Better than the best: a new level of its own.
  if (side == Side::kBuy ? price > best : price < best) return Quantity::zero();
  const BookUpdate& d = depth_[instrument];
  const auto& levels = side == Side::kBuy ? d.bids : d.asks;
  const int count = side == Side::kBuy ? d.bid_levels : d.ask_levels;
  for (int i = 0; i < count; ++i) {
    const PriceLevel& l = levels[static_cast<size_t>(i)];
    if (l.price == price) return l.size;
    // Passed it: a price between known levels has nothing displayed.
    if (side == Side::kBuy ? l.price < price : l.price > price) return Quantity::zero();
  }
  return std::nullopt;  // beyond the depth the data shows
}

void SimulatedVenue::fill_from_queue(InstrumentId instrument, const Trade& trade,
                                     Quantity& remaining, Timestamp now) {
  // A sell-initiated trade at p works through the bids at p, a buy-initiated one the asks.
  const Side hit = trade.aggressor == Side::kSell ? Side::kBuy : Side::kSell;
  Quantity taken;  // by our orders ahead in arrival order, from what passed the queue
  for (Resting& o : resting_[instrument]) {
    if (o.side != hit || o.price != trade.price || !remaining.is_positive()) continue;
    const Quantity through = trade.size > o.ahead ? trade.size - o.ahead : Quantity::zero();
    o.ahead = o.ahead > trade.size ? o.ahead - trade.size : Quantity::zero();
    const Quantity can = through > taken ? through - taken : Quantity::zero();
    const Quantity qty = std::min({can, o.leaves, remaining});
    if (!qty.is_positive()) continue;
    taken += qty;
    remaining -= qty;
    fill(instrument, o, o.price, qty, now);
  }
  std::erase_if(resting_[instrument], [](const Resting& o) { return o.leaves.is_zero(); });
}

void SimulatedVenue::shrink_queues(InstrumentId instrument) {
  for (Resting& o : resting_[instrument]) {
    const auto shown = displayed_at(instrument, o.side, o.price);
    if (shown && *shown < o.ahead) o.ahead = *shown;
  }
}

size_t SimulatedVenue::resting_count() const {
  size_t n = 0;
  for (const auto& v : resting_) n += v.size();
  return n;
}

void SimulatedVenue::report(ExecutionReport& r, Timestamp now) {
  r.header = make_header<ExecutionReport>(now, now, source_id_);
  r.header.sequence = ++sequence_;
  r.exec_id = next_exec_id_++;
  if (!reports_.emplace([&](EventSlot& slot) { slot.store(r); })) {
    throw std::runtime_error("simulated venue: report ring '" + reports_.name() +
                             "' refused an execution report");
  }
}

void SimulatedVenue::reject(OrderId id, OrderId orig, InstrumentId instrument, Side side,
                            ExecType type, RejectCode code, const char* reason, Timestamp now) {
  ExecutionReport r;
  r.order_id = id;
  r.orig_order_id = orig;
  r.instrument = instrument;
  r.side = side;
  r.exec_type = type;
  r.reject_code = code;
  r.reason.assign(reason);
  report(r, now);
}

SimulatedVenue::Resting* SimulatedVenue::find(InstrumentId instrument, OrderId id, size_t* index) {
  if (instrument >= resting_.size()) return nullptr;
  auto& v = resting_[instrument];
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].id == id) {
      if (index) *index = i;
      return &v[i];
    }
  }
  return nullptr;
}

void SimulatedVenue::fill(InstrumentId instrument, Resting& o, Price price, Quantity qty,
                          Timestamp now) {
  o.leaves -= qty;
  o.cum += qty;
  ++fills_;
  ExecutionReport r;
  r.order_id = o.id;
  r.instrument = instrument;
  r.side = o.side;
  r.exec_type = o.leaves.is_zero() ? ExecType::kFill : ExecType::kPartialFill;
  r.last_price = price;
  r.last_qty = qty;
  r.leaves_qty = o.leaves;
  r.cum_qty = o.cum;
  r.order_price = o.price;
  r.order_qty = o.quantity;
  report(r, now);
}

void SimulatedVenue::match_against_touch(InstrumentId instrument, Resting& o, bool is_market,
                                         Timestamp now) {
  Touch& t = touch_[instrument];
  Quantity& available = o.side == Side::kBuy ? t.ask_size : t.bid_size;
  const Price touch_price = o.side == Side::kBuy ? t.ask_price : t.bid_price;
  if (!available.is_positive()) return;
  const bool crosses =
      is_market || (o.side == Side::kBuy ? o.price >= touch_price : o.price <= touch_price);
  if (!crosses) return;
  if (o.tif == TimeInForce::kFok && available < o.leaves) return;
  const Quantity qty = std::min(available, o.leaves);
  available -= qty;
  fill(instrument, o, touch_price, qty, now);
}

void SimulatedVenue::on_new(const NewOrder& n, Timestamp now) {
  const RiskDecision shape =
      validate_order_shape(n.instrument, n.type, n.price, n.quantity, instruments_);
  if (!shape.accepted()) {
    reject(n.order_id, kNoOrder, n.instrument, n.side, ExecType::kRejected, shape.code,
           shape.reason.data(), now);
    return;
  }
  if (find(n.instrument, n.order_id)) {
    reject(n.order_id, kNoOrder, n.instrument, n.side, ExecType::kRejected,
           RejectCode::kVenueRejected, "duplicate order id", now);
    return;
  }
  const rules::TradingPhase phase = rules::trading_phase(now);
  if (ashare_rules_) {
    const Sellable& held = sellable(n.account, n.instrument);
    const Quantity can_sell = !held_to_holdings(n.account) ? n.quantity
                              : held.overnight > held.used ? held.overnight - held.used
                                                           : Quantity::zero();
    const rules::OrderFacts facts{n.side,     n.type,   n.price,
                                  n.quantity, can_sell, cage_market(n.instrument)};
    rules::RuleCheck check = rules::check_order(instruments_.get(n.instrument), facts, phase);
    if (check.ok() && n.tif != TimeInForce::kDay &&
        (rules::is_call_auction(phase) || phase == rules::TradingPhase::kPreOpen)) {
      check = {rules::Rule::kMarketOrderInAuction, "call auctions accept day limit orders only"};
    }
    if (!check.ok()) {
      reject(n.order_id, kNoOrder, n.instrument, n.side, ExecType::kRejected,
             RejectCode::kVenueRejected, rules::to_string(check.rule).data(), now);
      return;
    }
  }
  // A call auction collects orders; they trade at the uncross or once continuous trading starts.
  const bool collecting = ashare_rules_ && !rules::matches_continuously(phase);
  ExecutionReport ack;
  ack.order_id = n.order_id;
  ack.instrument = n.instrument;
  ack.side = n.side;
  ack.exec_type = ExecType::kAck;
  ack.leaves_qty = n.quantity;
  ack.order_price = n.price;
  ack.order_qty = n.quantity;
  report(ack, now);

  Resting o{n.order_id, n.side,           n.tif,    n.price, n.quantity, Quantity::zero(),
            n.quantity, Quantity::zero(), n.account};
  // T+1: a sell's whole quantity is spoken for from the moment it is accepted.
  if (t_plus_one_ && n.side == Side::kSell) sellable(n.account, n.instrument).used += n.quantity;
  const bool is_market = n.type == OrderType::kMarket;
  if (!collecting) match_against_touch(n.instrument, o, is_market, now);
  if (o.leaves.is_zero()) return;
  if (!is_market && n.tif == TimeInForce::kDay && model_ == FillModel::kQueue) {
    o.ahead = displayed_at(n.instrument, n.side, n.price).value_or(Quantity::zero());
  }
  if (is_market || n.tif != TimeInForce::kDay) {
    ExecutionReport expired;
    expired.order_id = o.id;
    expired.instrument = n.instrument;
    expired.side = n.side;
    expired.exec_type = ExecType::kExpired;
    expired.cum_qty = o.cum;
    expired.order_qty = o.quantity;
    expired.reason.assign(is_market ? "market order remainder" : "immediate-or-cancel remainder");
    release_offer(n.instrument, o);
    report(expired, now);
    return;
  }
  resting_[n.instrument].push_back(o);
}

void SimulatedVenue::on_cancel(const CancelOrder& c, Timestamp now) {
  size_t index = 0;
  Resting* o = find(c.instrument, c.order_id, &index);
  if (!o) {
    reject(c.order_id, kNoOrder, c.instrument, c.side, ExecType::kCancelRejected,
           RejectCode::kTooLateToCancel, "order not resting", now);
    return;
  }
  if (ashare_rules_) {
    const rules::RuleCheck check = rules::check_cancel(rules::trading_phase(now));
    if (!check.ok()) {
      reject(c.order_id, kNoOrder, c.instrument, c.side, ExecType::kCancelRejected,
             RejectCode::kVenueRejected, rules::to_string(check.rule).data(), now);
      return;
    }
  }
  ExecutionReport r;
  r.order_id = o->id;
  r.instrument = c.instrument;
  r.side = o->side;
  r.exec_type = ExecType::kCanceled;
  r.cum_qty = o->cum;
  r.order_price = o->price;
  r.order_qty = o->quantity;
  release_offer(c.instrument, *o);
  auto& v = resting_[c.instrument];
  v.erase(v.begin() + static_cast<std::ptrdiff_t>(index));
  report(r, now);
}

void SimulatedVenue::on_replace(const ReplaceOrder& rq, Timestamp now) {
  Resting* o = find(rq.instrument, rq.order_id);
  if (!o) {
    reject(rq.new_order_id, rq.order_id, rq.instrument, rq.side, ExecType::kCancelRejected,
           RejectCode::kTooLateToCancel, "order not resting", now);
    return;
  }
  if (ashare_rules_) {
    // A replace is a cancel and a new order: both must be allowed now.
    const rules::TradingPhase phase = rules::trading_phase(now);
    rules::RuleCheck check = rules::check_cancel(phase);
    if (check.ok() && rq.new_quantity > o->cum) {
      // T+1 for a sell: its new working quantity against what is sellable once its current
      // offer is given back.
      const Sellable& held = sellable(o->account, rq.instrument);
      const Quantity others = held.used > o->leaves ? held.used - o->leaves : Quantity::zero();
      const Quantity can_sell = !held_to_holdings(o->account) ? rq.new_quantity - o->cum
                                : held.overnight > others     ? held.overnight - others
                                                              : Quantity::zero();
      const rules::OrderFacts facts{o->side,      OrderType::kLimit,
                                    rq.new_price, rq.new_quantity - o->cum,
                                    can_sell,     cage_market(rq.instrument)};
      check = rules::check_order(instruments_.get(rq.instrument), facts, phase);
    }
    if (!check.ok()) {
      reject(rq.new_order_id, rq.order_id, rq.instrument, rq.side, ExecType::kCancelRejected,
             RejectCode::kVenueRejected, rules::to_string(check.rule).data(), now);
      return;
    }
  }
  const RiskDecision shape = validate_order_shape(rq.instrument, OrderType::kLimit, rq.new_price,
                                                  rq.new_quantity, instruments_);
  if (!shape.accepted() || rq.new_quantity <= o->cum) {
    reject(rq.new_order_id, rq.order_id, rq.instrument, rq.side, ExecType::kCancelRejected,
           shape.accepted() ? RejectCode::kInvalidQuantity : shape.code,
           shape.accepted() ? "new quantity not above filled" : shape.reason.data(), now);
    return;
  }
  // Only a smaller quantity at the same price keeps the queue position.
  const bool keeps_place = rq.new_price == o->price && rq.new_quantity <= o->quantity;
  release_offer(rq.instrument, *o);
  if (t_plus_one_ && o->side == Side::kSell) {
    sellable(o->account, rq.instrument).used += rq.new_quantity - o->cum;
  }
  o->id = rq.new_order_id;
  o->price = rq.new_price;
  o->quantity = rq.new_quantity;
  o->leaves = rq.new_quantity - o->cum;
  if (model_ == FillModel::kQueue && !keeps_place) {
    o->ahead = displayed_at(rq.instrument, o->side, o->price).value_or(Quantity::zero());
    // To the back: after every other resting order of ours.
    size_t index = 0;
    find(rq.instrument, o->id, &index);
    auto& v = resting_[rq.instrument];
    std::rotate(v.begin() + static_cast<std::ptrdiff_t>(index),
                v.begin() + static_cast<std::ptrdiff_t>(index) + 1, v.end());
    o = &v.back();
  }
  ExecutionReport r;
  r.order_id = rq.new_order_id;
  r.orig_order_id = rq.order_id;
  r.instrument = rq.instrument;
  r.side = o->side;
  r.exec_type = ExecType::kReplaced;
  r.leaves_qty = o->leaves;
  r.cum_qty = o->cum;
  r.order_price = o->price;
  r.order_qty = o->quantity;
  report(r, now);
  match_against_touch(rq.instrument, *o, false, now);
  if (o->leaves.is_zero()) {
    size_t index = 0;
    if (find(rq.instrument, rq.new_order_id, &index)) {
      auto& v = resting_[rq.instrument];
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(index));
    }
  }
}

void SimulatedVenue::expire_at_close(Timestamp now) {
  if (!ashare_rules_ || !rules::after_the_close(now)) return;
  for (InstrumentId instrument = 0; instrument < resting_.size(); ++instrument) {
    for (const Resting& o : resting_[instrument]) {
      ExecutionReport r;
      r.order_id = o.id;
      r.instrument = instrument;
      r.side = o.side;
      r.exec_type = ExecType::kExpired;
      r.cum_qty = o.cum;
      r.order_price = o.price;
      r.order_qty = o.quantity;
      r.reason.assign("day order expired at the close");
      release_offer(instrument, o);
      report(r, now);
    }
    resting_[instrument].clear();
  }
}

void SimulatedVenue::on_order_event(const EventSlot& event, Timestamp now) {
  expire_at_close(now);
  switch (event.type()) {
    case EventType::kNewOrder:
      on_new(event.as<NewOrder>(), now);
      break;
    case EventType::kCancelOrder:
      on_cancel(event.as<CancelOrder>(), now);
      break;
    case EventType::kReplaceOrder:
      on_replace(event.as<ReplaceOrder>(), now);
      break;
    default:
      break;
  }
}

size_t SimulatedVenue::drain(SpscRing<EventSlot>& orders, Timestamp now, size_t max_count) {
  return orders.pop_batch([&](const EventSlot& e) { on_order_event(e, now); }, max_count);
}

rules::CageMarket SimulatedVenue::cage_market(InstrumentId instrument) const {
  const Touch& t = touch_[instrument];
  return {t.bid_size.is_positive() ? t.bid_price : Price::zero(),
          t.ask_size.is_positive() ? t.ask_price : Price::zero(), last_trade_[instrument]};
}

void SimulatedVenue::on_market_data(const EventSlot& event, Timestamp now) {
  expire_at_close(now);
  InstrumentId instrument = kNoInstrument;
  if (event.type() == EventType::kQuote) {
    const auto& q = event.as<Quote>();
    instrument = q.instrument;
    if (instrument >= touch_.size()) return;
    touch_[instrument] = {q.bid_price, q.ask_price, q.bid_size, q.ask_size};
  } else if (event.type() == EventType::kBookUpdate) {
    const auto& b = event.as<BookUpdate>();
    instrument = b.instrument;
    if (instrument >= touch_.size()) return;
    depth_[instrument] = b;
    Touch& t = touch_[instrument];
    t = {};
    if (b.bid_levels > 0) {
      t.bid_price = b.bids[0].price;
      t.bid_size = b.bids[0].size;
    }
    if (b.ask_levels > 0) {
      t.ask_price = b.asks[0].price;
      t.ask_size = b.asks[0].size;
    }
  } else if (event.type() == EventType::kTrade) {
    const auto& tr = event.as<Trade>();
    if (tr.instrument >= resting_.size()) return;
    last_trade_[tr.instrument] = tr.price;
    Quantity remaining = tr.size;
    if (model_ == FillModel::kQueue) fill_from_queue(tr.instrument, tr, remaining, now);
    // A print strictly through a resting order's price means it would have traded first.
    fill_resting(
        tr.instrument, now,
        [&](const Resting& o) {
          return o.side == Side::kBuy ? tr.price < o.price : tr.price > o.price;
        },
        [&](const Resting&) -> Quantity& { return remaining; });
    return;
  } else {
    return;
  }
  if (model_ == FillModel::kQueue) shrink_queues(instrument);
  // The touch moved: resting orders it crosses fill at their own price.
  Touch& t = touch_[instrument];
  fill_resting(
      instrument, now,
      [&](const Resting& o) {
        return o.side == Side::kBuy ? t.ask_price <= o.price : t.bid_price >= o.price;
      },
      [&](const Resting& o) -> Quantity& {
        return o.side == Side::kBuy ? t.ask_size : t.bid_size;
      });
}

template <typename Crosses, typename Available>
void SimulatedVenue::fill_resting(InstrumentId instrument, Timestamp now, Crosses&& crosses,
                                  Available&& available) {
  auto& v = resting_[instrument];
  for (Resting& o : v) {
    Quantity& left = available(o);
    if (!left.is_positive() || !crosses(o)) continue;
    const Quantity qty = std::min(left, o.leaves);
    left -= qty;
    fill(instrument, o, o.price, qty, now);
  }
  std::erase_if(v, [](const Resting& o) { return o.leaves.is_zero(); });
}

}  // namespace guiju
