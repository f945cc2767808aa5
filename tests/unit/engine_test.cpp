// Engine (core/engine/engine.hpp) with test strategies (core/strategy/strategy.hpp) that record
// their callbacks and act through StrategyContext: market data routing to subscribers, submit,
// validation and pre-trade checks, execution reports into callbacks and the portfolio, cancel and
// replace, ownership of orders, timers on the simulated clock, quarantine of a throwing strategy,
// kill switch, stop, a full order ring under BackPressure::kFail, and poll() over inbound rings.

#include "core/engine/engine.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/support/engine_harness.hpp"

namespace guiju {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): the fixture's helpers

// ---- market data ----

TEST_F(EngineTest, MarketDataUpdatesTheBookAndReachesOnlySubscribedStrategies) {
  Build();
  TestStrategy* a = Add("a", {0});
  TestStrategy* b = Add("b", {1});
  TestStrategy* both = Add("both", {0, 1});
  engine_->start();

  SendQuote(0, "10.00", "10.02", kSecond);
  const Book& book0 = engine_->book(0);
  EXPECT_EQ(book0.best_bid().price, Px("10.00"));
  EXPECT_EQ(book0.best_bid().size, Qty(500));
  EXPECT_EQ(book0.best_ask().price, Px("10.02"));
  EXPECT_EQ(book0.updated(), kOpen + kSecond);
  EXPECT_EQ(engine_->now(), kOpen + kSecond) << "events drive simulated time";
  EXPECT_EQ(engine_->portfolio().mark(0), Px("10.01")) << "marked at the mid";
  EXPECT_EQ(a->quotes, 1);
  EXPECT_EQ(both->quotes, 1);
  EXPECT_EQ(b->quotes, 0);

  BookUpdate u;
  u.header = make_header<BookUpdate>(At(kSecond), At(kSecond));
  u.instrument = 1;
  u.bid_levels = 2;
  u.ask_levels = 1;
  u.bids[0] = {Px("11.98"), Qty(100)};
  u.bids[1] = {Px("11.97"), Qty(200)};
  u.asks[0] = {Px("12.00"), Qty(300)};
  engine_->process(Slot(u));
  EXPECT_EQ(engine_->book(1).bid_levels(), 2);
  EXPECT_EQ(engine_->book(1).bid_level(1).price, Px("11.97"));
  EXPECT_EQ(engine_->book(1).best_ask().price, Px("12.00"));
  EXPECT_EQ(b->books, 1);
  EXPECT_EQ(both->books, 1);
  EXPECT_EQ(a->books, 0);

  Trade t;
  t.header = make_header<Trade>(At(kSecond), At(kSecond));
  t.instrument = 0;
  t.price = Px("10.02");
  t.size = Qty(700);
  engine_->process(Slot(t));
  EXPECT_EQ(engine_->book(0).last_trade().price, Px("10.02"));
  EXPECT_EQ(engine_->book(0).last_trade().size, Qty(700));
  EXPECT_EQ(a->trades, 1);
  EXPECT_EQ(both->trades, 1);
  EXPECT_EQ(b->trades, 0);

  const EngineCounters& c = engine_->counters();
  EXPECT_EQ(c.events_in[static_cast<size_t>(EventType::kQuote)], 1u);
  EXPECT_EQ(c.events_in[static_cast<size_t>(EventType::kBookUpdate)], 1u);
  EXPECT_EQ(c.events_in[static_cast<size_t>(EventType::kTrade)], 1u);
  EXPECT_EQ(c.total_events_in(), 3u);
}

TEST_F(EngineTest, QuoteForAnUnknownInstrumentIsCountedAndReachesNoStrategy) {
  Build();
  TestStrategy* s = Add("s", {0, 1});
  engine_->start();
  SendQuote(7, "1.00", "1.01");
  EXPECT_EQ(s->quotes, 0);
  EXPECT_EQ(engine_->counters().unroutable_events, 1u);
}

TEST_F(EngineTest, StartCallsOnStartOnceForEveryStrategy) {
  Build();
  TestStrategy* a = Add("a", {0});
  TestStrategy* b = Add("b", {});
  engine_->start();
  EXPECT_EQ(a->starts, 1);
  EXPECT_EQ(b->starts, 1);
  ASSERT_NE(a->ctx, nullptr);
  EXPECT_EQ(a->ctx->id(), a->sid);
  EXPECT_EQ(b->ctx->id(), b->sid);
  EXPECT_EQ(a->ctx->account(), account_);
  EXPECT_EQ(engine_->strategy_count(), 2u);
  EXPECT_EQ(engine_->strategy_name(b->sid), "b");
}

TEST_F(EngineTest, WiringErrorsAreRefused) {
  Build();
  EXPECT_THROW(engine_->add_strategy("x", 5, {0}, std::make_unique<TestStrategy>()),
               std::invalid_argument);
  EXPECT_THROW(engine_->add_strategy("y", account_, {9}, std::make_unique<TestStrategy>()),
               std::invalid_argument);
  engine_->start();
  EXPECT_THROW(engine_->add_account({"late", FeeSchedule{}}), std::logic_error);
  EXPECT_THROW(engine_->add_strategy("z", account_, {0}, std::make_unique<TestStrategy>()),
               std::logic_error);
}

