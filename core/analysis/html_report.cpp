#include "core/analysis/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/analysis/axis_ticks.hpp"
#include "core/analysis/html_escape.hpp"
#include "core/analysis/svg_chart.hpp"

namespace guiju {

namespace {

// Past this many fills on one instrument the markers merge into bands; the page says so.
constexpr size_t kManyFills = 20'000;

// Colour rules come before .line and .area, which must win over a class's fill or stroke.
constexpr const char* kStyle =
    "body{margin:0 auto;max-width:960px;padding:16px 20px 40px;background:#f7f7f5;color:#222;"
    "font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
    "sans-serif}\n"
    "h1{font-size:22px;margin:8px 0 2px}h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;"
    "border-bottom:1px solid #ddd}h3{font-size:14px;margin:16px 0 4px}\n"
    ".sub,.note{color:#555;margin:2px 0 8px}.empty{color:#888;font-style:italic}\n"
    "table{border-collapse:collapse;margin:8px 0}th{text-align:left;font-weight:normal;"
    "color:#555;padding:2px 24px 2px 0}td{text-align:right;font-variant-numeric:tabular-nums}\n"
    "svg{display:block;width:100%;height:auto;background:#fff;border:1px solid #e2e2e2;"
    "border-radius:3px}svg text{font-size:11px;fill:#666}\n"
    ".yl,.tz{text-anchor:end}.xl{text-anchor:middle}.tz{fill:#999}\n"
    ".grid{stroke:#eee}.zero{stroke:#bbb}.frame{stroke:#999}"
    ".grid,.zero,.frame{fill:none;shape-rendering:crispEdges}\n"
    ".pnl{stroke:#1f5fbf}.dd{stroke:#c0392b;fill:#c0392b}.pos{stroke:#6a3d9a;fill:#6a3d9a}"
    ".mark{stroke:#777}.buy{fill:#1a9850;color:#1a9850}.sell{fill:#d73027;color:#d73027}\n"
    ".line{fill:none;stroke-width:1.5;stroke-linejoin:round;stroke-linecap:round}"
    ".area{stroke:none;fill-opacity:.2}.marker{fill-opacity:.8}\n";

// The market time every chart spans: the samples and the fills together.
struct TimeSpan {
  bool any = false;
  Timestamp start = 0;
  Timestamp end = 0;

