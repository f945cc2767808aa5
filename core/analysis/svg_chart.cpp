#include "core/analysis/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/analysis/axis_ticks.hpp"
#include "core/analysis/html_escape.hpp"

namespace guiju {

namespace {

// Room around the plot for the value labels (left), the time labels (below) and the zone (above).
constexpr double kLeft = 56;
constexpr double kRight = 28;  // half an HH:MM:SS label beyond the last tick
constexpr double kTop = 18;
constexpr double kBottom = 22;
constexpr double kTimeLabelWidth = 110;
constexpr double kValueLabelHeight = 45;

struct Point {
  double x;
  double y;
};
using Segment = std::vector<Point>;

// Maps market time and value onto the plot's coordinates.
struct Frame {
  double left;
  double top;
  double right;
  double bottom;
  Timestamp t0;
  Timestamp t1;
  double v0;
  double v1;

  double x(Timestamp t) const {
    return left + static_cast<double>(t - t0) / static_cast<double>(t1 - t0) * (right - left);
  }
  double y(double v) const { return top + (v1 - v) / (v1 - v0) * (bottom - top); }
};

// A coordinate to 0.1 unit, finer than a screen shows, without a trailing ".0" or a "-0".
std::string num(double v) {
  std::array<char, 32> buf{};
  auto* const end =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, 1).ptr;
  std::string s(buf.data(), end);
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

size_t sample_count(const TimeChart& chart, const ChartSeries& series) {
  return std::min(chart.times.size(), series.values.size());
}

// The smallest and largest finite value of the series and markers; lo > hi when there is none.
std::pair<double, double> value_range(const TimeChart& chart) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  auto add = [&](double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  for (const ChartSeries& s : chart.series) {
    for (size_t i = 0; i < sample_count(chart, s); ++i) add(s.values[i]);
  }
  for (const ChartMarkers& m : chart.markers) {
    for (const auto& point : m.points) add(point.second);
  }
  return {lo, hi};
}

// Consecutive points in one pixel column collapse to their first, lowest, highest and last: the
// line looks the same, and a day of one-second samples stays a few kilobytes.
Segment thin(const Segment& points) {
  Segment out;
  size_t i = 0;
  while (i < points.size()) {
    const double column = std::floor(points[i].x);
    size_t j = i;
    size_t lowest = i;
    size_t highest = i;
    for (; j < points.size() && std::floor(points[j].x) == column; ++j) {
      if (points[j].y < points[lowest].y) lowest = j;
      if (points[j].y > points[highest].y) highest = j;
    }
    std::array<size_t, 4> keep = {i, lowest, highest, j - 1};
    std::sort(keep.begin(), keep.end());
    auto* const last = std::unique(keep.begin(), keep.end());
    for (auto* k = keep.begin(); k != last; ++k) out.push_back(points[*k]);
    i = j;
  }
  return out;
}

// The runs of finite values, in plot coordinates.
std::vector<Segment> segments_of(const Frame& f, const TimeChart& chart, const ChartSeries& s) {
  std::vector<Segment> runs;
  bool open = false;
  for (size_t i = 0; i < sample_count(chart, s); ++i) {
    if (!std::isfinite(s.values[i])) {
      open = false;
      continue;
    }
    if (!open) runs.emplace_back();
    open = true;
    runs.back().push_back({f.x(chart.times[i]), f.y(s.values[i])});
  }
  for (Segment& run : runs) run = thin(run);
  return runs;
}

// The points after a segment's first: implicit line-tos, or a horizontal then a vertical move.
void append_rest(std::string& d, const Segment& run, bool step) {
  for (size_t i = 1; i < run.size(); ++i) {
    if (step) {
      d += "H" + num(run[i].x) + "V" + num(run[i].y);
    } else {
      d += " " + num(run[i].x) + " " + num(run[i].y);
    }
  }
}

void write_path(std::ostream& out, const std::string& css_class, const std::string& d) {
  if (d.empty()) return;
  out << "<path class=\"" << html_escape(css_class) << "\" d=\"" << d << "\"/>";
}

void write_line(std::ostream& out, const std::vector<Segment>& runs, const ChartSeries& s) {
  std::string d;
  for (const Segment& run : runs) {
    if (run.size() == 1) {  // a lone sample: a short dash, or it would not show
      d += "M" + num(run[0].x - 2) + " " + num(run[0].y) + "h4";
      continue;
    }
    d += "M" + num(run[0].x) + " " + num(run[0].y);
    append_rest(d, run, s.step);
  }
  write_path(out, "line " + s.css_class, d);
}

void write_area(std::ostream& out, const Frame& f, const std::vector<Segment>& runs,
                const ChartSeries& s) {
  const std::string base = num(std::clamp(f.y(0), f.top, f.bottom));
  std::string d;
  for (const Segment& run : runs) {
    d += "M" + num(run[0].x) + " " + base + (s.step ? "V" : " " + num(run[0].x) + " ") +
         num(run[0].y);
    append_rest(d, run, s.step);
    d += (s.step ? "V" : " " + num(run.back().x) + " ") + base + "Z";
  }
  write_path(out, "area " + s.css_class, d);
}

// Each marker a triangle of 8 x 6 units centred on its point: about 20 bytes a fill.
void write_markers(std::ostream& out, const Frame& f, const ChartMarkers& m) {
  const bool up = m.shape == MarkerShape::kTriangleUp;
  const char* shape = up ? "l4 6h-8z" : "l4-6h-8z";
  std::string d;
  d.reserve(m.points.size() * 20);
  for (const auto& [t, v] : m.points) {
    if (!std::isfinite(v)) continue;
    d += "M" + num(f.x(t)) + " " + num(f.y(v) + (up ? -3.5 : 3.5)) + shape;
  }
  write_path(out, "marker " + m.css_class, d);
}

void write_value_axis(std::ostream& out, const Frame& f, const std::vector<double>& ticks) {
  const double step = ticks[1] - ticks[0];
  std::string grid;
  std::string labels;
  for (const double v : ticks) {
    const std::string y = num(f.y(v));
    grid += "M" + num(f.left) + " " + y + "H" + num(f.right);
    labels += "<text x=\"" + num(f.left - 6) + "\" y=\"" + num(f.y(v) + 4) + "\">" +
              format_tick_value(v, step) + "</text>";
  }
  write_path(out, "grid", grid);
  out << "<g class=\"yl\">" << labels << "</g>";
  if (f.v0 < 0 && f.v1 > 0) {
    write_path(out, "zero", "M" + num(f.left) + " " + num(f.y(0)) + "H" + num(f.right));
  }
}

void write_time_axis(std::ostream& out, const Frame& f, int utc_offset_minutes) {
  const int target = std::max(2, static_cast<int>((f.right - f.left) / kTimeLabelWidth));
  const Duration step = time_tick_step(f.t0, f.t1, target);
  std::string grid;
  std::string labels;
  for (const Timestamp t : time_ticks(f.t0, f.t1, step, utc_offset_minutes)) {
    const std::string x = num(f.x(t));
    grid += "M" + x + " " + num(f.top) + "V" + num(f.bottom);
    labels += "<text x=\"" + x + "\" y=\"" + num(f.bottom + 15) + "\">" +
              format_time_tick(t, step, utc_offset_minutes) + "</text>";
  }
  write_path(out, "grid", grid);
  out << R"(<g class="xl">)" << labels << R"(</g><text class="tz" x=")" << num(f.right)
      << R"(" y=")" << num(f.top - 6) << R"(">)" << utc_offset_label(utc_offset_minutes)
      << "</text>";
}