TEST_F(EngineTest, ContextGivesReadAccessToInstrumentsBooksAndTime) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  SendQuote(0, "10.00", "10.02");
  StrategyContext& ctx = *s->ctx;
  EXPECT_EQ(ctx.instrument(1).symbol, "000001");
  EXPECT_EQ(ctx.find_instrument("000001"), std::optional<InstrumentId>(1));
  EXPECT_EQ(ctx.find_instrument("999999"), std::nullopt);
  EXPECT_EQ(ctx.book(0).best_ask().price, Px("10.02"));
  EXPECT_EQ(ctx.now(), engine_->now());
  EXPECT_EQ(ctx.position(0), nullptr) << "never traded";
}

// ---- submit ----

TEST_F(EngineTest, SubmitSendsNewOrdersWithSequentialIdsAndFormattedClientOrderIds) {
  Build();
  TestStrategy* s = Add("s", {0, 1});
  engine_->start();
  SendQuote(0, "10.00", "10.02");

  const SubmitResult first = s->ctx->submit(Limit(0, Side::kBuy, "10.00", 100));
  const SubmitResult second =
      s->ctx->submit(Limit(1, Side::kSell, "12.10", 200, TimeInForce::kIoc));
  const SubmitResult third =
      s->ctx->submit({0, Side::kBuy, OrderType::kMarket, TimeInForce::kIoc, Px("9.99"), Qty(300)});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(first.order_id, 1u);
  EXPECT_EQ(second.order_id, 2u);
  EXPECT_EQ(third.order_id, 3u);
  EXPECT_TRUE(first.reason.empty());

  const auto sent = Drain();
  ASSERT_EQ(sent.size(), 3u);
  for (size_t i = 0; i < sent.size(); ++i) {
    ASSERT_EQ(sent[i].type(), EventType::kNewOrder);
    const NewOrder& n = sent[i].as<NewOrder>();
    EXPECT_EQ(n.order_id, i + 1);
    EXPECT_EQ(n.client_order_id.view(), "T20261127-" + std::to_string(i + 1));
    EXPECT_EQ(n.account, account_);
    EXPECT_EQ(n.strategy, s->sid);
    EXPECT_EQ(n.header.event_time, engine_->now());
    EXPECT_EQ(n.header.source, 1u);
  }
  const NewOrder& n1 = sent[0].as<NewOrder>();
  EXPECT_EQ(n1.instrument, 0u);
  EXPECT_EQ(n1.side, Side::kBuy);
  EXPECT_EQ(n1.type, OrderType::kLimit);
  EXPECT_EQ(n1.tif, TimeInForce::kDay);
  EXPECT_EQ(n1.price, Px("10.00"));
  EXPECT_EQ(n1.quantity, Qty(100));
  const NewOrder& n2 = sent[1].as<NewOrder>();
  EXPECT_EQ(n2.instrument, 1u);
  EXPECT_EQ(n2.side, Side::kSell);
  EXPECT_EQ(n2.tif, TimeInForce::kIoc);
  const NewOrder& n3 = sent[2].as<NewOrder>();
  EXPECT_EQ(n3.type, OrderType::kMarket);
  EXPECT_EQ(n3.price, Price::zero()) << "a market order is sent without a price";

  const OrderManager& oms = engine_->orders();
  EXPECT_EQ(oms.size(), 3u);
  EXPECT_EQ(oms.open_orders().size(), 3u);
  EXPECT_EQ(OrderOf(1).state, OrderState::kPendingNew);
  EXPECT_EQ(OrderOf(1).client_order_id.view(), "T20261127-1");
  EXPECT_EQ(engine_->counters().orders_sent, 3u);
  EXPECT_EQ(ids_.peek(), 4u);
  EXPECT_NE(s->ctx->order(1), nullptr);
  EXPECT_EQ(s->ctx->order(99), nullptr);

  std::vector<OrderId> seen;
  s->ctx->for_each_open_order([&](const Order& o) { seen.push_back(o.id); });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<OrderId>{1, 2, 3}));
}

TEST_F(EngineTest, InvalidOrdersAreRefusedWithoutSendingOrUsingAnId) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  struct Case {
    OrderRequest request;
    RejectCode expected;
  };
  const Case cases[] = {
      {Limit(9, Side::kBuy, "10.00", 100), RejectCode::kUnknownInstrument},
      {Limit(0, Side::kBuy, "10.00", 0), RejectCode::kInvalidQuantity},
      {Limit(0, Side::kBuy, "10.00", -100), RejectCode::kInvalidQuantity},
      {Limit(0, Side::kBuy, "10.005", 100), RejectCode::kOffTick},
      {Limit(0, Side::kBuy, "0", 100), RejectCode::kInvalidPrice},
      {Limit(0, Side::kSell, "-10.00", 100), RejectCode::kInvalidPrice},
  };
  for (const Case& c : cases) {
    const SubmitResult r = s->ctx->submit(c.request);
    EXPECT_EQ(r.reject, c.expected);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.order_id, kNoOrder);
    EXPECT_FALSE(r.reason.empty());
  }
  EXPECT_TRUE(engine_->order_ring().empty());
  EXPECT_EQ(engine_->orders().size(), 0u);
  EXPECT_EQ(ids_.peek(), 1u);
  EXPECT_EQ(engine_->counters().local_rejects, 6u);
  EXPECT_EQ(engine_->counters().orders_sent, 0u);

  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "10.00", 100)).order_id, 1u)
      << "the next valid order gets the first id";
}

