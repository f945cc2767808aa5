// The mean_reversion sample plugin (strategies/mean_reversion) running in a real Engine: no
// orders during the EMA warm-up, a quote far below the EMA bids at the best bid, a moving bid
// replaces the working order (following the replacement's id), a recovered price cancels the bid
// and offers the holding at the ask, the position limit holds, stale orders are swept by the timer,
// and parameters parse from StrategyParameters with unknown or bad keys refused (ConfigError).

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock/calendar.hpp"
#include "core/config/config_error.hpp"
#include "core/engine/engine.hpp"
#include "tests/support/strategy_plugins.hpp"

namespace guiju {

template <typename Tag, int D>
void PrintTo(const Fixed64<Tag, D>& v, std::ostream* os) {
  *os << v.to_string();
}

namespace {

constexpr Timestamp kOpen = days_from_civil(2026, 11, 27) * 86400 * kSecond + 90 * kMinute;

Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}
Price Px(std::string_view text) {
  return *Price::parse(text);
}

template <typename T>
EventSlot Slot(const T& event) {
  EventSlot s;
  s.store(event);
  return s;
}

StrategyParameters Params(const std::vector<std::pair<std::string, std::string>>& values) {
  StrategyParameters p("strategies.yaml", "mr", 10);
  int line = 11;
  for (const auto& [key, value] : values) p.add({key, value, line++, 5});
  return p;
}

// lookback 4 (alpha 0.4), enter 10 bp below the EMA, exit 5 bp above, one lot per order.
std::vector<std::pair<std::string, std::string>> BaseValues() {
  return {{"lookback", "4"},   {"entry_bps", "10"},        {"exit_bps", "5"},
          {"order_lots", "1"}, {"max_position_lots", "5"}, {"order_timeout_ms", "30000"}};
}

class MeanReversionTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::pair<std::string, std::string>>& values = BaseValues()) {
    Instrument i;
    i.symbol = "600000";
    i.venue = "SSE";
    i.tick_size = Px("0.01");
    i.lot_size = Qty(100);
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = Px("10.00");
    registry_.add(i);
    EngineOptions options;
    options.max_orders = 256;
    options.order_ring_capacity = 64;
    engine_ = std::make_unique<Engine>(registry_, clock_, ids_, options);
    const AccountId account = engine_->add_account({"main", FeeSchedule{}});
    engine_->add_strategy("mr", account, {0},
                          test::sample_strategy("mean_reversion.so", Params(values)));
    engine_->start();
  }

  void SendQuote(std::string_view bid, std::string_view ask, Duration after = kMillisecond) {
    Quote q;
    const Timestamp t = clock_.now() + after;
    q.header = make_header<Quote>(t, t);
    q.instrument = 0;
    q.bid_price = Px(bid);
    q.bid_size = Qty(500);
    q.ask_price = Px(ask);
    q.ask_size = Qty(500);
    engine_->process(Slot(q));
  }
  void Report(OrderId id, ExecType type, OrderId orig = kNoOrder, int64_t qty = 0,
              std::string_view price = "0") {
    ExecutionReport r;
    const Timestamp t = clock_.now() + kMicrosecond;
    r.header = make_header<ExecutionReport>(t, t);
    r.order_id = id;
    r.orig_order_id = orig;
    r.exec_id = next_exec_id_++;
    r.exec_type = type;
    r.last_qty = Qty(qty);
    r.last_price = Px(price);
    engine_->process(Slot(r));
  }
  std::vector<EventSlot> Drain() {
    std::vector<EventSlot> out;
    EventSlot s;
    while (engine_->order_ring().try_pop(s)) out.push_back(s);
    return out;
  }
  // Four quotes at 10.00 / 10.02: the EMA settles at 10.01.
  void WarmUp() {
    for (int i = 0; i < 4; ++i) SendQuote("10.00", "10.02");
  }
  // Warm-up, then a dip to 9.80 / 9.82 (about 120 bp under the EMA): returns the buy's id.
  OrderId WarmUpAndDip() {
    WarmUp();
    SendQuote("9.80", "9.82");
    const auto sent = Drain();
    EXPECT_EQ(sent.size(), 1u);
    if (sent.size() != 1 || sent[0].type() != EventType::kNewOrder) return kNoOrder;
    return sent[0].as<NewOrder>().order_id;
  }

  InstrumentRegistry registry_;
  SimulatedClock clock_{kOpen};
  ClientOrderIdAllocator ids_{"MR", "20261127"};
  std::unique_ptr<Engine> engine_;
  ExecId next_exec_id_ = 1;
};

