#include "core/portfolio/performance.hpp"

#include <cmath>

namespace guiju {

void PerformanceTracker::observe(Timestamp t, const Portfolio& portfolio) {
  if (next_ == 0) next_ = t - t % interval_ + interval_;
  if (t < next_) return;
  sample(t, portfolio);
  next_ = t - t % interval_ + interval_;
}

void PerformanceTracker::finish(Timestamp t, const Portfolio& portfolio) {
  sample(t, portfolio);
}

void PerformanceTracker::on_report(const ExecutionReport& r, Timestamp t) {
  if (r.exec_type != ExecType::kPartialFill && r.exec_type != ExecType::kFill) return;
  series_.fills.push_back(
      {t, r.instrument, r.side, r.last_price.to_double(), r.last_qty.to_double()});
}

void PerformanceTracker::sample(Timestamp t, const Portfolio& portfolio) {
  double exposure = 0;
  double traded = 0;
  net_position_.assign(series_.position.size(), 0.0);
  for (const Position& p : portfolio.positions()) {
    const Price mark = portfolio.mark(p.instrument);
    exposure += std::fabs(p.quantity.to_double() * mark.to_double());
    traded += p.bought_notional.to_double() + p.sold_notional.to_double();
    if (p.instrument < net_position_.size()) net_position_[p.instrument] += p.quantity.to_double();
  }
  peak_exposure_ = std::max(peak_exposure_, exposure);
  traded_notional_ = traded;
  series_.times.push_back(t);
  series_.net_pnl.push_back(portfolio.pnl().net().to_double());
  for (size_t i = 0; i < series_.position.size(); ++i) {
    series_.position[i].push_back(net_position_[i]);
    series_.mark[i].push_back(portfolio.mark(static_cast<InstrumentId>(i)).to_double());
  }
}

PerformanceReport PerformanceTracker::report() const {
  PerformanceReport r;
  const std::vector<double>& pnl = series_.net_pnl;
  r.samples = pnl.size();
  if (pnl.empty()) return r;
  r.net_pnl = pnl.back();
  r.peak_exposure = peak_exposure_;
  r.traded_notional = traded_notional_;
  double peak = 0;
  for (double v : pnl) {
    peak = std::max(peak, v);
    r.max_drawdown = std::max(r.max_drawdown, peak - v);
  }
  if (peak_exposure_ <= 0) return r;
  r.return_on_exposure = r.net_pnl / peak_exposure_;
  r.turnover = traded_notional_ / peak_exposure_;
  if (pnl.size() < 3) return r;
  double sum = 0;
  double sum_sq = 0;
  const size_t n = pnl.size() - 1;
  for (size_t i = 1; i < pnl.size(); ++i) {
    const double change = (pnl[i] - pnl[i - 1]) / peak_exposure_;
    sum += change;
    sum_sq += change * change;
  }
  const double mean = sum / static_cast<double>(n);
  const double variance = sum_sq / static_cast<double>(n) - mean * mean;
  if (variance <= 0) return r;
  const double periods_per_year =
      240.0 * static_cast<double>(4 * kHour) / static_cast<double>(interval_);
  r.sharpe = mean / std::sqrt(variance) * std::sqrt(periods_per_year);
  return r;
}

}  // namespace guiju
