#include "adapters/sim/matching_engine.hpp"

#include <algorithm>

namespace guiju::sim {

namespace {

Quantity min_quantity(Quantity a, Quantity b) {
  return a < b ? a : b;
}

MatchEvent event(MatchEventKind kind, VenueOrderId order, Quantity quantity, Quantity leaves) {
  MatchEvent e;
  e.kind = kind;
  e.order = order;
  e.quantity = quantity;
  e.leaves = leaves;
  return e;
}

MatchEvent rejected(VenueOrderId order, std::string_view reason) {
  MatchEvent e = event(MatchEventKind::kRejected, order, Quantity::zero(), Quantity::zero());
  e.reason = reason;
  return e;
}

}  // namespace

OrderBook::OrderBook(size_t expected_orders, StpPolicy stp) : stp_(stp) {
  pool_.reserve(expected_orders);
  free_.reserve(expected_orders);
  index_.reserve(expected_orders);
}

bool OrderBook::crosses(const OrderSpec& incoming, int64_t level_price) const {
  if (incoming.type == OrderType::kMarket) return true;
  return incoming.side == Side::kBuy ? level_price <= incoming.price.raw()
                                     : level_price >= incoming.price.raw();
}

bool OrderBook::same_owner(const OrderSpec& a, const OrderSpec& b) const {
  return a.account == b.account || (a.control_group != 0 && a.control_group == b.control_group);
}

uint32_t OrderBook::allocate(const OrderSpec& spec, Quantity filled) {
  uint32_t slot = 0;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<uint32_t>(pool_.size());
    pool_.emplace_back();
  }
  Resting& r = pool_[slot];
  r.spec = spec;
  r.filled = filled;
  r.prev = kNone;
  r.next = kNone;
  index_[spec.id] = slot;
  return slot;
}

void OrderBook::release(uint32_t slot) {
  index_.erase(pool_[slot].spec.id);
  free_.push_back(slot);
}

// Appends the order at the back of its price level.
void OrderBook::rest(uint32_t slot) {
  Resting& r = pool_[slot];
  r.arrival = ++next_arrival_;
  auto add = [&](LevelQueue& level) {
    r.prev = level.tail;
    r.next = kNone;
    if (level.tail != kNone) pool_[level.tail].next = slot;
    level.tail = slot;
    if (level.head == kNone) level.head = slot;
    ++level.count;
    level.total = level.total + (r.spec.quantity - r.filled);
  };
  if (r.spec.side == Side::kBuy) {
    add(bids_[r.spec.price.raw()]);
  } else {
    add(asks_[r.spec.price.raw()]);
  }
}

void OrderBook::detach(LevelQueue& level, uint32_t slot) {
  Resting& r = pool_[slot];
  if (r.prev != kNone) pool_[r.prev].next = r.next;
  if (r.next != kNone) pool_[r.next].prev = r.prev;
  if (level.head == slot) level.head = r.next;
  if (level.tail == slot) level.tail = r.prev;
  --level.count;
  level.total = level.total - (r.spec.quantity - r.filled);
  r.prev = kNone;
  r.next = kNone;
}

// Takes the order out of its level's FIFO, and the level out of the book when it empties.
void OrderBook::unlink(uint32_t slot) {
  const Resting& r = pool_[slot];
  auto remove = [&](auto& side) {
    const auto it = side.find(r.spec.price.raw());
    detach(it->second, slot);
    if (it->second.count == 0) side.erase(it);
  };
  if (r.spec.side == Side::kBuy) {
    remove(bids_);
  } else {
    remove(asks_);
  }
}

template <typename Opposite>
Quantity OrderBook::fillable(const Opposite& opposite, const OrderSpec& incoming) const {
  Quantity available;
  for (const auto& [price, level] : opposite) {
    if (!crosses(incoming, price)) break;
    for (uint32_t slot = level.head; slot != kNone; slot = pool_[slot].next) {
      const Resting& r = pool_[slot];
      if (same_owner(incoming, r.spec)) {
        // Matching would stop here (the new order is cancelled) or skip this order.
        if (stp_ != StpPolicy::kCancelResting) return available;
        continue;
      }
      available = available + (r.spec.quantity - r.filled);
      if (available >= incoming.quantity) return available;
    }
  }
  return available;
}

