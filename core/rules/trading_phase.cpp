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

TradingPhase trading_phase(Timestamp utc) {
  constexpr int64_t kDay = 86400 * kSecond;
  constexpr int64_t kChinaOffset = 8 * kHour;
  int64_t local = (utc + kChinaOffset) % kDay;
  if (local < 0) local += kDay;
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
  constexpr int64_t kDay = 86400 * kSecond;
  int64_t local = (utc + 8 * kHour) % kDay;
  if (local < 0) local += kDay;
  return local >= 15 * kHour;
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