  void add(Timestamp t) {
    start = any ? std::min(start, t) : t;
    end = any ? std::max(end, t) : t;
    any = true;
  }
};

TimeSpan time_span_of(const RunRecord& record) {
  TimeSpan span;
  for (const Timestamp t : record.times) span.add(t);
  for (const InstrumentRecord& instrument : record.instruments) {
    for (const FillMark& fill : instrument.fills) span.add(fill.time);
  }
  return span;
}

// 20000 as "20,000": counts read at a glance, the same on every machine.
std::string count_text(size_t n) {
  std::string digits = std::to_string(n);
  for (auto i = static_cast<ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return digits;
}

TimeChart chart_on(const TimeSpan& span, const RunRecord& record, std::string label, int height) {
  TimeChart chart;
  chart.label = std::move(label);
  chart.height = height;
  chart.start = span.start;
  chart.end = span.end;
  chart.utc_offset_minutes = record.display_utc_offset_minutes;
  chart.times = record.times;
  return chart;
}

void write_chart_or_note(std::ostream& out, const TimeChart& chart) {
  if (!write_time_chart(out, chart)) {
    out << "<p class=\"empty\">Nothing to plot: no finite values.</p>\n";
  }
}

void write_head(std::ostream& out, const RunRecord& record) {
  out << "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
         "<title>Replay report"
      << (record.title.empty() ? "" : ": " + html_escape(record.title)) << "</title>\n<style>\n"
      << kStyle << "</style>\n</head>\n<body>\n";
}

void write_header(std::ostream& out, const RunRecord& record) {
  out << "<header>\n<h1>Replay report</h1>\n";
  if (!record.title.empty()) out << "<p class=\"sub\">" << html_escape(record.title) << "</p>\n";
  if (!record.times.empty()) {
    const int offset = record.display_utc_offset_minutes;
    out << "<p class=\"note\">Market time " << format_date_time(record.times.front(), offset)
        << " to " << format_date_time(record.times.back(), offset) << " ("
        << utc_offset_label(offset) << "), " << count_text(record.times.size()) << " samples, "
        << count_text(record.instruments.size()) << " instruments.</p>\n";
  }
  if (!record.summary.empty()) {
    out << "<table class=\"summary\">\n";
    for (const auto& [label, value] : record.summary) {
      out << "<tr><th>" << html_escape(label) << "</th><td>" << html_escape(value)
          << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "</header>\n";
}

void write_equity(std::ostream& out, const RunRecord& record, const TimeSpan& span) {
  out << "<section id=\"equity\">\n<h2>Equity</h2>\n<h3>Net PnL</h3>\n";
  TimeChart pnl = chart_on(span, record, "Net PnL over market time", 240);
  pnl.include_zero = true;
  pnl.series.push_back({.values = record.net_pnl, .css_class = "pnl"});
  write_chart_or_note(out, pnl);
  out << "<h3>Drawdown from the running peak</h3>\n";
  TimeChart drawdown = chart_on(span, record, "Drawdown over market time", 140);
  drawdown.include_zero = true;
  drawdown.series.push_back(
      {.values = drawdown_of(record.net_pnl), .css_class = "dd", .area = true});
  write_chart_or_note(out, drawdown);
  out << "</section>\n";
}

void write_positions(std::ostream& out, const RunRecord& record, const TimeSpan& span) {
  out << "<section id=\"positions\">\n<h2>Positions</h2>\n";
  if (record.instruments.empty()) out << "<p class=\"empty\">No instruments.</p>\n";
  for (const InstrumentRecord& instrument : record.instruments) {
    out << "<h3>" << html_escape(instrument.symbol) << "</h3>\n";
    TimeChart chart = chart_on(span, record, "Net position of " + instrument.symbol, 130);
    chart.include_zero = true;
    chart.series.push_back(
        {.values = instrument.position, .css_class = "pos", .area = true, .step = true});
    write_chart_or_note(out, chart);
  }
  out << "</section>\n";
}

// A mark of 0 is a price not known yet: a gap, not a fall to zero.
std::vector<double> known_marks(const std::vector<double>& mark) {
  std::vector<double> out = mark;
  for (double& v : out) {
    if (v == 0) v = std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

ChartMarkers fill_markers(const std::vector<FillMark>& fills, Side side) {
  ChartMarkers markers;
  markers.shape = side == Side::kBuy ? MarkerShape::kTriangleUp : MarkerShape::kTriangleDown;
  markers.css_class = side == Side::kBuy ? "buy" : "sell";
  for (const FillMark& fill : fills) {
    if (fill.side == side) markers.points.emplace_back(fill.time, fill.price);
  }
  return markers;
}

void write_fill_counts(std::ostream& out, const std::vector<FillMark>& fills) {
  if (fills.empty()) {
    out << "<p class=\"note\">No fills.</p>\n";
    return;
  }
  const auto buys = static_cast<size_t>(std::count_if(
      fills.begin(), fills.end(), [](const FillMark& f) { return f.side == Side::kBuy; }));
  const auto unpriced = static_cast<size_t>(std::count_if(
      fills.begin(), fills.end(), [](const FillMark& f) { return !std::isfinite(f.price); }));
  out << "<p class=\"note\">" << count_text(fills.size())
      << " fills: <span class=\"buy\">&#9650;</span> " << count_text(buys)
      << " buys, <span class=\"sell\">&#9660;</span> " << count_text(fills.size() - buys)
      << " sells.";
  if (unpriced != 0) out << " " << count_text(unpriced) << " without a finite price are not drawn.";
  if (fills.size() > kManyFills) {
    out << " All " << count_text(fills.size()) << " are drawn, so at this scale they overlap.";
  }
  out << "</p>\n";
}

void write_fills(std::ostream& out, const RunRecord& record, const TimeSpan& span) {
  out << "<section id=\"fills\">\n<h2>Fills over price</h2>\n";
  if (record.instruments.empty()) out << "<p class=\"empty\">No instruments.</p>\n";
  for (const InstrumentRecord& instrument : record.instruments) {
    out << "<h3>" << html_escape(instrument.symbol) << "</h3>\n";
    write_fill_counts(out, instrument.fills);
    TimeChart chart = chart_on(span, record, "Price and fills of " + instrument.symbol, 240);
    chart.series.push_back({.values = known_marks(instrument.mark), .css_class = "mark"});
    chart.markers.push_back(fill_markers(instrument.fills, Side::kBuy));
    chart.markers.push_back(fill_markers(instrument.fills, Side::kSell));
    write_chart_or_note(out, chart);
  }
  out << "</section>\n";
}

}  // namespace

void write_html_report(std::ostream& out, const RunRecord& record) {
  const TimeSpan span = time_span_of(record);
  write_head(out, record);
  write_header(out, record);
  if (span.any) {
    write_equity(out, record, span);
    write_positions(out, record, span);
    write_fills(out, record, span);
  } else {
    out << "<p class=\"empty\">Nothing to plot: the run recorded no samples and no fills.</p>\n";
  }
  out << "</body>\n</html>\n";
}

}  // namespace guiju
