#pragma once
// The drop-copy / monitoring feed: a ZeroMQ PUB socket that risk officers' tools subscribe to, to
// see every order the engine sends, every execution report it receives, every pre-trade refusal
// and every kill-switch or control command, as they happen (docs/operations.md).
//
// It follows the audit journal from the journal's writer thread (a JournalObserver), so the
// engine thread pays nothing, and it publishes a record only once the journal has committed it:
// the feed never shows what the journal could still lose. The journal is the record; the feed is
// for watching. PUB never waits for a subscriber: one that falls behind by more than the high-water
// mark loses messages (its previous_sequence shows the gap, feed_renderer.hpp), and the writer
// thread never blocks on the network (every send is ZMQ_DONTWAIT).

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/dropcopy/feed_renderer.hpp"
#include "core/journal/journal_observer.hpp"

namespace guiju::dropcopy {

struct PublisherOptions {
  // Where to bind: tcp://HOST:PORT (an IPv4 literal or a bracketed IPv6 one; port 0: the kernel
  // picks one) or ipc://PATH.
  std::string endpoint;
  // Messages queued for one subscriber before PUB drops that subscriber's messages.
  int high_water_mark = 100'000;
  // How often a heartbeat goes out (a quiet session still shows the feed is alive).
  Duration heartbeat_interval = kSecond;
};

class Publisher final : public journal::JournalObserver {
 public:
  // Binds the socket. Throws std::runtime_error naming the endpoint and the reason (an address
  // in use, an interface that does not exist) so that the session stops before it trades.
  Publisher(const PublisherOptions& options, FeedRenderer renderer);
  ~Publisher() override;
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Where it is bound (with the port the kernel picked, for port 0).
  const std::string& endpoint() const { return endpoint_; }

  void appended(uint64_t sequence, const EventSlot& event, Timestamp engine_time) override;
  void committed(uint64_t sequence) override;

  // Messages handed to ZeroMQ, and messages that could not be (the socket refused, rendering
  // failed). Any thread.
  uint64_t published() const { return published_.load(std::memory_order_relaxed); }
  uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  struct Socket;
  struct Pending {
    uint64_t sequence = 0;
    Timestamp engine_time = 0;
    EventSlot event;
  };
  void send(const Message& m);

  std::unique_ptr<Socket> socket_;
  std::string endpoint_;
  FeedRenderer renderer_;
  std::vector<Pending> pending_;  // appended, not yet committed
  Duration heartbeat_interval_;
  int64_t last_heartbeat_ = 0;  // monotonic
  std::atomic<uint64_t> published_{0};
  std::atomic<uint64_t> failed_{0};
};

}  // namespace guiju::dropcopy
