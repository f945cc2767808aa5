#include "core/analysis/run_record.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace guiju {

std::vector<double> drawdown_of(const std::vector<double>& net_pnl) {
  std::vector<double> out;
  out.reserve(net_pnl.size());
  double peak = 0;
  for (const double pnl : net_pnl) {
    if (!std::isfinite(pnl)) {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    peak = std::max(peak, pnl);
    out.push_back(pnl - peak);
  }
  return out;
}

}  // namespace guiju
