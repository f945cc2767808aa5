#include "core/clock/timer_queue.hpp"

#include <algorithm>

namespace guiju {

TimerQueue::TimerQueue(size_t reserve) {
  heap_.reserve(reserve);
  cancelled_.reserve(64);
}

TimerId TimerQueue::schedule(Timestamp due, Duration period, StrategyId owner) {
  const TimerId id = next_id_++;
  heap_.push_back(Entry{due, id, period > 0 ? period : 0, owner});
  std::push_heap(heap_.begin(), heap_.end(), later);
  ++active_;
  return id;
}

bool TimerQueue::is_cancelled(TimerId id) const {
  return std::binary_search(cancelled_.begin(), cancelled_.end(), id);
}

bool TimerQueue::cancel(TimerId id) {
  if (is_cancelled(id)) return false;
  const bool live =
      std::any_of(heap_.begin(), heap_.end(), [&](const Entry& e) { return e.id == id; });
  if (!live) return false;
  cancelled_.insert(std::upper_bound(cancelled_.begin(), cancelled_.end(), id), id);
  --active_;
  return true;
}

size_t TimerQueue::cancel_owner(StrategyId owner) {
  size_t n = 0;
  for (const Entry& e : heap_) {
    if (e.owner == owner && !is_cancelled(e.id)) {
      cancelled_.insert(std::upper_bound(cancelled_.begin(), cancelled_.end(), e.id), e.id);
      --active_;
      ++n;
    }
  }
  return n;
}

void TimerQueue::drop_cancelled_top() {
  while (!heap_.empty() && is_cancelled(heap_.front().id)) {
    const TimerId id = heap_.front().id;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
    cancelled_.erase(std::lower_bound(cancelled_.begin(), cancelled_.end(), id));
  }
}

std::optional<Timestamp> TimerQueue::next_due() {
  drop_cancelled_top();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().due;
}

std::optional<TimerFiring> TimerQueue::pop_due(Timestamp now) {
  drop_cancelled_top();
  if (heap_.empty() || heap_.front().due > now) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  Entry e = heap_.back();
  heap_.pop_back();
  TimerFiring firing{e.id, e.owner, e.due, e.period, 0};
  if (e.period > 0) {
    // Same id: a periodic timer keeps its handle. Next due: the first multiple after now.
    const auto behind = static_cast<uint64_t>((now - e.due) / e.period);
    firing.missed = behind;
    missed_total_ += behind;
    e.due += static_cast<Duration>(behind + 1) * e.period;
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), later);
  } else {
    --active_;
  }
  return firing;
}

}  // namespace guiju
