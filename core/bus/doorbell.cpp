#include "core/bus/doorbell.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ctime>

namespace guiju {

namespace {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t), "the futex word is the atomic");

long futex(std::atomic<uint32_t>& word, int op, uint32_t value, const timespec* timeout) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the futex word's address
  return ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), op, value, timeout, nullptr, 0);
}

}  // namespace

void Doorbell::wake() {
  ticket_.fetch_add(1, std::memory_order_release);
  futex(ticket_, FUTEX_WAKE_PRIVATE, 1, nullptr);
}

void Doorbell::park(uint32_t ticket, Duration limit) {
  timespec timeout{};
  timeout.tv_sec = static_cast<time_t>(limit / kSecond);
  timeout.tv_nsec = static_cast<long>(limit % kSecond);
  // Returns at once when the ticket has moved on since prepare(); a spurious return is harmless:
  // the caller polls its rings and parks again.
  futex(ticket_, FUTEX_WAIT_PRIVATE, ticket, &timeout);
  parked_.store(false, std::memory_order_relaxed);
}

}  // namespace guiju
