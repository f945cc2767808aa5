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

RiskDecision OrderSizeCheck::check(Side side, InstrumentId instrument, OrderType type, Price price,
                                   Quantity quantity, const RiskView& view) const {
  if (limits_.max_order_quantity.is_positive() && quantity > limits_.max_order_quantity) {
    return {RejectCode::kRiskRejected, "max order quantity", limits_.max_order_quantity.raw(),
            quantity.raw(), RiskCheckId::kMaxOrderQuantity};
  }
  if (!limits_.max_order_value.is_zero()) {
    Price valuation = price;
    if (type == OrderType::kMarket) {
      // A market order can trade anywhere up to the far side; value it there, or at the previous
      // close when that side is empty.
      const Book& book = view.books[instrument];
      const PriceLevel& far = side == Side::kBuy ? book.best_ask() : book.best_bid();
      valuation =
          far.size.is_positive() ? far.price : view.instruments.get(instrument).previous_close;
    }
    const Money value = Money::notional(valuation, quantity);
    if (value > limits_.max_order_value) {
      return {RejectCode::kRiskRejected, "max order value",
              clamp_to_int64(limits_.max_order_value.raw()), clamp_to_int64(value.raw()),
              RiskCheckId::kMaxOrderValue};
    }
  }
  return RiskDecision::accept();
}

RiskDecision OrderSizeCheck::check_new(const NewOrder& order, const RiskView& view) {
  return check(order.side, order.instrument, order.type, order.price, order.quantity, view);
}

RiskDecision OrderSizeCheck::check_replace(const ReplaceOrder& request, const Order& current,
                                           const RiskView& view) {
  return check(current.side, current.instrument, current.type, request.new_price,
               request.new_quantity, view);
}

}  // namespace guiju
