#pragma once
// Live trading on FIX: the engine on the real clock, its orders through the order gateway, its
// market data from whatever feeds the caller wired into its inbound rings (the FIX market-data
// adapter; DESIGN.md rule 3: the engine is the same as in replay and paper).
//
// Threads: the caller's thread runs the engine loop (the single writer); one more thread moves the
// engine's order ring into the gateway; QuickFIX's threads feed the inbound rings.

#include <atomic>
#include <cstdint>

#include "adapters/fix/fix_order_gateway.hpp"
#include "core/engine/engine.hpp"

namespace guiju::fix {

struct LiveOptions {
  Duration duration = 0;          // 0: until stop is set
  Duration settle = 5 * kSecond;  // after stop: wait this long for open orders to be cancelled
  Duration logon_timeout = 10 * kSecond;  // the engine starts only once the order session is up
};

struct LiveStats {
  bool logged_on = false;      // the order session came up within logon_timeout
  uint64_t orders_pumped = 0;  // order messages handed to the gateway
  size_t open_at_exit = 0;     // open orders when the session ended
};

class LiveSession {
 public:
  LiveSession(Engine& engine, OrderGateway& gateway, LiveOptions options)
      : engine_(engine), gateway_(gateway), options_(options) {}

  // Starts the engine once the order session is up, runs until stop (or the duration), then
  // stops the engine (its strategies' on_stop, and a cancel for every open order) and keeps the
  // loop and the pump going until no order is open or `settle` has passed.
  LiveStats run(const std::atomic<bool>& stop);

 private:
  Engine& engine_;
  OrderGateway& gateway_;
  LiveOptions options_;
};

}  // namespace guiju::fix
