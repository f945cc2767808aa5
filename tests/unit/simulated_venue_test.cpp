// SimulatedVenue (adapters/sim/simulated_venue.hpp), rule by rule from its fill model: a
// marketable order is acked then filled at the touch up to the displayed size; the rest of a day
// order rests while IOC and market remainders expire; FOK is all or nothing; a resting order fills
// at its own price when a quote crosses it or a trade prints strictly through it (not at it, with
// the touch model; with the queue model, once the displayed size ahead of it has traded);
// cancels and replaces of resting orders, refusals of unknown ones; invalid orders are rejected
// with a reason; execution ids are unique.

#include "adapters/sim/simulated_venue.hpp"

#include "core/clock/calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace guiju {

template <typename Tag, int D>
void PrintTo(const Fixed64<Tag, D>& v, std::ostream* os) {
  *os << v.to_string();
}
void PrintTo(ExecType t, std::ostream* os) {
  *os << to_string(t);
}
void PrintTo(RejectCode c, std::ostream* os) {
  *os << to_string(c);
}

namespace {

constexpr Timestamp kNow = 1'800'000'000'000'000'000;

Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}
Price Px(std::string_view text) {
  return *Price::parse(text);
}

InstrumentRegistry MakeRegistry() {
  InstrumentRegistry r;
  for (const char* symbol : {"600000", "000001"}) {
    Instrument i;
    i.symbol = symbol;
    i.venue = "SSE";
    i.tick_size = Px("0.01");
    i.lot_size = Qty(100);
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = Px("10.00");
    r.add(i);
  }
  return r;
}

template <typename T>
EventSlot Slot(const T& event) {
  EventSlot s;
  s.store(event);
  return s;
}

class SimulatedVenueTest : public ::testing::Test {
 protected:
  void Quote(std::string_view bid, int64_t bid_size, std::string_view ask, int64_t ask_size,
             InstrumentId instrument = 0) {
    guiju::Quote q;
    q.header = make_header<guiju::Quote>(now_, now_);
    q.instrument = instrument;
    q.bid_price = Px(bid);
    q.bid_size = Qty(bid_size);
    q.ask_price = Px(ask);
    q.ask_size = Qty(ask_size);
    venue_->on_market_data(Slot(q), now_);
  }
  void Print(std::string_view price, int64_t size, Side aggressor = Side::kSell) {
    guiju::Trade t;
    t.header = make_header<guiju::Trade>(now_, now_);
    t.instrument = 0;
    t.aggressor = aggressor;
    t.price = Px(price);
    t.size = Qty(size);
    venue_->on_market_data(Slot(t), now_);
  }
  void New(OrderId id, Side side, std::string_view price, int64_t qty,
           TimeInForce tif = TimeInForce::kDay, OrderType type = OrderType::kLimit,
           InstrumentId instrument = 0) {
    NewOrder n;
    n.order_id = id;
    n.instrument = instrument;
    n.side = side;
    n.type = type;
    n.tif = tif;
    n.price = Px(price);
    n.quantity = Qty(qty);
    venue_->on_order_event(Slot(n), now_);
  }
  void Market(OrderId id, Side side, int64_t qty) {
    New(id, side, "0", qty, TimeInForce::kDay, OrderType::kMarket);
  }
  void Cancel(OrderId id, Side side = Side::kBuy) {
    CancelOrder c;
    c.order_id = id;
    c.instrument = 0;
    c.side = side;
    venue_->on_order_event(Slot(c), now_);
  }
  void Replace(OrderId old_id, OrderId new_id, std::string_view price, int64_t qty,
               Side side = Side::kBuy) {
    ReplaceOrder r;
    r.order_id = old_id;
    r.new_order_id = new_id;
    r.instrument = 0;
    r.side = side;
    r.new_price = Px(price);
    r.new_quantity = Qty(qty);
    venue_->on_order_event(Slot(r), now_);
  }
  // Everything the venue reported since the last call.
  std::vector<ExecutionReport> Reports() {
    std::vector<ExecutionReport> out;
    EventSlot s;
    while (reports_.try_pop(s)) {
      EXPECT_EQ(s.type(), EventType::kExecutionReport);
      out.push_back(s.as<ExecutionReport>());
      all_.push_back(out.back());
    }
    return out;
  }

