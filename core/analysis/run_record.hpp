#pragma once
// What a replay leaves to be drawn (core/analysis/html_report.hpp): the net PnL, every
// instrument's position and mark sampled at the same market times, and every fill. Plain data,
// filled by the replay and read by the report; nothing here knows how it is drawn.

#include <string>
#include <utility>
#include <vector>

#include "core/model/order_types.hpp"
#include "core/model/timestamp.hpp"

namespace guiju {

struct FillMark {
  Timestamp time = 0;
  Side side = Side::kBuy;
  double price = 0;
  double quantity = 0;
};

struct InstrumentRecord {
  std::string symbol;
  std::vector<double> position;  // net quantity at each sample time (same length as times)
  std::vector<double> mark;      // mark price at each sample time (0 = unknown yet: not drawn)
  std::vector<FillMark> fills;   // in time order
};

struct RunRecord {
  std::string title;                                         // e.g. "configs/demo.yaml, 2026-11-27"
  std::vector<std::pair<std::string, std::string>> summary;  // label, value (already formatted)
  int display_utc_offset_minutes = 0;                        // time labels in this offset
  std::vector<Timestamp> times;                              // sample times (UTC ns), increasing
  std::vector<double> net_pnl;                               // at each sample time
  std::vector<InstrumentRecord> instruments;
};

// The fall of net PnL below its running peak at each sample (<= 0). The peak starts at 0, the PnL
// of a run before it trades, so a run that only ever loses is in drawdown from its start. A
// non-finite PnL gives NaN there (a gap in the chart) and leaves the peak as it was.
std::vector<double> drawdown_of(const std::vector<double>& net_pnl);

}  // namespace guiju
