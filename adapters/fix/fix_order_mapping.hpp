#pragma once
// Engine order events <-> FIX order-entry messages (NewOrderSingle D, OrderCancelRequest F,
// OrderCancelReplaceRequest G, OrderStatusRequest H; ExecutionReport 8, OrderCancelReject 9),
// for FIX 4.2 and 4.4 alike: the tags used are the same in both, and where the versions differ
// (the fill ExecType, 4.2's ExecTransType and HandlInst) the code says so. Pure functions of their
// inputs, so they are tested without sockets. Prices and quantities travel as exact decimal
// strings, never through double.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/fix/quickfix.hpp"
#include "core/events/execution_report.hpp"
#include "core/events/order_events.hpp"
#include "core/model/instrument.hpp"

namespace guiju::fix {

// What a venue wants on every order message beyond the standard fields (per-venue mappings from
// the config).
struct OrderTags {
  std::string handl_inst = "1";             // HandlInst(21): automated, private (required in 4.2)
  std::vector<std::string> account_values;  // Account(1) by AccountId; empty: no Account tag
  std::vector<std::pair<int, std::string>> custom;  // extra tags on D, F and G
};

// The engine's client order ids are "<prefix><date>-<OrderId>"; a cancel request's own ClOrdID
// appends "C<n>". Decoding gives the engine's OrderId back without a table shared between the
// sending and the receiving thread.
class ClOrdIdCodec {
 public:
  explicit ClOrdIdCodec(std::string stem) : stem_(std::move(stem)) {}  // "<prefix><date>-"
  // kNoOrder for an id this engine did not make (another system's, or malformed).
  OrderId decode(std::string_view cl_ord_id) const;
  std::string cancel_id(const ClientOrderId& order, uint64_t attempt) const;

 private:
  std::string stem_;
};

FIX::Message new_order_single(const std::string& begin_string, const NewOrder& order,
                              const Instrument& instrument, const OrderTags& tags);
FIX::Message cancel_request(const std::string& begin_string, const CancelOrder& cancel,
                            const Instrument& instrument, const std::string& cancel_cl_ord_id,
                            const OrderTags& tags);
FIX::Message cancel_replace_request(const std::string& begin_string, const ReplaceOrder& replace,
                                    const Instrument& instrument, OrderType type, TimeInForce tif,
                                    const OrderTags& tags);
FIX::Message status_request(const std::string& begin_string, const OrderStatusRequest& request,
                            const Instrument& instrument);

// What an inbound message became.
struct Inbound {
  enum class Kind : uint8_t {
    kReport,     // `report` is for the engine
    kIgnored,    // a pending-state report, or a status answer that changes nothing
    kUnknown,    // about an order this engine did not send
    kMalformed,  // a field missing or unreadable: `why` names it
  };
  Kind kind = Kind::kIgnored;
  ExecutionReport report;
  // A status answer of an order that has ended: after `report` (which books what it executed),
  // the report that ends it.
  std::optional<ExecutionReport> then;
  std::string why;
};

// ExecutionReport (8). Fills carry LastPx/LastQty (4.2: ExecType 1/2; 4.4: ExecType F with
// OrdStatus 1/2). A status answer (4.4 ExecType I; 4.2 ExecTransType 3) becomes an ExecType
// kStatus report (CumQty, and AvgPx as last_price) that clears the order's unknown status and
// books executions the engine missed, followed by the terminal report when the order has ended
// (canceled, expired); an order the venue rejected or does not know becomes a rejection. ExecID
// strings are hashed (FNV-1a 64) into the engine's exec ids, which the OMS deduplicates.
Inbound from_execution_report(const FIX::Message& message, const ClOrdIdCodec& ids,
                              const InstrumentRegistry& instruments, Timestamp now);
// OrderCancelReject (9): the order keeps working.
Inbound from_cancel_reject(const FIX::Message& message, const ClOrdIdCodec& ids,
                           const InstrumentRegistry& instruments, Timestamp now);

uint64_t exec_id_of(std::string_view exec_id);

}  // namespace guiju::fix
