// Position (core/portfolio/position.hpp): exact average-cost accounting. Adding to a position,
// partial and full closes, flipping long to short and short to long through zero, realized and
// unrealized PnL and their signs, fees, and the absence of rounding drift over partial closes.

#include "core/portfolio/position.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string_view>

namespace guiju {

template <typename Tag, int D>
void PrintTo(const Fixed64<Tag, D>& v, std::ostream* os) {
  *os << v.to_string();
}
void PrintTo(const Money& m, std::ostream* os) {
  *os << m.to_string();
}

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

TEST(PositionTest, NewPositionIsFlatWithNothingBooked) {
  const Position p;
  EXPECT_TRUE(p.is_flat());
  EXPECT_EQ(p.average_cost(), Price::zero());
  EXPECT_EQ(p.unrealized_pnl(Px("10")), Money::zero());
  EXPECT_EQ(p.net_pnl(Px("10")), Money::zero());
  EXPECT_EQ(p.fills, 0u);
}

TEST(PositionTest, TwoBuysAverageTheirCost) {
  Position p;
  p.apply_fill(Side::kBuy, Px("10"), Qty(100), Money::zero());
  p.apply_fill(Side::kBuy, Px("12"), Qty(100), Money::zero());
  EXPECT_EQ(p.quantity, Qty(200));
  EXPECT_EQ(p.cost_basis, Cash("2200"));
  EXPECT_EQ(p.average_cost(), Px("11"));
  EXPECT_EQ(p.realized_pnl, Money::zero());
  EXPECT_EQ(p.bought, Qty(200));
  EXPECT_EQ(p.bought_notional, Cash("2200"));
  EXPECT_EQ(p.sold, Quantity::zero());
  EXPECT_EQ(p.fills, 2u);
  EXPECT_FALSE(p.is_flat());
}

TEST(PositionTest, PartialSellRealizesAgainstTheAverageCostAndKeepsIt) {
  Position p;
  p.apply_fill(Side::kBuy, Px("10"), Qty(100), Money::zero());
  p.apply_fill(Side::kBuy, Px("12"), Qty(100), Money::zero());
  p.apply_fill(Side::kSell, Px("13"), Qty(50), Money::zero());
  EXPECT_EQ(p.realized_pnl, Cash("100"));  // 50 x (13 - 11)
  EXPECT_EQ(p.quantity, Qty(150));
  EXPECT_EQ(p.cost_basis, Cash("1650"));
  EXPECT_EQ(p.average_cost(), Px("11"));
  EXPECT_EQ(p.sold, Qty(50));
  EXPECT_EQ(p.sold_notional, Cash("650"));
  EXPECT_EQ(p.unrealized_pnl(Px("12")), Cash("150"));  // 150 x (12 - 11)
  EXPECT_EQ(p.net_pnl(Px("12")), Cash("250"));
}

TEST(PositionTest, LosingLongHasNegativeRealizedAndUnrealizedPnl) {
  Position p;
  p.apply_fill(Side::kBuy, Px("10"), Qty(200), Money::zero());
  EXPECT_EQ(p.unrealized_pnl(Px("9.50")), Cash("-100"));
  p.apply_fill(Side::kSell, Px("9"), Qty(100), Money::zero());
  EXPECT_EQ(p.realized_pnl, Cash("-100"));
  EXPECT_EQ(p.unrealized_pnl(Px("9")), Cash("-100"));
}

TEST(PositionTest, SellingExactlyTheHoldingGoesFlat) {
  Position p;
  p.apply_fill(Side::kBuy, Px("10"), Qty(100), Money::zero());
  p.apply_fill(Side::kSell, Px("11"), Qty(100), Money::zero());
  EXPECT_TRUE(p.is_flat());
  EXPECT_EQ(p.realized_pnl, Cash("100"));
  EXPECT_EQ(p.cost_basis, Money::zero());
  EXPECT_EQ(p.average_cost(), Price::zero());
  EXPECT_EQ(p.unrealized_pnl(Px("50")), Money::zero());
}

TEST(PositionTest, SellingThroughZeroFlipsLongToShortAtTheFillPrice) {
  Position p;
  p.apply_fill(Side::kBuy, Px("10"), Qty(100), Money::zero());
  p.apply_fill(Side::kSell, Px("13"), Qty(150), Money::zero());
  EXPECT_EQ(p.realized_pnl, Cash("300")) << "only the 100 closed are realized";
  EXPECT_EQ(p.quantity, Qty(-50));
  EXPECT_EQ(p.cost_basis, Cash("-650"));
  EXPECT_EQ(p.average_cost(), Px("13"));
  // A short gains when the price falls and loses when it rises.
  EXPECT_EQ(p.unrealized_pnl(Px("12")), Cash("50"));
  EXPECT_EQ(p.unrealized_pnl(Px("14")), Cash("-50"));
}

TEST(PositionTest, ShortThenPartialAndFullCover) {
  Position p;
  p.apply_fill(Side::kSell, Px("20"), Qty(100), Money::zero());
  EXPECT_EQ(p.quantity, Qty(-100));
  EXPECT_EQ(p.cost_basis, Cash("-2000"));
  EXPECT_EQ(p.average_cost(), Px("20"));
  EXPECT_EQ(p.realized_pnl, Money::zero());

  p.apply_fill(Side::kBuy, Px("18"), Qty(40), Money::zero());
  EXPECT_EQ(p.realized_pnl, Cash("80"));  // 40 x (20 - 18)
  EXPECT_EQ(p.quantity, Qty(-60));
  EXPECT_EQ(p.average_cost(), Px("20"));

  p.apply_fill(Side::kBuy, Px("21"), Qty(60), Money::zero());
  EXPECT_EQ(p.realized_pnl, Cash("20"));  // 80 - 60 x (21 - 20)
  EXPECT_TRUE(p.is_flat());
  EXPECT_EQ(p.cost_basis, Money::zero());
}

TEST(PositionTest, BuyingThroughZeroFlipsShortToLong) {
  Position p;
  p.apply_fill(Side::kSell, Px("13"), Qty(50), Money::zero());
  p.apply_fill(Side::kBuy, Px("12"), Qty(80), Money::zero());
  EXPECT_EQ(p.realized_pnl, Cash("50"));  // 50 x (13 - 12)
  EXPECT_EQ(p.quantity, Qty(30));
  EXPECT_EQ(p.cost_basis, Cash("360"));
  EXPECT_EQ(p.average_cost(), Px("12"));
}

TEST(PositionTest, AddingToAShortAveragesTheEntryPrice) {
  Position p;
  p.apply_fill(Side::kSell, Px("10"), Qty(100), Money::zero());
  p.apply_fill(Side::kSell, Px("12"), Qty(100), Money::zero());
  EXPECT_EQ(p.quantity, Qty(-200));
  EXPECT_EQ(p.average_cost(), Px("11"));
  EXPECT_EQ(p.unrealized_pnl(Px("10")), Cash("200"));
}

TEST(PositionTest, FeesAccumulateAndComeOffNetPnlOnly) {
  Position p;
  p.apply_fill(Side::kBuy, Px("10"), Qty(100), Cash("5.01"));
  p.apply_fill(Side::kSell, Px("11"), Qty(100), Cash("5.56"));
  EXPECT_EQ(p.fees, Cash("10.57"));
  EXPECT_EQ(p.realized_pnl, Cash("100")) << "realized PnL is before fees";
  EXPECT_EQ(p.net_pnl(Px("11")), Cash("89.43"));
}

TEST(PositionTest, PartialClosesLeaveNoRoundingResidueOnceFlat) {
  Position p;
  p.apply_fill(Side::kBuy, Px("10.00"), Qty(1), Money::zero());
  p.apply_fill(Side::kBuy, Px("10.01"), Qty(1), Money::zero());
  p.apply_fill(Side::kBuy, Px("10.01"), Qty(1), Money::zero());
  EXPECT_EQ(p.average_cost(), Px("10.00666667"));
  for (int i = 0; i < 3; ++i) p.apply_fill(Side::kSell, Px("10.50"), Qty(1), Money::zero());
  EXPECT_TRUE(p.is_flat());
  EXPECT_EQ(p.cost_basis, Money::zero());
  EXPECT_EQ(p.realized_pnl, Cash("1.48"));  // 31.50 proceeds - 30.02 cost, exactly
}

TEST(PositionTest, FractionalQuantitiesAreAccountedExactly) {
  Position p;
  p.apply_fill(Side::kBuy, Px("30000"), *Quantity::parse("0.5"), Money::zero());
  p.apply_fill(Side::kSell, Px("31000"), *Quantity::parse("0.2"), Money::zero());
  EXPECT_EQ(p.quantity, *Quantity::parse("0.3"));
  EXPECT_EQ(p.realized_pnl, Cash("200"));
  EXPECT_EQ(p.cost_basis, Cash("9000"));
}

}  // namespace
}  // namespace guiju
