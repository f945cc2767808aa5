#pragma once
// A limit order book that matches: the exchange's core, for the simulated venue and (later) the
// FIX venue simulator. One book per instrument, driven by one thread.
//
// Rules:
//   - price-time priority: better prices first, then the earlier order at the same price;
//   - limit, market (any price; what does not fill at once is cancelled), IOC (the rest is
//     cancelled) and FOK (fills completely at once, or not at all);
//   - cancel; replace to a new price and a new total quantity: the order keeps its place when only
//     its quantity goes down, and goes to the back of its (new) level on a price change or a
//     quantity increase, where it may trade at once;
//   - partial fills, at the resting order's price;
//   - self-match prevention: an incoming order that would trade with a resting order of the same
//     account, or of the same control group, does not; per policy the new order is cancelled, the
//     resting one is, or both are, and each case is reported;
//   - call auctions: while the book is in an auction, day limit orders collect without matching
//     (the book may cross), and uncross() then executes everything that crosses at one price
//     (core/rules/call_auction.hpp chooses it), in price-time priority.
//
// Mechanical sympathy: orders live in a pre-sized pool and are linked into their level's FIFO by
// index; a level is found through a map keyed by price. The only allocations are a new price
// level's map node and pool growth past the size given at construction.

#include <cstdint>
#include <map>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model/fixed_point.hpp"
#include "core/model/ids.hpp"
#include "core/model/order_types.hpp"

namespace guiju::sim {

using VenueOrderId = uint64_t;

enum class StpPolicy : uint8_t {
  kCancelNew = 1,      // the incoming order's remainder is cancelled (the default)
  kCancelResting = 2,  // the resting order is cancelled and matching goes on
  kCancelBoth = 3,
};

struct OrderSpec {
  VenueOrderId id = 0;  // unique within the book, chosen by the caller
  AccountId account = 0;
  uint32_t control_group = 0;  // accounts in one group never trade with each other (0: none)
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kDay;
  Price price;  // ignored for market orders
  Quantity quantity;
};

// Why an order left the book, or was refused.
enum class MatchEventKind : uint8_t {
  kAccepted = 1,            // entered the book (resting or about to match)
  kTrade = 2,               // `order` traded `quantity` at `price` against `counterparty`
  kCanceled = 3,            // cancelled on request
  kExpired = 4,             // IOC/market remainder, or an FOK that could not fill
  kRejected = 5,            // refused: `reason` says why
  kReplaced = 6,            // new terms accepted (`price`, `quantity` = new total, `kept_priority`)
  kSelfTradePrevented = 7,  // `order` was cancelled (leaves `quantity`) to avoid trading with
                            // `counterparty` of the same account or control group
};

struct MatchEvent {
  MatchEventKind kind{};
  VenueOrderId order = 0;
  VenueOrderId counterparty = 0;  // trades and self-trade preventions
  Price price;
  Quantity quantity;           // traded, or the remainder cancelled
  Quantity leaves;             // what the order still has working afterwards
  bool aggressor = false;      // trades: `order` was the incoming side
  bool kept_priority = false;  // replaces
  std::string_view reason;     // rejects: static text naming the rule
};

class OrderBook {
 public:
  explicit OrderBook(size_t expected_orders = 1024, StpPolicy stp = StpPolicy::kCancelNew);

  // Each call appends what happened to `out`, in order; it does not clear it.
  void submit(const OrderSpec& order, std::vector<MatchEvent>& out);
  void cancel(VenueOrderId id, std::vector<MatchEvent>& out);
  // New price (ignored for market orders) and new total quantity (including what has filled).
  void replace(VenueOrderId id, Price price, Quantity quantity, std::vector<MatchEvent>& out);

  struct Level {
    Price price;
    Quantity quantity;
    uint32_t orders = 0;
  };
  // Call auction: orders collect without matching until uncross(). Only day limit orders.
  void set_call_auction(bool on) { auction_ = on; }
  bool in_call_auction() const { return auction_; }
  // Executes every crossing order at `price`: bids at or above it against asks at or below it,
  // best price then earliest first, until one side runs out.
  void uncross(Price price, std::vector<MatchEvent>& out);

  // The best `max_levels` levels of a side, best first.
  std::vector<Level> depth(Side side, size_t max_levels) const;
  bool has_order(VenueOrderId id) const { return index_.contains(id); }
  // Resting quantity still to fill; zero when the order is not in the book.
  Quantity leaves(VenueOrderId id) const;
  // Orders ahead of `id` at its price level (its queue position), by quantity.
  Quantity queue_ahead(VenueOrderId id) const;
  size_t resting_orders() const { return index_.size(); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Resting {
    OrderSpec spec;
    Quantity filled;
    uint64_t arrival = 0;  // when it joined its level: time priority, and "newer" for auctions
    uint32_t prev = kNone;
    uint32_t next = kNone;
  };
  struct LevelQueue {
    Quantity total;
    uint32_t count = 0;
    uint32_t head = kNone;
    uint32_t tail = kNone;
  };
  // Bids best (highest) first, asks best (lowest) first.
  using Bids = std::map<int64_t, LevelQueue, std::greater<>>;
  using Asks = std::map<int64_t, LevelQueue, std::less<>>;

  // Matches `incoming` against the opposite side while prices cross; returns its unfilled rest.
  template <typename Opposite>
  Quantity match(Opposite& opposite, OrderSpec& incoming, Quantity remaining,
                 std::vector<MatchEvent>& out);
  // What an FOK could fill at once, honouring self-match prevention (never counts own orders).
  template <typename Opposite>
  Quantity fillable(const Opposite& opposite, const OrderSpec& incoming) const;
  bool crosses(const OrderSpec& incoming, int64_t level_price) const;
  bool same_owner(const OrderSpec& a, const OrderSpec& b) const;

  uint32_t allocate(const OrderSpec& spec, Quantity filled);
  void rest(uint32_t slot);
  void detach(LevelQueue& level, uint32_t slot);  // from the level's FIFO and totals
  void unlink(uint32_t slot);                     // from its level (and the level, when it empties)
  void release(uint32_t slot);

  std::vector<Resting> pool_;
  std::vector<uint32_t> free_;
  std::unordered_map<VenueOrderId, uint32_t> index_;
  Bids bids_;
  Asks asks_;
  StpPolicy stp_;
  bool auction_ = false;
  uint64_t next_arrival_ = 0;
};

}  // namespace guiju::sim
