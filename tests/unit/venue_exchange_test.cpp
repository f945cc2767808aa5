// The venue simulator's exchange: members' orders cross each other in price-time priority, the
// background market is resting liquidity that members take and that trades through them, and the
// A-share rules refuse with their names.

#include "adapters/sim/venue_exchange.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/clock/calendar.hpp"
#include "tests/support/instruments.hpp"

namespace guiju::sim {
namespace {

Price Px(const char* s) {
  return *Price::parse(s);
}
Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}

// 2026-11-27 10:00 China time: continuous trading.
Timestamp MorningSession() {
  return days_from_civil(2026, 11, 27) * 86400 * kSecond + 2 * 3600 * kSecond;
}

struct Recorded {
  OrderEventKind kind;
  VenueOrderId id;
  Price last_price;
  Quantity last_qty;
  Quantity cum, leaves;
  std::string text;
};

class Recorder : public ExchangeListener {
 public:
  void on_order_event(const OrderEvent& e) override {
    events.push_back({e.kind, e.order->id, e.last_price, e.last_qty, e.order->cum, e.order->leaves,
                      std::string(e.text)});
  }
  void on_public_trade(InstrumentId, Price price, Quantity qty, Timestamp) override {
    trades.emplace_back(price, qty);
  }
  void on_book_changed(InstrumentId) override { ++book_changes; }
  std::vector<Recorded> of(VenueOrderId id) const {
    std::vector<Recorded> out;
    for (const Recorded& r : events)
      if (r.id == id) out.push_back(r);
    return out;
  }
  std::vector<Recorded> events;
  std::vector<std::pair<Price, Quantity>> trades;
  int book_changes = 0;
};

class VenueExchangeTest : public ::testing::Test {
 protected:
  VenueExchangeTest() { exchange_.set_time(MorningSession()); }
  static InstrumentRegistry Registry() {
    InstrumentRegistry r;
    r.add(test::main_board_stock("600000", "10.00"));
    return r;
  }
  VenueOrderId Limit(AccountId account, Side side, const char* price, int64_t qty,
                     TimeInForce tif = TimeInForce::kDay) {
    OrderRequest r;
    r.account = account;
    r.instrument = 0;
    r.side = side;
    r.tif = tif;
    r.price = Px(price);
    r.quantity = Qty(qty);
    return exchange_.submit(r);
  }
  void Background(const char* bid, int64_t bid_size, const char* ask, int64_t ask_size) {
    EventSlot slot;
    BookUpdate u;
    u.header.event_time = MorningSession();
    u.instrument = 0;
    u.bid_levels = 1;
    u.ask_levels = 1;
    u.bids[0] = {Px(bid), Qty(bid_size)};
    u.asks[0] = {Px(ask), Qty(ask_size)};
    slot.store(u);
    exchange_.on_market_data(slot);
  }

  InstrumentRegistry registry_ = Registry();
  Recorder recorder_;
  Exchange exchange_{registry_, recorder_};
};

TEST_F(VenueExchangeTest, MembersOrdersCrossEachOtherAtTheRestingPrice) {
  const VenueOrderId buy = Limit(1, Side::kBuy, "10.02", 300);
  const VenueOrderId sell = Limit(2, Side::kSell, "10.00", 500);
  const auto b = recorder_.of(buy);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].kind, OrderEventKind::kNew);
  EXPECT_EQ(b[1].kind, OrderEventKind::kTrade);
  EXPECT_EQ(b[1].last_price, Px("10.02"));
  EXPECT_EQ(b[1].last_qty, Qty(300));
  EXPECT_TRUE(exchange_.order(buy)->done);
  const auto s = recorder_.of(sell);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].kind, OrderEventKind::kTrade);
  EXPECT_EQ(s[1].cum, Qty(300));
  EXPECT_EQ(s[1].leaves, Qty(200));  // the rest rests
  ASSERT_EQ(recorder_.trades.size(), 1u);
  EXPECT_EQ(exchange_.depth(0, Side::kSell, 1).at(0).price, Px("10.00"));
}

TEST_F(VenueExchangeTest, PriceThenTimePriorityAcrossMembers) {
  const VenueOrderId first = Limit(1, Side::kBuy, "10.00", 100);
  const VenueOrderId better = Limit(2, Side::kBuy, "10.01", 100);
  const VenueOrderId second = Limit(3, Side::kBuy, "10.00", 100);
  Limit(4, Side::kSell, "10.00", 200);
  EXPECT_TRUE(exchange_.order(better)->done);
  EXPECT_TRUE(exchange_.order(first)->done);
  EXPECT_FALSE(exchange_.order(second)->done);
}

