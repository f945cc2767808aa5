#pragma once
// Where the engine sends strategies' signal requests: the inference service's client. Called on
// the engine thread; must not block (a client queues the request and answers later with a
// SignalReply on one of the engine's inbound rings).

#include "core/events/signal_events.hpp"

namespace guiju {

class SignalSink {
 public:
  virtual ~SignalSink() = default;
  // False when the request cannot be queued; the strategy is told at once (request id 0).
  virtual bool send(const SignalRequest& request) = 0;
};

}  // namespace guiju
