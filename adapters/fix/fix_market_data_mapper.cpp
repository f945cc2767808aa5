#include "adapters/fix/fix_market_data_mapper.hpp"

#include <optional>
#include <string_view>

#include "adapters/fix/fix_market_data_time.hpp"
#include "core/logging/log.hpp"

namespace guiju {
namespace {

constexpr int kMsgType = 35;
constexpr int kSendingTime = 52;
constexpr int kSymbol = 55;
constexpr int kText = 58;
constexpr int kMDReqID = 262;
constexpr int kNoMDEntries = 268;
constexpr int kMDEntryType = 269;
constexpr int kMDEntryPx = 270;
constexpr int kMDEntrySize = 271;
constexpr int kMDEntryDate = 272;
constexpr int kMDEntryTime = 273;
constexpr int kMDEntryID = 278;
constexpr int kMDUpdateAction = 279;
constexpr int kMDReqRejReason = 281;
constexpr int kMDEntryPositionNo = 290;

constexpr uint32_t kLogBurst = 10;

// The field's text, or nullptr when the map does not hold it.
const std::string* text_of(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? &map.getField(tag) : nullptr;
}

// A one-character field, or '\0' when absent or longer.
char char_of(const FIX::FieldMap& map, int tag) {
  const std::string* t = text_of(map, tag);
  return t && t->size() == 1 ? (*t)[0] : '\0';
}

// MDEntryType values either version defines: 0-9, and 4.4's A-C. The adapter uses 0, 1 and 2.
bool valid_entry_type(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'C');
}

// SendingTime, or the receive time when it is missing or malformed.
Timestamp message_time(const FIX::Message& m, Timestamp receive_time) {
  const std::string* t = text_of(m.getHeader(), kSendingTime);
  if (!t) return receive_time;
  return parse_fix_utc_timestamp(*t).value_or(receive_time);
}

// The entry's MDEntryDate + MDEntryTime where it has a time (a time without a date takes the
// message's date, a day earlier when that would put it more than 12 hours after the message: the
// entry happened before midnight), else the message time.
Timestamp entry_time(const FIX::FieldMap& entry, Timestamp message_time) {
  const std::string* time_text = text_of(entry, kMDEntryTime);
  if (!time_text) return message_time;
  const auto time = parse_fix_utc_time_only(*time_text);
  if (!time) return message_time;
  if (const std::string* date_text = text_of(entry, kMDEntryDate)) {
    if (const auto date = parse_fix_utc_date(*date_text)) return *date + *time;
  }
  constexpr Duration kDay = 24 * kHour;
  Timestamp day = message_time - message_time % kDay;
  if (day + *time > message_time + 12 * kHour) day -= kDay;
  return day + *time;
}

// A positive decimal price or size.
template <typename Fixed>
bool positive(const FIX::FieldMap& entry, int tag, Fixed& out) {
  const std::string* t = text_of(entry, tag);
  if (!t) return false;
  const auto v = Fixed::parse(*t);
  if (!v || !v->is_positive()) return false;
  out = *v;
  return true;
}

// MDEntryPositionNo: 0 when absent, -1 when not a positive integer.
int position_of(const FIX::FieldMap& entry) {
  const std::string* t = text_of(entry, kMDEntryPositionNo);
  if (!t) return 0;
  if (t->empty() || t->size() > 6) return -1;
  int v = 0;
  for (const char c : *t) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v > 0 ? v : -1;
}

}  // namespace

