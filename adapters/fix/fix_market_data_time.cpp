#include "adapters/fix/fix_market_data_time.hpp"

#include <cstdint>

namespace guiju {
namespace {

// n decimal digits at text[at], or -1.
int64_t digits(std::string_view text, size_t at, size_t n) {
  if (at + n > text.size()) return -1;
  int64_t v = 0;
  for (size_t i = at; i < at + n; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's
// days_from_civil), so no timegm() and no time zone is involved.
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<Timestamp> parse_fix_utc_date(std::string_view text) {
  if (text.size() != 8) return std::nullopt;
  const int64_t y = digits(text, 0, 4);
  const int64_t m = digits(text, 4, 2);
  const int64_t d = digits(text, 6, 2);
  if (y < 1678 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return days_from_civil(y, m, d) * 86'400 * kSecond;
}

std::optional<Duration> parse_fix_utc_time_only(std::string_view text) {
  if (text.size() < 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  const int64_t h = digits(text, 0, 2);
  const int64_t mi = digits(text, 3, 2);
  const int64_t s = digits(text, 6, 2);
  // 60: a leap second, which FIX allows.
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return std::nullopt;
  Duration ns = ((h * 60 + mi) * 60 + s) * kSecond;
  if (text.size() == 8) return ns;
  const size_t fraction = text.size() - 9;
  if (text[8] != '.' || fraction < 1 || fraction > 9) return std::nullopt;
  int64_t f = digits(text, 9, fraction);
  if (f < 0) return std::nullopt;
  for (size_t i = fraction; i < 9; ++i) f *= 10;
  return ns + f;
}

std::optional<Timestamp> parse_fix_utc_timestamp(std::string_view text) {
  if (text.size() < 17 || text[8] != '-') return std::nullopt;
  const auto date = parse_fix_utc_date(text.substr(0, 8));
  const auto time = parse_fix_utc_time_only(text.substr(9));
  if (!date || !time) return std::nullopt;
  return *date + *time;
}

}  // namespace guiju
