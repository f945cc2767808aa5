#pragma once
// How a user describes a CSV file of their own so that it imports as engine events: which column
// holds what, how the time is written, and how prices are scaled. Plain public fields, filled in
// by code or by the config loader from YAML (docs/market-data-formats.md shows the shape):
//
//   data:
//     csv:
//       header: true
//       delimiter: ","
//       kind: quotes            # trades | quotes | one_sided_quotes
//       time: { column: timestamp, format: iso8601, utc_offset: "+00:00" }
//       columns: { bid_price: bid, ask_price: ask }   # names or 0-based indices
//       price_scale: 1
//
// validate() checks the mapping on its own (before any file is read) and names the bad field.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace guiju {

enum class CsvKind : uint8_t {
  kTrades,          // time, price, size [, side] [, symbol] -> Trade
  kQuotes,          // time, bid_price, ask_price [, bid_size, ask_size] [, symbol] -> Quote
  kOneSidedQuotes,  // as kQuotes, but a row may carry one side (the other's price empty or 0):
                    // the other side is carried forward from earlier rows (LEAN-style quotes)
};

enum class CsvTimeFormat : uint8_t {
  kEpochNs,           // integer nanoseconds since the Unix epoch (UTC)
  kEpochUs,           // integer microseconds
  kEpochMs,           // integer milliseconds
  kEpochS,            // seconds, with an optional decimal fraction ("1667346579.146")
  kMsOfDay,           // integer milliseconds since local midnight of ImportOptions::trading_date
  kIso8601,           // "2013-01-01 22:00:00.295000+00:00", "2013-01-01T22:00:00.295Z"; without a
                      // zone suffix the time is local (utc_offset)
  kYyyymmddHhmmssmmm  // "20200101 170000065" (HistData), local (utc_offset)
};

// A column by header name or by 0-based index; neither set: the column is absent.
struct CsvColumn {
  std::string name;
  std::optional<size_t> index;

  bool is_set() const { return !name.empty() || index.has_value(); }
  // "bid" -> by name; "3" -> by index 3 (how the config loader reads a YAML scalar).
  static CsvColumn parse(std::string_view text);
  static CsvColumn named(std::string name) { return CsvColumn{std::move(name), std::nullopt}; }
  static CsvColumn at(size_t index) { return CsvColumn{{}, index}; }
};

struct CsvMapping {
  bool has_header = true;
  char delimiter = ',';
  CsvKind kind = CsvKind::kQuotes;

  CsvColumn time;
  CsvTimeFormat time_format = CsvTimeFormat::kEpochNs;
  // The file's local time as an offset from UTC in minutes, for kMsOfDay, kYyyymmddHhmmssmmm and
  // kIso8601 without a zone suffix; nullopt: UTC. ImportOptions::utc_offset_minutes, when set,
  // overrides it. Epoch times are UTC by definition and take no offset.
  std::optional<int> utc_offset_minutes;

  CsvColumn price;      // trades
  CsvColumn size;       // trades
  CsvColumn side;       // trades, optional: B/S, buy/sell (any case); absent: the tick test
  CsvColumn bid_price;  // quotes
  CsvColumn bid_size;   // quotes, optional: sizes are 0 without it
  CsvColumn ask_price;  // quotes
  CsvColumn ask_size;   // quotes, optional
  CsvColumn symbol;     // optional: resolved with ImportOptions::instrument_of per row; absent:
                        // every row is ImportOptions::instrument

  // Prices are the column's decimal value divided by this (10000 for prices written x 10,000);
  // sizes are taken as written.
  int64_t price_scale = 1;

  // Throws std::invalid_argument naming the field ("columns.price", "time.format", ...) when the
  // mapping cannot describe a file: a column the kind needs is missing, a name without a header,
  // a column given both by name and index, price_scale < 1, an offset outside +-23:59, a
  // delimiter that is a line break or quote, a non-zero offset with an epoch time format.
  void validate() const;
};

std::optional<CsvKind> parse_csv_kind(std::string_view name);  // trades | quotes | one_sided_quotes
std::string_view to_string(CsvKind kind);
// epoch_ns | epoch_us | epoch_ms | epoch_s | ms_of_day | iso8601 | yyyymmdd_hhmmssmmm
std::optional<CsvTimeFormat> parse_csv_time_format(std::string_view name);
std::string_view to_string(CsvTimeFormat format);
// "+08:00", "-05:00", "+0530", "Z" -> minutes east of UTC; nullopt when malformed.
std::optional<int> parse_utc_offset(std::string_view text);

// TrueFX tick files: header timestamp,bid,ask; ISO-8601 UTC times; quotes without sizes.
CsvMapping truefx_mapping();
// HistData.com ASCII ticks: no header, "YYYYMMDD HHMMSSmmm,bid,ask,volume", EST without daylight
// saving (fixed UTC-05:00, as HistData documents); volume is always 0 and not a quote size, so
// quote sizes are 0.
CsvMapping histdata_mapping();

}  // namespace guiju