// ---- pre-trade checks ----

TEST_F(EngineTest, PreTradeCheckIsConsultedForEverySubmitAndReplaceAndItsReasonIsReturned) {
  Build();
  TestStrategy* s = Add("s", {0});
  CountingCheck check(Qty(500), "test: too big");
  engine_->add_pre_trade_check(&check);
  engine_->start();

  const SubmitResult ok = s->ctx->submit(Limit(0, Side::kBuy, "10.00", 100));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(check.new_calls, 1);
  EXPECT_EQ(check.last_new.quantity, Qty(100));
  EXPECT_EQ(check.last_new.strategy, s->sid);
  EXPECT_EQ(check.last_new.price, Px("10.00"));

  const SubmitResult big = s->ctx->submit(Limit(0, Side::kBuy, "10.00", 1000));
  EXPECT_EQ(big.reject, RejectCode::kRiskRejected);
  EXPECT_EQ(big.reason, "test: too big");
  EXPECT_EQ(big.order_id, kNoOrder);
  EXPECT_EQ(check.new_calls, 2);

  s->ctx->submit(Limit(0, Side::kBuy, "10.00", 0));
  EXPECT_EQ(check.new_calls, 2) << "structural validation runs first";

  Report(ok.order_id, ExecType::kAck);
  const SubmitResult refused = s->ctx->replace(ok.order_id, Px("10.01"), Qty(2000));
  EXPECT_EQ(refused.reject, RejectCode::kRiskRejected);
  EXPECT_EQ(refused.reason, "test: too big");
  EXPECT_EQ(check.replace_calls, 1);
  EXPECT_EQ(check.last_current_id, ok.order_id);
  EXPECT_EQ(check.last_replace.new_quantity, Qty(2000));
  EXPECT_EQ(OrderOf(ok.order_id).state, OrderState::kNew) << "a refused replace changes nothing";

  const SubmitResult replaced = s->ctx->replace(ok.order_id, Px("10.01"), Qty(200));
  EXPECT_TRUE(replaced.ok());
  EXPECT_EQ(check.replace_calls, 2);
  EXPECT_EQ(check.last_replace.new_price, Px("10.01"));

  const auto sent = Drain();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].type(), EventType::kNewOrder);
  EXPECT_EQ(sent[1].type(), EventType::kReplaceOrder);
  EXPECT_EQ(engine_->counters().risk_rejects, 2u);
  EXPECT_EQ(engine_->counters().local_rejects, 3u);
}

TEST_F(EngineTest, ChecksRunInOrderAndTheFirstRefusalWins) {
  Build();
  TestStrategy* s = Add("s", {0});
  CountingCheck first(Qty(500), "first");
  CountingCheck second(Qty(50), "second");
  engine_->add_pre_trade_check(&first);
  engine_->add_pre_trade_check(&second);
  engine_->start();

  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "10.00", 100)).reason, "second");
  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "10.00", 1000)).reason, "first");
  EXPECT_TRUE(s->ctx->submit(Limit(0, Side::kBuy, "10.00", 40)).ok());
  EXPECT_EQ(first.new_calls, 3);
  EXPECT_EQ(second.new_calls, 2) << "not consulted once the first check refused";
}

// ---- execution reports ----

TEST_F(EngineTest, ExecutionReportsDriveFillAndOrderCallbacksAndThePortfolio) {
  Build(SmallOptions(), AShareFees());
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kBuy, "10.00", 1000)).order_id;

  Report(id, ExecType::kAck);
  ASSERT_EQ(s->updates.size(), 1u);
  EXPECT_EQ(s->updates[0].state, OrderState::kNew);

  s->calls.clear();
  FillReport(id, 400, "10.00");
  ASSERT_EQ(s->fills.size(), 1u);
  EXPECT_EQ(s->fills[0].price, Px("10.00"));
  EXPECT_EQ(s->fills[0].quantity, Qty(400));
  EXPECT_EQ(s->fills[0].fees, Cash("5.04")) << "minimum commission 5 + transfer fee 0.04";
  EXPECT_EQ(s->fills[0].exec_id, next_exec_id_ - 1);
  EXPECT_EQ(s->fills[0].time, engine_->now());
  EXPECT_EQ(s->calls, (std::vector<std::string>{"fill 1", "update 1 partially_filled"}))
      << "on_fill comes before on_order_update";
  const Position* p = s->ctx->position(0);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->quantity, Qty(400));
  EXPECT_EQ(p->fees, Cash("5.04"));

  FillReport(id, 600, "10.00", ExecType::kFill);
  ASSERT_EQ(s->fills.size(), 2u);
  EXPECT_EQ(s->fills[1].fees, Cash("0.06")) << "the order already paid its minimum commission";
  EXPECT_EQ(s->updates.back().state, OrderState::kFilled);
  EXPECT_EQ(OrderOf(id).commission_charged, Cash("5"));
  EXPECT_EQ(p->quantity, Qty(1000));
  EXPECT_EQ(p->fees, Cash("5.10"));
  EXPECT_TRUE(engine_->orders().open_orders().empty());

  const OrderId sell = s->ctx->submit(Limit(0, Side::kSell, "11.00", 1000)).order_id;
  Report(sell, ExecType::kAck);
  FillReport(sell, 1000, "11.00", ExecType::kFill);
  EXPECT_EQ(s->fills.back().fees, Cash("10.61"))
      << "commission 5 + stamp duty 5.50 + transfer 0.11";
  EXPECT_TRUE(p->is_flat());
  EXPECT_EQ(p->realized_pnl, Cash("1000"));
  const PnlSummary pnl = engine_->portfolio().pnl();
  EXPECT_EQ(pnl.realized, Cash("1000"));
  EXPECT_EQ(pnl.fees, Cash("15.71"));
  EXPECT_EQ(engine_->portfolio().pnl_of_strategy(s->sid).net(), Cash("984.29"));
  EXPECT_EQ(engine_->counters().fills, 3u);
}

