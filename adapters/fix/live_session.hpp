#pragma once
// Live trading on FIX: the engine on the real clock, its orders through the order gateway, its
// market data from whatever feeds the caller wired into its inbound rings (the FIX market-data
// adapter; DESIGN.md rule 3: the engine is the same as in replay and paper).
//
// Threads: the caller's thread runs the engine loop (the single writer) and hands the engine's
// orders to the gateway itself; QuickFIX's threads feed the inbound rings. With a market-data feed
// given to it (LiveOptions::feed, engine_thread), the loop also reads that feed's sessions itself,
// so market data reaches the engine with no thread between. When idle, the loop spins a while,
// then parks on the doorbell the inbound rings' producers ring (when one is given), and on the
// feed's sockets.

#include <atomic>
#include <cstdint>

#include <poll.h>

#include <vector>

#include "adapters/fix/fix_market_data_feed.hpp"
#include "adapters/fix/fix_order_gateway.hpp"
#include "core/bus/doorbell.hpp"
#include "core/engine/engine.hpp"

namespace guiju::fix {

struct LiveOptions {
  Duration duration = 0;          // 0: until stop is set
  Duration settle = 5 * kSecond;  // after stop: wait this long for open orders to be cancelled
  Duration logon_timeout = 10 * kSecond;  // the engine starts only once the order session is up
  // Rung by the producers of every inbound ring of the engine (SpscRing::set_doorbell). With one,
  // the engine thread, after `spin` without an event, parks on it (at most `park_limit` at a time:
  // timers and stop requests are seen at the latest then); without one, it yields instead.
  Doorbell* doorbell = nullptr;
  Duration spin = 500 * kMicrosecond;
  Duration park_limit = 200 * kMicrosecond;
  // A feed built with engine_thread: polled on every turn of the loop, its sockets waited on with
  // the doorbell (which must then be Doorbell::Kind::kPollable).
  FixMarketDataFeed* feed = nullptr;
};

struct LiveStats {
  bool logged_on = false;      // the order session came up within logon_timeout
  uint64_t orders_pumped = 0;  // order messages handed to the gateway
  size_t open_at_exit = 0;     // open orders when the session ended
};

class LiveSession {
 public:
  // Throws std::invalid_argument for a feed without a pollable doorbell.
  LiveSession(Engine& engine, OrderGateway& gateway, LiveOptions options);

  // Starts the engine once the order session is up, runs until stop (or the duration), then
  // stops the engine (its strategies' on_stop, and a cancel for every open order) and keeps the
  // loop going until no order is open or `settle` has passed.
  LiveStats run(const std::atomic<bool>& stop);

 private:
  // Reads the feed (when the loop drives one), polls the engine's inbound rings, then sends what it
  // put into its order ring; how many messages, events and orders that was.
  size_t step();
  // Nothing to do for a while: parks until a producer rings or park_limit passes (yields when
  // there is no doorbell).
  void idle_wait();

  Engine& engine_;
  OrderGateway& gateway_;
  LiveOptions options_;
  uint64_t pumped_ = 0;
  std::vector<pollfd> wait_fds_;  // the feed's sockets, refilled before each park
};

}  // namespace guiju::fix
