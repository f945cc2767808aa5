#pragma once
// A bounded single-producer single-consumer ring: how producer threads talk to the engine thread
// and the engine thread to its sinks (DESIGN.md, "The bus").
//
// Mechanical sympathy: data lines flow one way, and nobody polls the other side's index.
// - Readiness travels with the data: the producer writes an element, then stamps its slot with
//   the position + 1 (release). The consumer polls the slot it will read next, never the
//   producer's index, so a consumer that keeps up with the producer waits on the very line the
//   producer is about to write instead of pulling an index line back and forth on every push.
// - Room is tracked with indices: the consumer publishes how far it has read (once per pop_batch
//   call); the producer keeps a cached copy and reloads it only when the ring looks full.
// - The consumer never writes a slot, so a slot's cache line moves producer -> consumer only.
// - Positions grow monotonically (64-bit, never wrap in practice); capacity is a power of two so
//   slot = position & mask.
// - Slots are allocated and zeroed at construction (no page is faulted in on the hot path); push
//   and pop never allocate or lock.

#include <algorithm>
#include <atomic>
#include <chrono>
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
#include "core/bus/doorbell.hpp"

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
    // Value-initialised (every stamp 0, so no slot looks ready) and every page touched now.
    // (Aligned new honours the slot's alignment.)
    slots_.reset(new Slot[capacity]());
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // ---- producer side -------------------------------------------------------------------------

  // Rung after every push, for a consumer that parks when idle (core/bus/doorbell.hpp); without
  // one (the default) a push does nothing more. Set before the producer starts.
  void set_doorbell(Doorbell* doorbell) { producer_.doorbell = doorbell; }

  // Writes one element with write(T&) if there is room. Never blocks.
  template <typename Write>
  bool try_emplace(Write&& write) {
    const uint64_t position = producer_.position;
    if (position - producer_.cached_read >= capacity_) {
      producer_.cached_read = consumer_.read.load(std::memory_order_acquire);
      if (position - producer_.cached_read >= capacity_) return false;  // full
    }
    Slot& slot = slots_[position & mask_];
    write(slot.value);
    // For size() only, and stored before the stamp: whoever sees the element (the consumer, and
    // through its read position a monitoring thread) then sees this too. Stored after it, a
    // monitor could see the consumer's read pass it and size() wrap below zero.
    producer_.published.store(position + 1, std::memory_order_relaxed);
    slot.stamp.store(position + 1, std::memory_order_release);
    producer_.position = position + 1;
    if (producer_.doorbell != nullptr) producer_.doorbell->ring();
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
        // Still full: the consumer is a whole ring behind. Sleeping gives it the CPU; a producer
        // that yields stays runnable, and on a host with fewer cores than busy threads it kept
        // the very consumer it waited for (the journal's writer) off the CPU.
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    }
  }
  [[nodiscard]] bool push(const T& value) {
    return emplace([&](T& slot) { slot = value; });
  }

  // ---- consumer side -------------------------------------------------------------------------

  // The oldest element, or nullptr when empty. Valid until pop().
  const T* front() {
    const Slot& slot = slots_[consumer_.position & mask_];
    if (slot.stamp.load(std::memory_order_acquire) != consumer_.position + 1) return nullptr;
    return &slot.value;
  }
  // Frees the element front() returned.
  void pop() {
    ++consumer_.position;
    consumer_.read.store(consumer_.position, std::memory_order_release);
  }
  bool try_pop(T& out) {
    const T* v = front();
    if (!v) return false;
    out = *v;
    pop();
    return true;
  }

  // Calls f(const T&) for each available element, oldest first, up to max_count, then frees
  // them all at once (one store the producer may need to see). Returns how many.
  template <typename F>
  size_t pop_batch(F&& f, size_t max_count = SIZE_MAX) {
    size_t n = 0;
    for (; n < max_count; ++n) {
      const T* v = front();
      if (!v) break;
      f(*v);
      ++consumer_.position;
    }
    if (n != 0) consumer_.read.store(consumer_.position, std::memory_order_release);
    return n;
  }

  // ---- either side / monitoring ----------------------------------------------------------------

  // Wakes producers blocked in emplace()/push(); they return false. Used at shutdown.
  void close() { closed_.store(true, std::memory_order_release); }
  bool closed() const { return closed_.load(std::memory_order_acquire); }

  size_t capacity() const { return capacity_; }
  BackPressure policy() const { return policy_; }
  const std::string& name() const { return name_; }
  // Approximate when called concurrently; exact from either side when the other is idle. Reads
  // both sides' lines: for monitoring, not for the hot path.
  size_t size() const {
    // The consumer's position first: both only grow and it never passes the producer's, so a
    // producer's position read after it is at least as far (the producer stores it before the
    // element's stamp, which the consumer saw before it moved). The other order, from a third
    // thread (metrics), could see the consumer pass a stale producer position and wrap below zero.
    // A reader preempted between the two loads can find the producer far ahead of the read it
    // took: never more than the ring holds.
    const uint64_t read = consumer_.read.load(std::memory_order_acquire);
    return std::min<uint64_t>(producer_.published.load(std::memory_order_acquire) - read,
                              capacity_);
  }
  bool empty() const { return size() == 0; }
  // How many times a producer found the ring full (each kFail push that failed counts once).
  uint64_t full_count() const { return full_count_.load(std::memory_order_relaxed); }

 private:
  struct Slot {
    std::atomic<uint64_t> stamp;  // position + 1 of the element it holds; 0 before the first
    T value;
  };
  struct alignas(kLine) ProducerLine {
    uint64_t position = 0;               // next position to write (producer only)
    uint64_t cached_read = 0;            // last seen consumer_.read (producer only)
    std::atomic<uint64_t> published{0};  // position, for size()
    Doorbell* doorbell = nullptr;        // set_doorbell
  };
  struct alignas(kLine) ConsumerLine {
    uint64_t position = 0;          // next position to read (consumer only)
    std::atomic<uint64_t> read{0};  // everything before it is free for the producer
  };

  // Read-only configuration first, then one line per side.
  const size_t capacity_;
  const size_t mask_;
  const BackPressure policy_;
  std::unique_ptr<Slot[]> slots_;
  std::string name_;
  std::atomic<bool> closed_{false};
  std::atomic<uint64_t> full_count_{0};
  ProducerLine producer_;
  ConsumerLine consumer_;
};

}  // namespace guiju
