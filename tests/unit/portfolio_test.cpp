// Portfolio (core/portfolio/portfolio.hpp): positions keyed by (account, strategy, instrument),
// marks, fees booked with fills, and the PnL roll-ups pnl(), pnl_of_account(), pnl_of_strategy()
// and account_quantity().

#include "core/portfolio/portfolio.hpp"

#include <gtest/gtest.h>

#include <array>
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

FillFees Fees(std::string_view commission, std::string_view stamp = "0",
              std::string_view transfer = "0") {
  return {Cash(commission), Cash(stamp), Cash(transfer)};
}

TEST(PortfolioTest, PositionsAreKeyedByAccountStrategyAndInstrument) {
  Portfolio book(2);
  book.apply_fill(0, 0, 0, Side::kBuy, Px("10"), Qty(100), Fees("0"));
  book.apply_fill(0, 1, 0, Side::kBuy, Px("10"), Qty(200), Fees("0"));
  book.apply_fill(1, 0, 0, Side::kBuy, Px("10"), Qty(300), Fees("0"));
  book.apply_fill(0, 0, 1, Side::kBuy, Px("10"), Qty(400), Fees("0"));
  ASSERT_EQ(book.positions().size(), 4u);

  ASSERT_NE(book.find(0, 0, 0), nullptr);
  EXPECT_EQ(book.find(0, 0, 0)->quantity, Qty(100));
  EXPECT_EQ(book.find(0, 1, 0)->quantity, Qty(200));
  EXPECT_EQ(book.find(1, 0, 0)->quantity, Qty(300));
  EXPECT_EQ(book.find(0, 0, 1)->quantity, Qty(400));
  EXPECT_EQ(book.find(1, 1, 0), nullptr);
  EXPECT_EQ(book.find(0, 0, 7), nullptr);

  const Position& p = *book.find(0, 1, 0);
  EXPECT_EQ(p.account, 0);
  EXPECT_EQ(p.strategy, 1);
  EXPECT_EQ(p.instrument, 0u);
}

TEST(PortfolioTest, PositionsKeepCreationOrder) {
  Portfolio book(3);
  book.apply_fill(2, 5, 2, Side::kBuy, Px("1"), Qty(1), Fees("0"));
  book.apply_fill(0, 0, 0, Side::kBuy, Px("1"), Qty(1), Fees("0"));
  book.apply_fill(2, 5, 2, Side::kBuy, Px("1"), Qty(1), Fees("0"));
  ASSERT_EQ(book.positions().size(), 2u);
  EXPECT_EQ(book.positions()[0].account, 2);
  EXPECT_EQ(book.positions()[0].quantity, Qty(2));
  EXPECT_EQ(book.positions()[1].account, 0);
}

TEST(PortfolioTest, RepeatedFillsAccumulateOnTheSamePosition) {
  Portfolio book(1);
  const Position& first = book.apply_fill(0, 0, 0, Side::kBuy, Px("10"), Qty(100), Fees("5"));
  const Position& second = book.apply_fill(0, 0, 0, Side::kBuy, Px("12"), Qty(100), Fees("5"));
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(second.quantity, Qty(200));
  EXPECT_EQ(second.average_cost(), Px("11"));
  EXPECT_EQ(second.fills, 2u);
  EXPECT_EQ(second.fees, Cash("10"));
}

TEST(PortfolioTest, FeesOfAFillAreItsTotal) {
  Portfolio book(1);
  book.apply_fill(0, 0, 0, Side::kSell, Px("10"), Qty(1000), Fees("5", "5", "0.10"));
  EXPECT_EQ(book.find(0, 0, 0)->fees, Cash("10.10"));
  EXPECT_EQ(book.pnl().fees, Cash("10.10"));
}

TEST(PortfolioTest, MarksStartAtZeroAndAreSetPerInstrument) {
  Portfolio book(2);
  EXPECT_EQ(book.mark(0), Price::zero());
  EXPECT_EQ(book.mark(1), Price::zero());
  book.set_mark(1, Px("12.34"));
  EXPECT_EQ(book.mark(0), Price::zero());
  EXPECT_EQ(book.mark(1), Px("12.34"));
}

TEST(PortfolioTest, PnlSumsRealizedUnrealizedAtTheMarksAndFees) {
  Portfolio book(2);
  book.apply_fill(0, 0, 0, Side::kBuy, Px("10"), Qty(100), Fees("1"));
  book.apply_fill(0, 0, 0, Side::kSell, Px("12"), Qty(40), Fees("2"));  // realized 80
  book.apply_fill(0, 1, 1, Side::kSell, Px("20"), Qty(10), Fees("3"));  // short 10 @ 20
  book.set_mark(0, Px("11"));
  book.set_mark(1, Px("18"));

  const PnlSummary s = book.pnl();
  EXPECT_EQ(s.realized, Cash("80"));
  EXPECT_EQ(s.unrealized, Cash("80"));  // 60 x (11 - 10) + 10 x (20 - 18)
  EXPECT_EQ(s.fees, Cash("6"));
  EXPECT_EQ(s.net(), Cash("154"));

  book.set_mark(0, Px("9"));
  EXPECT_EQ(book.pnl().unrealized, Cash("-40"));  // -60 + 20
}

