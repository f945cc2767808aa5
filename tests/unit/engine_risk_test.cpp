// The risk controls that act on their own, in the engine: the daily loss limit's cancel-only
// mode, breaches marked fatal engaging the kill switch, the minimum resting time and cancel ratio
// (with the kill switch's cancels exempt), the repeated-execution throttle, limits changed at run
// time through the engine API, and the order session's cancel-on-disconnect state. Each is
// journaled: the records say which control acted and why.

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/risk/cancel_discipline_check.hpp"
#include "core/risk/loss_limit_check.hpp"
#include "core/risk/order_limits_check.hpp"
#include "core/risk/order_size_limits.hpp"
#include "core/risk/repeated_execution_check.hpp"
#include "core/risk/risk_limits.hpp"
#include "tests/support/engine_harness.hpp"

namespace guiju {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): the fixture's helpers

class EngineRiskTest : public EngineTest {
 protected:
  // An engine with one account and strategy "s" on instrument 0, the given limits, the journal
  // recorded, started.
  TestStrategy* Start(const std::function<void(RiskLimits&, StrategyId)>& set_limits = nullptr) {
    Build();
    TestStrategy* s = Add("s", {0});
    limits_ = std::make_unique<RiskLimits>(engine_->account_count(), registry_.size());
    if (set_limits) set_limits(*limits_, s->sid);
    cancels_ = std::make_unique<CancelDisciplineCheck>(*limits_);
    losses_ = std::make_unique<LossLimitCheck>(*limits_);
    executions_ = std::make_unique<RepeatedExecutionCheck>(*limits_);
    engine_->set_risk_limits(limits_.get());
    engine_->add_pre_trade_check(cancels_.get());
    engine_->add_pre_trade_check(losses_.get());
    engine_->add_pre_trade_check(executions_.get());
    engine_->set_journal(&journal_);
    engine_->start();
    return s;
  }
  // The risk records the engine journaled, oldest first.
  std::vector<RiskDecisionEvent> RiskRecords() const { return journal_.all<RiskDecisionEvent>(); }
  OrderId Working(TestStrategy* s, Side side, std::string_view price, int64_t qty) {
    const SubmitResult r = s->ctx->submit(Limit(0, side, price, qty));
    EXPECT_TRUE(r.ok()) << r.reason;
    Report(r.order_id, ExecType::kAck);
    return r.order_id;
  }

  std::unique_ptr<RiskLimits> limits_;
  std::unique_ptr<CancelDisciplineCheck> cancels_;
  std::unique_ptr<LossLimitCheck> losses_;
  std::unique_ptr<RepeatedExecutionCheck> executions_;
  JournalRecorder journal_;
};

int64_t Money64(std::string_view text) {
  return static_cast<int64_t>(Cash(text).raw());
}

// A loss of exactly the limit is allowed; one fen past it, the strategy's open orders are
// cancelled and it may only cancel until an operator resets it.
TEST_F(EngineRiskTest, ALossPastTheDailyLimitPutsTheStrategyInCancelOnlyMode) {
  TestStrategy* s = Start([](RiskLimits& l, StrategyId id) {
    l.set(LimitScope::kStrategy, id, LimitKey::kDailyLossLimit, Money64("100"));
  });
  SendQuote(0, "9.99", "10.01");
  const OrderId bought = Working(s, Side::kBuy, "10.00", 100);
  FillReport(bought, 100, "10.00", ExecType::kFill);
  const OrderId resting = Working(s, Side::kSell, "10.50", 100);
  Drain();

  SendQuote(0, "8.99", "9.01", 200 * kMillisecond);  // marked at 9.00: a loss of exactly 100
  SendQuote(0, "8.99", "9.01", 200 * kMillisecond);
  EXPECT_FALSE(engine_->cancel_only(s->sid));
  EXPECT_TRUE(Drain().empty());

  SendQuote(0, "8.98", "9.00", 200 * kMillisecond);  // 8.99: 101
  SendQuote(0, "8.98", "9.00", 200 * kMillisecond);
  EXPECT_TRUE(engine_->cancel_only(s->sid));
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{resting}));
  const SubmitResult refused = s->ctx->submit(Limit(0, Side::kBuy, "9.00", 100));
  EXPECT_EQ(refused.reject, RejectCode::kRiskRejected);
  EXPECT_EQ(refused.reason, "cancel-only until reset (daily loss limit)");

  const std::vector<RiskDecisionEvent> records = RiskRecords();
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(records[0].action, RiskAction::kCancelOnly);
  EXPECT_EQ(records[0].check, RiskCheckId::kDailyLoss);
  EXPECT_EQ(records[0].reason.view(), "daily loss 101.00 past the limit 100.00");
  EXPECT_EQ(records[1].check, RiskCheckId::kCancelOnly);  // the refused order

  // The operator raises the limit and resets the strategy.
  engine_->change_risk_limit(LimitScope::kStrategy, s->sid, LimitKey::kDailyLossLimit,
                             Money64("500"), "risk officer", "reviewed");
  engine_->reset_kill_switch(ControlScope::kStrategy, s->sid, "risk officer", "reviewed");
  EXPECT_FALSE(engine_->cancel_only(s->sid));
  EXPECT_TRUE(s->ctx->submit(Limit(0, Side::kBuy, "9.00", 100)).ok());
}