  const InstrumentRegistry registry_ = MakeRegistry();
  SpscRing<EventSlot> reports_{1024, BackPressure::kFail, "reports"};
  std::unique_ptr<SimulatedVenue> venue_ = std::make_unique<SimulatedVenue>(registry_, reports_);
  std::vector<ExecutionReport> all_;
  Timestamp now_ = kNow;
};

// ---- marketable orders ----

TEST_F(SimulatedVenueTest, MarketableLimitBuyIsAckedThenFilledAtTheAskUpToItsSize) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.05", 200);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].exec_type, ExecType::kAck);
  EXPECT_EQ(r[0].order_id, 1u);
  EXPECT_EQ(r[0].leaves_qty, Qty(200));
  EXPECT_EQ(r[0].order_qty, Qty(200));
  EXPECT_EQ(r[0].order_price, Px("10.05"));
  EXPECT_EQ(r[1].exec_type, ExecType::kFill);
  EXPECT_EQ(r[1].order_id, 1u);
  EXPECT_EQ(r[1].side, Side::kBuy);
  EXPECT_EQ(r[1].last_price, Px("10.02")) << "fills at the touch, not at its limit";
  EXPECT_EQ(r[1].last_qty, Qty(200));
  EXPECT_EQ(r[1].leaves_qty, Quantity::zero());
  EXPECT_EQ(r[1].cum_qty, Qty(200));
  EXPECT_EQ(venue_->resting_count(), 0u);
  EXPECT_EQ(venue_->fills(), 1u);
}

TEST_F(SimulatedVenueTest, MarketableLimitSellFillsAtTheBid) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kSell, "9.90", 100);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::kFill);
  EXPECT_EQ(r[1].last_price, Px("10.00"));
  EXPECT_EQ(r[1].side, Side::kSell);
}

TEST_F(SimulatedVenueTest, LimitAtExactlyTheAskIsMarketable) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.02", 100);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::kFill);
}

TEST_F(SimulatedVenueTest, DayRemainderBeyondTheDisplayedSizeRests) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.03", 500);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::kPartialFill);
  EXPECT_EQ(r[1].last_qty, Qty(300));
  EXPECT_EQ(r[1].leaves_qty, Qty(200));
  EXPECT_EQ(r[1].cum_qty, Qty(300));
  EXPECT_EQ(venue_->resting_count(), 1u);
}

TEST_F(SimulatedVenueTest, TakenLiquidityIsGoneUntilTheNextQuote) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.03", 500);  // takes all 300 shown
  New(2, Side::kBuy, "10.05", 100);
  Reports();
  EXPECT_EQ(venue_->resting_count(), 2u) << "nothing left at the ask for order 2";

  // The next quote shows 250 at 10.02: both resting orders are crossed and fill at their own
  // prices, in arrival order, while the shown size lasts.
  Quote("10.00", 500, "10.02", 250);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].order_id, 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kFill);
  EXPECT_EQ(r[0].last_qty, Qty(200));
  EXPECT_EQ(r[0].last_price, Px("10.03"));
  EXPECT_EQ(r[1].order_id, 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::kPartialFill);
  EXPECT_EQ(r[1].last_qty, Qty(50));
  EXPECT_EQ(r[1].last_price, Px("10.05"));
  EXPECT_EQ(venue_->resting_count(), 1u);
}

TEST_F(SimulatedVenueTest, IocRemainderExpires) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.03", 500, TimeInForce::kIoc);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].exec_type, ExecType::kAck);
  EXPECT_EQ(r[1].exec_type, ExecType::kPartialFill);
  EXPECT_EQ(r[1].last_qty, Qty(300));
  EXPECT_EQ(r[2].exec_type, ExecType::kExpired);
  EXPECT_EQ(r[2].order_id, 1u);
  EXPECT_EQ(r[2].cum_qty, Qty(300));
  EXPECT_EQ(r[2].reason.view(), "immediate-or-cancel remainder");
  EXPECT_EQ(venue_->resting_count(), 0u);
}

TEST_F(SimulatedVenueTest, NonMarketableIocExpiresUnfilled) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.01", 100, TimeInForce::kIoc);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::kExpired);
  EXPECT_EQ(r[1].cum_qty, Quantity::zero());
  EXPECT_EQ(venue_->fills(), 0u);
}