FixMarketDataMapper::FixMarketDataMapper(const InstrumentRegistry& registry,
                                         const std::vector<InstrumentId>& instruments,
                                         MarketDataSink& sink, FixMarketDataCounters& counters,
                                         SourceId source)
    : registry_(registry), sink_(sink), counters_(counters), source_(source) {
  states_.resize(registry.size());
  for (const InstrumentId id : instruments) {
    states_.at(id).handled = true;
    by_symbol_.emplace(registry.get(id).symbol, id);
  }
  touched_.reserve(registry.size());
  resyncs_.reserve(registry.size());
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

void FixMarketDataMapper::subscribed(InstrumentId id, const std::string& md_req_id) {
  State& s = states_.at(id);
  if (!s.md_req_id.empty()) by_request_.erase(s.md_req_id);
  s.md_req_id = md_req_id;
  by_request_[md_req_id] = id;
  s.subscribed = true;
  s.live = false;
  s.bids.clear();
  s.asks.clear();
}

// The empty BookUpdate is how "no market data" reaches the engine: its Book empties (strategies
// see both sides gone, positions are no longer marked at a mid), and its event_time 0 makes
// Book::updated() 0, which the risk layer's stale-data check (order_limits_check, stale_quote_ms)
// reads as "never updated" and refuses orders on, whatever the age limit. A stamp of "now" would
// instead let orders through for stale_quote_ms on a book that is missing updates. The engine's
// book stays that way until the fresh snapshot's BookUpdate.
void FixMarketDataMapper::mark_stale(InstrumentId id, Timestamp now) {
  State& s = states_.at(id);
  if (!s.md_req_id.empty()) by_request_.erase(s.md_req_id);
  s.md_req_id.clear();
  s.subscribed = false;
  s.live = false;
  s.bids.clear();
  s.asks.clear();
  counters_.bump(FixMarketDataCounters::kStaleMarks);
  emit_book(id, s, 0, now);
}

// ---------------------------------------------------------------------------------------------
// Messages

bool FixMarketDataMapper::on_message(const FIX::Message& message, Timestamp receive_time) {
  const std::string* type = text_of(message.getHeader(), kMsgType);
  if (!type || type->size() != 1) return false;
  switch ((*type)[0]) {
    case 'W':
      on_snapshot(message, receive_time);
      return true;
    case 'X':
      on_incremental(message, receive_time);
      return true;
    case 'Y':
      on_reject(message, receive_time);
      return true;
    default:
      return false;
  }
}

InstrumentId FixMarketDataMapper::by_request(const FIX::FieldMap& map) const {
  const std::string* id = text_of(map, kMDReqID);
  if (!id) return kNoInstrument;
  const auto it = by_request_.find(*id);
  return it == by_request_.end() ? kNoInstrument : it->second;
}

InstrumentId FixMarketDataMapper::by_symbol(const FIX::FieldMap& map) const {
  const std::string* symbol = text_of(map, kSymbol);
  if (!symbol) return kNoInstrument;
  const auto it = by_symbol_.find(*symbol);
  return it == by_symbol_.end() ? kNoInstrument : it->second;
}

void FixMarketDataMapper::on_snapshot(const FIX::Message& m, Timestamp receive_time) {
  counters_.bump(FixMarketDataCounters::kMessages);
  // The MDReqID names the subscription; without one (it is optional), the Symbol (4.2: a body
  // field; 4.4: the Instrument component, the same tag) does, for a subscribed instrument. An
  // MDReqID that is no longer mapped is an answer to a request made before a reconnect.
  InstrumentId id = kNoInstrument;
  if (m.isSetField(kMDReqID)) {
    id = by_request(m);
  } else {
    id = by_symbol(m);
  }
  if (id == kNoInstrument || !states_[id].subscribed) {
    unknown("W", receive_time);
    return;
  }
  State& s = states_[id];
  const Timestamp sent = message_time(m, receive_time);
  Timestamp event_time = 0;
  s.bids.clear();
  s.asks.clear();
  const int entries = static_cast<int>(m.groupCount(kNoMDEntries));
  for (int i = 1; i <= entries; ++i) {
    const FIX::FieldMap& e = m.getGroupRef(i, kNoMDEntries);
    const char type = char_of(e, kMDEntryType);
    if (!valid_entry_type(type)) {
      bad_entry("W", "MDEntryType", kMDEntryType, receive_time);
      continue;
    }
    // Trades in a snapshot are history, not state: the book is what a snapshot carries.
    if (type != FIX::MDEntryType_BID && type != FIX::MDEntryType_OFFER) continue;
    Price price;
    Quantity size;
    if (!positive(e, kMDEntryPx, price)) {
      bad_entry("W", "MDEntryPx", kMDEntryPx, receive_time);
      continue;
    }
    if (!positive(e, kMDEntrySize, size)) {
      bad_entry("W", "MDEntrySize", kMDEntrySize, receive_time);
      continue;
    }
    (type == FIX::MDEntryType_BID ? s.bids : s.asks).insert(price, size, 0);
    const Timestamp t = entry_time(e, sent);
    if (t > event_time) event_time = t;
  }
  s.live = true;
  counters_.bump(FixMarketDataCounters::kSnapshots);
  emit_book(id, s, event_time != 0 ? event_time : sent, receive_time);
}

void FixMarketDataMapper::on_incremental(const FIX::Message& m, Timestamp receive_time) {
  counters_.bump(FixMarketDataCounters::kMessages);
  counters_.bump(FixMarketDataCounters::kIncrementals);
  const Timestamp sent = message_time(m, receive_time);
  // 4.2 and 4.4 both put the MDReqID on the message and the Symbol on each entry (4.4 inside the
  // Instrument component, the same tag 55 on the wire): an entry's Symbol wins, else the MDReqID.
  const InstrumentId requested = by_request(m);
  const bool has_request = m.isSetField(kMDReqID);
  const int entries = static_cast<int>(m.groupCount(kNoMDEntries));
  for (int i = 1; i <= entries; ++i) {
    const FIX::FieldMap& e = m.getGroupRef(i, kNoMDEntries);
    const char action = char_of(e, kMDUpdateAction);
    if (action != FIX::MDUpdateAction_NEW && action != FIX::MDUpdateAction_CHANGE &&
        action != FIX::MDUpdateAction_DELETE) {
      bad_entry("X", "MDUpdateAction", kMDUpdateAction, receive_time);
      continue;
    }
    const char type = char_of(e, kMDEntryType);
    if (!valid_entry_type(type)) {
      bad_entry("X", "MDEntryType", kMDEntryType, receive_time);
      continue;
    }
    InstrumentId id = kNoInstrument;
    if (e.isSetField(kSymbol)) {
      id = by_symbol(e);
    } else if (has_request) {
      id = requested;
    }
    if (id == kNoInstrument || !states_[id].subscribed) {
      unknown("X", receive_time);
      continue;
    }
    State& s = states_[id];
    const Timestamp t = entry_time(e, sent);
    if (type == FIX::MDEntryType_TRADE) {
      if (action == FIX::MDUpdateAction_NEW) emit_trade(id, s, e, t, receive_time);
      continue;
    }
    if (type != FIX::MDEntryType_BID && type != FIX::MDEntryType_OFFER) continue;
    // Before its snapshot there is no book to apply a delta to; the W will carry it.
    if (!s.live) continue;
    if (!s.touched) {
      s.touched = true;
      s.touched_time = 0;
      touched_.push_back(id);
    }
    if (apply_level(id, s, action, type, e, receive_time) && t > s.touched_time) {
      s.touched_time = t;
    }
  }
  // One BookUpdate per instrument the message touched, after all its entries.
  for (const InstrumentId id : touched_) {
    State& s = states_[id];
    s.touched = false;
    if (s.live) {
      emit_book(id, s, s.touched_time != 0 ? s.touched_time : sent, receive_time);
    } else if (s.resync) {
      s.resync = false;
      counters_.bump(FixMarketDataCounters::kStaleMarks);
      emit_book(id, s, 0, receive_time);  // empty: see mark_stale()
    }
  }
  touched_.clear();
}

bool FixMarketDataMapper::apply_level(InstrumentId id, State& s, char action, char type,
                                      const FIX::FieldMap& e, Timestamp now) {
  FixBookSide& side = type == FIX::MDEntryType_BID ? s.bids : s.asks;
  const int position = position_of(e);
  if (position < 0) {
    bad_entry("X", "MDEntryPositionNo", kMDEntryPositionNo, now);
    return false;
  }
  Price price;
  const bool has_price = e.isSetField(kMDEntryPx);
  if (has_price && !positive(e, kMDEntryPx, price)) {
    bad_entry("X", "MDEntryPx", kMDEntryPx, now);
    return false;
  }
  Quantity size;
  if (action != FIX::MDUpdateAction_DELETE && !positive(e, kMDEntrySize, size)) {
    bad_entry("X", "MDEntrySize", kMDEntrySize, now);
    return false;
  }
  FixBookResult result = FixBookResult::kApplied;
  switch (action) {
    case FIX::MDUpdateAction_NEW:
      if (!has_price) {
        bad_entry("X", "MDEntryPx", kMDEntryPx, now);
        return false;
      }
      result = side.insert(price, size, position);
      break;
    case FIX::MDUpdateAction_CHANGE:
      result = side.change(has_price ? &price : nullptr, size, position);
      break;
    default:
      result = side.erase(has_price ? &price : nullptr, position);
      break;
  }
  if (result == FixBookResult::kNotFound) {
    lose_sync(id, s, "a change or delete of a level the book does not hold");
    return false;
  }
  if (result == FixBookResult::kOutOfOrder) {
    lose_sync(id, s, "a position that contradicts the price ordering");
    return false;
  }
  return true;
}

// The book no longer matches the venue's: an update was missed or misread. Keep no book rather
// than a wrong one; the Application re-subscribes for a fresh snapshot.
void FixMarketDataMapper::lose_sync(InstrumentId id, State& s, const char* why) {
  counters_.bump(FixMarketDataCounters::kResyncs);
  log().warn("FIX market data: {} book out of step with the venue ({}); re-requesting a snapshot",
             registry_.get(id).symbol, why);
  s.live = false;
  s.resync = true;
  s.bids.clear();
  s.asks.clear();
  resyncs_.push_back(id);
}

// The venue does not say who was the aggressor; the quote rule (at or through the ask: a buyer
// lifted it; at or through the bid: a seller hit it; strictly inside: the nearer side) and, when
// the book cannot tell (no book, or exactly mid), the tick rule (up from the last trade: buy; down:
// sell; unchanged: as the last trade) decide, as in Lee and Ready (1991).
void FixMarketDataMapper::emit_trade(InstrumentId id, State& s, const FIX::FieldMap& e,
                                     Timestamp event_time, Timestamp receive_time) {
  Price price;
  Quantity size;
  if (!positive(e, kMDEntryPx, price)) {
    bad_entry("X", "MDEntryPx", kMDEntryPx, receive_time);
    return;
  }
  if (!positive(e, kMDEntrySize, size)) {
    bad_entry("X", "MDEntrySize", kMDEntrySize, receive_time);
    return;
  }
  const bool has_bid = s.bids.size() > 0;
  const bool has_ask = s.asks.size() > 0;
  const Price bid = has_bid ? s.bids.level(0).price : Price::zero();
  const Price ask = has_ask ? s.asks.level(0).price : Price::zero();
  std::optional<Side> side;
  if (has_ask && price >= ask) {
    side = Side::kBuy;
  } else if (has_bid && price <= bid) {
    side = Side::kSell;
  } else if (has_bid && has_ask) {
    const int64_t to_ask = ask.raw() - price.raw();
    const int64_t to_bid = price.raw() - bid.raw();
    if (to_ask != to_bid) side = to_ask < to_bid ? Side::kBuy : Side::kSell;
  }
  if (!side) {
    if (s.last_trade_price.is_positive() && price != s.last_trade_price) {
      side = price > s.last_trade_price ? Side::kBuy : Side::kSell;
    } else {
      side = s.last_aggressor;
    }
  }
  s.last_trade_price = price;
  s.last_aggressor = *side;

  Trade t;
  t.header = make_header<Trade>(event_time, receive_time, source_);
  t.instrument = id;
  t.aggressor = *side;
  t.price = price;
  t.size = size;
  // MDEntryID, when the venue numbers its trades; 0 otherwise.
  if (const std::string* trade_id = text_of(e, kMDEntryID)) {
    uint64_t v = 0;
    bool digits = !trade_id->empty() && trade_id->size() <= 19;
    for (const char c : *trade_id) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (digits) t.trade_id = v;
  }
  sink_.publish(t);
  counters_.bump(FixMarketDataCounters::kTrades);
}

void FixMarketDataMapper::on_reject(const FIX::Message& m, Timestamp receive_time) {
  counters_.bump(FixMarketDataCounters::kMessages);
  counters_.bump(FixMarketDataCounters::kRejects);
  const std::string* request = text_of(m, kMDReqID);
  const std::string* text = text_of(m, kText);
  const char reason = char_of(m, kMDReqRejReason);
  const InstrumentId id = by_request(m);
  log().warn(
      "FIX market data: request {} ({}) rejected, MDReqRejReason {}{}{}",
      request ? *request : std::string("?"),
      id == kNoInstrument ? std::string("no current subscription") : registry_.get(id).symbol,
      reason != '\0' ? std::string(1, reason) : std::string("none"), text ? ": " : "",
      text ? *text : std::string());
  // No subscription, no book: the instrument stays (or becomes) stale, and the risk layer refuses
  // orders on it. Nothing retries: a venue that refused will refuse again until someone acts.
  if (id != kNoInstrument) mark_stale(id, receive_time);
}

// ---------------------------------------------------------------------------------------------
// Output and diagnostics

void FixMarketDataMapper::emit_book(InstrumentId id, const State& s, Timestamp event_time,
                                    Timestamp receive_time) {
  update_.header = make_header<BookUpdate>(event_time, receive_time, source_);
  update_.instrument = id;
  s.bids.copy_to(update_.bids, update_.bid_levels);
  s.asks.copy_to(update_.asks, update_.ask_levels);
  sink_.publish(update_);
  counters_.bump(FixMarketDataCounters::kBookUpdates);
}

bool FixMarketDataMapper::may_log(Timestamp now) {
  if (now - log_window_ >= kSecond) {
    if (suppressed_ != 0) {
      log().warn("FIX market data: {} more bad or unknown entries not logged", suppressed_);
    }
    log_window_ = now;
    logged_in_window_ = 0;
    suppressed_ = 0;
  }
  if (logged_in_window_ < kLogBurst) {
    ++logged_in_window_;
    return true;
  }
  ++suppressed_;
  return false;
}

void FixMarketDataMapper::bad_entry(const char* message_type, const char* why, int tag,
                                    Timestamp now) {
  counters_.bump(FixMarketDataCounters::kBadEntries);
  if (may_log(now)) {
    log().warn("FIX market data: {} entry skipped: missing or bad {} ({})", message_type, why, tag);
  }
}

void FixMarketDataMapper::unknown(const char* message_type, Timestamp now) {
  counters_.bump(FixMarketDataCounters::kUnknownInstrument);
  if (may_log(now)) {
    log().warn("FIX market data: {} names no current subscription; ignored", message_type);
  }
}

}  // namespace guiju
