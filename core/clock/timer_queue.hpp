#pragma once
// One-shot and periodic timers owned by the engine thread (single writer: no locks).
//
// A binary min-heap on (due time, timer id) over a vector reserved up front; cancellation marks
// the entry dead and it is discarded when it reaches the top. cancel() scans the pending timers
// to tell a live id from a fired one: a strategy holds a handful, and timers are not set per
// event. Ties fire in creation order, which keeps replay deterministic.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/model/ids.hpp"
#include "core/model/timestamp.hpp"

namespace guiju {

struct TimerFiring {
  TimerId id = 0;
  StrategyId owner = kNoStrategy;
  Timestamp scheduled = 0;
  Duration period = 0;
  uint64_t missed = 0;  // periodic: whole periods that passed unfired before this firing
};

class TimerQueue {
 public:
  explicit TimerQueue(size_t reserve = 1024);

  // A timer due at `due`; period > 0 makes it fire again every `period` after each firing.
  TimerId schedule(Timestamp due, Duration period, StrategyId owner);
  // Returns false when the id is not an active timer.
  bool cancel(TimerId id);
  // Cancels every timer of one owner (a strategy being stopped); returns how many.
  size_t cancel_owner(StrategyId owner);

  // The earliest active due time, if any.
  std::optional<Timestamp> next_due();
  // Pops the earliest timer due at or before `now`. A periodic one is re-armed for the first
  // multiple of its period after `now`: when time jumps (a replay gap, a stalled thread) it fires
  // once, not once per missed period, and the firing says how many periods it missed.
  std::optional<TimerFiring> pop_due(Timestamp now);

  size_t active() const { return active_; }
  uint64_t missed_total() const { return missed_total_; }

 private:
  struct Entry {
    Timestamp due;
    TimerId id;
    Duration period;
    StrategyId owner;
  };
  static bool later(const Entry& a, const Entry& b) {
    return a.due != b.due ? a.due > b.due : a.id > b.id;
  }
  void drop_cancelled_top();
  bool is_cancelled(TimerId id) const;

  std::vector<Entry> heap_;
  std::vector<TimerId> cancelled_;  // sorted ascending; small in practice
  TimerId next_id_ = 1;
  size_t active_ = 0;
  uint64_t missed_total_ = 0;
};

}  // namespace guiju
