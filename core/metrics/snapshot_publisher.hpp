#pragma once
// Hands the engine thread's MetricsSnapshot to the HTTP thread without a lock: a sequence lock
// over 64-bit words. The single writer never waits (it bumps the sequence around its copy); a
// reader retries while a copy is in flight or changed under it, so it never sees a torn value.
// The words are relaxed atomics rather than plain memory so the race the retry resolves is not
// undefined behaviour (and the thread sanitizer agrees).

#include <array>
#include <atomic>
#include <cstdint>

#include "core/metrics/metrics_snapshot.hpp"

namespace guiju {

class SnapshotPublisher {
 public:
  // Engine thread (one writer).
  void publish(const MetricsSnapshot& snapshot);
  // Any thread. A default snapshot (published_at_ns 0) until the first publish.
  MetricsSnapshot read() const;
  uint64_t publications() const { return sequence_.load(std::memory_order_acquire) / 2; }

 private:
  static constexpr size_t kWords = sizeof(MetricsSnapshot) / sizeof(uint64_t);
  std::atomic<uint64_t> sequence_{0};  // odd while a copy is being written
  std::array<std::atomic<uint64_t>, kWords> words_{};
};

}  // namespace guiju
