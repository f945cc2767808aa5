// Tests for core/model/instrument.hpp: InstrumentRegistry (add, find, id_of, get, dense ids,
// validation errors naming the symbol and field) and the Board name round trip.

#include "core/model/instrument.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace guiju {
namespace {

Instrument MakeInstrument(const std::string& symbol, const std::string& venue = "SSE") {
  Instrument i;
  i.symbol = symbol;
  i.venue = venue;
  i.tick_size = *Price::parse("0.01");
  i.lot_size = *Quantity::parse("100");
  i.board = Board::kMain;
  i.currency = "CNY";
  i.previous_close = *Price::parse("1700.00");
  return i;
}

// Runs add() expecting std::invalid_argument and returns its message.
std::string AddError(InstrumentRegistry& registry, const Instrument& spec) {
  try {
    registry.add(spec);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  ADD_FAILURE() << "add() accepted instrument '" << spec.symbol << "'";
  return {};
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(InstrumentRegistry, StartsEmpty) {
  const InstrumentRegistry registry;
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_TRUE(registry.all().empty());
  EXPECT_EQ(registry.find("600519"), nullptr);
  EXPECT_FALSE(registry.id_of("600519").has_value());
  EXPECT_FALSE(registry.contains(0));
}

TEST(InstrumentRegistry, AssignsDenseIdsInInsertionOrder) {
  InstrumentRegistry registry;
  EXPECT_EQ(registry.add(MakeInstrument("600519")), 0u);
  EXPECT_EQ(registry.add(MakeInstrument("000001", "SZSE")), 1u);
  EXPECT_EQ(registry.add(MakeInstrument("300750", "SZSE")), 2u);
  EXPECT_EQ(registry.size(), 3u);
  ASSERT_EQ(registry.all().size(), 3u);
  for (InstrumentId id = 0; id < 3; ++id) {
    EXPECT_TRUE(registry.contains(id));
    EXPECT_EQ(registry.get(id).id, id);
    EXPECT_EQ(registry.all()[id].id, id);
  }
  EXPECT_FALSE(registry.contains(3));
  EXPECT_FALSE(registry.contains(kNoInstrument));
}

TEST(InstrumentRegistry, FindAndIdOfReturnTheStoredInstrument) {
  InstrumentRegistry registry;
  registry.add(MakeInstrument("600519"));
  Instrument spec = MakeInstrument("000001", "SZSE");
  spec.board = Board::kChiNext;
  spec.previous_close = *Price::parse("11.20");
  spec.lot_size = *Quantity::parse("200");
  registry.add(spec);

  const Instrument* found = registry.find("000001");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->id, 1u);
  EXPECT_EQ(found->symbol, "000001");
  EXPECT_EQ(found->venue, "SZSE");
  EXPECT_EQ(found->board, Board::kChiNext);
  EXPECT_EQ(found->currency, "CNY");
  EXPECT_EQ(found->tick_size, *Price::parse("0.01"));
  EXPECT_EQ(found->lot_size, *Quantity::parse("200"));
  EXPECT_EQ(found->previous_close, *Price::parse("11.2"));
  EXPECT_EQ(found, &registry.get(1));

  ASSERT_TRUE(registry.id_of("600519").has_value());
  EXPECT_EQ(*registry.id_of("600519"), 0u);
  EXPECT_EQ(*registry.id_of("000001"), 1u);
  EXPECT_FALSE(registry.id_of("999999").has_value());
  EXPECT_EQ(registry.find("999999"), nullptr);
  EXPECT_EQ(registry.find("60051"), nullptr) << "no prefix matching";
  EXPECT_EQ(registry.find(""), nullptr);
}

TEST(InstrumentRegistry, IgnoresTheIdInTheSpec) {
  InstrumentRegistry registry;
  Instrument spec = MakeInstrument("600519");
  spec.id = 42;
  EXPECT_EQ(registry.add(spec), 0u);
  EXPECT_EQ(registry.get(0).id, 0u);
}

TEST(InstrumentRegistry, ZeroPreviousCloseIsAllowed) {
  InstrumentRegistry registry;
  Instrument spec = MakeInstrument("600519");
  spec.previous_close = Price::zero();
  EXPECT_EQ(registry.add(spec), 0u);
}

TEST(InstrumentRegistry, RejectsDuplicateSymbolNamingIt) {
  InstrumentRegistry registry;
  registry.add(MakeInstrument("600519"));
  const std::string error = AddError(registry, MakeInstrument("600519", "SZSE"));
  EXPECT_TRUE(Contains(error, "600519")) << error;
  EXPECT_TRUE(Contains(error, "already registered")) << error;
  EXPECT_EQ(registry.size(), 1u) << "a rejected add must not change the registry";
  EXPECT_EQ(registry.get(0).venue, "SSE");
}

TEST(InstrumentRegistry, RejectsEmptySymbol) {
  InstrumentRegistry registry;
  const std::string error = AddError(registry, MakeInstrument(""));
  EXPECT_TRUE(Contains(error, "symbol")) << error;
  EXPECT_EQ(registry.size(), 0u);
}

struct InvalidFieldCase {
  const char* name;
  void (*mutate)(Instrument&);
  const char* field;
};

class InstrumentRegistryInvalidField : public ::testing::TestWithParam<InvalidFieldCase> {};

TEST_P(InstrumentRegistryInvalidField, IsRejectedNamingSymbolAndField) {
  InstrumentRegistry registry;
  Instrument spec = MakeInstrument("688981");
  GetParam().mutate(spec);
  const std::string error = AddError(registry, spec);
  EXPECT_TRUE(Contains(error, "688981")) << error;
  EXPECT_TRUE(Contains(error, GetParam().field)) << error;
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_EQ(registry.find("688981"), nullptr) << "a rejected symbol must not be registered";
  // The symbol is still free: a corrected spec is accepted.
  EXPECT_EQ(registry.add(MakeInstrument("688981")), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, InstrumentRegistryInvalidField,
    ::testing::Values(
        InvalidFieldCase{"EmptyVenue", [](Instrument& i) { i.venue.clear(); }, "venue"},
        InvalidFieldCase{"ZeroTick", [](Instrument& i) { i.tick_size = Price::zero(); },
                         "tick_size"},
        InvalidFieldCase{"NegativeTick",
                         [](Instrument& i) { i.tick_size = *Price::parse("-0.01"); }, "tick_size"},
        InvalidFieldCase{"ZeroLot", [](Instrument& i) { i.lot_size = Quantity::zero(); },
                         "lot_size"},
        InvalidFieldCase{"NegativeLot",
                         [](Instrument& i) { i.lot_size = *Quantity::parse("-100"); }, "lot_size"},
        InvalidFieldCase{"TwoLetterCurrency", [](Instrument& i) { i.currency = "CN"; }, "currency"},
        InvalidFieldCase{"FourLetterCurrency", [](Instrument& i) { i.currency = "CNYY"; },
                         "currency"},
        InvalidFieldCase{"EmptyCurrency", [](Instrument& i) { i.currency.clear(); }, "currency"},
        InvalidFieldCase{"NegativePreviousClose",
                         [](Instrument& i) { i.previous_close = *Price::parse("-1"); },
                         "previous_close"},
        InvalidFieldCase{"PreviousCloseOffTick",
                         [](Instrument& i) { i.previous_close = *Price::parse("1700.005"); },
                         "previous_close"}),
    [](const ::testing::TestParamInfo<InvalidFieldCase>& param_info) {
      return param_info.param.name;
    });

TEST(InstrumentRegistry, PreviousCloseOffTickMessageSaysTickSize) {
  InstrumentRegistry registry;
  Instrument spec = MakeInstrument("600519");
  spec.tick_size = *Price::parse("0.05");
  spec.previous_close = *Price::parse("10.02");
  const std::string error = AddError(registry, spec);
  EXPECT_TRUE(Contains(error, "previous_close")) << error;
  EXPECT_TRUE(Contains(error, "tick_size")) << error;
}

TEST(InstrumentRegistry, PreviousCloseOnACoarseTickIsAccepted) {
  InstrumentRegistry registry;
  Instrument spec = MakeInstrument("600519");
  spec.tick_size = *Price::parse("0.05");
  spec.previous_close = *Price::parse("10.05");
  EXPECT_EQ(registry.add(spec), 0u);
}

TEST(Board, ToStringAndParseRoundTrip) {
  for (Board b :
       {Board::kMain, Board::kChiNext, Board::kStar, Board::kRiskWarning, Board::kOther}) {
    const auto parsed = parse_board(to_string(b));
    ASSERT_TRUE(parsed.has_value()) << to_string(b);
    EXPECT_EQ(*parsed, b);
  }
}

TEST(Board, NamesAreTheConfigSpellings) {
  EXPECT_EQ(to_string(Board::kMain), "main");
  EXPECT_EQ(to_string(Board::kChiNext), "chinext");
  EXPECT_EQ(to_string(Board::kStar), "star");
  EXPECT_EQ(to_string(Board::kRiskWarning), "st");
  EXPECT_EQ(to_string(Board::kOther), "other");
}

TEST(Board, ParseRejectsUnknownAndDifferentlyCasedNames) {
  EXPECT_FALSE(parse_board("").has_value());
  EXPECT_FALSE(parse_board("Main").has_value());
  EXPECT_FALSE(parse_board("MAIN").has_value());
  EXPECT_FALSE(parse_board("gem").has_value());
  EXPECT_FALSE(parse_board("main ").has_value());
}

}  // namespace
}  // namespace guiju