TEST_F(EngineTest, DuplicateAndUnknownReportsReachNoStrategyAndMoveNoPosition) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kBuy, "10.00", 1000)).order_id;
  ExecutionReport fill = Exec(id, ExecType::kPartialFill);
  fill.last_qty = Qty(100);
  fill.last_price = Px("10.00");
  engine_->process(Slot(fill));
  engine_->process(Slot(fill));
  Report(99, ExecType::kAck);
  EXPECT_EQ(s->fills.size(), 1u);
  EXPECT_EQ(s->ctx->position(0)->quantity, Qty(100));
  EXPECT_EQ(engine_->counters().fills, 1u);
  EXPECT_EQ(engine_->orders().counters().duplicate_exec_ids, 1u);
  EXPECT_EQ(engine_->orders().counters().unknown_order_reports, 1u);
}

// A venue may report a fill on the replacement id before the replace confirmation; the OMS then
// confirms the replace implicitly. The fill's fees must count what the order already paid.
TEST_F(EngineTest, FillThatImplicitlyConfirmsAReplaceDoesNotChargeTheMinimumCommissionTwice) {
  Build(SmallOptions(), AShareFees());
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kBuy, "10.00", 1000)).order_id;
  Report(id, ExecType::kAck);
  const OrderId replacement = s->ctx->replace(id, Px("10.00"), Qty(2000)).order_id;
  FillReport(id, 400, "10.00");  // races the replace: pays the CNY 5 minimum
  ASSERT_EQ(OrderOf(id).commission_charged, Cash("5"));

  FillReport(replacement, 100, "10.00");  // 5000 filled in all: 1.25 due, 5 already paid
  ASSERT_EQ(OrderOf(id).state, OrderState::kReplaced);
  EXPECT_EQ(s->fills.back().fees, Cash("0.01")) << "transfer fee only";
  EXPECT_EQ(OrderOf(replacement).commission_charged, Cash("5"));
  EXPECT_EQ(s->ctx->position(0)->fees, Cash("5.05"));  // 5 + 0.04 + 0.01
}

// ---- cancel and replace ----

TEST_F(EngineTest, CancelThroughTheContextSendsACancelOrder) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kSell, "10.05", 100)).order_id;
  Report(id, ExecType::kAck);
  Drain();

  const SubmitResult r = s->ctx->cancel(id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.order_id, id);
  const auto sent = Drain();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].type(), EventType::kCancelOrder);
  const CancelOrder& c = sent[0].as<CancelOrder>();
  EXPECT_EQ(c.order_id, id);
  EXPECT_EQ(c.client_order_id.view(), "T20261127-1");
  EXPECT_EQ(c.instrument, 0u);
  EXPECT_EQ(c.side, Side::kSell);
  EXPECT_EQ(c.strategy, s->sid);
  EXPECT_EQ(c.account, account_);
  EXPECT_EQ(OrderOf(id).state, OrderState::kPendingCancel);
  EXPECT_EQ(engine_->counters().cancels_sent, 1u);

  EXPECT_EQ(s->ctx->cancel(id).reject, RejectCode::kNotWorking) << "a cancel is already pending";
  Report(id, ExecType::kCanceled);
  EXPECT_EQ(s->updates.back().state, OrderState::kCanceled);
  EXPECT_EQ(s->ctx->cancel(id).reject, RejectCode::kNotWorking) << "no longer working";
  EXPECT_EQ(s->ctx->cancel(77).reject, RejectCode::kUnknownOrder);
  EXPECT_TRUE(engine_->order_ring().empty());
}

TEST_F(EngineTest, ReplaceThroughTheContextSendsAReplaceOrderAndTheConfirmationGoesLive) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kBuy, "10.00", 100)).order_id;
  Report(id, ExecType::kAck);
  FillReport(id, 30, "10.00");
  Drain();

  const SubmitResult r = s->ctx->replace(id, Px("10.01"), Qty(150));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.order_id, 2u) << "the result names the replacement";
  const auto sent = Drain();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].type(), EventType::kReplaceOrder);
  const ReplaceOrder& rq = sent[0].as<ReplaceOrder>();
  EXPECT_EQ(rq.order_id, id);
  EXPECT_EQ(rq.new_order_id, 2u);
  EXPECT_EQ(rq.new_price, Px("10.01"));
  EXPECT_EQ(rq.new_quantity, Qty(150));
  EXPECT_EQ(rq.client_order_id.view(), "T20261127-1");
  EXPECT_EQ(rq.new_client_order_id.view(), "T20261127-2");
  EXPECT_EQ(rq.side, Side::kBuy);
  EXPECT_EQ(rq.strategy, s->sid);
  EXPECT_EQ(OrderOf(id).state, OrderState::kPendingReplace);
  EXPECT_TRUE(OrderOf(2).awaiting_replace_confirm);
  EXPECT_EQ(engine_->counters().replaces_sent, 1u);
  EXPECT_EQ(ids_.peek(), 3u);

  Report(2, ExecType::kReplaced, id);
  ASSERT_FALSE(s->updates.empty());
  EXPECT_EQ(s->updates.back().id, 2u);
  EXPECT_EQ(s->updates.back().state, OrderState::kPartiallyFilled);
  EXPECT_EQ(s->updates.back().filled, Qty(30));
  EXPECT_EQ(OrderOf(id).state, OrderState::kReplaced);
  EXPECT_EQ(engine_->orders().open_orders().size(), 1u);
  EXPECT_EQ(engine_->orders().open_orders()[0], 2u);
}

