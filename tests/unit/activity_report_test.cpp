// The compliance activity report over a journal written for the purpose: message counts, the
// peak in any one-second window, cancels within a second of entry, fills, ratios, risk rejects by
// reason, self-trade attempts, per strategy and per account.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/journal/activity_report.hpp"
#include "core/journal/journal_writer.hpp"

namespace guiju::journal {
namespace {

constexpr Timestamp kDay = 1'795'000'000'000'000'000;  // some instant; the day is Beijing's

class ReportTest : public ::testing::Test {
 protected:
  ReportTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("guiju-report-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(dir_);
    WriterOptions o;
    o.directory = dir_;
    o.trading_date = "20261127";
    o.durability = Durability::kOsBuffered;
    writer_ = std::make_unique<JournalWriter>(o);
  }
  ~ReportTest() override { std::filesystem::remove_all(dir_); }

  template <Event T>
  void Write(T e, Timestamp t) {
    e.header.event_time = t;
    EventSlot s;
    s.store(e);
    writer_->append(s, t);
  }
  void Order(OrderId id, StrategyId strategy, Timestamp t) {
    NewOrder o;
    o.order_id = id;
    o.account = 3;
    o.strategy = strategy;
    Write(o, t);
  }
  void Cancel(OrderId id, StrategyId strategy, Timestamp t) {
    CancelOrder c;
    c.order_id = id;
    c.account = 3;
    c.strategy = strategy;
    Write(c, t);
  }
  void Fill(OrderId id, Timestamp t) {
    ExecutionReport r;
    r.order_id = id;
    r.exec_type = ExecType::kFill;
    r.last_qty = Quantity::from_units(100);
    r.last_price = Price::from_units(10);
    Write(r, t);
  }
  ActivityReport Build() {
    writer_->commit();
    writer_.reset();
    return build_activity_report(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<JournalWriter> writer_;
};

const ActivityRow* Find(const ActivityReport& r, int64_t strategy) {
  for (const ActivityRow& row : r.rows) {
    if (row.account == 3 && row.strategy == strategy) return &row;
  }
  return nullptr;
}

TEST_F(ReportTest, CountsPeaksQuickCancelsAndRatios) {
  // In engine (and so time) order. Strategy 1: five orders inside 400 ms, two cancelled within a
  // second of entry, one late; two fills. Strategy 2 of the same account: one order and one
  // refusal inside the same second.
  for (OrderId id = 1; id <= 4; ++id) Order(id, 1, kDay + static_cast<Timestamp>(id) * 100'000'000);
  Order(6, 2, kDay + 450'000'000);
  RiskDecisionEvent refused;
  refused.account = 3;
  refused.strategy = 2;
  refused.code = RejectCode::kRiskRejected;
  Write(refused, kDay + 460'000'000);
  Order(5, 1, kDay + 500'000'000);
  Cancel(1, 1, kDay + 900'000'000);    // 800 ms after entry: quick
  Cancel(2, 1, kDay + 1'000'000'000);  // 800 ms: quick
  Fill(4, kDay + 2 * kSecond);
  Fill(5, kDay + 2 * kSecond);
  Cancel(3, 1, kDay + 5 * kSecond);  // late

  const ActivityReport r = Build();
  ASSERT_TRUE(r.damage.empty()) << r.damage;
  const ActivityRow* s1 = Find(r, 1);
  ASSERT_NE(s1, nullptr);
  EXPECT_EQ(s1->orders, 5u);
  EXPECT_EQ(s1->cancels, 3u);
  EXPECT_EQ(s1->cancels_within_1s, 2u);
  EXPECT_EQ(s1->fills, 2u);
  EXPECT_DOUBLE_EQ(s1->order_to_trade(), 2.5);
  EXPECT_DOUBLE_EQ(s1->cancel_ratio(), 0.6);
  EXPECT_EQ(s1->peak_messages_per_second, 7u);  // 5 orders + 2 cancels within one second

  const ActivityRow* account = Find(r, -1);
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->orders, 6u);
  EXPECT_EQ(account->peak_messages_per_second, 8u);  // strategy 2's order is in the window
  EXPECT_EQ(account->risk_rejects.at("rejected by pre-trade risk"), 1u);
  const ActivityRow* s2 = Find(r, 2);
  ASSERT_NE(s2, nullptr);
  EXPECT_EQ(s2->risk_rejects.size(), 1u);
}

TEST_F(ReportTest, MessagesInSeparateSecondsDoNotAddUp) {
  for (OrderId id = 1; id <= 4; ++id) Order(id, 1, kDay + static_cast<Timestamp>(id) * kSecond);
  const ActivityReport r = Build();
  const ActivityRow* s1 = Find(r, 1);
  ASSERT_NE(s1, nullptr);
  EXPECT_EQ(s1->peak_messages_per_second, 1u);
}

// Self-trade prevention's records: refusals count for the strategy that sent the order, resting
// orders cancelled for the resting order's strategy; neither is anything else's, and a record of
// a control acting on its own (no reject code) is no risk reject.
TEST_F(ReportTest, CountsSelfTradeAttemptsPerStrategyAndAccount) {
  auto decision = [&](StrategyId strategy, RiskAction action, RejectCode code, RiskCheckId check,
                      Timestamp t) {
    RiskDecisionEvent d;
    d.account = 3;
    d.strategy = strategy;
    d.action = action;
    d.code = code;
    d.check = check;
    Write(d, t);
  };
  decision(1, RiskAction::kNewOrder, RejectCode::kSelfTrade, RiskCheckId::kSelfTrade, kDay);
  decision(1, RiskAction::kReplace, RejectCode::kSelfTrade, RiskCheckId::kSelfTrade, kDay + 1);
  decision(2, RiskAction::kCancelResting, RejectCode::kNone, RiskCheckId::kSelfTrade, kDay + 2);
  decision(2, RiskAction::kNewOrder, RejectCode::kRiskRejected, RiskCheckId::kPriceCollar,
           kDay + 3);
  decision(2, RiskAction::kKillSwitch, RejectCode::kNone, RiskCheckId::kDailyLoss, kDay + 4);

  const ActivityReport r = Build();
  const ActivityRow* s1 = Find(r, 1);
  const ActivityRow* s2 = Find(r, 2);
  const ActivityRow* account = Find(r, -1);
  ASSERT_NE(s1, nullptr);
  ASSERT_NE(s2, nullptr);
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(s1->self_trade_refused, 2u);
  EXPECT_EQ(s1->self_trade_cancels, 0u);
  EXPECT_EQ(s1->risk_rejects.at("self-trade prevented"), 2u);
  EXPECT_EQ(s2->self_trade_refused, 0u);
  EXPECT_EQ(s2->self_trade_cancels, 1u);
  EXPECT_EQ(s2->risk_rejects.size(), 1u) << "the collar only: the actions refused nothing";
  EXPECT_EQ(account->self_trade_refused, 2u);
  EXPECT_EQ(account->self_trade_cancels, 1u);
}

}  // namespace
}  // namespace guiju::journal
