#pragma once
// `guiju venue`: a FIX acceptor exchange simulator. Members log on over FIX 4.2 or 4.4, send
// orders that match each other and a background market in one book per instrument
// (adapters/sim/venue_exchange.hpp), and subscribe to the market data. docs/fix.md, "Venue
// simulator", lists what it speaks.
//
// This header keeps QuickFIX out of its includers (adapters/fix/quickfix.hpp is adapter-private).

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "adapters/sim/venue_exchange.hpp"
#include "core/data/market_data_source.hpp"
#include "core/model/instrument.hpp"
#include "core/model/timestamp.hpp"

namespace guiju {

struct FixVenueOptions {
  std::string settings_path;  // the QuickFIX acceptor settings file
  double speed = 1.0;         // the background market's pace against the wall clock
  Duration duration = 0;      // 0: until stopped
  std::string
      trade_log_path;  // CSV of every member execution (fix_venue_trade_log.hpp); empty: none
  sim::ExchangeOptions exchange;
};

class FixVenue {
 public:
  // Reads the settings file and creates the sessions; throws std::runtime_error naming the file
  // and QuickFIX's complaint when they are invalid. Nothing listens until run().
  FixVenue(const InstrumentRegistry& instruments, const FixVenueOptions& options);
  ~FixVenue();
  FixVenue(const FixVenue&) = delete;
  FixVenue& operator=(const FixVenue&) = delete;

  // "port N" lines and one line per session, for the console.
  std::vector<std::string> describe() const;
  // Listens, then paces the background market to the wall clock and serves the sessions, all on
  // this thread, until stop is set or the duration passes; then logs every session out.
  // When the source ends, the book stays as it last was and members go on trading.
  void run(MarketDataSource& background, const std::atomic<bool>& stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace guiju
