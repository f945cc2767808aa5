#pragma once
// Where the engine sends every event it consumes and emits. The journal service writes them to
// disk; a re-run's comparator holds them against the recorded journal instead.

#include <string>

#include "core/events/event_slot.hpp"

namespace guiju::journal {

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Takes one record; false once the sink has failed (nothing is taken then).
  virtual bool record(const EventSlot& event, Timestamp engine_time) = 0;
  virtual bool healthy() const = 0;
  // Why the sink failed; empty while healthy.
  virtual std::string failure() const = 0;
};

}  // namespace guiju::journal