template <typename Opposite>
Quantity OrderBook::match(Opposite& opposite, OrderSpec& incoming, Quantity remaining,
                          std::vector<MatchEvent>& out) {
  while (remaining.is_positive() && !opposite.empty()) {
    const auto it = opposite.begin();
    if (!crosses(incoming, it->first)) break;
    LevelQueue& level = it->second;
    const Price price = Price::from_raw(it->first);
    uint32_t slot = level.head;
    while (slot != kNone && remaining.is_positive()) {
      Resting& r = pool_[slot];
      const uint32_t next = r.next;
      const Quantity resting_leaves = r.spec.quantity - r.filled;
      if (same_owner(incoming, r.spec)) {
        if (stp_ == StpPolicy::kCancelResting || stp_ == StpPolicy::kCancelBoth) {
          MatchEvent e = event(MatchEventKind::kSelfTradePrevented, r.spec.id, resting_leaves,
                               Quantity::zero());
          e.counterparty = incoming.id;
          e.price = r.spec.price;
          out.push_back(e);
          // Detached, not unlinked: the level may not be erased while it is being walked.
          detach(level, slot);
          release(slot);
        }
        if (stp_ == StpPolicy::kCancelNew || stp_ == StpPolicy::kCancelBoth) {
          MatchEvent e =
              event(MatchEventKind::kSelfTradePrevented, incoming.id, remaining, Quantity::zero());
          e.counterparty = r.spec.id;
          e.price = incoming.price;
          out.push_back(e);
          if (level.count == 0) opposite.erase(it);
          return Quantity::zero();
        }
        slot = next;
        continue;
      }
      const Quantity traded = min_quantity(remaining, resting_leaves);
      remaining = remaining - traded;
      if (r.filled + traded >= r.spec.quantity) {
        detach(level, slot);  // with its leaves, before they become zero
        r.filled = r.filled + traded;
      } else {
        r.filled = r.filled + traded;
        level.total = level.total - traded;
      }

      MatchEvent taker = event(MatchEventKind::kTrade, incoming.id, traded, remaining);
      taker.counterparty = r.spec.id;
      taker.price = price;
      taker.aggressor = true;
      out.push_back(taker);
      MatchEvent maker =
          event(MatchEventKind::kTrade, r.spec.id, traded, r.spec.quantity - r.filled);
      maker.counterparty = incoming.id;
      maker.price = price;
      out.push_back(maker);

      if (r.filled >= r.spec.quantity) release(slot);
      slot = next;
    }
    if (level.count == 0) opposite.erase(it);
  }
  return remaining;
}

void OrderBook::submit(const OrderSpec& order, std::vector<MatchEvent>& out) {
  if (index_.contains(order.id)) {
    out.push_back(rejected(order.id, "duplicate order id: an order with this id is working"));
    return;
  }
  if (!order.quantity.is_positive()) {
    out.push_back(rejected(order.id, "quantity must be positive"));
    return;
  }
  if (order.type == OrderType::kLimit && !order.price.is_positive()) {
    out.push_back(rejected(order.id, "limit price must be positive"));
    return;
  }
  if (auction_ && (order.type != OrderType::kLimit || order.tif != TimeInForce::kDay)) {
    out.push_back(rejected(order.id, "call auctions accept day limit orders only"));
    return;
  }
  OrderSpec incoming = order;
  out.push_back(event(MatchEventKind::kAccepted, order.id, order.quantity, order.quantity));
  if (auction_) {
    rest(allocate(incoming, Quantity::zero()));
    return;
  }

  if (incoming.tif == TimeInForce::kFok) {
    const Quantity can =
        incoming.side == Side::kBuy ? fillable(asks_, incoming) : fillable(bids_, incoming);
    if (can < incoming.quantity) {
      MatchEvent e = event(MatchEventKind::kExpired, order.id, order.quantity, Quantity::zero());
      e.reason = "FOK: not enough at acceptable prices to fill it completely at once";
      out.push_back(e);
      return;
    }
  }
  const Quantity remaining = incoming.side == Side::kBuy
                                 ? match(asks_, incoming, incoming.quantity, out)
                                 : match(bids_, incoming, incoming.quantity, out);
  if (!remaining.is_positive()) return;
  const bool stays = incoming.type == OrderType::kLimit && incoming.tif == TimeInForce::kDay;
  if (!stays) {
    MatchEvent e = event(MatchEventKind::kExpired, order.id, remaining, Quantity::zero());
    e.reason = incoming.type == OrderType::kMarket ? "market order: unfilled rest cancelled"
                                                   : "IOC: unfilled rest cancelled";
    out.push_back(e);
    return;
  }
  rest(allocate(incoming, incoming.quantity - remaining));
}

void OrderBook::cancel(VenueOrderId id, std::vector<MatchEvent>& out) {
  const auto it = index_.find(id);
  if (it == index_.end()) {
    out.push_back(rejected(id, "unknown order: filled, cancelled, or never accepted"));
    return;
  }
  const uint32_t slot = it->second;
  const Quantity leaves = pool_[slot].spec.quantity - pool_[slot].filled;
  unlink(slot);
  release(slot);
  out.push_back(event(MatchEventKind::kCanceled, id, leaves, Quantity::zero()));
}

