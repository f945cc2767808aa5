#pragma once
// "At most N events in any window of length W", exactly and in O(1): the times of the latest
// events are kept in a ring. One more event now would make N + 1 in the window exactly when the
// N-th latest is still inside it, (now - W, now]. No buckets, so no approximation at the
// window's edges. Several limits over the same events and window (an alert below a hard stop)
// share one ring: reached(n, now) asks for any n up to the largest.
//
// The ring holds at most N times, but only as many as the window has needed: it starts at
// kInitialCapacity (or N when smaller) and doubles, up to N, only when its oldest time is still
// inside the window when a new one comes. Until then an overwritten time was outside the window,
// and so is every time before it: the count is still exact. A limit of 299 a second is a ring of
// 299 from the start; a filed limit of 1,000,000 a second, used at 5,000, is a ring of 8,192
// (64 KB) rather than 8 MB swept through line by line and page by page. It grows (allocates) at
// most log2(N / kInitialCapacity) times in its life, when a new peak rate is reached. Exact when
// times do not go backwards (a step back of d while the ring is smaller than N could leave out
// times within d of the window's far edge).

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/model/timestamp.hpp"

namespace guiju {

class RollingWindowLimit {
 public:
  static constexpr uint32_t kInitialCapacity = 1024;
  static constexpr size_t kSlotsPerLine = 64 / sizeof(Timestamp);

  RollingWindowLimit() = default;
  RollingWindowLimit(uint32_t limit, Duration window)
      : times_(std::min(limit, kInitialCapacity)), limit_(limit), window_(window) {}

  uint32_t limit() const { return limit_; }
  // Whether the limit already holds N events in (now - W, now]: one more would exceed it. A
  // limit of 0 means none.
  bool full(Timestamp now) const { return reached(limit_, now); }
  // Whether at least n events (n <= limit) lie in (now - W, now]; false for n = 0.
  bool reached(uint32_t n, Timestamp now) const {
    if (n == 0 || count_ < n) return false;
    const size_t capacity = times_.size();
    const size_t nth_latest = next_ >= n ? next_ - n : next_ + capacity - n;
    return times_[nth_latest] > now - window_;
  }
  void record(Timestamp now) {
    if (limit_ == 0) return;
    const size_t capacity = times_.size();
    // Full, and the oldest (the slot to be written) still counts: room is needed.
    if (count_ == capacity && capacity < limit_ && times_[next_] > now - window_) [[unlikely]] {
      grow();
    }
    times_[next_] = now;
    next_ = next_ + 1 == times_.size() ? 0 : next_ + 1;
    if (count_ < times_.size()) ++count_;
    // The ring is walked in order, and a large one's next slots were last touched a whole turn
    // ago: ask for the line after this one now, so that the read of the oldest above does not
    // wait for memory.
    if (times_.size() > kSlotsPerLine) {
      size_t ahead = next_ + kSlotsPerLine;
      if (ahead >= times_.size()) ahead -= times_.size();
      __builtin_prefetch(&times_[ahead], 1);
    }
  }

 private:
  // Doubles the ring (up to the limit), oldest first, the next free slot after the latest.
  void grow() {
    const size_t capacity = times_.size();
    std::vector<Timestamp> grown(std::min<size_t>(limit_, 2 * capacity));
    const auto split = times_.begin() + static_cast<std::ptrdiff_t>(next_);
    std::copy(times_.begin(), split, std::copy(split, times_.end(), grown.begin()));
    times_ = std::move(grown);
    next_ = capacity;
  }

  std::vector<Timestamp> times_;
  size_t next_ = 0;   // the slot the next time goes to; when the ring is full, the oldest time
  size_t count_ = 0;  // times held, at most the ring's size
  uint32_t limit_ = 0;
  Duration window_ = 0;
};

}  // namespace guiju
