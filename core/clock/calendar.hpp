#pragma once
// Civil dates and UTC timestamps, without the C library's time-zone state (thread-safe, exact).

#include <string>

#include "core/model/timestamp.hpp"

namespace guiju {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// UTC midnight of a YYYYMMDD date (already validated).
Timestamp utc_midnight(const std::string& yyyymmdd);

// "2026-11-27T01:30:00.000000000Z"
std::string format_utc(Timestamp t);

}  // namespace guiju
