// The exchange's rules before sending (core/risk/market_rules_check.hpp), table-driven where a
// limit is involved: accepted exactly at the limit, refused one step past it; and what may be
// sold, with and without T+1.

#include "core/risk/market_rules_check.hpp"

#include <gtest/gtest.h>

#include <string>

#include <vector>

#include "core/clock/calendar.hpp"
#include "tests/support/risk_state.hpp"

namespace guiju {
namespace {

Price Px(const char* s) {
  return *Price::parse(s);
}
Quantity Qty(int64_t n) {
  return Quantity::from_units(n);
}

// 2026-11-27 hh:mm China time.
Timestamp China(int h, int m) {
  return utc_midnight("20261127") + (h - 8) * kHour + m * kMinute;
}

class MarketRulesCheckTest : public ::testing::Test, public test::RiskState {
 protected:
  MarketRulesCheckTest() : RiskState({"10.00"}) { Quote(0, "10.00", "10.01"); }
  RiskView View(Timestamp now = China(10, 0)) const { return RiskState::View(now); }
};

struct LimitCase {
  const char* name;
  Side side;
  const char* at_limit;
  const char* past_limit;
  const char* reason;
};

class PriceLimits : public MarketRulesCheckTest, public ::testing::WithParamInterface<LimitCase> {};

TEST_P(PriceLimits, AcceptedAtTheLimitRefusedOneTickPast) {
  const LimitCase& c = GetParam();
  MarketRulesCheck check({{0, 0, Qty(100'000)}}, true);
  EXPECT_TRUE(check.check_new(NewLimit(c.side, c.at_limit, 100), View()).accepted()) << c.name;
  const RiskDecision d = check.check_new(NewLimit(c.side, c.past_limit, 100), View());
  EXPECT_EQ(d.code, RejectCode::kMarketRule) << c.name;
  EXPECT_EQ(d.reason, c.reason) << c.name;
  EXPECT_EQ(d.limit, Px(c.at_limit).raw()) << c.name;
  EXPECT_EQ(d.observed, Px(c.past_limit).raw()) << c.name;
}

// Best bid 10.00, best ask 10.01: the cage is 10.01 + max(2%, 10 ticks) = 10.21 for buys and
// 10.00 - 0.20 = 9.80 for sells; the daily limits from the 10.00 close are 11.00 and 9.00, so in
// continuous trading the cage binds first.
INSTANTIATE_TEST_SUITE_P(
    Cases, PriceLimits,
    ::testing::Values(LimitCase{"BuyCage", Side::kBuy, "10.21", "10.22",
                                "buy above the price cage (102% of the best ask, or +10 ticks)"},
                      LimitCase{"SellCage", Side::kSell, "9.80", "9.79",
                                "sell below the price cage (98% of the best bid, or -10 ticks)"}));

// Cancels (and replaces, which cancel) are refused where the exchange accepts none: 09:20-09:30
// and 14:57-15:00; at 09:19 and in continuous trading they pass.
TEST_F(MarketRulesCheckTest, CancelsAreRefusedInThePhasesThatAcceptNone) {
  MarketRulesCheck check({{0, 0, Qty(100'000)}}, true);
  const OrderId id = Rest(Side::kBuy, "10.00", 100);
  const Order& o = *orders.find(id);
  EXPECT_TRUE(check.check_cancel(o, View(China(9, 19))).accepted());
  EXPECT_TRUE(check.check_cancel(o, View(China(14, 56))).accepted());
  for (const Timestamp t : {China(9, 20), China(9, 26), China(14, 57), China(14, 59)}) {
    const RiskDecision d = check.check_cancel(o, View(t));
    EXPECT_EQ(d.code, RejectCode::kMarketRule);
    EXPECT_EQ(d.check, RiskCheckId::kMarketRule);
    EXPECT_NE(std::string(d.reason).find("cancels are not accepted now"), std::string::npos);
  }
  ReplaceOrder r;
  r.order_id = id;
  r.new_price = Px("10.00");
  r.new_quantity = Qty(200);
  EXPECT_EQ(check.check_replace(r, o, View(China(14, 58))).code, RejectCode::kMarketRule);
  EXPECT_TRUE(check.check_replace(r, o, View(China(10, 0))).accepted());
}

TEST_F(MarketRulesCheckTest, DailyLimitsBindWhereTheCageDoesNot) {
  MarketRulesCheck check({}, true);
  // In the opening call auction there is no cage: the daily limit decides.
  EXPECT_TRUE(check.check_new(NewLimit(Side::kBuy, "11.00", 100), View(China(9, 16))).accepted());
  const RiskDecision up = check.check_new(NewLimit(Side::kBuy, "11.01", 100), View(China(9, 16)));
  EXPECT_EQ(up.code, RejectCode::kMarketRule);
  EXPECT_EQ(up.limit, Px("11.00").raw());
  const RiskDecision lunch =
      check.check_new(NewLimit(Side::kBuy, "10.00", 100), View(China(12, 0)));
  EXPECT_EQ(lunch.code, RejectCode::kMarketRule);
  EXPECT_EQ(check.check_new(NewLimit(Side::kBuy, "10.00", 150), View()).code,
            RejectCode::kMarketRule)
      << "buys in whole lots";
}

// The check works each instrument's rules out once: an instrument registered after the first
// order, and another registry altogether, are checked by their own rules.
TEST_F(MarketRulesCheckTest, RulesFollowTheRegistryTheViewShows) {
  MarketRulesCheck check({}, true);
  const Timestamp auction = China(9, 16);  // no cage: the daily limits decide
  EXPECT_TRUE(check.check_new(NewLimit(Side::kBuy, "11.00", 100), View(auction)).accepted());
  registry.add(test::main_board_stock("600001", "20.00"));
  books.emplace_back();
  EXPECT_TRUE(check.check_new(NewLimit(Side::kBuy, "22.00", 100, 1), View(auction)).accepted());
  const RiskDecision up = check.check_new(NewLimit(Side::kBuy, "22.01", 100, 1), View(auction));
  EXPECT_EQ(up.code, RejectCode::kMarketRule);
  EXPECT_EQ(up.limit, Px("22.00").raw());

  test::RiskState other({"5.00"});
  const RiskDecision there =
      check.check_new(NewLimit(Side::kBuy, "5.51", 100), other.View(auction));
  EXPECT_EQ(there.code, RejectCode::kMarketRule);
  EXPECT_EQ(there.limit, Px("5.50").raw());
  EXPECT_TRUE(check.check_new(NewLimit(Side::kBuy, "11.00", 100), View(auction)).accepted())
      << "and back";
}

// Holdings are a table by account and instrument, as large as their largest ids allow; those
// beyond it are found all the same.
TEST_F(MarketRulesCheckTest, HoldingsOfAnyIdsAreFound) {
  MarketRulesCheck check({{0, 0, Qty(1000)}, {5000, 900, Qty(300)}, {2, kNoInstrument, Qty(700)}},
                         true);
  EXPECT_EQ(check.sellable(0, 0, View()), Qty(1000));
  EXPECT_EQ(check.sellable(5000, 900, View()), Qty(300));
  EXPECT_EQ(check.sellable(2, kNoInstrument, View()), Qty(700));
  EXPECT_EQ(check.sellable(1, 0, View()), Quantity::zero());
  EXPECT_EQ(check.sellable(5000, 899, View()), Quantity::zero());
}

TEST_F(MarketRulesCheckTest, TPlusOneSellsOnlyWhatWasHeldOvernightLessSoldAndOffered) {
  MarketRulesCheck check({{0, 0, Qty(1000)}}, true);
  portfolio.apply_fill(0, 0, 0, Side::kBuy, Px("10.00"), Qty(5000), FillFees{});  // today's
  portfolio.apply_fill(0, 0, 0, Side::kSell, Px("10.00"), Qty(300), FillFees{});
  Rest(Side::kSell, "10.05", 200);
  EXPECT_EQ(check.sellable(0, 0, View()), Qty(500));  // 1000 - 300 sold - 200 offered
  EXPECT_TRUE(check.check_new(NewLimit(Side::kSell, "10.00", 500), View()).accepted());
  const RiskDecision d = check.check_new(NewLimit(Side::kSell, "10.00", 600), View());
  EXPECT_EQ(d.code, RejectCode::kMarketRule);
  EXPECT_EQ(d.limit, Qty(500).raw());
  EXPECT_EQ(d.observed, Qty(600).raw());
}

TEST_F(MarketRulesCheckTest, WithoutTPlusOneThereIsStillNoShortSale) {
  MarketRulesCheck check({}, false);
  EXPECT_EQ(check.check_new(NewLimit(Side::kSell, "10.00", 100), View()).code,
            RejectCode::kMarketRule);
  portfolio.apply_fill(0, 0, 0, Side::kBuy, Px("10.00"), Qty(300), FillFees{});
  EXPECT_TRUE(check.check_new(NewLimit(Side::kSell, "10.00", 300), View()).accepted());
  const OrderId offer = Rest(Side::kSell, "10.05", 200);
  EXPECT_EQ(check.sellable(0, 0, View()), Qty(100));
  // Replacing the offer gives its own quantity back first.
  ReplaceOrder r;
  r.order_id = offer;
  r.new_price = Px("10.04");
  r.new_quantity = Qty(300);
  EXPECT_TRUE(check.check_replace(r, *orders.find(offer), View()).accepted());
  r.new_quantity = Qty(400);
  EXPECT_EQ(check.check_replace(r, *orders.find(offer), View()).code, RejectCode::kMarketRule);
}

}  // namespace
}  // namespace guiju
