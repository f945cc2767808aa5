#pragma once
// A doorbell for a consumer thread that parks when it has nothing to do. Producers ring it after
// every push (SpscRing::set_doorbell does it for them). A ring costs a system call (a futex wake)
// only while the consumer is parked; otherwise it is one fence and one load of a line the consumer
// writes only when it parks.
//
// Why park: a consumer that spins or yields while idle is always runnable. Where the host has
// fewer cores than busy threads (the live engine and its QuickFIX threads, the journal's writer,
// anything else running there), it holds a core the producers need, and when work arrives it is as
// likely as not to be waiting for its turn on a core. A parked thread holds no core, and the
// scheduler runs a thread it wakes ahead of threads that have been running. The consumer spins a
// while before it parks, so events that follow each other closely cost no wake-up.
//
// The consumer (one thread):
//   const uint32_t ticket = bell.prepare();  // from here on, producers see it parked
//   if (its rings are still empty) bell.park(ticket, limit); else bell.cancel();
// The check after prepare() is what makes a lost wake-up impossible: a push was published either
// before prepare()'s fence, and the check sees it, or after it, and that push's ring() sees the
// consumer parked and moves the ticket on, so park() returns at once or is woken. (Both sides
// fence with seq_cst between their store and their load: Dekker's handshake.)
//
// A consumer that also reads a socket of its own (the live engine reading its market-data session
// itself) must sleep until either a producer rings or the socket has data. A futex cannot be
// waited on together with a descriptor, so such a consumer makes a pollable doorbell: an eventfd
// that ring() writes and park() polls with the consumer's descriptors. The handshake is the same.

#include <poll.h>

#include <atomic>
#include <cstdint>
#include <span>

#include "core/model/timestamp.hpp"

namespace guiju {

class alignas(64) Doorbell {
 public:
  enum class Kind : uint8_t { kFutex, kPollable };
  // kPollable opens an eventfd (throws std::system_error when it cannot).
  explicit Doorbell(Kind kind = Kind::kFutex);
  ~Doorbell();
  Doorbell(const Doorbell&) = delete;
  Doorbell& operator=(const Doorbell&) = delete;

  // Producer side, after the push is published.
  void ring() {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (parked_.load(std::memory_order_relaxed)) wake();
  }

  // Consumer side: announces the park; check the rings once more, then park() or cancel().
  uint32_t prepare() {
    const uint32_t ticket = ticket_.load(std::memory_order_acquire);
    parked_.store(true, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    return ticket;
  }
  // Sleeps until a producer rings (or has rung since prepare()) or `limit` has passed.
  void park(uint32_t ticket, Duration limit);
  // Pollable only: also returns when one of `fds` is ready (at most kMaxPollFds); their revents
  // are set.
  void park(uint32_t ticket, Duration limit, std::span<pollfd> fds);
  static constexpr size_t kMaxPollFds = 15;
  // The check found work: no park after all.
  void cancel() { parked_.store(false, std::memory_order_relaxed); }

  bool pollable() const { return event_fd_ >= 0; }

  // How many rings found the consumer parked (each one a wake-up); for tests and statistics.
  uint32_t wakes() const { return ticket_.load(std::memory_order_relaxed); }

 private:
  void wake();

  std::atomic<uint32_t> ticket_{0};  // the futex word: moved on by each ring() that wakes
  std::atomic<bool> parked_{false};
  int event_fd_ = -1;  // kPollable: what ring() writes and park() polls
};

}  // namespace guiju
