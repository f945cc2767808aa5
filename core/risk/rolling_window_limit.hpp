#pragma once
// "At most N events in any window of length W", exactly and in O(1): the times of the last N
// events are kept in a ring. One more event now would make N + 1 in the window exactly when the
// oldest of those N is still inside it, (now - W, now]. No buckets, so no approximation at the
// window's edges; the memory is N timestamps, allocated once.

#include <cstdint>
#include <vector>

#include "core/model/timestamp.hpp"

namespace guiju {

class RollingWindowLimit {
 public:
  RollingWindowLimit() = default;
  RollingWindowLimit(uint32_t limit, Duration window) : times_(limit), window_(window) {}

  uint32_t limit() const { return static_cast<uint32_t>(times_.size()); }
  // Whether the limit already holds N events in (now - W, now]: one more would exceed it. A
  // limit of 0 means none.
  bool full(Timestamp now) const {
    return !times_.empty() && count_ == times_.size() && times_[oldest_] > now - window_;
  }
  void record(Timestamp now) {
    if (times_.empty()) return;
    times_[oldest_] = now;  // the ring's oldest slot becomes the newest
    oldest_ = oldest_ + 1 == times_.size() ? 0 : oldest_ + 1;
    if (count_ < times_.size()) ++count_;
  }

 private:
  std::vector<Timestamp> times_;
  size_t oldest_ = 0;  // when full, the oldest time; before that, the next free slot
  size_t count_ = 0;
  Duration window_ = 0;
};

}  // namespace guiju
