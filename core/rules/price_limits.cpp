#include "core/rules/price_limits.hpp"

namespace guiju::rules {

std::optional<int> limit_percent(Board board) {
  switch (board) {
    case Board::kMain:
      return 10;
    case Board::kChiNext:
    case Board::kStar:
      return 20;
    case Board::kRiskWarning:
      return 5;
    case Board::kOther:
      return std::nullopt;
  }
  return std::nullopt;
}

namespace {

// previous_close x (100 + percent) / 100, rounded half up to a multiple of tick, in raw units.
int64_t limit_price(int64_t previous_close, int percent, int64_t tick) {
  const int128 exact = static_cast<int128>(previous_close) * (100 + percent);  // x 100
  const int128 tick100 = static_cast<int128>(tick) * 100;
  const int128 ticks = (exact + tick100 / 2) / tick100;  // half up: prices are positive
  return static_cast<int64_t>(ticks * tick);
}

}  // namespace

std::optional<PriceLimits> daily_price_limits(const Instrument& instrument) {
  const auto percent = limit_percent(instrument.board);
  if (!percent || !instrument.previous_close.is_positive() || !instrument.tick_size.is_positive()) {
    return std::nullopt;
  }
  const int64_t close = instrument.previous_close.raw();
  const int64_t tick = instrument.tick_size.raw();
  PriceLimits limits;
  limits.upper = Price::from_raw(limit_price(close, *percent, tick));
  limits.lower = Price::from_raw(limit_price(close, -*percent, tick));
  return limits;
}

}  // namespace guiju::rules
