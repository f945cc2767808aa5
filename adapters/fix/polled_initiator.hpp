#pragma once
// A QuickFIX initiator with no thread of its own: its owner's thread drives it, so every message
// it receives is handled on that thread. The live engine drives its market-data sessions this way:
// a market-data message is read, mapped, decided on and answered by one thread, as a bare QuickFIX
// application answers it from the thread that read it, with no hand-off between threads on the way
// from the wire to the order.
//
// Why not QuickFIX's SocketInitiator::poll(): it runs select() with a zero timeout and keeps its
// sockets to itself, so a thread that drives it can never sleep until data arrives; it could only
// spin or sleep blindly. This initiator shows its sockets (wait_fds), and the owner waits on them
// together with whatever else wakes it (core/bus/doorbell.hpp).
//
// The sessions are QuickFIX's own (FIX::Session: logon, heartbeats, test requests, sequence
// numbers, resend, the store and the log); this class is only the transport under them: the TCP
// connection (SocketConnectHost/SocketConnectPort, then SocketConnectHost1/Port1 and so on in turn
// on reconnects; SocketConnectSourceHost/Port; SocketNodelay; SocketSendBufferSize and
// SocketReceiveBufferSize), ReconnectInterval, and the framing, by QuickFIX's Parser.
//
// Threads: poll(), wait_fds() and shut_down() on the owner's thread only. A session may send from
// any thread (QuickFIX locks the session around a send): sends are serialised per connection.
//
// Include only from adapters/fix (it includes QuickFIX).

#include <poll.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/fix/quickfix.hpp"

namespace guiju::fix {

class PolledInitiator final : public FIX::Initiator {
 public:
  // Throws FIX::ConfigError for settings without an initiator session. Without a log factory,
  // QuickFIX logs nothing.
  PolledInitiator(FIX::Application& application, FIX::MessageStoreFactory& store,
                  const FIX::SessionSettings& settings);
  PolledInitiator(FIX::Application& application, FIX::MessageStoreFactory& store,
                  const FIX::SessionSettings& settings, FIX::LogFactory& log);
  ~PolledInitiator() override;
  PolledInitiator(const PolledInitiator&) = delete;
  PolledInitiator& operator=(const PolledInitiator&) = delete;

  // Does what is due without waiting: the first call connects every session; then it completes
  // connections, sends what a full socket held back, reads at most `max_bytes` from each session
  // and hands every complete message to its session, and, every kTimerPeriod, lets the sessions do
  // their timed work (logon, heartbeats, timeouts) and reconnects the ones that are down. Returns
  // how many messages it handed over.
  size_t poll(size_t max_bytes);

  // Appends the descriptors to wait on until poll() has something to do: each connection, to be
  // read (or written, while it connects or a send waits for room). The owner also wakes at least
  // every kTimerPeriod, for the timed work.
  void wait_fds(std::vector<pollfd>& out) const;

  // Bytes read that are not yet part of a complete message (at most this many more events may come
  // out of them).
  size_t unparsed_bytes() const;

  // Logs every session out and keeps polling until they are all logged out or `timeout` has passed,
  // then closes every connection. Idempotent.
  void shut_down(std::chrono::milliseconds timeout);

  static constexpr std::chrono::milliseconds kTimerPeriod{100};

 private:
  class Connection;
  using SteadyClock = std::chrono::steady_clock;

  // FIX::Initiator's hooks. start()/block() (a thread of QuickFIX's) are not how this class is
  // used, but they work: they poll until stop().
  void onConfigure(const FIX::SessionSettings& settings) override;
  void onStart() override;
  bool onPoll(double timeout) override;
  void onStop() override;
  void doConnect(const FIX::SessionID& id, const FIX::Dictionary& settings) override;

  void finish_connect(Connection& c);
  size_t read(Connection& c, size_t max_bytes);
  void timed_work();
  // Closes the connections that failed or that their session asked to drop.
  void reap();
  void close(Connection& c, const char* why);

  std::map<FIX::SessionID, std::unique_ptr<Connection>> connections_;
  std::map<FIX::SessionID, int> next_host_;  // which SocketConnectHost<N> to try next
  int reconnect_interval_s_ = 30;
  bool first_poll_ = true;
  bool shut_down_ = false;
  std::atomic<bool> stop_{false};
  SteadyClock::time_point last_timer_{};
  SteadyClock::time_point last_connect_{};
  std::vector<char> buffer_;
  std::string message_;
};

}  // namespace guiju::fix
