// The A-share market rules (core/rules/): daily price limits by board with half-up rounding, the
// trading phases of the day, every order rule with its named refusal, cancels by phase, and the
// call-auction uncrossing price with both exchanges' tie-breaks.

#include <gtest/gtest.h>

#include <vector>

#include "core/clock/calendar.hpp"
#include "core/rules/ashare_order_rules.hpp"
#include "core/rules/call_auction.hpp"
#include "core/rules/price_limits.hpp"
#include "core/rules/trading_phase.hpp"

namespace guiju::rules {
namespace {

Price Px(const char* text) {
  return *Price::parse(text);
}
Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}

Instrument Stock(Board board, const char* previous_close, int64_t lot = 100) {
  Instrument i;
  i.symbol = "600000";
  i.venue = "SSE";
  i.tick_size = Px("0.01");
  i.lot_size = Qty(lot);
  i.board = board;
  i.currency = "CNY";
  i.previous_close = Px(previous_close);
  return i;
}

// 2026-11-27 at hh:mm:ss China time, as UTC nanoseconds.
Timestamp China(int h, int m, int s = 0) {
  return days_from_civil(2026, 11, 27) * 86400 * kSecond +
         (static_cast<int64_t>(h - 8) * 3600 + m * 60 + s) * kSecond;
}

TEST(PriceLimits, ByBoardFromThePreviousCloseRoundedHalfUp) {
  struct Case {
    Board board;
    const char* close;
    const char* lower;
    const char* upper;
  };
  for (const Case& c : std::vector<Case>{{Board::kMain, "10.00", "9.00", "11.00"},
                                         {Board::kChiNext, "210.50", "168.40", "252.60"},
                                         {Board::kStar, "52.30", "41.84", "62.76"},
                                         {Board::kRiskWarning, "11.20", "10.64", "11.76"},
                                         {Board::kMain, "10.05", "9.05", "11.06"},  // 9.045, 11.055
                                         {Board::kMain, "1700.00", "1530.00", "1870.00"}}) {
    const auto limits = daily_price_limits(Stock(c.board, c.close));
    ASSERT_TRUE(limits.has_value()) << c.close;
    EXPECT_EQ(limits->lower, Px(c.lower)) << c.close;
    EXPECT_EQ(limits->upper, Px(c.upper)) << c.close;
  }
  EXPECT_FALSE(daily_price_limits(Stock(Board::kOther, "10.00")).has_value());
}

TEST(TradingPhases, TheAShareDay) {
  EXPECT_EQ(trading_phase(China(9, 14, 59)), TradingPhase::kClosed);
  EXPECT_EQ(trading_phase(China(9, 15)), TradingPhase::kOpeningAuction);
  EXPECT_EQ(trading_phase(China(9, 20)), TradingPhase::kOpeningAuctionFrozen);
  EXPECT_EQ(trading_phase(China(9, 25)), TradingPhase::kPreOpen);
  EXPECT_EQ(trading_phase(China(9, 30)), TradingPhase::kContinuous);
  EXPECT_EQ(trading_phase(China(11, 29, 59)), TradingPhase::kContinuous);
  EXPECT_EQ(trading_phase(China(11, 30)), TradingPhase::kLunchBreak);
  EXPECT_EQ(trading_phase(China(13, 0)), TradingPhase::kContinuous);
  EXPECT_EQ(trading_phase(China(14, 57)), TradingPhase::kClosingAuction);
  EXPECT_EQ(trading_phase(China(15, 0)), TradingPhase::kClosed);
  EXPECT_TRUE(accepts_cancels(TradingPhase::kOpeningAuction));
  EXPECT_FALSE(accepts_cancels(TradingPhase::kOpeningAuctionFrozen));
  EXPECT_FALSE(accepts_cancels(TradingPhase::kClosingAuction));
}

RuleCheck Check(const OrderFacts& o, TradingPhase phase = TradingPhase::kContinuous,
                const Instrument& i = Stock(Board::kMain, "10.00")) {
  return check_order(i, o, phase);
}

// Markets near the limits, so that the price cage (tested on its own below) leaves the limit
// checks to bind: a buy's cage is 2% over the best ask, a sell's 2% under the best bid.
OrderFacts Buy(const char* price, int64_t qty) {
  return {Side::kBuy, OrderType::kLimit, Px(price),
          Qty(qty),   Quantity::zero(),  CageMarket{Px("10.90"), Px("10.95"), Price::zero()}};
}
OrderFacts Sell(const char* price, int64_t qty, int64_t sellable) {
  return {Side::kSell, OrderType::kLimit, Px(price),
          Qty(qty),    Qty(sellable),     CageMarket{Px("9.05"), Px("9.10"), Price::zero()}};
}

TEST(OrderRules, EachRefusalNamesItsRuleLimitAndObservedValue) {
  EXPECT_TRUE(Check(Buy("10.00", 100)).ok());
  EXPECT_EQ(Check(Buy("10.00", 100), TradingPhase::kClosed).rule, Rule::kMarketClosed);
  EXPECT_EQ(Check(Buy("10.00", 100), TradingPhase::kLunchBreak).rule, Rule::kMarketClosed);
  OrderFacts market = Buy("0", 100);
  market.type = OrderType::kMarket;
  EXPECT_EQ(Check(market, TradingPhase::kOpeningAuction).rule, Rule::kMarketOrderInAuction);
  EXPECT_TRUE(Check(market).ok());
  EXPECT_EQ(Check(Buy("10.00", 0)).rule, Rule::kNonPositive);
  EXPECT_EQ(Check(Buy("10.005", 100)).rule, Rule::kTickSize);

  const RuleCheck up = Check(Buy("11.01", 100));
  EXPECT_EQ(up.rule, Rule::kLimitUp);
  EXPECT_EQ(up.limit, Px("11.00").raw());
  EXPECT_EQ(up.observed, Px("11.01").raw());
  EXPECT_TRUE(Check(Buy("11.00", 100)).ok());
  EXPECT_EQ(Check(Sell("8.99", 100, 100)).rule, Rule::kLimitDown);

  const RuleCheck lot = Check(Buy("10.00", 150));
  EXPECT_EQ(lot.rule, Rule::kBuyLot);
  EXPECT_EQ(lot.limit, Qty(100).raw());

  // T+1: only what was held overnight (and not yet sold or offered) can be sold.
  const RuleCheck t1 = Check(Sell("10.00", 300, 200));
  EXPECT_EQ(t1.rule, Rule::kTPlusOne);
  EXPECT_EQ(t1.limit, Qty(200).raw());
  // Odd lots: only to sell out the remainder, all at once.
  EXPECT_EQ(Check(Sell("10.00", 150, 250)).rule, Rule::kOddLotSell);
  EXPECT_TRUE(Check(Sell("10.00", 250, 250)).ok());
  EXPECT_TRUE(Check(Sell("10.00", 200, 250)).ok());
}

TEST(PriceCage, ContinuousTradingCagesAroundTheBestPriceOrTenTicks) {
  const Instrument moutai = Stock(Board::kMain, "1845.76");
  // 2% of a 1850.00 best ask is 37.00, more than 10 ticks: buys up to 1887.00.
  OrderFacts buy = Buy("1887.00", 100);
  buy.market = {Px("1849.50"), Px("1850.00"), Px("1849.80")};
  EXPECT_TRUE(Check(buy, TradingPhase::kContinuous, moutai).ok());
  buy.price = Px("1887.01");
  const RuleCheck high = Check(buy, TradingPhase::kContinuous, moutai);
  EXPECT_EQ(high.rule, Rule::kPriceCage);
  EXPECT_EQ(high.limit, Px("1887.00").raw());
  EXPECT_EQ(high.observed, Px("1887.01").raw());
  // No cage in a call auction: the daily limits alone apply.
  EXPECT_TRUE(Check(buy, TradingPhase::kOpeningAuction, moutai).ok());

  // A low price: 10 ticks (0.10) is more than 2% of 3.00, so the cage is the best ask + 0.10 for
  // buys (3.10) and the best bid - 0.10 for sells (2.89).
  const Instrument cheap = Stock(Board::kMain, "3.00");
  OrderFacts low = Buy("3.10", 100);
  low.market = {Px("2.99"), Px("3.00"), Price::zero()};
  EXPECT_TRUE(Check(low, TradingPhase::kContinuous, cheap).ok());
  low.price = Px("3.11");
  EXPECT_EQ(Check(low, TradingPhase::kContinuous, cheap).rule, Rule::kPriceCage);
  OrderFacts sell = Sell("2.88", 100, 100);
  sell.market = {Px("2.99"), Px("3.00"), Price::zero()};
  const RuleCheck under = Check(sell, TradingPhase::kContinuous, cheap);
  EXPECT_EQ(under.rule, Rule::kPriceCage);
  EXPECT_EQ(under.limit, Px("2.89").raw());
  sell.price = Px("2.89");
  EXPECT_TRUE(Check(sell, TradingPhase::kContinuous, cheap).ok());
}

TEST(PriceCage, TheReferenceFallsBackFromTheBookToTheLastTradeToThePreviousClose) {
  const Instrument i = Stock(Board::kMain, "10.00");
  EXPECT_EQ(cage_reference(i, Side::kBuy, {Px("9.98"), Px("10.02"), Px("10.01")}), Px("10.02"));
  EXPECT_EQ(cage_reference(i, Side::kBuy, {Px("9.98"), Price::zero(), Px("10.01")}), Px("9.98"));
  EXPECT_EQ(cage_reference(i, Side::kSell, {Price::zero(), Price::zero(), Px("10.01")}),
            Px("10.01"));
  EXPECT_EQ(cage_reference(i, Side::kSell, {}), Px("10.00"));
  // A board without exchange rules has no cage.
  EXPECT_FALSE(cage_bound(Stock(Board::kOther, "10.00"), Side::kBuy, {}).has_value());
  // Bounds land on the tick grid, inside the cage.
  EXPECT_EQ(*cage_bound(i, Side::kBuy, {Price::zero(), Px("10.01"), Price::zero()}),
            Px("10.21"));  // 10.01 + max(0.2002, 0.10) = 10.2102 -> 10.21
  EXPECT_EQ(*cage_bound(i, Side::kSell, {Px("10.01"), Price::zero(), Price::zero()}),
            Px("9.81"));  // 10.01 - 0.2002 = 9.8098 -> 9.81
}

TEST(OrderRules, StarTradesSingleSharesAboveA200ShareMinimum) {
  Instrument star = Stock(Board::kStar, "52.30");
  star.lot_size = Qty(200);
  OrderFacts buy = Buy("52.30", 201);
  buy.market = {Px("52.29"), Px("52.30"), Price::zero()};
  EXPECT_TRUE(Check(buy, TradingPhase::kContinuous, star).ok());  // 201: no whole-lot rule
  buy.quantity = Qty(199);
  const RuleCheck small = Check(buy, TradingPhase::kContinuous, star);
  EXPECT_EQ(small.rule, Rule::kStarMinimum);
  EXPECT_EQ(small.limit, Qty(200).raw());
  OrderFacts sell = Sell("52.29", 150, 150);
  sell.market = buy.market;
  EXPECT_TRUE(Check(sell, TradingPhase::kContinuous, star).ok());  // sells out the remainder
  sell.sellable = Qty(350);
  EXPECT_EQ(Check(sell, TradingPhase::kContinuous, star).rule, Rule::kStarMinimum);
  sell.quantity = Qty(400);
  EXPECT_EQ(Check(sell, TradingPhase::kContinuous, star).rule, Rule::kTPlusOne);
}

TEST(OrderRules, CancelsFollowThePhase) {
  EXPECT_TRUE(check_cancel(TradingPhase::kContinuous).ok());
  EXPECT_TRUE(check_cancel(TradingPhase::kOpeningAuction).ok());
  for (TradingPhase p :
       {TradingPhase::kOpeningAuctionFrozen, TradingPhase::kPreOpen, TradingPhase::kClosingAuction,
        TradingPhase::kClosed, TradingPhase::kLunchBreak}) {
    EXPECT_EQ(check_cancel(p).rule, Rule::kNoCancelInPhase) << to_string(p);
  }
}

TEST(CallAuction, MaximumVolumeThenLeastImbalanceThenTheExchangesTieBreak) {
  const std::vector<AuctionLevel> bids = {
      {Px("10.02"), Qty(300)}, {Px("10.01"), Qty(200)}, {Px("10.00"), Qty(100)}};
  const std::vector<AuctionLevel> asks = {
      {Px("9.99"), Qty(200)}, {Px("10.00"), Qty(300)}, {Px("10.01"), Qty(100)}};
  // 500 trades at 10.00 and at 10.01, each leaving 100 unmatched.
  const auto sse = uncross_price(bids, asks, Px("0.01"), Px("10.00"), AuctionTieBreak::kMidpoint);
  ASSERT_TRUE(sse.has_value());
  EXPECT_EQ(sse->volume, Qty(500));
  EXPECT_EQ(sse->imbalance, Qty(100));
  EXPECT_EQ(sse->price, Px("10.01"));  // the middle, 10.005, rounded half up
  const auto szse =
      uncross_price(bids, asks, Px("0.01"), Px("10.00"), AuctionTieBreak::kNearestReference);
  ASSERT_TRUE(szse.has_value());
  EXPECT_EQ(szse->price, Px("10.00"));  // nearest the previous close

  // All the asks trade at 10.03 and at 10.05 alike: 600, leaving 400 of the bid.
  const std::vector<AuctionLevel> b2 = {{Px("10.05"), Qty(1000)}};
  const std::vector<AuctionLevel> a2 = {{Px("10.00"), Qty(300)}, {Px("10.03"), Qty(300)}};
  const auto mid = uncross_price(b2, a2, Px("0.01"), Px("9.00"), AuctionTieBreak::kMidpoint);
  ASSERT_TRUE(mid.has_value());
  EXPECT_EQ(mid->volume, Qty(600));
  EXPECT_EQ(mid->price, Px("10.04"));
  const auto near =
      uncross_price(b2, a2, Px("0.01"), Px("9.00"), AuctionTieBreak::kNearestReference);
  ASSERT_TRUE(near.has_value());
  EXPECT_EQ(near->price, Px("10.03"));

  // A single best price: no tie-break (300 trade at 10.01, 600 at 10.03).
  const std::vector<AuctionLevel> b4 = {{Px("10.03"), Qty(600)}};
  const std::vector<AuctionLevel> a4 = {{Px("10.01"), Qty(300)}, {Px("10.03"), Qty(400)}};
  const auto single = uncross_price(b4, a4, Px("0.01"), Px("9.00"), AuctionTieBreak::kMidpoint);
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(single->price, Px("10.03"));
  EXPECT_EQ(single->volume, Qty(600));
  EXPECT_EQ(single->imbalance, Qty(100));

  // Not crossed: no auction price.
  const std::vector<AuctionLevel> b3 = {{Px("9.99"), Qty(100)}};
  const std::vector<AuctionLevel> a3 = {{Px("10.00"), Qty(100)}};
  EXPECT_FALSE(uncross_price(b3, a3, Px("0.01"), Px("10.00"), AuctionTieBreak::kMidpoint));
}

}  // namespace
}  // namespace guiju::rules
