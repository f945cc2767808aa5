#pragma once
// The exchange behind `guiju venue`: many members' orders and a background market in one limit
// order book per instrument, so that members trade with each other and with the market.
//
// Why this and not SimulatedVenue: SimulatedVenue models one participant's orders against market
// data it cannot trade with (the data's orders are not in it one by one), so its orders never meet
// each other. An exchange needs the opposite: every order in one book, price-time priority across
// members. The project already has that book, sim::OrderBook (matching_engine.hpp); this class
// puts the background market into it too, so there is still one matching engine, and applies the
// same A-share rules module (core/rules/) that SimulatedVenue and the pre-trade checks use.
//
// The background market (synthetic, or a recording) enters the book as resting orders of account
// kBackgroundAccount, one per displayed level. Each depth snapshot replaces them: the old ones are
// cancelled, the new ones submitted. A new background level that crosses a member's resting order
// trades with it, at the member's price: the market moved through the order. Liquidity a member
// takes from a background level is gone until the next snapshot. Background orders never trade
// with each other (one account: self-match prevention). The background's own trades are printed
// to subscribers as they come; they fill nothing (the book shows what the market left).
//
// Single-threaded: the caller serialises every call.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/sim/matching_engine.hpp"
#include "core/events/event_slot.hpp"
#include "core/model/instrument.hpp"

namespace guiju::sim {

inline constexpr AccountId kBackgroundAccount = 0;

struct ExchangeOptions {
  bool ashare_rules = true;  // phases, tick, daily price limits, price cage, board lots
};

// A member's order as the exchange keeps it.
struct MemberOrder {
  VenueOrderId id = 0;
  AccountId account = 0;
  InstrumentId instrument = kNoInstrument;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kDay;
  Price price;
  Quantity quantity;  // total, including what has filled
  Quantity cum;
  Quantity leaves;
  int128 notional = 0;  // sum of price.raw() * qty.raw() over fills, for the average price
  bool done = false;    // filled, cancelled, expired or rejected
  Price average_price() const;
};

enum class OrderEventKind : uint8_t {
  kNew = 1,
  kTrade = 2,
  kCanceled = 3,
  kReplaced = 4,
  kRejected = 5,  // the new order was refused
  kExpired = 6,   // IOC or market remainder
  kCancelRejected = 7,
  kReplaceRejected = 8,
};

struct OrderEvent {
  OrderEventKind kind{};
  const MemberOrder* order = nullptr;  // the order after the event
  Price last_price;                    // trades
  Quantity last_qty;
  std::string_view text;  // rejects, expiries, self-trade cancels: why
  bool unknown_symbol = false;
  bool price_rule = false;  // refused by a price rule (tick, price limit, cage)
};

// What an exchange tells the outside world.
class ExchangeListener {
 public:
  virtual ~ExchangeListener() = default;
  virtual void on_order_event(const OrderEvent& event) = 0;
  // A trade printed on an instrument: members' trades and the background's.
  virtual void on_public_trade(InstrumentId instrument, Price price, Quantity qty, Timestamp t) = 0;
  // The instrument's book changed (after a batch of work, once).
  virtual void on_book_changed(InstrumentId instrument) = 0;
};

struct OrderRequest {
  AccountId account = 1;
  InstrumentId instrument = kNoInstrument;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kDay;
  Price price;
  Quantity quantity;
};

class Exchange {
 public:
  // The registry is complete: instruments added later are unknown here.
  Exchange(const InstrumentRegistry& instruments, ExchangeListener& listener,
           ExchangeOptions options = {});

  // Every call reports through the listener before it returns. The order's id is returned (also
  // for a refused order, so its reject can name it).
  VenueOrderId submit(const OrderRequest& request);
  void cancel(VenueOrderId id);
  void replace(VenueOrderId id, Price price, Quantity quantity);
  // Market data: depth snapshots (and quotes, for sources without depth) move the background
  // book; trades are printed; the exchange's clock follows the data's event time.
  void on_market_data(const EventSlot& event);
  void set_time(Timestamp t) { now_ = t; }
  Timestamp now() const { return now_; }

  const MemberOrder* order(VenueOrderId id) const;
  std::vector<OrderBook::Level> depth(InstrumentId instrument, Side side, size_t levels) const;
  const InstrumentRegistry& instruments() const { return instruments_; }

 private:
  struct Book {
    explicit Book() : book(4096) {}
    OrderBook book;
    std::vector<VenueOrderId> background;  // the background's resting orders
    bool has_depth = false;                // depth snapshots seen: quotes are then redundant
    Price last_trade;
  };
  void replace_background(InstrumentId instrument, const PriceLevel* bids, size_t nbids,
                          const PriceLevel* asks, size_t nasks);
  // Turns the book's events into member order events (the background's are dropped).
  void apply(InstrumentId instrument, const std::vector<MatchEvent>& events);
  void refuse(MemberOrder& o, std::string_view text, bool price_rule, bool unknown_symbol);

  const InstrumentRegistry& instruments_;
  ExchangeListener& listener_;
  ExchangeOptions options_;
  std::vector<Book> books_;                               // by instrument
  std::unordered_map<VenueOrderId, MemberOrder> orders_;  // members' orders
  std::vector<MatchEvent> scratch_;
  VenueOrderId next_id_ = 1;
  Timestamp now_ = 0;
  std::string reason_;  // the text of the last rule refusal
};

}  // namespace guiju::sim
