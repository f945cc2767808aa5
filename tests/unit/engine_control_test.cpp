// The engine's side of the control plane: flatten (cancel the scope's orders, close its
// positions at the touch through the pre-trade gates), a scoped cancel-all, and operator commands
// journaled as inputs naming the operator.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/engine_harness.hpp"

namespace guiju {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): the fixture's helpers

class EngineControlTest : public EngineTest {
 protected:
  void SetUp() override {
    Build();
    a_ = Add("a", {0, 1});
    b_ = Add("b", {0});
    other_ = engine_->add_account({"other", {}});
    auto owned = std::make_unique<TestStrategy>();
    c_ = owned.get();
    c_->sid = engine_->add_strategy("c", other_, {0}, std::move(owned));
    engine_->set_journal(&journal_);
    engine_->start();
    SendQuote(0, "10.00", "10.02");
    SendQuote(1, "12.00", "12.03");
  }
  // A filled buy of `qty` at `price`: a long position for the strategy.
  void Bought(TestStrategy* s, InstrumentId instrument, std::string_view price, int64_t qty) {
    const SubmitResult r = s->ctx->submit(Limit(instrument, Side::kBuy, price, qty));
    ASSERT_TRUE(r.ok()) << r.reason;
    Report(r.order_id, ExecType::kAck);
    FillReport(r.order_id, qty, price, ExecType::kFill);
  }
  std::vector<NewOrder> NewOrders() {
    std::vector<NewOrder> out;
    for (const EventSlot& s : Drain()) {
      if (s.type() == EventType::kNewOrder) out.push_back(s.as<NewOrder>());
    }
    return out;
  }

  TestStrategy* a_ = nullptr;
  TestStrategy* b_ = nullptr;
  TestStrategy* c_ = nullptr;  // trades for account `other`
  AccountId other_ = 0;
  JournalRecorder journal_;
};

TEST_F(EngineControlTest, FlattenCancelsTheScopesOrdersAndClosesItsPositionsAtTheTouch) {
  Bought(a_, 0, "10.02", 300);
  Bought(a_, 1, "12.03", 200);
  Bought(b_, 0, "10.02", 100);
  const OrderId resting = a_->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  Report(resting, ExecType::kAck);
  Drain();

  engine_->apply_control(ControlAction::kFlatten, ControlScope::kStrategy, a_->sid, "ctl:alice",
                         "end of day");
  const std::vector<EventSlot> sent = Drain();
  EXPECT_EQ(CancelIds(sent), std::vector<OrderId>{resting});
  std::vector<NewOrder> closes;
  for (const EventSlot& s : sent) {
    if (s.type() == EventType::kNewOrder) closes.push_back(s.as<NewOrder>());
  }
  ASSERT_EQ(closes.size(), 2u);  // b's position is not in scope
  for (const NewOrder& o : closes) {
    EXPECT_EQ(o.strategy, a_->sid);
    EXPECT_EQ(o.side, Side::kSell);
  }
  EXPECT_EQ(closes[0].instrument, 0u);
  EXPECT_EQ(closes[0].price, Px("10.00"));  // the best bid
  EXPECT_EQ(closes[0].quantity, Qty(300));
  EXPECT_EQ(closes[1].price, Px("12.00"));
  EXPECT_EQ(closes[1].quantity, Qty(200));
  const FlattenReport& f = engine_->last_flatten();
  EXPECT_EQ(f.cancels_sent, 1u);
  EXPECT_EQ(f.orders_sent.size(), 2u);
  EXPECT_TRUE(f.not_sent.empty());

  // Journaled as the input it is, naming who asked and why.
  const auto commands = journal_.all<ControlCommand>();
  ASSERT_FALSE(commands.empty());
  EXPECT_EQ(commands.back().action, ControlAction::kFlatten);
  EXPECT_EQ(commands.back().issued_by.view(), "ctl:alice");
  EXPECT_EQ(commands.back().reason.view(), "end of day");
}

TEST_F(EngineControlTest, APausedStrategyIsStillFlattenedButAKilledOneIsNot) {
  Bought(a_, 0, "10.02", 300);
  Drain();
  engine_->apply_control(ControlAction::kPauseStrategy, ControlScope::kStrategy, a_->sid,
                         "ctl:alice", "pause");
  EXPECT_FALSE(a_->ctx->submit(Limit(0, Side::kBuy, "10.00", 100)).ok());  // paused
  engine_->apply_control(ControlAction::kFlatten, ControlScope::kGlobal, 0, "ctl:alice", "");
  EXPECT_EQ(NewOrders().size(), 1u);  // closing orders pass the paused gate

  Bought(b_, 0, "10.02", 100);
  Drain();
  engine_->kill_switch(ControlScope::kStrategy, b_->sid, "ctl:alice", "stop b");
  engine_->apply_control(ControlAction::kFlatten, ControlScope::kStrategy, b_->sid, "ctl:alice",
                         "");
  EXPECT_TRUE(NewOrders().empty());  // the kill switch stops every new order
  ASSERT_EQ(engine_->last_flatten().not_sent.size(), 1u);
  EXPECT_NE(engine_->last_flatten().not_sent[0].find("kill switch"), std::string::npos)
      << engine_->last_flatten().not_sent[0];
}

