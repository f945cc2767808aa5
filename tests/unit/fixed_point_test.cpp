// Tests for core/model/fixed_point.hpp: exact decimal parsing and formatting of Price, Quantity,
// Rate and Money, checked overflow (operators throw, try_* report), Money's rounding rules, and
// seeded property tests that compare against independent 128-bit reference arithmetic.

#include "core/model/fixed_point.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

#include "core/util/random.hpp"

namespace guiju {

// Readable failure messages for the value types under test (found by ADL).
template <typename Tag, int D>
void PrintTo(const Fixed64<Tag, D>& v, std::ostream* os) {
  *os << v.to_string() << " (raw " << v.raw() << ")";
}
void PrintTo(const Money& m, std::ostream* os) {
  *os << m.to_string();
}

namespace {

constexpr int128 kInt128Max = static_cast<int128>(static_cast<uint128>(-1) >> 1);
constexpr int128 kInt128Min = -kInt128Max - 1;

std::string Str(int128 v) {
  return fixed_point::format_decimal(v, 0, 0);
}

Price P(const char* text) {
  const auto v = Price::parse(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v.value_or(Price::zero());
}
Quantity Q(const char* text) {
  const auto v = Quantity::parse(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v.value_or(Quantity::zero());
}
Rate R(const char* text) {
  const auto v = Rate::parse(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v.value_or(Rate::zero());
}
Money M(const char* text) {
  const auto v = Money::parse(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v.value_or(Money::zero());
}

// Independent reference: num / 10^8 rounded half away from zero, computed on magnitudes.
int128 ReferenceRoundDiv1e8(int128 num) {
  constexpr uint128 kDen = 100'000'000;
  const bool negative = num < 0;
  const uint128 mag =
      negative ? static_cast<uint128>(0) - static_cast<uint128>(num) : static_cast<uint128>(num);
  uint128 q = mag / kDen;
  if ((mag % kDen) * 2 >= kDen) ++q;
  return negative ? -static_cast<int128>(q) : static_cast<int128>(q);
}

// A random int64 that is often near the interesting edges, not only uniform over the range.
int64_t RandomRaw(Random& rng) {
  switch (rng.uniform_int(0, 5)) {
    case 0:
      return static_cast<int64_t>(rng.next_u64());  // full range
    case 1:
      return rng.uniform_int(-1'000'000, 1'000'000);
    case 2:
      return INT64_MAX - rng.uniform_int(0, 1000);
    case 3:
      return INT64_MIN + rng.uniform_int(0, 1000);
    case 4:
      return rng.uniform_int(-1'000'000'000'000'000, 1'000'000'000'000'000);
    default:
      return static_cast<int64_t>(rng.next_u64() >> rng.uniform_int(1, 63));
  }
}

int128 RandomRaw128(Random& rng) {
  switch (rng.uniform_int(0, 3)) {
    case 0: {
      const uint128 hi = rng.next_u64();
      return static_cast<int128>((hi << 64) | rng.next_u64());
    }
    case 1:
      return kInt128Max - rng.uniform_int(0, 1000);
    case 2:
      return kInt128Min + rng.uniform_int(0, 1000);
    default:
      return static_cast<int128>(static_cast<int64_t>(rng.next_u64())) * 1000;
  }
}

// ---- parsing ---------------------------------------------------------------------------------

TEST(FixedPointParse, ParsesExactDecimals) {
  EXPECT_EQ(P("12.34").raw(), 1'234'000'000);
  EXPECT_EQ(P("-0.5").raw(), -50'000'000);
  EXPECT_EQ(P("0.00000001").raw(), 1);
  EXPECT_EQ(P("100").raw(), 10'000'000'000);
  EXPECT_EQ(P("0").raw(), 0);
  EXPECT_EQ(P("-0").raw(), 0);
  EXPECT_EQ(Q("100").raw(), 100 * Quantity::kScale);
  EXPECT_EQ(R("0.00025").raw(), 2'500'000);  // Rate has 10 decimals
  EXPECT_EQ(R("0.0000000001").raw(), 1);
  EXPECT_EQ(M("5").raw(), 500'000'000);
  EXPECT_EQ(M("-1234.5").raw(), -123'450'000'000);
}

TEST(FixedPointParse, AcceptsTrailingZerosBeyondPrecision) {
  EXPECT_EQ(P("1.500000000").raw(), 150'000'000);
  EXPECT_EQ(P("1.50000000000000").raw(), 150'000'000);
  EXPECT_EQ(R("0.000250000000000").raw(), 2'500'000);
}

struct RejectCase {
  const char* text;
  const char* reason;
};

class FixedPointParseRejects : public ::testing::TestWithParam<RejectCase> {};

TEST_P(FixedPointParseRejects, PriceParseFailsWithReason) {
  std::string why;
  const auto v = Price::parse(GetParam().text, &why);
  EXPECT_FALSE(v.has_value()) << "parsed '" << GetParam().text << "' as " << v->to_string();
  EXPECT_EQ(why, GetParam().reason) << "text '" << GetParam().text << "'";
}

TEST_P(FixedPointParseRejects, MoneyParseFailsWithSameReason) {
  std::string why;
  EXPECT_FALSE(Money::parse(GetParam().text, &why).has_value()) << GetParam().text;
  EXPECT_EQ(why, GetParam().reason) << "text '" << GetParam().text << "'";
}

INSTANTIATE_TEST_SUITE_P(
    BadText, FixedPointParseRejects,
    ::testing::Values(
        RejectCase{"", "empty number"}, RejectCase{"-", "no digits"}, RejectCase{".", "no digits"},
        RejectCase{"-.", "no digits"}, RejectCase{"1.2.3", "more than one decimal point"},
        RejectCase{"abc", "unexpected character"}, RejectCase{"12a", "unexpected character"},
        RejectCase{"+1", "unexpected character"}, RejectCase{" 1", "unexpected character"},
        RejectCase{"1e5", "unexpected character"}, RejectCase{"--1", "unexpected character"},
        RejectCase{"0.000000001", "too many decimal places"},
        RejectCase{"1.5000000001", "too many decimal places"}));

TEST(FixedPointParse, ParseWithoutErrorPointerStillRejects) {
  EXPECT_FALSE(Price::parse("abc").has_value());
  EXPECT_FALSE(Quantity::parse("").has_value());
}

TEST(FixedPointParse, RateAcceptsTenDecimalsButNotEleven) {
  std::string why;
  EXPECT_TRUE(Rate::parse("0.0000000001", &why).has_value());
  EXPECT_FALSE(Rate::parse("0.00000000001", &why).has_value());
  EXPECT_EQ(why, "too many decimal places");
}

TEST(FixedPointParse, Fixed64AcceptsItsExactLimits) {
  EXPECT_EQ(P("92233720368.54775807").raw(), INT64_MAX);
  EXPECT_EQ(P("-92233720368.54775808").raw(), INT64_MIN);
}

TEST(FixedPointParse, Fixed64RejectsOutOfRange) {
  for (const char* text : {"92233720368.54775808", "-92233720368.54775809", "92233720369",
                           "1000000000000", "-1000000000000", "99999999999999999999999999"}) {
    std::string why;
    EXPECT_FALSE(Price::parse(text, &why).has_value()) << text;
    EXPECT_EQ(why, "value out of range") << text;
    EXPECT_FALSE(Quantity::parse(text).has_value()) << text;
  }
  std::string why;
  EXPECT_FALSE(Rate::parse("922337203.6854775808", &why).has_value());
  EXPECT_EQ(why, "value out of range");
}

TEST(FixedPointParse, MoneyAcceptsTheInt128Limits) {
  EXPECT_EQ(M("1701411834604692317316873037158.84105727"), Money::from_raw(kInt128Max));
  EXPECT_EQ(M("-1701411834604692317316873037158.84105728"), Money::from_raw(kInt128Min));
}

TEST(FixedPointParse, MoneyRejectsValuesBeyondInt128) {
  for (const char* text :
       {"1701411834604692317316873037158.84105728", "-1701411834604692317316873037158.84105729",
        "1701411834604692317316873037159", "100000000000000000000000000000000",
        "-99999999999999999999999999999999999999999"}) {
    std::string why;
    const auto v = Money::parse(text, &why);
    EXPECT_FALSE(v.has_value()) << text << " parsed as " << v->to_string();
    EXPECT_EQ(why, "value out of range") << text;
  }
}

// One past the limit in the last digit must not wrap around: a positive text must never parse to
// a negative amount (or the reverse). parse_decimal checks `acc < -(kLimit / 10)` before
// `acc * 10 - digit`, which lets the final digit 9 overflow the 128-bit accumulator.
TEST(FixedPointParse, MoneyJustPastTheLimitIsRejectedNotWrapped) {
  {
    std::string why;
    const auto v = Money::parse("1701411834604692317316873037158.84105729", &why);
    EXPECT_FALSE(v.has_value()) << "positive text parsed as " << v->to_string();
  }
  {
    std::string why;
    const auto v = Money::parse("-1701411834604692317316873037158.84105729", &why);
    EXPECT_FALSE(v.has_value()) << "negative text parsed as " << v->to_string();
  }
}

// ---- formatting ------------------------------------------------------------------------------

TEST(FixedPointFormat, Fixed64TrimsTrailingZeros) {
  EXPECT_EQ(P("12.34").to_string(), "12.34");
  EXPECT_EQ(P("12.3400").to_string(), "12.34");
  EXPECT_EQ(P("100").to_string(), "100");
  EXPECT_EQ(Price::zero().to_string(), "0");
  EXPECT_EQ(P("-0.5").to_string(), "-0.5");
  EXPECT_EQ(Price::from_raw(1).to_string(), "0.00000001");
  EXPECT_EQ(Price::from_raw(-1).to_string(), "-0.00000001");
  EXPECT_EQ(Price::from_raw(INT64_MAX).to_string(), "92233720368.54775807");
  EXPECT_EQ(Price::from_raw(INT64_MIN).to_string(), "-92233720368.54775808");
  EXPECT_EQ(R("0.00025").to_string(), "0.00025");
  EXPECT_EQ(Rate::from_raw(1).to_string(), "0.0000000001");
}

TEST(FixedPointFormat, MoneyKeepsAtLeastTwoDecimals) {
  EXPECT_EQ(M("5").to_string(), "5.00");
  EXPECT_EQ(M("1.5").to_string(), "1.50");
  EXPECT_EQ(M("-1234.5").to_string(), "-1234.50");
  EXPECT_EQ(Money::zero().to_string(), "0.00");
  EXPECT_EQ(Money::from_raw(1).to_string(), "0.00000001");
  EXPECT_EQ(M("0.123").to_string(), "0.123");
  EXPECT_EQ(Money::from_raw(kInt128Min).to_string(), "-1701411834604692317316873037158.84105728");
  EXPECT_EQ(Money::from_raw(kInt128Max).to_string(), "1701411834604692317316873037158.84105727");
}

TEST(FixedPointFormat, FromUnitsScales) {
  EXPECT_EQ(Quantity::from_units(300).to_string(), "300");
  EXPECT_EQ(Quantity::from_units(-7).raw(), -7 * Quantity::kScale);
  EXPECT_EQ(Rate::from_units(1).raw(), 10'000'000'000);
  EXPECT_THROW(Price::from_units(INT64_MAX / Price::kScale + 1), FixedPointOverflow);
  EXPECT_THROW(Price::from_units(INT64_MIN / Price::kScale - 1), FixedPointOverflow);
}

// ---- checked arithmetic ----------------------------------------------------------------------

TEST(FixedPointArithmetic, OperatorsComputeExactly) {
  EXPECT_EQ(P("12.34") + P("0.01"), P("12.35"));
  EXPECT_EQ(P("12.34") - P("12.35"), P("-0.01"));
  EXPECT_EQ(P("0.01") * 7, P("0.07"));
  EXPECT_EQ(-P("3.5"), P("-3.5"));
  Quantity q = Q("100");
  q += Q("50");
  q -= Q("200");
  EXPECT_EQ(q, Q("-50"));
  EXPECT_LT(P("1.99"), P("2"));
  EXPECT_GT(P("-1"), P("-1.00000001"));
}

TEST(FixedPointArithmetic, OperatorsThrowOnOverflow) {
  const Price max = Price::from_raw(INT64_MAX);
  const Price min = Price::from_raw(INT64_MIN);
  const Price one = Price::from_raw(1);
  EXPECT_THROW(max + one, FixedPointOverflow);
  EXPECT_THROW(min - one, FixedPointOverflow);
  EXPECT_THROW(min + Price::from_raw(-1), FixedPointOverflow);
  EXPECT_THROW(max - Price::from_raw(-1), FixedPointOverflow);
  EXPECT_THROW(-min, FixedPointOverflow);
  EXPECT_THROW(Price::from_raw(INT64_MAX / 2 + 1) * 2, FixedPointOverflow);
  EXPECT_THROW(min * -1, FixedPointOverflow);
  EXPECT_THROW(Quantity::from_raw(INT64_MAX / 3 + 1) * 3, FixedPointOverflow);
  Price p = max;
  EXPECT_THROW(p += one, FixedPointOverflow);
  EXPECT_EQ(p, max) << "a failed += must leave the value unchanged";
  Price m = min;
  EXPECT_THROW(m -= one, FixedPointOverflow);
  EXPECT_EQ(m, min);
  // The limits themselves are still reachable.
  EXPECT_EQ(Price::from_raw(INT64_MAX - 1) + one, max);
  EXPECT_EQ(-max, Price::from_raw(-INT64_MAX));
  EXPECT_EQ(Price::from_raw(INT64_MAX / 2) * 2, Price::from_raw(INT64_MAX - 1));
}

TEST(FixedPointArithmetic, OverflowExceptionIsAnOverflowErrorSayingWhat) {
  try {
    (void)(Price::from_raw(INT64_MAX) + Price::from_raw(1));
    FAIL() << "no exception";
  } catch (const std::overflow_error& e) {
    EXPECT_NE(std::string(e.what()).find("addition"), std::string::npos) << e.what();
  }
}

TEST(FixedPointArithmetic, TryFunctionsReportOverflowInsteadOfThrowing) {
  const Price max = Price::from_raw(INT64_MAX);
  const Price min = Price::from_raw(INT64_MIN);
  Price out;
  EXPECT_FALSE(max.try_add(Price::from_raw(1), out));
  EXPECT_FALSE(min.try_sub(Price::from_raw(1), out));
  EXPECT_FALSE(max.try_mul(2, out));
  EXPECT_FALSE(min.try_mul(-1, out));
  ASSERT_TRUE(P("1.5").try_add(P("2.25"), out));
  EXPECT_EQ(out, P("3.75"));
  ASSERT_TRUE(P("1.5").try_sub(P("2.25"), out));
  EXPECT_EQ(out, P("-0.75"));
  ASSERT_TRUE(P("1.5").try_mul(-3, out));
  EXPECT_EQ(out, P("-4.5"));
}

TEST(FixedPointArithmetic, MoneyOperatorsThrowOnOverflow) {
  const Money max = Money::from_raw(kInt128Max);
  const Money min = Money::from_raw(kInt128Min);
  EXPECT_THROW(max + Money::from_raw(1), FixedPointOverflow);
  EXPECT_THROW(min - Money::from_raw(1), FixedPointOverflow);
  EXPECT_THROW(-min, FixedPointOverflow);
  EXPECT_EQ(-max, Money::from_raw(-kInt128Max));
  EXPECT_EQ(M("1.25") + M("2.5"), M("3.75"));
  EXPECT_EQ(M("1.25") - M("2.5"), M("-1.25"));
  Money m = M("10");
  m -= M("0.01");
  EXPECT_EQ(m, M("9.99"));
}

TEST(FixedPointArithmetic, IsMultipleOf) {
  EXPECT_TRUE(P("12.34").is_multiple_of(P("0.01")));
  EXPECT_FALSE(P("12.345").is_multiple_of(P("0.01")));
  EXPECT_TRUE(P("-0.02").is_multiple_of(P("0.01")));
  EXPECT_TRUE(Price::zero().is_multiple_of(P("0.01")));
  EXPECT_TRUE(Q("300").is_multiple_of(Q("100")));
  EXPECT_FALSE(Q("250").is_multiple_of(Q("100")));
  EXPECT_FALSE(P("1").is_multiple_of(Price::zero())) << "a zero step is never a valid step";
  EXPECT_FALSE(P("1").is_multiple_of(P("-0.01"))) << "a negative step is never a valid step";
}

// ---- Money rounding --------------------------------------------------------------------------

TEST(MoneyNotional, IsExactWhenItFits) {
  EXPECT_EQ(Money::notional(P("12.34"), Q("100")), M("1234"));
  EXPECT_EQ(Money::notional(P("1700.01"), Q("300")), M("510003"));
  EXPECT_EQ(Money::notional(P("0.00000001"), Q("1")), M("0.00000001"));
  EXPECT_EQ(Money::notional(P("-2.5"), Q("4")), M("-10"));
  EXPECT_EQ(Money::notional(P("1.23456789"), Q("0.5")).raw(), 61'728'395)  // 0.617283945
      << "half rounds away from zero";
}

TEST(MoneyNotional, RoundsHalfAwayFromZero) {
  const Price tiny = Price::from_raw(1);  // 0.00000001
  const Price neg_tiny = Price::from_raw(-1);
  EXPECT_EQ(Money::notional(tiny, Q("0.5")).raw(), 1);
  EXPECT_EQ(Money::notional(neg_tiny, Q("0.5")).raw(), -1);
  EXPECT_EQ(Money::notional(tiny, Q("-0.5")).raw(), -1);
  EXPECT_EQ(Money::notional(tiny, Quantity::from_raw(49'999'999)).raw(), 0);
  EXPECT_EQ(Money::notional(neg_tiny, Quantity::from_raw(49'999'999)).raw(), 0);
  EXPECT_EQ(Money::notional(tiny, Quantity::from_raw(150'000'000)).raw(), 2);       // 1.5 -> 2
  EXPECT_EQ(Money::notional(neg_tiny, Quantity::from_raw(250'000'000)).raw(), -3);  // -2.5
}

TEST(MoneyNotional, ExtremeOperandsDoNotOverflow) {
  const Price pmax = Price::from_raw(INT64_MAX);
  const Price pmin = Price::from_raw(INT64_MIN);
  const Quantity qmax = Quantity::from_raw(INT64_MAX);
  const Quantity qmin = Quantity::from_raw(INT64_MIN);
  EXPECT_EQ(Money::notional(pmax, qmax).raw(),
            ReferenceRoundDiv1e8(static_cast<int128>(INT64_MAX) * INT64_MAX));
  EXPECT_EQ(Money::notional(pmin, qmin).raw(),
            ReferenceRoundDiv1e8(static_cast<int128>(INT64_MIN) * INT64_MIN));
  EXPECT_EQ(Money::notional(pmin, qmax).raw(),
            ReferenceRoundDiv1e8(static_cast<int128>(INT64_MIN) * INT64_MAX));
}

TEST(MoneyTimes, MultipliesByRateAndRoundsHalfAwayFromZero) {
  EXPECT_EQ(M("10000").times(R("0.00025")), M("2.5"));
  EXPECT_EQ(M("-10000").times(R("0.0005")), M("-5"));
  EXPECT_EQ(M("123.45").times(R("1")), M("123.45"));
  EXPECT_EQ(M("123.45").times(Rate::zero()), Money::zero());
  EXPECT_EQ(Money::from_raw(1).times(R("0.5")).raw(), 1);
  EXPECT_EQ(Money::from_raw(-1).times(R("0.5")).raw(), -1);
  EXPECT_EQ(Money::from_raw(1).times(R("0.4999999999")).raw(), 0);
  EXPECT_EQ(Money::from_raw(3).times(R("0.1")).raw(), 0);    // 0.3
  EXPECT_EQ(Money::from_raw(5).times(R("0.1")).raw(), 1);    // 0.5
  EXPECT_EQ(Money::from_raw(-5).times(R("0.1")).raw(), -1);  // -0.5
  EXPECT_EQ(Money::from_raw(15).times(R("0.1")).raw(), 2);   // 1.5
}

TEST(MoneyTimes, ThrowsOnOverflow) {
  EXPECT_THROW(Money::from_raw(kInt128Max).times(R("2")), FixedPointOverflow);
  EXPECT_THROW(Money::from_raw(kInt128Max / 1000).times(Rate::from_raw(INT64_MAX)),
               FixedPointOverflow);
}

TEST(MoneyRoundedTo, RoundsToCentsHalfAwayFromZero) {
  EXPECT_EQ(M("1.234999").rounded_to(2), M("1.23"));
  EXPECT_EQ(M("1.235").rounded_to(2), M("1.24"));
  EXPECT_EQ(M("1.225").rounded_to(2), M("1.23")) << "not banker's rounding";
  EXPECT_EQ(M("-1.235").rounded_to(2), M("-1.24"));
  EXPECT_EQ(M("-1.234999").rounded_to(2), M("-1.23"));
  EXPECT_EQ(M("2.5").rounded_to(0), M("3"));
  EXPECT_EQ(M("-2.5").rounded_to(0), M("-3"));
  EXPECT_EQ(M("7.77").rounded_to(2), M("7.77"));
  EXPECT_EQ(M("0.00000001").rounded_to(8), M("0.00000001"));
  EXPECT_EQ(M("0.004999").rounded_to(2), Money::zero());
}

// Rounding the largest amounts up must not wrap (the header: "Nothing wraps silently").
// INT128_MAX ends in ...58.84105727, which rounds up to ...59 and no longer fits.
TEST(MoneyRoundedTo, NearTheLimitThrowsOrStaysPositive) {
  const Money max = Money::from_raw(kInt128Max);
  try {
    const Money r = max.rounded_to(0);
    EXPECT_FALSE(r.is_negative()) << "rounding the largest amount produced " << r.to_string();
  } catch (const FixedPointOverflow&) {
    // acceptable: overflow reported
  }
  const Money min = Money::from_raw(kInt128Min);
  try {
    const Money r = min.rounded_to(0);
    EXPECT_TRUE(r.is_negative()) << "rounding the smallest amount produced " << r.to_string();
  } catch (const FixedPointOverflow&) {
  }
}

TEST(MoneyPerUnit, DividesAndRounds) {
  EXPECT_EQ(M("1000").per_unit(Q("300")), P("3.33333333"));
  EXPECT_EQ(M("2").per_unit(Q("3")), P("0.66666667"));
  EXPECT_EQ(M("-2").per_unit(Q("3")), P("-0.66666667"));
  EXPECT_EQ(M("2").per_unit(Q("-3")), P("-0.66666667"));
  EXPECT_EQ(M("510003").per_unit(Q("300")), P("1700.01"));
  EXPECT_EQ(Money::from_raw(1).per_unit(Q("2")), Price::from_raw(1));  // 0.5 raw -> 1
  EXPECT_EQ(Money::from_raw(-1).per_unit(Q("2")), Price::from_raw(-1));
}

TEST(MoneyPerUnit, ThrowsWhenTheResultDoesNotFitAPrice) {
  EXPECT_THROW(M("1000000000000").per_unit(Q("0.00000001")), FixedPointOverflow);
  EXPECT_THROW(Money::from_raw(kInt128Max).per_unit(Q("1")), FixedPointOverflow);
}

// ---- properties over seeded random values ----------------------------------------------------

constexpr int kIterations = 20'000;

TEST(FixedPointProperty, PriceAndQuantityRoundTripThroughText) {
  Random rng(20261127);
  for (int i = 0; i < kIterations; ++i) {
    const int64_t raw = RandomRaw(rng);
    const Price p = Price::from_raw(raw);
    const auto back = Price::parse(p.to_string());
    ASSERT_TRUE(back.has_value()) << p.to_string();
    ASSERT_EQ(*back, p);
    const Quantity q = Quantity::from_raw(raw);
    const auto qback = Quantity::parse(q.to_string());
    ASSERT_TRUE(qback.has_value()) << q.to_string();
    ASSERT_EQ(*qback, q);
    const Rate r = Rate::from_raw(raw);
    const auto rback = Rate::parse(r.to_string());
    ASSERT_TRUE(rback.has_value()) << r.to_string();
    ASSERT_EQ(*rback, r);
  }
}

TEST(FixedPointProperty, MoneyRoundTripsThroughText) {
  Random rng(7);
  for (int i = 0; i < kIterations; ++i) {
    const Money m = Money::from_raw(RandomRaw128(rng));
    std::string why;
    const auto back = Money::parse(m.to_string(), &why);
    ASSERT_TRUE(back.has_value()) << m.to_string() << ": " << why;
    ASSERT_EQ(*back, m);
  }
}

TEST(FixedPointProperty, AdditionIsExactOrThrowsNeverWraps) {
  Random rng(42);
  int fitted = 0;
  int overflowed = 0;
  for (int i = 0; i < kIterations; ++i) {
    const Price a = Price::from_raw(RandomRaw(rng));
    const Price b = Price::from_raw(RandomRaw(rng));
    const int128 exact = static_cast<int128>(a.raw()) + b.raw();
    const bool fits = exact >= INT64_MIN && exact <= INT64_MAX;
    Price via_try;
    ASSERT_EQ(a.try_add(b, via_try), fits) << a.raw() << " + " << b.raw();
    if (fits) {
      ++fitted;
      const Price sum = a + b;
      ASSERT_EQ(static_cast<int128>(sum.raw()), exact) << a.raw() << " + " << b.raw();
      ASSERT_EQ(via_try, sum);
      ASSERT_EQ(sum - b, a) << "(a + b) - b == a";
    } else {
      ++overflowed;
      ASSERT_THROW((void)(a + b), FixedPointOverflow) << a.raw() << " + " << b.raw();
    }
  }
  // The generator must exercise both branches, or the property says little.
  EXPECT_GT(fitted, kIterations / 10);
  EXPECT_GT(overflowed, kIterations / 100);
}

TEST(FixedPointProperty, SubtractionIsExactOrThrowsNeverWraps) {
  Random rng(43);
  for (int i = 0; i < kIterations; ++i) {
    const Quantity a = Quantity::from_raw(RandomRaw(rng));
    const Quantity b = Quantity::from_raw(RandomRaw(rng));
    const int128 exact = static_cast<int128>(a.raw()) - b.raw();
    if (exact >= INT64_MIN && exact <= INT64_MAX) {
      const Quantity diff = a - b;
      ASSERT_EQ(static_cast<int128>(diff.raw()), exact) << a.raw() << " - " << b.raw();
      ASSERT_EQ(diff + b, a);
    } else {
      ASSERT_THROW((void)(a - b), FixedPointOverflow) << a.raw() << " - " << b.raw();
    }
  }
}

TEST(FixedPointProperty, MultiplicationIsExactOrThrowsNeverWraps) {
  Random rng(44);
  for (int i = 0; i < kIterations; ++i) {
    const Price a = Price::from_raw(RandomRaw(rng));
    const int64_t factor = rng.bernoulli(0.5) ? rng.uniform_int(-1000, 1000) : RandomRaw(rng);
    const int128 exact = static_cast<int128>(a.raw()) * factor;
    if (exact >= INT64_MIN && exact <= INT64_MAX) {
      ASSERT_EQ(static_cast<int128>((a * factor).raw()), exact) << a.raw() << " * " << factor;
    } else {
      ASSERT_THROW((void)(a * factor), FixedPointOverflow) << a.raw() << " * " << factor;
    }
  }
}

TEST(FixedPointProperty, NotionalMatchesExactRoundedProduct) {
  Random rng(45);
  for (int i = 0; i < kIterations; ++i) {
    const Price p = Price::from_raw(RandomRaw(rng));
    const Quantity q = Quantity::from_raw(RandomRaw(rng));
    const int128 expected = ReferenceRoundDiv1e8(static_cast<int128>(p.raw()) * q.raw());
    const Money n = Money::notional(p, q);
    ASSERT_EQ(n.raw(), expected) << p.raw() << " x " << q.raw() << ": got " << Str(n.raw())
                                 << ", expected " << Str(expected);
  }
}

TEST(FixedPointProperty, MoneyAdditionIsExactOrThrows) {
  Random rng(46);
  for (int i = 0; i < kIterations; ++i) {
    const Money a = Money::from_raw(RandomRaw128(rng));
    const Money b = Money::from_raw(RandomRaw128(rng));
    int128 exact = 0;
    if (__builtin_add_overflow(a.raw(), b.raw(), &exact)) {
      ASSERT_THROW((void)(a + b), FixedPointOverflow);
    } else {
      ASSERT_EQ(a + b, Money::from_raw(exact));
      ASSERT_EQ((a + b) - b, a);
    }
  }
}

}  // namespace
}  // namespace guiju
