// Momentum taker: crosses the spread in the direction of a move.
//
// It keeps the mid of the last `lookback` quotes per instrument. When the mid has risen
// `entry_bps` or more over that window and there is room under `max_position_lots`, it buys
// `order_lots` lots at the best offer, immediate-or-cancel. It sells what it holds at the best
// bid, immediate-or-cancel, once the move has faded (the window's change falls to `exit_bps` or
// below) or the position is older than `hold_ms`. Long only: A-shares cannot be sold short.

#include <guiju/strategy.hpp>

#include <deque>
#include <vector>

namespace {

using guiju::sdk::Host;

class Momentum final : public guiju::sdk::Strategy {
 public:
  explicit Momentum(Host host)
      : Strategy(host),
        lookback_(static_cast<size_t>(host.param_int("lookback", 50, 2, 100'000))),
        entry_bps_(host.param_double("entry_bps", 8.0, 0.0, 10'000.0)),
        exit_bps_(host.param_double("exit_bps", 0.0, -10'000.0, 10'000.0)),
        order_lots_(host.param_int("order_lots", 1, 1, 10'000)),
        max_position_lots_(host.param_int("max_position_lots", 5, 1, 1'000'000)),
        hold_(host.param_int("hold_ms", 60'000, 1, 86'400'000) * 1'000'000) {}

  void on_quote(const guiju_quote& q) override {
    if (q.bid_size <= 0 || q.ask_size <= 0) return;
    if (q.instrument >= states_.size()) states_.resize(q.instrument + 1);
    State& s = states_[q.instrument];
    const double mid =
        (guiju::sdk::to_double(q.bid_price) + guiju::sdk::to_double(q.ask_price)) / 2;
    s.mids.push_back(mid);
    if (s.mids.size() > lookback_) s.mids.pop_front();
    if (s.mids.size() < lookback_ || s.order_in_flight(host())) return;

    const double change_bps = (mid - s.mids.front()) / s.mids.front() * 1e4;
    const auto info = host().instrument(q.instrument);
    if (!info) return;
    const guiju_fixed held = host().position(q.instrument).quantity;
    const guiju_fixed clip = info->lot_size * order_lots_;
    const guiju_time now = host().now();

    if (held > 0 && (change_bps <= exit_bps_ || now - s.entered >= hold_)) {
      s.working = submit(q.instrument, GUIJU_SELL, q.bid_price, held);
    } else if (change_bps >= entry_bps_ && held + clip <= info->lot_size * max_position_lots_) {
      s.working = submit(q.instrument, GUIJU_BUY, q.ask_price, clip);
      if (held == 0) s.entered = now;
    }
  }

 private:
  struct State {
    std::deque<double> mids;
    guiju_order_id working = 0;  // the IOC order not yet done
    guiju_time entered = 0;      // when the position was opened
    bool order_in_flight(Host& h) {
      if (working == 0) return false;
      const auto o = h.order(working);
      if (o && (o->is_open || o->awaiting_confirm)) return true;
      working = 0;
      return false;
    }
  };

  guiju_order_id submit(guiju_instrument id, int side, guiju_fixed price, guiju_fixed quantity) {
    if (!backoff_.ready(host())) return 0;
    const guiju_result r =
        backoff_.note(host().submit_limit(id, side, price, quantity, GUIJU_IOC), host());
    return r.reject_code == 0 ? r.order_id : 0;
  }

  size_t lookback_;
  double entry_bps_;
  double exit_bps_;
  int64_t order_lots_;
  int64_t max_position_lots_;
  guiju_time hold_;
  std::vector<State> states_;
  guiju::sdk::ThrottleBackoff backoff_;
};

}  // namespace

GUIJU_EXPORT_STRATEGY(Momentum, "momentum", "1.0.0")
