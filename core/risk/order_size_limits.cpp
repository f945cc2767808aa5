#include "core/risk/order_size_limits.hpp"

#include "core/data/book.hpp"
#include "core/model/instrument.hpp"
#include "core/oms/order.hpp"

namespace guiju {

namespace {

int64_t clamp_to_int64(int128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(v);
}

}  // namespace

RiskDecision OrderSizeCheck::check(AccountId account, StrategyId strategy, Side side,
                                   InstrumentId instrument, OrderType type, Price price,
                                   Quantity quantity, const RiskView& view) const {
  const int64_t max_quantity =
      limits_.tightest(account, strategy, instrument, LimitKey::kMaxOrderQuantity);
  if (max_quantity != 0 && quantity.raw() > max_quantity) {
    return {RejectCode::kRiskRejected, "max order quantity", max_quantity, quantity.raw(),
            RiskCheckId::kMaxOrderQuantity};
  }
  const int64_t max_value =
      limits_.tightest(account, strategy, instrument, LimitKey::kMaxOrderValue);
  if (max_value != 0) {
    Price valuation = price;
    if (type == OrderType::kMarket) {
      // A market order can trade anywhere up to the far side; value it there, or at the previous
      // close when that side is empty.
      const Book& book = view.books[instrument];
      const PriceLevel& far = side == Side::kBuy ? book.best_ask() : book.best_bid();
      valuation =
          far.size.is_positive() ? far.price : view.instruments.get(instrument).previous_close;
    }
    // notional = round(price x quantity / 10^8), half away from zero; for the non-negative values
    // here, round(p / 10^8) > L exactly when p >= L x 10^8 + 10^8 / 2. Comparing the product keeps
    // the 128-bit division (a libgcc call) off the path of an accepted order.
    const int128 product = static_cast<int128>(valuation.raw()) * quantity.raw();
    const int128 first_refused =
        static_cast<int128>(max_value) * Quantity::kScale + Quantity::kScale / 2;
    if (product >= first_refused) {
      const Money value = Money::notional(valuation, quantity);
      return {RejectCode::kRiskRejected, "max order value", max_value, clamp_to_int64(value.raw()),
              RiskCheckId::kMaxOrderValue};
    }
  }
  return RiskDecision::accept();
}

RiskDecision OrderSizeCheck::check_new(const NewOrder& order, const RiskView& view) {
  return check(order.account, order.strategy, order.side, order.instrument, order.type, order.price,
               order.quantity, view);
}

RiskDecision OrderSizeCheck::check_replace(const ReplaceOrder& request, const Order& current,
                                           const RiskView& view) {
  return check(current.account, current.strategy, current.side, current.instrument, current.type,
               request.new_price, request.new_quantity, view);
}

}  // namespace guiju
