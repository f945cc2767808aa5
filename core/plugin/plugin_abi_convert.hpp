#pragma once
// The engine's types to the plugin ABI's plain structs and back. Fixed-point values cross as
// their raw 8-decimal integers, so nothing is rounded on the way.

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/data/book.hpp"
#include "core/events/market_data.hpp"
#include "core/events/signal_events.hpp"
#include "core/model/instrument.hpp"
#include "core/oms/order.hpp"
#include "core/portfolio/position.hpp"
#include "core/strategy/strategy.hpp"
#include "core/strategy/strategy_context.hpp"
#include "plugins/guiju/strategy.h"

namespace guiju::abi {

// The reject codes the SDK names cross as the engine's own values.
static_assert(GUIJU_REJECT_RISK == static_cast<int>(RejectCode::kRiskRejected));
static_assert(GUIJU_REJECT_VENUE == static_cast<int>(RejectCode::kVenueRejected));
static_assert(GUIJU_REJECT_THROTTLED == static_cast<int>(RejectCode::kThrottled));
static_assert(GUIJU_REJECT_KILL_SWITCH == static_cast<int>(RejectCode::kKillSwitch));
static_assert(GUIJU_REJECT_MARKET_RULE == static_cast<int>(RejectCode::kMarketRule));
static_assert(GUIJU_REJECT_SESSION_DOWN == static_cast<int>(RejectCode::kOrderSessionDown));
static_assert(GUIJU_REJECT_SELF_TRADE == static_cast<int>(RejectCode::kSelfTrade));

// Money is 128-bit in the engine; the ABI carries 64 bits (about ±92 billion), saturating.
inline guiju_fixed saturate(Money m) {
  constexpr int128 kMax = std::numeric_limits<int64_t>::max();
  constexpr int128 kMin = std::numeric_limits<int64_t>::min();
  return static_cast<guiju_fixed>(std::clamp<int128>(m.raw(), kMin, kMax));
}

inline guiju_quote to_abi(const Quote& q) {
  guiju_quote out{};
  out.instrument = q.instrument;
  out.event_time = q.header.event_time;
  out.bid_price = q.bid_price.raw();
  out.bid_size = q.bid_size.raw();
  out.ask_price = q.ask_price.raw();
  out.ask_size = q.ask_size.raw();
  return out;
}

template <typename Levels>
void copy_levels(const Levels& from, uint32_t count, guiju_level* to) {
  for (uint32_t i = 0; i < count && i < GUIJU_BOOK_DEPTH; ++i) {
    to[i].price = from[i].price.raw();
    to[i].size = from[i].size.raw();
  }
}

inline guiju_book to_abi(const BookUpdate& u) {
  guiju_book out{};
  out.instrument = u.instrument;
  out.bid_levels = std::min<uint32_t>(u.bid_levels, GUIJU_BOOK_DEPTH);
  out.ask_levels = std::min<uint32_t>(u.ask_levels, GUIJU_BOOK_DEPTH);
  out.event_time = u.header.event_time;
  copy_levels(u.bids, out.bid_levels, out.bids);
  copy_levels(u.asks, out.ask_levels, out.asks);
  return out;
}

// The engine's book for an instrument: the depth of the last snapshot with the top of book from
// the latest quote.
inline guiju_book to_abi(InstrumentId id, const Book& b) {
  guiju_book out{};
  out.instrument = id;
  out.event_time = b.updated();
  out.bid_levels = static_cast<uint32_t>(std::clamp(b.bid_levels(), 0, GUIJU_BOOK_DEPTH));
  out.ask_levels = static_cast<uint32_t>(std::clamp(b.ask_levels(), 0, GUIJU_BOOK_DEPTH));
  for (uint32_t i = 0; i < out.bid_levels; ++i) {
    out.bids[i] = {b.bid_level(static_cast<int>(i)).price.raw(),
                   b.bid_level(static_cast<int>(i)).size.raw()};
  }
  for (uint32_t i = 0; i < out.ask_levels; ++i) {
    out.asks[i] = {b.ask_level(static_cast<int>(i)).price.raw(),
                   b.ask_level(static_cast<int>(i)).size.raw()};
  }
  if (b.has_bid()) {
    out.bids[0] = {b.best_bid().price.raw(), b.best_bid().size.raw()};
    out.bid_levels = std::max<uint32_t>(out.bid_levels, 1);
  }
  if (b.has_ask()) {
    out.asks[0] = {b.best_ask().price.raw(), b.best_ask().size.raw()};
    out.ask_levels = std::max<uint32_t>(out.ask_levels, 1);
  }
  return out;
}

inline guiju_trade to_abi(const Trade& t) {
  guiju_trade out{};
  out.instrument = t.instrument;
  out.aggressor = static_cast<uint32_t>(t.aggressor);
  out.event_time = t.header.event_time;
  out.price = t.price.raw();
  out.size = t.size.raw();
  out.trade_id = t.trade_id;
  return out;
}

inline guiju_order to_abi(const Order& o) {
  guiju_order out{};
  out.id = o.id;
  out.replaces = o.replaces;
  out.replaced_by = o.replaced_by;
  out.instrument = o.instrument;
  out.side = static_cast<uint8_t>(o.side);
  out.type = static_cast<uint8_t>(o.type);
  out.tif = static_cast<uint8_t>(o.tif);
  out.state = static_cast<uint8_t>(o.state);
  out.is_open = o.is_open() ? 1 : 0;
  out.awaiting_confirm = o.awaiting_replace_confirm ? 1 : 0;
  out.reject_code = static_cast<int32_t>(o.reject_code);
  out.price = o.price.raw();
  out.quantity = o.quantity.raw();
  out.filled = o.filled.raw();
  out.average_fill_price = o.average_fill_price().raw();
  out.created = o.created;
  out.last_update = o.last_update;
  return out;
}

inline guiju_fill to_abi(const Fill& f) {
  guiju_fill out{};
  out.exec_id = f.exec_id;
  out.price = f.price.raw();
  out.quantity = f.quantity.raw();
  out.fees = saturate(f.fees);
  out.time = f.time;
  return out;
}

inline guiju_position to_abi(const Position& p) {
  guiju_position out{};
  out.instrument = p.instrument;
  out.quantity = p.quantity.raw();
  out.average_cost = p.average_cost().raw();
  out.realized_pnl = saturate(p.realized_pnl);
  out.fees = saturate(p.fees);
  return out;
}

inline guiju_instrument_info to_abi(const Instrument& i) {
  guiju_instrument_info out{};
  out.id = i.id;
  std::memcpy(out.symbol, i.symbol.data(), std::min(i.symbol.size(), sizeof out.symbol - 1));
  std::memcpy(out.venue, i.venue.data(), std::min(i.venue.size(), sizeof out.venue - 1));
  out.tick_size = i.tick_size.raw();
  out.lot_size = i.lot_size.raw();
  out.previous_close = i.previous_close.raw();
  return out;
}

inline guiju_signal to_abi(const SignalReply& s) {
  guiju_signal out{};
  out.request_id = s.request_id;
  out.model_id = s.model_id;
  out.status = static_cast<uint32_t>(s.status);
  out.latency = s.latency;
  out.output_count = std::min<uint32_t>(s.output_count, GUIJU_MAX_SIGNAL_OUTPUTS);
  std::copy_n(s.outputs.begin(), out.output_count, out.outputs);
  return out;
}

inline OrderRequest from_request(const guiju_order_request& r) {
  OrderRequest out;
  out.instrument = r.instrument;
  out.side = static_cast<Side>(r.side);
  out.type = static_cast<OrderType>(r.type);
  out.tif = static_cast<TimeInForce>(r.tif);
  out.price = Price::from_raw(r.price);
  out.quantity = Quantity::from_raw(r.quantity);
  return out;
}

inline SignalRequest from_request(const guiju_signal_request& r, StrategyId strategy) {
  SignalRequest out;
  out.model_id = r.model_id;
  out.strategy = strategy;
  out.instrument = r.instrument;
  out.deadline = r.deadline;
  out.input_count = static_cast<uint16_t>(std::min<uint32_t>(r.input_count, kMaxSignalInputs));
  std::copy_n(r.inputs, out.input_count, out.inputs.begin());
  return out;
}

}  // namespace guiju::abi
