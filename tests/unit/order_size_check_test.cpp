// OrderSizeCheck (core/risk/order_size_limits.hpp): per-order maximum quantity and maximum value.
// At the limit an order passes and one raw step past it is refused; market orders are valued at
// the far touch or, with that side empty, the previous close; zero limits mean no limit; replaces
// are checked on their new terms; a refusal carries the limit and the observed value.

#include "core/risk/order_size_limits.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <ostream>
#include <string_view>
#include <vector>

#include "core/data/book.hpp"
#include "core/model/instrument.hpp"
#include "core/oms/order_manager.hpp"
#include "core/portfolio/portfolio.hpp"

namespace guiju {
namespace {

Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}
Price Px(std::string_view text) {
  return *Price::parse(text);
}
Money Cash(std::string_view text) {
  return *Money::parse(text);
}

class OrderSizeCheckTest : public ::testing::Test {
 protected:
  OrderSizeCheckTest() {
    Instrument i;
    i.symbol = "600000";
    i.venue = "SSE";
    i.tick_size = Px("0.01");
    i.lot_size = Qty(100);
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = Px("9.50");
    instrument_ = registry_.add(i);
    books_.resize(registry_.size());
  }

  RiskView View() const { return {registry_, books_.data(), portfolio_, oms_, 0, nullptr}; }

  void SetTouch(std::string_view bid, int64_t bid_size, std::string_view ask, int64_t ask_size) {
    Quote q;
    q.instrument = instrument_;
    q.bid_price = Px(bid);
    q.bid_size = Qty(bid_size);
    q.ask_price = Px(ask);
    q.ask_size = Qty(ask_size);
    books_[instrument_].apply(q);
  }

  NewOrder Limit(Side side, std::string_view price, Quantity qty) const {
    NewOrder n;
    n.order_id = 1;
    n.instrument = instrument_;
    n.side = side;
    n.type = OrderType::kLimit;
    n.price = Px(price);
    n.quantity = qty;
    return n;
  }
  NewOrder Market(Side side, Quantity qty) const {
    NewOrder n = Limit(side, "0", qty);
    n.type = OrderType::kMarket;
    return n;
  }

  // Every account's limits (0: none), kept for the life of the test.
  const RiskLimits& Limits(Quantity max_quantity, Money max_value) {
    RiskLimits& l = limits_.emplace_back(1, registry_.size());
    l.set_every_account(LimitKey::kMaxOrderQuantity, max_quantity.raw());
    l.set_every_account(LimitKey::kMaxOrderValue, static_cast<int64_t>(max_value.raw()));
    return l;
  }

