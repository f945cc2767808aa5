#pragma once
// FIX time fields as UTC nanoseconds, parsed from the field's text without QuickFIX's converters
// (which throw on bad text and allocate): SendingTime(52) is a UTCTimestamp, MDEntryDate(272) a
// UTCDateOnly and MDEntryTime(273) a UTCTimeOnly. Malformed text gives nullopt: the caller falls
// back to the receive time rather than failing the message.

#include <optional>
#include <string_view>

#include "core/model/timestamp.hpp"

namespace guiju {

// "YYYYMMDD-HH:MM:SS[.fraction]" (1 to 9 fraction digits) -> ns since the epoch.
std::optional<Timestamp> parse_fix_utc_timestamp(std::string_view text);
// "YYYYMMDD" -> midnight UTC of that day, in ns since the epoch.
std::optional<Timestamp> parse_fix_utc_date(std::string_view text);
// "HH:MM:SS[.fraction]" -> ns since midnight.
std::optional<Duration> parse_fix_utc_time_only(std::string_view text);

}  // namespace guiju
