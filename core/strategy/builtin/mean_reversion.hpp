#pragma once
// The built-in sample strategy: passive, long-only mean reversion on each subscribed instrument.
//
// It keeps an exponential moving average of the mid. When the mid falls `entry_bps` below the
// average it bids at the best bid for `order_lots` lots (up to `max_position_lots`); when it holds
// shares and the mid rises `exit_bps` above the average it offers them at the best ask. Working
// orders follow the touch with replaces; an order older than `order_timeout_ms` is cancelled by a
// periodic timer. It exercises every host call a real strategy uses: submit, replace, cancel,
// timers, book, position and order queries.
//
// (The plugin SDK moves this strategy into strategies/ as a plugin; its logic stays the same.)

#include <vector>

#include "core/config/strategy_parameters.hpp"
#include "core/strategy/strategy.hpp"
#include "core/strategy/strategy_context.hpp"

namespace guiju {

struct MeanReversionParams {
  int64_t lookback = 64;  // EMA span in quotes
  double entry_bps = 4.0;
  double exit_bps = 2.0;
  int64_t order_lots = 1;
  int64_t max_position_lots = 5;
  int64_t order_timeout_ms = 30'000;

  static MeanReversionParams from(const StrategyParameters& p);
};

class MeanReversionStrategy final : public Strategy {
 public:
  explicit MeanReversionStrategy(const MeanReversionParams& params) : params_(params) {}

  void on_start(StrategyContext& ctx) override;
  void on_quote(StrategyContext& ctx, const Quote& q) override;
  void on_order_update(StrategyContext& ctx, const Order& o) override;
  void on_timer(StrategyContext& ctx, TimerId timer, Timestamp scheduled) override;

 private:
  struct PerInstrument {
    double ema = 0;
    int64_t samples = 0;
    OrderId buy = kNoOrder;   // working entry order
    OrderId sell = kNoOrder;  // working exit order
  };
  PerInstrument& state(InstrumentId id);
  // Keeps a working order at `price`: submits, or replaces one that drifted. Returns its id.
  OrderId work(StrategyContext& ctx, OrderId current, InstrumentId instrument, Side side,
               Price price, Quantity quantity);

  MeanReversionParams params_;
  std::vector<PerInstrument> states_;
  TimerId sweep_timer_ = 0;
};

}  // namespace guiju
