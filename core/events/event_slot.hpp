#pragma once
// EventSlot: storage for any one event, the element type of every event ring.
//
// Mechanical sympathy: the slot is 6 cache lines (the largest event, a 10-level BookUpdate, is
// 368 bytes) and aligned to a cache line, so neighbouring slots never share a line. Storing copies
// only sizeof(T) bytes, so a 80-byte quote costs two lines, not six.

#include <cstddef>
#include <cstring>
#include <new>

#include "core/events/control_events.hpp"
#include "core/events/execution_report.hpp"
#include "core/events/market_data.hpp"
#include "core/events/order_events.hpp"
#include "core/events/risk_events.hpp"
#include "core/events/session_events.hpp"
#include "core/events/signal_events.hpp"
#include "core/events/strategy_events.hpp"

namespace guiju {

inline constexpr size_t kCacheLine = 64;

struct alignas(kCacheLine) EventSlot {
  static constexpr size_t kCapacity = 384;
  std::byte bytes[kCapacity];

  template <Event T>
  void store(const T& event) {
    static_assert(sizeof(T) <= kCapacity, "event larger than a slot");
    new (bytes) T(event);  // trivially copyable: a plain copy of sizeof(T) bytes
  }
  const EventHeader& header() const {
    return *std::launder(reinterpret_cast<const EventHeader*>(bytes));
  }
  EventHeader& header() { return *std::launder(reinterpret_cast<EventHeader*>(bytes)); }
  EventType type() const { return header().type; }

  // The caller has checked type() == T::kType.
  template <Event T>
  const T& as() const {
    return *std::launder(reinterpret_cast<const T*>(bytes));
  }
  template <Event T>
  T& as() {
    return *std::launder(reinterpret_cast<T*>(bytes));
  }
};
static_assert(sizeof(EventSlot) == EventSlot::kCapacity);
static_assert(sizeof(BookUpdate) <= EventSlot::kCapacity);
static_assert(sizeof(SignalRequest) <= EventSlot::kCapacity);

// Calls f(const T&) with the slot's event as its concrete type. Returns false for a type the
// slot cannot hold (only possible with bytes that bypassed the codec).
template <typename F>
bool visit(const EventSlot& slot, F&& f) {
  switch (slot.type()) {
    case EventType::kQuote:
      f(slot.as<Quote>());
      return true;
    case EventType::kBookUpdate:
      f(slot.as<BookUpdate>());
      return true;
    case EventType::kTrade:
      f(slot.as<Trade>());
      return true;
    case EventType::kNewOrder:
      f(slot.as<NewOrder>());
      return true;
    case EventType::kCancelOrder:
      f(slot.as<CancelOrder>());
      return true;
    case EventType::kReplaceOrder:
      f(slot.as<ReplaceOrder>());
      return true;
    case EventType::kExecutionReport:
      f(slot.as<ExecutionReport>());
      return true;
    case EventType::kTimer:
      f(slot.as<TimerFired>());
      return true;
    case EventType::kControlCommand:
      f(slot.as<ControlCommand>());
      return true;
    case EventType::kSignalRequest:
      f(slot.as<SignalRequest>());
      return true;
    case EventType::kSignalReply:
      f(slot.as<SignalReply>());
      return true;
    case EventType::kRiskDecision:
      f(slot.as<RiskDecisionEvent>());
      return true;
    case EventType::kStrategyLifecycle:
      f(slot.as<StrategyEvent>());
      return true;
    case EventType::kSession:
      f(slot.as<SessionEvent>());
      return true;
    case EventType::kStrategyParameter:
      f(slot.as<StrategyParameterEvent>());
      return true;
    case EventType::kDataSource:
      f(slot.as<DataSourceEvent>());
      return true;
    case EventType::kRiskLimitChange:
      f(slot.as<RiskLimitChange>());
      return true;
    case EventType::kOrderStatusRequest:
      f(slot.as<OrderStatusRequest>());
      return true;
  }
  return false;
}

}  // namespace guiju