TEST_F(SimulatedVenueTest, MarketOrderTakesTheTouchAndItsRemainderExpires) {
  Quote("10.00", 500, "10.02", 300);
  Market(1, Side::kBuy, 500);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].exec_type, ExecType::kPartialFill);
  EXPECT_EQ(r[1].last_price, Px("10.02"));
  EXPECT_EQ(r[1].last_qty, Qty(300));
  EXPECT_EQ(r[2].exec_type, ExecType::kExpired);
  EXPECT_EQ(r[2].reason.view(), "market order remainder");

  Market(2, Side::kSell, 100);
  const auto s = Reports();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].exec_type, ExecType::kFill);
  EXPECT_EQ(s[1].last_price, Px("10.00"));
  EXPECT_EQ(venue_->resting_count(), 0u);
}

TEST_F(SimulatedVenueTest, MarketOrderWithNothingShownExpires) {
  Market(1, Side::kBuy, 100);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].exec_type, ExecType::kAck);
  EXPECT_EQ(r[1].exec_type, ExecType::kExpired);
  EXPECT_EQ(venue_->resting_count(), 0u);
}

TEST_F(SimulatedVenueTest, FokLargerThanTheTouchExpiresWithoutAnyFill) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.05", 400, TimeInForce::kFok);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].exec_type, ExecType::kAck);
  EXPECT_EQ(r[1].exec_type, ExecType::kExpired);
  EXPECT_EQ(r[1].cum_qty, Quantity::zero());
  EXPECT_EQ(venue_->fills(), 0u);

  // The refused FOK took nothing: a FOK the touch can cover fills completely.
  New(2, Side::kBuy, "10.05", 300, TimeInForce::kFok);
  const auto s = Reports();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].exec_type, ExecType::kFill);
  EXPECT_EQ(s[1].last_qty, Qty(300));
}

TEST_F(SimulatedVenueTest, NonMarketableFokExpires) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 100, TimeInForce::kFok);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::kExpired);
  EXPECT_EQ(venue_->resting_count(), 0u);
}

// ---- resting orders ----

TEST_F(SimulatedVenueTest, NonMarketableDayOrderIsAckedAndRests) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.01", 100);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kAck);
  EXPECT_EQ(venue_->resting_count(), 1u);
}

TEST_F(SimulatedVenueTest, RestingBuyFillsAtItsOwnPriceWhenTheAskComesThroughIt) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 100);
  Reports();

  Quote("9.97", 500, "9.99", 60);
  auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kPartialFill);
  EXPECT_EQ(r[0].last_price, Px("10.00")) << "at the order's price, not the quote's";
  EXPECT_EQ(r[0].last_qty, Qty(60)) << "up to the displayed size";
  EXPECT_EQ(r[0].leaves_qty, Qty(40));

  Quote("9.98", 500, "10.00", 500);  // an offer at the bid's price crosses it too
  r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kFill);
  EXPECT_EQ(r[0].last_qty, Qty(40));
  EXPECT_EQ(r[0].cum_qty, Qty(100));
  EXPECT_EQ(venue_->resting_count(), 0u);
}

TEST_F(SimulatedVenueTest, RestingSellFillsAtItsOwnPriceWhenTheBidComesThroughIt) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kSell, "10.05", 100);
  Reports();
  Quote("10.06", 1000, "10.08", 100);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kFill);
  EXPECT_EQ(r[0].last_price, Px("10.05"));
  EXPECT_EQ(r[0].side, Side::kSell);
}

TEST_F(SimulatedVenueTest, QuoteThatDoesNotReachARestingOrderFillsNothing) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 100);
  New(2, Side::kSell, "10.03", 100);
  Reports();
  Quote("10.00", 900, "10.01", 900);
  Quote("10.02", 900, "10.04", 900);
  EXPECT_TRUE(Reports().empty());
  EXPECT_EQ(venue_->resting_count(), 2u);
}

TEST_F(SimulatedVenueTest, QuoteOnAnotherInstrumentLeavesRestingOrdersAlone) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 100);
  Reports();
  Quote("9.90", 500, "9.92", 500, 1);
  EXPECT_TRUE(Reports().empty());
  EXPECT_EQ(venue_->resting_count(), 1u);
}

