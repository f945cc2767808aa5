#include "core/clock/calendar.hpp"

#include <cstdio>

namespace guiju {

Timestamp utc_midnight(const std::string& yyyymmdd) {
  const int y = std::stoi(yyyymmdd.substr(0, 4));
  const auto m = static_cast<unsigned>(std::stoi(yyyymmdd.substr(4, 2)));
  const auto d = static_cast<unsigned>(std::stoi(yyyymmdd.substr(6, 2)));
  return days_from_civil(y, m, d) * 86400 * kSecond;
}

std::string format_utc(Timestamp t) {
  int64_t days = t / (86400 * kSecond);
  int64_t rem = t % (86400 * kSecond);
  if (rem < 0) {
    rem += 86400 * kSecond;
    --days;
  }
  // civil_from_days (H. Hinnant)
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  const int64_t secs = rem / kSecond;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                static_cast<long long>(rem % kSecond));
  return buf;
}

}  // namespace guiju
