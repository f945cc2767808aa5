#include "core/metrics/snapshot_publisher.hpp"

#include <bit>

namespace guiju {

void SnapshotPublisher::publish(const MetricsSnapshot& snapshot) {
  const auto source = std::bit_cast<std::array<uint64_t, kWords>>(snapshot);
  const uint64_t s = sequence_.load(std::memory_order_relaxed);
  sequence_.store(s + 1, std::memory_order_relaxed);
  // The odd sequence must be visible before any word changes.
  std::atomic_thread_fence(std::memory_order_release);
  for (size_t i = 0; i < kWords; ++i) words_[i].store(source[i], std::memory_order_relaxed);
  sequence_.store(s + 2, std::memory_order_release);
}

MetricsSnapshot SnapshotPublisher::read() const {
  std::array<uint64_t, kWords> copy{};
  for (;;) {
    const uint64_t before = sequence_.load(std::memory_order_acquire);
    if ((before & 1) != 0) continue;
    for (size_t i = 0; i < kWords; ++i) copy[i] = words_[i].load(std::memory_order_relaxed);
    // The words must be read before the sequence is looked at again.
    std::atomic_thread_fence(std::memory_order_acquire);
    if (sequence_.load(std::memory_order_relaxed) == before) break;
  }
  return std::bit_cast<MetricsSnapshot>(copy);
}

}  // namespace guiju
