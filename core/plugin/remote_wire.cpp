#include "core/plugin/remote_wire.hpp"

#include <type_traits>

namespace guiju::remote {

static_assert(std::is_trivially_copyable_v<Order>);
static_assert(std::is_trivially_copyable_v<Position>);
static_assert(std::is_trivially_copyable_v<OrderRequest>);
static_assert(std::is_trivially_copyable_v<Fill>);

void write_hello(Writer& w, const PluginFile& plugin, const StrategyParameters& parameters,
                 const InstrumentRegistry& instruments) {
  w.put_string(plugin.path.string()).put(plugin.sha256);
  w.put_string(parameters.file()).put_string(parameters.strategy()).put(parameters.line());
  w.put(static_cast<uint32_t>(parameters.entries().size()));
  for (const auto& e : parameters.entries()) {
    w.put_string(e.key).put_string(e.value).put(e.line).put(e.column);
  }
  w.put(static_cast<uint32_t>(instruments.size()));
  for (const Instrument& i : instruments.all()) {
    w.put_string(i.symbol).put_string(i.venue).put(i.tick_size).put(i.lot_size).put(i.board);
    w.put_string(i.currency).put(i.previous_close);
  }
}

Hello read_hello(Reader& r) {
  Hello h;
  h.plugin.path = r.get_string();
  h.plugin.sha256 = r.get<std::array<uint8_t, 32>>();
  std::string file = r.get_string();
  std::string strategy = r.get_string();
  const int line = r.get<int>();
  h.parameters = StrategyParameters(std::move(file), std::move(strategy), line);
  const auto n = r.get<uint32_t>();
  for (uint32_t k = 0; k < n; ++k) {
    StrategyParameters::Entry e;
    e.key = r.get_string();
    e.value = r.get_string();
    e.line = r.get<int>();
    e.column = r.get<int>();
    h.parameters.add(std::move(e));
  }
  const auto count = r.get<uint32_t>();
  for (uint32_t k = 0; k < count; ++k) {
    Instrument i;
    i.symbol = r.get_string();
    i.venue = r.get_string();
    i.tick_size = r.get<Price>();
    i.lot_size = r.get<Quantity>();
    i.board = r.get<Board>();
    i.currency = r.get_string();
    i.previous_close = r.get<Price>();
    h.instruments.push_back(std::move(i));
  }
  return h;
}

void write_refusal(Writer& w, const Refusal& refusal) {
  w.put(static_cast<uint8_t>(refusal.config_error ? 1 : 0));
  w.put_string(refusal.file).put(refusal.line).put(refusal.column);
  w.put_string(refusal.key).put_string(refusal.message);
}

Refusal read_refusal(Reader& r) {
  Refusal out;
  out.config_error = r.get<uint8_t>() != 0;
  out.file = r.get_string();
  out.line = r.get<int>();
  out.column = r.get<int>();
  out.key = r.get_string();
  out.message = r.get_string();
  return out;
}

void write_result(Writer& w, const SubmitResult& result) {
  w.put(result.order_id).put(result.reject).put_string(result.reason);
}

SubmitResult read_result(Reader& r, std::set<std::string>& texts) {
  SubmitResult out;
  out.order_id = r.get<OrderId>();
  out.reject = r.get<RejectCode>();
  out.reason = *texts.insert(r.get_string()).first;
  return out;
}

void write_book(Writer& w, InstrumentId id, const Book& book) {
  // The depth as a snapshot, the top of book as a quote, and the last trade.
  BookUpdate depth;
  depth.instrument = id;
  depth.bid_levels = static_cast<uint8_t>(book.bid_levels());
  depth.ask_levels = static_cast<uint8_t>(book.ask_levels());
  for (int i = 0; i < book.bid_levels() && i < kBookDepth; ++i) {
    depth.bids[static_cast<size_t>(i)] = book.bid_level(i);
  }
  for (int i = 0; i < book.ask_levels() && i < kBookDepth; ++i) {
    depth.asks[static_cast<size_t>(i)] = book.ask_level(i);
  }
  Quote top;
  top.instrument = id;
  top.header.event_time = book.updated();
  top.bid_price = book.best_bid().price;
  top.bid_size = book.best_bid().size;
  top.ask_price = book.best_ask().price;
  top.ask_size = book.best_ask().size;
  Trade last;
  last.instrument = id;
  last.header.event_time = book.last_trade_time();
  last.price = book.last_trade().price;
  last.size = book.last_trade().size;
  w.put(depth).put(top).put(last);
}

Book read_book(Reader& r) {
  Book b;
  const auto depth = r.get<BookUpdate>();
  const auto top = r.get<Quote>();
  const auto last = r.get<Trade>();
  b.apply(depth);
  b.apply(top);
  b.apply(last);
  return b;
}

CallbackMask implemented_callbacks(const guiju_strategy_callbacks& c) {
  CallbackMask m = bit(Callback::kStart) | bit(Callback::kStop);
  if (c.on_quote) m |= bit(Callback::kQuote);
  if (c.on_book) m |= bit(Callback::kBook);
  if (c.on_trade) m |= bit(Callback::kTrade);
  if (c.on_order_update) m |= bit(Callback::kOrderUpdate);
  if (c.on_fill) m |= bit(Callback::kFill);
  if (c.on_timer) m |= bit(Callback::kTimer);
  if (c.on_signal) m |= bit(Callback::kSignal);
  if (c.on_signal_timeout) m |= bit(Callback::kSignalTimeout);
  return m;
}

}  // namespace guiju::remote
