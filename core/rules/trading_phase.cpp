#include "core/rules/trading_phase.hpp"

namespace guiju::rules {

std::string_view to_string(TradingPhase phase) {
  switch (phase) {
    case TradingPhase::kClosed:
      return "closed";
    case TradingPhase::kOpeningAuction:
      return "opening call auction";
    case TradingPhase::kOpeningAuctionFrozen:
      return "opening call auction (no cancels)";
    case TradingPhase::kPreOpen:
      return "pre-open (opening price set)";
    case TradingPhase::kContinuous:
      return "continuous trading";
    case TradingPhase::kLunchBreak:
      return "lunch break";
    case TradingPhase::kClosingAuction:
      return "closing call auction";
  }
  return "?";
}

namespace {

// Nanoseconds since midnight, China Standard Time (UTC+8, no daylight saving).
int64_t china_time_of_day(Timestamp utc) {
  constexpr int64_t kDay = 86400 * kSecond;
  const int64_t local = (utc + 8 * kHour) % kDay;
  return local < 0 ? local + kDay : local;
}

}  // namespace

TradingPhase trading_phase(Timestamp utc) {
  const int64_t local = china_time_of_day(utc);
  auto at = [](int64_t h, int64_t m) { return h * kHour + m * kMinute; };
  if (local < at(9, 15)) return TradingPhase::kClosed;
  if (local < at(9, 20)) return TradingPhase::kOpeningAuction;
  if (local < at(9, 25)) return TradingPhase::kOpeningAuctionFrozen;
  if (local < at(9, 30)) return TradingPhase::kPreOpen;
  if (local < at(11, 30)) return TradingPhase::kContinuous;
  if (local < at(13, 0)) return TradingPhase::kLunchBreak;
  if (local < at(14, 57)) return TradingPhase::kContinuous;
  if (local < at(15, 0)) return TradingPhase::kClosingAuction;
  return TradingPhase::kClosed;
}

bool after_the_close(Timestamp utc) {
  return china_time_of_day(utc) >= 15 * kHour;
}

bool accepts_orders(TradingPhase phase) {
  return phase != TradingPhase::kClosed && phase != TradingPhase::kLunchBreak;
}

bool accepts_cancels(TradingPhase phase) {
  return phase == TradingPhase::kOpeningAuction || phase == TradingPhase::kContinuous;
}

bool is_call_auction(TradingPhase phase) {
  return phase == TradingPhase::kOpeningAuction || phase == TradingPhase::kOpeningAuctionFrozen ||
         phase == TradingPhase::kClosingAuction;
}

bool matches_continuously(TradingPhase phase) {
  return phase == TradingPhase::kContinuous;
}

}  // namespace guiju::rules
