#pragma once
// What the engine has done, for the run summary and metrics. Engine thread writes.

#include <array>
#include <cstdint>

#include "core/events/event_header.hpp"
#include "core/risk/risk_check_id.hpp"

namespace guiju {

struct EngineCounters {
  std::array<uint64_t, kMaxEventType + 1> events_in{};  // by EventType
  uint64_t orders_sent = 0;
  uint64_t cancels_sent = 0;
  uint64_t replaces_sent = 0;
  uint64_t local_rejects = 0;  // refused before sending (validation, risk, ring full, halt)
  uint64_t risk_rejects = 0;
  uint64_t ring_full_rejects = 0;
  uint64_t fills = 0;
  uint64_t timers_fired = 0;
  uint64_t strategy_errors = 0;
  uint64_t callback_overruns = 0;  // strategy callbacks over their time budget
  uint64_t unroutable_events = 0;  // e.g. a quote for an instrument not configured
  uint64_t signals_timed_out = 0;  // signal requests the engine expired (on_signal_timeout)
  // Signal replies dropped unjournaled: the request had expired (or was never made).
  uint64_t late_signal_replies = 0;
  // By the control that refused (RiskCheckId), so metrics can say why orders did not leave.
  std::array<uint64_t, kMaxRiskCheckId + 1> rejects_by_check{};
  uint64_t venue_rejects = 0;                // new orders the venue rejected
  uint64_t signals_requested = 0;            // signal requests handed to the sink
  std::array<uint64_t, 6> signal_replies{};  // replies handled, by SignalStatus

  uint64_t total_events_in() const {
    uint64_t n = 0;
    for (uint64_t v : events_in) n += v;
    return n;
  }
};

}  // namespace guiju
