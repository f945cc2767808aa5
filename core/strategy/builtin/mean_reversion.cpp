#include "core/strategy/builtin/mean_reversion.hpp"

namespace guiju {

MeanReversionParams MeanReversionParams::from(const StrategyParameters& p) {
  MeanReversionParams m;
  m.lookback = p.get_int("lookback", m.lookback, 2, 1'000'000'000);
  m.entry_bps = p.get_double("entry_bps", m.entry_bps, 0.0, 10'000.0);
  m.exit_bps = p.get_double("exit_bps", m.exit_bps, -10'000.0, 10'000.0);
  m.order_lots = p.get_int("order_lots", m.order_lots, 1, 1'000'000);
  m.max_position_lots = p.get_int("max_position_lots", m.max_position_lots, 1, 1'000'000'000);
  m.order_timeout_ms = p.get_int("order_timeout_ms", m.order_timeout_ms, 1, 86'400'000);
  p.reject_unused();
  return m;
}

MeanReversionStrategy::PerInstrument& MeanReversionStrategy::state(InstrumentId id) {
  if (id >= states_.size()) states_.resize(id + 1);
  return states_[id];
}

void MeanReversionStrategy::on_start(StrategyContext& ctx) {
  const Duration sweep = params_.order_timeout_ms * kMillisecond / 2;
  sweep_timer_ = ctx.set_timer(sweep, sweep);
}

OrderId MeanReversionStrategy::work(StrategyContext& ctx, OrderId current, InstrumentId instrument,
                                    Side side, Price price, Quantity quantity) {
  const Order* o = current != kNoOrder ? ctx.order(current) : nullptr;
  if (o && o->awaiting_replace_confirm) return current;  // a replace is in flight: wait for it
  if (o && o->state == OrderState::kRejected && o->replaces != kNoOrder) {
    current = o->replaces;  // a refused replace: the original is still the working order
    o = ctx.order(current);
  }
  if (o && o->is_open()) {
    if (is_pending_change(o->state) || o->price == price) return current;
    const Quantity total = o->filled + quantity;
    const SubmitResult r = ctx.replace(current, price, total);
    return r.ok() ? r.order_id : current;
  }
  const SubmitResult r =
      ctx.submit({instrument, side, OrderType::kLimit, TimeInForce::kDay, price, quantity});
  return r.ok() ? r.order_id : kNoOrder;
}

void MeanReversionStrategy::on_quote(StrategyContext& ctx, const Quote& q) {
  if (!q.bid_size.is_positive() || !q.ask_size.is_positive()) return;
  PerInstrument& s = state(q.instrument);
  const double mid = (q.bid_price.to_double() + q.ask_price.to_double()) / 2;
  const double alpha = 2.0 / static_cast<double>(params_.lookback + 1);
  s.ema = s.samples == 0 ? mid : s.ema + alpha * (mid - s.ema);
  if (++s.samples < params_.lookback) return;

  const double deviation_bps = (mid - s.ema) / s.ema * 1e4;
  const Instrument& instrument = ctx.instrument(q.instrument);
  const Position* p = ctx.position(q.instrument);
  const Quantity held = p ? p->quantity : Quantity::zero();
  const Quantity lot = instrument.lot_size;
  const Quantity max_position = lot * params_.max_position_lots;
  const Quantity clip = lot * params_.order_lots;

  // Entry: bid for more while the price is cheap and there is room under the position limit.
  if (deviation_bps <= -params_.entry_bps && held + clip <= max_position) {
    s.buy = work(ctx, s.buy, q.instrument, Side::kBuy, q.bid_price, clip);
  } else if (s.buy != kNoOrder) {
    if (const Order* o = ctx.order(s.buy); o && o->is_open() && !is_pending_change(o->state)) {
      ctx.cancel(s.buy);  // the opportunity passed
    }
  }

  // Exit: offer what is held (less what an exit order already covers) once the price recovers.
  if (held.is_positive() && deviation_bps >= params_.exit_bps) {
    const Order* o = s.sell != kNoOrder ? ctx.order(s.sell) : nullptr;
    const Quantity unfilled_exit = o && o->is_open() ? o->leaves() : Quantity::zero();
    if (unfilled_exit.is_positive() || held.is_positive()) {
      const Quantity to_sell = unfilled_exit.is_positive() ? unfilled_exit : held;
      s.sell = work(ctx, s.sell, q.instrument, Side::kSell, q.ask_price, to_sell);
    }
  }
}

void MeanReversionStrategy::on_order_update(StrategyContext& /*ctx*/, const Order& o) {
  // Forget orders that are done so the next signal starts a fresh one.
  if (o.is_open() || o.instrument >= states_.size()) return;
  PerInstrument& s = states_[o.instrument];
  const OrderId successor = o.state == OrderState::kReplaced ? o.replaced_by : kNoOrder;
  if (s.buy == o.id) s.buy = successor;
  if (s.sell == o.id) s.sell = successor;
}

void MeanReversionStrategy::on_timer(StrategyContext& ctx, TimerId timer, Timestamp /*scheduled*/) {
  if (timer != sweep_timer_) return;
  const Timestamp cutoff = ctx.now() - params_.order_timeout_ms * kMillisecond;
  ctx.for_each_open_order([&](const Order& o) {
    if (o.created < cutoff && !is_pending_change(o.state)) ctx.cancel(o.id);
  });
}

}  // namespace guiju
