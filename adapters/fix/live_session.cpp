#include "adapters/fix/live_session.hpp"

#include <chrono>
#include <thread>

#include "core/logging/log.hpp"

namespace guiju::fix {

namespace {

using SteadyClock = std::chrono::steady_clock;

bool passed(SteadyClock::time_point since, Duration d) {
  return d > 0 && SteadyClock::now() - since >= std::chrono::nanoseconds(d);
}

}  // namespace

LiveStats LiveSession::run(const std::atomic<bool>& stop) {
  LiveStats stats;
  std::atomic<bool> pumping{true};
  std::atomic<uint64_t> pumped{0};
  // The order ring's one consumer. Spins while there is work, yields when idle.
  std::thread pump([&] {
    while (pumping.load(std::memory_order_acquire)) {
      const size_t n = gateway_.pump(engine_.order_ring());
      pumped.fetch_add(n, std::memory_order_relaxed);
      if (n == 0) std::this_thread::yield();
    }
    pumped.fetch_add(gateway_.pump(engine_.order_ring(), SIZE_MAX), std::memory_order_relaxed);
  });

  const auto begin = SteadyClock::now();
  while (!gateway_.logged_on() && !stop.load() && !passed(begin, options_.logon_timeout)) {
    engine_.poll();  // drains what the feeds already sent
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stats.logged_on = gateway_.logged_on();
  if (!stats.logged_on) {
    log().error("the FIX order session did not log on within {} s; not trading",
                options_.logon_timeout / kSecond);
  } else {
    engine_.start();
    const auto started = SteadyClock::now();
    uint32_t idle = 0;
    while (!stop.load(std::memory_order_relaxed) && !engine_.stopping() &&
           !passed(started, options_.duration)) {
      if (engine_.poll() != 0) {
        idle = 0;
      } else if (++idle > 4096) {
        std::this_thread::yield();
      }
    }
    engine_.stop();
    const auto stopping = SteadyClock::now();
    while (!engine_.orders().open_orders().empty() && !passed(stopping, options_.settle)) {
      if (engine_.poll() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  pumping.store(false, std::memory_order_release);
  pump.join();
  stats.orders_pumped = pumped.load();
  stats.open_at_exit = engine_.orders().open_orders().size();
  return stats;
}

}  // namespace guiju::fix
