#pragma once
// A seeded, deterministic synthetic market for A-share-like instruments, so that the demo, tests
// and benchmarks run with no external data.
//
// Model, per instrument:
// - The mid follows a discrete Ornstein-Uhlenbeck process in ticks around the previous close
//   (mean-reverting, with a configurable pull and volatility), kept inside the board's daily price
//   limit (main ±10%, ChiNext/STAR ±20%, ST ±5%).
// - The spread is a few basis points of price rounded to whole ticks (at least one tick), so a
//   CNY 11 bank trades one tick wide and a CNY 1,700 stock tens of ticks wide, as on the exchange.
// - Ten levels per side, one spacing apart, with sizes in board lots that grow with depth.
// - Updates arrive as a Poisson process over the trading session (09:30-11:30, 13:00-15:00
//   Beijing time); each update may come with a trade at the touch, of a random number of lots,
//   from the side the mid moved toward.
// Each update emits, at one event time, the trade (if any), the 10-level book and the quote.

#include <cstdint>
#include <deque>
#include <vector>

#include "core/data/market_data_source.hpp"
#include "core/model/instrument.hpp"
#include "core/util/random.hpp"

namespace guiju {

struct SyntheticMarketOptions {
  uint64_t seed = 1;
  double quotes_per_second = 2.0;  // per instrument
  double trade_probability = 0.3;
  double mean_reversion = 0.02;   // fraction of the distance to the anchor closed per update
  double volatility_ticks = 1.5;  // stdev of the mid's move per update, in ticks
  uint32_t session_seconds = 14400;
  std::string trading_date;  // YYYYMMDD
  SourceId source_id = 100;
};

class SyntheticMarket final : public MarketDataSource {
 public:
  SyntheticMarket(const InstrumentRegistry& instruments, SyntheticMarketOptions options);

  bool next(EventSlot& out) override;
  double progress() const override {
    return options_.session_seconds > 0 ? elapsed_seconds_ / options_.session_seconds : -1;
  }

  Timestamp session_start() const { return morning_open_; }
  uint64_t updates() const { return updates_; }

 private:
  struct State {
    InstrumentId id;
    int64_t tick;         // tick size, raw price units
    int64_t lot;          // lot size, raw quantity units
    double anchor_ticks;  // previous close in ticks
    double mid_ticks;
    int64_t lower_ticks;  // daily limit band
    int64_t upper_ticks;
    double spread_bps;  // typical spread of this name
  };

  void generate_update();
  // Maps trading seconds since the open onto the clock (skipping the lunch break).
  Timestamp session_time(double trading_seconds) const;

  const InstrumentRegistry& instruments_;
  SyntheticMarketOptions options_;
  Random random_;
  std::vector<State> states_;
  std::deque<EventSlot> pending_;
  double elapsed_seconds_ = 0;
  Timestamp morning_open_ = 0;
  Timestamp afternoon_open_ = 0;
  uint64_t sequence_ = 0;
  uint64_t trade_id_ = 0;
  uint64_t updates_ = 0;
};

}  // namespace guiju
