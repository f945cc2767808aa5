#pragma once
// An inline SVG chart over market time for the replay report: line, step and filled-area series
// with gaps where a value is not finite, nice ticks on both axes, and triangle markers (fills)
// under the lines. Sized by a viewBox so the page scales it; styled by the page's CSS classes, so
// the chart carries no colours of its own. Deterministic: coordinates are rounded to 0.1 unit and
// formatted without the locale.

#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/model/timestamp.hpp"

namespace guiju {

struct ChartSeries {
  std::vector<double> values;  // one per chart time; a non-finite value is a gap in the line
  std::string css_class;
  bool area = false;  // filled to zero as well as stroked
  bool step = false;  // each value held until the next time (a position), not interpolated
};

enum class MarkerShape { kTriangleUp, kTriangleDown };

struct ChartMarkers {
  MarkerShape shape = MarkerShape::kTriangleUp;
  std::string css_class;
  std::vector<std::pair<Timestamp, double>> points;  // non-finite values are left out
};

struct TimeChart {
  std::string label;  // the chart's accessible name, plain text (escaped when written)
  int width = 900;
  int height = 240;
  // The time axis: the same on every chart of a page, so that they line up. Widened by a minute
  // each way when it is a single instant.
  Timestamp start = 0;
  Timestamp end = 0;
  int utc_offset_minutes =
      0;                      // ticks at whole hours etc. of this zone, which is named on the chart
  bool include_zero = false;  // the value axis reaches 0 (PnL, drawdown, positions)
  std::span<const Timestamp> times;
  std::vector<ChartSeries> series;
  std::vector<ChartMarkers> markers;
};

// Writes one <svg> element; false, having written nothing, when there is no finite value or
// marker to draw (or their range is wider than a double spans).
bool write_time_chart(std::ostream& out, const TimeChart& chart);

}  // namespace guiju