  std::deque<RiskLimits> limits_;
  InstrumentRegistry registry_;
  InstrumentId instrument_ = kNoInstrument;
  std::vector<Book> books_;
  Portfolio portfolio_{1};
  OrderManager oms_{1, 4};
};

TEST_F(OrderSizeCheckTest, QuantityAtTheLimitPassesAndOneRawStepPastIsRefused) {
  OrderSizeCheck check(Limits(Qty(1000), Money::zero()));
  EXPECT_TRUE(check.check_new(Limit(Side::kBuy, "10", Qty(1000)), View()).accepted());

  const Quantity over = Quantity::from_raw(Qty(1000).raw() + 1);
  const RiskDecision d = check.check_new(Limit(Side::kBuy, "10", over), View());
  EXPECT_FALSE(d.accepted());
  EXPECT_EQ(d.code, RejectCode::kRiskRejected);
  EXPECT_EQ(d.reason, "max order quantity");
  EXPECT_EQ(d.limit, Qty(1000).raw());
  EXPECT_EQ(d.observed, over.raw());
}

TEST_F(OrderSizeCheckTest, QuantityLimitAppliesToSellsAndMarketOrdersToo) {
  OrderSizeCheck check(Limits(Qty(1000), Money::zero()));
  EXPECT_FALSE(check.check_new(Limit(Side::kSell, "10", Qty(1100)), View()).accepted());
  EXPECT_FALSE(check.check_new(Market(Side::kBuy, Qty(1100)), View()).accepted());
}

TEST_F(OrderSizeCheckTest, ValueAtTheLimitPassesAndOneStepPastIsRefused) {
  OrderSizeCheck check(Limits(Quantity::zero(), Cash("100000")));
  EXPECT_TRUE(check.check_new(Limit(Side::kBuy, "100", Qty(1000)), View()).accepted());

  const RiskDecision tick = check.check_new(Limit(Side::kBuy, "100.01", Qty(1000)), View());
  EXPECT_FALSE(tick.accepted());
  EXPECT_EQ(tick.code, RejectCode::kRiskRejected);
  EXPECT_EQ(tick.reason, "max order value");
  EXPECT_EQ(tick.limit, static_cast<int64_t>(Cash("100000").raw()));
  EXPECT_EQ(tick.observed, static_cast<int64_t>(Cash("100010").raw()));

  // The smallest representable price step past the limit is refused too.
  NewOrder raw_step = Limit(Side::kBuy, "100", Qty(1000));
  raw_step.price = Price::from_raw(raw_step.price.raw() + 1);
  const RiskDecision d = check.check_new(raw_step, View());
  EXPECT_FALSE(d.accepted());
  EXPECT_EQ(d.observed, static_cast<int64_t>(Cash("100000.00001").raw()));
}

TEST_F(OrderSizeCheckTest, MarketBuyIsValuedAtTheBestAsk) {
  SetTouch("11.98", 500, "12.00", 500);
  OrderSizeCheck check(Limits(Quantity::zero(), Cash("11000")));
  const RiskDecision d = check.check_new(Market(Side::kBuy, Qty(1000)), View());
  EXPECT_FALSE(d.accepted());
  EXPECT_EQ(d.observed, static_cast<int64_t>(Cash("12000").raw()));

  OrderSizeCheck roomy(Limits(Quantity::zero(), Cash("12000")));
  EXPECT_TRUE(roomy.check_new(Market(Side::kBuy, Qty(1000)), View()).accepted());
}

TEST_F(OrderSizeCheckTest, MarketSellIsValuedAtTheBestBid) {
  SetTouch("11.00", 500, "12.00", 500);
  OrderSizeCheck check(Limits(Quantity::zero(), Cash("11000")));
  EXPECT_TRUE(check.check_new(Market(Side::kSell, Qty(1000)), View()).accepted());
  const RiskDecision d = check.check_new(Market(Side::kSell, Qty(1001)), View());
  EXPECT_FALSE(d.accepted());
  EXPECT_EQ(d.observed, static_cast<int64_t>(Cash("11011").raw()));
}

TEST_F(OrderSizeCheckTest, MarketOrderIsValuedAtThePreviousCloseWhenTheFarSideIsEmpty) {
  SetTouch("11.00", 500, "0", 0);  // no offers
  OrderSizeCheck check(Limits(Quantity::zero(), Cash("9000")));
  const RiskDecision d = check.check_new(Market(Side::kBuy, Qty(1000)), View());
  EXPECT_FALSE(d.accepted());
  EXPECT_EQ(d.observed, static_cast<int64_t>(Cash("9500").raw()));  // 1000 x 9.50

  OrderSizeCheck roomy(Limits(Quantity::zero(), Cash("9500")));
  EXPECT_TRUE(roomy.check_new(Market(Side::kBuy, Qty(1000)), View()).accepted());
}

TEST_F(OrderSizeCheckTest, MarketOrderBeforeAnyQuoteIsValuedAtThePreviousClose) {
  OrderSizeCheck check(Limits(Quantity::zero(), Cash("9499")));
  const RiskDecision d = check.check_new(Market(Side::kSell, Qty(1000)), View());
  EXPECT_FALSE(d.accepted());
  EXPECT_EQ(d.observed, static_cast<int64_t>(Cash("9500").raw()));
}

TEST_F(OrderSizeCheckTest, ZeroLimitsMeanNoLimit) {
  OrderSizeCheck check(Limits(Quantity::zero(), Money::zero()));
  EXPECT_TRUE(check.check_new(Limit(Side::kBuy, "99999", Qty(90'000'000)), View()).accepted());
  EXPECT_TRUE(check.check_new(Market(Side::kBuy, Qty(90'000'000)), View()).accepted());
}

TEST_F(OrderSizeCheckTest, QuantityIsCheckedBeforeValue) {
  OrderSizeCheck check(Limits(Qty(100), Cash("1")));
  const RiskDecision d = check.check_new(Limit(Side::kBuy, "10", Qty(200)), View());
  EXPECT_EQ(d.reason, "max order quantity");
}

TEST_F(OrderSizeCheckTest, ReplaceIsCheckedOnItsNewTerms) {
  OrderSizeCheck check(Limits(Qty(1000), Cash("20000")));
  Order current;
  current.id = 1;
  current.instrument = instrument_;
  current.side = Side::kBuy;
  current.type = OrderType::kLimit;
  current.price = Px("10");
  current.quantity = Qty(100);

  ReplaceOrder r;
  r.order_id = 1;
  r.new_order_id = 2;
  r.instrument = instrument_;
  r.new_price = Px("10");
  r.new_quantity = Qty(1000);
  EXPECT_TRUE(check.check_replace(r, current, View()).accepted());

  r.new_quantity = Qty(1001);
  const RiskDecision qty = check.check_replace(r, current, View());
  EXPECT_EQ(qty.reason, "max order quantity");
  EXPECT_EQ(qty.observed, Qty(1001).raw());

  r.new_quantity = Qty(1000);
  r.new_price = Px("20.01");
  const RiskDecision value = check.check_replace(r, current, View());
  EXPECT_EQ(value.reason, "max order value");
  EXPECT_EQ(value.observed, static_cast<int64_t>(Cash("20010").raw()));
}

TEST_F(OrderSizeCheckTest, ReplaceOfAMarketOrderIsValuedAtTheFarTouch) {
  SetTouch("11.00", 500, "12.00", 500);
  OrderSizeCheck check(Limits(Quantity::zero(), Cash("11999")));
  Order current;
  current.instrument = instrument_;
  current.side = Side::kBuy;
  current.type = OrderType::kMarket;
  ReplaceOrder r;
  r.instrument = instrument_;
  r.new_price = Px("0.01");  // ignored for a market order
  r.new_quantity = Qty(1000);
  const RiskDecision d = check.check_replace(r, current, View());
  EXPECT_FALSE(d.accepted());
  EXPECT_EQ(d.observed, static_cast<int64_t>(Cash("12000").raw()));
}

TEST_F(OrderSizeCheckTest, WorksThroughThePreTradeCheckInterface) {
  OrderSizeCheck concrete(Limits(Qty(10), Money::zero()));
  PreTradeCheck& check = concrete;
  EXPECT_FALSE(check.check_new(Limit(Side::kBuy, "10", Qty(11)), View()).accepted());
  EXPECT_TRUE(check.check_new(Limit(Side::kBuy, "10", Qty(10)), View()).accepted());
  EXPECT_TRUE(RiskDecision::accept().accepted());
  EXPECT_EQ(RiskDecision::accept().code, RejectCode::kNone);
}

}  // namespace
}  // namespace guiju

