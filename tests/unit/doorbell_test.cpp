// Tests for core/bus/doorbell.hpp and SpscRing::set_doorbell: a ring with nobody parked costs no
// wake-up, a park ends at its limit when nobody rings, a ring wakes a parked consumer, a push
// between prepare() and park() makes park() return at once, and a two-thread test in which the
// consumer parks whenever its ring is empty and every one of 200,000 values still arrives, in
// order, without any park running to its limit. Each for both kinds: the futex doorbell and the
// pollable (eventfd) one; for the pollable one also, a descriptor of the consumer's own that
// becomes readable ends the park and says so.

#include "core/bus/doorbell.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "core/bus/spsc_ring.hpp"

namespace guiju {
namespace {

using SteadyClock = std::chrono::steady_clock;

class DoorbellTest : public ::testing::TestWithParam<Doorbell::Kind> {};

TEST_P(DoorbellTest, RingWithNobodyParkedWakesNobody) {
  Doorbell bell(GetParam());
  bell.ring();
  bell.ring();
  EXPECT_EQ(bell.wakes(), 0U);
}

TEST_P(DoorbellTest, ParkEndsAtItsLimitWhenNobodyRings) {
  Doorbell bell(GetParam());
  const auto t0 = SteadyClock::now();
  bell.park(bell.prepare(), 20 * kMillisecond);
  EXPECT_GE(SteadyClock::now() - t0, std::chrono::milliseconds(15));
  bell.ring();  // the park is over: nobody to wake
  EXPECT_EQ(bell.wakes(), 0U);
}

TEST_P(DoorbellTest, RingAfterPrepareMakesParkReturnAtOnce) {
  Doorbell bell(GetParam());
  const uint32_t ticket = bell.prepare();
  bell.ring();  // a producer pushed after the consumer's last look at its rings
  EXPECT_EQ(bell.wakes(), 1U);
  const auto t0 = SteadyClock::now();
  bell.park(ticket, 10 * kSecond);
  EXPECT_LT(SteadyClock::now() - t0, std::chrono::seconds(5));
}

TEST_P(DoorbellTest, CancelMeansNotParked) {
  Doorbell bell(GetParam());
  bell.prepare();
  bell.cancel();
  bell.ring();
  EXPECT_EQ(bell.wakes(), 0U);
}

TEST_P(DoorbellTest, RingWakesAParkedThread) {
  Doorbell bell(GetParam());
  std::atomic<bool> woken{false};
  std::thread consumer([&] {
    bell.park(bell.prepare(), 30 * kSecond);
    woken = true;
  });
  // Ring until the consumer is parked and woken (a ring before it parked wakes nobody).
  const auto give_up = SteadyClock::now() + std::chrono::seconds(20);
  while (!woken && SteadyClock::now() < give_up) {
    bell.ring();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  consumer.join();
  EXPECT_TRUE(woken);
  EXPECT_GE(bell.wakes(), 1U);
}

// The consumer parks (with a limit far beyond the test's length) every time it finds the ring
// empty; the producer pushes in bursts with pauses. A lost wake-up would leave the consumer
// parked until the limit: the test would take minutes and fail its time check.
TEST_P(DoorbellTest, ParkedConsumerOfARingMissesNothing) {
  constexpr uint64_t kCount = 200'000;
  SpscRing<uint64_t> ring(1024, BackPressure::kBlock, "belled");
  Doorbell bell(GetParam());
  ring.set_doorbell(&bell);
  uint64_t received = 0;
  bool in_order = true;
  const auto t0 = SteadyClock::now();
  std::thread consumer([&] {
    while (received < kCount) {
      const size_t n = ring.pop_batch([&](uint64_t v) {
        in_order = in_order && v == received;
        ++received;
      });
      if (n != 0) continue;
      const uint32_t ticket = bell.prepare();
      if (!ring.empty()) {
        bell.cancel();
        continue;
      }
      bell.park(ticket, 60 * kSecond);
    }
  });
  for (uint64_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(ring.push(i));
    if (i % 997 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  consumer.join();
  EXPECT_EQ(received, kCount);
  EXPECT_TRUE(in_order);
  EXPECT_GT(bell.wakes(), 0U);  // the consumer did park, and was woken
  EXPECT_LT(SteadyClock::now() - t0, std::chrono::seconds(50));
}

INSTANTIATE_TEST_SUITE_P(Kinds, DoorbellTest,
                         ::testing::Values(Doorbell::Kind::kFutex, Doorbell::Kind::kPollable),
                         [](const auto& param_info) {
                           return param_info.param == Doorbell::Kind::kFutex ? "Futex" : "Pollable";
                         });

TEST(PollableDoorbell, ADescriptorThatBecomesReadableEndsThePark) {
  Doorbell bell(Doorbell::Kind::kPollable);
  int fds[2] = {-1, -1};
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const char byte = 'x';
    EXPECT_EQ(::write(fds[1], &byte, 1), 1);
  });
  std::array<pollfd, 1> wait{pollfd{fds[0], POLLIN, 0}};
  const auto t0 = SteadyClock::now();
  bell.park(bell.prepare(), 30 * kSecond, wait);
  EXPECT_LT(SteadyClock::now() - t0, std::chrono::seconds(20));
  EXPECT_TRUE((wait[0].revents & POLLIN) != 0);
  EXPECT_EQ(bell.wakes(), 0U);  // nobody rang: the descriptor ended it
  writer.join();
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(PollableDoorbell, ARingStillEndsAParkOnDescriptors) {
  Doorbell bell(Doorbell::Kind::kPollable);
  int fds[2] = {-1, -1};
  ASSERT_EQ(::pipe(fds), 0);
  std::array<pollfd, 1> wait{pollfd{fds[0], POLLIN, 0}};
  const uint32_t ticket = bell.prepare();
  bell.ring();
  const auto t0 = SteadyClock::now();
  bell.park(ticket, 10 * kSecond, wait);
  EXPECT_LT(SteadyClock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(wait[0].revents, 0);
  // The ring's count was taken: the next park waits for its limit, not for the old ring.
  const auto t1 = SteadyClock::now();
  bell.park(bell.prepare(), 20 * kMillisecond, wait);
  EXPECT_GE(SteadyClock::now() - t1, std::chrono::milliseconds(15));
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(PollableDoorbell, AFutexDoorbellCannotParkOnDescriptors) {
  Doorbell bell;
  EXPECT_FALSE(bell.pollable());
  std::array<pollfd, 1> wait{pollfd{0, POLLIN, 0}};
  EXPECT_THROW(bell.park(bell.prepare(), kMillisecond, wait), std::logic_error);
}

}  // namespace
}  // namespace guiju
