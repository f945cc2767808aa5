#pragma once
// What every importer of recorded market data produces: the file's events as engine events
// (Quote, Trade, BookUpdate), in the file's time order, stamped with UTC event times, plus what
// was read and what was skipped. Importers read the whole file: the real files are megabytes,
// and a replay then runs from memory at full speed (replay_source.hpp hands the events out).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/events/event_slot.hpp"
#include "core/model/fixed_point.hpp"
#include "core/model/ids.hpp"

namespace guiju {

// What a malformed row does to an import: stop it with a DataError naming file, line and field,
// or skip the row, count it and keep the first examples (never silently).
enum class BadRowPolicy : uint8_t { kStop, kSkip };

struct ImportOptions {
  // Finds the engine's instrument for a symbol the file names (a LEAN ticker, Binance "s");
  // nullopt when the symbol is not configured, which is an error naming file and symbol.
  std::function<std::optional<InstrumentId>(std::string_view symbol)> instrument_of;
  // For files that name no instrument (TrueFX, HistData, user CSVs without a symbol column).
  std::optional<InstrumentId> instrument;
  // Prices are rounded to this tick where a format writes binary noise; zero: kept exact.
  Price tick_size;
  // The trading date (YYYYMMDD) for formats whose times are times of day and whose file name
  // does not carry the date; empty when the format carries its own.
  std::string trading_date;
  // The file's local time as an offset from UTC, for formats whose times are local.
  std::optional<int> utc_offset_minutes;
  BadRowPolicy on_bad_row = BadRowPolicy::kStop;
  uint16_t source_id = 400;  // EventHeader::source of the imported events
};

struct ImportStats {
  uint64_t rows = 0;     // data rows (or lines) read
  uint64_t events = 0;   // engine events produced
  uint64_t skipped = 0;  // malformed rows skipped under BadRowPolicy::kSkip
  // Well-formed rows deliberately left out, by the format's documented rule (LEAN rows the
  // vendor flagged suspicious, Binance depth updates a snapshot already covers, streams that
  // carry no market data); counted so that nothing disappears silently.
  uint64_t dropped = 0;
  // The first kMaxSkippedExamples skipped rows: "file:line:column: field 'name': what, got '...'"
  std::vector<std::string> skipped_examples;
  static constexpr size_t kMaxSkippedExamples = 10;
};

struct ImportedData {
  std::vector<EventSlot> events;  // time-ordered (non-decreasing event_time)
  ImportStats stats;
};

}  // namespace guiju
