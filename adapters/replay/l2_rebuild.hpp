#pragma once
// Rebuilding an exchange's order book from its order-by-order feed, and holding it against the
// exchange's own snapshots: the check that the replayed book is the market's book.
//
// The book: new orders rest with their published balance; a cancel takes its quantity off; a
// trade takes its volume off the resting side (the seller for a buyer-initiated trade, the buyer
// for a seller-initiated one, both in a call auction). The SSE publishes only the part of an
// order that rests, so an aggressive order's fills never touch the book.
//
// Alignment: a snapshot is taken between two events, and its time stamp is too coarse to say
// which. Its cumulative trade count and cancel count are not: the rebuilt book is held against the
// snapshot at every point between events where the counts agree (new orders may fall either
// side of it). A snapshot matches when the book agrees at one of those points: the best bid and
// ask and all ten levels, prices and sizes. Call-auction snapshots show an indicative price, not
// resting depth, and are counted apart.

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/replay/order_by_order_book.hpp"
#include "adapters/replay/sse_level2.hpp"

namespace guiju::sse {

struct RebuildReport {
  size_t snapshots = 0;
  size_t compared = 0;  // continuous-trading snapshots
  size_t matched = 0;
  size_t other_phase = 0;               // auction, start and close snapshots: not compared
  size_t unknown_orders = 0;            // cancels or passive fills naming an order not in the book
  std::vector<std::string> mismatches;  // the first 20, each with both books' top levels
  double match_rate() const {
    return compared == 0 ? 0.0 : static_cast<double>(matched) / static_cast<double>(compared);
  }
};

RebuildReport rebuild_and_compare(const Level2Day& day);

// One event of the feed: an order row or a trade row, in the exchange's order.
struct FeedEvent {
  int64_t biz;
  bool is_trade;
  size_t index;  // into day.trades or day.orders
};
// Both files merged by BizIndex: the exchange's event order.
std::vector<FeedEvent> exchange_order(const Level2Day& day);
// Applies one event to the book; false when it names an order the book does not hold.
bool apply_event(OrderByOrderBook& book, const Level2Day& day, const FeedEvent& event);

}  // namespace guiju::sse
