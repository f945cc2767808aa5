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
  uint64_t h = (static_cast<uint64_t>(account) << 40) ^ (static_cast<uint64_t>(instrument) << 8) ^
               static_cast<uint64_t>(side);
  h ^= static_cast<uint64_t>(price.raw()) * 0x9e3779b97f4a7c15ULL;
  h ^= static_cast<uint64_t>(quantity.raw()) * 0xc2b2ae3d27d4eb4fULL;
  h ^= h >> 29;
  return static_cast<size_t>(h & (kRecentSlots - 1));
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

OrderLimitsCheck::OrderLimitsCheck(OrderLimits limits, size_t instruments)
    : limits_(std::move(limits)), restricted_(instruments, false) {
  for (InstrumentId id : limits_.restricted) {
    if (id < restricted_.size()) restricted_[id] = true;
  }
  if (limits_.duplicate_window > 0) recent_.resize(kRecentSlots);
}

RiskDecision OrderLimitsCheck::check_collar(InstrumentId instrument, Side side, Price price,
                                            const RiskView& view) const {
  if (limits_.collar_basis_points == 0 && limits_.collar_ticks == 0) return RiskDecision::accept();
  const Book& book = view.books[instrument];
  const Price last = book.last_trade().price;
  const Price mid = book.mid();
  Price reference = limits_.collar_reference == CollarReference::kMid
                        ? (mid.is_positive() ? mid : last)
                        : (last.is_positive() ? last : mid);
  const Instrument& i = view.instruments.get(instrument);
  if (!reference.is_positive()) reference = i.previous_close;
  if (!reference.is_positive()) return RiskDecision::accept();
  const int64_t by_percent = reference.raw() / 10'000 * limits_.collar_basis_points;
  const int64_t by_ticks = i.tick_size.raw() * limits_.collar_ticks;
  const int64_t width = std::max(by_percent, by_ticks);
  if (side == Side::kBuy && price.raw() > reference.raw() + width) {
    return {RejectCode::kRiskRejected, "price collar: buy too far above the reference",
            reference.raw() + width, price.raw(), RiskCheckId::kPriceCollar};
  }
  if (side == Side::kSell && price.raw() < reference.raw() - width) {
    return {RejectCode::kRiskRejected, "price collar: sell too far below the reference",
            reference.raw() - width, price.raw(), RiskCheckId::kPriceCollar};
  }
  return RiskDecision::accept();
}

RiskDecision OrderLimitsCheck::check_exposure(AccountId account, Side side, Price price,
                                              Quantity quantity, const RiskView& view) const {
  if (limits_.max_gross_exposure.is_zero() && limits_.max_net_exposure.is_zero()) {
    return RiskDecision::accept();
  }
  // Worst case: the order fills and adds to what is held.
  const Money added = Money::notional(price, quantity);
  const Money gross = view.portfolio.gross_exposure(account) + added;
  const Money net =
      view.portfolio.net_exposure(account) + (side == Side::kBuy ? added : Money::zero() - added);
  if (!limits_.max_gross_exposure.is_zero() && gross > limits_.max_gross_exposure) {
    return {RejectCode::kRiskRejected, "max gross exposure",
            clamp64(limits_.max_gross_exposure.raw()), clamp64(gross.raw()),
            RiskCheckId::kMaxGrossExposure};
  }
  const Money net_abs = net.is_negative() ? Money::zero() - net : net;
  if (!limits_.max_net_exposure.is_zero() && net_abs > limits_.max_net_exposure) {
    return {RejectCode::kRiskRejected, "max net exposure", clamp64(limits_.max_net_exposure.raw()),
            clamp64(net_abs.raw()), RiskCheckId::kMaxNetExposure};
  }
  return RiskDecision::accept();
}