void OrderBook::replace(VenueOrderId id, Price price, Quantity quantity,
                        std::vector<MatchEvent>& out) {
  const auto it = index_.find(id);
  if (it == index_.end()) {
    out.push_back(rejected(id, "unknown order: filled, cancelled, or never accepted"));
    return;
  }
  const uint32_t slot = it->second;
  Resting& r = pool_[slot];
  if (quantity <= r.filled) {
    out.push_back(rejected(id, "new quantity is not above what has already filled"));
    return;
  }
  if (r.spec.type == OrderType::kLimit && !price.is_positive()) {
    out.push_back(rejected(id, "limit price must be positive"));
    return;
  }
  const Quantity new_leaves = quantity - r.filled;
  MatchEvent replaced = event(MatchEventKind::kReplaced, id, quantity, new_leaves);
  replaced.price = price;

  // Priority is kept only when the price stays and the quantity does not grow.
  if (price == r.spec.price && quantity <= r.spec.quantity) {
    const Quantity old_leaves = r.spec.quantity - r.filled;
    auto shrink = [&](auto& side) {
      LevelQueue& level = side.find(r.spec.price.raw())->second;
      level.total = level.total - (old_leaves - new_leaves);
    };
    if (r.spec.side == Side::kBuy) {
      shrink(bids_);
    } else {
      shrink(asks_);
    }
    r.spec.quantity = quantity;
    replaced.kept_priority = true;
    out.push_back(replaced);
    return;
  }
  OrderSpec spec = r.spec;
  const Quantity filled = r.filled;
  unlink(slot);
  release(slot);
  spec.price = price;
  spec.quantity = quantity;
  out.push_back(replaced);
  // At its new price it may cross: it trades first, like any incoming order (not in an auction).
  Quantity remaining = new_leaves;
  if (!auction_) {
    remaining = spec.side == Side::kBuy ? match(asks_, spec, new_leaves, out)
                                        : match(bids_, spec, new_leaves, out);
  }
  if (remaining.is_positive()) rest(allocate(spec, filled + (new_leaves - remaining)));
}

void OrderBook::uncross(Price price, std::vector<MatchEvent>& out) {
  auto cancel_for_stp = [&](uint32_t slot, VenueOrderId other) {
    const Resting& r = pool_[slot];
    MatchEvent e = event(MatchEventKind::kSelfTradePrevented, r.spec.id, r.spec.quantity - r.filled,
                         Quantity::zero());
    e.counterparty = other;
    e.price = r.spec.price;
    out.push_back(e);
    unlink(slot);
    release(slot);
  };
  while (!bids_.empty() && !asks_.empty()) {
    const auto bid = bids_.begin();
    const auto ask = asks_.begin();
    if (bid->first < price.raw() || ask->first > price.raw()) break;
    const uint32_t b = bid->second.head;
    const uint32_t a = ask->second.head;
    if (same_owner(pool_[b].spec, pool_[a].spec)) {
      // The later arrival is the "new" order the policy speaks of.
      const bool bid_newer = pool_[b].arrival > pool_[a].arrival;
      const uint32_t newer = bid_newer ? b : a;
      const uint32_t older = bid_newer ? a : b;
      const VenueOrderId newer_id = pool_[newer].spec.id;
      const VenueOrderId older_id = pool_[older].spec.id;
      if (stp_ != StpPolicy::kCancelResting) cancel_for_stp(newer, older_id);
      if (stp_ != StpPolicy::kCancelNew) cancel_for_stp(older, newer_id);
      continue;
    }
    const Quantity traded = min_quantity(pool_[b].spec.quantity - pool_[b].filled,
                                         pool_[a].spec.quantity - pool_[a].filled);
    for (const auto& [slot, other] : {std::pair{b, a}, std::pair{a, b}}) {
      Resting& r = pool_[slot];
      const bool done = r.filled + traded >= r.spec.quantity;
      MatchEvent e =
          event(MatchEventKind::kTrade, r.spec.id, traded, r.spec.quantity - r.filled - traded);
      e.counterparty = pool_[other].spec.id;
      e.price = price;
      out.push_back(e);
      if (done) {
        unlink(slot);  // with its leaves, before they become zero
        r.filled = r.filled + traded;
        release(slot);
      } else {
        r.filled = r.filled + traded;
        auto& level = r.spec.side == Side::kBuy ? bid->second : ask->second;
        level.total = level.total - traded;
      }
    }
  }
}

std::vector<OrderBook::Level> OrderBook::depth(Side side, size_t max_levels) const {
  std::vector<Level> out;
  auto collect = [&](const auto& levels) {
    for (const auto& [price, level] : levels) {
      if (out.size() == max_levels) break;
      out.push_back({Price::from_raw(price), level.total, level.count});
    }
  };
  if (side == Side::kBuy) {
    collect(bids_);
  } else {
    collect(asks_);
  }
  return out;
}

Quantity OrderBook::leaves(VenueOrderId id) const {
  const auto it = index_.find(id);
  if (it == index_.end()) return Quantity::zero();
  return pool_[it->second].spec.quantity - pool_[it->second].filled;
}

Quantity OrderBook::queue_ahead(VenueOrderId id) const {
  const auto it = index_.find(id);
  if (it == index_.end()) return Quantity::zero();
  Quantity ahead;
  for (uint32_t slot = pool_[it->second].prev; slot != kNone; slot = pool_[slot].prev) {
    ahead = ahead + (pool_[slot].spec.quantity - pool_[slot].filled);
  }
  return ahead;
}

}  // namespace guiju::sim
