#pragma once
// What a strategy implements. The engine calls these on its own thread, one at a time, in engine
// order; a strategy never needs a lock. The plugin SDK (plugins/) wraps this interface in a C ABI.

#include <stdexcept>

#include "core/events/control_events.hpp"
#include "core/events/market_data.hpp"
#include "core/events/signal_events.hpp"
#include "core/model/fixed_point.hpp"
#include "core/oms/order.hpp"

namespace guiju {

class StrategyContext;

// A strategy callback failed in a way the strategy reported (a plugin's callback returned an
// error, or its out-of-process host died); the message says how. The engine quarantines the
// strategy and records the message as the reason.
class StrategyFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Fill {
  ExecId exec_id = 0;
  Price price;
  Quantity quantity;
  Money fees;
  Timestamp time = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual void on_start(StrategyContext& /*ctx*/) {}
  virtual void on_stop(StrategyContext& /*ctx*/) {}
  virtual void on_quote(StrategyContext& /*ctx*/, const Quote& /*quote*/) {}
  virtual void on_book(StrategyContext& /*ctx*/, const BookUpdate& /*book*/) {}
  virtual void on_trade(StrategyContext& /*ctx*/, const Trade& /*trade*/) {}
  // The order changed state (acknowledged, canceled, replaced, rejected, expired, filled).
  virtual void on_order_update(StrategyContext& /*ctx*/, const Order& /*order*/) {}
  // Part or all of an order executed; called before on_order_update for the same report.
  virtual void on_fill(StrategyContext& /*ctx*/, const Order& /*order*/, const Fill& /*fill*/) {}
  virtual void on_timer(StrategyContext& /*ctx*/, TimerId /*timer*/, Timestamp /*scheduled*/) {}
  // The answer to request_signal, or word that its deadline passed without one.
  virtual void on_signal(StrategyContext& /*ctx*/, const SignalReply& /*reply*/) {}
  virtual void on_signal_timeout(StrategyContext& /*ctx*/, uint64_t /*request_id*/) {}
};

}  // namespace guiju
