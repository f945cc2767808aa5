// PaperSession (adapters/sim/paper_session.hpp): live clock, a persistent ClientOrderIdAllocator
// in a temporary directory, SyntheticMarket paced at 2000x, SimulatedVenue and an Engine running
// the mean_reversion sample plugin. A 2-second session starts, trades and stops by itself; the stop
// flag, set from another thread once market data is flowing, ends an unbounded session early; after
// either stop nothing is left open and the persisted ids continue past every id used.

#include "adapters/sim/paper_session.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "adapters/replay/synthetic_market.hpp"
#include "adapters/sim/simulated_venue.hpp"
#include "core/engine/engine.hpp"
#include "tests/support/strategy_plugins.hpp"

namespace guiju {
namespace {

constexpr const char* kDate = "20261127";

Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}
Price Px(std::string_view text) {
  return *Price::parse(text);
}

InstrumentRegistry TwoInstruments() {
  InstrumentRegistry r;
  Instrument a;
  a.symbol = "600000";
  a.venue = "SSE";
  a.tick_size = Px("0.01");
  a.lot_size = Qty(100);
  a.board = Board::kMain;
  a.currency = "CNY";
  a.previous_close = Px("10.00");
  r.add(a);
  Instrument b = a;
  b.symbol = "601398";
  b.previous_close = Px("6.00");
  r.add(b);
  return r;
}

StrategyParameters Params() {
  StrategyParameters p("test", "mr", 1);
  p.add({"lookback", "16", 2, 5});
  p.add({"entry_bps", "4", 3, 5});
  p.add({"exit_bps", "2", 4, 5});
  p.add({"order_timeout_ms", "60000", 5, 5});
  return p;
}

// A fresh directory under the system temp directory, removed with everything in it afterwards.
using guiju::test::TempDir;

// Counts the quotes the engine delivers, readable from another thread.
class QuoteCounter final : public Strategy {
 public:
  explicit QuoteCounter(std::atomic<uint64_t>* quotes) : quotes_(quotes) {}
  void on_quote(StrategyContext&, const Quote&) override {
    quotes_->fetch_add(1, std::memory_order_relaxed);
  }

 private:
  std::atomic<uint64_t>* quotes_;
};

// Everything one paper session needs, wired as `guiju run` does in paper mode.
class PaperRig {
 public:
  PaperRig(const std::filesystem::path& state_file, PaperOptions paper,
           std::atomic<uint64_t>* quotes)
      : ids_(ClientOrderIdAllocator::open_persistent(state_file, "P", kDate, 64)),
        engine_(registry_, clock_, ids_, EngineSmall()),
        venue_(registry_, reports_) {
    const AccountId account = engine_.add_account({"paper", FeeSchedule{}});
    engine_.add_strategy("mr", account, {0, 1},
                         test::sample_strategy("mean_reversion.so", Params()));
    engine_.add_strategy("counter", account, {0, 1}, std::make_unique<QuoteCounter>(quotes));
    engine_.add_inbound(&reports_);
    SyntheticMarketOptions m;
    m.seed = 3;
    m.quotes_per_second = 5;
    m.trading_date = kDate;
    market_ = std::make_unique<SyntheticMarket>(registry_, m);
    session_ = std::make_unique<PaperSession>(engine_, venue_, reports_, paper);
  }

  PaperStats Run(const std::atomic<bool>& stop) { return session_->run(*market_, stop); }
  const Engine& engine() const { return engine_; }
  const SimulatedVenue& venue() const { return venue_; }

  // Checks that the stopped session left nothing working, on either side.
  void ExpectNothingOpen() const {
    const OrderManager& oms = engine_.orders();
    for (OrderId id : oms.open_orders()) {
      ADD_FAILURE() << "order " << id << " is " << to_string(oms.find(id)->state)
                    << " after the session stopped (engine_test "
                       "StopLeavesNothingWorkingWhenAReplaceIsInFlight shows how)";
    }
    EXPECT_EQ(venue_.resting_count(), 0u) << "orders still resting at the venue";
  }

 private:
  static EngineOptions EngineSmall() {
    EngineOptions o;
    o.max_orders = 1 << 17;
    o.order_ring_capacity = 1 << 12;
    return o;
  }

  const InstrumentRegistry registry_ = TwoInstruments();
  LiveClock clock_;
  ClientOrderIdAllocator ids_;
  Engine engine_;
  // As `guiju run` sizes it: the venue throws rather than drop a report the engine has no room for.
  SpscRing<EventSlot> reports_{1 << 16, BackPressure::kFail, "venue-reports"};
  SimulatedVenue venue_;
  std::unique_ptr<SyntheticMarket> market_;
  std::unique_ptr<PaperSession> session_;
};

PaperOptions Paced(Duration duration) {
  PaperOptions o;
  o.speed = 2000;
  o.duration = duration;
  o.ring_capacity = 1 << 14;
  return o;
}

TEST(PaperSessionTest, ShortSessionTradesAndStopsByItselfLeavingNothingOpen) {
  TempDir dir;
  const auto state_file = dir.path() / "client_order_ids";
  std::atomic<uint64_t> quotes{0};
  PaperRig rig(state_file, Paced(2 * kSecond), &quotes);
  std::atomic<bool> stop{false};

  const PaperStats stats = rig.Run(stop);
  EXPECT_GT(stats.market_events, 0u);
  EXPECT_FALSE(stats.source_exhausted) << "the duration, not the source, ended it";
  EXPECT_TRUE(rig.engine().stopping());
  EXPECT_GT(quotes.load(), 0u);
  EXPECT_GT(rig.engine().orders().size(), 0u) << "the strategy traded";
  EXPECT_GT(rig.engine().counters().orders_sent, 0u);
  EXPECT_EQ(rig.engine().counters().strategy_errors, 0u);
  rig.ExpectNothingOpen();

  // The persisted counter is past every id the session used: a restart never reuses one.
  const OrderId last_used = rig.engine().orders().first_id() + rig.engine().orders().size() - 1;
  auto restarted = ClientOrderIdAllocator::open_persistent(state_file, "P", kDate, 64);
  EXPECT_GT(restarted.next(), last_used);
}

TEST(PaperSessionTest, StopFlagFromAnotherThreadEndsAnUnboundedSessionEarly) {
  TempDir dir;
  std::atomic<uint64_t> quotes{0};
  PaperRig rig(dir.path() / "client_order_ids", Paced(0), &quotes);  // no duration limit
  std::atomic<bool> stop{false};
  std::atomic<bool> finished{false};

  // Sets the flag once the engine has seen market data, i.e. after the session started.
  std::thread stopper([&] {
    while (quotes.load() < 1000 && !finished.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop.store(true);
  });
  const PaperStats stats = rig.Run(stop);
  finished.store(true);
  stopper.join();

  EXPECT_TRUE(stop.load());
  EXPECT_GE(quotes.load(), 1000u) << "the session ended before the stop flag was set";
  EXPECT_FALSE(stats.source_exhausted) << "the stop flag, not the source, ended the session";
  EXPECT_TRUE(rig.engine().stopping());
  rig.ExpectNothingOpen();
}

}  // namespace
}  // namespace guiju
