#include "adapters/fix/fix_venue_application.hpp"

#include <chrono>

#include "core/logging/log.hpp"

namespace guiju::fix_venue {

namespace {

// FIX 4.2 OrdRejReason 0 is "broker option"; 4.4 has 99 "other" for a reason it does not list.
int other_reason(const FIX::SessionID& session) {
  return is_fix44(session) ? 99 : 0;
}

}  // namespace

VenueApplication::VenueApplication(const InstrumentRegistry& instruments,
                                   sim::ExchangeOptions options)
    : exchange_(instruments, *this, options), last_trade_(instruments.size()) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  exec_prefix_ = std::to_string(seconds) + "-";
}

void VenueApplication::onLogon(const FIX::SessionID& session) {
  log().info("venue: {} logged on", session.toString());
}

void VenueApplication::onLogout(const FIX::SessionID& session) {
  log().info("venue: {} logged out with {} orders working", session.toString(),
             working_orders(session));
  // Market data stops with the session; orders stay working, as on an exchange without
  // cancel-on-disconnect.
  std::erase_if(subscriptions_, [&](const Subscription& s) { return s.session == session; });
}

size_t VenueApplication::working_orders(const FIX::SessionID& session) const {
  size_t n = 0;
  for (const auto& [id, context] : orders_) {
    const sim::MemberOrder* o = exchange_.order(id);
    if (context.session == session && o != nullptr && !o->done) ++n;
  }
  return n;
}

void VenueApplication::send(FIX::Message& m, const FIX::SessionID& session) {
  try {
    FIX::Session::sendToTarget(m, session);
  } catch (const FIX::SessionNotFound&) {
    log().warn("venue: no session {} to send to", session.toString());
  }
}

std::string VenueApplication::key(const FIX::SessionID& session,
                                  const std::string& cl_ord_id) const {
  return session.toString() + '\x01' + cl_ord_id;
}

std::string VenueApplication::next_exec_id() {
  return exec_prefix_ + std::to_string(++exec_ids_);
}

AccountId VenueApplication::account_of(const std::string& name) {
  const auto [it, added] = accounts_.emplace(name, static_cast<AccountId>(accounts_.size() + 1));
  if (added) log().info("venue: account '{}' is venue account {}", name, it->second);
  return it->second;
}

void VenueApplication::fromApp(const FIX::Message& message, const FIX::SessionID& session) {
  const std::string type = message.getHeader().getField(FIX::FIELD::MsgType);
  if (type == "D") {
    on_new_order(message, session);
  } else if (type == "F") {
    on_cancel_or_replace(message, session, 'F');
  } else if (type == "G") {
    on_cancel_or_replace(message, session, 'G');
  } else if (type == "H") {
    on_status_request(message, session);
  } else if (type == "V") {
    on_market_data_request(message, session);
  } else {
    // QuickFIX answers with a BusinessMessageReject, reason 3 (unsupported message type).
    throw FIX::UnsupportedMessageType();
  }
}

