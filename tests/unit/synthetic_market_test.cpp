// SyntheticMarket (adapters/replay/synthetic_market.hpp): determinism (the same seed gives the same
// event bytes, another seed does not), event times inside the A-share sessions and never going
// back, and market sanity: every book uncrossed with 10 levels a side, prices on tick and inside
// the board's daily limit around the previous close, trades at the touch, sizes in whole lots,
// quotes equal to the book's top, and session_seconds bounding the stream.

#include "adapters/replay/synthetic_market.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/clock/calendar.hpp"

namespace guiju {
namespace {

constexpr const char* kDate = "20261127";

Price Px(std::string_view text) {
  return *Price::parse(text);
}

Instrument MakeInstrument(std::string symbol, Board board, std::string_view previous_close,
                          int64_t lot = 100) {
  Instrument i;
  i.symbol = std::move(symbol);
  i.venue = "SSE";
  i.tick_size = Px("0.01");
  i.lot_size = Quantity::from_units(lot);
  i.board = board;
  i.currency = "CNY";
  i.previous_close = Px(previous_close);
  return i;
}

InstrumentRegistry ThreeBoards() {
  InstrumentRegistry r;
  r.add(MakeInstrument("600000", Board::kMain, "10.00"));
  r.add(MakeInstrument("300750", Board::kChiNext, "200.00"));
  r.add(MakeInstrument("688981", Board::kStar, "50.00", 200));
  return r;
}

SyntheticMarketOptions Options(uint64_t seed, uint32_t session_seconds = 14400) {
  SyntheticMarketOptions o;
  o.seed = seed;
  o.trading_date = kDate;
  o.session_seconds = session_seconds;
  return o;
}

uint64_t Fnv1a(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

// Hash of the bytes (header.size of each) of the first n events, and how many there were.
std::pair<uint64_t, size_t> HashStream(const InstrumentRegistry& r, uint64_t seed, size_t n) {
  SyntheticMarket m(r, Options(seed));
  uint64_t h = 14695981039346656037ULL;
  EventSlot e;
  size_t count = 0;
  while (count < n && m.next(e)) {
    h = Fnv1a(h, e.bytes, e.header().size);
    ++count;
  }
  return {h, count};
}

// The daily price band of an instrument in raw price units: previous close +/- pct, in whole
// ticks toward the close.
struct Band {
  int64_t lower;
  int64_t upper;
};
Band DailyBand(const Instrument& i) {
  const int64_t pct = i.board == Board::kMain ? 10 : 20;
  const int64_t tick = i.tick_size.raw();
  const int64_t close_ticks = i.previous_close.raw() / tick;
  const int64_t band_ticks = close_ticks * pct / 100;
  return {(close_ticks - band_ticks) * tick, (close_ticks + band_ticks) * tick};
}

TEST(SyntheticMarketTest, SameSeedGivesAnIdenticalEventByteStream) {
  const InstrumentRegistry r = ThreeBoards();
  SyntheticMarket a(r, Options(7));
  SyntheticMarket b(r, Options(7));
  EventSlot ea;
  EventSlot eb;
  size_t n = 0;
  for (; n < 100'000; ++n) {
    const bool more_a = a.next(ea);
    const bool more_b = b.next(eb);
    ASSERT_EQ(more_a, more_b) << "event " << n;
    if (!more_a) break;
    ASSERT_EQ(ea.header().size, eb.header().size) << "event " << n;
    ASSERT_EQ(std::memcmp(ea.bytes, eb.bytes, ea.header().size), 0) << "event " << n;
  }
  EXPECT_EQ(n, 100'000u) << "a full default session has more than 100k events";
  EXPECT_EQ(a.updates(), b.updates());
}

TEST(SyntheticMarketTest, SameSeedGivesTheSameHashAcrossRuns) {
  const InstrumentRegistry r = ThreeBoards();
  EXPECT_EQ(HashStream(r, 3, 100'000), HashStream(r, 3, 100'000));
}

TEST(SyntheticMarketTest, DifferentSeedsGiveDifferentStreams) {
  const InstrumentRegistry r = ThreeBoards();
  const auto one = HashStream(r, 1, 1000);
  const auto two = HashStream(r, 2, 1000);
  ASSERT_EQ(one.second, 1000u);
  ASSERT_EQ(two.second, 1000u);
  EXPECT_NE(one.first, two.first);
}

TEST(SyntheticMarketTest, SessionStartsAtTheMorningOpenInUtc) {
  const InstrumentRegistry r = ThreeBoards();
  const SyntheticMarket m(r, Options(1));
  EXPECT_EQ(m.session_start(), utc_midnight(kDate) + 90 * kMinute);  // 09:30 Beijing
  EXPECT_EQ(format_utc(m.session_start()), "2026-11-27T01:30:00.000000000Z");
}

TEST(SyntheticMarketTest, FullSessionIsOrderedInsideTradingHoursAndMarketSane) {
  const InstrumentRegistry r = ThreeBoards();
  SyntheticMarket m(r, Options(11));
  const Timestamp midnight = utc_midnight(kDate);
  const Timestamp morning_open = midnight + 90 * kMinute;      // 01:30 UTC
  const Timestamp morning_close = midnight + 210 * kMinute;    // 03:30 UTC
  const Timestamp afternoon_open = midnight + 300 * kMinute;   // 05:00 UTC
  const Timestamp afternoon_close = midnight + 420 * kMinute;  // 07:00 UTC

  EventSlot e;
  Timestamp last_time = 0;
  uint64_t last_sequence = 0;
  size_t events = 0;
  size_t trades = 0;
  size_t afternoon = 0;
  bool trade_pending = false;
  Trade pending_trade;
  bool have_book = false;
  BookUpdate last_book;

  while (m.next(e)) {
    const EventHeader& h = e.header();
    SCOPED_TRACE("event " + std::to_string(events) + " at " + format_utc(h.event_time));
    ++events;
    ASSERT_GE(h.event_time, last_time) << "time went backwards";
    ASSERT_EQ(h.sequence, last_sequence + 1);
    ASSERT_EQ(h.receive_time, h.event_time);
    ASSERT_EQ(h.source, 100u);
    last_time = h.event_time;
    last_sequence = h.sequence;
    const bool in_morning = h.event_time >= morning_open && h.event_time < morning_close;
    const bool in_afternoon = h.event_time >= afternoon_open && h.event_time < afternoon_close;
    ASSERT_TRUE(in_morning || in_afternoon) << "outside the trading sessions";
    if (in_afternoon) ++afternoon;

    switch (e.type()) {
      case EventType::kTrade: {
        ASSERT_EQ(h.size, sizeof(Trade));
        ASSERT_FALSE(trade_pending) << "two trades in a row";
        const Trade& t = e.as<Trade>();
        ASSERT_TRUE(r.contains(t.instrument));
        const Instrument& inst = r.get(t.instrument);
        const Band band = DailyBand(inst);
        ASSERT_TRUE(t.price.is_multiple_of(inst.tick_size)) << t.price.to_string();
        ASSERT_GE(t.price.raw(), band.lower);
        ASSERT_LE(t.price.raw(), band.upper);
        ASSERT_TRUE(t.size.is_positive());
        ASSERT_TRUE(t.size.is_multiple_of(inst.lot_size)) << t.size.to_string();
        pending_trade = t;
        trade_pending = true;
        ++trades;
        break;
      }
      case EventType::kBookUpdate: {
        ASSERT_EQ(h.size, sizeof(BookUpdate));
        const BookUpdate& b = e.as<BookUpdate>();
        ASSERT_TRUE(r.contains(b.instrument));
        const Instrument& inst = r.get(b.instrument);
        const Band band = DailyBand(inst);
        ASSERT_EQ(b.bid_levels, kBookDepth);
        ASSERT_EQ(b.ask_levels, kBookDepth);
        ASSERT_LT(b.bids[0].price, b.asks[0].price) << "crossed or locked book";
        for (int level = 0; level < kBookDepth; ++level) {
          SCOPED_TRACE("level " + std::to_string(level));
          for (const PriceLevel& l :
               {b.bids[static_cast<size_t>(level)], b.asks[static_cast<size_t>(level)]}) {
            ASSERT_TRUE(l.price.is_multiple_of(inst.tick_size)) << l.price.to_string();
            ASSERT_GE(l.price.raw(), band.lower) << l.price.to_string() << " below the limit";
            ASSERT_LE(l.price.raw(), band.upper) << l.price.to_string() << " above the limit";
            ASSERT_TRUE(l.size.is_positive());
            ASSERT_TRUE(l.size.is_multiple_of(inst.lot_size)) << l.size.to_string();
          }
          if (level > 0) {
            ASSERT_LT(b.bids[static_cast<size_t>(level)].price,
                      b.bids[static_cast<size_t>(level - 1)].price);
            ASSERT_GT(b.asks[static_cast<size_t>(level)].price,
                      b.asks[static_cast<size_t>(level - 1)].price);
          }
        }
        if (trade_pending) {
          // The trade came with this update: same instrument and time, at the touch it hit.
          ASSERT_EQ(pending_trade.instrument, b.instrument);
          ASSERT_EQ(pending_trade.header.event_time, h.event_time);
          const Price touch =
              pending_trade.aggressor == Side::kBuy ? b.asks[0].price : b.bids[0].price;
          ASSERT_EQ(pending_trade.price, touch) << "trade away from the touch";
          trade_pending = false;
        }
        last_book = b;
        have_book = true;
        break;
      }
      case EventType::kQuote: {
        ASSERT_EQ(h.size, sizeof(Quote));
        ASSERT_FALSE(trade_pending);
        ASSERT_TRUE(have_book);
        const Quote& q = e.as<Quote>();
        ASSERT_EQ(q.instrument, last_book.instrument);
        ASSERT_EQ(q.header.event_time, last_book.header.event_time);
        ASSERT_EQ(q.bid_price, last_book.bids[0].price);
        ASSERT_EQ(q.bid_size, last_book.bids[0].size);
        ASSERT_EQ(q.ask_price, last_book.asks[0].price);
        ASSERT_EQ(q.ask_size, last_book.asks[0].size);
        have_book = false;  // one quote per book update
        break;
      }
      default:
        FAIL() << "unexpected event type " << static_cast<int>(e.type());
    }
  }
  EXPECT_GT(events, 100'000u);
  EXPECT_GT(trades, 0u);
  EXPECT_GT(afternoon, 0u) << "a full session reaches the afternoon";
  EXPECT_GT(m.updates(), 0u);
  EXPECT_FALSE(m.next(e)) << "an exhausted source stays exhausted";
}

// With a low price the daily band is only a few ticks wide, so the mid often sits at the limit;
// the deeper levels must still respect it (the exchange refuses orders beyond the limit price).
TEST(SyntheticMarketTest, EveryDepthLevelStaysInsideTheDailyLimitEvenForALowPricedStock) {
  InstrumentRegistry r;
  r.add(MakeInstrument("600001", Board::kMain, "1.00"));
  SyntheticMarket m(r, Options(5, 3600));
  const Band band = DailyBand(r.get(0));
  EventSlot e;
  size_t books = 0;
  while (m.next(e)) {
    if (e.type() != EventType::kBookUpdate) continue;
    ++books;
    const BookUpdate& b = e.as<BookUpdate>();
    ASSERT_GE(b.bids[0].price.raw(), band.lower);
    ASSERT_LE(b.asks[0].price.raw(), band.upper);
    ASSERT_GE(b.bid_levels, 1);
    ASSERT_GE(b.ask_levels, 1);
    // Near the band the book is thinner: the levels it has are inside, the rest are empty.
    for (size_t level = 0; level < kBookDepth; ++level) {
      if (level < b.bid_levels) {
        ASSERT_GE(b.bids[level].price.raw(), band.lower)
            << "bid level " << level << " at " << b.bids[level].price.to_string()
            << " is below the limit-down price " << Price::from_raw(band.lower).to_string();
      } else {
        ASSERT_TRUE(b.bids[level].size.is_zero()) << "bid level " << level << " past bid_levels";
      }
      if (level < b.ask_levels) {
        ASSERT_LE(b.asks[level].price.raw(), band.upper)
            << "ask level " << level << " at " << b.asks[level].price.to_string()
            << " is above the limit-up price " << Price::from_raw(band.upper).to_string();
      } else {
        ASSERT_TRUE(b.asks[level].size.is_zero()) << "ask level " << level << " past ask_levels";
      }
    }
  }
  EXPECT_GT(books, 1000u);
}

TEST(SyntheticMarketTest, SessionSecondsBoundsTheStream) {
  const InstrumentRegistry r = ThreeBoards();
  SyntheticMarket m(r, Options(9, 60));
  const Timestamp open = m.session_start();
  EventSlot e;
  size_t events = 0;
  while (m.next(e)) {
    ++events;
    ASSERT_GE(e.header().event_time, open);
    ASSERT_LT(e.header().event_time, open + 60 * kSecond);
  }
  EXPECT_GT(events, 0u);
  EXPECT_FALSE(m.next(e));
}

TEST(SyntheticMarketTest, SessionLongerThanTheMorningContinuesAfterTheLunchBreak) {
  const InstrumentRegistry r = ThreeBoards();
  SyntheticMarket m(r, Options(4, 7200 + 120));
  const Timestamp midnight = utc_midnight(kDate);
  EventSlot e;
  size_t afternoon = 0;
  while (m.next(e)) {
    const Timestamp t = e.header().event_time;
    ASSERT_FALSE(t >= midnight + 210 * kMinute && t < midnight + 300 * kMinute)
        << "event in the lunch break at " << format_utc(t);
    if (t >= midnight + 300 * kMinute) {
      ++afternoon;
      ASSERT_LT(t, midnight + 300 * kMinute + 120 * kSecond);
    }
  }
  EXPECT_GT(afternoon, 0u);
}

TEST(SyntheticMarketTest, RejectsAnEmptyRegistryAndANonPositiveRate) {
  const InstrumentRegistry empty;
  EXPECT_THROW(SyntheticMarket(empty, Options(1)), std::invalid_argument);
  const InstrumentRegistry r = ThreeBoards();
  SyntheticMarketOptions o = Options(1);
  o.quotes_per_second = 0;
  EXPECT_THROW(SyntheticMarket(r, o), std::invalid_argument);
}

}  // namespace
}  // namespace guiju
