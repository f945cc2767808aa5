#pragma once
// An order book kept order by order from an exchange's feed: orders rest with their published
// size, cancels and fills take quantity off by order number, and the levels are the sums. Used
// to rebuild a recorded day (l2_rebuild.hpp) and to replay it (sse_level2_source.hpp).

#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <vector>

#include "core/events/market_data.hpp"

namespace guiju::sse {

// Same prices and sizes, level by level.
inline bool same_levels(const std::vector<PriceLevel>& a, const std::vector<PriceLevel>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].price != b[i].price || a[i].size != b[i].size) return false;
  }
  return true;
}

class OrderByOrderBook {
 public:
  // True when the best bid is at or above the best ask (orders collecting in a call auction).
  bool crossed() const {
    return !bids_.empty() && !asks_.empty() && bids_.begin()->first >= asks_.begin()->first;
  }
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

}  // namespace guiju::sse
