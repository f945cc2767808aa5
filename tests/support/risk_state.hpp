#pragma once
// The engine state a pre-trade check reads (core/risk/pre_trade_check.hpp), built by hand for
// the risk tests: main-board stocks 600000, 600001, ... at the given previous closes, their
// books, a portfolio and an OMS with room for 64 orders.

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/book.hpp"
#include "core/oms/order_manager.hpp"
#include "core/portfolio/portfolio.hpp"
#include "core/risk/pre_trade_check.hpp"
#include "tests/support/instruments.hpp"

namespace guiju::test {

struct RiskState {
  explicit RiskState(const std::vector<const char*>& previous_closes)
      : books(previous_closes.size()), portfolio(previous_closes.size()), orders(1, 64, 64) {
    for (size_t i = 0; i < previous_closes.size(); ++i) {
      registry.add(main_board_stock(std::to_string(600000 + i).c_str(), previous_closes[i]));
    }
  }

  RiskView View(Timestamp now) const {
    return {registry, books.data(), portfolio, orders, now, nullptr};
  }
  // A limit order of account 0, strategy 0.
  static NewOrder NewLimit(Side side, const char* price, int64_t qty, InstrumentId instrument = 0) {
    NewOrder n;
    n.instrument = instrument;
    n.strategy = 0;
    n.side = side;
    n.price = *Price::parse(price);
    n.quantity = Quantity::from_units(qty);
    return n;
  }
  // The order, sent and working in the OMS.
  OrderId Rest(Side side, const char* price, int64_t qty) {
    NewOrder n = NewLimit(side, price, qty);
    n.order_id = next_id++;
    orders.create(n, 0);
    return n.order_id;
  }
  // A two-sided quote of 500 shares a side at `time`.
  void Quote(InstrumentId instrument, const char* bid, const char* ask, Timestamp time = 0) {
    guiju::Quote q;
    q.header.event_time = time;
    q.instrument = instrument;
    q.bid_price = *Price::parse(bid);
    q.bid_size = Quantity::from_units(500);
    q.ask_price = *Price::parse(ask);
    q.ask_size = Quantity::from_units(500);
    books[instrument].apply(q);
  }

  InstrumentRegistry registry;
  std::vector<Book> books;
  Portfolio portfolio;
  OrderManager orders;
  OrderId next_id = 1;
};

}  // namespace guiju::test