void VenueApplication::on_new_order(const FIX::Message& m, const FIX::SessionID& session) {
  // Missing fields throw FIX::FieldNotFound: QuickFIX answers with a BusinessMessageReject,
  // reason 5 (conditionally required field missing), naming the tag.
  const std::string cl_ord_id = required(m, FIX::FIELD::ClOrdID);
  const std::string symbol = required(m, FIX::FIELD::Symbol);
  const std::optional<Side> side = parse_side(required(m, FIX::FIELD::Side));
  if (!side) throw FIX::IncorrectTagValue(FIX::FIELD::Side);
  const std::optional<OrderType> type = parse_ord_type(required(m, FIX::FIELD::OrdType));
  if (!type) throw FIX::IncorrectTagValue(FIX::FIELD::OrdType);
  const std::optional<std::string> tif_text = optional(m, FIX::FIELD::TimeInForce);
  const std::optional<TimeInForce> tif =
      tif_text ? parse_time_in_force(*tif_text) : TimeInForce::kDay;
  if (!tif) throw FIX::IncorrectTagValue(FIX::FIELD::TimeInForce);
  const std::optional<Quantity> qty = Quantity::parse(required(m, FIX::FIELD::OrderQty));
  if (!qty) throw FIX::IncorrectTagValue(FIX::FIELD::OrderQty);
  std::optional<Price> price = Price::zero();
  if (*type == OrderType::kLimit) {
    price = Price::parse(required(m, FIX::FIELD::Price));
    if (!price) throw FIX::IncorrectTagValue(FIX::FIELD::Price);
  }

  Request r;
  r.kind = 'D';
  r.session = session;
  r.cl_ord_id = cl_ord_id;
  r.context.session = session;
  r.context.cl_ord_id = cl_ord_id;
  r.context.account = optional(m, FIX::FIELD::Account).value_or("");
  r.context.symbol = symbol;

  if (by_cl_ord_id_.contains(key(session, cl_ord_id))) {
    // A ClOrdID is unique per session for the day: refuse the duplicate without touching the
    // order that has it.
    sim::MemberOrder refused;
    refused.side = *side;
    refused.type = *type;
    refused.price = *price;
    refused.quantity = *qty;
    refused.done = true;
    ExecutionFields f;
    f.exec_type = '8';
    f.ord_status = '8';
    f.exec_id = next_exec_id();
    f.order_id = "NONE";
    f.cl_ord_id = cl_ord_id;
    f.ord_rej_reason = 6;  // duplicate order
    f.text = "duplicate ClOrdID";
    FIX::Message er = execution_report(session, r.context, refused, f);
    send(er, session);
    return;
  }

  sim::OrderRequest o;
  o.account = account_of(r.context.account.empty() ? session.getTargetCompID().getString()
                                                   : r.context.account);
  const std::optional<InstrumentId> instrument = exchange_.instruments().id_of(symbol);
  o.instrument = instrument.value_or(kNoInstrument);
  o.side = *side;
  o.type = *type;
  o.tif = *tif;
  o.price = *price;
  o.quantity = *qty;
  request_ = std::move(r);
  const sim::VenueOrderId id = exchange_.submit(o);
  by_cl_ord_id_[key(session, cl_ord_id)] = id;
  request_ = Request{};
}

void VenueApplication::on_cancel_or_replace(const FIX::Message& m, const FIX::SessionID& session,
                                            char kind) {
  const std::string cl_ord_id = required(m, FIX::FIELD::ClOrdID);
  const std::string orig = required(m, FIX::FIELD::OrigClOrdID);
  const char response_to = kind == 'F' ? '1' : '2';
  const auto it = by_cl_ord_id_.find(key(session, orig));
  const sim::MemberOrder* order = it == by_cl_ord_id_.end() ? nullptr : exchange_.order(it->second);
  if (!order) {
    FIX::Message reject =
        order_cancel_reject("NONE", cl_ord_id, orig, '8', response_to, 1, "unknown order");
    send(reject, session);
    return;
  }
  Request r;
  r.kind = kind;
  r.session = session;
  r.cl_ord_id = cl_ord_id;
  r.orig_cl_ord_id = orig;
  r.order = order->id;
  request_ = std::move(r);
  if (kind == 'F') {
    exchange_.cancel(order->id);
  } else {
    const std::optional<Quantity> qty = Quantity::parse(required(m, FIX::FIELD::OrderQty));
    if (!qty) throw FIX::IncorrectTagValue(FIX::FIELD::OrderQty);
    std::optional<Price> price = order->price;
    if (order->type == OrderType::kLimit) {
      price = Price::parse(required(m, FIX::FIELD::Price));
      if (!price) throw FIX::IncorrectTagValue(FIX::FIELD::Price);
    }
    exchange_.replace(order->id, *price, *qty);
  }
  request_ = Request{};
}

void VenueApplication::on_status_request(const FIX::Message& m, const FIX::SessionID& session) {
  const std::string cl_ord_id = required(m, FIX::FIELD::ClOrdID);
  const auto it = by_cl_ord_id_.find(key(session, cl_ord_id));
  const sim::MemberOrder* order = it == by_cl_ord_id_.end() ? nullptr : exchange_.order(it->second);
  ExecutionFields f;
  f.exec_id = next_exec_id();
  f.cl_ord_id = cl_ord_id;
  f.status_reply = true;
  if (!order) {
    // Unknown to the venue: a status of Rejected, as the specification's order-status scenario
    // prescribes, with nothing else to tell.
    OrderContext context;
    context.symbol = optional(m, FIX::FIELD::Symbol).value_or("");
    context.account = optional(m, FIX::FIELD::Account).value_or("");
    sim::MemberOrder unknown;
    unknown.side = parse_side(required(m, FIX::FIELD::Side)).value_or(Side::kBuy);
    unknown.type = OrderType::kMarket;  // no Price to state
    unknown.done = true;
    f.order_id = "NONE";
    f.ord_status = '8';
    f.exec_type = is_fix44(session) ? 'I' : '8';
    f.text = "unknown order";
    FIX::Message er = execution_report(session, context, unknown, f);
    send(er, session);
    return;
  }
  const OrderContext& context = orders_.at(order->id);
  f.order_id = order_id(order->id);
  f.ord_status = context.status;
  // 4.4: ExecType I (order status); 4.2 has none and repeats the OrdStatus, with ExecTransType 3.
  f.exec_type = is_fix44(session) ? 'I' : context.status;
  FIX::Message er = execution_report(session, context, *order, f);
  send(er, session);
}

