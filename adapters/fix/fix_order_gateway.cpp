#include "adapters/fix/fix_order_gateway.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "adapters/fix/ring_read_budget.hpp"
#include "core/clock/clock.hpp"
#include "core/events/control_events.hpp"
#include "core/logging/log.hpp"

namespace guiju::fix {

namespace {

constexpr int kRefSeqNum = 45;
constexpr int kText = 58;
constexpr int kMsgSeqNum = 34;
constexpr int kPossDupFlag = 43;
constexpr int kBusinessRejectRefId = 379;

// engine_thread: the events the session makes without reading anything (its state going down) and a
// margin, beyond one per byte read.
constexpr size_t kRingReserve = 16;
// How long stop() lets the session log out when the engine thread reads it.
constexpr std::chrono::milliseconds kLogoutTimeout{2000};

Timestamp wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

OrderGateway::OrderGateway(const InstrumentRegistry& instruments, SpscRing<EventSlot>& to_engine,
                           OrderGatewayOptions options)
    : instruments_(instruments),
      to_engine_(to_engine),
      options_(std::move(options)),
      ids_(options_.cl_ord_id_stem) {}

OrderGateway::~OrderGateway() {
  stop();
}

void OrderGateway::start() {
  try {
    settings_ = std::make_unique<FIX::SessionSettings>(options_.settings_file);
    const std::set<FIX::SessionID> sessions = settings_->getSessions();
    if (sessions.size() != 1) {
      throw std::runtime_error(options_.settings_file +
                               ": the order session's settings must hold "
                               "exactly one session, found " +
                               std::to_string(sessions.size()));
    }
    session_ = *sessions.begin();
    begin_string_ = session_.getBeginString().getValue();
    if (begin_string_ != "FIX.4.2" && begin_string_ != "FIX.4.4") {
      throw std::runtime_error(options_.settings_file + ": BeginString " + begin_string_ +
                               " (FIX.4.2 and FIX.4.4 are supported)");
    }
    if (options_.engine_thread &&
        to_engine_.capacity() < min_ring_for_engine_thread(kRingReserve)) {
      throw std::runtime_error(
          "the order session read on the engine thread needs an inbound ring of at least " +
          std::to_string(min_ring_for_engine_thread(kRingReserve)) + " events, not " +
          std::to_string(to_engine_.capacity()) + " (engine.inbound_ring_capacity)");
    }
    store_ = std::make_unique<FIX::FileStoreFactory>(*settings_);
    // The message log is optional (FileLogPath): the audit journal records every report anyway.
    if (settings_->get().has("FileLogPath"))
      log_ = std::make_unique<FIX::FileLogFactory>(*settings_);
    if (options_.engine_thread) {
      auto polled = log_ ? std::make_unique<PolledInitiator>(*this, *store_, *settings_, *log_)
                         : std::make_unique<PolledInitiator>(*this, *store_, *settings_);
      polled_ = polled.get();
      initiator_ = std::move(polled);
    } else {
      initiator_ = log_ ? std::make_unique<FIX::SocketInitiator>(*this, *store_, *settings_, *log_)
                        : std::make_unique<FIX::SocketInitiator>(*this, *store_, *settings_);
      initiator_->start();
    }
  } catch (const FIX::ConfigError& e) {
    throw std::runtime_error(options_.settings_file + ": " + e.what());
  } catch (const FIX::RuntimeError& e) {
    throw std::runtime_error(options_.settings_file + ": " + e.what());
  }
}

void OrderGateway::stop() {
  if (!initiator_) return;
  if (polled_ != nullptr) {
    polled_->shut_down(kLogoutTimeout);
    polled_ = nullptr;
  } else {
    initiator_->stop();
  }
  initiator_.reset();
}

size_t OrderGateway::poll() {
  if (polled_ == nullptr) return 0;
  const size_t budget = ring_read_budget(to_engine_, polled_->unparsed_bytes(), kRingReserve);
  return budget == 0 ? 0 : polled_->poll(budget);  // 0: the engine drains the ring first
}

void OrderGateway::wait_fds(std::vector<pollfd>& out) const {
  if (polled_ != nullptr) polled_->wait_fds(out);
}

size_t OrderGateway::pump(SpscRing<EventSlot>& orders, size_t max) {
  return orders.pop_batch([this](const EventSlot& e) { send(e); }, max);
}

void OrderGateway::send(const EventSlot& e) {
  FIX::Message m;
  Sent what;
  switch (e.type()) {
    case EventType::kNewOrder: {
      const auto& n = e.as<NewOrder>();
      m = new_order_single(begin_string_, n, instruments_.get(n.instrument), options_.tags);
      terms_[n.order_id] = {n.type, n.tif};
      what = {0, 'D', n.order_id, kNoOrder};
      break;
    }
    case EventType::kCancelOrder: {
      const auto& c = e.as<CancelOrder>();
      m = cancel_request(begin_string_, c, instruments_.get(c.instrument),
                         ids_.cancel_id(c.client_order_id, ++cancel_attempts_), options_.tags);
      what = {0, 'F', c.order_id, kNoOrder};
      break;
    }
    case EventType::kReplaceOrder: {
      const auto& r = e.as<ReplaceOrder>();
      const auto it = terms_.find(r.order_id);
      const Terms t = it != terms_.end() ? it->second : Terms{OrderType::kLimit, TimeInForce::kDay};
      terms_[r.new_order_id] = t;
      m = cancel_replace_request(begin_string_, r, instruments_.get(r.instrument), t.type, t.tif,
                                 options_.tags);
      what = {0, 'G', r.new_order_id, r.order_id};
      break;
    }
    case EventType::kOrderStatusRequest: {
      const auto& q = e.as<OrderStatusRequest>();
      m = status_request(begin_string_, q, instruments_.get(q.instrument));
      what = {0, 'H', q.order_id, kNoOrder};
      break;
    }
    default:
      return;  // not an order message
  }
  {
    const std::lock_guard<std::mutex> lock(sent_mutex_);
    pending_ = what;
  }
  // Not logged on: QuickFIX keeps the message in its store under the next sequence number and
  // the venue's resend request after logon brings it (with PossDupFlag). The engine refuses new
  // orders while the session is down, so only messages already in flight take this path.
  FIX::Session::sendToTarget(m, session_);
  counters_.sent.fetch_add(1, std::memory_order_relaxed);
}

void OrderGateway::to_engine(const EventSlot& event) {
  // The engine drains its rings continuously; a full ring means it is behind. Wait rather than
  // drop: a lost execution report would be a lost fill. Read on the engine thread, the session
  // never reads more than the ring has room for, so the ring cannot be full here; if it were,
  // waiting would wait for ever (the thread that would drain it is this one).
  if (polled_ != nullptr) {
    if (!to_engine_.push(event)) {
      log().error(
          "FIX order session: the engine's ring is full on the engine thread; a {} was "
          "not delivered",
          to_string(event.type()));
    }
    return;
  }
  while (!to_engine_.push(event)) std::this_thread::yield();
}

void OrderGateway::session_state(bool up, const std::string& why) {
  const Timestamp now = wall_now();
  ControlCommand c;
  c.header = make_header<ControlCommand>(now, now, 0);
  c.action = up ? ControlAction::kOrderSessionUp : ControlAction::kOrderSessionDown;
  c.issued_by.assign("fix:" + session_.getTargetCompID().getValue());
  c.reason.assign(why);
  EventSlot slot;
  slot.store(c);
  to_engine(slot);
}

void OrderGateway::onCreate(const FIX::SessionID& /*session*/) {}

void OrderGateway::onLogon(const FIX::SessionID& session) {
  counters_.logons.fetch_add(1, std::memory_order_relaxed);
  logged_on_.store(true, std::memory_order_release);
  log().info("FIX order session {} logged on", session.toString());
  session_state(true, "logged on");
}

void OrderGateway::onLogout(const FIX::SessionID& session) {
  // QuickFIX calls this for a logout and for a dropped connection alike, also before the first
  // logon succeeded: only a session that was up goes down.
  if (!logged_on_.exchange(false, std::memory_order_acq_rel)) return;
  counters_.disconnects.fetch_add(1, std::memory_order_relaxed);
  log().warn("FIX order session {} down", session.toString());
  session_state(false, "disconnected");
}

void OrderGateway::toAdmin(FIX::Message& /*message*/, const FIX::SessionID& /*session*/) {}

void OrderGateway::toApp(FIX::Message& message, const FIX::SessionID& /*session*/) {
  // Resends (QuickFIX's thread) carry PossDupFlag and were logged when first sent.
  if (message.getHeader().isSetField(kPossDupFlag) &&
      message.getHeader().getField(kPossDupFlag) == "Y") {
    return;
  }
  const std::lock_guard<std::mutex> lock(sent_mutex_);
  Sent s = pending_;
  // Only what pump() handed over: a status request the gateway sends itself is not logged.
  const std::string& type = message.getHeader().getField(FIX::FIELD::MsgType);
  if (s.msg_type == 0 || type.size() != 1 || type[0] != s.msg_type) return;
  s.seq = std::stoi(message.getHeader().getField(kMsgSeqNum));
  sent_[static_cast<size_t>(s.seq) % kSentLog] = s;
  pending_ = {};
}

void OrderGateway::fromAdmin(const FIX::Message& message, const FIX::SessionID& /*session*/) {
  const std::string& type = message.getHeader().getField(FIX::FIELD::MsgType);
  if (type == "3") refused(message, "session Reject");
}

void OrderGateway::fromApp(const FIX::Message& message, const FIX::SessionID& /*session*/) {
  const std::string& type = message.getHeader().getField(FIX::FIELD::MsgType);
  const Timestamp now = wall_now();
  Inbound in;
  if (type == "8") {
    in = from_execution_report(message, ids_, instruments_, now);
  } else if (type == "9") {
    in = from_cancel_reject(message, ids_, instruments_, now);
  } else if (type == "j") {
    refused(message, "BusinessMessageReject");
    return;
  } else {
    // A message type this application does not use: say so to the venue, as the spec asks.
    throw FIX::UnsupportedMessageType();
  }
  switch (in.kind) {
    case Inbound::Kind::kReport: {
      EventSlot slot;
      slot.store(in.report);
      to_engine(slot);
      if (in.then) {
        slot.store(*in.then);
        to_engine(slot);
      }
      counters_.reports.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    case Inbound::Kind::kIgnored:
      counters_.ignored.fetch_add(1, std::memory_order_relaxed);
      return;
    case Inbound::Kind::kUnknown:
      counters_.unknown.fetch_add(1, std::memory_order_relaxed);
      log().warn("FIX {} ignored: {}", type, in.why);
      return;
    case Inbound::Kind::kMalformed:
      counters_.malformed.fetch_add(1, std::memory_order_relaxed);
      log().error("FIX {} could not be read: {}", type, in.why);
      // An execution of ours that cannot be booked (a fill without LastQty or LastPx) must not be
      // lost: the status answer's CumQty books it (the OMS reconciles).
      if (type == "8" && in.report.order_id != kNoOrder &&
          message.isSetField(FIX::FIELD::ClOrdID)) {
        ask_status(message.getField(FIX::FIELD::ClOrdID), in.report);
      }
      return;
  }
}

void OrderGateway::ask_status(const std::string& cl_ord_id, const ExecutionReport& about) {
  OrderStatusRequest q;
  q.order_id = about.order_id;
  q.instrument = about.instrument;
  q.side = about.side;
  q.client_order_id.assign(cl_ord_id);
  if (q.instrument == kNoInstrument) return;  // no Symbol: nothing to ask with
  FIX::Message h = status_request(begin_string_, q, instruments_.get(q.instrument));
  log().warn("FIX asking the status of order {} ({})", about.order_id, cl_ord_id);
  FIX::Session::sendToTarget(h, session_);
  counters_.sent.fetch_add(1, std::memory_order_relaxed);
}

void OrderGateway::refused(const FIX::Message& message, const char* what) {
  counters_.rejects.fetch_add(1, std::memory_order_relaxed);
  const std::string text = message.isSetField(kText) ? message.getField(kText) : "";
  Sent s;
  if (message.isSetField(kRefSeqNum)) {
    const int seq = std::stoi(message.getField(kRefSeqNum));
    const std::lock_guard<std::mutex> lock(sent_mutex_);
    if (sent_[static_cast<size_t>(seq) % kSentLog].seq == seq) {
      s = sent_[static_cast<size_t>(seq) % kSentLog];
    }
  }
  if (s.msg_type == 0 && message.isSetField(kBusinessRejectRefId)) {
    s.order = ids_.decode(message.getField(kBusinessRejectRefId));
    s.msg_type = 'D';
  }
  log().error("FIX {} of our {} message: {}", what, s.msg_type == 0 ? '?' : s.msg_type, text);
  if (s.order == kNoOrder || s.msg_type == 'H') return;
  // The refused message never reached the venue's order book: a refused order is rejected, a
  // refused cancel or replace leaves the order working.
  const Timestamp now = wall_now();
  ExecutionReport r;
  r.header = make_header<ExecutionReport>(now, now, 0);
  r.order_id = s.order;
  r.orig_order_id = s.original;
  r.exec_type = s.msg_type == 'D' ? ExecType::kRejected : ExecType::kCancelRejected;
  r.reject_code = RejectCode::kVenueRejected;
  r.reason.assign(std::string(what) + ": " + text);
  EventSlot slot;
  slot.store(r);
  to_engine(slot);
}

}  // namespace guiju::fix