// The account's loss limit stops the whole account: its kill switch is engaged.
TEST_F(EngineRiskTest, ALossPastTheAccountsLimitEngagesTheAccountsKillSwitch) {
  TestStrategy* s = Start([this](RiskLimits& l, StrategyId) {
    l.set(LimitScope::kAccount, account_, LimitKey::kDailyLossLimit, Money64("50"));
  });
  SendQuote(0, "9.99", "10.01");
  const OrderId bought = Working(s, Side::kBuy, "10.00", 100);
  FillReport(bought, 100, "10.00", ExecType::kFill);
  SendQuote(0, "9.49", "9.51", 200 * kMillisecond);  // 9.50: a loss of exactly 50
  EXPECT_FALSE(engine_->killed(account_, s->sid));
  SendQuote(0, "9.48", "9.50", 200 * kMillisecond);
  EXPECT_TRUE(engine_->killed(account_, s->sid));
  const RiskDecisionEvent r = RiskRecords().back();
  EXPECT_EQ(r.action, RiskAction::kKillSwitch);
  EXPECT_EQ(r.check, RiskCheckId::kDailyLoss);
  EXPECT_EQ(r.account, account_);
  EXPECT_EQ(r.strategy, kNoStrategy);
}

// risk.fatal: a breach of a control marked fatal refuses the order and engages the kill switch
// over the configured scope, journaled as the control's act.
TEST_F(EngineRiskTest, ABreachMarkedFatalEngagesTheKillSwitch) {
  TestStrategy* s = Start();
  CountingCheck size(Qty(500), "max order quantity");
  engine_->add_pre_trade_check(&size);
  engine_->set_fatal_checks({RiskCheckId::kMaxOrderQuantity}, ControlScope::kAccount);
  const OrderId open = Working(s, Side::kBuy, "9.90", 100);
  Drain();

  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "9.90", 600)).reject, RejectCode::kRiskRejected);
  EXPECT_TRUE(engine_->killed(account_, s->sid));
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{open}));
  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).reject, RejectCode::kKillSwitch);
  const std::vector<RiskDecisionEvent> records = RiskRecords();
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(records[0].action, RiskAction::kNewOrder);
  EXPECT_EQ(records[0].check, RiskCheckId::kMaxOrderQuantity);
  EXPECT_EQ(records[1].action, RiskAction::kKillSwitch);
  EXPECT_EQ(records[1].account, account_);
  EXPECT_EQ(records[1].reason.view(), "fatal breach: max order quantity");
}

