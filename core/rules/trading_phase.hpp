#pragma once
// The A-share trading day (Shanghai and Shenzhen, China Standard Time, UTC+8):
//   09:15-09:20  opening call auction, orders and cancels accepted
//   09:20-09:25  opening call auction, orders accepted, no cancels
//   09:25-09:30  opening price set; orders accepted and held for the open, no cancels
//   09:30-11:30  continuous trading
//   11:30-13:00  lunch break: nothing accepted
//   13:00-14:57  continuous trading
//   14:57-15:00  closing call auction, orders accepted, no cancels
//   otherwise    closed

#include <string_view>

#include "core/model/timestamp.hpp"

namespace guiju::rules {

enum class TradingPhase : uint8_t {
  kClosed = 0,
  kOpeningAuction = 1,        // 09:15-09:20
  kOpeningAuctionFrozen = 2,  // 09:20-09:25: no cancels
  kPreOpen = 3,               // 09:25-09:30: orders held, no cancels
  kContinuous = 4,
  kLunchBreak = 5,
  kClosingAuction = 6,  // 14:57-15:00: no cancels
};

std::string_view to_string(TradingPhase phase);

// The phase at a UTC instant (weekends and holidays are not known here: a calendar decides
// whether the day trades at all).
TradingPhase trading_phase(Timestamp utc);

// True from 15:00 China time to midnight: the day's orders have expired.
bool after_the_close(Timestamp utc);

bool accepts_orders(TradingPhase phase);
bool accepts_cancels(TradingPhase phase);
bool is_call_auction(TradingPhase phase);  // orders collect and uncross at one price
bool matches_continuously(TradingPhase phase);

}  // namespace guiju::rules
