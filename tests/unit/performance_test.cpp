// The replay's performance figures (core/portfolio/performance.hpp): samples on market-time
// interval boundaries only, the maximum drawdown from a previous peak, the peak exposure, return
// and turnover against it, and a Sharpe ratio that is zero when the PnL never moved.

#include "core/portfolio/performance.hpp"

#include <gtest/gtest.h>

namespace guiju {
namespace {

constexpr Timestamp kStart = 1'000 * kMinute;

TEST(Performance, DrawdownExposureReturnAndTurnover) {
  Portfolio portfolio(1);
  PerformanceTracker tracker;
  portfolio.set_mark(0, *Price::parse("10.00"));
  portfolio.apply_fill(0, 0, 0, Side::kBuy, *Price::parse("10.00"), Quantity::from_units(1000),
                       FillFees{});
  tracker.observe(kStart, portfolio);                 // the first call only sets the boundary
  tracker.observe(kStart + 30 * kSecond, portfolio);  // no boundary crossed: no sample
  EXPECT_EQ(tracker.report().samples, 0u);

  // PnL path: +2000, -1000 (a 3000 drawdown from the peak), +500.
  for (const char* mark : {"12.00", "9.00", "10.50"}) {
    portfolio.set_mark(0, *Price::parse(mark));
    tracker.observe(tracker.report().samples * kMinute + kStart + kMinute, portfolio);
  }
  tracker.finish(kStart + 5 * kMinute, portfolio);
  const PerformanceReport r = tracker.report();
  EXPECT_EQ(r.samples, 4u);
  EXPECT_DOUBLE_EQ(r.net_pnl, 500.0);
  EXPECT_DOUBLE_EQ(r.max_drawdown, 3000.0);
  EXPECT_DOUBLE_EQ(r.peak_exposure, 12'000.0);
  EXPECT_DOUBLE_EQ(r.return_on_exposure, 500.0 / 12'000.0);
  EXPECT_DOUBLE_EQ(r.turnover, 10'000.0 / 12'000.0);
  EXPECT_NE(r.sharpe, 0.0);
}

TEST(Performance, AFlatRunHasNoSharpeAndNothingHeldHasNoReturn) {
  Portfolio portfolio(1);
  PerformanceTracker tracker;
  for (int m = 0; m < 10; ++m) tracker.observe(kStart + m * kMinute, portfolio);
  tracker.finish(kStart + 10 * kMinute, portfolio);
  const PerformanceReport r = tracker.report();
  EXPECT_GT(r.samples, 5u);
  EXPECT_EQ(r.sharpe, 0.0);
  EXPECT_EQ(r.return_on_exposure, 0.0);
  EXPECT_EQ(r.max_drawdown, 0.0);
}

}  // namespace
}  // namespace guiju