// Frequent instant cancels (CSRC): a cancel before the minimum resting time is refused and
// journaled; at exactly the minimum it passes; the kill switch's cancels are exempt.
TEST_F(EngineRiskTest, CancelsBeforeTheMinimumRestingTimeAreRefusedButNotTheKillSwitchs) {
  TestStrategy* s = Start([](RiskLimits& l, StrategyId id) {
    l.set(LimitScope::kStrategy, id, LimitKey::kMinRestingTime, 500 * kMillisecond);
  });
  SendQuote(0, "9.99", "10.01");
  const SubmitResult sent = s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100));
  SendQuote(0, "9.99", "10.01", 499 * kMillisecond);
  const SubmitResult early = s->ctx->cancel(sent.order_id);
  EXPECT_EQ(early.reject, RejectCode::kRiskRejected);
  EXPECT_EQ(early.reason, "minimum resting time before a cancel");
  const std::vector<RiskDecisionEvent> records = RiskRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].action, RiskAction::kCancel);
  EXPECT_EQ(records[0].check, RiskCheckId::kMinRestingTime);
  EXPECT_EQ(records[0].limit, 500 * kMillisecond);
  EXPECT_EQ(records[0].observed, 499 * kMillisecond);
  EXPECT_EQ(s->ctx->replace(sent.order_id, Px("9.91"), Qty(100)).reason,
            "minimum resting time before a cancel");

  SendQuote(0, "9.99", "10.01", 1 * kMillisecond);  // 500 ms exactly
  EXPECT_TRUE(s->ctx->cancel(sent.order_id).ok());

  const SubmitResult young = s->ctx->submit(Limit(0, Side::kBuy, "9.80", 100));
  Drain();
  engine_->kill_switch(ControlScope::kStrategy, s->sid, "risk officer", "test");
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{young.order_id}));
}

// A high cancel ratio (CSRC: frequent cancels): once the minimum of orders went out, a cancel
// that would take cancels above the limit's share of orders is refused; exactly at it, it passes.
TEST_F(EngineRiskTest, ACancelPastTheCancelRatioIsRefused) {
  TestStrategy* s = Start([](RiskLimits& l, StrategyId id) {
    l.set(LimitScope::kStrategy, id, LimitKey::kMaxCancelRatio, 5000);  // 50%
    l.set(LimitScope::kStrategy, id, LimitKey::kCancelRatioMinOrders, 4);
  });
  std::vector<OrderId> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(Working(s, Side::kBuy, "9.90", 100));
  EXPECT_TRUE(s->ctx->cancel(ids[0]).ok());
  EXPECT_TRUE(s->ctx->cancel(ids[1]).ok());  // 2 of 4: exactly 50%
  const SubmitResult third = s->ctx->cancel(ids[2]);
  EXPECT_EQ(third.reason, "cancel ratio of the strategy");
  const RiskDecisionEvent r = RiskRecords().back();
  EXPECT_EQ(r.check, RiskCheckId::kCancelRatio);
  EXPECT_EQ(r.limit, 5000);
  EXPECT_EQ(r.observed, 7500);
  EXPECT_EQ(cancels_->of_strategy(s->sid).orders, 4u);
  EXPECT_EQ(cancels_->of_strategy(s->sid).cancels, 2u);
}

// Short bursts of executions (RTS 6 Art. 15(3); CSRC: large trades in a short time): the Nth
// fill within the window disables the strategy until an operator re-enables it.
TEST_F(EngineRiskTest, RepeatedExecutionsDisableTheStrategyUntilReset) {
  TestStrategy* s = Start([](RiskLimits& l, StrategyId id) {
    l.set(LimitScope::kStrategy, id, LimitKey::kRepeatedFills, 3);
    l.set(LimitScope::kStrategy, id, LimitKey::kRepeatedFillsWindow, kSecond);
  });
  const OrderId big = Working(s, Side::kBuy, "10.00", 1000);
  FillReport(big, 100, "10.00");
  SendQuote(0, "9.99", "10.01", 600 * kMillisecond);
  FillReport(big, 100, "10.00");
  SendQuote(0, "9.99", "10.01", 401 * kMillisecond);  // the first fill is now 1.001 s old
  FillReport(big, 100, "10.00");
  EXPECT_FALSE(engine_->killed(account_, s->sid)) << "two fills within any one second";
  FillReport(big, 100, "10.00");
  EXPECT_TRUE(engine_->killed(account_, s->sid)) << "three within one second";
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{big}));
  const RiskDecisionEvent r = RiskRecords().back();
  EXPECT_EQ(r.action, RiskAction::kKillSwitch);
  EXPECT_EQ(r.check, RiskCheckId::kRepeatedExecution);
  EXPECT_EQ(r.strategy, s->sid);
  EXPECT_EQ(r.reason.view(), "repeated executions: 3 fills within 1000 ms");
  EXPECT_EQ(s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).reject, RejectCode::kKillSwitch);
  engine_->reset_kill_switch(ControlScope::kStrategy, s->sid, "risk officer", "re-enabled");
  EXPECT_TRUE(s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).ok());
}

