// Tests for core/config/strategy_parameters.hpp: typed getters (int, double, bool, string,
// quantity, price) with fallbacks, errors that name the file, line, strategy and key, exact
// fixed-point values, and reject_unused() catching a parameter that no getter read.

#include "core/config/strategy_parameters.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/config/config_error.hpp"

namespace guiju {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Parameters of strategy "mr" from "s.yaml"; each key's value sits on its own line from 20 on.
class StrategyParametersTest : public ::testing::Test {
 protected:
  void Add(const std::string& key, const std::string& value) {
    params_.add({key, value, next_line_++, 7});
  }
  int LineOf(const std::string& key) const {
    for (const auto& e : params_.entries()) {
      if (e.key == key) return e.line;
    }
    return -1;
  }
  // Calls f expecting a ConfigError about `key`; checks where it points and returns its text.
  template <typename F>
  std::string ErrorFor(const std::string& key, F&& f) {
    try {
      f();
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_EQ(e.file(), "s.yaml");
      EXPECT_EQ(e.line(), LineOf(key)) << what;
      EXPECT_EQ(e.key(), "strategy 'mr' parameter " + key) << what;
      EXPECT_TRUE(Contains(what, "s.yaml:" + std::to_string(LineOf(key)) + ":7: ")) << what;
      EXPECT_TRUE(Contains(what, "strategy 'mr'")) << what;
      EXPECT_TRUE(Contains(what, key)) << what;
      return what;
    }
    ADD_FAILURE() << "no ConfigError for parameter " << key;
    return {};
  }