TEST_F(EngineControlTest, FlattenWithNoPriceToCloseAtSaysSo) {
  Bought(a_, 1, "12.03", 100);
  Drain();
  // Instrument 1's bid goes away.
  Quote q;
  q.header = make_header<Quote>(At(kMillisecond), At(kMillisecond), 100);
  q.instrument = 1;
  q.ask_price = Px("12.05");
  q.ask_size = Qty(100);
  engine_->process(Slot(q));
  engine_->apply_control(ControlAction::kFlatten, ControlScope::kGlobal, 0, "ctl:alice", "");
  EXPECT_TRUE(NewOrders().empty());
  ASSERT_EQ(engine_->last_flatten().not_sent.size(), 1u);
  EXPECT_NE(engine_->last_flatten().not_sent[0].find("no bid"), std::string::npos);
}

TEST_F(EngineControlTest, CancelAllForAnAccountCancelsOnlyThatAccountsOrders) {
  const OrderId mine = a_->ctx->submit(Limit(0, Side::kBuy, "9.90", 100)).order_id;
  const OrderId theirs = c_->ctx->submit(Limit(0, Side::kBuy, "9.91", 100)).order_id;
  Report(mine, ExecType::kAck);
  Report(theirs, ExecType::kAck);
  Drain();
  engine_->apply_control(ControlAction::kCancelAll, ControlScope::kAccount, other_, "ctl:alice",
                         "");
  EXPECT_EQ(CancelIds(Drain()), std::vector<OrderId>{theirs});
}

TEST_F(EngineControlTest, AnOperatorCommandIsJournaledAndChangesNothing) {
  const size_t before = journal_.events.size();
  engine_->apply_control(ControlAction::kOperatorCommand, ControlScope::kGlobal, 0, "ctl:bob",
                         "status");
  ASSERT_EQ(journal_.events.size(), before + 1);
  const ControlCommand& c = journal_.events.back().as<ControlCommand>();
  EXPECT_EQ(c.action, ControlAction::kOperatorCommand);
  EXPECT_EQ(c.issued_by.view(), "ctl:bob");
  EXPECT_EQ(c.reason.view(), "status");
  EXPECT_FALSE(engine_->halted());
  EXPECT_TRUE(Drain().empty());
}

}  // namespace
}  // namespace guiju

namespace guiju {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): the fixture's helpers

// A journal that takes 3 ms to take each record: `counted` says whether it reports the time as a
// wait for room (as the journal service does when its writer is a ring behind).
class SlowJournal final : public journal::AuditSink {
 public:
  explicit SlowJournal(bool counted) : counted_(counted) {}
  bool record(const EventSlot& /*event*/, Timestamp /*engine_time*/) override {
    if (!slow) return true;
    const auto began = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    if (counted_) {
      waited_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now() - began)
                     .count();
    }
    return true;
  }
  bool healthy() const override { return true; }
  std::string failure() const override { return {}; }
  bool slow = false;

 private:
  bool counted_;
};

class CallbackBudgetTest : public EngineTest {
 protected:
  // One strategy that submits an order on every quote, a 1 ms callback budget, the given journal.
  TestStrategy* Start(journal::AuditSink& sink) {
    EngineOptions o = SmallOptions();
    o.callback_budget = kMillisecond;
    Build(o);
    TestStrategy* s = Add("s", {0});
    s->quote_action = [](StrategyContext& c, const Quote&) {
      (void)c.submit(Limit(0, Side::kBuy, "9.90", 100));
    };
    engine_->set_journal(&sink);
    engine_->start();
    return s;
  }
};

TEST_F(CallbackBudgetTest, TheEnginesWaitForTheJournalIsNotCountedAgainstTheStrategy) {
  SlowJournal journal(/*counted=*/true);
  TestStrategy* s = Start(journal);
  journal.slow = true;
  SendQuote(0, "10.00", "10.02");
  journal.slow = false;
  EXPECT_EQ(engine_->strategy_stats(s->sid).callback_overruns, 0u);
}

TEST_F(CallbackBudgetTest, ATimeTheJournalDoesNotReportAsAWaitStillCounts) {
  SlowJournal journal(/*counted=*/false);
  TestStrategy* s = Start(journal);
  journal.slow = true;
  SendQuote(0, "10.00", "10.02");
  journal.slow = false;
  EXPECT_EQ(engine_->strategy_stats(s->sid).callback_overruns, 1u);
}

}  // namespace
}  // namespace guiju
