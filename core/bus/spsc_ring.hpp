#pragma once
// A bounded single-producer single-consumer ring: how producer threads talk to the engine thread
// and the engine thread to its sinks (DESIGN.md, "The bus").
//
// Mechanical sympathy:
// - head_ (written by the consumer) and tail_ (written by the producer) sit on their own cache
//   lines, each next to the other side's *cached* copy of the opposite index, so in the steady
//   state each side reads only its own line and touches the shared index only when its cached
//   view says the ring is empty (consumer) or full (producer).
// - Indices grow monotonically (64-bit, never wrap in practice); capacity is a power of two so
//   slot = index & mask.
// - pop_batch publishes head_ once per batch, so the producer sees one cache-line transfer per
//   batch rather than per element.
// - Elements are packed at T's own alignment (EventSlot is cache-line aligned itself); the
//   consumer trails the producer by whole batches, so packed small elements share lines safely.
// - Slots are pre-allocated at construction; push and pop never allocate or lock.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "core/bus/back_pressure.hpp"
#include "core/bus/cpu_relax.hpp"

namespace guiju {

template <typename T>
class SpscRing {
  static_assert(std::is_trivially_copyable_v<T>, "ring elements are copied as bytes");
  static constexpr size_t kLine = 64;

 public:
  // capacity must be a power of two >= 2.
  SpscRing(size_t capacity, BackPressure policy, std::string name = "ring")
      : capacity_(capacity), mask_(capacity - 1), policy_(policy), name_(std::move(name)) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0) {
      throw std::invalid_argument("ring '" + name_ + "': capacity " + std::to_string(capacity) +
                                  " is not a power of two >= 2");
    }
    // Value-initialised: every page is written now rather than faulted in on the hot path.
    // (Aligned new honours alignas(T).)
    slots_.reset(new T[capacity]());
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // ---- producer side -------------------------------------------------------------------------

  // Writes one element with write(T&) if there is room. Never blocks.
  template <typename Write>
  bool try_emplace(Write&& write) {
    const size_t tail = producer_.tail.load(std::memory_order_relaxed);
    if (tail - producer_.cached_head >= capacity_) {
      producer_.cached_head = consumer_.head.load(std::memory_order_acquire);
      if (tail - producer_.cached_head >= capacity_) return false;
    }
    write(slots_[tail & mask_]);
    producer_.tail.store(tail + 1, std::memory_order_release);
    return true;
  }
  bool try_push(const T& value) {
    return try_emplace([&](T& slot) { slot = value; });
  }

  // Applies the ring's back-pressure policy: kFail returns false at once when full (and counts
  // it); kBlock waits until there is room, returning false only if the ring was closed.
  template <typename Write>
  [[nodiscard]] bool emplace(Write&& write) {
    if (try_emplace(write)) return true;
    full_count_.fetch_add(1, std::memory_order_relaxed);
    if (policy_ == BackPressure::kFail) return false;
    for (uint32_t spins = 0;; ++spins) {
      if (closed_.load(std::memory_order_acquire)) return false;
      if (try_emplace(write)) return true;
      if (spins < 1024) {
        cpu_relax();
      } else {
        std::this_thread::yield();
      }
    }
  }
  [[nodiscard]] bool push(const T& value) {
    return emplace([&](T& slot) { slot = value; });
  }

  // ---- consumer side -------------------------------------------------------------------------

  // The oldest element, or nullptr when empty. Valid until pop().
  const T* front() {
    const size_t head = consumer_.head.load(std::memory_order_relaxed);
    if (head == consumer_.cached_tail) {
      consumer_.cached_tail = producer_.tail.load(std::memory_order_acquire);
      if (head == consumer_.cached_tail) return nullptr;
    }
    return &slots_[head & mask_];
  }
  void pop() {
    consumer_.head.store(consumer_.head.load(std::memory_order_relaxed) + 1,
                         std::memory_order_release);
  }
  bool try_pop(T& out) {
    const T* v = front();
    if (!v) return false;
    out = *v;
    pop();
    return true;
  }

  // Calls f(const T&) for up to max_count available elements, then frees them all at once.
  template <typename F>
  size_t pop_batch(F&& f, size_t max_count = SIZE_MAX) {
    const size_t head = consumer_.head.load(std::memory_order_relaxed);
    size_t available = consumer_.cached_tail - head;
    if (available < max_count) {
      // One acquire load per batch: take everything published so far, up to max_count.
      consumer_.cached_tail = producer_.tail.load(std::memory_order_acquire);
      available = consumer_.cached_tail - head;
      if (available == 0) return 0;
    }
    const size_t n = available < max_count ? available : max_count;
    for (size_t i = 0; i < n; ++i) f(slots_[(head + i) & mask_]);
    consumer_.head.store(head + n, std::memory_order_release);
    return n;
  }

  // ---- either side / monitoring ----------------------------------------------------------------

  // Wakes producers blocked in emplace()/push(); they return false. Used at shutdown.
  void close() { closed_.store(true, std::memory_order_release); }
  bool closed() const { return closed_.load(std::memory_order_acquire); }

  size_t capacity() const { return capacity_; }
  BackPressure policy() const { return policy_; }
  const std::string& name() const { return name_; }
  // Approximate when called concurrently; exact from either side when the other is idle.
  size_t size() const {
    return producer_.tail.load(std::memory_order_acquire) -
           consumer_.head.load(std::memory_order_acquire);
  }
  bool empty() const { return size() == 0; }
  // How many times a producer found the ring full (each kFail push that failed counts once).
  uint64_t full_count() const { return full_count_.load(std::memory_order_relaxed); }

 private:
  struct alignas(kLine) ProducerLine {
    std::atomic<size_t> tail{0};
    size_t cached_head = 0;
  };
  struct alignas(kLine) ConsumerLine {
    std::atomic<size_t> head{0};
    size_t cached_tail = 0;
  };

  // Read-mostly configuration first, then one line per side.
  const size_t capacity_;
  const size_t mask_;
  const BackPressure policy_;
  std::unique_ptr<T[]> slots_;
  std::string name_;
  std::atomic<bool> closed_{false};
  std::atomic<uint64_t> full_count_{0};
  ProducerLine producer_;
  ConsumerLine consumer_;
};

}  // namespace guiju
