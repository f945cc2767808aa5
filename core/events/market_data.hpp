#pragma once
// Market-data events: top of book, L2 depth, trades.

#include <array>
#include <cstdint>

#include "core/events/event_header.hpp"
#include "core/model/fixed_point.hpp"
#include "core/model/order_types.hpp"

namespace guiju {

struct Quote {
  static constexpr EventType kType = EventType::kQuote;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<Quote>();
  InstrumentId instrument = kNoInstrument;
  uint32_t reserved = 0;
  Price bid_price;
  Quantity bid_size;
  Price ask_price;
  Quantity ask_size;
};
static_assert(sizeof(Quote) == 80);

struct PriceLevel {
  Price price;
  Quantity size;
};
static_assert(sizeof(PriceLevel) == 16);

inline constexpr int kBookDepth = 10;

// A full L2 snapshot of the top kBookDepth levels per side (best first). Levels past
// bid_levels / ask_levels are zero. Snapshots rather than deltas: a lost or reordered update can
// never leave the engine's book crossed or stale, and 10 levels are what the exchanges publish.
struct BookUpdate {
  static constexpr EventType kType = EventType::kBookUpdate;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<BookUpdate>();
  InstrumentId instrument = kNoInstrument;
  uint8_t bid_levels = 0;
  uint8_t ask_levels = 0;
  uint16_t reserved = 0;
  std::array<PriceLevel, kBookDepth> bids{};
  std::array<PriceLevel, kBookDepth> asks{};
};
static_assert(sizeof(BookUpdate) == 368);

struct Trade {
  static constexpr EventType kType = EventType::kTrade;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<Trade>();
  InstrumentId instrument = kNoInstrument;
  Side aggressor = Side::kBuy;
  uint8_t reserved[3] = {};
  Price price;
  Quantity size;
  uint64_t trade_id = 0;
};
static_assert(sizeof(Trade) == 72);

}  // namespace guiju
