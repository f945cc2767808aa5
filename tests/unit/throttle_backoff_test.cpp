// The SDK's ThrottleBackoff on its own (hold 100 ms after a GUIJU_REJECT_THROTTLED, doubling to a
// second, reset by an accepted order, other refusals ignored), and the taker sample plugin using
// it in a real Engine behind a real MessageThrottle: refused for the rate, it holds back instead of
// sending (and having journaled) a refusal on every quote, and it trades again once the window
// has room.

#include <gtest/gtest.h>

#include <guiju/strategy.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock/calendar.hpp"
#include "core/engine/engine.hpp"
#include "core/risk/message_throttle.hpp"
#include "tests/support/instruments.hpp"
#include "tests/support/strategy_plugins.hpp"

namespace guiju {
namespace {

using sdk::ThrottleBackoff;

constexpr guiju_time kMs = 1'000'000;

guiju_result Answer(int32_t code) {
  guiju_result r{};
  r.reject_code = code;
  r.order_id = code == 0 ? 42 : 0;
  return r;
}

TEST(ThrottleBackoff, HoldsBackDoublingUpToASecondAndAnAcceptedOrderStartsAgain) {
  ThrottleBackoff b;
  EXPECT_TRUE(b.ready(0));
  b.note(Answer(GUIJU_REJECT_THROTTLED), 1'000 * kMs);
  EXPECT_FALSE(b.ready(1'099 * kMs));
  EXPECT_TRUE(b.ready(1'100 * kMs));
  const guiju_time waits[] = {200, 400, 800, 1'000, 1'000};
  guiju_time now = 1'100 * kMs;
  for (const guiju_time wait : waits) {
    b.note(Answer(GUIJU_REJECT_THROTTLED), now);
    EXPECT_FALSE(b.ready(now + wait * kMs - 1)) << wait;
    EXPECT_TRUE(b.ready(now + wait * kMs)) << wait;
    now += wait * kMs;
  }
  EXPECT_EQ(b.note(Answer(0), now).order_id, 42u) << "the answer is handed back";
  b.note(Answer(GUIJU_REJECT_THROTTLED), now);
  EXPECT_TRUE(b.ready(now + 100 * kMs)) << "an accepted order starts the wait at 100 ms again";
}

TEST(ThrottleBackoff, OtherRefusalsDoNotHoldBack) {
  ThrottleBackoff b;
  for (const int32_t code :
       {GUIJU_REJECT_RISK, GUIJU_REJECT_VENUE, GUIJU_REJECT_KILL_SWITCH, GUIJU_REJECT_MARKET_RULE,
        GUIJU_REJECT_SESSION_DOWN, GUIJU_REJECT_SELF_TRADE}) {
    b.note(Answer(code), 0);
    EXPECT_TRUE(b.ready(0)) << code;
  }
}

constexpr Timestamp kOpen = days_from_civil(2026, 11, 27) * 86400 * kSecond + 90 * kMinute;

class TakerUnderThrottleTest : public ::testing::Test {
 protected:
  TakerUnderThrottleTest() : throttle_({Limits()}) {
    registry_.add(test::main_board_stock());
    EngineOptions options;
    options.max_orders = 4096;
    options.order_ring_capacity = 4096;
    engine_ = std::make_unique<Engine>(registry_, clock_, ids_, options);
    const AccountId account = engine_->add_account({"main", FeeSchedule{}});
    engine_->add_pre_trade_check(&throttle_);
    StrategyParameters p("strategies.yaml", "taker", 10);
    p.add({"order_lots", "1", 11, 5});
    p.add({"max_position_lots", "1000000", 12, 5});
    engine_->add_strategy("taker", account, {0}, test::sample_strategy("taker.so", p));
    engine_->start();
  }

  static ThrottleLimits Limits() {
    ThrottleLimits l;
    l.alert_per_second = 3;
    l.max_per_second = 5;
    return l;
  }

  // A quote every millisecond for `ms` milliseconds; the taker buys at the ask on each.
  void Quotes(int ms) {
    for (int k = 0; k < ms; ++k) {
      Quote q;
      const Timestamp t = clock_.now() + kMillisecond;
      q.header = make_header<Quote>(t, t);
      q.instrument = 0;
      q.bid_price = *Price::parse("9.99");
      q.bid_size = Quantity::from_units(500);
      q.ask_price = *Price::parse("10.00");
      q.ask_size = Quantity::from_units(500);
      EventSlot s;
      s.store(q);
      engine_->process(s);
    }
  }

  InstrumentRegistry registry_;
  SimulatedClock clock_{kOpen};
  ClientOrderIdAllocator ids_{"TB", "20261127"};
  MessageThrottle throttle_;
  std::unique_ptr<Engine> engine_;
};

// 2,000 quotes in 2 s against 5 order messages a second: a strategy that sent on every quote would
// have 1,990 refusals journaled. Held back, it has a handful: one at the first refusal and one each
// time its wait runs out inside a full window (100, 200, 400 ms...), and it still sends its 5 in
// each second.
TEST_F(TakerUnderThrottleTest, RefusedForTheRateItHoldsBackAndTradesAgainWhenTheWindowHasRoom) {
  Quotes(2'000);
  const EngineCounters& c = engine_->counters();
  EXPECT_EQ(c.orders_sent, 10u) << "5 in each of the two seconds";
  EXPECT_GE(c.risk_rejects, 2u) << "refused in each second";
  EXPECT_LE(c.risk_rejects, 10u) << "held back, not refused on every quote";
}

}  // namespace
}  // namespace guiju
