#include "core/analysis/axis_ticks.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>
#include <utility>

#include "core/clock/calendar.hpp"

namespace guiju {

namespace {

constexpr Duration kDay = 24 * kHour;
// More ticks than this means a caller's range is not what an axis can show.
constexpr int64_t kMaxTicks = 1000;

// Rounds toward negative infinity, so times before the epoch fall on the right day.
int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The smallest 1, 2 or 5 x 10^k at or above raw (> 0).
double nice_step(double raw) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  const double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

std::string integer(int64_t v, int width = 0) {
  std::array<char, 24> buf{};
  auto* const end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;
  std::string digits(buf.data(), end);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  }
  return digits;
}

// Days since the epoch and nanoseconds into that day, in the display time zone.
std::pair<int64_t, Duration> local_day_and_time(Timestamp t, int utc_offset_minutes) {
  const Timestamp local = t + utc_offset_minutes * kMinute;
  const int64_t days = floor_div(local, kDay);
  return {days, local - days * kDay};
}

std::string clock_text(Duration time_of_day, bool seconds) {
  std::string out = integer(time_of_day / kHour, 2) + ":" + integer(time_of_day / kMinute % 60, 2);
  if (seconds) out += ":" + integer(time_of_day / kSecond % 60, 2);
  return out;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target_count) {
  if (!std::isfinite(hi - lo)) return {};  // also when lo or hi is not finite
  if (lo > hi) std::swap(lo, hi);
  // A flat series still gets an axis: a band of 1% around its value (or +-1 around zero).
  if (hi - lo <= std::max(std::fabs(lo), std::fabs(hi)) * 1e-9) {
    const double pad = lo == 0 ? 1.0 : std::fabs(lo) * 0.01;
    lo -= pad;
    hi += pad;
  }
  const double step = nice_step((hi - lo) / std::max(target_count, 1));
  // The epsilon keeps 0.3 / 0.1 = 2.9999999999999996 from adding a tick below 0.3.
  const auto first = static_cast<int64_t>(std::floor(lo / step + 1e-9));
  const auto last = static_cast<int64_t>(std::ceil(hi / step - 1e-9));
  if (last - first > kMaxTicks) return {lo, hi};
  std::vector<double> ticks;
  for (int64_t k = first; k <= last; ++k) ticks.push_back(static_cast<double>(k) * step);
  return ticks;
}

std::string format_tick_value(double value, double step) {
  double scale = 1;
  const char* suffix = "";
  if (step >= 1e5) {
    scale = 1e6;
    suffix = "M";
  } else if (step >= 1e3) {
    scale = 1e3;
    suffix = "k";
  }
  const double scaled_step = step / scale;
  const double v = value / scale;
  if (std::fabs(v) < scaled_step * 1e-6) return "0";  // not "-0" nor 1e-17
  const int decimals =
      scaled_step >= 1
          ? 0
          : std::clamp(static_cast<int>(std::ceil(-std::log10(scaled_step) - 1e-9)), 0, 12);
  std::array<char, 64> buf{};
  auto [end, error] =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
  if (error != std::errc{}) {  // too long for fixed notation: 1e+300M is still a label
    end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;
  }
  return std::string(buf.data(), end) + suffix;
}

Duration time_tick_step(Timestamp lo, Timestamp hi, int target_count) {
  static constexpr std::array<Duration, 17> kSteps = {
      kSecond, 2 * kSecond, 5 * kSecond, 10 * kSecond, 15 * kSecond, 30 * kSecond,
      kMinute, 2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
      kHour,   2 * kHour,   3 * kHour,   6 * kHour,    12 * kHour};
  const Duration span = std::max<Duration>(hi - lo, 1);
  const int64_t target = std::max(target_count, 1);
  for (const Duration step : kSteps) {
    if (span / step <= target) return step;
  }
  const double days = static_cast<double>(span) / static_cast<double>(target * kDay);
  return static_cast<Duration>(nice_step(std::max(days, 1.0))) * kDay;
}

std::vector<Timestamp> time_ticks(Timestamp lo, Timestamp hi, Duration step,
                                  int utc_offset_minutes) {
  std::vector<Timestamp> ticks;
  if (step <= 0 || hi < lo) return ticks;
  const Duration offset = utc_offset_minutes * kMinute;
  // The first multiple of step at or after lo, counted in the display time zone.
  Timestamp t = -floor_div(-(lo + offset), step) * step - offset;
  for (; t <= hi && static_cast<int64_t>(ticks.size()) < kMaxTicks; t += step) ticks.push_back(t);
  return ticks;
}

std::string format_time_tick(Timestamp t, Duration step, int utc_offset_minutes) {
  const auto [days, time_of_day] = local_day_and_time(t, utc_offset_minutes);
  if (step >= kDay) {
    const CivilDate c = civil_from_days(days);
    return integer(c.month, 2) + "-" + integer(c.day, 2);
  }
  return clock_text(time_of_day, step < kMinute);
}

std::string format_date_time(Timestamp t, int utc_offset_minutes) {
  const auto [days, time_of_day] = local_day_and_time(t, utc_offset_minutes);
  const CivilDate c = civil_from_days(days);
  return integer(c.year, 4) + "-" + integer(c.month, 2) + "-" + integer(c.day, 2) + " " +
         clock_text(time_of_day, false);
}

std::string utc_offset_label(int utc_offset_minutes) {
  if (utc_offset_minutes == 0) return "UTC";
  const int magnitude = std::abs(utc_offset_minutes);
  return std::string("UTC") + (utc_offset_minutes < 0 ? "-" : "+") + integer(magnitude / 60, 2) +
         ":" + integer(magnitude % 60, 2);
}

}  // namespace guiju
