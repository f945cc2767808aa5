#include "adapters/replay/sse_level2_source.hpp"

#include <deque>

#include "adapters/replay/l2_rebuild.hpp"
#include "core/clock/calendar.hpp"

namespace guiju::sse {

struct Level2Source::State {
  Level2Day day;
  std::vector<FeedEvent> events;
  size_t next = 0;
  OrderByOrderBook book;
  InstrumentId instrument = kNoInstrument;
  Timestamp midnight_utc = 0;  // of the trading day, China time
  uint64_t sequence = 0;
  std::vector<PriceLevel> shown_bids;  // what the last BookUpdate showed
  std::vector<PriceLevel> shown_asks;
  std::deque<EventSlot> pending;  // produced by one feed event, handed out one by one

  Timestamp utc(int64_t china_ms) const { return midnight_utc + (china_ms * kMillisecond); }
  template <typename T>
  void emit(T& event, Timestamp t) {
    event.header.event_time = t;
    event.header.receive_time = t;
    event.header.sequence = ++sequence;
    event.header.source = 300;
    EventSlot slot;
    slot.store(event);
    pending.push_back(slot);
  }
  // What the public feed shows after one exchange event.
  void publish(const FeedEvent& e) {
    const int64_t ms = e.is_trade ? day.trades[e.index].time_ms : day.orders[e.index].time_ms;
    const Timestamp t = utc(ms);
    if (e.is_trade) {
      const TradeRow& row = day.trades[e.index];
      Trade trade;
      trade.instrument = instrument;
      trade.aggressor = row.flag == 'S' ? Side::kSell : Side::kBuy;
      trade.price = row.price;
      trade.size = row.volume;
      trade.trade_id = static_cast<uint64_t>(row.biz);
      emit(trade, t);
    }
    if (book.crossed()) return;
    const auto bids = book.top(Side::kBuy, kBookDepth);
    const auto asks = book.top(Side::kSell, kBookDepth);
    if (same_levels(bids, shown_bids) && same_levels(asks, shown_asks)) return;
    const bool top_changed =
        bids.empty() != shown_bids.empty() || asks.empty() != shown_asks.empty() ||
        (!bids.empty() &&
         (bids[0].price != shown_bids[0].price || bids[0].size != shown_bids[0].size)) ||
        (!asks.empty() &&
         (asks[0].price != shown_asks[0].price || asks[0].size != shown_asks[0].size));
    if (top_changed) {
      Quote q;
      q.instrument = instrument;
      if (!bids.empty()) {
        q.bid_price = bids[0].price;
        q.bid_size = bids[0].size;
      }
      if (!asks.empty()) {
        q.ask_price = asks[0].price;
        q.ask_size = asks[0].size;
      }
      emit(q, t);
    }
    BookUpdate u;
    u.instrument = instrument;
    u.bid_levels = static_cast<uint8_t>(bids.size());
    u.ask_levels = static_cast<uint8_t>(asks.size());
    std::copy(bids.begin(), bids.end(), u.bids.begin());
    std::copy(asks.begin(), asks.end(), u.asks.begin());
    emit(u, t);
    shown_bids = bids;
    shown_asks = asks;
  }
};

Level2Source::Level2Source(Level2Day day, const std::string& yyyymmdd, InstrumentId instrument)
    : state_(std::make_unique<State>()) {
  state_->day = std::move(day);
  state_->events = exchange_order(state_->day);
  state_->instrument = instrument;
  state_->midnight_utc = utc_midnight(yyyymmdd) - 8 * kHour;
}

Level2Source::~Level2Source() = default;

bool Level2Source::next(EventSlot& out) {
  State& s = *state_;
  while (s.pending.empty()) {
    if (s.next == s.events.size()) return false;
    const FeedEvent& e = s.events[s.next++];
    apply_event(s.book, s.day, e);
    s.publish(e);
  }
  out = s.pending.front();
  s.pending.pop_front();
  return true;
}

double Level2Source::progress() const {
  const State& s = *state_;
  return s.events.empty() ? 1.0
                          : static_cast<double>(s.next) / static_cast<double>(s.events.size());
}

}  // namespace guiju::sse
