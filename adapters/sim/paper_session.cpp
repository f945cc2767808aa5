#include "adapters/sim/paper_session.hpp"

#include <pthread.h>

#include <thread>

#include "core/clock/clock.hpp"

namespace guiju {

PaperSession::PaperSession(Engine& engine, SimulatedVenue& venue, SpscRing<EventSlot>& reports,
                           const PaperOptions& options)
    : engine_(engine),
      venue_(venue),
      reports_(reports),
      options_(options),
      to_engine_(options.ring_capacity, BackPressure::kBlock, "market-data"),
      to_venue_(options.ring_capacity, BackPressure::kBlock, "venue-market-data") {
  engine_.add_inbound(&to_engine_);
}

PaperStats PaperSession::run(MarketDataSource& source, const std::atomic<bool>& stop) {
  SpscRing<EventSlot>& to_engine = to_engine_;
  SpscRing<EventSlot>& to_venue = to_venue_;
  PaperStats stats;
  std::atomic<bool> feeder_done{false};
  std::atomic<uint64_t> published{0};
  const Timestamp wall_start = utc_now();
  const Timestamp deadline = options_.duration > 0 ? wall_start + options_.duration : INT64_MAX;

  engine_.start();
  std::thread feeder([&] {
    pthread_setname_np(pthread_self(), "guiju-feeder");  // top -H, perf: which thread is which
    EventSlot event;
    Timestamp first = 0;
    bool have_first = false;
    while (!stop.load(std::memory_order_relaxed) && utc_now() < deadline) {
      if (!source.next(event)) {
        stats.source_exhausted = true;
        break;
      }
      const Timestamp t = event.header().event_time;
      if (!have_first) {
        first = t;
        have_first = true;
      }
      const auto target =
          options_.pace
              ? wall_start + static_cast<Timestamp>(static_cast<double>(t - first) / options_.speed)
              : 0;
      for (Timestamp now = utc_now(); now < target && !stop.load(std::memory_order_relaxed);
           now = utc_now()) {
        const Duration gap = target - now;
        if (gap > 200 * kMicrosecond) {
          std::this_thread::sleep_for(std::chrono::nanoseconds(gap - 100 * kMicrosecond));
        } else {
          cpu_relax();
        }
      }
      event.header().receive_time = utc_now();
      if (!to_venue.push(event) || !to_engine.push(event)) break;  // closed at shutdown
      published.fetch_add(1, std::memory_order_relaxed);
    }
    feeder_done.store(true, std::memory_order_release);
  });
  if (options_.on_started) options_.on_started();

  // The engine thread: venue and engine in turn, so the venue sees the market no later than the
  // engine does and the engine's orders reach the venue at once.
  auto pump_venue = [&] {
    const Timestamp now = utc_now();
    size_t n = to_venue.pop_batch([&](const EventSlot& e) { venue_.on_market_data(e, now); }, 256);
    n += venue_.drain(engine_.order_ring(), now);
    return n;
  };
  uint32_t idle = 0;
  for (;;) {
    const bool finished =
        feeder_done.load(std::memory_order_acquire) && to_engine.empty() && to_venue.empty();
    if (finished || stop.load(std::memory_order_relaxed) || engine_.stopping()) break;
    const size_t work = pump_venue() + engine_.poll();
    if (work != 0) {
      idle = 0;
    } else if (++idle > 1024) {
      std::this_thread::yield();
    }
  }
  to_engine.close();
  to_venue.close();
  feeder.join();

  engine_.stop();
  // Settle: cancels to the venue, its reports back, until quiet.
  for (int quiet = 0; quiet < 3;) {
    const size_t work = venue_.drain(engine_.order_ring(), utc_now()) +
                        reports_.pop_batch([&](const EventSlot& e) { engine_.process(e); });
    quiet = work == 0 ? quiet + 1 : 0;
  }
  stats.market_events = published.load();
  // Each push that found its ring full (and so waited) is counted by the ring.
  stats.feeder_waits = to_engine.full_count() + to_venue.full_count();
  return stats;
}

}  // namespace guiju
