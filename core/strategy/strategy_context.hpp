#pragma once
// The host API a strategy uses: orders, timers, and read access to the engine's state. Every call
// runs synchronously on the engine thread; submit() and replace() pass pre-trade checks before
// anything is sent, and a refusal comes back at once with a code and a reason.

#include <optional>
#include <span>
#include <string_view>

#include "core/data/book.hpp"
#include "core/events/execution_report.hpp"
#include "core/events/signal_events.hpp"
#include "core/model/instrument.hpp"
#include "core/oms/order.hpp"
#include "core/portfolio/position.hpp"

namespace guiju {

struct OrderRequest {
  InstrumentId instrument = kNoInstrument;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kDay;
  Price price;  // ignored (sent as zero) for market orders
  Quantity quantity;
};

struct SubmitResult {
  OrderId order_id = kNoOrder;  // the order (for replace: the replacement's id)
  RejectCode reject = RejectCode::kNone;
  std::string_view reason;  // static text; empty when accepted
  bool ok() const { return reject == RejectCode::kNone; }
};

enum class LogLevel : uint8_t { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

class StrategyContext {
 public:
  virtual ~StrategyContext() = default;

  virtual SubmitResult submit(const OrderRequest& request) = 0;
  virtual SubmitResult cancel(OrderId order) = 0;
  // New price and new total quantity; the order keeps working on its old terms until confirmed.
  virtual SubmitResult replace(OrderId order, Price new_price, Quantity new_quantity) = 0;

  // A timer `delay` from now; period > 0 repeats it.
  virtual TimerId set_timer(Duration delay, Duration period = 0) = 0;
  virtual bool cancel_timer(TimerId timer) = 0;

  virtual Timestamp now() const = 0;
  virtual StrategyId id() const = 0;
  virtual AccountId account() const = 0;
  virtual bool has_instrument(InstrumentId id) const = 0;
  virtual const Instrument& instrument(InstrumentId id) const = 0;
  // The instruments this strategy receives market data for, in config order.
  virtual std::span<const InstrumentId> subscriptions() const = 0;
  virtual std::optional<InstrumentId> find_instrument(std::string_view symbol) const = 0;
  virtual const Book& book(InstrumentId id) const = 0;
  // This strategy's orders only; nullptr for another strategy's or an unknown id.
  virtual const Order* order(OrderId id) const = 0;
  // This strategy's position; nullptr when never traded.
  virtual const Position* position(InstrumentId id) const = 0;
  // Calls f(const Order&) for each of this strategy's open orders.
  template <typename F>
  void for_each_open_order(F&& f) const;

  virtual void log(LogLevel level, std::string_view message) = 0;

  // Asks the inference service for a signal (request.strategy is this strategy). Returns the
  // request id, answered later by Strategy::on_signal or on_signal_timeout; 0 when no inference
  // service is attached to the engine.
  virtual uint64_t request_signal(const SignalRequest& request) = 0;

 protected:
  virtual size_t open_order_count_all() const = 0;
  virtual const Order* open_order_at(size_t i) const = 0;  // across strategies
};

template <typename F>
void StrategyContext::for_each_open_order(F&& f) const {
  const size_t n = open_order_count_all();
  for (size_t i = 0; i < n; ++i) {
    const Order* o = open_order_at(i);
    if (o && o->strategy == id()) f(*o);
  }
}

}  // namespace guiju
