#pragma once
// FixMarketDataFeed: the FIX market-data adapter as the engine's producer. It owns the QuickFIX
// SocketInitiator (one thread for all its sessions, so one producer and one SPSC ring, given by the
// caller and added to the engine with add_inbound), the session settings, a FileStoreFactory and
// the QuickFIX log factory, and the Application that maps W, X and Y to BookUpdate and Trade.
//
// Which session subscribes to what: with one session, all the configured instruments; with
// several, each session lists its symbols in its own MarketDataSymbols setting (space or comma
// separated), and every configured instrument must be in exactly one.

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
  SourceId source = 0;  // stamped on every event
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
  void start();
  // Logs out (the books go stale: the consumer sees the empty BookUpdates while the ring is open)
  // and joins the thread. Idempotent.
  void stop();

  bool logged_on() const;
  // Any thread; see FixMarketDataApplication::unsubscribe.
  bool unsubscribe(InstrumentId id);
  FixMarketDataCounts counters() const { return counters_.snapshot(); }

 private:
  struct QuickFix;  // the QuickFIX objects, kept out of this header

  const InstrumentRegistry& registry_;
  FixMarketDataOptions options_;
  FixMarketDataCounters counters_;
  std::unique_ptr<FixMarketDataRingSink> sink_;
  std::unique_ptr<FixMarketDataApplication> application_;
  std::unique_ptr<QuickFix> quickfix_;
  bool started_ = false;
};

}  // namespace guiju
