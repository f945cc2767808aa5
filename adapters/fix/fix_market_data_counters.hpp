#pragma once
// What the FIX market-data adapter has done, for monitoring and tests: written by the QuickFIX
// thread (and, for requests, by unsubscribe()), read from any thread. Relaxed atomics: each is
// a count, nothing is ordered by them.

#include <atomic>
#include <cstdint>

namespace guiju {

struct FixMarketDataCounts {
  uint64_t messages = 0;            // W, X and Y received
  uint64_t snapshots = 0;           // W applied
  uint64_t incrementals = 0;        // X received
  uint64_t book_updates = 0;        // BookUpdate events emitted (stale marks included)
  uint64_t trades = 0;              // Trade events emitted
  uint64_t rejects = 0;             // Y received
  uint64_t bad_entries = 0;         // entries skipped for a bad or missing value
  uint64_t unknown_instrument = 0;  // W, Y or X entries naming nothing subscribed
  uint64_t resyncs = 0;             // books found out of step with the venue and re-requested
  uint64_t stale_marks = 0;  // instruments marked stale (logout, reject, unsubscribe, resync)
  uint64_t logons = 0;
  uint64_t reconnects = 0;      // logons after a session's first
  uint64_t requests = 0;        // MarketDataRequests sent
  uint64_t handler_errors = 0;  // exceptions caught while handling a message
  uint64_t ring_full = 0;       // pushes that found the engine's ring full and waited
  uint64_t ring_closed = 0;     // events not delivered because the ring was closed (shutdown)
};

class FixMarketDataCounters {
 public:
  enum Id : uint8_t {
    kMessages,
    kSnapshots,
    kIncrementals,
    kBookUpdates,
    kTrades,
    kRejects,
    kBadEntries,
    kUnknownInstrument,
    kResyncs,
    kStaleMarks,
    kLogons,
    kReconnects,
    kRequests,
    kHandlerErrors,
    kRingFull,
    kRingClosed,
    kCount
  };
  void bump(Id id) { values_[id].fetch_add(1, std::memory_order_relaxed); }
  uint64_t get(Id id) const { return values_[id].load(std::memory_order_relaxed); }

  FixMarketDataCounts snapshot() const {
    FixMarketDataCounts c;
    c.messages = get(kMessages);
    c.snapshots = get(kSnapshots);
    c.incrementals = get(kIncrementals);
    c.book_updates = get(kBookUpdates);
    c.trades = get(kTrades);
    c.rejects = get(kRejects);
    c.bad_entries = get(kBadEntries);
    c.unknown_instrument = get(kUnknownInstrument);
    c.resyncs = get(kResyncs);
    c.stale_marks = get(kStaleMarks);
    c.logons = get(kLogons);
    c.reconnects = get(kReconnects);
    c.requests = get(kRequests);
    c.handler_errors = get(kHandlerErrors);
    c.ring_full = get(kRingFull);
    c.ring_closed = get(kRingClosed);
    return c;
  }

 private:
  std::atomic<uint64_t> values_[kCount]{};
};

}  // namespace guiju