TEST_F(EngineTest, InvalidReplacesAreRefusedWithoutSending) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kBuy, "10.00", 100)).order_id;
  FillReport(id, 30, "10.00");
  Drain();
  EXPECT_EQ(s->ctx->replace(id, Px("10.01"), Qty(30)).reject, RejectCode::kInvalidQuantity);
  EXPECT_EQ(s->ctx->replace(id, Px("10.005"), Qty(200)).reject, RejectCode::kOffTick);
  EXPECT_EQ(s->ctx->replace(id, Px("10.01"), Quantity::zero()).reject,
            RejectCode::kInvalidQuantity);
  EXPECT_EQ(s->ctx->replace(42, Px("10.01"), Qty(200)).reject, RejectCode::kUnknownOrder);
  EXPECT_TRUE(engine_->order_ring().empty());
  EXPECT_EQ(engine_->orders().size(), 1u);
  EXPECT_EQ(ids_.peek(), 2u);
  EXPECT_EQ(OrderOf(id).state, OrderState::kPartiallyFilled);
}

TEST_F(EngineTest, AStrategyCannotCancelReplaceOrSeeAnotherStrategysOrder) {
  Build();
  TestStrategy* owner = Add("owner", {0});
  TestStrategy* other = Add("other", {0});
  engine_->start();
  const OrderId id = owner->ctx->submit(Limit(0, Side::kBuy, "10.00", 100)).order_id;
  Report(id, ExecType::kAck);
  Drain();

  EXPECT_EQ(other->ctx->cancel(id).reject, RejectCode::kUnknownOrder);
  EXPECT_EQ(other->ctx->replace(id, Px("9.99"), Qty(100)).reject, RejectCode::kUnknownOrder);
  EXPECT_EQ(other->ctx->order(id), nullptr);
  EXPECT_NE(owner->ctx->order(id), nullptr);
  int others_open = 0;
  other->ctx->for_each_open_order([&](const Order&) { ++others_open; });
  EXPECT_EQ(others_open, 0);
  EXPECT_TRUE(engine_->order_ring().empty());
  EXPECT_EQ(OrderOf(id).state, OrderState::kNew);
  EXPECT_TRUE(other->updates.empty()) << "reports on the order go to its owner only";
  EXPECT_EQ(owner->updates.size(), 1u);
}

// ---- timers ----

TEST_F(EngineTest, OneShotTimerFiresOnceSimulatedTimeReachesIt) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const TimerId timer = s->ctx->set_timer(kSecond);

  engine_->advance_time_to(kOpen + 500 * kMillisecond);
  EXPECT_TRUE(s->timer_ids.empty());
  engine_->advance_time_to(kOpen + kSecond);
  ASSERT_EQ(s->timer_ids.size(), 1u);
  EXPECT_EQ(s->timer_ids[0], timer);
  EXPECT_EQ(s->timer_scheduled[0], kOpen + kSecond);
  EXPECT_EQ(s->timer_now[0], kOpen + kSecond);
  engine_->advance_time_to(kOpen + 10 * kSecond);
  EXPECT_EQ(s->timer_ids.size(), 1u) << "a one-shot timer fires once";
  EXPECT_EQ(engine_->counters().timers_fired, 1u);
}

TEST_F(EngineTest, TimerDueBeforeAnEventFiresFirstAtItsOwnTime) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  s->ctx->set_timer(2 * kSecond);
  s->calls.clear();
  SendQuote(0, "10.00", "10.02", 5 * kSecond);
  ASSERT_EQ(s->calls.size(), 2u);
  EXPECT_EQ(s->calls[0].rfind("timer", 0), 0u) << s->calls[0];
  EXPECT_EQ(s->calls[1], "quote 0");
  EXPECT_EQ(s->timer_now[0], kOpen + 2 * kSecond) << "the clock stands at the timer's due time";
  EXPECT_EQ(engine_->now(), kOpen + 5 * kSecond);
}

TEST_F(EngineTest, PeriodicTimerRepeatsUntilCancelled) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const TimerId timer = s->ctx->set_timer(kSecond, kSecond);
  for (int i = 1; i <= 3; ++i) engine_->advance_time_to(kOpen + i * kSecond);
  ASSERT_EQ(s->timer_ids.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s->timer_ids[i], timer) << "a periodic timer keeps its id";
    EXPECT_EQ(s->timer_scheduled[i], kOpen + static_cast<Duration>(i + 1) * kSecond);
  }
  EXPECT_TRUE(s->ctx->cancel_timer(timer));
  EXPECT_FALSE(s->ctx->cancel_timer(timer));
  engine_->advance_time_to(kOpen + 10 * kSecond);
  EXPECT_EQ(s->timer_ids.size(), 3u);
}

