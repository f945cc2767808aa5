#pragma once
// The order-entry adapter: a QuickFIX initiator session to a venue or broker. The session layer
// (logon, heartbeats, sequence numbers in a file store, resend, reconnect) is QuickFIX's; this is
// the application layer.
//
// Two threads touch it, each through its own single-producer ring (DESIGN.md rule 1):
//   - pump() runs on the one consumer thread of the engine's order ring and turns NewOrder,
//     CancelOrder, ReplaceOrder and OrderStatusRequest events into D, F, G and H messages;
//   - QuickFIX's own thread calls the Application callbacks and pushes the venue's execution
//     reports, refusals and the session's state (order session up or down, as control commands:
//     the engine's cancel-on-disconnect state) into the ring the engine reads.
// The only state both threads share is the log of sent messages by sequence number (for a
// session-level Reject or BusinessMessageReject, which name the refused message by number), under
// a mutex, off the hot path of a fill.
//
// With OrderGatewayOptions::engine_thread the two are one: the engine thread also reads the
// session (poll(), and wait_fds() when idle; adapters/fix/polled_initiator.hpp), so a report
// reaches the engine with no thread between, and the process has one busy thread fewer. The
// session then reads only as much as the ring has room for (adapters/fix/ring_read_budget.hpp),
// since the thread that would drain it is the one reading.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/fix/fix_order_mapping.hpp"
#include "adapters/fix/polled_initiator.hpp"
#include "adapters/fix/quickfix.hpp"
#include "core/bus/spsc_ring.hpp"
#include "core/events/event_slot.hpp"

namespace guiju::fix {

struct OrderGatewayOptions {
  std::string settings_file;   // QuickFIX initiator settings with exactly one session
  std::string cl_ord_id_stem;  // "<prefix><date>-": the engine's client order ids
  OrderTags tags;
  bool engine_thread = false;  // the ring's consumer reads the session: poll(), wait_fds()
};

struct OrderGatewayCounters {
  std::atomic<uint64_t> sent{0};       // D, F, G and H handed to the session
  std::atomic<uint64_t> reports{0};    // reports passed to the engine
  std::atomic<uint64_t> ignored{0};    // pending-state reports and the like
  std::atomic<uint64_t> unknown{0};    // about orders this engine did not send
  std::atomic<uint64_t> malformed{0};  // could not be read
  std::atomic<uint64_t> rejects{0};    // session Reject (3) and BusinessMessageReject (j)
  std::atomic<uint64_t> logons{0};
  std::atomic<uint64_t> disconnects{0};
};

class OrderGateway final : public FIX::Application {
 public:
  // `to_engine`: the ring the engine reads (engine.add_inbound); only QuickFIX's thread pushes.
  OrderGateway(const InstrumentRegistry& instruments, SpscRing<EventSlot>& to_engine,
               OrderGatewayOptions options);
  ~OrderGateway() override;
  OrderGateway(const OrderGateway&) = delete;
  OrderGateway& operator=(const OrderGateway&) = delete;

  // Starts the initiator (its own thread connects, logs on, and reconnects after a drop; with
  // engine_thread, the first poll() connects). Throws std::runtime_error naming the settings file
  // and what is wrong (also for a ring too small to be read on the engine thread).
  void start();
  // Logs out and stops the thread. With engine_thread, call it from the thread that polls.
  void stop();

  // engine_thread only (otherwise they do nothing), on the ring's consumer thread: reads what has
  // arrived, as much as the ring has room for; the number of FIX messages read.
  size_t poll();
  // The descriptors to wait on (with the ring's doorbell) until poll() has work.
  void wait_fds(std::vector<pollfd>& out) const;
  // Sends up to `max` events from the engine's order ring; returns how many were taken.
  size_t pump(SpscRing<EventSlot>& orders, size_t max = 256);

  bool logged_on() const { return logged_on_.load(std::memory_order_acquire); }
  bool engine_thread() const { return options_.engine_thread; }
  const OrderGatewayCounters& counters() const { return counters_; }
  const std::string& begin_string() const { return begin_string_; }

 private:
  // FIX::Application
  void onCreate(const FIX::SessionID& session) override;
  void onLogon(const FIX::SessionID& session) override;
  void onLogout(const FIX::SessionID& session) override;
  void toAdmin(FIX::Message& message, const FIX::SessionID& session) override;
  void toApp(FIX::Message& message, const FIX::SessionID& session) override;
  void fromAdmin(const FIX::Message& message, const FIX::SessionID& session) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID& session) override;

  void send(const EventSlot& event);
  void to_engine(const EventSlot& event);
  void session_state(bool up, const std::string& why);
  // A session-level Reject or a BusinessMessageReject of one of our messages.
  void refused(const FIX::Message& message, const char* what);
  // Sends an OrderStatusRequest for an order from QuickFIX's thread.
  void ask_status(const std::string& cl_ord_id, const ExecutionReport& about);

  // What was sent under a sequence number, for refusals that name it.
  struct Sent {
    int seq = 0;
    char msg_type = 0;
    OrderId order = kNoOrder;     // D: the order; F: the order to cancel; G: the replacement
    OrderId original = kNoOrder;  // G: the order being replaced
  };
  static constexpr size_t kSentLog = 1 << 14;

  const InstrumentRegistry& instruments_;
  SpscRing<EventSlot>& to_engine_;
  OrderGatewayOptions options_;
  ClOrdIdCodec ids_;
  std::unique_ptr<FIX::SessionSettings> settings_;
  std::unique_ptr<FIX::FileStoreFactory> store_;
  std::unique_ptr<FIX::FileLogFactory> log_;
  std::unique_ptr<FIX::Initiator> initiator_;  // a SocketInitiator, or polled_
  PolledInitiator* polled_ = nullptr;
  FIX::SessionID session_;
  std::string begin_string_;
  std::atomic<bool> logged_on_{false};
  OrderGatewayCounters counters_;

  // pump()'s thread only: what D said about each order, which G must repeat.
  struct Terms {
    OrderType type;
    TimeInForce tif;
  };
  std::unordered_map<OrderId, Terms> terms_;
  uint64_t cancel_attempts_ = 0;
  // Written in toApp (the sending thread), read by QuickFIX's thread.
  std::mutex sent_mutex_;
  std::array<Sent, kSentLog> sent_{};
  Sent pending_;  // what send() is about to hand over, for toApp to log with its number
};

}  // namespace guiju::fix