RiskDecision OrderLimitsCheck::check(AccountId account, InstrumentId instrument, Side side,
                                     OrderType type, Price price, Quantity quantity,
                                     Quantity added_quantity, OrderId replacing, bool is_new,
                                     const RiskView& view) const {
  if (instrument < restricted_.size() && restricted_[instrument]) {
    return {RejectCode::kRiskRejected, "restricted instrument", 0, static_cast<int64_t>(instrument),
            RiskCheckId::kRestricted};
  }
  if (limits_.stale_after > 0) {
    const Timestamp updated = view.books[instrument].updated();
    const Duration age = updated == 0 ? view.now : view.now - updated;
    if (updated == 0 || age > limits_.stale_after) {
      return {RejectCode::kRiskRejected, "stale market data", limits_.stale_after, age,
              RiskCheckId::kStaleData};
    }
  }
  const Price value_price = valuation(instrument, side, type, price, view);
  if (type != OrderType::kMarket) {
    if (RiskDecision d = check_collar(instrument, side, price, view); !d.accepted()) return d;
  }
  if (is_new && limits_.duplicate_window > 0) {
    const Recent& r = recent_[slot_of(account, instrument, side, price, quantity)];
    if (r.time != 0 && view.now - r.time <= limits_.duplicate_window && r.account == account &&
        r.instrument == instrument && r.side == side && r.price == price &&
        r.quantity == quantity) {
      return {RejectCode::kRiskRejected, "duplicate order", limits_.duplicate_window,
              view.now - r.time, RiskCheckId::kDuplicateOrder};
    }
  }
  if (is_new && limits_.max_open_orders != 0) {
    const uint32_t open = view.orders.open_count_of_account(account);
    if (open + 1 > limits_.max_open_orders) {
      return {RejectCode::kRiskRejected, "max open orders", limits_.max_open_orders, open + 1,
              RiskCheckId::kMaxOpenOrders};
    }
  }
  // Positions as if every working order on the order's side filled (the one being replaced
  // gives its own working quantity back).
  if (limits_.max_long_position.is_positive() || limits_.max_short_position.is_positive()) {
    Quantity working = view.orders.working_quantity(account, instrument, side);
    if (replacing != kNoOrder) {
      if (const Order* o = view.orders.find(replacing)) working -= o->counted_leaves;
    }
    const Quantity held = view.portfolio.account_quantity(account, instrument);
    if (side == Side::kBuy && limits_.max_long_position.is_positive()) {
      const Quantity worst = held + working + added_quantity;
      if (worst > limits_.max_long_position) {
        return {RejectCode::kRiskRejected, "max long position", limits_.max_long_position.raw(),
                worst.raw(), RiskCheckId::kMaxLongPosition};
      }
    }
    if (side == Side::kSell && limits_.max_short_position.is_positive()) {
      const Quantity worst = Quantity::zero() - (held - working - added_quantity);
      if (worst > limits_.max_short_position) {
        return {RejectCode::kRiskRejected, "max short position", limits_.max_short_position.raw(),
                worst.raw(), RiskCheckId::kMaxShortPosition};
      }
    }
  }
  return check_exposure(account, side, value_price, added_quantity, view);
}

RiskDecision OrderLimitsCheck::check_new(const NewOrder& order, const RiskView& view) {
  return check(order.account, order.instrument, order.side, order.type, order.price, order.quantity,
               order.quantity, kNoOrder, true, view);
}

RiskDecision OrderLimitsCheck::check_replace(const ReplaceOrder& request, const Order& current,
                                             const RiskView& view) {
  // The replacement's working quantity takes the place of the current order's.
  const Quantity working = request.new_quantity > current.filled
                               ? request.new_quantity - current.filled
                               : Quantity::zero();
  return check(current.account, current.instrument, current.side, current.type, request.new_price,
               request.new_quantity, working, current.id, false, view);
}

void OrderLimitsCheck::on_sent(const SentMessage& m) {
  if (recent_.empty() || m.kind != SentMessage::Kind::kNew) return;
  recent_[slot_of(m.account, m.instrument, m.side, m.price, m.quantity)] = {
      m.time, m.account, m.instrument, m.side, m.price, m.quantity};
}

}  // namespace guiju