// Pushing the price (CSRC: frequent pulling up or pressing down of prices): a strategy that
// chases the price upward with ever higher buys is stopped by the price collar around the last
// trade, and a breach marked fatal stops it altogether.
TEST_F(EngineRiskTest, ChasingThePriceUpIsStoppedByTheCollar) {
  TestStrategy* s = Start([](RiskLimits& l, StrategyId) {
    l.set_every_account(LimitKey::kPriceCollarPercent, 200);  // 2%
  });
  OrderLimitsCheck collar(*limits_, CollarReference::kLastTrade);
  engine_->add_pre_trade_check(&collar);
  engine_->set_fatal_checks({RiskCheckId::kPriceCollar}, ControlScope::kStrategy);
  SendQuote(0, "9.99", "10.01");
  Trade t;
  t.header = make_header<Trade>(At(kMillisecond), At(kMillisecond), 100);
  t.instrument = 0;
  t.price = Px("10.00");
  t.size = Qty(100);
  engine_->process(Slot(t));
  EXPECT_TRUE(s->ctx->submit(Limit(0, Side::kBuy, "10.10", 100)).ok());
  EXPECT_TRUE(s->ctx->submit(Limit(0, Side::kBuy, "10.20", 100)).ok());  // exactly 2% above
  const SubmitResult chased = s->ctx->submit(Limit(0, Side::kBuy, "10.21", 100));
  EXPECT_EQ(chased.reason, "price collar: buy too far above the reference");
  EXPECT_TRUE(engine_->killed(account_, s->sid));
  const std::vector<RiskDecisionEvent> records = RiskRecords();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].check, RiskCheckId::kPriceCollar);
  EXPECT_EQ(records[0].limit, Px("10.20").raw());
  EXPECT_EQ(records[0].observed, Px("10.21").raw());
  EXPECT_EQ(records[1].action, RiskAction::kKillSwitch);
  EXPECT_EQ(records[1].strategy, s->sid);
}

// A limit changed through the engine API is journaled as an input with the previous value and
// who changed it, and applies to the next order; a change that cannot be made throws and
// journals nothing.
TEST_F(EngineRiskTest, ALimitChangedAtRunTimeIsJournaledAndApplies) {
  TestStrategy* s = Start();
  OrderSizeCheck size(*limits_);
  engine_->add_pre_trade_check(&size);
  EXPECT_TRUE(s->ctx->submit(Limit(0, Side::kBuy, "9.90", 200)).ok());
  engine_->change_risk_limit(LimitScope::kStrategy, s->sid, LimitKey::kMaxOrderQuantity,
                             Qty(100).raw(), "risk officer", "tighter after review");
  const SubmitResult refused = s->ctx->submit(Limit(0, Side::kBuy, "9.90", 200));
  EXPECT_EQ(refused.reason, "max order quantity");
  const std::vector<RiskLimitChange> changes = journal_.all<RiskLimitChange>();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].scope, LimitScope::kStrategy);
  EXPECT_EQ(changes[0].target, s->sid);
  EXPECT_EQ(changes[0].key, LimitKey::kMaxOrderQuantity);
  EXPECT_EQ(changes[0].value, Qty(100).raw());
  EXPECT_EQ(changes[0].previous, 0);
  EXPECT_EQ(changes[0].issued_by.view(), "risk officer");

  EXPECT_THROW(engine_->change_risk_limit(LimitScope::kStrategy, s->sid,
                                          LimitKey::kMaxGrossExposure, 1, "x", "y"),
               std::invalid_argument);
  EXPECT_THROW(engine_->change_risk_limit(LimitScope::kStrategy, 99, LimitKey::kMaxOrderQuantity, 1,
                                          "x", "y"),
               std::invalid_argument);
  EXPECT_THROW(engine_->change_risk_limit(LimitScope::kAccount, account_,
                                          LimitKey::kMaxOrderQuantity, -1, "x", "y"),
               std::invalid_argument);
  EXPECT_EQ(journal_.all<RiskLimitChange>().size(), 1u);
}

