#pragma once
// The hand-off from the QuickFIX thread to the engine: one SPSC ring, because SocketInitiator runs
// every session on one thread, so the feed is one producer (DESIGN.md, "The bus").
//
// A full ring means the engine is behind. Dropping a book update would leave the engine's book
// wrong with nothing to say so, so the sink waits instead, whatever the ring's own policy: it spins
// a bounded number of times, then yields, until there is room (each wait counted once). While it
// waits QuickFIX reads nothing, so the venue may end the session for missed heartbeats; the
// reconnect then marks the books stale and re-subscribes, which is the safe outcome. It gives up
// only when the ring is closed or the feed is stopping (shutdown), and counts and logs that.
//
// When the engine's own thread drives the feed (FixMarketDataOptions::engine_thread), waiting
// would wait for itself: the feed then reads only as many bytes as the ring has free slots (an
// event takes more than a byte on the wire), so the ring cannot fill, and a push that still found
// it full would be a bug; it is counted as ring_closed (not delivered) rather than hang.

#include <atomic>
#include <cstdint>

#include "adapters/fix/fix_market_data_counters.hpp"
#include "adapters/fix/fix_market_data_sink.hpp"
#include "core/bus/spsc_ring.hpp"
#include "core/events/event_slot.hpp"

namespace guiju {

class FixMarketDataRingSink final : public MarketDataSink {
 public:
  FixMarketDataRingSink(SpscRing<EventSlot>& ring, FixMarketDataCounters& counters,
                        bool wait_when_full = true)
      : ring_(ring), counters_(counters), wait_when_full_(wait_when_full) {}

  bool publish(const BookUpdate& update) override { return push(update); }
  bool publish(const Trade& trade) override { return push(trade); }
  bool publish_session(const ControlCommand& session_state) override { return push(session_state); }

  // Any thread: makes a waiting publish give up (the feed is stopping).
  void cancel() { cancelled_.store(true, std::memory_order_release); }
  void reset() { cancelled_.store(false, std::memory_order_release); }

 private:
  template <Event T>
  bool push(const T& event) {
    // Producer-stamped sequence, per source (EventHeader::sequence).
    const uint64_t sequence = ++sequence_;
    const auto write = [&](EventSlot& slot) {
      slot.store(event);
      slot.header().sequence = sequence;
    };
    if (ring_.try_emplace(write)) return true;
    counters_.bump(FixMarketDataCounters::kRingFull);
    for (uint32_t spins = 0;; ++spins) {
      if (!wait_when_full_ || ring_.closed() || cancelled_.load(std::memory_order_acquire)) {
        counters_.bump(FixMarketDataCounters::kRingClosed);
        return false;
      }
      if (ring_.try_emplace(write)) return true;
      if (spins < 1024) {
        cpu_relax();
      } else {
        std::this_thread::yield();
      }
    }
  }

  SpscRing<EventSlot>& ring_;
  FixMarketDataCounters& counters_;
  const bool wait_when_full_;
  std::atomic<bool> cancelled_{false};
  uint64_t sequence_ = 0;
};

}  // namespace guiju
