#include "adapters/fix/fix_venue_messages.hpp"

#include <charconv>

namespace guiju::fix_venue {

namespace {

void set(FIX::FieldMap& m, int tag, const std::string& value) {
  m.setField(tag, value);
}
void set(FIX::FieldMap& m, int tag, char value) {
  m.setField(tag, std::string(1, value));
}

FIX::Message of_type(const char* msg_type) {
  FIX::Message m;
  m.getHeader().setField(FIX::FIELD::MsgType, msg_type);
  return m;
}

std::string now_utc() {
  return FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3);
}

// Market-data entries: the version's own group class, so that the fields go out in its order.
template <typename Group>
void add_levels(FIX::Message& m, const std::vector<sim::OrderBook::Level>& levels, char type) {
  int position = 1;
  for (const sim::OrderBook::Level& level : levels) {
    Group g;
    set(g, FIX::FIELD::MDEntryType, type);
    set(g, FIX::FIELD::MDEntryPx, level.price.to_string());
    set(g, FIX::FIELD::MDEntrySize, level.quantity.to_string());
    set(g, FIX::FIELD::MDEntryPositionNo, std::to_string(position++));
    m.addGroup(g);
  }
}

template <typename Group>
void add_snapshot_entries(FIX::Message& m, const BookEntries& entries) {
  add_levels<Group>(m, entries.bids, '0');
  add_levels<Group>(m, entries.offers, '1');
  if (entries.last_trade) {
    Group g;
    set(g, FIX::FIELD::MDEntryType, '2');
    set(g, FIX::FIELD::MDEntryPx, entries.last_trade->first.to_string());
    set(g, FIX::FIELD::MDEntrySize, entries.last_trade->second.to_string());
    m.addGroup(g);
  }
}

}  // namespace

bool is_fix44(const FIX::SessionID& session) {
  return session.getBeginString().getString() == FIX::BeginString_FIX44;
}

std::string required(const FIX::FieldMap& message, int tag) {
  if (!message.isSetField(tag)) throw FIX::FieldNotFound(tag);
  return message.getField(tag);
}

std::optional<std::string> optional(const FIX::FieldMap& message, int tag) {
  if (!message.isSetField(tag)) return std::nullopt;
  return message.getField(tag);
}

int required_int(const FIX::FieldMap& message, int tag) {
  const std::string text = required(message, tag);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw FIX::IncorrectDataFormat(tag);
  }
  return value;
}

std::optional<Side> parse_side(const std::string& text) {
  if (text == "1") return Side::kBuy;
  if (text == "2") return Side::kSell;
  return std::nullopt;
}

std::optional<OrderType> parse_ord_type(const std::string& text) {
  if (text == "1") return OrderType::kMarket;
  if (text == "2") return OrderType::kLimit;
  return std::nullopt;
}

std::optional<TimeInForce> parse_time_in_force(const std::string& text) {
  if (text == "0") return TimeInForce::kDay;
  if (text == "3") return TimeInForce::kIoc;
  if (text == "4") return TimeInForce::kFok;
  return std::nullopt;
}

char order_status(const sim::MemberOrder& order, char terminal_status) {
  if (order.done) {
    if (order.cum == order.quantity) return '2';
    return terminal_status;  // 4 canceled, C expired, 8 rejected
  }
  return order.cum.is_positive() ? '1' : '0';
}

