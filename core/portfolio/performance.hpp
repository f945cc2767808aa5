#pragma once
// How a run went, in the terms a strategy developer reads a backtest in: the net PnL sampled at
// fixed intervals of market time, its maximum drawdown, the peak gross exposure (the capital the
// strategies actually used), the return and turnover against that, and a Sharpe ratio of the
// interval PnL changes. Sampled on market time, never the wall clock: a replay's figures are the
// same on every run.

#include <vector>

#include "core/events/execution_report.hpp"
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

// One fill, as the report draws it over the price.
struct FillSample {
  Timestamp time = 0;
  InstrumentId instrument = kNoInstrument;
  Side side = Side::kBuy;
  double price = 0;
  double quantity = 0;
};

// What the samples were, for the HTML report: at each sample time, the net PnL and, per
// instrument, the net position (all accounts and strategies) and the mark.
struct PerformanceSeries {
  std::vector<Timestamp> times;
  std::vector<double> net_pnl;
  std::vector<std::vector<double>> position;  // [instrument][sample]
  std::vector<std::vector<double>> mark;      // [instrument][sample]
  std::vector<FillSample> fills;              // every fill, in engine order
};

class PerformanceTracker {
 public:
  // `instruments` sizes the per-instrument series (the registry's size).
  explicit PerformanceTracker(Duration interval = kMinute, size_t instruments = 0)
      : interval_(interval) {
    series_.position.resize(instruments);
    series_.mark.resize(instruments);
  }

  // Takes a sample when an interval boundary has passed since the last one.
  void observe(Timestamp t, const Portfolio& portfolio);
  // The closing sample.
  void finish(Timestamp t, const Portfolio& portfolio);
  // Keeps the fill of an execution report (other reports are ignored).
  void on_report(const ExecutionReport& r, Timestamp t);
  PerformanceReport report() const;
  const PerformanceSeries& series() const { return series_; }

 private:
  void sample(Timestamp t, const Portfolio& portfolio);

  Duration interval_;
  Timestamp next_ = 0;
  PerformanceSeries series_;
  std::vector<double> net_position_;  // scratch, per instrument
  double peak_exposure_ = 0;
  double traded_notional_ = 0;
};

}  // namespace guiju
