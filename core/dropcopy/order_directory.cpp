#include "core/dropcopy/order_directory.hpp"

namespace guiju::dropcopy {

OrderDirectory::OrderDirectory() {
  owners_.reserve(4096);  // a busy session's open orders without rehashing
}

std::optional<OrderOwner> OrderDirectory::find(OrderId id) const {
  const auto it = owners_.find(id);
  if (it == owners_.end()) return std::nullopt;
  return it->second;
}

void OrderDirectory::update(const EventSlot& event) {
  if (event.type() == EventType::kNewOrder) {
    const auto& o = event.as<NewOrder>();
    owners_[o.order_id] = OrderOwner{o.account, o.strategy, o.client_order_id};
  } else if (event.type() == EventType::kReplaceOrder) {
    // The replacement carries a client order id of its own from the moment it is sent.
    const auto& r = event.as<ReplaceOrder>();
    owners_[r.new_order_id] = OrderOwner{r.account, r.strategy, r.new_client_order_id};
  } else if (event.type() == EventType::kExecutionReport) {
    ended(event.as<ExecutionReport>());
  }
}

void OrderDirectory::ended(const ExecutionReport& r) {
  switch (r.exec_type) {
    case ExecType::kFill:
    case ExecType::kCanceled:
    case ExecType::kRejected:
    case ExecType::kExpired:
      forget(r.order_id);
      break;
    case ExecType::kReplaced:
      // The order lives on under its new id.
      if (r.orig_order_id != r.order_id) forget(r.orig_order_id);
      break;
    case ExecType::kCancelRejected:
      // A refused replace names the replacement that will never be: the original keeps working.
      if (r.orig_order_id != kNoOrder && r.orig_order_id != r.order_id) forget(r.order_id);
      break;
    case ExecType::kAck:
    case ExecType::kPartialFill:
    case ExecType::kStatus:
      break;
  }
}

}  // namespace guiju::dropcopy
