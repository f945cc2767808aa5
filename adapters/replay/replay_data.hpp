#pragma once
// The market data of a replay, named on the command line or in the config as FORMAT:PATH:
//   synthetic                 the seeded generator (its parameters from the config)
//   sse_level2:ZIP            an SSE Level-2 day (sse_level2_source.hpp)
//   journal:DIR               the market-data records of a recorded session's audit journal
//   lean:ZIP, hftbacktest:GZ, truefx:CSV, histdata:CSV, binance_depth:CSV, csv:FILE
//                             the importers of market_data_import.hpp
// Each source is opened, identified (the SHA-256 of its bytes, for the journal) and merged with
// the others into one time-ordered stream, cut to the requested window.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/replay/imported_data.hpp"
#include "adapters/replay/synthetic_market.hpp"
#include "core/data/csv_mapping.hpp"
#include "core/data/market_data_source.hpp"
#include "core/events/session_events.hpp"
#include "core/model/instrument.hpp"

namespace guiju {

struct DataSourceSpec {
  std::string format;    // synthetic, sse_level2, journal, or an import format
  std::string location;  // the path; empty for synthetic
  std::string text() const { return location.empty() ? format : format + ":" + location; }
};

// Parses FORMAT[:PATH]; nullopt with the reason in *error for an unknown format or a missing
// path.
std::optional<DataSourceSpec> parse_data_source(std::string_view text, std::string* error);

struct ReplayDataOptions {
  std::string trading_date;                // YYYYMMDD: the SSE day to read, LEAN-less formats' date
  SyntheticMarketOptions synthetic;        // for `synthetic`
  std::optional<InstrumentId> instrument;  // for files that name no instrument
  std::optional<int> utc_offset_minutes;   // for files in local time (overrides the default)
  BadRowPolicy on_bad_row = BadRowPolicy::kStop;
  std::optional<CsvMapping> csv;  // for `csv:`
  Timestamp from = 0;             // window of event time; 0: unbounded
  Timestamp to = 0;
};

// One opened source: how it is known to the journal, and a line for the run's log.
struct OpenedSource {
  DataSourceEvent identity;
  std::string description;
};

struct ReplayData {
  std::unique_ptr<MarketDataSource> source;  // merged and windowed
  std::vector<OpenedSource> opened;          // in the order given
};

// Opens every source. Throws DataError (bad data: file, line, field), ZipError, or
// std::invalid_argument (an unknown symbol, a missing file) naming the source.
ReplayData open_replay_data(const std::vector<DataSourceSpec>& specs,
                            const InstrumentRegistry& registry, const ReplayDataOptions& options);

}  // namespace guiju