TEST_F(EngineTest, PeriodicTimerFiresOnceAfterATimeJumpThenKeepsItsPeriod) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  s->ctx->set_timer(kSecond, kSecond);
  engine_->advance_time_to(kOpen + 3500 * kMillisecond);
  ASSERT_EQ(s->timer_ids.size(), 1u);
  EXPECT_EQ(s->timer_scheduled[0], kOpen + kSecond);
  engine_->advance_time_to(kOpen + 4 * kSecond);
  ASSERT_EQ(s->timer_ids.size(), 2u);
  EXPECT_EQ(s->timer_scheduled[1], kOpen + 4 * kSecond);
}

// ---- containment ----

TEST_F(EngineTest, StrategyThatThrowsIsQuarantinedAndTheOthersKeepTrading) {
  Build();
  TestStrategy* bad = Add("bad", {0});
  TestStrategy* good = Add("good", {0});
  engine_->start();
  const OrderId bad_order = bad->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  Report(bad_order, ExecType::kAck);
  bad->ctx->set_timer(10 * kSecond);
  Drain();
  bad->quote_action = [](StrategyContext&, const Quote&) { throw std::runtime_error("boom"); };

  SendQuote(0, "10.00", "10.02");
  EXPECT_TRUE(engine_->strategy_quarantined(bad->sid));
  EXPECT_FALSE(engine_->strategy_quarantined(good->sid));
  EXPECT_EQ(engine_->counters().strategy_errors, 1u);
  EXPECT_EQ(good->quotes, 1) << "the quote still reaches the other subscriber";
  EXPECT_EQ(CancelIds(Drain()), std::vector<OrderId>{bad_order}) << "its open orders are cancelled";

  const int bad_quotes = bad->quotes;
  const size_t bad_updates = bad->updates.size();
  SendQuote(0, "10.01", "10.03");
  Report(bad_order, ExecType::kCanceled);
  engine_->advance_time_to(kOpen + 20 * kSecond);
  EXPECT_EQ(bad->quotes, bad_quotes);
  EXPECT_EQ(bad->updates.size(), bad_updates);
  EXPECT_TRUE(bad->timer_ids.empty()) << "its timers are cancelled";
  EXPECT_EQ(good->quotes, 2);

  EXPECT_TRUE(good->ctx->submit(Limit(0, Side::kBuy, "10.00", 100)).ok());
  const SubmitResult refused = bad->ctx->submit(Limit(0, Side::kBuy, "10.00", 100));
  EXPECT_EQ(refused.reject, RejectCode::kRiskRejected);
  EXPECT_EQ(refused.reason, "strategy is not running");
  EXPECT_EQ(engine_->counters().strategy_errors, 1u);
}

TEST_F(EngineTest, QuarantinedStrategyGetsNoCallbackEvenWhenTheEngineStops) {
  Build();
  TestStrategy* bad = Add("bad", {0});
  engine_->start();
  bad->quote_action = [](StrategyContext&, const Quote&) { throw std::runtime_error("boom"); };
  SendQuote(0, "10.00", "10.02");
  ASSERT_TRUE(engine_->strategy_quarantined(bad->sid));
  engine_->stop();
  EXPECT_EQ(bad->stops, 0) << "on_stop was called on a quarantined strategy";
}

TEST_F(EngineTest, NonStandardExceptionIsContainedToo) {
  Build();
  TestStrategy* bad = Add("bad", {0});
  engine_->start();
  bad->quote_action = [](StrategyContext&, const Quote&) { throw 42; };
  SendQuote(0, "10.00", "10.02");
  EXPECT_TRUE(engine_->strategy_quarantined(bad->sid));
  EXPECT_EQ(engine_->counters().strategy_errors, 1u);
}

// ---- operator control ----

TEST_F(EngineTest, KillSwitchCancelsAllOpenOrdersAndRefusesNewOnesUntilReset) {
  Build();
  TestStrategy* a = Add("a", {0});
  TestStrategy* b = Add("b", {0});
  engine_->start();
  const OrderId acked = a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  Report(acked, ExecType::kAck);
  const OrderId pending = b->ctx->submit(Limit(0, Side::kSell, "10.10", 100)).order_id;
  const OrderId cancelling = a->ctx->submit(Limit(0, Side::kBuy, "9.80", 100)).order_id;
  a->ctx->cancel(cancelling);
  Drain();

  Control(ControlAction::kKillSwitch);
  EXPECT_TRUE(engine_->halted());
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{acked, pending}))
      << "one cancel per open order; the one already cancelling gets none";

  const SubmitResult refused = a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100));
  EXPECT_EQ(refused.reject, RejectCode::kKillSwitch);
  EXPECT_EQ(refused.reason, "kill switch engaged");
  EXPECT_EQ(b->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).reject, RejectCode::kKillSwitch);
  Report(acked, ExecType::kCancelRejected);  // the venue refused: the order works again
  EXPECT_EQ(a->ctx->replace(acked, Px("9.91"), Qty(100)).reason, "kill switch engaged");
  EXPECT_TRUE(engine_->order_ring().empty());

  Control(ControlAction::kResetKillSwitch);
  EXPECT_FALSE(engine_->halted());
  EXPECT_TRUE(a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).ok());
}

