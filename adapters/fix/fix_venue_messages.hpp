#pragma once
// The FIX side of the venue simulator's mapping: reading order-entry fields off incoming messages
// and building the messages it sends (ExecutionReport, OrderCancelReject, market data), each as
// the session's version (4.2 or 4.4) defines it. Adapter-private: includes QuickFIX.

#include <optional>
#include <string>
#include <vector>

#include "adapters/fix/quickfix.hpp"
#include "adapters/sim/venue_exchange.hpp"

namespace guiju::fix_venue {

bool is_fix44(const FIX::SessionID& session);

// The field's text; throws FIX::FieldNotFound (answered by QuickFIX with a reject naming the tag)
// when it is absent.
std::string required(const FIX::FieldMap& message, int tag);
std::optional<std::string> optional(const FIX::FieldMap& message, int tag);
// A required integer field; throws FIX::IncorrectDataFormat naming the tag when it is not one
// (the dictionary checks formats, but a session may run without one).
int required_int(const FIX::FieldMap& message, int tag);

std::optional<Side> parse_side(const std::string& text);
std::optional<OrderType> parse_ord_type(const std::string& text);
std::optional<TimeInForce> parse_time_in_force(const std::string& text);  // absent: day

// What the FIX layer remembers of an order beyond the exchange's state.
struct OrderContext {
  FIX::SessionID session;
  std::string cl_ord_id;  // the order's current ClOrdID
  std::string account;    // as the member named it, echoed back
  std::string symbol;
  char status = '0';  // OrdStatus (39) after the last report
};

// One ExecutionReport field set. exec_type and ord_status are FIX values of the session's version.
struct ExecutionFields {
  char exec_type = '0';
  char ord_status = '0';
  std::string exec_id;
  std::string order_id;  // "NONE" for an order the venue never accepted
  std::string cl_ord_id;
  std::string orig_cl_ord_id;  // cancels and replaces
  bool status_reply = false;   // 4.2: ExecTransType 3
  std::optional<int> ord_rej_reason;
  std::string text;
  Price last_px;
  Quantity last_qty;
};

// OrdStatus (39) of an order in the exchange's state, as the session's version spells it.
char order_status(const sim::MemberOrder& order, char terminal_status);

FIX::Message execution_report(const FIX::SessionID& session, const OrderContext& context,
                              const sim::MemberOrder& order, const ExecutionFields& fields);

// OrderCancelReject (9). response_to: '1' cancel request, '2' cancel/replace request.
FIX::Message order_cancel_reject(const std::string& order_id, const std::string& cl_ord_id,
                                 const std::string& orig_cl_ord_id, char ord_status,
                                 char response_to, int reason, const std::string& text);

struct BookEntries {
  std::vector<sim::OrderBook::Level> bids;
  std::vector<sim::OrderBook::Level> offers;
  std::optional<std::pair<Price, Quantity>> last_trade;
};
// MarketDataSnapshotFullRefresh (W): the levels asked for, best first, each with its position.
FIX::Message snapshot(const FIX::SessionID& session, const std::string& md_req_id,
                      const std::string& symbol, const BookEntries& entries);
// MarketDataIncrementalRefresh (X) with one new trade entry (MDEntryType 2).
FIX::Message trade_increment(const FIX::SessionID& session, const std::string& md_req_id,
                             const std::string& symbol, Price price, Quantity qty);
// MarketDataRequestReject (Y).
FIX::Message market_data_reject(const std::string& md_req_id, char reason, const std::string& text);

}  // namespace guiju::fix_venue