TEST_F(SimulatedVenueTest, TradeAtTheRestingPriceIsNotEnoughButThroughItFills) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 100);
  Reports();

  Print("10.00", 1000);
  EXPECT_TRUE(Reports().empty()) << "a print at our price: we were behind the shown size";

  Print("9.99", 30);
  auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kPartialFill);
  EXPECT_EQ(r[0].last_price, Px("10.00"));
  EXPECT_EQ(r[0].last_qty, Qty(30)) << "up to the trade's size";

  Print("9.98", 500);
  r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kFill);
  EXPECT_EQ(r[0].last_qty, Qty(70));
  EXPECT_EQ(venue_->resting_count(), 0u);
}

TEST_F(SimulatedVenueTest, TradeAboveARestingSellFillsItAtItsPrice) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kSell, "10.05", 100);
  Reports();
  Print("10.05", 500, Side::kBuy);
  EXPECT_TRUE(Reports().empty());
  Print("10.06", 500, Side::kBuy);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kFill);
  EXPECT_EQ(r[0].last_price, Px("10.05"));
}

TEST_F(SimulatedVenueTest, TradeSizeIsSharedAmongRestingOrdersInArrivalOrder) {
  Quote("10.00", 500, "10.05", 300);
  New(1, Side::kBuy, "10.00", 100);
  New(2, Side::kBuy, "10.01", 100);
  Reports();
  Print("9.99", 150);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].order_id, 1u);
  EXPECT_EQ(r[0].last_qty, Qty(100));
  EXPECT_EQ(r[1].order_id, 2u);
  EXPECT_EQ(r[1].last_qty, Qty(50));
  EXPECT_EQ(venue_->resting_count(), 1u);
}

TEST_F(SimulatedVenueTest, BookUpdateSetsTheTouchFromItsFirstLevel) {
  BookUpdate b;
  b.header = make_header<BookUpdate>(kNow, kNow);
  b.instrument = 0;
  b.bid_levels = 2;
  b.ask_levels = 2;
  b.bids[0] = {Px("10.00"), Qty(100)};
  b.bids[1] = {Px("9.99"), Qty(900)};
  b.asks[0] = {Px("10.02"), Qty(100)};
  b.asks[1] = {Px("10.03"), Qty(900)};
  venue_->on_market_data(Slot(b), kNow);
  New(1, Side::kBuy, "10.03", 300);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].last_price, Px("10.02"));
  EXPECT_EQ(r[1].last_qty, Qty(100)) << "only the top level is shown to the fill model";
}

// ---- cancel and replace ----

TEST_F(SimulatedVenueTest, CancelOfARestingOrderCancelsIt) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 100);
  Print("9.99", 30);
  Reports();
  Cancel(1);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kCanceled);
  EXPECT_EQ(r[0].order_id, 1u);
  EXPECT_EQ(r[0].cum_qty, Qty(30));
  EXPECT_EQ(r[0].order_qty, Qty(100));
  EXPECT_EQ(venue_->resting_count(), 0u);
}

TEST_F(SimulatedVenueTest, CancelOfAnUnknownOrFinishedOrderIsRejected) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.05", 100);  // fills at once
  Reports();
  for (OrderId id : {OrderId{1}, OrderId{77}}) {
    Cancel(id);
    const auto r = Reports();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].exec_type, ExecType::kCancelRejected);
    EXPECT_EQ(r[0].order_id, id);
    EXPECT_EQ(r[0].reject_code, RejectCode::kTooLateToCancel);
  }
}

TEST_F(SimulatedVenueTest, ReplaceMovesTheRestingOrderToItsNewId) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "9.99", 100);
  Reports();
  Replace(1, 2, "9.98", 200);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kReplaced);
  EXPECT_EQ(r[0].order_id, 2u);
  EXPECT_EQ(r[0].orig_order_id, 1u);
  EXPECT_EQ(r[0].order_price, Px("9.98"));
  EXPECT_EQ(r[0].order_qty, Qty(200));
  EXPECT_EQ(r[0].leaves_qty, Qty(200));
  EXPECT_EQ(venue_->resting_count(), 1u);

  Cancel(1);
  EXPECT_EQ(Reports().at(0).exec_type, ExecType::kCancelRejected) << "the old id is gone";
  Cancel(2);
  EXPECT_EQ(Reports().at(0).exec_type, ExecType::kCanceled);
  EXPECT_EQ(venue_->resting_count(), 0u);
}

