#pragma once
// How much a FIX session read on its ring's consumer thread may read now (FixMarketDataFeed and
// OrderGateway with engine_thread). That thread is the only one that drains the ring, so a
// producer on it must never find the ring full: it would wait for itself. Every event the session
// makes comes out of a message of many bytes, so one free slot per byte read (and per byte read
// before, still short of a whole message) is always enough; `reserve` covers the events a session
// makes without reading anything (a logout, and the stale books that follow it).

#include <algorithm>
#include <cstddef>

#include "core/bus/spsc_ring.hpp"
#include "core/events/event_slot.hpp"

namespace guiju::fix {

// The least room worth a read, and the most bytes one turn of the engine loop reads (so that a
// burst cannot hold the engine long).
inline constexpr size_t kMinReadBytes = 256;
inline constexpr size_t kMaxReadBytes = size_t{64} * 1024;

// 0 when the consumer must drain the ring first.
inline size_t ring_read_budget(const SpscRing<EventSlot>& ring, size_t unparsed_bytes,
                               size_t reserve) {
  const size_t used = ring.size() + unparsed_bytes + reserve;
  const size_t room = used < ring.capacity() ? ring.capacity() - used : 0;
  return room < kMinReadBytes ? 0 : std::min(room, kMaxReadBytes);
}

// The smallest ring a session read this way can work with.
inline constexpr size_t min_ring_for_engine_thread(size_t reserve) {
  return 2 * (reserve + kMinReadBytes);
}

}  // namespace guiju::fix
