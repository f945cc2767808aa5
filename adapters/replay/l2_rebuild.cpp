#include "adapters/replay/l2_rebuild.hpp"

#include "adapters/replay/order_by_order_book.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>

namespace guiju::sse {

namespace {

std::string levels_text(const std::vector<PriceLevel>& levels, size_t n) {
  std::string out;
  for (size_t i = 0; i < levels.size() && i < n; ++i) {
    out += (i ? " " : "") + levels[i].price.to_string() + "x" + levels[i].size.to_string();
  }
  return out.empty() ? "(empty)" : out;
}

std::string clock_text(int64_t ms) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buffer;
}

}  // namespace

std::vector<FeedEvent> exchange_order(const Level2Day& day) {
  std::vector<FeedEvent> events;
  events.reserve(day.orders.size() + day.trades.size());
  for (size_t i = 0; i < day.orders.size(); ++i) events.push_back({day.orders[i].biz, false, i});
  for (size_t i = 0; i < day.trades.size(); ++i) events.push_back({day.trades[i].biz, true, i});
  std::sort(events.begin(), events.end(),
            [](const FeedEvent& a, const FeedEvent& b) { return a.biz < b.biz; });
  return events;
}

bool apply_event(OrderByOrderBook& book, const Level2Day& day, const FeedEvent& e) {
  if (e.is_trade) {
    const TradeRow& t = day.trades[e.index];
    if (t.flag == 'B') return book.reduce(t.sell_no, t.volume);
    if (t.flag == 'S') return book.reduce(t.buy_no, t.volume);
    const bool sell_known = book.reduce(t.sell_no, t.volume);
    return book.reduce(t.buy_no, t.volume) && sell_known;
  }
  const OrderRow& o = day.orders[e.index];
  if (o.cancel) return book.reduce(o.order_no, o.balance);
  book.add(o.order_no, o.side, o.price, o.balance);
  return true;
}

RebuildReport rebuild_and_compare(const Level2Day& day) {
  const std::vector<FeedEvent> events = exchange_order(day);

  RebuildReport report;
  OrderByOrderBook book;
  uint64_t trades = 0;
  uint64_t cancels = 0;
  size_t next = 0;
  auto apply = [&](const FeedEvent& e) {
    if (!apply_event(book, day, e)) ++report.unknown_orders;
    if (e.is_trade) {
      ++trades;
    } else if (day.orders[e.index].cancel) {
      ++cancels;
    }
  };

  for (const SnapshotRow& s : day.snapshots) {
    ++report.snapshots;
    const bool compare = s.phase == "TRADE";
    bool matched = false;
    auto agrees = [&] {
      return trades == s.trades && cancels == s.cancels &&
             same_levels(book.top(Side::kBuy, 10), s.bids) &&
             same_levels(book.top(Side::kSell, 10), s.asks);
    };
    // Every event that keeps the counts within the snapshot's goes in; the book is held against
    // the snapshot at each point where the counts agree.
    while (next < events.size()) {
      if (compare && !matched) matched = agrees();
      const FeedEvent& e = events[next];
      const bool is_cancel = !e.is_trade && day.orders[e.index].cancel;
      if (e.is_trade && trades + 1 > s.trades) break;
      if (is_cancel && cancels + 1 > s.cancels) break;
      apply(e);
      ++next;
    }
    if (!compare) {
      ++report.other_phase;
      continue;
    }
    if (!matched) matched = agrees();
    ++report.compared;
    if (matched) {
      ++report.matched;
    } else if (report.mismatches.size() < 20) {
      report.mismatches.push_back(clock_text(s.time_ms) + " (trades " + std::to_string(s.trades) +
                                  ", cancels " + std::to_string(s.cancels) + "): exchange bids " +
                                  levels_text(s.bids, 3) + " | asks " + levels_text(s.asks, 3) +
                                  "; rebuilt bids " + levels_text(book.top(Side::kBuy, 3), 3) +
                                  " | asks " + levels_text(book.top(Side::kSell, 3), 3));
    }
  }
  return report;
}

}  // namespace guiju::sse
