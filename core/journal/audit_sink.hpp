#pragma once
// Where the engine sends every event it consumes and emits. The journal service writes them to
// disk; a re-run's comparator holds them against the recorded journal instead.

#include <string>

#include "core/events/event_slot.hpp"
#include "core/model/timestamp.hpp"

namespace guiju::journal {

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Takes one record; false once the sink has failed (nothing is taken then).
  virtual bool record(const EventSlot& event, Timestamp engine_time) = 0;
  virtual bool healthy() const = 0;
  // Why the sink failed; empty while healthy.
  virtual std::string failure() const = 0;
  // Nanoseconds the engine thread has spent in record() waiting for room, in total. A wait inside
  // a strategy's callback is the engine's, not the strategy's: the engine takes it out of the
  // callback's measured time. A plain member, so that reading it costs a load.
  Duration waited() const { return waited_; }

 protected:
  Duration waited_ = 0;  // written by record(), on the engine thread
};

}  // namespace guiju::journal
