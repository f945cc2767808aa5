#pragma once
// How a run went, in the terms a strategy developer reads a backtest in: the net PnL sampled at
// fixed intervals of market time, its maximum drawdown, the peak gross exposure (the capital the
// strategies actually used), the return and turnover against that, and a Sharpe ratio of the
// interval PnL changes. Sampled on market time, never the wall clock: a replay's figures are the
// same on every run.

#include <vector>

#include "core/model/timestamp.hpp"
#include "core/portfolio/portfolio.hpp"

namespace guiju {

struct PerformanceReport {
  size_t samples = 0;
  double net_pnl = 0;
  double max_drawdown = 0;   // largest fall of net PnL from a previous peak, in money
  double peak_exposure = 0;  // largest sum over positions of |quantity| x mark
  double traded_notional = 0;
  // Against the peak exposure; 0 when nothing was ever held.
  double return_on_exposure = 0;
  double turnover = 0;
  // Mean over standard deviation of the interval PnL changes (as a fraction of the peak
  // exposure), annualized with 240 trading days of 4 hours; 0 when the PnL never moved.
  double sharpe = 0;
};

class PerformanceTracker {
 public:
  explicit PerformanceTracker(Duration interval = kMinute) : interval_(interval) {}

  // Takes a sample when an interval boundary has passed since the last one.
  void observe(Timestamp t, const Portfolio& portfolio);
  // The closing sample.
  void finish(Timestamp t, const Portfolio& portfolio);
  PerformanceReport report() const;

 private:
  void sample(const Portfolio& portfolio);

  Duration interval_;
  Timestamp next_ = 0;
  std::vector<double> pnl_;
  double peak_exposure_ = 0;
  double traded_notional_ = 0;
};

}  // namespace guiju