// Scoped kill switches: an account's or a strategy's orders are cancelled and its new ones
// refused; everyone else trades on. The API sends a journaled control command with who and why.
TEST_F(EngineTest, ScopedKillSwitchesStopOnlyTheirAccountOrStrategy) {
  Build();
  const AccountId other = engine_->add_account({"other", FeeSchedule{}});
  TestStrategy* a = Add("a", {0});
  TestStrategy* b = Add("b", {0});
  auto owned = std::make_unique<TestStrategy>();
  TestStrategy* c = owned.get();
  c->sid = engine_->add_strategy("c", other, {0}, std::move(owned));
  engine_->start();
  const OrderId a1 = a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  const OrderId b1 = b->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  const OrderId c1 = c->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  for (OrderId id : {a1, b1, c1}) Report(id, ExecType::kAck);
  Drain();

  engine_->kill_switch(ControlScope::kStrategy, a->sid, "risk officer", "runaway");
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{a1}));
  EXPECT_EQ(a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).reject, RejectCode::kKillSwitch);
  const SubmitResult b2 = b->ctx->submit(Limit(0, Side::kBuy, "9.89", 100));
  EXPECT_TRUE(b2.ok());
  Drain();

  engine_->kill_switch(ControlScope::kAccount, account_, "risk officer", "loss limit");
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{b1, b2.order_id}))
      << "b's orders; a's is already cancelling";
  EXPECT_EQ(b->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).reject, RejectCode::kKillSwitch);
  EXPECT_TRUE(c->ctx->submit(Limit(0, Side::kBuy, "9.88", 100)).ok()) << "another account";
  EXPECT_FALSE(engine_->halted());

  engine_->reset_kill_switch(ControlScope::kAccount, account_, "risk officer", "reviewed");
  EXPECT_TRUE(b->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).ok());
  EXPECT_EQ(a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).reject, RejectCode::kKillSwitch)
      << "the strategy's own switch is still on";
  engine_->reset_kill_switch(ControlScope::kStrategy, a->sid, "risk officer", "reviewed");
  EXPECT_TRUE(a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).ok());
}

// SIGUSR1's handler only raises a flag; the engine engages the global switch at its next poll.
TEST_F(EngineTest, ARequestedKillSwitchEngagesAtTheNextPoll) {
  Build();
  TestStrategy* a = Add("a", {0});
  engine_->start();
  const OrderId a1 = a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  Report(a1, ExecType::kAck);
  Drain();
  engine_->request_kill_switch();
  EXPECT_FALSE(engine_->halted());
  engine_->poll();
  EXPECT_TRUE(engine_->halted());
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{a1}));
}

TEST_F(EngineTest, KillSwitchLeavesNothingWorkingWhenAReplaceIsInFlight) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  Report(id, ExecType::kAck);
  const OrderId replacement = s->ctx->replace(id, Px("9.91"), Qty(100)).order_id;
  Drain();

  Control(ControlAction::kKillSwitch);
  std::vector<EventSlot> sent = Drain();
  Report(replacement, ExecType::kReplaced, id);  // the venue confirms the replace it already had
  for (const EventSlot& e : Drain()) sent.push_back(e);

  for (OrderId open : engine_->orders().open_orders()) {
    EXPECT_EQ(OrderOf(open).state, OrderState::kPendingCancel)
        << "order " << open << " is working after the kill switch and no cancel was sent ("
        << CancelIds(sent).size() << " cancels sent)";
  }
}

TEST_F(EngineTest, CancelAllForOneStrategyCancelsOnlyItsOrders) {
  Build();
  TestStrategy* a = Add("a", {0});
  TestStrategy* b = Add("b", {0});
  engine_->start();
  const OrderId a_order = a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  const OrderId b_order = b->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  Drain();
  Control(ControlAction::kCancelAll, ControlScope::kStrategy, b->sid);
  EXPECT_EQ(CancelIds(Drain()), std::vector<OrderId>{b_order});
  EXPECT_FALSE(engine_->halted());
  EXPECT_TRUE(a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).ok());
  Control(ControlAction::kCancelAll);
  const auto cancels = CancelIds(Drain());
  EXPECT_NE(std::find(cancels.begin(), cancels.end(), a_order), cancels.end());
}

TEST_F(EngineTest, StopCallsOnStopAndCancelsEveryOpenOrder) {
  Build();
  TestStrategy* a = Add("a", {0});
  TestStrategy* b = Add("b", {0});
  engine_->start();
  const OrderId acked = a->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  Report(acked, ExecType::kAck);
  const OrderId pending = b->ctx->submit(Limit(0, Side::kSell, "10.10", 100)).order_id;
  Drain();
  SubmitResult during_stop;
  a->stop_action = [&](StrategyContext& c) {
    during_stop = c.submit(Limit(0, Side::kBuy, "9.90", 100));
  };

  Control(ControlAction::kStop);
  EXPECT_TRUE(engine_->stopping());
  EXPECT_EQ(a->stops, 1);
  EXPECT_EQ(b->stops, 1);
  EXPECT_EQ(during_stop.reject, RejectCode::kRiskRejected) << "no new orders while stopping";
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{acked, pending}));
  EXPECT_EQ(b->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).reason, "strategy is not running");

  engine_->stop();
  EXPECT_EQ(a->stops, 1) << "stop is idempotent";
  EXPECT_TRUE(engine_->order_ring().empty());
}