TEST(PortfolioTest, PnlOfAccountAndOfStrategyIncludeOnlyTheirPositions) {
  Portfolio book(1);
  book.set_mark(0, Px("10"));
  book.apply_fill(0, 0, 0, Side::kBuy, Px("9"), Qty(100), Fees("1"));   // +100 unrealized
  book.apply_fill(0, 1, 0, Side::kBuy, Px("8"), Qty(100), Fees("2"));   // +200
  book.apply_fill(1, 0, 0, Side::kBuy, Px("12"), Qty(100), Fees("4"));  // -200

  EXPECT_EQ(book.pnl_of_account(0).unrealized, Cash("300"));
  EXPECT_EQ(book.pnl_of_account(0).fees, Cash("3"));
  EXPECT_EQ(book.pnl_of_account(1).unrealized, Cash("-200"));
  EXPECT_EQ(book.pnl_of_account(1).net(), Cash("-204"));
  EXPECT_EQ(book.pnl_of_account(2).net(), Money::zero());

  EXPECT_EQ(book.pnl_of_strategy(0).unrealized, Cash("-100"));
  EXPECT_EQ(book.pnl_of_strategy(0).fees, Cash("5"));
  EXPECT_EQ(book.pnl_of_strategy(1).unrealized, Cash("200"));
  EXPECT_EQ(book.pnl().net(), Cash("93"));
}

TEST(PortfolioTest, AccountQuantityNetsAcrossStrategiesForOneInstrument) {
  Portfolio book(2);
  book.apply_fill(0, 0, 0, Side::kBuy, Px("10"), Qty(100), Fees("0"));
  book.apply_fill(0, 1, 0, Side::kSell, Px("10"), Qty(30), Fees("0"));
  book.apply_fill(0, 2, 1, Side::kBuy, Px("10"), Qty(500), Fees("0"));
  book.apply_fill(1, 0, 0, Side::kBuy, Px("10"), Qty(700), Fees("0"));
  EXPECT_EQ(book.account_quantity(0, 0), Qty(70));
  EXPECT_EQ(book.account_quantity(0, 1), Qty(500));
  EXPECT_EQ(book.account_quantity(1, 0), Qty(700));
  EXPECT_EQ(book.account_quantity(1, 1), Quantity::zero());
  EXPECT_EQ(book.account_quantity(3, 0), Quantity::zero());
}

TEST(PortfolioTest, EmptyPortfolioHasZeroPnl) {
  const Portfolio book(4);
  EXPECT_TRUE(book.positions().empty());
  EXPECT_EQ(book.pnl().net(), Money::zero());
  EXPECT_EQ(book.pnl_of_account(0).realized, Money::zero());
}

}  // namespace
}  // namespace guiju

namespace guiju {
namespace {

// The running totals the pre-trade checks read (account quantity, sold today, gross and net
// exposure) agree with a walk of the positions after every fill and every mark change, for three
// accounts trading three instruments in a portfolio of `instrument_count`.
void CheckAccountTotals(size_t instrument_count, const std::array<AccountId, 3>& accounts) {
  Portfolio p(instrument_count);
  uint64_t state = 12345;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  for (InstrumentId i = 0; i < 3; ++i) p.set_mark(i, Price::from_units(10 + i));
  for (int step = 0; step < 2000; ++step) {
    const AccountId account = accounts[next(3)];
    const auto instrument = static_cast<InstrumentId>(next(3));
    if (next(4) == 0) {
      p.set_mark(instrument, Price::from_raw(Price::from_units(9).raw() +
                                             static_cast<int64_t>(next(300)) * 1'000'000));
    } else {
      p.apply_fill(account, static_cast<StrategyId>(next(2)), instrument,
                   next(2) == 0 ? Side::kBuy : Side::kSell, Price::from_units(10),
                   Quantity::from_units(static_cast<int64_t>(1 + next(500))), FillFees{});
    }
    for (const AccountId a : accounts) {
      Money gross;
      Money net;
      for (InstrumentId i = 0; i < 3; ++i) {
        Quantity q;
        Quantity sold;
        for (const Position& pos : p.positions()) {
          if (pos.account == a && pos.instrument == i) {
            q += pos.quantity;
            sold += pos.sold;
          }
        }
        ASSERT_EQ(p.account_quantity(a, i), q) << "step " << step;
        ASSERT_EQ(p.account_sold(a, i), sold) << "step " << step;
        const Money value = Money::notional(p.mark(i), q);
        gross += value.is_negative() ? Money::zero() - value : value;
        net += value;
      }
      ASSERT_EQ(p.gross_exposure(a), gross) << "step " << step << " account " << a;
      ASSERT_EQ(p.net_exposure(a), net) << "step " << step << " account " << a;
    }
  }
}

TEST(PortfolioTest, AccountTotalsAndExposuresFollowFillsAndMarks) {
  CheckAccountTotals(3, {0, 1, 2});
}

// The account totals are a table by account and instrument up to a size; an account id too
// large for it (with 1,000 instruments, 60,000) is kept apart and totalled the same.
TEST(PortfolioTest, AccountTotalsOfAnyAccountIdFollowFillsAndMarks) {
  CheckAccountTotals(1000, {0, 60'000, 7});
}

}  // namespace
}  // namespace guiju
