#pragma once
// LEAN (QuantConnect) US-equity tick files: a ZIP with one CSV member named
// <yyyymmdd>_<ticker>_Trade_Tick.csv or <yyyymmdd>_<ticker>_Quote_Tick.csv, no header, no newline
// after the last record. The date and ticker come from the member name (the ticker upper-cased
// and resolved with ImportOptions::instrument_of); times are milliseconds since midnight, New York
// time, on that date; prices are integers x 10,000.
//
//   trades  time_ms,price,quantity,exchange,sale_condition,suspicious -> Trade
//           LEAN records no aggressor: the tick test infers it (tick_rule_import.hpp).
//           trade_id is the record's line number in the member (1, 2, 3 ...).
//   quotes  time_ms,bid_price,bid_size,ask_price,ask_size,exchange,quote_condition,suspicious
//           Each record updates one side (the other is 0). The importer keeps the last bid and
//           ask and emits a two-sided Quote after each record; until a side has been seen its
//           price and size are zero.
//
// Records with suspicious = 1 (the vendor's flag) are dropped, counted in ImportStats::dropped,
// and change no state: a flagged quote would otherwise stay the standing bid or ask. Exchange,
// sale and quote conditions are not carried (the engine's events have no field for them).
// Minute bars (<date>_<ticker>_minute_trade.csv / _minute_quote.csv) are read too, with the path
// inside each minute assumed: a trade bar becomes four trades (open; high and low, the one nearer
// the open first; close) sharing its volume, a quote bar one Quote of the closing bid and ask at
// the minute's last millisecond. Second, hour and daily bars are refused naming the member.
//
// Time zone: US Eastern, EDT or EST by the US daylight-saving rules for the date (not a fixed
// -4), unless ImportOptions::utc_offset_minutes is set, which then applies to the whole file.

#include <cstdint>
#include <filesystem>

#include "adapters/replay/imported_data.hpp"

namespace guiju {

ImportedData import_lean_tick(const std::filesystem::path& archive, const ImportOptions& options);

// US Eastern time's offset from UTC in minutes (-240 EDT, -300 EST) at `ms_of_day` wall-clock
// time on a date. Since 2007 daylight time runs from 02:00 on the second Sunday of March to
// 02:00 on the first Sunday of November; 1987-2006 from the first Sunday of April to the last
// Sunday of October (earlier years use that rule too). In the repeated hour when daylight time
// ends (01:00-02:00) the wall-clock time is read as daylight time, its first occurrence.
int us_eastern_utc_offset_minutes(int64_t year, unsigned month, unsigned day, int64_t ms_of_day);

}  // namespace guiju
