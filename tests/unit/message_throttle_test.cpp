// The order-message throttles: exact at the edges of the rolling second, the 299th message of a
// second and the 19,999th of a day accepted and the next refused, replaces counting two, cancels
// counted but never refused, filed accounts held to their filed figures, strategies to their
// account's.

#include "core/risk/message_throttle.hpp"

#include <gtest/gtest.h>

#include <array>
#include <deque>

#include "core/util/random.hpp"
#include "tests/support/risk_state.hpp"

namespace guiju {
namespace {

TEST(RollingWindowLimit, IsExactAtTheEdgesOfTheWindow) {
  RollingWindowLimit three(3, kSecond);
  EXPECT_FALSE(three.full(0));
  three.record(0);
  three.record(500 * kMillisecond);
  three.record(900 * kMillisecond);
  EXPECT_TRUE(three.full(999'999'999));  // the message at 0 is still inside (now - 1 s, now]
  EXPECT_FALSE(three.full(kSecond));     // and now it is not
  three.record(kSecond);
  EXPECT_TRUE(three.full(kSecond + 499'999'999));
  EXPECT_FALSE(three.full(kSecond + 500'000'000));
  RollingWindowLimit none;  // a limit of 0: no limit
  none.record(0);
  EXPECT_FALSE(none.full(0));
}

// A ring that starts smaller than its limit and grows as bursts need it answers exactly as a
// count of every event in the window would, for the limit and for a lower one sharing it.
TEST(RollingWindowLimit, GrowingRingCountsExactlyUnderBursts) {
  constexpr uint32_t kLimit = 5'000;  // above the initial capacity: the ring has to grow
  constexpr uint32_t kAlert = 3'000;
  static_assert(kLimit > RollingWindowLimit::kInitialCapacity);
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Random random(seed);
    RollingWindowLimit ring(kLimit, kSecond);
    std::deque<Timestamp> window;  // every event of the last second
    Timestamp now = kSecond;
    int full_steps = 0;  // the generator reaches the limit, not only the alert
    int64_t max_gap_us = 0;
    for (int step = 0; step < 60'000; ++step) {
      // Spells at rates from about 500 to 16,000 a second (around the ring's sizes and the
      // limits), now and then a quiet spell of up to a second and a half.
      if (step % 3'000 == 0) {
        max_gap_us = std::array{4'000, 1'800, 900, 400, 250, 125}[step / 3'000 % 6];
      }
      now += random.bernoulli(0.0001) ? random.uniform_int(0, 1'500) * kMillisecond
                                      : random.uniform_int(0, max_gap_us) * kMicrosecond;
      while (!window.empty() && window.front() <= now - kSecond) window.pop_front();
      for (const uint32_t n : {1U, kAlert, kLimit - 1, kLimit}) {
        ASSERT_EQ(ring.reached(n, now), window.size() >= n)
            << "seed " << seed << " step " << step << " n " << n << " in window " << window.size();
      }
      ASSERT_EQ(ring.full(now), window.size() >= kLimit);
      full_steps += window.size() >= kLimit ? 1 : 0;
      ring.record(now);
      window.push_back(now);
    }
    EXPECT_GT(full_steps, 0) << "seed " << seed;
  }
}

class MessageThrottleTest : public ::testing::Test, public test::RiskState {
 protected:
  MessageThrottleTest() : RiskState({"10.00"}) {}
  static NewOrder New(AccountId account, StrategyId strategy) {
    NewOrder n;
    n.account = account;
    n.strategy = strategy;
    return n;
  }
  static SentMessage Sent(SentMessage::Kind kind, AccountId account, StrategyId strategy,
                          Timestamp t) {
    return {kind, account, strategy, 0, t, Side::kBuy, Price::zero(), Quantity::zero()};
  }
};

TEST_F(MessageThrottleTest, The299thMessageOfASecondPassesAndThe300thIsRefused) {
  MessageThrottle throttle({ThrottleLimits{}});
  const Timestamp t0 = 10 * kSecond;
  for (int i = 0; i < 299; ++i) {
    const Timestamp t = t0 + i * kMillisecond;
    ASSERT_TRUE(throttle.check_new(New(0, 0), View(t)).accepted()) << "message " << i + 1;
    throttle.on_sent(Sent(SentMessage::Kind::kNew, 0, 0, t));
  }
  const RiskDecision refused = throttle.check_new(New(0, 0), View(t0 + 299 * kMillisecond));
  EXPECT_EQ(refused.code, RejectCode::kThrottled);
  EXPECT_EQ(refused.reason, "order messages per second");
  EXPECT_EQ(refused.limit, 299);
  EXPECT_EQ(refused.observed, 300);
  // One second after the first message it has left the window: one more fits.
  EXPECT_FALSE(throttle.check_new(New(0, 0), View(t0 + kSecond - 1)).accepted());
  EXPECT_TRUE(throttle.check_new(New(0, 0), View(t0 + kSecond)).accepted());
  EXPECT_EQ(throttle.alerts(), 2u)
      << "one alert at the 200th message of the second, for the account and for the strategy";
}

TEST_F(MessageThrottleTest, TheDayStopsAt19999AndCancelsAreCountedButNeverRefused) {
  ThrottleLimits l;
  l.max_per_second = 0;  // only the day here
  l.alert_per_second = 0;
  MessageThrottle throttle({l});
  for (int i = 0; i < 19'998; ++i) {
    throttle.on_sent(Sent(SentMessage::Kind::kCancel, 0, 0, i * kMillisecond));
  }
  const Timestamp later = kHour;
  EXPECT_TRUE(throttle.check_new(New(0, 0), View(later)).accepted());  // the 19,999th
  // A replace is a cancel and a new order: two messages, and only one is left.
  const RiskDecision replace = throttle.check_replace(ReplaceOrder{}, Order{}, View(later));
  EXPECT_EQ(replace.code, RejectCode::kThrottled);
  EXPECT_EQ(replace.reason, "order messages per day");
  EXPECT_EQ(replace.observed, 20'000);
  throttle.on_sent(Sent(SentMessage::Kind::kNew, 0, 0, later));
  const RiskDecision day = throttle.check_new(New(0, 0), View(later + kSecond));
  EXPECT_EQ(day.code, RejectCode::kThrottled);
  EXPECT_EQ(day.limit, 19'999);
  EXPECT_EQ(day.observed, 20'000);
  throttle.on_sent(Sent(SentMessage::Kind::kCancel, 0, 0, later + kSecond));  // still counted
  EXPECT_EQ(throttle.messages_today_of_account(0), 20'000u);
  EXPECT_EQ(throttle.alerts(), 2u)
      << "one alert at the 15,000th message of the day, for the account and for the strategy";
}

// Near the daily stop, room is kept to cancel every working order: the cancels of a kill switch
// or of the close must not take the day over the threshold.
TEST_F(MessageThrottleTest, NearTheDailyStopRoomIsKeptToCancelWorkingOrders) {
  ThrottleLimits l;
  l.max_per_second = 0;
  l.alert_per_second = 0;
  MessageThrottle throttle({l});
  for (OrderId id = 1; id <= 3; ++id) {
    NewOrder n = New(0, 0);
    n.order_id = id;
    n.quantity = Quantity::from_units(100);
    orders.create(n, 0);
  }
  for (int i = 0; i < 19'995; ++i) throttle.on_sent(Sent(SentMessage::Kind::kNew, 0, 0, 0));
  EXPECT_TRUE(throttle.check_new(New(0, 0), View(kHour)).accepted());  // 19,996 + 3 cancels
  throttle.on_sent(Sent(SentMessage::Kind::kNew, 0, 0, kHour));
  const RiskDecision d = throttle.check_new(New(0, 0), View(kHour));
  EXPECT_EQ(d.code, RejectCode::kThrottled);
  EXPECT_EQ(d.reason, "order messages per day, room kept to cancel working orders");
  EXPECT_EQ(d.observed, 19'997 + 3);
  // Another account's working orders take none of this account's room.
  MessageThrottle other({l, l});
  for (int i = 0; i < 19'997; ++i) other.on_sent(Sent(SentMessage::Kind::kNew, 1, 1, 0));
  EXPECT_TRUE(other.check_new(New(1, 1), View(kHour)).accepted());
}

TEST_F(MessageThrottleTest, AFiledAccountUsesItsFiguresAndEachStrategyIsHeldToItsAccounts) {
  ThrottleLimits filed;
  filed.max_per_second = 1000;
  filed.max_per_day = 200'000;
  MessageThrottle throttle({ThrottleLimits{}, filed});
  for (int i = 0; i < 600; ++i) {
    const Timestamp t = i * kMicrosecond;
    ASSERT_TRUE(throttle.check_new(New(1, 7), View(t)).accepted()) << i;
    throttle.on_sent(Sent(SentMessage::Kind::kNew, 1, 7, t));
  }
  // The unfiled account: its strategy stops at 299 in the second, whatever the other does.
  for (int i = 0; i < 299; ++i) throttle.on_sent(Sent(SentMessage::Kind::kNew, 0, 3, 0));
  EXPECT_EQ(throttle.check_new(New(0, 4), View(1)).code, RejectCode::kThrottled)
      << "the account's second is full";
}

}  // namespace
}  // namespace guiju