namespace guiju {
namespace {

// The tightest of the account's, the strategy's and the instrument's limits applies.
TEST_F(OrderSizeCheckTest, TheTightestOfAccountStrategyAndInstrumentApplies) {
  RiskLimits& l = limits_.emplace_back(1, registry_.size());
  l.set(LimitScope::kAccount, 0, LimitKey::kMaxOrderQuantity, Qty(1000).raw());
  OrderSizeCheck check(l);
  NewOrder n = Limit(Side::kBuy, "10", Qty(800));
  n.strategy = 3;
  EXPECT_TRUE(check.check_new(n, View()).accepted());
  l.set(LimitScope::kInstrument, instrument_, LimitKey::kMaxOrderQuantity, Qty(900).raw());
  EXPECT_TRUE(check.check_new(n, View()).accepted());
  l.set(LimitScope::kStrategy, 3, LimitKey::kMaxOrderQuantity, Qty(700).raw());
  const RiskDecision d = check.check_new(n, View());
  EXPECT_EQ(d.check, RiskCheckId::kMaxOrderQuantity);
  EXPECT_EQ(d.limit, Qty(700).raw());
  n.strategy = 4;  // another strategy: the instrument's 900 is the tightest
  EXPECT_TRUE(check.check_new(n, View()).accepted());
  n.quantity = Qty(901);
  EXPECT_EQ(check.check_new(n, View()).limit, Qty(900).raw());
}

}  // namespace
}  // namespace guiju