TEST_F(SimulatedVenueTest, ReplaceThatBecomesMarketableFillsAtTheTouch) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "9.99", 100);
  Reports();
  Replace(1, 2, "10.02", 400);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].exec_type, ExecType::kReplaced);
  EXPECT_EQ(r[1].exec_type, ExecType::kPartialFill);
  EXPECT_EQ(r[1].order_id, 2u);
  EXPECT_EQ(r[1].last_price, Px("10.02"));
  EXPECT_EQ(r[1].last_qty, Qty(300));
  EXPECT_EQ(r[1].leaves_qty, Qty(100));
  EXPECT_EQ(venue_->resting_count(), 1u);

  // A fresh quote crosses what rests (at its own price); a replace of the finished order is
  // then refused, naming the replacement and the original.
  Quote("10.00", 500, "10.02", 300);
  Replace(2, 3, "10.02", 500);
  const auto s = Reports();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].exec_type, ExecType::kFill);
  EXPECT_EQ(s[0].order_id, 2u);
  EXPECT_EQ(s[0].last_qty, Qty(100));
  EXPECT_EQ(s[1].exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(s[1].order_id, 3u);
  EXPECT_EQ(s[1].orig_order_id, 2u);
  EXPECT_EQ(venue_->resting_count(), 0u);
}

TEST_F(SimulatedVenueTest, ReplaceKeepsWhatWasFilledAndRefusesAQuantityNotAboveIt) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 100);
  Print("9.99", 30);
  Reports();

  Replace(1, 2, "10.00", 150);
  auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kReplaced);
  EXPECT_EQ(r[0].cum_qty, Qty(30));
  EXPECT_EQ(r[0].leaves_qty, Qty(120));

  Replace(2, 3, "10.00", 30);
  r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(r[0].order_id, 3u);
  EXPECT_EQ(r[0].orig_order_id, 2u);
  EXPECT_EQ(r[0].reject_code, RejectCode::kInvalidQuantity);
  EXPECT_EQ(venue_->resting_count(), 1u);
  Cancel(2);
  EXPECT_EQ(Reports().at(0).exec_type, ExecType::kCanceled) << "order 2 still rests";
}

TEST_F(SimulatedVenueTest, ReplaceOfAnUnknownOrderIsRefusedNamingBothIds) {
  Replace(9, 10, "10.00", 100);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(r[0].order_id, 10u);
  EXPECT_EQ(r[0].orig_order_id, 9u);
  EXPECT_EQ(r[0].reject_code, RejectCode::kTooLateToCancel);
}

TEST_F(SimulatedVenueTest, ReplaceToAnOffTickPriceIsRefusedAndTheOrderKeepsResting) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "9.99", 100);
  Reports();
  Replace(1, 2, "9.995", 100);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(r[0].reject_code, RejectCode::kOffTick);
  Cancel(1);
  EXPECT_EQ(Reports().at(0).exec_type, ExecType::kCanceled);
}

// ---- rejects and ids ----

TEST_F(SimulatedVenueTest, InvalidOrdersAreRejectedWithCodeAndReasonAndNeverAcked) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.005", 100);
  New(2, Side::kBuy, "10.00", 0);
  New(3, Side::kBuy, "0", 100);
  New(4, Side::kBuy, "10.00", 100, TimeInForce::kDay, OrderType::kLimit, 9);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 4u);
  for (const ExecutionReport& e : r) {
    EXPECT_EQ(e.exec_type, ExecType::kRejected) << "order " << e.order_id;
    EXPECT_FALSE(e.reason.view().empty()) << "order " << e.order_id;
  }
  EXPECT_EQ(r[0].reject_code, RejectCode::kOffTick);
  EXPECT_EQ(r[0].reason.view(), "limit price not a multiple of the tick size");
  EXPECT_EQ(r[1].reject_code, RejectCode::kInvalidQuantity);
  EXPECT_EQ(r[2].reject_code, RejectCode::kInvalidPrice);
  EXPECT_EQ(r[3].reject_code, RejectCode::kUnknownInstrument);
  EXPECT_EQ(venue_->resting_count(), 0u);
  EXPECT_EQ(venue_->fills(), 0u);
}

