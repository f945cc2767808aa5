// compute_fill_fees (core/portfolio/fee_schedule.hpp): broker commission with a per-order minimum
// spread over partial fills (the first fill pays the minimum, later fills only the excess), stamp
// duty on sells only, transfer fee on both sides, each rounded half away from zero to 0.01.

#include "core/portfolio/fee_schedule.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <ostream>
#include <string_view>
#include <vector>

namespace guiju {

void PrintTo(const Money& m, std::ostream* os) {
  *os << m.to_string();
}

namespace {

Money Cash(std::string_view text) {
  return *Money::parse(text);
}
Rate R(std::string_view text) {
  return *Rate::parse(text);
}

// The A-share defaults: 2.5 bp commission with a CNY 5 minimum, 5 bp stamp duty, 0.1 bp transfer.
FeeSchedule AShare() {
  FeeSchedule s;
  s.commission_rate = R("0.00025");
  s.min_commission = Cash("5");
  s.stamp_duty_rate = R("0.0005");
  s.transfer_fee_rate = R("0.00001");
  return s;
}

// The fees of each fill of one order, carrying what earlier fills filled and paid.
std::vector<FillFees> OrderFills(const FeeSchedule& s, Side side,
                                 std::initializer_list<std::string_view> notionals) {
  std::vector<FillFees> out;
  Money before;
  Money paid;
  for (std::string_view n : notionals) {
    const FillFees f = compute_fill_fees(s, side, Cash(n), before, paid);
    out.push_back(f);
    before += Cash(n);
    paid += f.commission;
  }
  return out;
}

TEST(FeeScheduleTest, SmallBuyPaysTheMinimumCommissionAndNoStampDuty) {
  const FillFees f =
      compute_fill_fees(AShare(), Side::kBuy, Cash("10000"), Money::zero(), Money::zero());
  EXPECT_EQ(f.commission, Cash("5"));  // 2.50 due, minimum 5
  EXPECT_EQ(f.stamp_duty, Money::zero());
  EXPECT_EQ(f.transfer_fee, Cash("0.10"));
  EXPECT_EQ(f.total(), Cash("5.10"));
}

TEST(FeeScheduleTest, SellPaysStampDutyOnTopOfCommissionAndTransferFee) {
  const FillFees f =
      compute_fill_fees(AShare(), Side::kSell, Cash("10000"), Money::zero(), Money::zero());
  EXPECT_EQ(f.commission, Cash("5"));
  EXPECT_EQ(f.stamp_duty, Cash("5"));
  EXPECT_EQ(f.transfer_fee, Cash("0.10"));
  EXPECT_EQ(f.total(), Cash("10.10"));
}

TEST(FeeScheduleTest, LargeOrderPaysTheRateAboveTheMinimum) {
  const FillFees f =
      compute_fill_fees(AShare(), Side::kBuy, Cash("100000"), Money::zero(), Money::zero());
  EXPECT_EQ(f.commission, Cash("25"));
  EXPECT_EQ(f.transfer_fee, Cash("1"));
}

TEST(FeeScheduleTest, FirstPartialFillPaysTheMinimumAndLaterFillsOnlyTheExcess) {
  const auto fills = OrderFills(AShare(), Side::kBuy, {"10000", "20000", "10000"});
  EXPECT_EQ(fills[0].commission, Cash("5"));     // 2.50 due on 10000: the minimum
  EXPECT_EQ(fills[1].commission, Cash("2.50"));  // 7.50 due on 30000, 5 already paid
  EXPECT_EQ(fills[2].commission, Cash("2.50"));  // 10.00 due on 40000
  EXPECT_EQ(fills[0].commission + fills[1].commission + fills[2].commission,
            compute_fill_fees(AShare(), Side::kBuy, Cash("40000"), Money::zero(), Money::zero())
                .commission)
      << "an order pays the same commission however it is filled";
}

TEST(FeeScheduleTest, LaterFillsPayNoCommissionWhileTheOrderStaysUnderTheMinimum) {
  const auto fills = OrderFills(AShare(), Side::kSell, {"1000", "1000", "1000"});
  EXPECT_EQ(fills[0].commission, Cash("5"));
  EXPECT_EQ(fills[1].commission, Money::zero());
  EXPECT_EQ(fills[2].commission, Money::zero());
  for (const FillFees& f : fills) {
    EXPECT_EQ(f.stamp_duty, Cash("0.50")) << "stamp duty is per fill, no minimum";
    EXPECT_EQ(f.transfer_fee, Cash("0.01"));
  }
}

TEST(FeeScheduleTest, ExcessOverTheMinimumIsPaidWhenTheOrderCrossesIt) {
  const auto fills = OrderFills(AShare(), Side::kBuy, {"15000", "10000"});
  EXPECT_EQ(fills[0].commission, Cash("5"));     // 3.75 due
  EXPECT_EQ(fills[1].commission, Cash("1.25"));  // 6.25 due on 25000
}

TEST(FeeScheduleTest, StampDutyIsChargedOnSellsOnlyAndTransferFeeOnBothSides) {
  const FeeSchedule s = AShare();
  const FillFees buy =
      compute_fill_fees(s, Side::kBuy, Cash("200000"), Money::zero(), Money::zero());
  const FillFees sell =
      compute_fill_fees(s, Side::kSell, Cash("200000"), Money::zero(), Money::zero());
  EXPECT_EQ(buy.stamp_duty, Money::zero());
  EXPECT_EQ(sell.stamp_duty, Cash("100"));
  EXPECT_EQ(buy.transfer_fee, Cash("2"));
  EXPECT_EQ(sell.transfer_fee, Cash("2"));
  EXPECT_EQ(buy.commission, sell.commission);
}

TEST(FeeScheduleTest, EveryComponentIsRoundedToTheCent) {
  FeeSchedule s = AShare();
  s.min_commission = Money::zero();
  const FillFees f =
      compute_fill_fees(s, Side::kSell, Cash("12345.67"), Money::zero(), Money::zero());
  EXPECT_EQ(f.commission, Cash("3.09"));    // 3.0864175
  EXPECT_EQ(f.stamp_duty, Cash("6.17"));    // 6.172835
  EXPECT_EQ(f.transfer_fee, Cash("0.12"));  // 0.1234567
}

TEST(FeeScheduleTest, HalfACentRoundsAwayFromZero) {
  const FeeSchedule s = AShare();
  const FillFees f = compute_fill_fees(s, Side::kSell, Cash("10"), Money::zero(), Money::zero());
  EXPECT_EQ(f.stamp_duty, Cash("0.01"));  // 0.005
  const FillFees g = compute_fill_fees(s, Side::kBuy, Cash("500"), Money::zero(), Money::zero());
  EXPECT_EQ(g.transfer_fee, Cash("0.01"));  // 0.005
  const FillFees h = compute_fill_fees(s, Side::kBuy, Cash("499"), Money::zero(), Money::zero());
  EXPECT_EQ(h.transfer_fee, Money::zero());  // 0.00499
}

TEST(FeeScheduleTest, CommissionIsRoundedOnTheCumulativeNotionalNotPerFill) {
  FeeSchedule s;
  s.commission_rate = R("0.0005");
  const auto fills = OrderFills(s, Side::kBuy, {"10", "10", "10"});
  EXPECT_EQ(fills[0].commission, Cash("0.01"));   // 0.005 -> 0.01
  EXPECT_EQ(fills[1].commission, Money::zero());  // 0.010 due, 0.01 paid
  EXPECT_EQ(fills[2].commission, Cash("0.01"));   // 0.015 -> 0.02 due
}

TEST(FeeScheduleTest, EmptyScheduleChargesNothing) {
  const FillFees f =
      compute_fill_fees(FeeSchedule{}, Side::kSell, Cash("1000000"), Money::zero(), Money::zero());
  EXPECT_EQ(f.total(), Money::zero());
}

}  // namespace
}  // namespace guiju