TEST_F(EngineTest, StopLeavesNothingWorkingWhenAReplaceIsInFlight) {
  Build();
  TestStrategy* s = Add("s", {0});
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  Report(id, ExecType::kAck);
  const OrderId replacement = s->ctx->replace(id, Px("9.91"), Qty(100)).order_id;
  Drain();

  engine_->stop();
  std::vector<EventSlot> sent = Drain();
  Report(replacement, ExecType::kReplaced, id);
  for (const EventSlot& e : Drain()) sent.push_back(e);

  for (OrderId open : engine_->orders().open_orders()) {
    EXPECT_EQ(OrderOf(open).state, OrderState::kPendingCancel)
        << "order " << open << " is working after stop and no cancel was sent ("
        << CancelIds(sent).size() << " cancels sent)";
  }
}

// ---- back-pressure ----

TEST_F(EngineTest, FullOrderRingRefusesTheOrderWithoutLosingOrSkippingAnything) {
  EngineOptions options = SmallOptions();
  options.order_ring_capacity = 2;
  options.order_ring_policy = BackPressure::kFail;
  Build(options);
  TestStrategy* s = Add("s", {0});
  engine_->start();

  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id, 1u);
  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "9.91", 100)).order_id, 2u);
  const SubmitResult full = s->ctx->submit(Limit(0, Side::kBuy, "9.92", 100));
  EXPECT_EQ(full.reject, RejectCode::kOrderRingFull);
  EXPECT_EQ(full.reason, "order ring full");
  EXPECT_EQ(full.order_id, kNoOrder);
  EXPECT_EQ(engine_->orders().size(), 2u) << "no order created for the refused submit";
  EXPECT_EQ(ids_.peek(), 3u) << "no id consumed";
  EXPECT_EQ(engine_->counters().ring_full_rejects, 1u);
  EXPECT_EQ(engine_->counters().orders_sent, 2u);
  EXPECT_EQ(engine_->order_ring().full_count(), 1u);

  const auto first = Drain();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].as<NewOrder>().order_id, 1u);
  EXPECT_EQ(first[1].as<NewOrder>().order_id, 2u);

  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "9.92", 100)).order_id, 3u) << "ids stay dense";
  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "9.93", 100)).order_id, 4u);
  Report(3, ExecType::kAck);

  // With the ring full again, a cancel and a replace are refused and leave the order as it was.
  EXPECT_EQ(s->ctx->cancel(3).reject, RejectCode::kOrderRingFull);
  EXPECT_EQ(OrderOf(3).state, OrderState::kNew);
  EXPECT_EQ(s->ctx->replace(3, Px("9.94"), Qty(100)).reject, RejectCode::kOrderRingFull);
  EXPECT_EQ(OrderOf(3).state, OrderState::kNew);
  EXPECT_EQ(engine_->orders().size(), 4u) << "no placeholder for a replace that was not sent";
  EXPECT_EQ(ids_.peek(), 5u);
  EXPECT_EQ(engine_->counters().ring_full_rejects, 3u);

  const auto second = Drain();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].as<NewOrder>().order_id, 3u);
  EXPECT_EQ(second[1].as<NewOrder>().order_id, 4u);
}

// ---- the loop ----

TEST_F(EngineTest, PollDrainsEveryInboundRing) {
  Build();
  TestStrategy* s = Add("s", {0, 1});
  EventRing market(16, BackPressure::kFail, "market");
  EventRing venue(16, BackPressure::kFail, "venue");
  engine_->add_inbound(&market);
  engine_->add_inbound(&venue);
  engine_->start();
  const OrderId id = s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;

  for (int i = 0; i < 3; ++i) {
    Quote q;
    q.header = make_header<Quote>(At((i + 1) * kMillisecond), At((i + 1) * kMillisecond));
    q.instrument = static_cast<InstrumentId>(i % 2);
    q.bid_price = Px("10.00");
    q.bid_size = Qty(100);
    q.ask_price = Px("10.02");
    q.ask_size = Qty(100);
    ASSERT_TRUE(market.push(Slot(q)));
  }
  ASSERT_TRUE(venue.push(Slot(Exec(id, ExecType::kAck))));

  EXPECT_EQ(engine_->poll(), 4u);
  EXPECT_EQ(s->quotes, 3);
  EXPECT_EQ(OrderOf(id).state, OrderState::kNew);
  EXPECT_TRUE(market.empty());
  EXPECT_TRUE(venue.empty());
  EXPECT_EQ(engine_->poll(), 0u);
}

TEST_F(EngineTest, PollTakesAtMostOneBatchFromARing) {
  EngineOptions options = SmallOptions();
  options.poll_batch = 2;
  Build(options);
  TestStrategy* s = Add("s", {0});
  EventRing market(16, BackPressure::kFail, "market");
  engine_->add_inbound(&market);
  engine_->start();
  for (int i = 0; i < 3; ++i) {
    Quote q;
    q.header = make_header<Quote>(At(kMillisecond), At(kMillisecond));
    q.instrument = 0;
    ASSERT_TRUE(market.push(Slot(q)));
  }
  EXPECT_EQ(engine_->poll(), 2u);
  EXPECT_EQ(s->quotes, 2);
  EXPECT_EQ(engine_->poll(), 1u);
  EXPECT_EQ(s->quotes, 3);
}

}  // namespace
}  // namespace guiju
