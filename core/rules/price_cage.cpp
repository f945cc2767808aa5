#include "core/rules/price_cage.hpp"

#include <algorithm>

namespace guiju::rules {

namespace {

constexpr int64_t kCagePercent = 2;
constexpr int64_t kCageTicks = 10;

bool has_cage(Board board) {
  return board == Board::kMain || board == Board::kChiNext || board == Board::kStar ||
         board == Board::kRiskWarning;
}

Price reference_of(Price previous_close, Side side, const CageMarket& market) {
  const Price near = side == Side::kBuy ? market.best_ask : market.best_bid;
  const Price far = side == Side::kBuy ? market.best_bid : market.best_ask;
  for (const Price p : {near, far, market.last_trade, previous_close}) {
    if (p.is_positive()) return p;
  }
  return Price::zero();
}

}  // namespace

Price cage_reference(const Instrument& instrument, Side side, const CageMarket& market) {
  return reference_of(instrument.previous_close, side, market);
}

bool has_price_cage(const Instrument& instrument) {
  return has_cage(instrument.board) && instrument.tick_size.is_positive();
}

std::optional<Price> cage_bound(const Instrument& instrument, Side side, const CageMarket& market) {
  if (!has_price_cage(instrument)) return std::nullopt;
  return caged_bound(instrument.tick_size, instrument.previous_close, side, market);
}

std::optional<Price> caged_bound(Price tick_size, Price previous_close, Side side,
                                 const CageMarket& market) {
  const Price reference = reference_of(previous_close, side, market);
  if (!reference.is_positive()) return std::nullopt;
  const int64_t tick = tick_size.raw();
  const int64_t ticks = kCageTicks * tick;
  const int64_t percent = reference.raw() / 100 * kCagePercent;  // 2% of the reference
  if (side == Side::kBuy) {
    // Rounded down to the tick: the highest price on the grid within the cage.
    const int64_t bound = reference.raw() + std::max(percent, ticks);
    return Price::from_raw(bound - bound % tick);
  }
  // Rounded up to the tick: the lowest price on the grid within the cage.
  const int64_t bound = reference.raw() - std::max(percent, ticks);
  const int64_t rem = bound % tick;
  return Price::from_raw(rem == 0 ? bound : bound + (tick - rem));
}

}  // namespace guiju::rules