  StrategyParameters params_{"s.yaml", "mr", 18};
  int next_line_ = 20;
};

// ---- presence and fallbacks ------------------------------------------------------------------

TEST_F(StrategyParametersTest, MissingKeysReturnTheFallback) {
  EXPECT_EQ(params_.get_int("lookback", 120, 1, 1000), 120);
  EXPECT_DOUBLE_EQ(params_.get_double("entry_bps", 6.5, 0, 100), 6.5);
  EXPECT_TRUE(params_.get_bool("enabled", true));
  EXPECT_FALSE(params_.get_bool("enabled", false));
  EXPECT_EQ(params_.get_string("name", "x"), "x");
  EXPECT_EQ(params_.get_quantity("lot", *Quantity::parse("200")), *Quantity::parse("200"));
  EXPECT_EQ(params_.get_price("limit", *Price::parse("1.5")), *Price::parse("1.5"));
  EXPECT_NO_THROW(params_.reject_unused());
}

TEST_F(StrategyParametersTest, HasAndEntriesReflectWhatWasAdded) {
  Add("lookback", "120");
  EXPECT_TRUE(params_.has("lookback"));
  EXPECT_FALSE(params_.has("look"));
  ASSERT_EQ(params_.entries().size(), 1u);
  EXPECT_EQ(params_.entries()[0].value, "120");
  EXPECT_EQ(params_.strategy(), "mr");
}

TEST(StrategyParameters, DefaultConstructedHasNoParameters) {
  const StrategyParameters p;
  EXPECT_TRUE(p.entries().empty());
  EXPECT_EQ(p.get_int("x", 3, 0, 10), 3);
  EXPECT_NO_THROW(p.reject_unused());
}

// ---- integers --------------------------------------------------------------------------------

TEST_F(StrategyParametersTest, GetIntReadsValuesIncludingTheBounds) {
  Add("lookback", "120");
  Add("low", "1");
  Add("high", "1000");
  Add("negative", "-40");
  EXPECT_EQ(params_.get_int("lookback", 0, 1, 1000), 120);
  EXPECT_EQ(params_.get_int("low", 0, 1, 1000), 1);
  EXPECT_EQ(params_.get_int("high", 0, 1, 1000), 1000);
  EXPECT_EQ(params_.get_int("negative", 0, -100, 100), -40);
}

TEST_F(StrategyParametersTest, GetIntOutOfRangeNamesStrategyKeyLineAndRange) {
  Add("lookback", "1001");
  Add("entry_bps", "0");
  const std::string above = ErrorFor("lookback", [&] { params_.get_int("lookback", 0, 1, 1000); });
  EXPECT_TRUE(Contains(above, "[1, 1000]")) << above;
  EXPECT_TRUE(Contains(above, "got '1001'")) << above;
  const std::string below =
      ErrorFor("entry_bps", [&] { params_.get_int("entry_bps", 5, 1, 1000); });
  EXPECT_TRUE(Contains(below, "got '0'")) << below;
}

TEST_F(StrategyParametersTest, GetIntRejectsMalformedText) {
  for (const char* bad : {"12abc", "1.5", "", " 12", "12 ", "0x10", "99999999999999999999"}) {
    StrategyParameters p("s.yaml", "mr", 18);
    p.add({"n", bad, 30, 7});
    EXPECT_THROW(p.get_int("n", 0, INT64_MIN, INT64_MAX), ConfigError) << "'" << bad << "'";
  }
}

// ---- doubles ---------------------------------------------------------------------------------

TEST_F(StrategyParametersTest, GetDoubleReadsNumbers) {
  Add("entry_bps", "6.5");
  Add("tiny", "1e-3");
  Add("whole", "3");
  EXPECT_DOUBLE_EQ(params_.get_double("entry_bps", 0, 0, 100), 6.5);
  EXPECT_DOUBLE_EQ(params_.get_double("tiny", 0, 0, 1), 0.001);
  EXPECT_DOUBLE_EQ(params_.get_double("whole", 0, 0, 10), 3.0);
}

TEST_F(StrategyParametersTest, GetDoubleOutOfRangeIsAnError) {
  Add("entry_bps", "100.5");
  const std::string what =
      ErrorFor("entry_bps", [&] { params_.get_double("entry_bps", 0, 0, 100); });
  EXPECT_TRUE(Contains(what, "got '100.5'")) << what;
}

TEST_F(StrategyParametersTest, GetDoubleRejectsMalformedAndNonFiniteText) {
  for (const char* bad : {"abc", "", "6.5x", "nan", "inf", "-inf", "1e999"}) {
    StrategyParameters p("s.yaml", "mr", 18);
    p.add({"x", bad, 30, 7});
    EXPECT_THROW(p.get_double("x", 0, -1e300, 1e300), ConfigError) << "'" << bad << "'";
  }
}

// ---- booleans and strings --------------------------------------------------------------------

TEST_F(StrategyParametersTest, GetBoolAcceptsOnlyTrueAndFalse) {
  Add("on", "true");
  Add("off", "false");
  Add("yes", "yes");
  Add("capital", "True");
  EXPECT_TRUE(params_.get_bool("on", false));
  EXPECT_FALSE(params_.get_bool("off", true));
  const std::string what = ErrorFor("yes", [&] { params_.get_bool("yes", false); });
  EXPECT_TRUE(Contains(what, "true or false")) << what;
  EXPECT_TRUE(Contains(what, "got 'yes'")) << what;
  ErrorFor("capital", [&] { params_.get_bool("capital", false); });
}

TEST_F(StrategyParametersTest, GetStringReturnsTheTextAsWritten) {
  Add("model", "lstm-v2");
  Add("empty", "");
  EXPECT_EQ(params_.get_string("model", "x"), "lstm-v2");
  EXPECT_EQ(params_.get_string("empty", "x"), "");
}

// ---- fixed-point values ----------------------------------------------------------------------

TEST_F(StrategyParametersTest, GetQuantityIsExact) {
  Add("lot", "200");
  Add("fraction", "0.00000001");
  EXPECT_EQ(params_.get_quantity("lot", Quantity::zero()).raw(), 200 * Quantity::kScale);
  EXPECT_EQ(params_.get_quantity("fraction", Quantity::zero()).raw(), 1);
}

TEST_F(StrategyParametersTest, GetQuantityRejectsNonPositiveAndMalformed) {
  Add("zero", "0");
  Add("negative", "-100");
  Add("text", "abc");
  Add("precise", "0.000000001");
  EXPECT_TRUE(Contains(ErrorFor("zero", [&] { params_.get_quantity("zero", Quantity::zero()); }),
                       "positive quantity"));
  ErrorFor("negative", [&] { params_.get_quantity("negative", Quantity::zero()); });
  const std::string text = ErrorFor("text", [&] { params_.get_quantity("text", Quantity{}); });
  EXPECT_TRUE(Contains(text, "unexpected character")) << text;
  const std::string precise =
      ErrorFor("precise", [&] { params_.get_quantity("precise", Quantity{}); });
  EXPECT_TRUE(Contains(precise, "too many decimal places")) << precise;
}

TEST_F(StrategyParametersTest, GetPriceIsExactAndAllowsZero) {
  Add("limit", "1700.01");
  Add("zero", "0");
  EXPECT_EQ(params_.get_price("limit", Price::zero()).raw(), 170'001'000'000);
  EXPECT_EQ(params_.get_price("zero", *Price::parse("9")), Price::zero());
}

TEST_F(StrategyParametersTest, GetPriceRejectsNegativeAndMalformed) {
  Add("negative", "-0.01");
  Add("text", "1.2.3");
  Add("huge", "100000000000");
  const std::string neg = ErrorFor("negative", [&] { params_.get_price("negative", Price{}); });
  EXPECT_TRUE(Contains(neg, "non-negative price")) << neg;
  const std::string text = ErrorFor("text", [&] { params_.get_price("text", Price{}); });
  EXPECT_TRUE(Contains(text, "more than one decimal point")) << text;
  const std::string huge = ErrorFor("huge", [&] { params_.get_price("huge", Price{}); });
  EXPECT_TRUE(Contains(huge, "out of range")) << huge;
}

// ---- reject_unused ---------------------------------------------------------------------------

TEST_F(StrategyParametersTest, RejectUnusedPassesWhenEveryKeyWasRead) {
  Add("lookback", "120");
  Add("entry_bps", "6");
  Add("enabled", "true");
  params_.get_int("lookback", 0, 1, 1000);
  params_.get_double("entry_bps", 0, 0, 100);
  params_.get_bool("enabled", false);
  EXPECT_NO_THROW(params_.reject_unused());
}

TEST_F(StrategyParametersTest, RejectUnusedThrowsForAnUnreadKeyNamingIt) {
  Add("lookback", "120");
  Add("entyr_bps", "6");  // a typo the strategy never asks for
  Add("exit_bps", "3");
  params_.get_int("lookback", 0, 1, 1000);
  params_.get_int("entry_bps", 5, 0, 100);  // the intended key: absent, so the fallback
  params_.get_int("exit_bps", 0, 0, 100);
  const std::string what = ErrorFor("entyr_bps", [&] { params_.reject_unused(); });
  EXPECT_TRUE(Contains(what, "unknown parameter")) << what;
}

TEST_F(StrategyParametersTest, RejectUnusedReportsTheFirstUnreadKey) {
  Add("a", "1");
  Add("b", "2");
  Add("c", "3");
  params_.get_int("a", 0, 0, 10);
  ErrorFor("b", [&] { params_.reject_unused(); });
  params_.get_int("b", 0, 0, 10);
  ErrorFor("c", [&] { params_.reject_unused(); });
  params_.get_string("c", "");
  EXPECT_NO_THROW(params_.reject_unused());
}

TEST_F(StrategyParametersTest, AKeyReadAsAnyTypeCountsAsUsed) {
  Add("lot", "200");
  params_.get_quantity("lot", Quantity::zero());
  EXPECT_NO_THROW(params_.reject_unused());
}

}  // namespace
}  // namespace guiju
