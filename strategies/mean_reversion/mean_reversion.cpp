// Mean reversion: passive, long-only, on each subscribed instrument.
//
// It keeps an exponential moving average of the mid. When the mid falls `entry_bps` below the
// average it bids at the best bid for `order_lots` lots (up to `max_position_lots`); when it holds
// shares and the mid rises `exit_bps` above the average it offers them at the best ask. Working
// orders follow the touch with replaces; an order older than `order_timeout_ms` is cancelled by a
// periodic timer.

#include <guiju/strategy.hpp>

#include <vector>

namespace {

using guiju::sdk::Host;

bool is_pending_change(uint8_t state) {
  return state == GUIJU_PENDING_CANCEL || state == GUIJU_PENDING_REPLACE;
}

class MeanReversion final : public guiju::sdk::Strategy {
 public:
  explicit MeanReversion(Host host)
      : Strategy(host),
        lookback_(host.param_int("lookback", 64, 2, 1'000'000'000)),
        entry_bps_(host.param_double("entry_bps", 4.0, 0.0, 10'000.0)),
        exit_bps_(host.param_double("exit_bps", 2.0, -10'000.0, 10'000.0)),
        order_lots_(host.param_int("order_lots", 1, 1, 1'000'000)),
        max_position_lots_(host.param_int("max_position_lots", 5, 1, 1'000'000'000)),
        order_timeout_(host.param_int("order_timeout_ms", 30'000, 1, 86'400'000) * 1'000'000) {}

  void on_start() override {
    const guiju_time sweep = order_timeout_ / 2;
    sweep_timer_ = host().set_timer(sweep, sweep);
  }

  void on_quote(const guiju_quote& q) override {
    if (q.bid_size <= 0 || q.ask_size <= 0) return;
    PerInstrument& s = state(q.instrument);
    const double mid =
        (guiju::sdk::to_double(q.bid_price) + guiju::sdk::to_double(q.ask_price)) / 2;
    const double alpha = 2.0 / static_cast<double>(lookback_ + 1);
    s.ema = s.samples == 0 ? mid : s.ema + alpha * (mid - s.ema);
    if (++s.samples < lookback_) return;

    const double deviation_bps = (mid - s.ema) / s.ema * 1e4;
    const auto instrument = host().instrument(q.instrument);
    if (!instrument) return;
    const guiju_fixed held = host().position(q.instrument).quantity;
    const guiju_fixed lot = instrument->lot_size;
    const guiju_fixed max_position = lot * max_position_lots_;
    const guiju_fixed clip = lot * order_lots_;

    // Entry: bid for more while the price is cheap and there is room under the position limit.
    if (deviation_bps <= -entry_bps_ && held + clip <= max_position) {
      s.buy = work(s.buy, q.instrument, GUIJU_BUY, q.bid_price, clip);
    } else if (s.buy != 0) {
      const auto o = host().order(s.buy);
      if (o && o->is_open && !is_pending_change(o->state)) host().cancel(s.buy);  // passed
    }

    // Exit: offer what is held (less what an exit order already covers) once the price recovers.
    if (held > 0 && deviation_bps >= exit_bps_) {
      const auto o = s.sell != 0 ? host().order(s.sell) : std::nullopt;
      const guiju_fixed unfilled_exit = o && o->is_open ? o->quantity - o->filled : 0;
      const guiju_fixed to_sell = unfilled_exit > 0 ? unfilled_exit : held;
      s.sell = work(s.sell, q.instrument, GUIJU_SELL, q.ask_price, to_sell);
    }
  }

  void on_order_update(const guiju_order& o) override {
    // Forget orders that are done so the next signal starts a fresh one.
    if (o.is_open || o.awaiting_confirm || o.instrument >= states_.size()) return;
    PerInstrument& s = states_[o.instrument];
    const guiju_order_id successor = o.state == GUIJU_REPLACED ? o.replaced_by : 0;
    if (s.buy == o.id) s.buy = successor;
    if (s.sell == o.id) s.sell = successor;
  }

  void on_timer(guiju_timer_id timer, guiju_time /*scheduled*/) override {
    if (timer != sweep_timer_) return;
    const guiju_time cutoff = host().now() - order_timeout_;
    for (const guiju_order& o : host().open_orders()) {
      if (o.created < cutoff && !is_pending_change(o.state)) host().cancel(o.id);
    }
  }

 private:
  struct PerInstrument {
    double ema = 0;
    int64_t samples = 0;
    guiju_order_id buy = 0;   // working entry order
    guiju_order_id sell = 0;  // working exit order
  };

  PerInstrument& state(guiju_instrument id) {
    if (id >= states_.size()) states_.resize(id + 1);
    return states_[id];
  }

  // Keeps a working order at `price`: submits, or replaces one that drifted. Returns its id.
  guiju_order_id work(guiju_order_id current, guiju_instrument instrument, int side,
                      guiju_fixed price, guiju_fixed quantity) {
    auto o = current != 0 ? host().order(current) : std::nullopt;
    if (o && o->awaiting_confirm) return current;  // a replace is in flight: wait for it
    if (o && o->state == GUIJU_REJECTED && o->replaces != 0) {
      current = o->replaces;  // a refused replace: the original is still the working order
      o = host().order(current);
    }
    if (o && o->is_open) {
      if (is_pending_change(o->state) || o->price == price || !backoff_.ready(host()))
        return current;
      const guiju_result r =
          backoff_.note(host().replace(current, price, o->filled + quantity), host());
      return r.reject_code == 0 ? r.order_id : current;
    }
    if (!backoff_.ready(host())) return 0;
    const guiju_result r =
        backoff_.note(host().submit_limit(instrument, side, price, quantity), host());
    return r.reject_code == 0 ? r.order_id : 0;
  }

  int64_t lookback_;
  double entry_bps_;
  double exit_bps_;
  int64_t order_lots_;
  int64_t max_position_lots_;
  guiju_time order_timeout_;
  std::vector<PerInstrument> states_;
  guiju_timer_id sweep_timer_ = 0;
  guiju::sdk::ThrottleBackoff backoff_;
};

}  // namespace

GUIJU_EXPORT_STRATEGY(MeanReversion, "mean_reversion", "1.0.0")
