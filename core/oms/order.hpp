#pragma once
// An order as the OMS tracks it, and its state machine's states.

#include <cstdint>
#include <string_view>

#include "core/events/execution_report.hpp"
#include "core/model/client_order_id.hpp"
#include "core/model/fixed_point.hpp"
#include "core/model/ids.hpp"
#include "core/model/order_types.hpp"
#include "core/model/timestamp.hpp"

namespace guiju {

enum class OrderState : uint8_t {
  kPendingNew = 1,       // sent, not yet acknowledged
  kNew = 2,              // working, nothing filled
  kPartiallyFilled = 3,  // working, something filled
  kFilled = 4,
  kPendingCancel = 5,   // cancel sent; still working until the venue confirms
  kPendingReplace = 6,  // replace sent; still working on its old terms until confirmed
  kCanceled = 7,
  kReplaced = 8,  // superseded by its replacement order (a new id)
  kRejected = 9,
  kExpired = 10,
};
std::string_view to_string(OrderState s);

constexpr bool is_terminal(OrderState s) {
  return s == OrderState::kFilled || s == OrderState::kCanceled || s == OrderState::kReplaced ||
         s == OrderState::kRejected || s == OrderState::kExpired;
}
constexpr bool is_pending_change(OrderState s) {
  return s == OrderState::kPendingCancel || s == OrderState::kPendingReplace;
}

struct Order {
  OrderId id = kNoOrder;
  OrderId replaces = kNoOrder;     // the order this one replaced, if any
  OrderId replaced_by = kNoOrder;  // the replacement, once requested
  ClientOrderId client_order_id;
  InstrumentId instrument = kNoInstrument;
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kDay;
  OrderState state = OrderState::kPendingNew;
  // The state to return to when a pending cancel or replace is refused.
  OrderState state_before_change = OrderState::kPendingNew;
  bool overfilled = false;  // the venue reported more than the order quantity
  bool in_use = false;      // the slot holds an order (see OrderManager storage)
  // A replacement the venue has not confirmed yet: not working, its original still is.
  bool awaiting_replace_confirm = false;
  // The order session dropped while the order was open: what the venue holds is unknown until a
  // report for it arrives (the reconciliation after reconnect asks for one).
  bool status_unknown = false;
  // Quantity was booked from a status answer (ExecType kStatus), not from the executions
  // themselves: later fill reports are then checked against their CumQty, so an execution that
  // arrives after all (a resend) is not booked twice.
  bool reconciled = false;
  RejectCode reject_code = RejectCode::kNone;
  Price price;
  Quantity quantity;
  Quantity filled;
  Money filled_notional;     // sum of fill price x quantity: exact average price
  Money commission_charged;  // so a per-order minimum commission is charged once
  Timestamp created = 0;
  Timestamp acked = 0;
  Timestamp first_fill = 0;  // when it first traded: the end of its wait in the queue
  Timestamp last_update = 0;
  uint32_t open_index = UINT32_MAX;  // position in OrderManager's open list
  Quantity counted_leaves;           // what OrderManager's working totals hold for this order

  bool is_open() const { return in_use && !awaiting_replace_confirm && !is_terminal(state); }
  // Quantity still to fill; zero once terminal.
  Quantity leaves() const {
    if (!is_open() || filled >= quantity) return Quantity::zero();
    return quantity - filled;
  }
  Price average_fill_price() const {
    return filled.is_zero() ? Price::zero() : filled_notional.per_unit(filled);
  }
};

}  // namespace guiju
