#pragma once
// The QuickFIX Application of the market-data initiator sessions (SenderCompID GUIJU-MD): on each
// logon it subscribes to the session's instruments (one MarketDataRequest each), hands W, X and
// Y to the mapping, and on logout or disconnect marks every subscribed instrument stale. QuickFIX
// reconnects an initiator by itself (ReconnectInterval); the next logon subscribes again under
// new MDReqIDs, and each book stays stale until its fresh snapshot.
//
// Threads: SocketInitiator calls every callback on its one thread; only unsubscribe() is called
// from elsewhere (see there).

#include <atomic>
#include <memory>
#include <vector>

#include "adapters/fix/fix_market_data_mapper.hpp"
#include "adapters/fix/fix_market_data_request.hpp"
#include "adapters/fix/quickfix.hpp"

namespace guiju {

class FixMarketDataApplication final : public FIX::Application {
 public:
  FixMarketDataApplication(const InstrumentRegistry& registry,
                           const std::vector<InstrumentId>& instruments, MarketDataSink& sink,
                           FixMarketDataCounters& counters, SourceId source);

  // Before the initiator starts: `session` subscribes to `instruments` at each logon. Throws
  // std::invalid_argument for a BeginString other than FIX.4.2 or FIX.4.4, or an instrument that
  // is not one of the constructor's or is assigned twice.
  void assign(const FIX::SessionID& session, const std::vector<InstrumentId>& instruments);

  // Any thread: stops the subscription of `id` (a V with SubscriptionRequestType 2, sent at once if
  // its session is logged on) and keeps it from being renewed at later logons. The QuickFIX
  // thread then ignores the instrument's updates, and at its next callback (a message or a
  // heartbeat) emits the empty BookUpdate that marks it stale: the mapping and the ring belong to
  // that thread, so this one only raises a flag. False when `id` is not assigned to a session.
  bool unsubscribe(InstrumentId id);

  FixMarketDataMapper& mapper() { return mapper_; }
  const FixMarketDataCounters& counters() const { return counters_; }

  // ---- FIX::Application (the QuickFIX thread) ----
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& session) override;
  void onLogout(const FIX::SessionID& session) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID& session) override;

 private:
  struct SessionState {
    FIX::SessionID id;
    FixVersion version = FixVersion::k44;
    std::vector<InstrumentId> instruments;
    bool logged_on_before = false;
  };
  struct InstrumentSlot {
    int session = -1;                   // index into sessions_; fixed before start
    std::atomic<uint32_t> requests{0};  // the n of the current MDReqID (market_data_request_id)
    std::atomic<bool> wanted{true};     // false once unsubscribe() was called
  };

  SessionState* session_of(const FIX::SessionID& id);
  void subscribe(const SessionState& session, InstrumentId id);
  void send(const SessionState& session, InstrumentId id, uint32_t n, char type);
  // Applies unsubscribe() calls made since the last sweep (one relaxed load when there are none).
  void sweep_unsubscribes(Timestamp now);
  // Tells the engine (and its journal) that a session logged on or out.
  void session_state(const FIX::SessionID& id, ControlAction action, const char* why);

  const InstrumentRegistry& registry_;
  MarketDataSink& sink_;
  SourceId source_;
  FixMarketDataCounters& counters_;
  FixMarketDataMapper mapper_;
  std::vector<SessionState> sessions_;
  std::unique_ptr<InstrumentSlot[]> slots_;  // by InstrumentId
  size_t slot_count_;
  std::atomic<uint64_t> unsubscribes_{0};
  uint64_t unsubscribes_seen_ = 0;
};

}  // namespace guiju
