#pragma once
// The instrument most tests trade: a Shanghai main-board stock, tick 0.01, lots of 100.

#include "core/model/instrument.hpp"

namespace guiju::test {

inline Instrument main_board_stock(const char* symbol = "600000",
                                   const char* previous_close = "10.00") {
  Instrument i;
  i.symbol = symbol;
  i.venue = "SSE";
  i.tick_size = *Price::parse("0.01");
  i.lot_size = Quantity::from_units(100);
  i.board = Board::kMain;
  i.currency = "CNY";
  i.previous_close = *Price::parse(previous_close);
  return i;
}

}  // namespace guiju::test