TEST_F(MeanReversionTest, NoOrderWhileTheEmaWarmsUpEvenOnLargeMoves) {
  Start();
  SendQuote("10.00", "10.02");
  SendQuote("9.00", "9.02");
  SendQuote("11.00", "11.02");
  EXPECT_TRUE(Drain().empty());
  EXPECT_EQ(engine_->orders().size(), 0u);
}

TEST_F(MeanReversionTest, QuoteAtTheEmaAfterWarmUpSendsNothing) {
  Start();
  WarmUp();
  EXPECT_TRUE(Drain().empty());
}

TEST_F(MeanReversionTest, QuoteFarBelowTheEmaBuysOneLotAtTheBestBid) {
  Start();
  WarmUp();
  SendQuote("9.80", "9.82");
  const auto sent = Drain();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].type(), EventType::kNewOrder);
  const NewOrder& n = sent[0].as<NewOrder>();
  EXPECT_EQ(n.side, Side::kBuy);
  EXPECT_EQ(n.type, OrderType::kLimit);
  EXPECT_EQ(n.tif, TimeInForce::kDay);
  EXPECT_EQ(n.price, Px("9.80"));
  EXPECT_EQ(n.quantity, Qty(100));
  EXPECT_EQ(n.instrument, 0u);
  EXPECT_EQ(n.client_order_id.view(), "MR20261127-1");
}

TEST_F(MeanReversionTest, MovingBidReplacesTheWorkingBuyAndFollowsTheReplacement) {
  Start();
  const OrderId first = WarmUpAndDip();
  Report(first, ExecType::kAck);

  SendQuote("9.79", "9.81");  // still far below the EMA, bid one tick lower
  auto sent = Drain();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].type(), EventType::kReplaceOrder);
  const ReplaceOrder r1 = sent[0].as<ReplaceOrder>();
  EXPECT_EQ(r1.order_id, first);
  EXPECT_EQ(r1.new_price, Px("9.79"));
  EXPECT_EQ(r1.new_quantity, Qty(100));

  Report(r1.new_order_id, ExecType::kReplaced, first);
  SendQuote("9.78", "9.80");
  sent = Drain();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].type(), EventType::kReplaceOrder);
  EXPECT_EQ(sent[0].as<ReplaceOrder>().order_id, r1.new_order_id)
      << "the strategy works the replacement, not the retired order";
  EXPECT_EQ(sent[0].as<ReplaceOrder>().new_price, Px("9.78"));
}

// While a replace is in flight the strategy's working order is the original (pending replace);
// the replacement id it holds is not open yet. A further quote must not start a second buy.
TEST_F(MeanReversionTest, NoSecondBuyWhileAReplaceIsUnconfirmed) {
  Start();
  const OrderId first = WarmUpAndDip();
  Report(first, ExecType::kAck);
  SendQuote("9.79", "9.81");
  ASSERT_EQ(Drain().size(), 1u);  // the replace

  SendQuote("9.78", "9.80");
  for (const EventSlot& e : Drain()) {
    EXPECT_NE(e.type(), EventType::kNewOrder)
        << "a second buy was sent while the first one's replace was unconfirmed";
  }
  size_t working_buys = 0;
  for (OrderId id : engine_->orders().open_orders()) {
    if (engine_->orders().find(id)->side == Side::kBuy) ++working_buys;
  }
  EXPECT_EQ(working_buys, 1u);
}

TEST_F(MeanReversionTest, SameBidLeavesTheWorkingOrderAlone) {
  Start();
  const OrderId first = WarmUpAndDip();
  Report(first, ExecType::kAck);
  SendQuote("9.80", "9.83");
  EXPECT_TRUE(Drain().empty());
}

