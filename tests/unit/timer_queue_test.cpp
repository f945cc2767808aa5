// Tests for core/clock/timer_queue.hpp: one-shot and periodic timers, ordering by due time with
// ties in creation order, time jumps (one firing that reports missed periods), cancellation by id
// and by owner, active() and next_due(), plus a seeded comparison against a simple model.

#include "core/clock/timer_queue.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <vector>

#include "core/util/random.hpp"

namespace guiju {
namespace {

constexpr StrategyId kOwnerA = 1;
constexpr StrategyId kOwnerB = 2;

// Pops everything due at `now`, in order.
std::vector<TimerFiring> PopAll(TimerQueue& q, Timestamp now) {
  std::vector<TimerFiring> out;
  while (const auto f = q.pop_due(now)) {
    out.push_back(*f);
    if (out.size() > 10'000) break;  // a bug must fail the test, not hang it
  }
  return out;
}

std::vector<TimerId> Ids(const std::vector<TimerFiring>& firings) {
  std::vector<TimerId> ids;
  for (const TimerFiring& f : firings) ids.push_back(f.id);
  return ids;
}

TEST(TimerQueue, EmptyQueueHasNothingDue) {
  TimerQueue q;
  EXPECT_EQ(q.active(), 0u);
  EXPECT_FALSE(q.next_due().has_value());
  EXPECT_FALSE(q.pop_due(INT64_MAX).has_value());
  EXPECT_EQ(q.missed_total(), 0u);
}

TEST(TimerQueue, IdsAreDistinctAndNonZero) {
  TimerQueue q;
  const TimerId a = q.schedule(100, 0, kOwnerA);
  const TimerId b = q.schedule(100, 0, kOwnerA);
  EXPECT_NE(a, 0u);
  EXPECT_NE(b, 0u);
  EXPECT_NE(a, b);
}

TEST(TimerQueue, OneShotFiresOnceAtItsDueTimeNotBefore) {
  TimerQueue q;
  const TimerId id = q.schedule(1'000, 0, kOwnerA);
  EXPECT_EQ(q.active(), 1u);
  ASSERT_EQ(q.next_due(), std::optional<Timestamp>(1'000));
  EXPECT_FALSE(q.pop_due(999).has_value());
  EXPECT_EQ(q.active(), 1u);

  const auto f = q.pop_due(1'000);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->id, id);
  EXPECT_EQ(f->owner, kOwnerA);
  EXPECT_EQ(f->scheduled, 1'000);
  EXPECT_EQ(f->period, 0);
  EXPECT_EQ(f->missed, 0u);
  EXPECT_EQ(q.active(), 0u);

  EXPECT_FALSE(q.pop_due(1'000).has_value());
  EXPECT_FALSE(q.pop_due(INT64_MAX).has_value());
  EXPECT_FALSE(q.next_due().has_value());
}

TEST(TimerQueue, LateOneShotReportsItsScheduledTime) {
  TimerQueue q;
  q.schedule(1'000, 0, kOwnerA);
  const auto f = q.pop_due(5'000);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->scheduled, 1'000);
  EXPECT_EQ(f->missed, 0u) << "one-shot timers never miss periods";
  EXPECT_EQ(q.missed_total(), 0u);
}

TEST(TimerQueue, NegativePeriodIsAOneShot) {
  TimerQueue q;
  q.schedule(10, -5, kOwnerA);
  const auto f = q.pop_due(100);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->period, 0);
  EXPECT_FALSE(q.pop_due(1'000).has_value());
  EXPECT_EQ(q.active(), 0u);
}

TEST(TimerQueue, FiresInDueTimeOrder) {
  TimerQueue q;
  const TimerId late = q.schedule(300, 0, kOwnerA);
  const TimerId early = q.schedule(100, 0, kOwnerA);
  const TimerId middle = q.schedule(200, 0, kOwnerB);
  EXPECT_EQ(q.next_due(), std::optional<Timestamp>(100));
  EXPECT_EQ(Ids(PopAll(q, 1'000)), (std::vector<TimerId>{early, middle, late}));
}

TEST(TimerQueue, OnlyDueTimersFire) {
  TimerQueue q;
  const TimerId a = q.schedule(100, 0, kOwnerA);
  const TimerId b = q.schedule(200, 0, kOwnerA);
  const TimerId c = q.schedule(300, 0, kOwnerA);
  EXPECT_EQ(Ids(PopAll(q, 200)), (std::vector<TimerId>{a, b}));
  EXPECT_EQ(q.active(), 1u);
  EXPECT_EQ(q.next_due(), std::optional<Timestamp>(300));
  EXPECT_EQ(Ids(PopAll(q, 300)), (std::vector<TimerId>{c}));
}

TEST(TimerQueue, TiesFireInCreationOrder) {
  TimerQueue q;
  std::vector<TimerId> created;
  for (int i = 0; i < 50; ++i) created.push_back(q.schedule(500, 0, static_cast<StrategyId>(i)));
  q.schedule(499, 0, kOwnerA);  // an earlier one created last still goes first
  const std::vector<TimerFiring> fired = PopAll(q, 500);
  ASSERT_EQ(fired.size(), 51u);
  EXPECT_EQ(fired[0].scheduled, 499);
  for (size_t i = 0; i < created.size(); ++i) {
    EXPECT_EQ(fired[i + 1].id, created[i]) << "position " << i;
    EXPECT_EQ(fired[i + 1].owner, static_cast<StrategyId>(i));
  }
}

TEST(TimerQueue, PeriodicTimerReArmsWithTheSameId) {
  TimerQueue q;
  const TimerId id = q.schedule(100, 10, kOwnerA);
  for (Timestamp t = 100; t <= 200; t += 10) {
    EXPECT_FALSE(q.pop_due(t - 1).has_value()) << "fired early at " << t - 1;
    const auto f = q.pop_due(t);
    ASSERT_TRUE(f.has_value()) << "did not fire at " << t;
    EXPECT_EQ(f->id, id);
    EXPECT_EQ(f->scheduled, t);
    EXPECT_EQ(f->period, 10);
    EXPECT_EQ(f->missed, 0u);
    EXPECT_FALSE(q.pop_due(t).has_value()) << "fired twice at " << t;
    EXPECT_EQ(q.active(), 1u);
    EXPECT_EQ(q.next_due(), std::optional<Timestamp>(t + 10));
  }
  EXPECT_EQ(q.missed_total(), 0u);
}

TEST(TimerQueue, TimeJumpFiresOnceAndReportsMissedPeriods) {
  TimerQueue q;
  const TimerId id = q.schedule(100, 10, kOwnerA);
  // Due at 100; at 135 the periods at 110, 120 and 130 also passed.
  const std::vector<TimerFiring> fired = PopAll(q, 135);
  ASSERT_EQ(fired.size(), 1u) << "a jump fires once, not once per missed period";
  EXPECT_EQ(fired[0].id, id);
  EXPECT_EQ(fired[0].scheduled, 100);
  EXPECT_EQ(fired[0].missed, 3u);
  EXPECT_EQ(q.missed_total(), 3u);
  // Re-armed for the first period boundary after now.
  EXPECT_EQ(q.next_due(), std::optional<Timestamp>(140));

  const auto on_time = q.pop_due(140);
  ASSERT_TRUE(on_time.has_value());
  EXPECT_EQ(on_time->scheduled, 140);
  EXPECT_EQ(on_time->missed, 0u);

  // A second jump adds to the total.
  const std::vector<TimerFiring> again = PopAll(q, 1'000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].scheduled, 150);
  EXPECT_EQ(again[0].missed, 85u);  // 160, 170, ..., 1000
  EXPECT_EQ(q.missed_total(), 88u);
  EXPECT_EQ(q.next_due(), std::optional<Timestamp>(1'010));
}

TEST(TimerQueue, MissedTotalSumsOverTimers) {
  TimerQueue q;
  q.schedule(0, 100, kOwnerA);
  q.schedule(0, 250, kOwnerB);
  const std::vector<TimerFiring> fired = PopAll(q, 1'000);
  ASSERT_EQ(fired.size(), 2u);
  uint64_t sum = 0;
  for (const TimerFiring& f : fired) sum += f.missed;
  EXPECT_EQ(fired[0].missed, 10u);  // 100 .. 1000
  EXPECT_EQ(fired[1].missed, 4u);   // 250 .. 1000
  EXPECT_EQ(q.missed_total(), sum);
}

TEST(TimerQueue, CancelBeforeFiringPreventsIt) {
  TimerQueue q;
  const TimerId a = q.schedule(100, 0, kOwnerA);
  const TimerId b = q.schedule(200, 0, kOwnerA);
  EXPECT_TRUE(q.cancel(a));
  EXPECT_EQ(q.active(), 1u);
  EXPECT_EQ(Ids(PopAll(q, 1'000)), (std::vector<TimerId>{b}));
  EXPECT_EQ(q.active(), 0u);
}

TEST(TimerQueue, CancelOfUnknownCancelledOrFiredIdReturnsFalse) {
  TimerQueue q;
  EXPECT_FALSE(q.cancel(0));
  EXPECT_FALSE(q.cancel(12'345));
  const TimerId a = q.schedule(100, 0, kOwnerA);
  const TimerId b = q.schedule(200, 0, kOwnerA);
  EXPECT_TRUE(q.cancel(b));
  EXPECT_FALSE(q.cancel(b)) << "already cancelled";
  ASSERT_TRUE(q.pop_due(100).has_value());
  EXPECT_FALSE(q.cancel(a)) << "already fired";
  EXPECT_FALSE(q.next_due().has_value());
  EXPECT_FALSE(q.cancel(b)) << "cancelled and discarded";
  EXPECT_EQ(q.active(), 0u);
}

TEST(TimerQueue, CancelStopsAPeriodicTimerAfterItFired) {
  TimerQueue q;
  const TimerId id = q.schedule(100, 10, kOwnerA);
  ASSERT_TRUE(q.pop_due(100).has_value());
  EXPECT_TRUE(q.cancel(id)) << "a periodic timer stays active between firings";
  EXPECT_EQ(q.active(), 0u);
  EXPECT_TRUE(PopAll(q, 10'000).empty());
  EXPECT_FALSE(q.next_due().has_value());
}

TEST(TimerQueue, CancelOwnerCancelsOnlyThatOwnersTimers) {
  TimerQueue q;
  q.schedule(100, 0, kOwnerA);
  const TimerId b1 = q.schedule(150, 0, kOwnerB);
  q.schedule(200, 10, kOwnerA);
  const TimerId engine = q.schedule(250, 0, kNoStrategy);
  const TimerId b2 = q.schedule(300, 0, kOwnerB);
  EXPECT_EQ(q.active(), 5u);

  EXPECT_EQ(q.cancel_owner(kOwnerA), 2u);
  EXPECT_EQ(q.active(), 3u);
  EXPECT_EQ(q.cancel_owner(kOwnerA), 0u) << "nothing left to cancel";
  EXPECT_EQ(q.cancel_owner(99), 0u);

  const std::vector<TimerFiring> fired = PopAll(q, 1'000);
  EXPECT_EQ(Ids(fired), (std::vector<TimerId>{b1, engine, b2}));
  for (const TimerFiring& f : fired) EXPECT_NE(f.owner, kOwnerA);
  EXPECT_EQ(q.active(), 0u);
}

TEST(TimerQueue, CancelOwnerSkipsTimersAlreadyCancelled) {
  TimerQueue q;
  const TimerId a = q.schedule(100, 0, kOwnerA);
  q.schedule(200, 0, kOwnerA);
  ASSERT_TRUE(q.cancel(a));
  EXPECT_EQ(q.cancel_owner(kOwnerA), 1u);
  EXPECT_EQ(q.active(), 0u);
  EXPECT_FALSE(q.next_due().has_value());
}

TEST(TimerQueue, ActiveCountsScheduledMinusFiredOneShotsMinusCancelled) {
  TimerQueue q;
  const TimerId one = q.schedule(10, 0, kOwnerA);
  q.schedule(20, 5, kOwnerA);
  const TimerId three = q.schedule(30, 0, kOwnerB);
  EXPECT_EQ(q.active(), 3u);
  ASSERT_TRUE(q.pop_due(10).has_value());
  EXPECT_EQ(q.active(), 2u);
  ASSERT_TRUE(q.pop_due(20).has_value());
  EXPECT_EQ(q.active(), 2u) << "a periodic firing stays active";
  EXPECT_TRUE(q.cancel(three));
  EXPECT_EQ(q.active(), 1u);
  EXPECT_FALSE(q.cancel(one));
  EXPECT_EQ(q.active(), 1u);
}

TEST(TimerQueue, NextDueSkipsCancelledTimers) {
  TimerQueue q;
  const TimerId a = q.schedule(100, 0, kOwnerA);
  const TimerId b = q.schedule(200, 0, kOwnerA);
  const TimerId c = q.schedule(300, 0, kOwnerA);
  EXPECT_EQ(q.next_due(), std::optional<Timestamp>(100));
  ASSERT_TRUE(q.cancel(a));
  EXPECT_EQ(q.next_due(), std::optional<Timestamp>(200));
  ASSERT_TRUE(q.cancel(b));
  EXPECT_EQ(q.next_due(), std::optional<Timestamp>(300));
  ASSERT_TRUE(q.cancel(c));
  EXPECT_FALSE(q.next_due().has_value());
  EXPECT_FALSE(q.pop_due(INT64_MAX).has_value());
}

TEST(TimerQueue, GrowsPastItsReservation) {
  TimerQueue q(2);
  for (int i = 0; i < 100; ++i) q.schedule(100 - i, 0, kOwnerA);
  const std::vector<TimerFiring> fired = PopAll(q, 100);
  ASSERT_EQ(fired.size(), 100u);
  for (size_t i = 1; i < fired.size(); ++i) EXPECT_LE(fired[i - 1].scheduled, fired[i].scheduled);
}

// A seeded random workload against a plain model: every firing must be the model's earliest due
// timer (ties by id), with the model's re-armed due time and missed count.
TEST(TimerQueue, MatchesASimpleModelUnderRandomOperations) {
  struct ModelTimer {
    Timestamp due;
    Duration period;
    StrategyId owner;
  };
  std::map<TimerId, ModelTimer> model;  // live timers only
  TimerQueue q(8);
  Random rng(20261127);
  Timestamp now = 0;
  uint64_t missed_total = 0;
  std::vector<TimerId> all_ids;

  for (int step = 0; step < 5'000; ++step) {
    const int64_t op = rng.uniform_int(0, 9);
    if (op <= 3) {
      const Timestamp due = now + rng.uniform_int(0, 1'000);
      const Duration period = rng.bernoulli(0.4) ? rng.uniform_int(1, 300) : 0;
      const auto owner = static_cast<StrategyId>(rng.uniform_int(0, 3));
      const TimerId id = q.schedule(due, period, owner);
      ASSERT_FALSE(model.contains(id)) << "id reused";
      model[id] = {due, period, owner};
      all_ids.push_back(id);
    } else if (op == 4 && !all_ids.empty()) {
      const TimerId id = all_ids[static_cast<size_t>(
          rng.uniform_int(0, static_cast<int64_t>(all_ids.size()) - 1))];
      ASSERT_EQ(q.cancel(id), model.erase(id) == 1) << "cancel " << id;
    } else if (op == 5) {
      const auto owner = static_cast<StrategyId>(rng.uniform_int(0, 3));
      size_t expected = 0;
      for (auto it = model.begin(); it != model.end();) {
        if (it->second.owner == owner) {
          it = model.erase(it);
          ++expected;
        } else {
          ++it;
        }
      }
      ASSERT_EQ(q.cancel_owner(owner), expected);
    } else {
      now += rng.uniform_int(0, 400);
      while (true) {
        // The model's earliest due timer.
        auto best = model.end();
        for (auto it = model.begin(); it != model.end(); ++it) {
          if (best == model.end() || it->second.due < best->second.due) best = it;
        }
        const auto fired = q.pop_due(now);
        if (best == model.end() || best->second.due > now) {
          ASSERT_FALSE(fired.has_value()) << "fired timer " << fired->id << " at " << now;
          break;
        }
        ASSERT_TRUE(fired.has_value())
            << "timer " << best->first << " due " << best->second.due << " did not fire at " << now;
        ASSERT_EQ(fired->id, best->first);
        ASSERT_EQ(fired->scheduled, best->second.due);
        ASSERT_EQ(fired->owner, best->second.owner);
        ASSERT_EQ(fired->period, best->second.period);
        if (best->second.period == 0) {
          ASSERT_EQ(fired->missed, 0u);
          model.erase(best);
        } else {
          // Walk forward to the first due time after now, counting the boundaries passed.
          uint64_t missed = 0;
          Timestamp next = best->second.due + best->second.period;
          while (next <= now) {
            ++missed;
            next += best->second.period;
          }
          ASSERT_EQ(fired->missed, missed);
          missed_total += missed;
          best->second.due = next;
        }
      }
    }
    ASSERT_EQ(q.active(), model.size()) << "step " << step;
    ASSERT_EQ(q.missed_total(), missed_total);
    std::optional<Timestamp> model_next;
    for (const auto& [id, t] : model) {
      if (!model_next || t.due < *model_next) model_next = t.due;
    }
    ASSERT_EQ(q.next_due(), model_next) << "step " << step;
  }
}

}  // namespace
}  // namespace guiju
