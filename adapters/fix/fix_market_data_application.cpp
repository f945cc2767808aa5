#include "adapters/fix/fix_market_data_application.hpp"

#include <stdexcept>

#include "core/clock/clock.hpp"
#include "core/logging/log.hpp"

namespace guiju {

FixMarketDataApplication::FixMarketDataApplication(const InstrumentRegistry& registry,
                                                   const std::vector<InstrumentId>& instruments,
                                                   MarketDataSink& sink,
                                                   FixMarketDataCounters& counters, SourceId source)
    : registry_(registry),
      sink_(sink),
      source_(source),
      counters_(counters),
      mapper_(registry, instruments, sink, counters, source),
      slots_(new InstrumentSlot[registry.size()]),
      slot_count_(registry.size()) {}

void FixMarketDataApplication::assign(const FIX::SessionID& session,
                                      const std::vector<InstrumentId>& instruments) {
  const auto version = fix_version_of(session.getBeginString().getString());
  if (!version) {
    throw std::invalid_argument("FIX market data session " + session.toString() +
                                ": BeginString must be FIX.4.2 or FIX.4.4");
  }
  const int index = static_cast<int>(sessions_.size());
  for (const InstrumentId id : instruments) {
    if (!mapper_.handles(id)) {
      throw std::invalid_argument("FIX market data session " + session.toString() +
                                  ": instrument " + std::to_string(id) + " is not configured");
    }
    if (slots_[id].session >= 0) {
      throw std::invalid_argument("FIX market data: " + registry_.get(id).symbol +
                                  " is assigned to more than one session");
    }
    slots_[id].session = index;
  }
  sessions_.push_back({session, *version, instruments, false});
}

FixMarketDataApplication::SessionState* FixMarketDataApplication::session_of(
    const FIX::SessionID& id) {
  for (SessionState& s : sessions_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

void FixMarketDataApplication::send(const SessionState& session, InstrumentId id, uint32_t n,
                                    char type) {
  const std::string& symbol = registry_.get(id).symbol;
  FIX::Message request =
      build_market_data_request(session.version, market_data_request_id(symbol, n), symbol, type);
  // sendToTarget locks the session, so it is safe from unsubscribe()'s thread too. False when
  // the session is not logged on: the subscription is gone with the connection anyway.
  if (FIX::Session::sendToTarget(request, session.id)) {
    counters_.bump(FixMarketDataCounters::kRequests);
  }
}

void FixMarketDataApplication::subscribe(const SessionState& session, InstrumentId id) {
  const uint32_t n = slots_[id].requests.fetch_add(1, std::memory_order_acq_rel) + 1;
  // Mapped before it is sent, so that an answer cannot arrive for an id not yet known.
  mapper_.subscribed(id, market_data_request_id(registry_.get(id).symbol, n));
  send(session, id, n, kSubscribe);
}

void FixMarketDataApplication::onLogon(const FIX::SessionID& id) {
  SessionState* session = session_of(id);
  if (!session) return;
  counters_.bump(FixMarketDataCounters::kLogons);
  if (session->logged_on_before) counters_.bump(FixMarketDataCounters::kReconnects);
  session->logged_on_before = true;
  sweep_unsubscribes(utc_now());
  log().info("FIX market data: {} logged on; subscribing to {} instruments", id.toString(),
             session->instruments.size());
  session_state(id, ControlAction::kMarketDataSessionUp, "logged on");
  for (const InstrumentId instrument : session->instruments) {
    if (slots_[instrument].wanted.load(std::memory_order_acquire)) subscribe(*session, instrument);
  }
}

// Called on a logout and on any disconnect of a logged-on session. The venue's subscriptions end
// with the connection, and whatever it publishes until the next logon is lost, so no book can be
// trusted any more: each is emptied (an empty BookUpdate, see FixMarketDataMapper::mark_stale) and
// stays so until the snapshot that follows the re-subscription at the next logon.
void FixMarketDataApplication::onLogout(const FIX::SessionID& id) {
  SessionState* session = session_of(id);
  if (!session) return;
  const Timestamp now = utc_now();
  sweep_unsubscribes(now);
  log().warn("FIX market data: {} logged out; its {} instruments are stale until re-subscribed",
             id.toString(), session->instruments.size());
  for (const InstrumentId instrument : session->instruments) {
    if (mapper_.is_subscribed(instrument)) mapper_.mark_stale(instrument, now);
  }
  session_state(id, ControlAction::kMarketDataSessionDown, "logged out");
}

void FixMarketDataApplication::session_state(const FIX::SessionID& id, ControlAction action,
                                             const char* why) {
  const Timestamp now = utc_now();
  ControlCommand c;
  c.header = make_header<ControlCommand>(now, now, source_);
  c.action = action;
  c.issued_by.assign("fix:" + id.getTargetCompID().getValue());
  c.reason.assign(why);
  sink_.publish_session(c);
}

void FixMarketDataApplication::fromAdmin(const FIX::Message&, const FIX::SessionID&) {
  // Heartbeats arrive at least every HeartBtInt: a quiet market still applies unsubscribes.
  sweep_unsubscribes(utc_now());
}

void FixMarketDataApplication::fromApp(const FIX::Message& message, const FIX::SessionID& id) {
  const Timestamp receive_time = utc_now();
  sweep_unsubscribes(receive_time);
  // Nothing may escape into QuickFIX: an exception from fromApp makes it reject or drop the
  // message, or end the session. Count it and carry on with the next message.
  try {
    mapper_.on_message(message, receive_time);
    std::vector<InstrumentId>& resyncs = mapper_.resyncs();
    if (!resyncs.empty()) {
      for (const InstrumentId instrument : resyncs) {
        // The venue keeps the old subscription until told: end it, then ask again for a fresh
        // snapshot under a new MDReqID (answers to the old one are no longer mapped).
        if (slots_[instrument].session < 0) continue;
        const SessionState& owner = sessions_[static_cast<size_t>(slots_[instrument].session)];
        send(owner, instrument, slots_[instrument].requests.load(std::memory_order_acquire),
             kUnsubscribe);
        subscribe(owner, instrument);
      }
      resyncs.clear();
    }
  } catch (const std::exception& e) {
    counters_.bump(FixMarketDataCounters::kHandlerErrors);
    log().error("FIX market data: {} message not handled: {}", id.toString(), e.what());
  }
}

bool FixMarketDataApplication::unsubscribe(InstrumentId id) {
  if (id >= slot_count_ || slots_[id].session < 0) return false;
  InstrumentSlot& slot = slots_[id];
  if (!slot.wanted.exchange(false, std::memory_order_acq_rel)) return true;  // already done
  send(sessions_[static_cast<size_t>(slot.session)], id,
       slot.requests.load(std::memory_order_acquire), kUnsubscribe);
  unsubscribes_.fetch_add(1, std::memory_order_release);
  return true;
}

void FixMarketDataApplication::sweep_unsubscribes(Timestamp now) {
  const uint64_t requested = unsubscribes_.load(std::memory_order_acquire);
  if (requested == unsubscribes_seen_) return;
  unsubscribes_seen_ = requested;
  for (size_t id = 0; id < slot_count_; ++id) {
    const auto instrument = static_cast<InstrumentId>(id);
    if (!slots_[id].wanted.load(std::memory_order_acquire) && mapper_.is_subscribed(instrument)) {
      mapper_.mark_stale(instrument, now);
    }
  }
}

}  // namespace guiju