// Cancel-on-disconnect: while the order session is down, open orders are of unknown status and
// nothing is sent; once up, orders go again, and each unknown order is cleared by a report for
// it. An order in a scope killed meanwhile is cancelled when its report arrives.
TEST_F(EngineRiskTest, WhileTheOrderSessionIsDownNothingIsSentAndOpenOrdersAreUnknown) {
  TestStrategy* s = Start();
  const OrderId a = Working(s, Side::kBuy, "9.90", 100);
  const OrderId b = Working(s, Side::kBuy, "9.80", 200);
  Drain();

  engine_->order_session_down("fix:VENUE", "connection reset");
  EXPECT_TRUE(engine_->order_session_is_down());
  EXPECT_EQ(engine_->orders_to_reconcile(), (std::vector<OrderId>{a, b}));
  const SubmitResult refused = s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100));
  EXPECT_EQ(refused.reject, RejectCode::kOrderSessionDown);
  EXPECT_EQ(s->ctx->cancel(a).reject, RejectCode::kOrderSessionDown);
  engine_->kill_switch(ControlScope::kStrategy, s->sid, "risk officer", "while down");
  EXPECT_TRUE(Drain().empty()) << "nothing can reach the venue";

  engine_->order_session_up("fix:VENUE", "logged on");
  std::vector<OrderId> asked;
  for (const EventSlot& e : Drain()) {
    if (e.type() == EventType::kOrderStatusRequest)
      asked.push_back(e.as<OrderStatusRequest>().order_id);
  }
  EXPECT_EQ(asked, (std::vector<OrderId>{a, b})) << "a status request per unknown order";
  Report(a, ExecType::kCanceled);  // the venue had cancelled it
  EXPECT_EQ(engine_->orders_to_reconcile(), (std::vector<OrderId>{b}));
  FillReport(b, 100, "9.80");  // it filled part while we were away, and is still working
  EXPECT_TRUE(engine_->orders_to_reconcile().empty());
  EXPECT_EQ(CancelIds(Drain()), (std::vector<OrderId>{b})) << "the killed scope's order";

  const std::vector<ControlCommand> commands = journal_.all<ControlCommand>();
  ASSERT_GE(commands.size(), 2u);
  EXPECT_EQ(commands[0].action, ControlAction::kOrderSessionDown);
  EXPECT_EQ(commands[0].issued_by.view(), "fix:VENUE");
  engine_->reset_kill_switch(ControlScope::kStrategy, s->sid, "risk officer", "back");
  EXPECT_TRUE(s->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).ok());
}

// Executions that no resend brings (a venue that lost its store): the status answer after the
// reconnect books what the venue executed, into the position and the strategy's fills, and the
// executions themselves, should they arrive after all, are not booked again.
TEST_F(EngineRiskTest, AStatusAnswerBooksExecutionsMissedWhileTheSessionWasDown) {
  TestStrategy* s = Start();
  const OrderId a = Working(s, Side::kBuy, "9.90", 300);
  Drain();
  engine_->order_session_down("fix:VENUE", "connection reset");
  engine_->order_session_up("fix:VENUE", "logged on");
  Drain();

  ExecutionReport status = Exec(a, ExecType::kStatus);
  status.exec_id = 0;
  status.cum_qty = Qty(200);
  status.last_price = Px("9.90");  // AvgPx
  engine_->process(Slot(status));
  const Position* p = engine_->portfolio().find(account_, s->sid, 0);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->quantity, Qty(200));
  ASSERT_EQ(s->fills.size(), 1u);
  EXPECT_EQ(s->fills[0].quantity, Qty(200));
  EXPECT_EQ(engine_->orders().find(a)->state, OrderState::kPartiallyFilled);
  EXPECT_TRUE(engine_->orders_to_reconcile().empty());

  ExecutionReport resent = Exec(a, ExecType::kPartialFill);
  resent.last_qty = Qty(200);
  resent.last_price = Px("9.90");
  resent.cum_qty = Qty(200);
  engine_->process(Slot(resent));
  EXPECT_EQ(engine_->portfolio().find(account_, s->sid, 0)->quantity, Qty(200))
      << "already booked from the status answer";
  EXPECT_EQ(engine_->orders().counters().reconciled_duplicates, 1u);
  ExecutionReport last = Exec(a, ExecType::kFill);
  last.last_qty = Qty(100);
  last.last_price = Px("9.90");
  last.cum_qty = Qty(300);
  engine_->process(Slot(last));
  EXPECT_EQ(engine_->portfolio().find(account_, s->sid, 0)->quantity, Qty(300));
  EXPECT_EQ(engine_->orders().find(a)->state, OrderState::kFilled);
}

}  // namespace
}  // namespace guiju
