#pragma once
// Who an order belongs to, for the drop-copy feed: an execution report names only the order id,
// but a risk officer's tool wants the account, the strategy and the client order id on every
// fill. The feed learns them from the NewOrder and ReplaceOrder records it has already seen
// (journal order guarantees the order comes before its reports) and forgets an order once a
// report ends it, so the directory holds about as many entries as there are open orders.
//
// The feed's thread only (the journal writer's): it allocates, which the engine thread never
// may, and that is why this is not the OMS's own table.

#include <optional>
#include <unordered_map>

#include "core/events/event_slot.hpp"

namespace guiju::dropcopy {

struct OrderOwner {
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  ClientOrderId client_order_id;
};

class OrderDirectory {
 public:
  OrderDirectory();

  // Learns from orders sent and forgets orders ended; other events are ignored.
  void update(const EventSlot& event);
  std::optional<OrderOwner> find(OrderId id) const;
  size_t size() const { return owners_.size(); }

 private:
  void forget(OrderId id) { owners_.erase(id); }
  void ended(const ExecutionReport& r);

  std::unordered_map<OrderId, OrderOwner> owners_;
};

}  // namespace guiju::dropcopy