TEST_F(SimulatedVenueTest, SecondOrderWithTheIdOfARestingOneIsRejected) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 100);
  New(1, Side::kBuy, "9.99", 100);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::kRejected);
  EXPECT_EQ(r[1].reject_code, RejectCode::kVenueRejected);
  EXPECT_EQ(venue_->resting_count(), 1u);
}

TEST_F(SimulatedVenueTest, ExecIdsAreUniqueAndReportsAreStampedInSequence) {
  Quote("10.00", 500, "10.02", 300);
  New(1, Side::kBuy, "10.05", 500);
  New(2, Side::kSell, "10.10", 100);
  New(3, Side::kBuy, "10.005", 100);
  Market(4, Side::kSell, 100);
  Replace(2, 5, "10.09", 200, Side::kSell);
  Cancel(5, Side::kSell);
  Cancel(42);
  Quote("9.90", 500, "9.92", 300);
  Print("9.80", 1000);
  Reports();
  ASSERT_GE(all_.size(), 10u);
  std::set<ExecId> ids;
  uint64_t last_sequence = 0;
  for (const ExecutionReport& e : all_) {
    EXPECT_NE(e.exec_id, 0u);
    EXPECT_TRUE(ids.insert(e.exec_id).second) << "exec id " << e.exec_id << " used twice";
    EXPECT_GT(e.header.sequence, last_sequence);
    last_sequence = e.header.sequence;
    EXPECT_EQ(e.header.type, EventType::kExecutionReport);
    EXPECT_EQ(e.header.source, 200u);
    EXPECT_EQ(e.header.event_time, kNow);
  }
}

TEST(SimulatedVenueRingTest, ReportThatDoesNotFitTheRingThrowsInsteadOfBeingDropped) {
  const InstrumentRegistry registry = MakeRegistry();
  SpscRing<EventSlot> tiny(2, BackPressure::kFail, "tiny");
  SimulatedVenue venue(registry, tiny);
  guiju::Quote q;
  q.instrument = 0;
  q.bid_price = Px("10.00");
  q.bid_size = Qty(500);
  q.ask_price = Px("10.02");
  q.ask_size = Qty(100);
  venue.on_market_data(Slot(q), kNow);
  NewOrder n;
  n.order_id = 1;
  n.instrument = 0;
  n.side = Side::kBuy;
  n.type = OrderType::kMarket;
  n.quantity = Qty(500);  // ack, partial fill, expiry: three reports for a ring of two
  EXPECT_THROW(venue.on_order_event(Slot(n), kNow), std::runtime_error);
}

// ---- the queue-position fill model ----

class QueueFillTest : public SimulatedVenueTest {
 protected:
  QueueFillTest() {
    VenueOptions options;
    options.fill_model = FillModel::kQueue;
    venue_ = std::make_unique<SimulatedVenue>(registry_, reports_, options);
  }
  Quantity Ahead(OrderId id) { return venue_->queue_ahead(0, id).value_or(Qty(-1)); }
};

TEST_F(QueueFillTest, AnOrderJoinsBehindTheDisplayedSizeAndFillsOnceItHasTraded) {
  Quote("9.99", 500, "10.01", 300);
  New(1, Side::kBuy, "9.99", 200);
  Reports();
  EXPECT_EQ(Ahead(1), Qty(500));
  Print("9.99", 300);  // sellers hit the bid: 300 of the 500 ahead
  EXPECT_TRUE(Reports().empty());
  EXPECT_EQ(Ahead(1), Qty(200));
  Print("9.99", 300);  // the last 200 ahead, then 100 for us
  auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kPartialFill);
  EXPECT_EQ(r[0].last_qty, Qty(100));
  EXPECT_EQ(r[0].last_price, Px("9.99"));
  EXPECT_EQ(Ahead(1), Qty(0));
  Print("9.99", 500);  // at the front now
  r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kFill);
  EXPECT_EQ(r[0].last_qty, Qty(100));
}

TEST_F(QueueFillTest, BuyerInitiatedTradesAtTheBidPriceDoNotWorkTheBidQueue) {
  Quote("9.99", 500, "10.01", 300);
  New(1, Side::kBuy, "9.99", 200);
  Reports();
  Print("9.99", 1000, Side::kBuy);
  EXPECT_TRUE(Reports().empty());
  EXPECT_EQ(Ahead(1), Qty(500));
}