// Without zero a little room above and below the values, so that no marker sits on the frame.
std::vector<double> value_ticks(const TimeChart& chart, double lo, double hi) {
  const double plot_height = chart.height - kTop - kBottom;
  const int target = std::max(2, static_cast<int>(plot_height / kValueLabelHeight));
  if (chart.include_zero) return nice_ticks(std::min(lo, 0.0), std::max(hi, 0.0), target);
  const double pad = (hi - lo) * 0.03;
  return nice_ticks(lo - pad, hi + pad, target);
}

Frame frame_of(const TimeChart& chart, const std::vector<double>& ticks) {
  Frame f{};
  f.left = kLeft;
  f.top = kTop;
  f.right = chart.width - kRight;
  f.bottom = chart.height - kBottom;
  f.t0 = chart.start;
  f.t1 = std::max(chart.end, chart.start);
  if (f.t1 == f.t0) {
    f.t0 -= kMinute;
    f.t1 += kMinute;
  }
  f.v0 = ticks.front();
  f.v1 = ticks.back();
  return f;
}

}  // namespace

bool write_time_chart(std::ostream& out, const TimeChart& chart) {
  const auto [lo, hi] = value_range(chart);
  if (lo > hi) return false;
  const std::vector<double> ticks = value_ticks(chart, lo, hi);
  if (ticks.size() < 2) return false;
  const Frame f = frame_of(chart, ticks);
  out << "<svg viewBox=\"0 0 " << num(chart.width) << " " << num(chart.height)
      << R"(" role="img" aria-label=")" << html_escape(chart.label) << R"(">)";
  write_value_axis(out, f, ticks);
  write_time_axis(out, f, chart.utc_offset_minutes);
  write_path(out, "frame",
             "M" + num(f.left) + " " + num(f.top) + "V" + num(f.bottom) + "H" + num(f.right));
  // Under the lines: thousands of fills would otherwise hide the price they were made at.
  for (const ChartMarkers& m : chart.markers) write_markers(out, f, m);
  for (const ChartSeries& s : chart.series) {
    const std::vector<Segment> runs = segments_of(f, chart, s);
    if (runs.empty()) continue;
    if (s.area) write_area(out, f, runs, s);
    write_line(out, runs, s);
  }
  out << "</svg>\n";
  return true;
}

}  // namespace guiju
