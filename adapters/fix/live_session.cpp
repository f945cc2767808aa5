#include "adapters/fix/live_session.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/logging/log.hpp"

namespace guiju::fix {

namespace {

using SteadyClock = std::chrono::steady_clock;

bool passed(SteadyClock::time_point since, Duration d) {
  return d > 0 && SteadyClock::now() - since >= std::chrono::nanoseconds(d);
}

}  // namespace

// Why the engine thread sends its own orders, and parks when idle (mechanical sympathy on a host
// with fewer cores than busy threads).
//
// Sending an order is QuickFIX's work (the message built, stored, logged and written to the
// socket): microseconds spent before the order is on the wire, whichever thread spends them. With
// a thread of its own for it, spinning on the order ring, every order crossed one more core, and
// the process kept two threads runnable at all times: on a two-core host, both cores, so the
// QuickFIX threads that bring the market data and the reports in, and the journal's writer,
// waited for one of them to be preempted. Sent from the engine thread, the order leaves from the
// core that decided it, as a bare QuickFIX application sends it from the thread that received the
// market data. At most kPumpBatch orders are sent between two polls of the inbound rings.
// (With the order session read by a QuickFIX thread: QuickFIX holds a session's lock while it
// calls onLogout, where the gateway waits for room in the reports ring, and a send waits for that
// lock. The ring has room: the engine drained it before the batch, and a batch of sends takes a
// millisecond or so, against a ring of thousands of reports, 65,536 by default.)
//
// For the same reason the loop reads the FIX sessions itself when they are configured so
// (LiveOptions::feed, OrderGatewayOptions::engine_thread): with QuickFIX's threads reading them,
// every message crossed from the core that read it to the engine's, and on a busy host that waited
// for the engine thread to be woken or scheduled (tens of microseconds, most of the gap to a bare
// QuickFIX application in bench/fix_wire_latency_bench), while each report woke a thread of its
// own. Read here, the message that moves the market and the order it triggers are handled by one
// thread from socket to socket, and no other thread of the process competes for the cores.
//
// Idle, the loop spins for LiveOptions::spin, so that the next event of a burst costs no wake-up,
// then parks on the doorbell the producers ring (and on the feed's sockets). A thread that spins or
// yields while idle is always runnable: on a busy host, the event it waits for often finds it
// waiting for a core. A parked thread holds no core, and the scheduler runs it as soon as a
// producer wakes it.
constexpr size_t kPumpBatch = 64;

LiveSession::LiveSession(Engine& engine, OrderGateway& gateway, LiveOptions options)
    : engine_(engine), gateway_(gateway), options_(options) {
  if ((options_.feed != nullptr || gateway_.engine_thread()) &&
      (options_.doorbell == nullptr || !options_.doorbell->pollable())) {
    throw std::invalid_argument(
        "live session: FIX sessions read on the engine thread need a pollable doorbell");
  }
  wait_fds_.reserve(Doorbell::kMaxPollFds);
}

size_t LiveSession::step() {
  // Market data first: of what arrived together, the message that may trigger an order.
  const size_t messages = (options_.feed != nullptr ? options_.feed->poll() : 0) + gateway_.poll();
  const size_t events = engine_.poll();
  const size_t orders = gateway_.pump(engine_.order_ring(), kPumpBatch);
  pumped_ += orders;
  return messages + events + orders;
}

void LiveSession::idle_wait() {
  if (options_.doorbell == nullptr) {
    std::this_thread::yield();
    return;
  }
  const uint32_t ticket = options_.doorbell->prepare();
  if (step() != 0) {
    options_.doorbell->cancel();
    return;
  }
  wait_fds_.clear();
  if (options_.feed != nullptr) options_.feed->wait_fds(wait_fds_);
  gateway_.wait_fds(wait_fds_);
  if (wait_fds_.empty()) {
    options_.doorbell->park(ticket, options_.park_limit);
  } else {
    options_.doorbell->park(ticket, options_.park_limit, wait_fds_);
  }
}

LiveStats LiveSession::run(const std::atomic<bool>& stop) {
  LiveStats stats;
  pumped_ = 0;
  const auto begin = SteadyClock::now();
  while (!gateway_.logged_on() && !stop.load() && !passed(begin, options_.logon_timeout)) {
    if (options_.feed != nullptr) options_.feed->poll();  // they connect and log on meanwhile
    gateway_.poll();
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
    bool idle = false;
    SteadyClock::time_point idle_since;
    while (!stop.load(std::memory_order_relaxed) && !engine_.stopping() &&
           !passed(started, options_.duration)) {
      if (step() != 0) {
        idle = false;
        continue;
      }
      const auto now = SteadyClock::now();
      if (!idle) {
        idle = true;
        idle_since = now;
      } else if (now - idle_since >= std::chrono::nanoseconds(options_.spin)) {
        idle_wait();  // and again at once while nothing comes, without spinning first
      }
    }
    engine_.stop();
    const auto stopping = SteadyClock::now();
    while (!engine_.orders().open_orders().empty() && !passed(stopping, options_.settle)) {
      if (step() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  pumped_ += gateway_.pump(engine_.order_ring(), SIZE_MAX);
  stats.orders_pumped = pumped_;
  stats.open_at_exit = engine_.orders().open_orders().size();
  return stats;
}

}  // namespace guiju::fix
