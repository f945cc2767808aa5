#pragma once
// FixMarketDataFeed: the FIX market-data adapter as the engine's producer. It owns the QuickFIX
// initiator (one thread for all its sessions, so one producer and one SPSC ring, given by the
// caller and added to the engine with add_inbound), the session settings, a FileStoreFactory and
// the QuickFIX log factory, and the Application that maps W, X and Y to BookUpdate and Trade.
//
// Whose thread reads the sessions (FixMarketDataOptions::engine_thread):
//   - QuickFIX's own (SocketInitiator::start): the feed runs beside its consumer;
//   - the engine's (adapters/fix/polled_initiator.hpp): the engine thread calls poll() in its loop
//     and waits on wait_fds() when idle, so a market-data message goes from the socket to the
//     strategy, and the order it triggers back onto the wire, on one thread. The ring is still
//     the hand-off (the engine reads every input from its rings, in one order, into the journal);
//     it is only that producer and consumer are the same thread.
//
// Which session subscribes to what: with one session, all the configured instruments; with
// several, each session lists its symbols in its own MarketDataSymbols setting (space or comma
// separated), and every configured instrument must be in exactly one.

#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/fix/fix_market_data_counters.hpp"
#include "core/bus/spsc_ring.hpp"
#include "core/events/event_slot.hpp"
#include "core/model/instrument.hpp"

namespace guiju {

class FixMarketDataApplication;
class FixMarketDataRingSink;

struct FixMarketDataOptions {
  std::string settings_file;    // QuickFIX session settings (initiator sessions only)
  std::string store_directory;  // FileStoreFactory: sequence numbers and sent messages
  std::string log_directory;    // FileLogFactory; empty: QuickFIX logs nothing
  std::vector<InstrumentId> instruments;
  SourceId source = 0;         // stamped on every event
  bool engine_thread = false;  // the consumer's thread drives the sessions: poll(), wait_fds()
};

class FixMarketDataFeed {
 public:
  // Reads and checks the settings (throws std::invalid_argument, or QuickFIX's ConfigError, naming
  // what is wrong); connects nothing until start().
  FixMarketDataFeed(const InstrumentRegistry& registry, SpscRing<EventSlot>& ring,
                    FixMarketDataOptions options);
  ~FixMarketDataFeed();
  FixMarketDataFeed(const FixMarketDataFeed&) = delete;
  FixMarketDataFeed& operator=(const FixMarketDataFeed&) = delete;

  // Starts the initiator's thread; it connects, logs on and subscribes, and reconnects by itself.
  // With engine_thread, starts nothing: the first poll() connects.
  void start();
  // Logs out (the books go stale: the consumer sees the empty BookUpdates while the ring is open)
  // and joins the thread. Idempotent. With engine_thread, call it from the thread that polls.
  void stop();

  // engine_thread only (otherwise they do nothing), on the ring's consumer thread: reads what has
  // arrived, as much as the ring has room for, and publishes it; the number of FIX messages read.
  size_t poll();
  // The descriptors to wait on (with the ring's doorbell) until poll() has work.
  void wait_fds(std::vector<pollfd>& out) const;

  bool logged_on() const;
  // Any thread; see FixMarketDataApplication::unsubscribe.
  bool unsubscribe(InstrumentId id);
  FixMarketDataCounts counters() const { return counters_.snapshot(); }

 private:
  struct QuickFix;  // the QuickFIX objects, kept out of this header

  const InstrumentRegistry& registry_;
  SpscRing<EventSlot>& ring_;
  FixMarketDataOptions options_;
  FixMarketDataCounters counters_;
  std::unique_ptr<FixMarketDataRingSink> sink_;
  std::unique_ptr<FixMarketDataApplication> application_;
  std::unique_ptr<QuickFix> quickfix_;
  bool started_ = false;
};

}  // namespace guiju
