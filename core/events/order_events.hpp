#pragma once
// What the engine sends toward a venue: new orders, cancels and replaces.

#include <cstdint>

#include "core/events/event_header.hpp"
#include "core/model/client_order_id.hpp"
#include "core/model/fixed_point.hpp"
#include "core/model/order_types.hpp"

namespace guiju {

struct NewOrder {
  static constexpr EventType kType = EventType::kNewOrder;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<NewOrder>();
  OrderId order_id = kNoOrder;
  InstrumentId instrument = kNoInstrument;
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kDay;
  uint8_t reserved[5] = {};
  Price price;  // zero for market orders
  Quantity quantity;
  ClientOrderId client_order_id;
};
static_assert(sizeof(NewOrder) == 112);

struct CancelOrder {
  static constexpr EventType kType = EventType::kCancelOrder;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<CancelOrder>();
  OrderId order_id = kNoOrder;
  InstrumentId instrument = kNoInstrument;
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  Side side = Side::kBuy;
  uint8_t reserved[7] = {};
  ClientOrderId client_order_id;  // of the order to cancel
};
static_assert(sizeof(CancelOrder) == 96);

// Replace (cancel/replace, FIX 35=G): the venue gives the order a new client order id. The engine
// allocates new_order_id up front so that fills can be attributed whichever id they carry.
struct ReplaceOrder {
  static constexpr EventType kType = EventType::kReplaceOrder;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<ReplaceOrder>();
  OrderId order_id = kNoOrder;      // the order being replaced
  OrderId new_order_id = kNoOrder;  // the id the order carries once replaced
  InstrumentId instrument = kNoInstrument;
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  Side side = Side::kBuy;
  uint8_t reserved[7] = {};
  Price new_price;
  Quantity new_quantity;  // the new total order quantity, filled part included (FIX OrderQty)
  ClientOrderId client_order_id;      // of the order being replaced
  ClientOrderId new_client_order_id;  // the replacement's
};
static_assert(sizeof(ReplaceOrder) == 152);

// A question to the venue about one order (FIX 35=H): sent for every order whose status became
// unknown while the order session was down, once it is back (cancel-on-disconnect
// reconciliation). The venue answers with an execution report.
struct OrderStatusRequest {
  static constexpr EventType kType = EventType::kOrderStatusRequest;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<OrderStatusRequest>();
  OrderId order_id = kNoOrder;
  InstrumentId instrument = kNoInstrument;
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  Side side = Side::kBuy;
  uint8_t reserved[7] = {};
  ClientOrderId client_order_id;
};
static_assert(sizeof(OrderStatusRequest) == 96);

}  // namespace guiju
