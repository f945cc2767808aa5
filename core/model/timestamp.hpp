#pragma once
// Time on the wire and in the journal: signed 64-bit nanoseconds since the Unix epoch, UTC.
// (Covers 1678-2262.) Durations use the same unit.

#include <cstdint>

namespace guiju {

using Timestamp = int64_t;
using Duration = int64_t;

inline constexpr Duration kMicrosecond = 1'000;
inline constexpr Duration kMillisecond = 1'000'000;
inline constexpr Duration kSecond = 1'000'000'000;
inline constexpr Duration kMinute = 60 * kSecond;
inline constexpr Duration kHour = 60 * kMinute;

}  // namespace guiju