void VenueApplication::on_order_event(const sim::OrderEvent& e) {
  const sim::MemberOrder& order = *e.order;
  auto it = orders_.find(order.id);
  if (it == orders_.end()) {
    if (request_.kind != 'D') return;  // not ours to report (cannot happen: members only)
    it = orders_.emplace(order.id, request_.context).first;
  }
  OrderContext& context = it->second;
  const FIX::SessionID& session = context.session;
  const bool fix44 = is_fix44(session);
  const bool answering =
      (request_.kind == 'F' || request_.kind == 'G') && request_.order == order.id;

  if (e.kind == sim::OrderEventKind::kCancelRejected ||
      e.kind == sim::OrderEventKind::kReplaceRejected) {
    const char response_to = e.kind == sim::OrderEventKind::kCancelRejected ? '1' : '2';
    const int reason = order.done ? 0 : 2;  // 0 too late to cancel, 2 broker/exchange option
    FIX::Message reject =
        order_cancel_reject(order_id(order.id), answering ? request_.cl_ord_id : context.cl_ord_id,
                            answering ? request_.orig_cl_ord_id : context.cl_ord_id, context.status,
                            response_to, reason, std::string(e.text));
    send(reject, session);
    return;
  }

  ExecutionFields f;
  f.exec_id = next_exec_id();
  f.order_id = order_id(order.id);
  f.cl_ord_id = context.cl_ord_id;
  f.text = std::string(e.text);
  char terminal = context.status;
  switch (e.kind) {
    case sim::OrderEventKind::kNew:
      f.exec_type = '0';
      break;
    case sim::OrderEventKind::kTrade:
      f.exec_type = fix44 ? 'F' : (order.done ? '2' : '1');
      f.last_px = e.last_price;
      f.last_qty = e.last_qty;
      break;
    case sim::OrderEventKind::kCanceled:
      f.exec_type = '4';
      terminal = '4';
      if (answering) {
        f.cl_ord_id = request_.cl_ord_id;
        f.orig_cl_ord_id = context.cl_ord_id;
        context.cl_ord_id = request_.cl_ord_id;
        by_cl_ord_id_[key(session, request_.cl_ord_id)] = order.id;
      }
      break;
    case sim::OrderEventKind::kReplaced:
      f.exec_type = '5';
      f.cl_ord_id = request_.cl_ord_id;
      f.orig_cl_ord_id = context.cl_ord_id;
      context.cl_ord_id = request_.cl_ord_id;
      by_cl_ord_id_[key(session, request_.cl_ord_id)] = order.id;
      break;
    case sim::OrderEventKind::kRejected:
      f.exec_type = '8';
      terminal = '8';
      f.ord_rej_reason = e.unknown_symbol                              ? 1
                         : e.text.find("market closed") != e.text.npos ? 2
                                                                       : other_reason(session);
      break;
    case sim::OrderEventKind::kExpired:
      f.exec_type = 'C';
      terminal = 'C';
      break;
    default:
      return;
  }
  context.status = order_status(order, terminal);
  // 4.2 reports a replace with OrdStatus 5 (replaced); 4.4 has no such status: the order's own.
  f.ord_status = (!fix44 && e.kind == sim::OrderEventKind::kReplaced) ? '5' : context.status;
  FIX::Message er = execution_report(session, context, order, f);
  send(er, session);
  if (e.kind == sim::OrderEventKind::kTrade && trade_log_) {
    const std::string member = session.getTargetCompID().getValue();
    const bool written =
        trade_log_->record({member, context.account, f.cl_ord_id, f.order_id, f.exec_id,
                            context.symbol, order.side, e.last_qty, e.last_price, order.cum});
    if (!written && !trade_log_failed_) {
      trade_log_failed_ = true;
      log().error("venue trade log {}: cannot write; executions are still reported over FIX",
                  trade_log_->path());
    }
  }
}