FIX::Message execution_report(const FIX::SessionID& session, const OrderContext& context,
                              const sim::MemberOrder& order, const ExecutionFields& f) {
  const bool fix44 = is_fix44(session);
  FIX::Message m = of_type("8");
  set(m, FIX::FIELD::OrderID, f.order_id);
  set(m, FIX::FIELD::ExecID, f.exec_id);
  if (!fix44) set(m, FIX::FIELD::ExecTransType, f.status_reply ? '3' : '0');
  set(m, FIX::FIELD::ExecType, f.exec_type);
  set(m, FIX::FIELD::OrdStatus, f.ord_status);
  if (!f.cl_ord_id.empty()) set(m, FIX::FIELD::ClOrdID, f.cl_ord_id);
  if (!f.orig_cl_ord_id.empty()) set(m, FIX::FIELD::OrigClOrdID, f.orig_cl_ord_id);
  if (f.ord_rej_reason) set(m, FIX::FIELD::OrdRejReason, std::to_string(*f.ord_rej_reason));
  if (!context.account.empty()) set(m, FIX::FIELD::Account, context.account);
  set(m, FIX::FIELD::Symbol, context.symbol);
  set(m, FIX::FIELD::Side, order.side == Side::kBuy ? '1' : '2');
  set(m, FIX::FIELD::OrderQty, order.quantity.to_string());
  set(m, FIX::FIELD::OrdType, order.type == OrderType::kMarket ? '1' : '2');
  if (order.type == OrderType::kLimit) set(m, FIX::FIELD::Price, order.price.to_string());
  set(m, FIX::FIELD::TimeInForce,
      order.tif == TimeInForce::kDay   ? '0'
      : order.tif == TimeInForce::kIoc ? '3'
                                       : '4');
  if (f.last_qty.is_positive()) {
    set(m, FIX::FIELD::LastPx, f.last_px.to_string());
    set(m, FIX::FIELD::LastShares, f.last_qty.to_string());  // 4.4's LastQty: the same tag 32
  }
  set(m, FIX::FIELD::LeavesQty, order.leaves.to_string());
  set(m, FIX::FIELD::CumQty, order.cum.to_string());
  set(m, FIX::FIELD::AvgPx, order.average_price().to_string());
  set(m, FIX::FIELD::TransactTime, now_utc());
  if (!f.text.empty()) set(m, FIX::FIELD::Text, f.text);
  return m;
}

FIX::Message order_cancel_reject(const std::string& order_id, const std::string& cl_ord_id,
                                 const std::string& orig_cl_ord_id, char ord_status,
                                 char response_to, int reason, const std::string& text) {
  FIX::Message m = of_type("9");
  set(m, FIX::FIELD::OrderID, order_id);
  set(m, FIX::FIELD::ClOrdID, cl_ord_id);
  set(m, FIX::FIELD::OrigClOrdID, orig_cl_ord_id);
  set(m, FIX::FIELD::OrdStatus, ord_status);
  set(m, FIX::FIELD::CxlRejResponseTo, response_to);
  set(m, FIX::FIELD::CxlRejReason, std::to_string(reason));
  set(m, FIX::FIELD::TransactTime, now_utc());
  if (!text.empty()) set(m, FIX::FIELD::Text, text);
  return m;
}

FIX::Message snapshot(const FIX::SessionID& session, const std::string& md_req_id,
                      const std::string& symbol, const BookEntries& entries) {
  FIX::Message m = of_type("W");
  if (!md_req_id.empty()) set(m, FIX::FIELD::MDReqID, md_req_id);
  set(m, FIX::FIELD::Symbol, symbol);
  // An empty book is still a snapshot: zero entries, said explicitly.
  set(m, FIX::FIELD::NoMDEntries, std::string("0"));
  if (is_fix44(session)) {
    add_snapshot_entries<FIX44::MarketDataSnapshotFullRefresh::NoMDEntries>(m, entries);
  } else {
    add_snapshot_entries<FIX42::MarketDataSnapshotFullRefresh::NoMDEntries>(m, entries);
  }
  return m;
}

FIX::Message trade_increment(const FIX::SessionID& session, const std::string& md_req_id,
                             const std::string& symbol, Price price, Quantity qty) {
  FIX::Message m = of_type("X");
  if (!md_req_id.empty()) set(m, FIX::FIELD::MDReqID, md_req_id);
  const auto fill = [&](FIX::Group& g) {
    set(g, FIX::FIELD::MDUpdateAction, '0');
    set(g, FIX::FIELD::MDEntryType, '2');
    set(g, FIX::FIELD::Symbol, symbol);
    set(g, FIX::FIELD::MDEntryPx, price.to_string());
    set(g, FIX::FIELD::MDEntrySize, qty.to_string());
    m.addGroup(g);
  };
  if (is_fix44(session)) {
    FIX44::MarketDataIncrementalRefresh::NoMDEntries g;
    fill(g);
  } else {
    FIX42::MarketDataIncrementalRefresh::NoMDEntries g;
    fill(g);
  }
  return m;
}

FIX::Message market_data_reject(const std::string& md_req_id, char reason,
                                const std::string& text) {
  FIX::Message m = of_type("Y");
  set(m, FIX::FIELD::MDReqID, md_req_id);
  set(m, FIX::FIELD::MDReqRejReason, reason);
  if (!text.empty()) set(m, FIX::FIELD::Text, text);
  return m;
}

}  // namespace guiju::fix_venue