TEST_F(QueueFillTest, CancelsInFrontMoveTheOrderUpOnlyAsFarAsTheDataShows) {
  Quote("9.99", 500, "10.01", 300);
  New(1, Side::kBuy, "9.99", 200);
  Reports();
  Quote("9.99", 800, "10.01", 300);  // more behind us: no change
  EXPECT_EQ(Ahead(1), Qty(500));
  Quote("9.99", 150, "10.01", 300);  // the level shrank below our queue: cancels in front
  EXPECT_EQ(Ahead(1), Qty(150));
  Print("9.99", 200);
  const auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].last_qty, Qty(50));
}

TEST_F(QueueFillTest, ANewBestPriceHasNothingAheadAndATradeThroughFillsAnyway) {
  Quote("9.99", 500, "10.02", 300);
  New(1, Side::kBuy, "10.00", 200);  // improves the bid: first in its own level
  Reports();
  EXPECT_EQ(Ahead(1), Qty(0));
  New(2, Side::kBuy, "9.99", 100);  // behind 500
  Reports();
  Print("9.98", 700);  // through both prices
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].order_id, 1u);
  EXPECT_EQ(r[0].last_price, Px("10.00"));
  EXPECT_EQ(r[1].order_id, 2u);
}

TEST_F(QueueFillTest, ASmallerReplaceKeepsThePlaceANewPriceGoesToTheBack) {
  Quote("9.99", 500, "10.01", 300);
  New(1, Side::kBuy, "9.99", 300);
  Reports();
  Print("9.99", 200);  // 300 ahead now
  Replace(1, 2, "9.99", 200);
  Reports();
  EXPECT_EQ(Ahead(2), Qty(300));
  Replace(2, 3, "9.98", 200);
  Reports();
  EXPECT_EQ(Ahead(3), Qty(0));  // 9.98 is not in the data: nothing displayed there
  Quote("9.99", 300, "10.01", 300);
  Replace(3, 4, "9.99", 200);  // back at 9.99: behind all 300 again
  Reports();
  EXPECT_EQ(Ahead(4), Qty(300));
}

// ---- the A-share rules at the venue ----

// 2026-11-27, hh:mm China time, in UTC.
Timestamp ChinaTime(int h, int m) {
  return days_from_civil(2026, 11, 27) * 86400 * kSecond + (h - 8) * kHour + m * kMinute;
}

class MarketRulesTest : public SimulatedVenueTest {
 protected:
  MarketRulesTest() {
    VenueOptions options;
    options.ashare_rules = true;
    venue_ = std::make_unique<SimulatedVenue>(registry_, reports_, options);
    now_ = ChinaTime(10, 0);
  }
  // The last report's reason.
  std::string Why() {
    const auto r = Reports();
    return r.empty() ? "(no report)" : std::string(r.back().reason.view());
  }
};

TEST_F(MarketRulesTest, EachRefusalNamesTheExchangeRule) {
  Quote("9.99", 500, "10.01", 300);
  Reports();
  New(1, Side::kBuy, "11.01", 100);  // previous close 10.00, main board: limit up 11.00
  EXPECT_EQ(Why(), "above the daily limit up");
  New(2, Side::kSell, "8.99", 100);
  EXPECT_EQ(Why(), "below the daily limit down");
  New(3, Side::kBuy, "9.99", 150);
  EXPECT_EQ(Why(), "buy not in whole lots");
  now_ = ChinaTime(12, 0);
  New(4, Side::kBuy, "9.99", 100);
  EXPECT_EQ(Why(), "market closed");
  now_ = ChinaTime(16, 0);
  New(5, Side::kBuy, "9.99", 100);
  EXPECT_EQ(Why(), "market closed");
}

