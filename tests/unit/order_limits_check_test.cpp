// The order limits per account, strategy and instrument, one case per limit and scope: accepted
// exactly at the limit, refused one step past it, with the check's name, the limit and the
// observed value.

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
  std::function<void(RiskLimits&)> set;
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
    n.strategy = 0;
    n.side = s;
    n.price = *Price::parse(p);
    n.quantity = Quantity::from_units(q);
    return n;
  };
  constexpr auto kAccount = LimitScope::kAccount;
  constexpr auto kStrategy = LimitScope::kStrategy;
  constexpr auto kInstrument = LimitScope::kInstrument;
  return {
      // Collar 5% (0.50) against the last trade 10.00: buys up to 10.50, sells down to 9.50.
      {"CollarBuy", [=](RiskLimits& l) { l.set(kAccount, 0, LimitKey::kPriceCollarPercent, 500); },
       nullptr, order(Side::kBuy, "10.50", 100), order(Side::kBuy, "10.51", 100),
       "price collar: buy too far above the reference", Px("10.50").raw(), Px("10.51").raw()},
      {"CollarSellByTicks",
       [=](RiskLimits& l) {
         // 0.10, less than 20 ticks (0.20): the ticks decide
         l.set(kAccount, 0, LimitKey::kPriceCollarPercent, 100);
         l.set(kAccount, 0, LimitKey::kPriceCollarTicks, 20);
       },
       nullptr, order(Side::kSell, "9.80", 100), order(Side::kSell, "9.79", 100),
       "price collar: sell too far below the reference", Px("9.80").raw(), Px("9.79").raw()},
      // The instrument's collar (1%: 10.10) replaces the account's (5%).
      {"InstrumentCollarOverridesAccount",
       [=](RiskLimits& l) {
         l.set(kAccount, 0, LimitKey::kPriceCollarPercent, 500);
         l.set(kInstrument, 0, LimitKey::kPriceCollarPercent, 100);
       },
       nullptr, order(Side::kBuy, "10.10", 100), order(Side::kBuy, "10.11", 100),
       "price collar: buy too far above the reference", Px("10.10").raw(), Px("10.11").raw()},
      {"MaxOpenOrders", [=](RiskLimits& l) { l.set(kAccount, 0, LimitKey::kMaxOpenOrders, 3); },
       [](OrderLimitsTest& t) {
         t.Rest(Side::kBuy, "9.90", 100);
         t.Rest(Side::kBuy, "9.91", 100);
       },
       order(Side::kBuy, "9.92", 100), order(Side::kBuy, "9.92", 100), "max open orders", 3, 4},
      {"MaxOpenOrdersOfTheStrategy",
       [=](RiskLimits& l) { l.set(kStrategy, 0, LimitKey::kMaxOpenOrders, 3); },
       [](OrderLimitsTest& t) {
         t.Rest(Side::kBuy, "9.90", 100);
         t.Rest(Side::kBuy, "9.91", 100);
       },
       order(Side::kBuy, "9.92", 100), order(Side::kBuy, "9.92", 100),
       "max open orders of the strategy", 3, 4},
      {"MaxLongCountsWorkingBuys",
       [=](RiskLimits& l) { l.set(kAccount, 0, LimitKey::kMaxLongPosition, Qty(1000).raw()); },
       [](OrderLimitsTest& t) {
         t.portfolio.apply_fill(0, 0, 0, Side::kBuy, Px("10.00"), Qty(500), FillFees{});
         t.Rest(Side::kBuy, "9.90", 300);
       },
       order(Side::kBuy, "10.00", 200), order(Side::kBuy, "10.00", 300), "max long position",
       Qty(1000).raw(), Qty(1100).raw()},
      // Per instrument, the limit is on each account's position in it.
      {"MaxLongOfTheInstrument",
       [=](RiskLimits& l) { l.set(kInstrument, 0, LimitKey::kMaxLongPosition, Qty(600).raw()); },
       [](OrderLimitsTest& t) {
         t.portfolio.apply_fill(0, 0, 0, Side::kBuy, Px("10.00"), Qty(500), FillFees{});
       },
       order(Side::kBuy, "10.00", 100), order(Side::kBuy, "10.00", 200), "max long position",
       Qty(600).raw(), Qty(700).raw()},
      // Per strategy, on the strategy's own position and working orders (another strategy of
      // the same account holds 1,000 that do not count).
      {"MaxLongOfTheStrategy",
       [=](RiskLimits& l) { l.set(kStrategy, 0, LimitKey::kMaxLongPosition, Qty(500).raw()); },
       [](OrderLimitsTest& t) {
         t.portfolio.apply_fill(0, 1, 0, Side::kBuy, Px("10.00"), Qty(1000), FillFees{});
         t.portfolio.apply_fill(0, 0, 0, Side::kBuy, Px("10.00"), Qty(200), FillFees{});
         t.Rest(Side::kBuy, "9.90", 100);
       },
       order(Side::kBuy, "10.00", 200), order(Side::kBuy, "10.00", 300),
       "max long position of the strategy", Qty(500).raw(), Qty(600).raw()},
      {"MaxShort",
       [=](RiskLimits& l) { l.set(kAccount, 0, LimitKey::kMaxShortPosition, Qty(400).raw()); },
       nullptr, order(Side::kSell, "10.00", 400), order(Side::kSell, "10.00", 500),
       "max short position", Qty(400).raw(), Qty(500).raw()},
      {"MaxNetExposure",
       [=](RiskLimits& l) {
         l.set(kAccount, 0, LimitKey::kMaxNetExposure,
               static_cast<int64_t>(Money::parse("5000")->raw()));
       },
       nullptr, order(Side::kSell, "10.00", 500), order(Side::kSell, "10.00", 501),
       "max net exposure", static_cast<int64_t>(Money::parse("5000")->raw()),
       static_cast<int64_t>(Money::parse("5010")->raw())},
      {"MaxGrossExposure",
       [=](RiskLimits& l) {
         l.set(kAccount, 0, LimitKey::kMaxGrossExposure,
               static_cast<int64_t>(Money::parse("20000")->raw()));
       },
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
  RiskLimits limits(2, 2);
  c.set(limits);
  OrderLimitsCheck check(limits, CollarReference::kLastTrade);
  if (c.before) c.before(*this);
  EXPECT_TRUE(check.check_new(c.at_limit, View()).accepted()) << c.name;
  const RiskDecision d = check.check_new(c.past_limit, View());
  if (std::string(c.name).starts_with("MaxOpenOrders")) {
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

INSTANTIATE_TEST_SUITE_P(Each, OrderLimitsCases,
                         ::testing::Range(0, static_cast<int>(Cases().size())),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return std::string(Cases()[static_cast<size_t>(param.param)].name);
                         });

TEST_F(OrderLimitsTest, RestrictedStaleAndDuplicateOrdersAreRefused) {
  RiskLimits limits(1, 2);
  limits.set(LimitScope::kInstrument, 1, LimitKey::kRestricted, 1);
  limits.set(LimitScope::kAccount, 0, LimitKey::kStaleQuote, 100 * kMillisecond);
  limits.set(LimitScope::kAccount, 0, LimitKey::kDuplicateWindow, 500 * kMillisecond);
  OrderLimitsCheck check(limits, CollarReference::kLastTrade);
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

// A limit changed at run time applies to the next order; 0 turns it off.
TEST_F(OrderLimitsTest, ALimitChangedBetweenOrdersAppliesToTheNext) {
  RiskLimits limits(1, 2);
  OrderLimitsCheck check(limits, CollarReference::kLastTrade);
  const NewOrder buy = NewLimit(Side::kBuy, "10.00", 300);
  EXPECT_TRUE(check.check_new(buy, View()).accepted());
  limits.set(LimitScope::kStrategy, 0, LimitKey::kMaxLongPosition, Qty(200).raw());
  const RiskDecision d = check.check_new(buy, View());
  EXPECT_EQ(d.check, RiskCheckId::kMaxLongPosition);
  EXPECT_EQ(d.limit, Qty(200).raw());
  limits.set(LimitScope::kStrategy, 0, LimitKey::kMaxLongPosition, 0);
  EXPECT_TRUE(check.check_new(buy, View()).accepted());
}

TEST(RiskLimits, RefusesWhatCannotBeSetAndNamesIt) {
  RiskLimits limits(2, 3);
  EXPECT_EQ(limits.refusal(LimitScope::kStrategy, 0, LimitKey::kMaxGrossExposure, 1),
            "max_gross_exposure cannot be set per strategy");
  EXPECT_EQ(limits.refusal(LimitScope::kAccount, 2, LimitKey::kMaxOrderQuantity, 1),
            "no account 2");
  EXPECT_EQ(limits.refusal(LimitScope::kInstrument, 3, LimitKey::kRestricted, 1),
            "no instrument 3");
  EXPECT_EQ(limits.refusal(LimitScope::kAccount, 0, LimitKey::kMaxOrderQuantity, -1),
            "max_order_quantity must not be negative");
  EXPECT_THROW(limits.set(LimitScope::kStrategy, 0, LimitKey::kRestricted, 1),
               std::invalid_argument);
  EXPECT_EQ(limits.tightest(0, 0, 0, LimitKey::kMaxOrderQuantity), 0);
  limits.set(LimitScope::kAccount, 0, LimitKey::kMaxOrderQuantity, 500);
  limits.set(LimitScope::kStrategy, 7, LimitKey::kMaxOrderQuantity, 300);
  limits.set(LimitScope::kInstrument, 2, LimitKey::kMaxOrderQuantity, 400);
  EXPECT_EQ(limits.tightest(0, 7, 2, LimitKey::kMaxOrderQuantity), 300);
  EXPECT_EQ(limits.tightest(0, 1, 2, LimitKey::kMaxOrderQuantity), 400);
  EXPECT_EQ(limits.tightest(1, 1, 1, LimitKey::kMaxOrderQuantity), 0);
}

TEST(RiskLimits, ValuesAreReadInTheirUnits) {
  std::string error;
  EXPECT_EQ(parse_limit_value(LimitKey::kMaxOrderQuantity, "1000", &error),
            Quantity::from_units(1000).raw());
  EXPECT_EQ(parse_limit_value(LimitKey::kMaxCancelRatio, "12.5", &error), 1250);
  EXPECT_EQ(parse_limit_value(LimitKey::kMinRestingTime, "250", &error), 250 * kMillisecond);
  EXPECT_EQ(parse_limit_value(LimitKey::kRestricted, "true", &error), 1);
  EXPECT_FALSE(parse_limit_value(LimitKey::kMaxCancelRatio, "101", &error));
  EXPECT_NE(error.find("above 100"), std::string::npos) << error;
  EXPECT_FALSE(parse_limit_value(LimitKey::kMaxOpenOrders, "1.5", &error));
  EXPECT_FALSE(parse_limit_value(LimitKey::kMaxOrderValue, "-5", &error));
  EXPECT_NE(error.find("negative"), std::string::npos) << error;
  EXPECT_FALSE(parse_limit_value(LimitKey::kMaxOrderValue, "lots", &error));
  EXPECT_EQ(format_limit_value(LimitKey::kMinRestingTime, 250 * kMillisecond), "250 ms");
  EXPECT_EQ(format_limit_value(LimitKey::kMaxCancelRatio, 1250), "12.5%");
  for (size_t k = 0; k < kLimitKeyCount; ++k) {
    const auto key = static_cast<LimitKey>(k);
    EXPECT_EQ(parse_limit_key(info(key).name), key) << info(key).name;
  }
}

}  // namespace
}  // namespace guiju