TEST_F(VenueExchangeTest, MembersTakeBackgroundLiquidityUntilTheNextSnapshot) {
  Background("9.99", 1000, "10.01", 200);
  const VenueOrderId buy = Limit(1, Side::kBuy, "10.01", 500);
  const MemberOrder& o = *exchange_.order(buy);
  EXPECT_EQ(o.cum, Qty(200));
  EXPECT_EQ(o.leaves, Qty(300));  // rests at 10.01, best bid now
  EXPECT_EQ(exchange_.depth(0, Side::kBuy, 1).at(0).price, Px("10.01"));
  // The market moves through the resting bid: the new offer trades with it at its price.
  Background("9.98", 1000, "10.00", 1000);
  EXPECT_TRUE(o.done);
  EXPECT_EQ(recorder_.of(buy).back().last_price, Px("10.01"));
  EXPECT_EQ(o.average_price(), Px("10.01"));
}

TEST_F(VenueExchangeTest, BackgroundTradesArePrintedNotFilled) {
  const VenueOrderId bid = Limit(1, Side::kBuy, "10.00", 100);
  EventSlot slot;
  Trade t;
  t.header.event_time = MorningSession();
  t.instrument = 0;
  t.price = Px("9.90");
  t.size = Qty(500);
  slot.store(t);
  exchange_.on_market_data(slot);
  ASSERT_EQ(recorder_.trades.size(), 1u);
  EXPECT_FALSE(exchange_.order(bid)->done);
}

TEST_F(VenueExchangeTest, CancelAndReplaceAndTheirRefusals) {
  const VenueOrderId o = Limit(1, Side::kBuy, "10.00", 300);
  exchange_.replace(o, Px("10.01"), Qty(400));
  EXPECT_EQ(recorder_.events.back().kind, OrderEventKind::kReplaced);
  EXPECT_EQ(exchange_.order(o)->price, Px("10.01"));
  EXPECT_EQ(exchange_.order(o)->leaves, Qty(400));
  exchange_.cancel(o);
  EXPECT_EQ(recorder_.events.back().kind, OrderEventKind::kCanceled);
  exchange_.cancel(o);
  EXPECT_EQ(recorder_.events.back().kind, OrderEventKind::kCancelRejected);
  exchange_.replace(o, Px("10.02"), Qty(100));
  EXPECT_EQ(recorder_.events.back().kind, OrderEventKind::kReplaceRejected);
}

TEST_F(VenueExchangeTest, AShareRulesRefuseWithTheRuleName) {
  const VenueOrderId high = Limit(1, Side::kBuy, "11.05", 100);  // limit up is 11.00
  ASSERT_EQ(recorder_.of(high).size(), 1u);
  EXPECT_EQ(recorder_.of(high)[0].kind, OrderEventKind::kRejected);
  EXPECT_NE(recorder_.of(high)[0].text.find("limit up"), std::string::npos)
      << recorder_.of(high)[0].text;
  const VenueOrderId odd = Limit(1, Side::kBuy, "10.00", 150);
  EXPECT_EQ(recorder_.of(odd)[0].kind, OrderEventKind::kRejected);
  OrderRequest unknown;
  unknown.instrument = kNoInstrument;
  unknown.quantity = Qty(100);
  unknown.price = Px("1");
  exchange_.submit(unknown);
  EXPECT_EQ(recorder_.events.back().kind, OrderEventKind::kRejected);
  EXPECT_EQ(recorder_.events.back().text, "unknown symbol");
  exchange_.set_time(MorningSession() + 2 * 3600 * kSecond);  // 12:00: lunch break
  const VenueOrderId lunch = Limit(1, Side::kBuy, "10.00", 100);
  EXPECT_EQ(recorder_.of(lunch)[0].kind, OrderEventKind::kRejected);
}

TEST_F(VenueExchangeTest, IocRemainderExpiresAndOwnOrdersDoNotTrade) {
  Limit(2, Side::kSell, "10.00", 100);
  const VenueOrderId ioc = Limit(1, Side::kBuy, "10.00", 300, TimeInForce::kIoc);
  const auto e = recorder_.of(ioc);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[1].kind, OrderEventKind::kTrade);
  EXPECT_EQ(e[2].kind, OrderEventKind::kExpired);
  Limit(1, Side::kSell, "10.05", 100);
  const VenueOrderId own = Limit(1, Side::kBuy, "10.05", 100);
  EXPECT_EQ(recorder_.of(own).back().kind, OrderEventKind::kCanceled);  // self-match prevented
}

}  // namespace
}  // namespace guiju::sim