TEST_F(MarketRulesTest, AnOrderOutsideThePriceCageIsRefusedByName) {
  Quote("9.99", 500, "10.01", 300);
  Reports();
  New(1, Side::kBuy, "10.22", 100);  // the cage: 10.01 + 2% = 10.2102, so 10.21 at most
  EXPECT_EQ(Why(), "outside the price cage of continuous trading");
  New(2, Side::kSell, "9.79", 100);  // 9.99 - 2% = 9.7902, so 9.80 at least
  EXPECT_EQ(Why(), "outside the price cage of continuous trading");
  New(3, Side::kBuy, "10.21", 100);  // inside: marketable, fills at the touch
  const auto r = Reports();
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r.back().exec_type, ExecType::kFill);
  EXPECT_EQ(r.back().last_price, Px("10.01"));
  // A replace is caged like a new order.
  New(4, Side::kBuy, "9.98", 100);
  Reports();
  Replace(4, 5, "10.30", 100);
  const auto refused = Reports();
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(std::string(refused[0].reason.view()), "outside the price cage of continuous trading");
}

TEST_F(MarketRulesTest, CancelsAreRefusedInTheClosingAuction) {
  Quote("9.99", 500, "10.01", 300);
  New(1, Side::kBuy, "9.98", 100);
  ASSERT_EQ(Reports().back().exec_type, ExecType::kAck);
  now_ = ChinaTime(14, 58);
  Cancel(1);
  auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(std::string(r[0].reason.view()), "no cancels in this phase");
  Replace(1, 2, "9.97", 100);
  r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kCancelRejected);
  now_ = ChinaTime(14, 0);
  Cancel(1);
  EXPECT_EQ(Reports().back().exec_type, ExecType::kCanceled);
}

TEST_F(MarketRulesTest, ACallAuctionCollectsOrdersInsteadOfFillingThem) {
  now_ = ChinaTime(9, 16);
  Quote("9.99", 500, "10.01", 300);
  New(1, Side::kBuy, "10.05", 100);  // would cross the touch in continuous trading
  auto r = Reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::kAck);
  EXPECT_EQ(venue_->resting_count(), 1u);
  Market(2, Side::kBuy, 100);
  EXPECT_EQ(Why(), "only day limit orders in a call auction");
  New(3, Side::kBuy, "10.00", 100, TimeInForce::kIoc);
  EXPECT_EQ(Why(), "only day limit orders in a call auction");
}

TEST_F(MarketRulesTest, TPlusOneSellsOnlyWhatWasHeldOvernight) {
  VenueOptions options;
  options.ashare_rules = true;
  options.holdings = {{0, 0, Qty(300)}};  // account 0 held 300 of instrument 0 overnight
  venue_ = std::make_unique<SimulatedVenue>(registry_, reports_, options);
  Quote("9.99", 5000, "10.01", 5000);
  New(1, Side::kBuy, "10.01", 500);  // bought today: not sellable today
  EXPECT_EQ(Reports().back().exec_type, ExecType::kFill);
  New(2, Side::kSell, "10.02", 400);
  EXPECT_EQ(Why(), "T+1: more than is sellable today");
  New(3, Side::kSell, "10.02", 200);  // rests, and holds 200 of the 300
  EXPECT_EQ(Reports().back().exec_type, ExecType::kAck);
  New(4, Side::kSell, "10.03", 200);
  EXPECT_EQ(Why(), "T+1: more than is sellable today");
  Replace(3, 5, "10.02", 300, Side::kSell);  // its own offer given back first: 300 fits
  EXPECT_EQ(Reports().back().exec_type, ExecType::kReplaced);
  Cancel(5, Side::kSell);
  EXPECT_EQ(Reports().back().exec_type, ExecType::kCanceled);
  New(6, Side::kSell, "9.99", 300);  // all 300 sellable again, and it sells
  EXPECT_EQ(Reports().back().exec_type, ExecType::kFill);
  New(7, Side::kSell, "9.99", 100);
  EXPECT_EQ(Why(), "T+1: more than is sellable today");
}

TEST_F(MarketRulesTest, RestingDayOrdersExpireAtTheClose) {
  Quote("9.99", 500, "10.01", 300);
  New(1, Side::kBuy, "9.98", 100);
  Reports();
  now_ = ChinaTime(15, 1);
  Cancel(1);  // too late to cancel: the order has expired with the day
  const auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].exec_type, ExecType::kExpired);
  EXPECT_EQ(std::string(r[0].reason.view()), "day order expired at the close");
  EXPECT_EQ(r[1].exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(venue_->resting_count(), 0u);
}

}  // namespace
}  // namespace guiju
