#pragma once
// What a venue reports about an order (FIX 35=8 and 35=9).

#include <cstdint>
#include <string_view>

#include "core/events/event_header.hpp"
#include "core/model/fixed_point.hpp"
#include "core/model/order_types.hpp"
#include "core/model/reason_text.hpp"

namespace guiju {

enum class ExecType : uint8_t {
  kAck = 1,  // order accepted and working (FIX ExecType=New)
  kPartialFill = 2,
  kFill = 3,  // last fill: nothing left working
  kCanceled = 4,
  kReplaced = 5,        // order_id is the new id, orig_order_id the replaced one
  kRejected = 6,        // new order rejected; reject_code and reason say why
  kExpired = 7,         // end of its time in force (day order at close, unfilled IOC rest)
  kCancelRejected = 8,  // a cancel or replace was refused; the order keeps working
  // The venue's answer to a status request (FIX OrdStatusRequest H): cum_qty and leaves_qty as
  // the venue holds them and last_price its average price (AvgPx). Not an execution (exec_id 0):
  // the OMS books whatever quantity cum_qty shows that it has not seen (fills missed while the
  // order session was down).
  kStatus = 9,
};
std::string_view to_string(ExecType t);

// Why something was refused. Venue codes and the engine's own share one space; risk (issue
// "pre-trade risk") extends it.
enum class RejectCode : uint16_t {
  kNone = 0,
  kUnknownInstrument = 1,
  kInvalidQuantity = 2,
  kInvalidPrice = 3,
  kOffTick = 4,
  kOddLot = 5,
  kUnknownOrder = 6,
  kTooLateToCancel = 7,
  kOrderCapacityExhausted = 8,
  kOrderRingFull = 9,
  kRiskRejected = 10,
  kVenueRejected = 11,
  kNoLiquidity = 12,
  kNotWorking = 13,
  kUnknownStrategy = 14,
  kJournalUnavailable = 15,
  kMalformedRequest = 16,
  kThrottled = 17,   // order-message rate: per second or per day (core/risk/message_throttle)
  kKillSwitch = 18,  // the kill switch is engaged for the account, the strategy, or everything
  kMarketRule = 19,  // an exchange rule refused it before sending (core/rules)
  kOrderSessionDown = 20,  // the order session to the venue is down (cancel-on-disconnect)
  kSelfTrade = 21,  // it would trade against a resting order of its control group (core/risk)
};
std::string_view to_string(RejectCode c);

struct ExecutionReport {
  static constexpr EventType kType = EventType::kExecutionReport;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<ExecutionReport>();
  OrderId order_id = kNoOrder;
  OrderId orig_order_id = kNoOrder;  // for kReplaced and kCancelRejected of a replace
  ExecId exec_id = 0;
  InstrumentId instrument = kNoInstrument;
  ExecType exec_type = ExecType::kAck;
  Side side = Side::kBuy;
  RejectCode reject_code = RejectCode::kNone;
  Price last_price;     // fills: this fill's price
  Quantity last_qty;    // fills: this fill's quantity
  Quantity leaves_qty;  // as the venue sees it after this report
  Quantity cum_qty;     // as the venue sees it after this report
  Price order_price;    // the order's working price (changes on kReplaced)
  Quantity order_qty;   // the order's total quantity (changes on kReplaced)
  ReasonText reason;    // free text for rejects
};
static_assert(sizeof(ExecutionReport) == 168);

}  // namespace guiju