TEST_F(MeanReversionTest, PriceBackAboveTheEmaCancelsTheBuy) {
  Start();
  const OrderId first = WarmUpAndDip();
  Report(first, ExecType::kAck);
  SendQuote("10.00", "10.02");
  const auto sent = Drain();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].type(), EventType::kCancelOrder);
  EXPECT_EQ(sent[0].as<CancelOrder>().order_id, first);
}

TEST_F(MeanReversionTest, HoldingIsOfferedAtTheAskOnceThePriceRecovers) {
  Start();
  const OrderId first = WarmUpAndDip();
  Report(first, ExecType::kAck);
  Report(first, ExecType::kFill, kNoOrder, 100, "9.80");
  ASSERT_EQ(engine_->portfolio().positions().at(0).quantity, Qty(100));

  SendQuote("10.00", "10.02");
  const auto sent = Drain();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].type(), EventType::kNewOrder);
  const NewOrder& n = sent[0].as<NewOrder>();
  EXPECT_EQ(n.side, Side::kSell);
  EXPECT_EQ(n.price, Px("10.02"));
  EXPECT_EQ(n.quantity, Qty(100));
}

TEST_F(MeanReversionTest, PositionLimitStopsFurtherEntries) {
  auto values = BaseValues();
  values[4].second = "1";  // max_position_lots
  Start(values);
  const OrderId first = WarmUpAndDip();
  Report(first, ExecType::kAck);
  Report(first, ExecType::kFill, kNoOrder, 100, "9.80");
  SendQuote("9.60", "9.62");  // even further below the EMA, but a lot is already held
  EXPECT_TRUE(Drain().empty());
}

TEST_F(MeanReversionTest, SweepTimerCancelsOrdersOlderThanTheTimeout) {
  auto values = BaseValues();
  values[5].second = "2000";  // order_timeout_ms: the sweep runs every second
  Start(values);
  const OrderId first = WarmUpAndDip();
  Report(first, ExecType::kAck);
  for (int s = 1; s <= 2; ++s) engine_->advance_time_to(kOpen + s * kSecond);
  EXPECT_TRUE(Drain().empty()) << "not yet older than two seconds";
  engine_->advance_time_to(kOpen + 3 * kSecond);
  const auto sent = Drain();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].type(), EventType::kCancelOrder);
  EXPECT_EQ(sent[0].as<CancelOrder>().order_id, first);
}

// ---- parameters ----

TEST(MeanReversionParamsTest, EveryParameterIsAcceptedAndMissingOnesDefault) {
  EXPECT_NE(test::sample_strategy("mean_reversion.so", Params({{"lookback", "20"},
                                                               {"entry_bps", "7.5"},
                                                               {"exit_bps", "-1.5"},
                                                               {"order_lots", "3"},
                                                               {"max_position_lots", "9"},
                                                               {"order_timeout_ms", "1500"}})),
            nullptr);
  EXPECT_NE(test::sample_strategy("mean_reversion.so", Params({{"lookback", "8"}})), nullptr);
}

TEST(MeanReversionParamsTest, UnknownParameterIsAConfigErrorNamingTheKeyAndLine) {
  try {
    test::sample_strategy("mean_reversion.so", Params({{"lookback", "8"}, {"lookbak", "9"}}));
    FAIL() << "an unknown parameter was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "strategies.yaml");
    EXPECT_EQ(e.line(), 12);
    EXPECT_NE(e.key().find("lookbak"), std::string::npos) << e.key();
    EXPECT_NE(std::string(e.what()).find("unknown parameter"), std::string::npos) << e.what();
  }
}

TEST(MeanReversionParamsTest, MalformedOrOutOfRangeValuesAreConfigErrors) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"lookback", "1"},
                                                        {"lookback", "ten"},
                                                        {"entry_bps", "abc"},
                                                        {"entry_bps", "-1"},
                                                        {"order_lots", "0"},
                                                        {"order_timeout_ms", "1.5"}}) {
    SCOPED_TRACE(key + "=" + value);
    try {
      test::sample_strategy("mean_reversion.so", Params({{key, value}}));
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(e.key().find(key), std::string::npos) << e.key();
    }
  }
}

}  // namespace
}  // namespace guiju
