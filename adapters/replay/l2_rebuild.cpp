#include "adapters/replay/l2_rebuild.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>

namespace guiju::sse {

namespace {

class OrderByOrderBook {
 public:
  void add(uint64_t order_no, Side side, Price price, Quantity quantity) {
    orders_[order_no] = {side, price, quantity};
    level(side, price) = level(side, price) + quantity;
  }
  // False when the order is not resting.
  bool reduce(uint64_t order_no, Quantity quantity) {
    const auto it = orders_.find(order_no);
    if (it == orders_.end()) return false;
    Resting& o = it->second;
    const Quantity taken = quantity < o.quantity ? quantity : o.quantity;
    o.quantity = o.quantity - taken;
    Quantity& l = level(o.side, o.price);
    l = l - taken;
    if (!l.is_positive()) erase_level(o.side, o.price);
    if (!o.quantity.is_positive()) orders_.erase(it);
    return true;
  }
  std::vector<PriceLevel> top(Side side, size_t n) const {
    std::vector<PriceLevel> out;
    auto take = [&](const auto& levels) {
      for (const auto& [price, quantity] : levels) {
        if (out.size() == n) break;
        out.push_back({Price::from_raw(price), quantity});
      }
    };
    if (side == Side::kBuy) {
      take(bids_);
    } else {
      take(asks_);
    }
    return out;
  }

 private:
  struct Resting {
    Side side;
    Price price;
    Quantity quantity;
  };
  Quantity& level(Side side, Price price) {
    return side == Side::kBuy ? bids_[price.raw()] : asks_[price.raw()];
  }
  void erase_level(Side side, Price price) {
    if (side == Side::kBuy) {
      bids_.erase(price.raw());
    } else {
      asks_.erase(price.raw());
    }
  }
  std::unordered_map<uint64_t, Resting> orders_;
  std::map<int64_t, Quantity, std::greater<>> bids_;
  std::map<int64_t, Quantity> asks_;
};

bool same(const std::vector<PriceLevel>& a, const std::vector<PriceLevel>& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](const PriceLevel& x, const PriceLevel& y) {
           return x.price == y.price && x.size == y.size;
         });
}

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

RebuildReport rebuild_and_compare(const Level2Day& day) {
  // The exchange's event order: both files merged by BizIndex.
  struct Event {
    int64_t biz;
    bool is_trade;
    size_t index;
  };
  std::vector<Event> events;
  events.reserve(day.orders.size() + day.trades.size());
  for (size_t i = 0; i < day.orders.size(); ++i) events.push_back({day.orders[i].biz, false, i});
  for (size_t i = 0; i < day.trades.size(); ++i) events.push_back({day.trades[i].biz, true, i});
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.biz < b.biz; });

  RebuildReport report;
  OrderByOrderBook book;
  uint64_t trades = 0;
  uint64_t cancels = 0;
  size_t next = 0;
  auto apply = [&](const Event& e) {
    if (e.is_trade) {
      const TradeRow& t = day.trades[e.index];
      bool known = true;
      if (t.flag == 'B') known = book.reduce(t.sell_no, t.volume);
      if (t.flag == 'S') known = book.reduce(t.buy_no, t.volume);
      if (t.flag == 'N') {
        known = book.reduce(t.sell_no, t.volume);
        known = book.reduce(t.buy_no, t.volume) && known;
      }
      if (!known) ++report.unknown_orders;
      ++trades;
      return;
    }
    const OrderRow& o = day.orders[e.index];
    if (o.cancel) {
      if (!book.reduce(o.order_no, o.balance)) ++report.unknown_orders;
      ++cancels;
    } else {
      book.add(o.order_no, o.side, o.price, o.balance);
    }
  };

  for (const SnapshotRow& s : day.snapshots) {
    ++report.snapshots;
    const bool compare = s.phase == "TRADE";
    bool matched = false;
    auto agrees = [&] {
      return trades == s.trades && cancels == s.cancels && same(book.top(Side::kBuy, 10), s.bids) &&
             same(book.top(Side::kSell, 10), s.asks);
    };
    // Every event that keeps the counts within the snapshot's goes in; the book is held against
    // the snapshot at each point where the counts agree.
    while (next < events.size()) {
      if (compare && !matched) matched = agrees();
      const Event& e = events[next];
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
