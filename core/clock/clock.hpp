#pragma once
// The engine's notion of "now". Live and paper trading read the system clock; replay is driven
// by event times, so a recorded day runs as fast as the CPU allows and gives the same answers.

#include <ctime>

#include "core/model/timestamp.hpp"

namespace guiju {

class Clock {
 public:
  virtual ~Clock() = default;
  // UTC nanoseconds: what goes into events and the journal.
  virtual Timestamp now() const = 0;
  // True when time only moves because events say so (replay).
  virtual bool is_simulated() const = 0;
};

// Wall-clock UTC for timestamps (CLOCK_REALTIME, through the vDSO: ~20 ns, no syscall).
inline Timestamp utc_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<Timestamp>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// A monotonic reading for measuring latency; never goes back, unrelated to UTC.
inline int64_t monotonic_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

class LiveClock final : public Clock {
 public:
  Timestamp now() const override { return utc_now(); }
  bool is_simulated() const override { return false; }
};

// Time moves only through advance_to(); it never goes backwards. An event stamped earlier than
// the current time (out-of-order input) leaves the clock where it is and is counted.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(Timestamp start = 0) : now_(start) {}
  Timestamp now() const override { return now_; }
  bool is_simulated() const override { return true; }

  void advance_to(Timestamp t) {
    if (t > now_) {
      now_ = t;
    } else if (t < now_) {
      ++backwards_count_;
    }
  }
  uint64_t backwards_count() const { return backwards_count_; }

 private:
  Timestamp now_;
  uint64_t backwards_count_ = 0;
};

}  // namespace guiju
