// Tests for core/bus/spsc_ring.hpp: capacity validation, FIFO order, full and empty behaviour,
// pop_batch limits, both back-pressure policies (kFail counts, kBlock waits for the consumer and
// gives up on close), index wrap-around, EventSlot elements, and a two-thread stress test that
// pushes 2,000,000 sequenced values through a 1024-slot ring, once with a third thread reading
// size() meanwhile.

#include "core/bus/spsc_ring.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/events/event_slot.hpp"
#include "core/util/random.hpp"

namespace guiju {
namespace {

using Ring = SpscRing<uint64_t>;

// Waits (yielding) until pred() holds. Returns false after a very generous safety limit so that
// a bug fails the test instead of hanging it; no test asserts anything about how long it took.
template <typename Pred>
bool EventuallyTrue(Pred pred) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::yield();
  }
  return true;
}

std::vector<uint64_t> Drain(Ring& ring) {
  std::vector<uint64_t> out;
  uint64_t v = 0;
  while (ring.try_pop(v)) out.push_back(v);
  return out;
}

// ---- construction ----------------------------------------------------------------------------

TEST(SpscRing, RejectsCapacityThatIsNotAPowerOfTwoAtLeastTwo) {
  for (size_t bad : {size_t{0}, size_t{1}, size_t{3}, size_t{6}, size_t{100}, size_t{1023}}) {
    try {
      Ring ring(bad, BackPressure::kFail, "orders");
      ADD_FAILURE() << "capacity " << bad << " accepted";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("orders"), std::string::npos) << what;
      EXPECT_NE(what.find(std::to_string(bad)), std::string::npos) << what;
    }
  }
}

TEST(SpscRing, AcceptsPowersOfTwoAndReportsItsSettings) {
  for (size_t good : {size_t{2}, size_t{4}, size_t{1024}, size_t{1} << 16}) {
    Ring ring(good, BackPressure::kBlock, "inbound");
    EXPECT_EQ(ring.capacity(), good);
    EXPECT_EQ(ring.policy(), BackPressure::kBlock);
    EXPECT_EQ(ring.name(), "inbound");
    EXPECT_TRUE(ring.empty());
    EXPECT_EQ(ring.size(), 0u);
    EXPECT_EQ(ring.full_count(), 0u);
    EXPECT_FALSE(ring.closed());
  }
}

// ---- single-threaded behaviour ---------------------------------------------------------------

TEST(SpscRing, IsFirstInFirstOut) {
  Ring ring(8, BackPressure::kFail);
  for (uint64_t v : {10u, 20u, 30u}) ASSERT_TRUE(ring.try_push(v));
  EXPECT_EQ(ring.size(), 3u);
  const uint64_t* front = ring.front();
  ASSERT_NE(front, nullptr);
  EXPECT_EQ(*front, 10u);
  EXPECT_EQ(*ring.front(), 10u) << "front() does not consume";
  ring.pop();
  EXPECT_EQ(Drain(ring), (std::vector<uint64_t>{20, 30}));
  EXPECT_EQ(ring.front(), nullptr);
  EXPECT_TRUE(ring.empty());
  uint64_t v = 7;
  EXPECT_FALSE(ring.try_pop(v));
  EXPECT_EQ(v, 7u) << "a failed try_pop leaves the output alone";
}

