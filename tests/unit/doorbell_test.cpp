// Tests for core/bus/doorbell.hpp and SpscRing::set_doorbell: a ring with nobody parked costs no
// wake-up, a park ends at its limit when nobody rings, a ring wakes a parked consumer, a push
// between prepare() and park() makes park() return at once, and a two-thread test in which the
// consumer parks whenever its ring is empty and every one of 200,000 values still arrives, in
// order, without any park running to its limit.

#include "core/bus/doorbell.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "core/bus/spsc_ring.hpp"

namespace guiju {
namespace {

using SteadyClock = std::chrono::steady_clock;

TEST(Doorbell, RingWithNobodyParkedWakesNobody) {
  Doorbell bell;
  bell.ring();
  bell.ring();
  EXPECT_EQ(bell.wakes(), 0U);
}

TEST(Doorbell, ParkEndsAtItsLimitWhenNobodyRings) {
  Doorbell bell;
  const auto t0 = SteadyClock::now();
  bell.park(bell.prepare(), 20 * kMillisecond);
  EXPECT_GE(SteadyClock::now() - t0, std::chrono::milliseconds(15));
  bell.ring();  // the park is over: nobody to wake
  EXPECT_EQ(bell.wakes(), 0U);
}

TEST(Doorbell, RingAfterPrepareMakesParkReturnAtOnce) {
  Doorbell bell;
  const uint32_t ticket = bell.prepare();
  bell.ring();  // a producer pushed after the consumer's last look at its rings
  EXPECT_EQ(bell.wakes(), 1U);
  const auto t0 = SteadyClock::now();
  bell.park(ticket, 10 * kSecond);
  EXPECT_LT(SteadyClock::now() - t0, std::chrono::seconds(5));
}

TEST(Doorbell, CancelMeansNotParked) {
  Doorbell bell;
  bell.prepare();
  bell.cancel();
  bell.ring();
  EXPECT_EQ(bell.wakes(), 0U);
}

TEST(Doorbell, RingWakesAParkedThread) {
  Doorbell bell;
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
TEST(Doorbell, ParkedConsumerOfARingMissesNothing) {
  constexpr uint64_t kCount = 200'000;
  SpscRing<uint64_t> ring(1024, BackPressure::kBlock, "belled");
  Doorbell bell;
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

}  // namespace
}  // namespace guiju
