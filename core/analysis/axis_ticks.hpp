#pragma once
// Where a chart's axes get their ticks and how the ticks read: values on steps of 1, 2 or 5 x 10^k,
// market times on whole seconds, minutes, hours or days of the display time zone. Every label is
// formatted without the C locale (std::to_chars), so a report is byte-identical on every machine.

#include <string>
#include <vector>

#include "core/model/timestamp.hpp"

namespace guiju {

// The step of 1, 2 or 5 x 10^k that splits [lo, hi] into about target_count intervals, and the
// ticks on that step from the last at or below lo to the first at or above hi: [3, 97] gives 0, 20,
// ..., 100. A range of one value is widened around it. Empty when lo or hi is not finite.
std::vector<double> nice_ticks(double lo, double hi, int target_count = 5);

// A tick value with as many decimals as its step needs, large values in k or M: 0.5, 20, 40k, 2.5M.
std::string format_tick_value(double value, double step);

// The step of time between ticks over [lo, hi]: whole seconds, minutes, hours or days.
Duration time_tick_step(Timestamp lo, Timestamp hi, int target_count = 8);

// The multiples of step (counted in the display time zone) within [lo, hi].
std::vector<Timestamp> time_ticks(Timestamp lo, Timestamp hi, Duration step,
                                  int utc_offset_minutes);

// A time tick in the display time zone: HH:MM, HH:MM:SS below a minute's step, MM-DD from a day's.
std::string format_time_tick(Timestamp t, Duration step, int utc_offset_minutes);

// "2026-11-27 09:30" in the display time zone.
std::string format_date_time(Timestamp t, int utc_offset_minutes);

// "UTC", "UTC+08:00", "UTC-05:30".
std::string utc_offset_label(int utc_offset_minutes);

}  // namespace guiju
