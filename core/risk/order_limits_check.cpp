#include "core/risk/order_limits_check.hpp"

#include <algorithm>

#include "core/data/book.hpp"
#include "core/model/instrument.hpp"
#include "core/oms/order_manager.hpp"
#include "core/portfolio/portfolio.hpp"

namespace guiju {

namespace {

// The duplicate guard's table: direct-mapped by a hash of the order's terms, so a lookup is one
// slot. Two different recent orders that land in one slot keep only the later: a duplicate of
// the earlier can then pass (never the other way round: a refusal needs the same terms).
constexpr size_t kRecentSlots = 4096;

size_t slot_of(AccountId account, InstrumentId instrument, Side side, Price price,
               Quantity quantity) {
  // Every input bit must reach the slot: mix the packed terms with odd multipliers and take the
  // top bits of the product (a multiplicative hash), not the low bits of a XOR.
  uint64_t h = (static_cast<uint64_t>(account) << 33) ^ (static_cast<uint64_t>(instrument) << 1) ^
               static_cast<uint64_t>(side);
  h = (h ^ static_cast<uint64_t>(price.raw())) * 0x9e3779b97f4a7c15ULL;
  h = (h ^ static_cast<uint64_t>(quantity.raw())) * 0xc2b2ae3d27d4eb4fULL;
  return static_cast<size_t>(h >> (64 - 12));  // 4,096 slots
}

int64_t clamp64(int128 v) {
  return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : static_cast<int64_t>(v);
}

// The price an order is valued at: its limit, or for a market order the far touch (else the
// previous close).
Price valuation(InstrumentId instrument, Side side, OrderType type, Price price,
                const RiskView& view) {
  if (type != OrderType::kMarket) return price;
  const Book& book = view.books[instrument];
  const PriceLevel& far = side == Side::kBuy ? book.best_ask() : book.best_bid();
  return far.size.is_positive() ? far.price : view.instruments.get(instrument).previous_close;
}

}  // namespace

OrderLimitsCheck::OrderLimitsCheck(const RiskLimits& limits, CollarReference collar_reference)
    : limits_(limits), collar_reference_(collar_reference), recent_(kRecentSlots) {}

RiskDecision OrderLimitsCheck::check_collar(const Terms& t, const RiskView& view) const {
  const LimitValues& by_instrument = limits_.instrument(t.instrument);
  const LimitValues& by_account = limits_.account(t.account);
  constexpr auto kPercent = static_cast<size_t>(LimitKey::kPriceCollarPercent);
  constexpr auto kTicks = static_cast<size_t>(LimitKey::kPriceCollarTicks);
  const bool own = by_instrument[kPercent] != 0 || by_instrument[kTicks] != 0;
  const int64_t basis_points = own ? by_instrument[kPercent] : by_account[kPercent];
  const int64_t ticks = own ? by_instrument[kTicks] : by_account[kTicks];
  if (basis_points == 0 && ticks == 0) return RiskDecision::accept();
  const Book& book = view.books[t.instrument];
  const Price last = book.last_trade().price;
  const Price mid = book.mid();
  Price reference = collar_reference_ == CollarReference::kMid ? (mid.is_positive() ? mid : last)
                                                               : (last.is_positive() ? last : mid);
  const Instrument& i = view.instruments.get(t.instrument);
  if (!reference.is_positive()) reference = i.previous_close;
  if (!reference.is_positive()) return RiskDecision::accept();
  const int64_t by_percent = reference.raw() / 10'000 * basis_points;
  const int64_t by_ticks = i.tick_size.raw() * ticks;
  const int64_t width = std::max(by_percent, by_ticks);
  if (t.side == Side::kBuy && t.price.raw() > reference.raw() + width) {
    return {RejectCode::kRiskRejected, "price collar: buy too far above the reference",
            reference.raw() + width, t.price.raw(), RiskCheckId::kPriceCollar};
  }
  if (t.side == Side::kSell && t.price.raw() < reference.raw() - width) {
    return {RejectCode::kRiskRejected, "price collar: sell too far below the reference",
            reference.raw() - width, t.price.raw(), RiskCheckId::kPriceCollar};
  }
  return RiskDecision::accept();
}

RiskDecision OrderLimitsCheck::check_positions(const Terms& t, const RiskView& view) const {
  // Positions as if every working order on the order's side filled (the one being replaced
  // gives its own working quantity back).
  const int64_t max_long =
      limits_.tightest(t.account, kNoStrategy, t.instrument, LimitKey::kMaxLongPosition);
  const int64_t max_short =
      limits_.tightest(t.account, kNoStrategy, t.instrument, LimitKey::kMaxShortPosition);
  const LimitValues& by_strategy = limits_.strategy(t.strategy);
  const int64_t strategy_long = by_strategy[static_cast<size_t>(LimitKey::kMaxLongPosition)];
  const int64_t strategy_short = by_strategy[static_cast<size_t>(LimitKey::kMaxShortPosition)];
  const int64_t limit_long = t.side == Side::kBuy ? max_long : 0;
  const int64_t limit_short = t.side == Side::kSell ? max_short : 0;
  // The worst case position on the order's side: held + working + this order (long), or the
  // negative of held - working - this order (short).
  auto worst = [&](Quantity held, Quantity working) {
    if (t.replacing != nullptr) working -= t.replacing->counted_leaves;
    return t.side == Side::kBuy ? held + working + t.added
                                : Quantity::zero() - (held - working - t.added);
  };
  const char* long_reason = "max long position";
  const char* short_reason = "max short position";
  if (limit_long != 0 || limit_short != 0) {
    const Quantity w = worst(view.portfolio.account_quantity(t.account, t.instrument),
                             view.orders.working_quantity(t.account, t.instrument, t.side));
    const int64_t limit = limit_long != 0 ? limit_long : limit_short;
    if (w.raw() > limit) {
      return {RejectCode::kRiskRejected, limit_long != 0 ? long_reason : short_reason, limit,
              w.raw(),
              limit_long != 0 ? RiskCheckId::kMaxLongPosition : RiskCheckId::kMaxShortPosition};
    }
  }
  const int64_t strategy_limit = t.side == Side::kBuy ? strategy_long : strategy_short;
  if (strategy_limit != 0) {
    const Position* p = view.portfolio.find(t.account, t.strategy, t.instrument);
    const Quantity w =
        worst(p != nullptr ? p->quantity : Quantity::zero(),
              view.orders.working_quantity_of_strategy(t.strategy, t.instrument, t.side));
    if (w.raw() > strategy_limit) {
      return {
          RejectCode::kRiskRejected,
          t.side == Side::kBuy ? "max long position of the strategy"
                               : "max short position of the strategy",
          strategy_limit, w.raw(),
          t.side == Side::kBuy ? RiskCheckId::kMaxLongPosition : RiskCheckId::kMaxShortPosition};
    }
  }
  return RiskDecision::accept();
}

RiskDecision OrderLimitsCheck::check_exposure(const Terms& t, Price value_price,
                                              const RiskView& view) const {
  const LimitValues& by_account = limits_.account(t.account);
  const int64_t max_gross = by_account[static_cast<size_t>(LimitKey::kMaxGrossExposure)];
  const int64_t max_net = by_account[static_cast<size_t>(LimitKey::kMaxNetExposure)];
  if (max_gross == 0 && max_net == 0) return RiskDecision::accept();
  // Worst case: the order fills and adds to what is held.
  const Money added = Money::notional(value_price, t.added);
  const Money gross = view.portfolio.gross_exposure(t.account) + added;
  const Money net = view.portfolio.net_exposure(t.account) +
                    (t.side == Side::kBuy ? added : Money::zero() - added);
  if (max_gross != 0 && gross.raw() > max_gross) {
    return {RejectCode::kRiskRejected, "max gross exposure", max_gross, clamp64(gross.raw()),
            RiskCheckId::kMaxGrossExposure};
  }
  const Money net_abs = net.is_negative() ? Money::zero() - net : net;
  if (max_net != 0 && net_abs.raw() > max_net) {
    return {RejectCode::kRiskRejected, "max net exposure", max_net, clamp64(net_abs.raw()),
            RiskCheckId::kMaxNetExposure};
  }
  return RiskDecision::accept();
}

RiskDecision OrderLimitsCheck::check(const Terms& t, const RiskView& view) const {
  const LimitValues& by_account = limits_.account(t.account);
  if (limits_.instrument(t.instrument)[static_cast<size_t>(LimitKey::kRestricted)] != 0) {
    return {RejectCode::kRiskRejected, "restricted instrument", 0,
            static_cast<int64_t>(t.instrument), RiskCheckId::kRestricted};
  }
  const int64_t stale_after =
      limits_.tightest(t.account, kNoStrategy, t.instrument, LimitKey::kStaleQuote);
  if (stale_after != 0) {
    const Timestamp updated = view.books[t.instrument].updated();
    const Duration age = updated == 0 ? view.now : view.now - updated;
    if (updated == 0 || age > stale_after) {
      return {RejectCode::kRiskRejected, "stale market data", stale_after, age,
              RiskCheckId::kStaleData};
    }
  }
  const Price value_price = valuation(t.instrument, t.side, t.type, t.price, view);
  if (t.type != OrderType::kMarket) {
    if (RiskDecision d = check_collar(t, view); !d.accepted()) return d;
  }
  const bool is_new = t.replacing == nullptr;
  const int64_t window = by_account[static_cast<size_t>(LimitKey::kDuplicateWindow)];
  if (is_new && window != 0) {
    const Recent& r = recent_[slot_of(t.account, t.instrument, t.side, t.price, t.quantity)];
    if (r.time != 0 && view.now - r.time <= window && r.account == t.account &&
        r.instrument == t.instrument && r.side == t.side && r.price == t.price &&
        r.quantity == t.quantity) {
      return {RejectCode::kRiskRejected, "duplicate order", window, view.now - r.time,
              RiskCheckId::kDuplicateOrder};
    }
  }
  if (is_new) {
    const int64_t max_open = by_account[static_cast<size_t>(LimitKey::kMaxOpenOrders)];
    if (max_open != 0) {
      const int64_t open = view.orders.open_count_of_account(t.account) + 1;
      if (open > max_open) {
        return {RejectCode::kRiskRejected, "max open orders", max_open, open,
                RiskCheckId::kMaxOpenOrders};
      }
    }
    const int64_t strategy_max_open =
        limits_.strategy(t.strategy)[static_cast<size_t>(LimitKey::kMaxOpenOrders)];
    if (strategy_max_open != 0) {
      const int64_t open = view.orders.open_count_of_strategy(t.strategy) + 1;
      if (open > strategy_max_open) {
        return {RejectCode::kRiskRejected, "max open orders of the strategy", strategy_max_open,
                open, RiskCheckId::kMaxOpenOrders};
      }
    }
  }
  if (RiskDecision d = check_positions(t, view); !d.accepted()) return d;
  return check_exposure(t, value_price, view);
}

RiskDecision OrderLimitsCheck::check_new(const NewOrder& order, const RiskView& view) {
  return check({order.account, order.strategy, order.instrument, order.side, order.type,
                order.price, order.quantity, order.quantity, nullptr},
               view);
}

RiskDecision OrderLimitsCheck::check_replace(const ReplaceOrder& request, const Order& current,
                                             const RiskView& view) {
  // The replacement's working quantity takes the place of the current order's.
  const Quantity working = request.new_quantity > current.filled
                               ? request.new_quantity - current.filled
                               : Quantity::zero();
  return check({current.account, current.strategy, current.instrument, current.side, current.type,
                request.new_price, request.new_quantity, working, &current},
               view);
}

void OrderLimitsCheck::on_sent(const SentMessage& m) {
  if (m.kind != SentMessage::Kind::kNew) return;
  recent_[slot_of(m.account, m.instrument, m.side, m.price, m.quantity)] = {
      m.time, m.price, m.quantity, m.instrument, m.account, m.side};
}

}  // namespace guiju