TEST(SpscRing, TryPushFailsWhenFullAndSucceedsAfterAPop) {
  Ring ring(4, BackPressure::kFail);
  for (uint64_t v = 0; v < 4; ++v) ASSERT_TRUE(ring.try_push(v)) << v;
  EXPECT_EQ(ring.size(), 4u);
  EXPECT_FALSE(ring.try_push(99));
  EXPECT_FALSE(ring.try_emplace([](uint64_t& slot) { slot = 98; }));
  EXPECT_EQ(ring.size(), 4u);
  uint64_t v = 0;
  ASSERT_TRUE(ring.try_pop(v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(ring.try_push(4));
  EXPECT_FALSE(ring.try_push(5));
  EXPECT_EQ(Drain(ring), (std::vector<uint64_t>{1, 2, 3, 4}));
}

TEST(SpscRing, TryEmplaceWritesInPlace) {
  Ring ring(2, BackPressure::kFail);
  ASSERT_TRUE(ring.try_emplace([](uint64_t& slot) { slot = 1234; }));
  EXPECT_EQ(Drain(ring), (std::vector<uint64_t>{1234}));
}

TEST(SpscRing, PopBatchRespectsMaxCountAndFreesSlots) {
  Ring ring(16, BackPressure::kFail);
  for (uint64_t v = 0; v < 10; ++v) ASSERT_TRUE(ring.try_push(v));
  std::vector<uint64_t> got;
  EXPECT_EQ(ring.pop_batch([&](const uint64_t& v) { got.push_back(v); }, 3), 3u);
  EXPECT_EQ(got, (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_EQ(ring.size(), 7u);

  // Exactly the freed slots are available again.
  for (uint64_t v = 10; v < 19; ++v) ASSERT_TRUE(ring.try_push(v)) << v;
  EXPECT_FALSE(ring.try_push(19));

  got.clear();
  EXPECT_EQ(ring.pop_batch([&](const uint64_t& v) { got.push_back(v); }), 16u);
  ASSERT_EQ(got.size(), 16u);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], i + 3);
  EXPECT_TRUE(ring.empty());
}

TEST(SpscRing, PopBatchOnAnEmptyRingCallsNothing) {
  Ring ring(4, BackPressure::kFail);
  int calls = 0;
  EXPECT_EQ(ring.pop_batch([&](const uint64_t&) { ++calls; }), 0u);
  EXPECT_EQ(ring.pop_batch([&](const uint64_t&) { ++calls; }, 0), 0u);
  ASSERT_TRUE(ring.try_push(1));
  EXPECT_EQ(ring.pop_batch([&](const uint64_t&) { ++calls; }, 0), 0u) << "max_count 0";
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(ring.size(), 1u);
}

TEST(SpscRing, PopBatchFreesSlotsForAFullRing) {
  Ring ring(4, BackPressure::kFail);
  for (uint64_t v = 0; v < 4; ++v) ASSERT_TRUE(ring.try_push(v));
  EXPECT_EQ(ring.pop_batch([](const uint64_t&) {}, 2), 2u);
  EXPECT_TRUE(ring.try_push(4));
  EXPECT_TRUE(ring.try_push(5));
  EXPECT_FALSE(ring.try_push(6));
  EXPECT_EQ(Drain(ring), (std::vector<uint64_t>{2, 3, 4, 5}));
}

TEST(SpscRing, FailPolicyReturnsFalseWhenFullAndCountsEachFailure) {
  Ring ring(4, BackPressure::kFail);
  for (uint64_t v = 0; v < 4; ++v) ASSERT_TRUE(ring.push(v));
  EXPECT_EQ(ring.full_count(), 0u);
  EXPECT_FALSE(ring.push(4));
  EXPECT_EQ(ring.full_count(), 1u);
  EXPECT_FALSE(ring.push(5));
  EXPECT_FALSE(ring.emplace([](uint64_t& slot) { slot = 6; }));
  EXPECT_EQ(ring.full_count(), 3u);
  uint64_t v = 0;
  ASSERT_TRUE(ring.try_pop(v));
  EXPECT_TRUE(ring.push(7));
  EXPECT_EQ(ring.full_count(), 3u) << "a successful push is not counted";
  EXPECT_EQ(Drain(ring), (std::vector<uint64_t>{1, 2, 3, 7})) << "failed pushes wrote nothing";
}

TEST(SpscRing, WrapsAroundManyTimes) {
  Ring ring(4, BackPressure::kFail);
  Random rng(3);
  uint64_t next_in = 0;
  uint64_t next_out = 0;
  while (next_out < 100'000) {
    const auto pushes = rng.uniform_int(0, 4);
    for (int64_t i = 0; i < pushes; ++i) {
      const bool room = ring.size() < ring.capacity();
      ASSERT_EQ(ring.try_push(next_in), room) << "size " << ring.size();
      if (room) ++next_in;
    }
    const auto max = static_cast<size_t>(rng.uniform_int(1, 4));
    ring.pop_batch([&](const uint64_t& v) { ASSERT_EQ(v, next_out++); }, max);
    ASSERT_EQ(ring.size(), next_in - next_out);
  }
}

// ---- blocking ------------------------------------------------------------------------------

TEST(SpscRing, BlockPolicyWaitsUntilTheConsumerPops) {
  Ring ring(4, BackPressure::kBlock, "blocking");
  for (uint64_t v = 0; v < 4; ++v) ASSERT_TRUE(ring.push(v));

  std::atomic<bool> done{false};
  std::atomic<bool> result{false};
  std::thread producer([&] {
    result.store(ring.push(99));
    done.store(true);
  });
  // full_count rises when the producer finds the ring full, before it starts waiting.
  const bool blocked = EventuallyTrue([&] { return ring.full_count() == 1; });
  EXPECT_TRUE(blocked) << "producer never reported a full ring";
  EXPECT_FALSE(done.load()) << "push returned while the ring was still full";
  EXPECT_EQ(ring.size(), 4u);

  uint64_t v = 0;
  ASSERT_TRUE(ring.try_pop(v));
  EXPECT_EQ(v, 0u);
  if (!blocked) ring.close();  // never leave the producer spinning
  producer.join();
  EXPECT_TRUE(done.load());
  EXPECT_TRUE(result.load());
  EXPECT_EQ(ring.full_count(), 1u) << "one blocking push counts once";
  EXPECT_EQ(Drain(ring), (std::vector<uint64_t>{1, 2, 3, 99}));
}

TEST(SpscRing, BlockedPushReturnsFalseAfterClose) {
  Ring ring(2, BackPressure::kBlock, "closing");
  ASSERT_TRUE(ring.push(1));
  ASSERT_TRUE(ring.push(2));

  std::atomic<int> result{-1};
  std::thread producer([&] { result.store(ring.push(3) ? 1 : 0); });
  EXPECT_TRUE(EventuallyTrue([&] { return ring.full_count() == 1; }));
  EXPECT_EQ(result.load(), -1) << "push returned while the ring was full and open";
  ring.close();
  producer.join();
  EXPECT_EQ(result.load(), 0);
  EXPECT_TRUE(ring.closed());
  EXPECT_EQ(Drain(ring), (std::vector<uint64_t>{1, 2})) << "the refused value was not written";
}

TEST(SpscRing, PushIntoAFullClosedBlockingRingReturnsFalseAtOnce) {
  Ring ring(2, BackPressure::kBlock);
  ASSERT_TRUE(ring.push(1));
  ASSERT_TRUE(ring.push(2));
  ring.close();
  EXPECT_FALSE(ring.push(3));  // same thread: would hang forever if it waited
  EXPECT_EQ(ring.size(), 2u);
}

// ---- EventSlot elements ----------------------------------------------------------------------

TEST(SpscRing, CarriesEventSlots) {
  SpscRing<EventSlot> ring(8, BackPressure::kFail, "events");
  Quote q;
  q.header = make_header<Quote>(1'000, 2'000, 3);
  q.header.sequence = 41;
  q.instrument = 7;
  q.bid_price = *Price::parse("1700.01");
  q.bid_size = *Quantity::parse("300");
  q.ask_price = *Price::parse("1700.02");
  q.ask_size = *Quantity::parse("100");
  ASSERT_TRUE(ring.try_emplace([&](EventSlot& slot) { slot.store(q); }));

  EventSlot copy;
  copy.store(Trade{});
  ASSERT_TRUE(ring.push(copy));

  const EventSlot* front = ring.front();
  ASSERT_NE(front, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(front) % kCacheLine, 0u) << "slots are line-aligned";
  ASSERT_EQ(front->type(), EventType::kQuote);
  const Quote& back = front->as<Quote>();
  EXPECT_EQ(back.header.sequence, 41u);
  EXPECT_EQ(back.header.source, 3u);
  EXPECT_EQ(back.instrument, 7u);
  EXPECT_EQ(back.bid_price, q.bid_price);
  EXPECT_EQ(back.bid_size, q.bid_size);
  EXPECT_EQ(back.ask_price, q.ask_price);
  EXPECT_EQ(back.ask_size, q.ask_size);
  ring.pop();

  EventSlot out;
  ASSERT_TRUE(ring.try_pop(out));
  EXPECT_EQ(out.type(), EventType::kTrade);
  EXPECT_TRUE(ring.empty());
}

// ---- two threads -----------------------------------------------------------------------------

constexpr uint64_t kStressCount = 2'000'000;

enum class ProducerStyle { kBlockingPush, kSpinningTryPush };
enum class ConsumerStyle { kPopBatch, kTryPop };

struct StressOutcome {
  uint64_t received = 0;
  uint64_t first_bad_index = UINT64_MAX;  // where the sequence first went wrong
  uint64_t first_bad_value = 0;
  uint64_t push_failures = 0;
  uint64_t largest_size_seen = 0;  // by a third thread reading size(), when asked for
};

StressOutcome RunStress(ProducerStyle producer_style, ConsumerStyle consumer_style,
                        bool monitor = false) {
  Ring ring(
      1024,
      producer_style == ProducerStyle::kBlockingPush ? BackPressure::kBlock : BackPressure::kFail,
      "stress");
  std::atomic<bool> producer_done{false};
  std::atomic<uint64_t> push_failures{0};
  std::thread producer([&] {
    for (uint64_t i = 0; i < kStressCount; ++i) {
      if (producer_style == ProducerStyle::kBlockingPush) {
        if (!ring.push(i)) push_failures.fetch_add(1);
      } else {
        uint32_t spins = 0;
        while (!ring.try_push(i)) {
          if (++spins < 256) {
            cpu_relax();
          } else {
            std::this_thread::yield();
          }
        }
      }
    }
    producer_done.store(true, std::memory_order_release);
  });
  // The metrics thread's view: size() read while both sides run.
  std::atomic<uint64_t> largest_size{0};
  std::thread monitor_thread;
  if (monitor) {
    monitor_thread = std::thread([&] {
      uint64_t largest = 0;
      while (!producer_done.load(std::memory_order_acquire)) {
        largest = std::max<uint64_t>(largest, ring.size());
      }
      largest_size.store(largest);
    });
  }

  StressOutcome outcome;
  auto check = [&](uint64_t v) {
    if (v != outcome.received && outcome.first_bad_index == UINT64_MAX) {
      outcome.first_bad_index = outcome.received;
      outcome.first_bad_value = v;
    }
    ++outcome.received;
  };
  Random rng(11);
  while (true) {
    size_t got = 0;
    if (consumer_style == ConsumerStyle::kPopBatch) {
      const auto max = static_cast<size_t>(rng.uniform_int(1, 2048));
      got = ring.pop_batch([&](const uint64_t& v) { check(v); }, max);
    } else {
      uint64_t v = 0;
      while (ring.try_pop(v)) {
        check(v);
        ++got;
      }
    }
    if (got == 0) {
      // Finished only when the producer is done and nothing it wrote is left; a lost or extra
      // value then shows as a wrong count instead of a hang.
      if (producer_done.load(std::memory_order_acquire) && ring.empty()) break;
      std::this_thread::yield();
    }
    if (outcome.received > kStressCount + 1'000) break;  // duplicates: stop, report
  }
  producer.join();
  if (monitor_thread.joinable()) monitor_thread.join();
  outcome.push_failures = push_failures.load();
  outcome.largest_size_seen = largest_size.load();
  return outcome;
}

void ExpectAllArrivedInOrder(const StressOutcome& o) {
  EXPECT_EQ(o.push_failures, 0u);
  EXPECT_EQ(o.received, kStressCount);
  EXPECT_EQ(o.first_bad_index, UINT64_MAX)
      << "value " << o.first_bad_value << " arrived at position " << o.first_bad_index;
}

TEST(SpscRingStress, BlockingPushWithPopBatchDeliversEveryValueOnceInOrder) {
  ExpectAllArrivedInOrder(RunStress(ProducerStyle::kBlockingPush, ConsumerStyle::kPopBatch));
}

TEST(SpscRingStress, SpinningTryPushWithTryPopDeliversEveryValueOnceInOrder) {
  ExpectAllArrivedInOrder(RunStress(ProducerStyle::kSpinningTryPush, ConsumerStyle::kTryPop));
}

TEST(SpscRingStress, SpinningTryPushWithPopBatchDeliversEveryValueOnceInOrder) {
  ExpectAllArrivedInOrder(RunStress(ProducerStyle::kSpinningTryPush, ConsumerStyle::kPopBatch));
}

// size() from a third thread (the metrics sampler) is approximate, but never more than the ring
// holds: read between the producer's moves, the two positions can be more than a ring apart.
TEST(SpscRingStress, SizeReadByAThirdThreadNeverExceedsTheCapacity) {
  const StressOutcome o = RunStress(ProducerStyle::kSpinningTryPush, ConsumerStyle::kTryPop, true);
  ExpectAllArrivedInOrder(o);
  EXPECT_LE(o.largest_size_seen, 1024u);
}

}  // namespace
}  // namespace guiju
