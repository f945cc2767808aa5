#include "core/risk/self_trade_check.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/oms/order_manager.hpp"

namespace guiju {

namespace {

// Reasons fit the journal's 48 characters (ReasonText).
constexpr std::string_view kCrosses = "self-trade: crosses a resting order of its group";
constexpr std::string_view kNotCancelled = "self-trade: resting order could not be cancelled";
constexpr std::string_view kBoth = "self-trade: refused, resting order cancelled";

// The crossing orders a check usually finds: one or two. More only grow the scratch list.
constexpr size_t kCrossingReserve = 16;

// What on_interval prunes at most, about every 100 ms: lanes looked at, and orders visited in
// them (the last lane is finished). A full turn over 1,000 instruments and 20 groups takes
// about a second; the work stays a few microseconds.
constexpr size_t kSweepLanes = 4096;
constexpr size_t kSweepOrders = 1024;

// What an order of the index is now.
enum class Standing : uint8_t {
  kGone,     // finished, or a replacement that can no longer start working: unlink it
  kLeaving,  // its cancel is pending
  kResting,  // may trade when an order of the other side arrives
};

Standing standing(const Order* o, const OrderManager& orders) {
  if (o == nullptr || !o->in_use || is_terminal(o->state)) return Standing::kGone;
  if (o->awaiting_replace_confirm) {
    // A replacement works once the venue confirms it, which it can only while its original
    // still waits for that replace.
    const Order* original = orders.find(o->replaces);
    const bool live = original != nullptr && original->state == OrderState::kPendingReplace &&
                      original->replaced_by == o->id;
    return live ? Standing::kResting : Standing::kGone;
  }
  return o->state == OrderState::kPendingCancel ? Standing::kLeaving : Standing::kResting;
}

bool crosses(Side side, OrderType type, Price price, const Order& resting) {
  if (type == OrderType::kMarket || resting.type == OrderType::kMarket) return true;
  return side == Side::kBuy ? resting.price <= price : resting.price >= price;
}

// An order the engine can cancel now: not a replacement awaiting confirmation, and no replace
// in flight (a cancel cannot overtake it).
bool cancellable(const Order& o) {
  return o.is_open() && !is_pending_change(o.state);
}

}  // namespace

std::string_view to_string(SelfTradePolicy p) {
  switch (p) {
    case SelfTradePolicy::kRejectNew:
      return "reject_new";
    case SelfTradePolicy::kCancelResting:
      return "cancel_resting";
    case SelfTradePolicy::kCancelBoth:
      return "cancel_both";
  }
  return "?";
}

std::optional<SelfTradePolicy> parse_self_trade_policy(std::string_view name) {
  for (SelfTradePolicy p : {SelfTradePolicy::kRejectNew, SelfTradePolicy::kCancelResting,
                            SelfTradePolicy::kCancelBoth}) {
    if (name == to_string(p)) return p;
  }
  return std::nullopt;
}

SelfTradeCheck::SelfTradeCheck(SelfTradeRules rules, size_t accounts, size_t instruments,
                               OrderId first_order_id, size_t order_capacity)
    : rules_(std::move(rules)),
      instruments_(instruments),
      first_order_id_(first_order_id),
      group_of_(accounts, kNoGroup) {
  if (order_capacity >= kFree) throw std::invalid_argument("self-trade index: too many orders");
  next_.assign(order_capacity, kFree);
  for (const std::vector<AccountId>& members : rules_.groups) {
    const uint32_t g = add_group();
    for (AccountId a : members) {
      if (a >= group_of_.size()) group_of_.resize(a + size_t{1}, kNoGroup);
      group_of_[a] = g;
    }
  }
  for (uint32_t& g : group_of_) {
    if (g == kNoGroup) g = add_group();
  }
  crossing_.reserve(kCrossingReserve);
  cancel_reason_.reserve(64);
}

uint32_t SelfTradeCheck::add_group() {
  // Every lane of every group exists from the start, found by arithmetic, with no hashing.
  heads_.resize(heads_.size() + instruments_ * 2, kEnd);
  return groups_++;
}

template <typename Visit>
size_t SelfTradeCheck::walk(size_t lane, const OrderManager& orders, Visit&& visit) {
  size_t visited = 0;
  uint32_t* link = &heads_[lane];
  while (*link != kEnd) {
    const uint32_t slot = *link;
    const Order* o = orders.find(id_of(slot));
    const Standing s = standing(o, orders);
    ++visited;
    if (s == Standing::kGone) {
      *link = next_[slot];
      next_[slot] = kFree;
      continue;
    }
    visit(*o, s);
    link = &next_[slot];
  }
  return visited;
}

size_t SelfTradeCheck::indexed(uint32_t group, InstrumentId instrument, Side side) const {
  size_t n = 0;
  for (uint32_t slot = heads_[lane_of(group, instrument, side)]; slot != kEnd; slot = next_[slot]) {
    ++n;
  }
  return n;
}

RiskDecision SelfTradeCheck::check(AccountId account, InstrumentId instrument, Side side,
                                   OrderType type, Price price, const RiskView& view) {
  const uint32_t group = group_of(account);
  // A group that has never sent has nothing resting.
  if (group == kNoGroup || instrument >= instruments_) return RiskDecision::accept();
  const size_t lane = lane_of(group, instrument, opposite(side));
  if (heads_[lane] == kEnd) return RiskDecision::accept();

  // One pass: unlink what finished, collect what the order would trade against, and keep the
  // best of those (the price it would trade at first) for the record.
  crossing_.clear();
  Price best;
  walk(lane, view.orders, [&](const Order& o, Standing s) {
    if (s != Standing::kResting || !crosses(side, type, price, o)) return;
    if (crossing_.empty() || (side == Side::kBuy ? o.price < best : o.price > best)) {
      best = o.price;
    }
    crossing_.push_back(o.id);
  });
  if (crossing_.empty()) return RiskDecision::accept();
  // Oldest first (the lane lists the newest first).
  std::sort(crossing_.begin(), crossing_.end());

  const RiskDecision refuse{RejectCode::kSelfTrade, kCrosses, best.raw(), price.raw(),
                            RiskCheckId::kSelfTrade};
  switch (rules_.policy) {
    case SelfTradePolicy::kRejectNew:
      return refuse;
    case SelfTradePolicy::kCancelResting:
      // The new order may only go once nothing it would trade against is left resting;
      // otherwise it is refused (and, where no cancel could be sent, nothing is cancelled).
      if (cancel_crossing(side, type, price, true, view)) return RiskDecision::accept();
      return {RejectCode::kSelfTrade, kNotCancelled, best.raw(), price.raw(),
              RiskCheckId::kSelfTrade};
    case SelfTradePolicy::kCancelBoth:
      cancel_crossing(side, type, price, false, view);
      return {RejectCode::kSelfTrade, kBoth, best.raw(), price.raw(), RiskCheckId::kSelfTrade};
  }
  return refuse;
}

bool SelfTradeCheck::cancel_crossing(Side side, OrderType type, Price price, bool all_or_nothing,
                                     const RiskView& view) {
  // Without an engine to act (a benchmark, a unit test without one) nothing can be cancelled.
  if (view.actions == nullptr) return false;
  if (all_or_nothing) {
    for (OrderId id : crossing_) {
      if (!cancellable(*view.orders.find(id))) return false;
    }
  }
  // The record of each cancel names the order that would have traded against it. (Text built
  // only here, when a self-trade was found.)
  cancel_reason_ = "self-trade: crossed by a ";
  if (type == OrderType::kMarket) {
    cancel_reason_ += side == Side::kBuy ? "market buy" : "market sell";
  } else {
    cancel_reason_ += side == Side::kBuy ? "buy at " : "sell at ";
    cancel_reason_ += fixed_point::format_decimal(price.raw(), Price::kDecimals, 2);
  }
  // The engine sends each cancel at once (and tells on_sent, which leaves the index alone).
  for (OrderId id : crossing_) {
    if (cancellable(*view.orders.find(id))) {
      view.actions->cancel_order(id, RiskCheckId::kSelfTrade, cancel_reason_);
    }
  }
  // A cancel the engine could not send leaves its order resting.
  for (OrderId id : crossing_) {
    if (standing(view.orders.find(id), view.orders) == Standing::kResting) return false;
  }
  return true;
}

RiskDecision SelfTradeCheck::check_new(const NewOrder& order, const RiskView& view) {
  return check(order.account, order.instrument, order.side, order.type, order.price, view);
}

RiskDecision SelfTradeCheck::check_replace(const ReplaceOrder& request, const Order& current,
                                           const RiskView& view) {
  // The replacement at its new price; its own original is on the same side, never crossed.
  return check(current.account, current.instrument, current.side, current.type, request.new_price,
               view);
}

void SelfTradeCheck::on_sent(const SentMessage& m) {
  // Cancels change nothing here: the order's own state says it is leaving.
  if (m.kind == SentMessage::Kind::kCancel || m.order_id == kNoOrder ||
      m.instrument >= instruments_) {
    return;
  }
  if (m.order_id < first_order_id_ || m.order_id - first_order_id_ >= next_.size()) {
    throw std::logic_error("self-trade index: order id " + std::to_string(m.order_id) +
                           " outside the session's range");
  }
  const auto slot = static_cast<uint32_t>(m.order_id - first_order_id_);
  // An order listed twice would make its lane a loop.
  if (next_[slot] != kFree) {
    throw std::logic_error("self-trade index: order id " + std::to_string(m.order_id) +
                           " sent twice");
  }
  if (m.account >= group_of_.size()) group_of_.resize(m.account + size_t{1}, kNoGroup);
  if (group_of_[m.account] == kNoGroup) group_of_[m.account] = add_group();
  const size_t lane = lane_of(group_of_[m.account], m.instrument, m.side);
  next_[slot] = heads_[lane];
  heads_[lane] = slot;
}

void SelfTradeCheck::on_interval(const RiskView& view) {
  // Checks unlink finished orders from the lanes they read. A lane no check reads is pruned
  // here, a few thousand lanes at a time in turn, so that the first check to read it after a
  // long while does not walk everything that finished there meanwhile.
  size_t orders = 0;
  for (size_t lanes = 0; lanes < std::min(kSweepLanes, heads_.size()) && orders < kSweepOrders;
       ++lanes) {
    if (heads_[sweep_lane_] != kEnd) {
      orders += walk(sweep_lane_, view.orders, [](const Order&, Standing) {});
    }
    sweep_lane_ = sweep_lane_ + 1 == heads_.size() ? 0 : sweep_lane_ + 1;
  }
}

}  // namespace guiju
