// Taker: on every quote or book update, one immediate-or-cancel limit buy at the best offer.
//
// The smallest strategy that crosses the spread on every market-data update: the decision is
// trivial on purpose, so that what a latency measurement sees is the engine's path (book update,
// the strategy callback through the C ABI, validation, the pre-trade checks, the OMS, the order
// ring, the order session), not the strategy. The wire-to-wire benchmark
// (bench/fix_wire_latency_bench.cpp) runs it behind `guiju run` in live mode.
//
// It buys `order_lots` lots at the best offer, immediate-or-cancel, for every update that has
// one, while the position and the quantity of its working buys stay within `max_position_lots`.
// With `min_interval_ms` above 0 it sends at most one order per instrument in that interval.
// Long only, and it never sells: it is a measuring tool, not a trading idea.

#include <guiju/strategy.hpp>

#include <vector>

namespace {

using guiju::sdk::Host;

class Taker final : public guiju::sdk::Strategy {
 public:
  explicit Taker(Host host)
      : Strategy(host),
        order_lots_(host.param_int("order_lots", 1, 1, 10'000)),
        max_position_lots_(host.param_int("max_position_lots", 10, 1, 1'000'000)),
        min_interval_(host.param_int("min_interval_ms", 0, 0, 86'400'000) * 1'000'000) {}

  void on_quote(const guiju_quote& q) override {
    if (q.ask_size > 0) take(q.instrument, q.ask_price);
  }

  void on_book(const guiju_book& b) override {
    if (b.ask_levels > 0 && b.asks[0].size > 0) take(b.instrument, b.asks[0].price);
  }

  void on_fill(const guiju_order& order, const guiju_fill& fill) override {
    if (order.instrument < states_.size()) states_[order.instrument].working -= fill.quantity;
  }

  void on_order_update(const guiju_order& order) override {
    // Done: what was left of it no longer counts against the position limit.
    if (order.is_open == 0 && order.instrument < states_.size()) {
      State& s = states_[order.instrument];
      s.working -= order.quantity - order.filled;
      if (s.working < 0) s.working = 0;
    }
  }

 private:
  struct State {
    guiju_fixed lot = 0;        // the instrument's lot size, looked up once
    guiju_fixed working = 0;    // quantity of this strategy's buys not yet done
    guiju_time last_order = 0;  // for min_interval_ms
  };

  void take(guiju_instrument id, guiju_fixed ask) {
    if (id >= states_.size()) states_.resize(id + 1);
    State& s = states_[id];
    if (s.lot == 0) {
      const auto info = host().instrument(id);
      if (!info) return;
      s.lot = info->lot_size;
    }
    const guiju_fixed clip = s.lot * order_lots_;
    if (host().position(id).quantity + s.working + clip > s.lot * max_position_lots_) return;
    if (!backoff_.ready(host())) return;
    if (min_interval_ > 0) {
      const guiju_time now = host().now();
      if (s.last_order != 0 && now - s.last_order < min_interval_) return;
      s.last_order = now;
    }
    const guiju_result r =
        backoff_.note(host().submit_limit(id, GUIJU_BUY, ask, clip, GUIJU_IOC), host());
    if (r.reject_code == 0) s.working += clip;
  }

  int64_t order_lots_;
  int64_t max_position_lots_;
  guiju_time min_interval_;
  std::vector<State> states_;
  guiju::sdk::ThrottleBackoff backoff_;
};

}  // namespace

GUIJU_EXPORT_STRATEGY(Taker, "taker", "1.0.0")
