#pragma once
// A latency histogram the engine thread fills without atomics or allocation: fixed log-scale
// buckets (1-2-5 steps, 100 ns .. 10 ms) in a plain array the owner writes and a periodic snapshot
// copies. Prometheus needs cumulative buckets; these are per-bucket counts, summed by the encoder,
// so that an observation costs one increment.

#include <array>
#include <cstdint>

#include "core/model/timestamp.hpp"

namespace guiju {

struct LatencyHistogram {
  // Upper bounds in nanoseconds; an observation above the last lands in the +Inf bucket.
  static constexpr std::array<int64_t, 16> kBoundsNs = {
      100,    200,     500,     1'000,   2'000,     5'000,     10'000,    20'000,
      50'000, 100'000, 200'000, 500'000, 1'000'000, 2'000'000, 5'000'000, 10'000'000};
  static constexpr size_t kBuckets = kBoundsNs.size() + 1;

  std::array<uint64_t, kBuckets> counts{};  // per bucket, not cumulative; last: +Inf
  uint64_t count = 0;
  uint64_t sum_ns = 0;

  void observe(Duration ns) {
    if (ns < 0) ns = 0;  // a clock step backwards reads as no time, never as a huge value
    size_t b = 0;
    while (b < kBoundsNs.size() && ns > kBoundsNs[b]) ++b;
    ++counts[b];
    ++count;
    sum_ns += static_cast<uint64_t>(ns);
  }
};

}  // namespace guiju
