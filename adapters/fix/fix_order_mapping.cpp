#include "adapters/fix/fix_order_mapping.hpp"

#include <charconv>
#include <cstdio>

#include "core/clock/calendar.hpp"

namespace guiju::fix {

namespace {

// Tags, by number: the same in FIX 4.2 and 4.4.
constexpr int kAccount = 1;
constexpr int kAvgPx = 6;
constexpr int kClOrdId = 11;
constexpr int kCumQty = 14;
constexpr int kExecId = 17;
constexpr int kExecTransType = 20;  // 4.2 only
constexpr int kHandlInst = 21;
constexpr int kLastPx = 31;
constexpr int kLastQty = 32;
constexpr int kOrderQty = 38;
constexpr int kOrdStatus = 39;
constexpr int kOrdType = 40;
constexpr int kOrigClOrdId = 41;
constexpr int kPrice = 44;
constexpr int kSide = 54;
constexpr int kSymbol = 55;
constexpr int kText = 58;
constexpr int kTimeInForce = 59;
constexpr int kTransactTime = 60;
constexpr int kExecType = 150;
constexpr int kLeavesQty = 151;

bool is_fix42(const std::string& begin_string) {
  return begin_string == "FIX.4.2";
}

// "YYYYMMDD-HH:MM:SS.sss", UTC, as FIX UTCTimestamp.
std::string utc_timestamp(Timestamp t) {
  const int64_t days = t / (86'400 * kSecond);
  const int64_t in_day = t % (86'400 * kSecond);
  const CivilDate d = civil_from_days(days);
  const int64_t ms = in_day / kMillisecond;
  char buf[64];  // room for any int64 fields: the compiler checks the widest case
  std::snprintf(buf, sizeof buf, "%04d%02u%02u-%02d:%02d:%02d.%03d", static_cast<int>(d.year),
                static_cast<unsigned>(d.month), static_cast<unsigned>(d.day),
                static_cast<int>(ms / 3'600'000), static_cast<int>(ms / 60'000 % 60),
                static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
  return buf;
}

FIX::Message start(const std::string& begin_string, const char* msg_type) {
  FIX::Message m;
  m.getHeader().setField(FIX::BeginString(begin_string));
  m.getHeader().setField(FIX::MsgType(msg_type));
  return m;
}

void set(FIX::Message& m, int tag, const std::string& value) {
  m.setField(tag, value);
}

void add_account_and_custom(FIX::Message& m, AccountId account, const OrderTags& tags) {
  if (account < tags.account_values.size() && !tags.account_values[account].empty()) {
    set(m, kAccount, tags.account_values[account]);
  }
  for (const auto& [tag, value] : tags.custom) set(m, tag, value);
}

const char* side_code(Side s) {
  return s == Side::kBuy ? "1" : "2";
}
const char* ord_type_code(OrderType t) {
  return t == OrderType::kMarket ? "1" : "2";
}
const char* tif_code(TimeInForce t) {
  switch (t) {
    case TimeInForce::kDay:
      return "0";
    case TimeInForce::kIoc:
      return "3";
    case TimeInForce::kFok:
      return "4";
  }
  return "0";
}

// Reads a decimal field exactly; false when absent or malformed.
template <typename Fixed>
bool read_fixed(const FIX::Message& m, int tag, Fixed& out) {
  if (!m.isSetField(tag)) return false;
  const auto v = Fixed::parse(m.getField(tag));
  if (!v) return false;
  out = *v;
  return true;
}

char char_field(const FIX::Message& m, int tag) {
  if (!m.isSetField(tag)) return '\0';
  const std::string& v = m.getField(tag);
  return v.size() == 1 ? v[0] : '\0';
}

Inbound malformed(std::string why) {
  Inbound in;
  in.kind = Inbound::Kind::kMalformed;
  in.why = std::move(why);
  return in;
}

// The order a report is about, by ClOrdID (or OrigClOrdID where the spec puts the order's own id
// there), its instrument and side; false with `in` set when it cannot be known.
bool identify(const FIX::Message& m, const ClOrdIdCodec& ids, const InstrumentRegistry& instruments,
              int id_tag, ExecutionReport& r, Inbound& in) {
  if (!m.isSetField(id_tag)) {
    in = malformed("missing tag " + std::to_string(id_tag));
    return false;
  }
  r.order_id = ids.decode(m.getField(id_tag));
  if (r.order_id == kNoOrder) {
    in.kind = Inbound::Kind::kUnknown;
    in.why = "ClOrdID '" + m.getField(id_tag) + "' is not this engine's";
    return false;
  }
  if (m.isSetField(kSymbol)) {
    const auto id = instruments.id_of(m.getField(kSymbol));
    if (!id) {
      in.kind = Inbound::Kind::kUnknown;
      in.why = "unknown Symbol '" + m.getField(kSymbol) + "'";
      return false;
    }
    r.instrument = *id;
  }
  const char side = char_field(m, kSide);
  if (side == '1') r.side = Side::kBuy;
  if (side == '2') r.side = Side::kSell;
  return true;
}

}  // namespace

OrderId ClOrdIdCodec::decode(std::string_view id) const {
  if (id.size() <= stem_.size() || id.substr(0, stem_.size()) != stem_) return kNoOrder;
  std::string_view digits = id.substr(stem_.size());
  if (const size_t c = digits.find('C'); c != std::string_view::npos) digits = digits.substr(0, c);
  OrderId order = kNoOrder;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), order);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) return kNoOrder;
  return order;
}

std::string ClOrdIdCodec::cancel_id(const ClientOrderId& order, uint64_t attempt) const {
  std::string id(order.view());
  id += 'C';
  id += std::to_string(attempt);
  return id;
}

uint64_t exec_id_of(std::string_view exec_id) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : exec_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h == 0 ? 1 : h;  // 0 means "no exec id" to the OMS
}

FIX::Message new_order_single(const std::string& begin_string, const NewOrder& order,
                              const Instrument& instrument, const OrderTags& tags) {
  FIX::Message m = start(begin_string, "D");
  set(m, kClOrdId, std::string(order.client_order_id.view()));
  if (is_fix42(begin_string)) set(m, kHandlInst, tags.handl_inst);
  set(m, kSymbol, instrument.symbol);
  set(m, kSide, side_code(order.side));
  set(m, kTransactTime, utc_timestamp(order.header.event_time));
  set(m, kOrderQty, order.quantity.to_string());
  set(m, kOrdType, ord_type_code(order.type));
  if (order.type == OrderType::kLimit) set(m, kPrice, order.price.to_string());
  set(m, kTimeInForce, tif_code(order.tif));
  add_account_and_custom(m, order.account, tags);
  return m;
}

FIX::Message cancel_request(const std::string& begin_string, const CancelOrder& cancel,
                            const Instrument& instrument, const std::string& cancel_cl_ord_id,
                            const OrderTags& tags) {
  FIX::Message m = start(begin_string, "F");
  set(m, kOrigClOrdId, std::string(cancel.client_order_id.view()));
  set(m, kClOrdId, cancel_cl_ord_id);
  set(m, kSymbol, instrument.symbol);
  set(m, kSide, side_code(cancel.side));
  set(m, kTransactTime, utc_timestamp(cancel.header.event_time));
  add_account_and_custom(m, cancel.account, tags);
  return m;
}

FIX::Message cancel_replace_request(const std::string& begin_string, const ReplaceOrder& replace,
                                    const Instrument& instrument, OrderType type, TimeInForce tif,
                                    const OrderTags& tags) {
  FIX::Message m = start(begin_string, "G");
  set(m, kOrigClOrdId, std::string(replace.client_order_id.view()));
  set(m, kClOrdId, std::string(replace.new_client_order_id.view()));
  if (is_fix42(begin_string)) set(m, kHandlInst, tags.handl_inst);
  set(m, kSymbol, instrument.symbol);
  set(m, kSide, side_code(replace.side));
  set(m, kTransactTime, utc_timestamp(replace.header.event_time));
  set(m, kOrderQty, replace.new_quantity.to_string());
  set(m, kOrdType, ord_type_code(type));
  if (type == OrderType::kLimit) set(m, kPrice, replace.new_price.to_string());
  set(m, kTimeInForce, tif_code(tif));
  add_account_and_custom(m, replace.account, tags);
  return m;
}

FIX::Message status_request(const std::string& begin_string, const OrderStatusRequest& request,
                            const Instrument& instrument) {
  FIX::Message m = start(begin_string, "H");
  set(m, kClOrdId, std::string(request.client_order_id.view()));
  set(m, kSymbol, instrument.symbol);
  set(m, kSide, side_code(request.side));
  return m;
}

Inbound from_execution_report(const FIX::Message& m, const ClOrdIdCodec& ids,
                              const InstrumentRegistry& instruments, Timestamp now) {
  Inbound in;
  ExecutionReport& r = in.report;
  r.header = make_header<ExecutionReport>(now, now, 0);
  const char exec_type = char_field(m, kExecType);
  const char ord_status = char_field(m, kOrdStatus);
  if (exec_type == '\0') return malformed("missing or malformed ExecType(150)");
  if (!m.isSetField(kExecId)) return malformed("missing ExecID(17)");
  // Canceled and Replaced name the order's earlier id in OrigClOrdID; the rest use ClOrdID
  // (for a cancel, the cancel request's own id "...C<n>", which decodes to the same order).
  const bool use_orig = exec_type == '4' && m.isSetField(kOrigClOrdId);
  if (!identify(m, ids, instruments, use_orig ? kOrigClOrdId : kClOrdId, r, in)) return in;
  r.exec_id = exec_id_of(m.getField(kExecId));
  read_fixed(m, kLeavesQty, r.leaves_qty);
  read_fixed(m, kCumQty, r.cum_qty);
  read_fixed(m, kPrice, r.order_price);
  read_fixed(m, kOrderQty, r.order_qty);
  if (m.isSetField(kText)) r.reason.assign(m.getField(kText));
  // 4.2 status answers say so in ExecTransType(20)=3; 4.4 in ExecType=I.
  const bool status = exec_type == 'I' || char_field(m, kExecTransType) == '3';
  auto fill = [&]() -> Inbound {
    if (!read_fixed(m, kLastPx, r.last_price) || !read_fixed(m, kLastQty, r.last_qty) ||
        !r.last_qty.is_positive()) {
      // The order is known (the caller can ask for its status): keep the report's identity.
      in.kind = Inbound::Kind::kMalformed;
      in.why = "a fill without a positive LastQty(32) and a LastPx(31)";
      return in;
    }
    r.exec_type = ord_status == '2' || (m.isSetField(kLeavesQty) && r.leaves_qty.is_zero())
                      ? ExecType::kFill
                      : ExecType::kPartialFill;
    in.kind = Inbound::Kind::kReport;
    return in;
  };
  if (status) {
    // What the venue holds, not an execution: the OMS books whatever CumQty shows that it has not
    // seen (fills missed while disconnected), then a terminal state ends the order.
    in.kind = Inbound::Kind::kReport;
    r.exec_id = 0;
    if (ord_status == '8') {  // rejected, or unknown to the venue: nothing executed
      r.exec_type = ExecType::kRejected;
      r.reject_code = RejectCode::kVenueRejected;
      return in;
    }
    r.exec_type = ExecType::kStatus;
    if (!read_fixed(m, kAvgPx, r.last_price) && r.cum_qty.is_positive()) {
      return malformed("a status answer with CumQty(14) but no AvgPx(6)");
    }
    if (ord_status == '4' || ord_status == 'C') {
      ExecutionReport end = r;
      end.exec_type = ord_status == '4' ? ExecType::kCanceled : ExecType::kExpired;
      end.last_price = Price::zero();
      in.then = end;
    }
    return in;
  }
  switch (exec_type) {
    case '0':
      r.exec_type = ExecType::kAck;
      in.kind = Inbound::Kind::kReport;
      return in;
    case '1':  // 4.2 partial fill
    case '2':  // 4.2 fill
    case 'F':  // 4.4 trade
      return fill();
    case '4':
      r.exec_type = ExecType::kCanceled;
      in.kind = Inbound::Kind::kReport;
      return in;
    case '5': {
      r.exec_type = ExecType::kReplaced;
      if (!m.isSetField(kOrigClOrdId)) return malformed("Replaced without OrigClOrdID(41)");
      r.orig_order_id = ids.decode(m.getField(kOrigClOrdId));
      in.kind = Inbound::Kind::kReport;
      return in;
    }
    case '8':
      r.exec_type = ExecType::kRejected;
      r.reject_code = RejectCode::kVenueRejected;
      in.kind = Inbound::Kind::kReport;
      return in;
    case 'C':  // expired
    case '3':  // done for day: the order is over either way
      r.exec_type = ExecType::kExpired;
      in.kind = Inbound::Kind::kReport;
      return in;
    default:  // A pending new, 6 pending cancel, E pending replace, D restated, ...
      in.kind = Inbound::Kind::kIgnored;
      in.why = std::string("ExecType ") + exec_type;
      return in;
  }
}

Inbound from_cancel_reject(const FIX::Message& m, const ClOrdIdCodec& ids,
                           const InstrumentRegistry& instruments, Timestamp now) {
  Inbound in;
  ExecutionReport& r = in.report;
  r.header = make_header<ExecutionReport>(now, now, 0);
  // The order that keeps working is OrigClOrdID; for a refused replace, ClOrdID is the
  // replacement that never went live.
  if (!identify(m, ids, instruments, kOrigClOrdId, r, in)) return in;
  r.exec_type = ExecType::kCancelRejected;
  r.reject_code = RejectCode::kVenueRejected;
  if (char_field(m, 434) == '2' && m.isSetField(kClOrdId)) {  // CxlRejResponseTo: replace
    r.orig_order_id = r.order_id;
    r.order_id = ids.decode(m.getField(kClOrdId));
  }
  if (m.isSetField(kText)) r.reason.assign(m.getField(kText));
  in.kind = Inbound::Kind::kReport;
  return in;
}

}  // namespace guiju::fix
