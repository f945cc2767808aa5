#include "core/bus/doorbell.hpp"

#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <ctime>
#include <stdexcept>
#include <string>
#include <system_error>

namespace guiju {

namespace {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t), "the futex word is the atomic");

long futex(std::atomic<uint32_t>& word, int op, uint32_t value, const timespec* timeout) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the futex word's address
  return ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), op, value, timeout, nullptr, 0);
}

timespec to_timespec(Duration d) {
  timespec t{};
  t.tv_sec = static_cast<time_t>(d / kSecond);
  t.tv_nsec = static_cast<long>(d % kSecond);
  return t;
}

}  // namespace

Doorbell::Doorbell(Kind kind) {
  if (kind == Kind::kPollable) {
    event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (event_fd_ < 0) throw std::system_error(errno, std::generic_category(), "doorbell: eventfd");
  }
}

Doorbell::~Doorbell() {
  if (event_fd_ >= 0) ::close(event_fd_);
}

void Doorbell::wake() {
  ticket_.fetch_add(1, std::memory_order_release);
  if (event_fd_ >= 0) {
    const uint64_t one = 1;
    (void)!::write(event_fd_, &one, sizeof one);  // only fails when the count would overflow
  } else {
    futex(ticket_, FUTEX_WAKE_PRIVATE, 1, nullptr);
  }
}

void Doorbell::park(uint32_t ticket, Duration limit, std::span<pollfd> fds) {
  if (event_fd_ < 0 || fds.size() > kMaxPollFds) {
    throw std::logic_error("doorbell: park on descriptors needs a pollable doorbell and at most " +
                           std::to_string(kMaxPollFds) + " of them");
  }
  if (ticket_.load(std::memory_order_acquire) == ticket) {
    std::array<pollfd, kMaxPollFds + 1> all{};
    all[0] = pollfd{event_fd_, POLLIN, 0};
    for (size_t i = 0; i < fds.size(); ++i) all[i + 1] = fds[i];
    const timespec timeout = to_timespec(limit);
    if (::ppoll(all.data(), fds.size() + 1, &timeout, nullptr) > 0) {
      for (size_t i = 0; i < fds.size(); ++i) fds[i].revents = all[i + 1].revents;
    }
  }
  // A ring that came after prepare() left the count up: take it (a later park would return at
  // once for nothing otherwise).
  uint64_t count = 0;
  (void)!::read(event_fd_, &count, sizeof count);
  parked_.store(false, std::memory_order_relaxed);
}

void Doorbell::park(uint32_t ticket, Duration limit) {
  if (event_fd_ >= 0) {
    park(ticket, limit, std::span<pollfd>());
    return;
  }
  const timespec timeout = to_timespec(limit);
  // Returns at once when the ticket has moved on since prepare(); a spurious return is harmless:
  // the caller polls its rings and parks again.
  futex(ticket_, FUTEX_WAIT_PRIVATE, ticket, &timeout);
  parked_.store(false, std::memory_order_relaxed);
}

}  // namespace guiju
