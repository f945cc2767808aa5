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
  const auto [y, m, d] = civil_from_days(days);
  const int64_t secs = rem / kSecond;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                static_cast<long long>(rem % kSecond));
  return buf;
}

}  // namespace guiju
