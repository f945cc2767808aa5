// The replay's HTML report (core/analysis/html_report.hpp): one self-contained page, a chart per
// section with every fill drawn, escaped user text, identical bytes for identical data, and
// degenerate data (no samples, one sample, flat, NaN) drawn or explained instead of crashing.
// Also its axis ticks (core/analysis/axis_ticks.hpp) and drawdown_of.

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <locale>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/analysis/axis_ticks.hpp"
#include "core/analysis/html_report.hpp"
#include "core/analysis/run_record.hpp"
#include "core/clock/calendar.hpp"

namespace guiju {
namespace {

constexpr Timestamp kMorning = days_from_civil(2026, 11, 27) * 24 * kHour + 90 * kMinute;
constexpr const char* kBuyMarker = "l4 6h-8z";
constexpr const char* kSellMarker = "l4-6h-8z";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The text of <section id="...">, up to its end.
std::string section(const std::string& page, const std::string& id) {
  const size_t begin = page.find("<section id=\"" + id + "\">");
  if (begin == std::string::npos) return {};
  return page.substr(begin, page.find("</section>", begin) - begin);
}

// The text after each <h3> of a section: one instrument (or one chart) each.
std::vector<std::string> parts(const std::string& text) {
  std::vector<std::string> out;
  for (size_t at = text.find("<h3>"); at != std::string::npos;) {
    const size_t next = text.find("<h3>", at + 1);
    out.push_back(text.substr(at, next == std::string::npos ? next : next - at));
    at = next;
  }
  return out;
}

// `samples` one-minute samples from 09:30 Beijing time; per instrument a wavy mark and
// alternating buys and sells, `fills` of them spread over the samples.
RunRecord make_record(size_t instruments, size_t samples, size_t fills) {
  RunRecord r;
  r.title = "configs/demo.yaml, 2026-11-27";
  r.summary = {{"Net PnL", "1,234.50"}, {"Max drawdown", "321.00"}};
  r.display_utc_offset_minutes = 480;
  for (size_t i = 0; i < samples; ++i) {
    r.times.push_back(kMorning + static_cast<Timestamp>(i) * kMinute);
    r.net_pnl.push_back(1000 * std::sin(static_cast<double>(i) / 40.0));
  }
  for (size_t k = 0; k < instruments; ++k) {
    InstrumentRecord in;
    in.symbol = "60000" + std::to_string(k) + ".SH";
    for (size_t i = 0; i < samples; ++i) {
      const double x = static_cast<double>(i);
      in.mark.push_back(10 + static_cast<double>(k) + 0.3 * std::sin(x / 17.0));
      in.position.push_back(std::round(500 * std::sin(x / 29.0)));
    }
    const Duration span = samples > 1 ? static_cast<Duration>(samples - 1) * kMinute : kMinute;
    for (size_t f = 0; f < fills; ++f) {
      const Timestamp t = kMorning + span * static_cast<Duration>(f) /
                                         static_cast<Duration>(std::max<size_t>(fills, 1));
      const double price = 10 + static_cast<double>(k) + 0.2 * std::cos(static_cast<double>(f));
      in.fills.push_back({t, f % 2 == 0 ? Side::kBuy : Side::kSell, price, 100});
    }
    r.instruments.push_back(in);
  }
  return r;
}

std::string render(const RunRecord& r) {
  std::ostringstream out;
  write_html_report(out, r);
  return out.str();
}

TEST(ReplayReport, PageIsSelfContained) {
  const std::string page = render(make_record(2, 60, 10));
  ASSERT_NE(page.find("</html>"), std::string::npos);
  for (const char* outside : {"http://", "https://", "src=", "@import", "url(", "<link", "<img",
                              "href=", "<iframe", "<object"}) {
    EXPECT_EQ(page.find(outside), std::string::npos) << outside;
  }
  EXPECT_EQ(page.find("<script"), std::string::npos) << "readable without JavaScript";
  EXPECT_NE(page.find("<style>"), std::string::npos);
}

TEST(ReplayReport, OneChartPerSectionAndEveryFillMarked) {
  RunRecord r = make_record(3, 120, 40);
  r.instruments[1].fills.push_back({kMorning + 5 * kMinute, Side::kBuy, 11.1, 100});  // 21 buys
  r.instruments[2].fills.clear();
  const std::string page = render(r);
  EXPECT_EQ(count(section(page, "equity"), "<svg"), 2u);  // net PnL, then drawdown below it
  EXPECT_EQ(count(section(page, "positions"), "<svg"), 3u);
  const std::vector<std::string> fills = parts(section(page, "fills"));
  ASSERT_EQ(fills.size(), 3u);
  const size_t buys[] = {20, 21, 0};
  const size_t sells[] = {20, 20, 0};
  for (size_t k = 0; k < fills.size(); ++k) {
    EXPECT_EQ(count(fills[k], "<svg"), 1u) << k;
    EXPECT_EQ(count(fills[k], kBuyMarker), buys[k]) << k;
    EXPECT_EQ(count(fills[k], kSellMarker), sells[k]) << k;
  }
  EXPECT_NE(fills[0].find("40 fills"), std::string::npos);
  EXPECT_NE(fills[2].find("No fills."), std::string::npos) << "its price is still drawn";
  EXPECT_EQ(count(page, "<svg"), 2u + 3u + 3u);
}

TEST(ReplayReport, EscapesUserText) {
  RunRecord r = make_record(1, 10, 2);
  r.title = "a \"quoted\" <title> & 'more'";
  r.instruments[0].symbol = "<A&B>";
  r.summary.push_back({"<b>label</b>", "x&y"});
  const std::string page = render(r);
  EXPECT_EQ(page.find("<A&B>"), std::string::npos);
  EXPECT_EQ(page.find("<title> &"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_NE(page.find("<h3>&lt;A&amp;B&gt;</h3>"), std::string::npos);
  EXPECT_NE(page.find("aria-label=\"Net position of &lt;A&amp;B&gt;\""), std::string::npos);
  EXPECT_NE(page.find("a &quot;quoted&quot; &lt;title&gt; &amp; &#39;more&#39;"),
            std::string::npos);
  EXPECT_NE(page.find("<th>&lt;b&gt;label&lt;/b&gt;</th><td>x&amp;y</td>"), std::string::npos);
}

// Numbers as a German stream would write them: a decimal comma and thousands grouping.
struct GermanPunct : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

TEST(ReplayReport, SameDataSameBytesWhateverTheLocale) {
  const RunRecord r = make_record(2, 200, 300);
  const std::string first = render(r);
  EXPECT_EQ(render(r), first);
  std::ostringstream german;
  german.imbue(std::locale(std::locale::classic(), new GermanPunct));
  write_html_report(german, r);
  EXPECT_EQ(german.str(), first);
}

TEST(ReplayReport, EmptyRecordSaysThereIsNothingToPlot) {
  RunRecord r;
  r.title = "empty";
  const std::string page = render(r);
  EXPECT_NE(page.find("Nothing to plot"), std::string::npos);
  EXPECT_EQ(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("</html>"), std::string::npos);
}

// Every path's data holds only numbers and path commands: no "nan", no "inf".
void expect_clean_paths(const std::string& page) {
  const std::regex path_data(R"re( d="([^"]*)")re");
  const std::regex clean(R"([0-9 .\-MHVZhlz]*)");
  size_t paths = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), path_data);
       it != std::sregex_iterator(); ++it, ++paths) {
    EXPECT_TRUE(std::regex_match((*it)[1].str(), clean)) << (*it)[1].str().substr(0, 200);
  }
  EXPECT_GT(paths, 0u);
}

TEST(ReplayReport, NonFiniteValuesAreSkippedAsGaps) {
  RunRecord r = make_record(1, 30, 4);
  r.net_pnl[10] = kNaN;
  r.net_pnl[20] = std::numeric_limits<double>::infinity();
  r.instruments[0].mark[5] = kNaN;
  r.instruments[0].mark[0] = 0;  // not known yet
  r.instruments[0].fills[1].price = kNaN;
  const std::string page = render(r);
  expect_clean_paths(page);
  const std::string equity = section(page, "equity");
  const size_t pnl_line = equity.find("class=\"line pnl\" d=\"");
  ASSERT_NE(pnl_line, std::string::npos);
  const std::string d = equity.substr(pnl_line, equity.find("\"/>", pnl_line) - pnl_line);
  EXPECT_EQ(count(d, "M"), 3u) << "two gaps split the line in three";
  const std::string fills = section(page, "fills");
  EXPECT_EQ(count(fills, kBuyMarker) + count(fills, kSellMarker), 3u);
  EXPECT_NE(fills.find("1 without a finite price"), std::string::npos);
}

TEST(ReplayReport, ASeriesWithNothingFiniteIsExplained) {
  RunRecord r = make_record(1, 20, 0);
  r.instruments[0].mark.assign(20, 0.0);  // never known
  r.net_pnl.assign(20, kNaN);
  const std::string page = render(r);
  EXPECT_EQ(count(section(page, "equity"), "<svg"), 0u);
  EXPECT_EQ(count(section(page, "equity"), "Nothing to plot"), 2u);
  EXPECT_EQ(count(section(page, "fills"), "Nothing to plot"), 1u);
  EXPECT_EQ(count(section(page, "positions"), "<svg"), 1u);
}

TEST(ReplayReport, OneSampleAndFlatSeriesStillDraw) {
  RunRecord one = make_record(1, 1, 1);
  const std::string page = render(one);
  expect_clean_paths(page);
  EXPECT_EQ(count(page, "<svg"), 4u);
  EXPECT_NE(page.find("h4\""), std::string::npos) << "a lone sample is a short dash";

  RunRecord flat = make_record(1, 50, 0);
  flat.net_pnl.assign(50, 0.0);
  flat.instruments[0].mark.assign(50, 10.0);
  flat.instruments[0].position.assign(50, 0.0);
  const std::string flat_page = render(flat);
  expect_clean_paths(flat_page);
  EXPECT_EQ(count(flat_page, "<svg"), 4u);
  EXPECT_EQ(flat_page.find("Nothing to plot"), std::string::npos);
}

TEST(ReplayReport, ManyFillsAreAllDrawnAndCounted) {
  const std::string page = render(make_record(1, 100, 20'001));
  EXPECT_EQ(count(page, kBuyMarker), 10'001u);
  EXPECT_EQ(count(page, kSellMarker), 10'000u);
  EXPECT_NE(page.find("All 20,001 are drawn"), std::string::npos);
}

// The size a strategy developer's browser gets for a busy day: 4 instruments, 360 samples and
// 7,000 fills each. Markers are about 20 bytes a fill.
TEST(ReplayReport, BusyDayStaysSmall) {
  const std::string page = render(make_record(4, 360, 7'000));
  EXPECT_EQ(count(page, kBuyMarker) + count(page, kSellMarker), 28'000u);
  EXPECT_LT(page.size(), 28'000u * 30 + 100'000u);
  RecordProperty("bytes", static_cast<int>(page.size()));
  std::cout << "[ report size ] 4 instruments x 360 samples x 7000 fills: " << page.size()
            << " bytes\n";
}

TEST(ReplayReport, TimeLabelsHonourTheDisplayOffset) {
  const Timestamp eight_utc = days_from_civil(2026, 11, 27) * 24 * kHour + 8 * kHour;
  EXPECT_EQ(format_time_tick(eight_utc, kHour, 480), "16:00");
  EXPECT_EQ(format_time_tick(eight_utc, kHour, 0), "08:00");
  EXPECT_EQ(format_time_tick(eight_utc, kHour, -330), "02:30");
  EXPECT_EQ(format_time_tick(eight_utc + 5 * kSecond, 5 * kSecond, 480), "16:00:05");
  EXPECT_EQ(format_time_tick(eight_utc, 24 * kHour, 960), "11-28");
  EXPECT_EQ(format_date_time(eight_utc, 480), "2026-11-27 16:00");
  EXPECT_EQ(utc_offset_label(480), "UTC+08:00");
  EXPECT_EQ(utc_offset_label(-330), "UTC-05:30");
  EXPECT_EQ(utc_offset_label(0), "UTC");
  // Ticks fall on whole half hours of the display zone, not of UTC.
  const std::vector<Timestamp> ticks =
      time_ticks(eight_utc + 10 * kMinute, eight_utc + 2 * kHour, 30 * kMinute, 345);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(format_time_tick(ticks.front(), 30 * kMinute, 345), "14:00");
  const std::string page = render(make_record(1, 10, 0));
  EXPECT_NE(page.find(">09:30<"), std::string::npos) << "01:30 UTC shown in UTC+08:00";
  EXPECT_NE(page.find("UTC+08:00"), std::string::npos);
}

TEST(AxisTicks, NiceStepsOfOneTwoOrFive) {
  EXPECT_EQ(nice_ticks(3, 97), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(nice_ticks(-0.3, 0.7).front(), -0.4);
  const std::vector<double> small = nice_ticks(0.3, 0.7);
  ASSERT_GE(small.size(), 2u);
  EXPECT_NEAR(small.front(), 0.3, 1e-12) << "no extra tick from 0.3 / 0.1 = 2.9999...";
  EXPECT_EQ(nice_ticks(5, 5).size() >= 2, true) << "a flat series gets an axis";
  EXPECT_TRUE(nice_ticks(kNaN, 1).empty());
  EXPECT_EQ(format_tick_value(0.30000000000000004, 0.1), "0.3");
  EXPECT_EQ(format_tick_value(-1e-17, 0.5), "0");
  EXPECT_EQ(format_tick_value(40'000, 20'000), "40k");
  EXPECT_EQ(format_tick_value(2'500'000, 500'000), "2.5M");
  EXPECT_EQ(format_tick_value(-0.5, 0.5), "-0.5");
  EXPECT_EQ(format_tick_value(4'000'000, 2'000'000), "4M");
  EXPECT_EQ(format_tick_value(60, 20), "60");
  EXPECT_EQ(format_tick_value(1e300, 1e299), "1e+294M");
  EXPECT_EQ(time_tick_step(0, 6 * kHour, 8), kHour);
  EXPECT_EQ(time_tick_step(0, 30 * kSecond, 8), 5 * kSecond);
}

TEST(RunRecord, DrawdownFromTheRunningPeakStartingAtZero) {
  EXPECT_EQ(drawdown_of({0, 5, 3, 7, -1, 8}), (std::vector<double>{0, 0, -2, 0, -8, 0}));
  EXPECT_EQ(drawdown_of({-2, -1, -3}), (std::vector<double>{-2, -1, -3}));
  const std::vector<double> gap = drawdown_of({4, kNaN, 1});
  EXPECT_EQ(gap[0], 0);
  EXPECT_TRUE(std::isnan(gap[1]));
  EXPECT_EQ(gap[2], -3);
  EXPECT_TRUE(drawdown_of({}).empty());
}

}  // namespace
}  // namespace guiju
