// The per-account order limits, one case per limit: accepted exactly at the limit, refused one
// step past it, with the check's name, the limit and the observed value.

#include "core/risk/order_limits_check.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "tests/support/risk_state.hpp"

namespace guiju {
namespace {

Price Px(const char* s) {
  return *Price::parse(s);
}
Quantity Qty(int64_t n) {
  return Quantity::from_units(n);
}

constexpr Timestamp kNow = 1'000 * kSecond;

class OrderLimitsTest : public ::testing::Test, public test::RiskState {
 public:
  OrderLimitsTest() : RiskState({"10.00", "20.00"}) {
    Quote(0, "10.00", "10.02", kNow - 100 * kMillisecond);
    Trade t;
    t.instrument = 0;
    t.price = Px("10.00");
    t.size = Qty(100);
    books[0].apply(t);
    portfolio.set_mark(0, Px("10.00"));
    portfolio.set_mark(1, Px("20.00"));
  }
  RiskView View() const { return RiskState::View(kNow); }
};

struct LimitCase {
  const char* name;
  std::function<void(OrderLimits&)> set;
  std::function<void(OrderLimitsTest&)> before;  // working orders, positions
  NewOrder at_limit;
  NewOrder past_limit;
  const char* reason;
  int64_t limit;
  int64_t observed;
};

class OrderLimitsCases : public OrderLimitsTest, public ::testing::WithParamInterface<int> {};

std::vector<LimitCase> Cases() {
  auto order = [](Side s, const char* p, int64_t q) {
    NewOrder n;
    n.instrument = 0;
    n.side = s;
    n.price = *Price::parse(p);
    n.quantity = Quantity::from_units(q);
    return n;
  };
  return {
      // Collar 5% (0.50) against the last trade 10.00: buys up to 10.50, sells down to 9.50.
      {"CollarBuy", [](OrderLimits& l) { l.collar_basis_points = 500; }, nullptr,
       order(Side::kBuy, "10.50", 100), order(Side::kBuy, "10.51", 100),
       "price collar: buy too far above the reference", Px("10.50").raw(), Px("10.51").raw()},
      {"CollarSellByTicks",
       [](OrderLimits& l) {
         l.collar_basis_points = 100;  // 0.10, less than 20 ticks (0.20): the ticks decide
         l.collar_ticks = 20;
       },
       nullptr, order(Side::kSell, "9.80", 100), order(Side::kSell, "9.79", 100),
       "price collar: sell too far below the reference", Px("9.80").raw(), Px("9.79").raw()},
      {"MaxOpenOrders", [](OrderLimits& l) { l.max_open_orders = 3; },
       [](OrderLimitsTest& t) {
         t.Rest(Side::kBuy, "9.90", 100);
         t.Rest(Side::kBuy, "9.91", 100);
       },
       order(Side::kBuy, "9.92", 100), order(Side::kBuy, "9.92", 100), "max open orders", 3, 4},
      {"MaxLongCountsWorkingBuys", [](OrderLimits& l) { l.max_long_position = Qty(1000); },
       [](OrderLimitsTest& t) {
         t.portfolio.apply_fill(0, 0, 0, Side::kBuy, Px("10.00"), Qty(500), FillFees{});
         t.Rest(Side::kBuy, "9.90", 300);
       },
       order(Side::kBuy, "10.00", 200), order(Side::kBuy, "10.00", 300), "max long position",
       Qty(1000).raw(), Qty(1100).raw()},
      {"MaxShort", [](OrderLimits& l) { l.max_short_position = Qty(400); }, nullptr,
       order(Side::kSell, "10.00", 400), order(Side::kSell, "10.00", 500), "max short position",
       Qty(400).raw(), Qty(500).raw()},
      {"MaxGrossExposure", [](OrderLimits& l) { l.max_gross_exposure = *Money::parse("20000"); },
       [](OrderLimitsTest& t) {
         t.portfolio.apply_fill(0, 0, 1, Side::kBuy, Px("20.00"), Qty(500), FillFees{});
       },
       order(Side::kBuy, "10.00", 1000), order(Side::kBuy, "10.01", 1000), "max gross exposure",
       static_cast<int64_t>(Money::parse("20000")->raw()),
       static_cast<int64_t>(Money::parse("20010")->raw())},
  };
}

TEST_P(OrderLimitsCases, AcceptedAtTheLimitRefusedOnePast) {
  const LimitCase c = Cases()[static_cast<size_t>(GetParam())];
  OrderLimits limits;
  c.set(limits);
  OrderLimitsCheck check(limits, 2);
  if (c.before) c.before(*this);
  EXPECT_TRUE(check.check_new(c.at_limit, View()).accepted()) << c.name;
  const RiskDecision d = check.check_new(c.past_limit, View());
  if (std::string(c.name) == "MaxOpenOrders") {
    Rest(Side::kBuy, "9.92", 100);  // the third is working now
    const RiskDecision fourth = check.check_new(c.past_limit, View());
    EXPECT_EQ(fourth.reason, c.reason);
    EXPECT_EQ(fourth.limit, c.limit);
    EXPECT_EQ(fourth.observed, c.observed);
    return;
  }
  EXPECT_EQ(d.code, RejectCode::kRiskRejected) << c.name;
  EXPECT_EQ(d.reason, c.reason) << c.name;
  EXPECT_EQ(d.limit, c.limit) << c.name;
  EXPECT_EQ(d.observed, c.observed) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Each, OrderLimitsCases, ::testing::Range(0, 6),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return std::string(Cases()[static_cast<size_t>(param.param)].name);
                         });

TEST_F(OrderLimitsTest, RestrictedStaleAndDuplicateOrdersAreRefused) {
  OrderLimits limits;
  limits.restricted = {1};
  limits.stale_after = 100 * kMillisecond;
  limits.duplicate_window = 500 * kMillisecond;
  OrderLimitsCheck check(limits, 2);
  EXPECT_EQ(check.check_new(NewLimit(Side::kBuy, "20.00", 100, 1), View()).reason,
            "restricted instrument");
  // The quote is exactly 100 ms old: still fresh; a moment later it is stale.
  const NewOrder buy = NewLimit(Side::kBuy, "10.00", 100);
  EXPECT_TRUE(check.check_new(buy, View()).accepted());
  RiskView later = View();
  later.now += 1;
  const RiskDecision stale = check.check_new(buy, later);
  EXPECT_EQ(stale.reason, "stale market data");
  EXPECT_EQ(stale.observed, 100 * kMillisecond + 1);
  // The same order again within the window is a duplicate; another price is not.
  check.on_sent({SentMessage::Kind::kNew, 0, 0, 0, kNow - 500 * kMillisecond, Side::kBuy,
                 Px("10.00"), Qty(100)});
  const RiskDecision dup = check.check_new(buy, View());
  EXPECT_EQ(dup.reason, "duplicate order");
  EXPECT_EQ(dup.observed, 500 * kMillisecond);
  EXPECT_TRUE(check.check_new(NewLimit(Side::kBuy, "10.01", 100), View()).accepted());
}

}  // namespace
}  // namespace guiju