void VenueApplication::on_market_data_request(const FIX::Message& m,
                                              const FIX::SessionID& session) {
  const std::string md_req_id = required(m, FIX::FIELD::MDReqID);
  const std::string type = required(m, FIX::FIELD::SubscriptionRequestType);
  if (type == "2") {
    std::erase_if(subscriptions_, [&](const Subscription& s) {
      return s.session == session && s.md_req_id == md_req_id;
    });
    return;
  }
  if (type != "0" && type != "1") throw FIX::IncorrectTagValue(FIX::FIELD::SubscriptionRequestType);
  for (const Subscription& s : subscriptions_) {
    if (s.session == session && s.md_req_id == md_req_id) {
      FIX::Message y = market_data_reject(md_req_id, '1', "duplicate MDReqID");
      send(y, session);
      return;
    }
  }
  Subscription base;
  base.session = session;
  base.md_req_id = md_req_id;
  const int depth = required_int(m, FIX::FIELD::MarketDepth);
  base.depth = depth > 0 ? static_cast<size_t>(depth) : 0;
  const int types = required_int(m, FIX::FIELD::NoMDEntryTypes);
  for (int i = 1; i <= types; ++i) {
    FIX::Group g(FIX::FIELD::NoMDEntryTypes, FIX::FIELD::MDEntryType);
    m.getGroup(static_cast<unsigned>(i), g);
    const std::string t = required(g, FIX::FIELD::MDEntryType);
    base.bids = base.bids || t == "0";
    base.offers = base.offers || t == "1";
    base.trades = base.trades || t == "2";
  }
  // Every symbol must be known before any is answered: the request stands or falls whole.
  std::vector<Subscription> wanted;
  const int symbols = required_int(m, FIX::FIELD::NoRelatedSym);
  for (int i = 1; i <= symbols; ++i) {
    FIX::Group g(FIX::FIELD::NoRelatedSym, FIX::FIELD::Symbol);
    m.getGroup(static_cast<unsigned>(i), g);
    const std::string symbol = required(g, FIX::FIELD::Symbol);
    const std::optional<InstrumentId> id = exchange_.instruments().id_of(symbol);
    if (!id) {
      FIX::Message y = market_data_reject(md_req_id, '0', "unknown symbol " + symbol);
      send(y, session);
      return;
    }
    Subscription s = base;
    s.instrument = *id;
    wanted.push_back(s);
  }
  for (const Subscription& s : wanted) {
    send_snapshot(s);
    if (type == "1") subscriptions_.push_back(s);
  }
}

void VenueApplication::send_snapshot(const Subscription& s) {
  BookEntries entries;
  const size_t levels = s.depth == 0 ? SIZE_MAX : s.depth;
  if (s.bids) entries.bids = exchange_.depth(s.instrument, Side::kBuy, levels);
  if (s.offers) entries.offers = exchange_.depth(s.instrument, Side::kSell, levels);
  if (s.trades && last_trade_[s.instrument].second.is_positive()) {
    entries.last_trade = last_trade_[s.instrument];
  }
  const std::string& symbol = exchange_.instruments().get(s.instrument).symbol;
  FIX::Message w = snapshot(s.session, s.md_req_id, symbol, entries);
  send(w, s.session);
}

void VenueApplication::on_book_changed(InstrumentId instrument) {
  for (const Subscription& s : subscriptions_) {
    if (s.instrument == instrument && (s.bids || s.offers)) send_snapshot(s);
  }
}

void VenueApplication::on_public_trade(InstrumentId instrument, Price price, Quantity qty,
                                       Timestamp /*t*/) {
  if (instrument < last_trade_.size()) last_trade_[instrument] = {price, qty};
  for (const Subscription& s : subscriptions_) {
    if (s.instrument != instrument || !s.trades) continue;
    FIX::Message x = trade_increment(s.session, s.md_req_id,
                                     exchange_.instruments().get(instrument).symbol, price, qty);
    send(x, s.session);
  }
}

}  // namespace guiju::fix_venue
