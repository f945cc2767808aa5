// Tests for core/clock/clock.hpp (SimulatedClock, LiveClock, utc_now, monotonic_now),
// core/clock/calendar.hpp (days_from_civil, utc_midnight, format_utc) and
// validate_trading_date from core/oms/client_order_id_allocator.hpp.

#include "core/clock/clock.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "core/clock/calendar.hpp"
#include "core/oms/client_order_id_allocator.hpp"

namespace guiju {
namespace {

constexpr Duration kDay = 86'400 * kSecond;

// ---- SimulatedClock --------------------------------------------------------------------------

TEST(SimulatedClock, StartsWhereToldAndIsSimulated) {
  const SimulatedClock zero;
  EXPECT_EQ(zero.now(), 0);
  EXPECT_TRUE(zero.is_simulated());
  const SimulatedClock started(1'795'737'600 * kSecond);
  EXPECT_EQ(started.now(), 1'795'737'600 * kSecond);
  EXPECT_EQ(started.backwards_count(), 0u);
}

TEST(SimulatedClock, AdvancesForward) {
  SimulatedClock clock(100);
  clock.advance_to(150);
  EXPECT_EQ(clock.now(), 150);
  clock.advance_to(151);
  EXPECT_EQ(clock.now(), 151);
  EXPECT_EQ(clock.backwards_count(), 0u);
}

TEST(SimulatedClock, SameTimeIsNeitherAMoveNorBackwards) {
  SimulatedClock clock(100);
  clock.advance_to(100);
  EXPECT_EQ(clock.now(), 100);
  EXPECT_EQ(clock.backwards_count(), 0u);
}

TEST(SimulatedClock, NeverGoesBackwardsAndCountsAttempts) {
  SimulatedClock clock(1'000);
  clock.advance_to(999);
  EXPECT_EQ(clock.now(), 1'000);
  EXPECT_EQ(clock.backwards_count(), 1u);
  clock.advance_to(-5);
  clock.advance_to(0);
  EXPECT_EQ(clock.now(), 1'000);
  EXPECT_EQ(clock.backwards_count(), 3u);
  clock.advance_to(2'000);
  EXPECT_EQ(clock.now(), 2'000);
  clock.advance_to(1'500);
  EXPECT_EQ(clock.now(), 2'000);
  EXPECT_EQ(clock.backwards_count(), 4u);
}

TEST(SimulatedClock, MonotoneUnderAnArbitrarySequence) {
  SimulatedClock clock;
  const Timestamp inputs[] = {5, 3, 8, 8, 1, 20, 19, 21, -100, 21};
  Timestamp high = 0;
  uint64_t backwards = 0;
  for (const Timestamp t : inputs) {
    const Timestamp before = clock.now();
    clock.advance_to(t);
    EXPECT_GE(clock.now(), before);
    if (t < high) ++backwards;
    if (t > high) high = t;
    EXPECT_EQ(clock.now(), high);
  }
  EXPECT_EQ(clock.backwards_count(), backwards);
}

TEST(SimulatedClock, UsableThroughTheClockInterface) {
  SimulatedClock sim(42);
  const Clock& clock = sim;
  EXPECT_EQ(clock.now(), 42);
  EXPECT_TRUE(clock.is_simulated());
}

// ---- LiveClock -------------------------------------------------------------------------------

TEST(LiveClock, NowIsUtcNow) {
  const LiveClock clock;
  EXPECT_FALSE(clock.is_simulated());
  const Timestamp before = utc_now();
  const Timestamp now = clock.now();
  const Timestamp after = utc_now();
  // Sandwiched between two readings of the same clock; one second of slack allows for a clock
  // step by the time daemon between the reads.
  EXPECT_GE(now, before - kSecond);
  EXPECT_LE(now, after + kSecond);
  // And it is a real UTC date, not a monotonic counter.
  EXPECT_GT(now, utc_midnight("20200101"));
}

TEST(LiveClock, MonotonicNowNeverDecreases) {
  int64_t previous = monotonic_now();
  for (int i = 0; i < 100'000; ++i) {
    const int64_t t = monotonic_now();
    ASSERT_GE(t, previous) << "read " << i;
    previous = t;
  }
}

// ---- calendar --------------------------------------------------------------------------------

TEST(Calendar, DaysFromCivilKnownValues) {
  static_assert(days_from_civil(1970, 1, 1) == 0);
  EXPECT_EQ(days_from_civil(1970, 1, 2), 1);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 1, 1), 10'957);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11'017);
  EXPECT_EQ(days_from_civil(2000, 2, 29), 11'016);
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19'782);
  EXPECT_EQ(days_from_civil(2026, 11, 27), 20'784);
  EXPECT_EQ(days_from_civil(1900, 1, 1), -25'567);
  EXPECT_EQ(days_from_civil(1600, 3, 1), -135'080);
}

TEST(Calendar, DaysFromCivilIsContiguousAcrossMonthAndYearEnds) {
  // Consecutive calendar days differ by exactly one, through leap and non-leap Februaries.
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t expected = days_from_civil(1999, 1, 1);
  for (int64_t y = 1999; y <= 2101; ++y) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (unsigned m = 1; m <= 12; ++m) {
      const unsigned n = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
      for (unsigned d = 1; d <= n; ++d) {
        ASSERT_EQ(days_from_civil(y, m, d), expected) << y << "-" << m << "-" << d;
        ++expected;
      }
    }
  }
}

TEST(Calendar, UtcMidnight) {
  EXPECT_EQ(utc_midnight("19700101"), 0);
  EXPECT_EQ(utc_midnight("19700102"), kDay);
  EXPECT_EQ(utc_midnight("20261127"), 1'795'737'600 * kSecond);
  EXPECT_EQ(utc_midnight("20240229"), 19'782 * kDay);
}

TEST(Calendar, FormatUtcExactStrings) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(format_utc(1), "1970-01-01T00:00:00.000000001Z");
  EXPECT_EQ(format_utc(utc_midnight("20261127") + 90 * kMinute), "2026-11-27T01:30:00.000000000Z");
  EXPECT_EQ(
      format_utc(utc_midnight("20261127") + 23 * kHour + 59 * kMinute + 59 * kSecond + 999'999'999),
      "2026-11-27T23:59:59.999999999Z");
  EXPECT_EQ(format_utc(utc_midnight("20240229") + 12 * kHour + 123),
            "2024-02-29T12:00:00.000000123Z");
  EXPECT_EQ(format_utc(utc_midnight("20001231")), "2000-12-31T00:00:00.000000000Z");
}

TEST(Calendar, FormatUtcBeforeTheEpoch) {
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_utc(-kSecond), "1969-12-31T23:59:59.000000000Z");
  EXPECT_EQ(format_utc(-kDay), "1969-12-31T00:00:00.000000000Z");
  EXPECT_EQ(format_utc(-kDay - 1), "1969-12-30T23:59:59.999999999Z");
  EXPECT_EQ(format_utc(days_from_civil(1900, 3, 1) * kDay), "1900-03-01T00:00:00.000000000Z");
}

TEST(Calendar, FormatUtcAtTheLimitsOfTheTimestamp) {
  EXPECT_EQ(format_utc(INT64_MAX), "2262-04-11T23:47:16.854775807Z");
  EXPECT_EQ(format_utc(INT64_MIN), "1677-09-21T00:12:43.145224192Z");
}

TEST(Calendar, FormatUtcAgreesWithUtcMidnight) {
  for (const char* date : {"19700101", "19991231", "20000229", "20261127", "21000301"}) {
    const std::string d(date);
    const std::string expected =
        d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2) + "T00:00:00.000000000Z";
    EXPECT_EQ(format_utc(utc_midnight(d)), expected);
  }
}

// ---- validate_trading_date -------------------------------------------------------------------

TEST(ValidateTradingDate, AcceptsRealDates) {
  for (const char* date :
       {"20261127", "20240229", "20000229", "19700101", "20261231", "20260131", "20260430"}) {
    EXPECT_EQ(validate_trading_date(date), "") << date;
  }
}

TEST(ValidateTradingDate, RejectsImpossibleCalendarDates) {
  for (const char* date : {"20230229", "21000229", "20261301", "20260001", "20261100", "20260431",
                           "20260132", "19691231", "00000000"}) {
    EXPECT_EQ(validate_trading_date(date), "not a calendar date") << date;
  }
}

TEST(ValidateTradingDate, RejectsWrongLength) {
  for (const char* date : {"", "2026112", "202611270", "2026-11-27"}) {
    EXPECT_EQ(validate_trading_date(date), "expected YYYYMMDD (8 digits)") << date;
  }
}

TEST(ValidateTradingDate, RejectsNonDigits) {
  for (const char* date : {"2026112a", "abcdefgh", "2026-112", " 2026112", "+2026112"}) {
    EXPECT_EQ(validate_trading_date(date), "expected YYYYMMDD (digits only)") << date;
  }
}

}  // namespace
}  // namespace guiju
