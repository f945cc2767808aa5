// Self-trade prevention in the engine, end to end: strategies on two accounts under common
// control try to trade against their own resting orders; the check stops them before anything
// is sent (or cancels the resting order first), the audit journal holds the risk_decision
// records with check self_trade, and `guiju audit report` counts the attempts per account and
// strategy. Trading with oneself, or among accounts under one control, is one of the abnormal
// trading behaviours of the CSRC rules on programmatic trading.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/journal/activity_report.hpp"
#include "core/journal/journal_service.hpp"
#include "core/journal/query.hpp"
#include "core/journal/verify.hpp"
#include "core/risk/self_trade_check.hpp"
#include "tests/support/instruments.hpp"

namespace guiju {
namespace {

// Acts only when the test tells it to, through the context it keeps.
class Puppet final : public Strategy {
 public:
  void on_start(StrategyContext& c) override { ctx = &c; }
  StrategyContext* ctx = nullptr;
};

OrderRequest Limit(Side side, const char* price) {
  const Price px = *Price::parse(price);
  return {0, side, OrderType::kLimit, TimeInForce::kDay, px, Quantity::from_units(100)};
}

std::string Field(const journal::RecordFields& r, const std::string& name) {
  for (const auto& [k, v] : r.fields) {
    if (k == name) return v;
  }
  return {};
}

// Two accounts in one control group, a strategy on each, the check, and a journal on disk.
class SelfTradePrevention : public ::testing::Test {
 protected:
  SelfTradePrevention()
      : dir_(std::filesystem::temp_directory_path() /
             ("guiju-self-trade-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(dir_);
  }
  ~SelfTradePrevention() override { std::filesystem::remove_all(dir_); }

  void Start(SelfTradePolicy policy) {
    registry_.add(test::main_board_stock());
    EngineOptions options;
    options.max_orders = 64;
    options.order_ring_capacity = 64;
    engine_ = std::make_unique<Engine>(registry_, clock_, ids_, options);
    const AccountId a = engine_->add_account({"a", FeeSchedule{}});
    const AccountId b = engine_->add_account({"b", FeeSchedule{}});
    SelfTradeRules rules;
    rules.enabled = true;
    rules.policy = policy;
    rules.groups = {{a, b}};
    check_.emplace(rules, 2, registry_.size(), engine_->orders().first_id(),
                   engine_->orders().capacity());
    engine_->add_pre_trade_check(&*check_);
    auto s1 = std::make_unique<Puppet>();
    auto s2 = std::make_unique<Puppet>();
    s1_ = s1.get();
    s2_ = s2.get();
    sid1_ = engine_->add_strategy("s1", a, {0}, std::move(s1));
    sid2_ = engine_->add_strategy("s2", b, {0}, std::move(s2));
    journal::WriterOptions wo;
    wo.directory = dir_;
    wo.trading_date = "20261127";
    journal_ = std::make_unique<journal::JournalService>(wo, 1 << 10);
    engine_->set_journal(journal_.get());
    engine_->start();
  }
  void Ack(OrderId id) {
    ExecutionReport r;
    const Timestamp t = clock_.now() + kMillisecond;
    r.header = make_header<ExecutionReport>(t, t, 200);
    r.order_id = id;
    r.exec_id = next_exec_id_++;
    r.exec_type = ExecType::kAck;
    EventSlot s;
    s.store(r);
    engine_->process(s);
  }
  // What left, in order: "new ID" or "cancel ID".
  std::vector<std::string> Sent() {
    std::vector<std::string> out;
    EventSlot s;
    while (engine_->order_ring().try_pop(s)) {
      if (s.type() == EventType::kNewOrder) {
        out.push_back("new " + std::to_string(s.as<NewOrder>().order_id));
      } else if (s.type() == EventType::kCancelOrder) {
        out.push_back("cancel " + std::to_string(s.as<CancelOrder>().order_id));
      }
    }
    return out;
  }
  // Stops the engine and the journal; the journal's risk_decision records.
  std::vector<journal::RecordFields> Finish() {
    engine_->stop();
    journal_->stop();
    EXPECT_TRUE(journal::verify_journal(dir_).ok());
    std::vector<journal::RecordFields> decisions;
    const std::string damage =
        journal::query_journal(dir_, {}, [&](const journal::RecordFields& r) {
          if (r.type == "risk_decision") decisions.push_back(r);
        });
    EXPECT_TRUE(damage.empty()) << damage;
    return decisions;
  }
  const journal::ActivityRow* Row(const journal::ActivityReport& r, int64_t account,
                                  int64_t strategy) {
    for (const journal::ActivityRow& row : r.rows) {
      if (row.account == account && row.strategy == strategy) return &row;
    }
    return nullptr;
  }

  std::filesystem::path dir_;
  InstrumentRegistry registry_;
  SimulatedClock clock_{1'000'000'000};
  ClientOrderIdAllocator ids_{"T", "20261127"};
  std::unique_ptr<Engine> engine_;
  std::optional<SelfTradeCheck> check_;
  std::unique_ptr<journal::JournalService> journal_;
  Puppet* s1_ = nullptr;
  Puppet* s2_ = nullptr;
  StrategyId sid1_ = kNoStrategy;
  StrategyId sid2_ = kNoStrategy;
  ExecId next_exec_id_ = 1;
};

TEST_F(SelfTradePrevention, AStrategyBuyingAgainstItsOwnRestingSellIsStoppedAndJournaled) {
  Start(SelfTradePolicy::kRejectNew);
  const SubmitResult sell = s1_->ctx->submit(Limit(Side::kSell, "10.00"));
  ASSERT_TRUE(sell.ok());
  Ack(sell.order_id);

  const SubmitResult own = s1_->ctx->submit(Limit(Side::kBuy, "10.00"));
  EXPECT_EQ(own.reject, RejectCode::kSelfTrade);
  EXPECT_EQ(own.reason, "self-trade: crosses a resting order of its group");
  const SubmitResult sibling = s2_->ctx->submit(Limit(Side::kBuy, "10.01"));
  EXPECT_EQ(sibling.reject, RejectCode::kSelfTrade) << "another account under the same control";
  EXPECT_TRUE(s1_->ctx->submit(Limit(Side::kBuy, "9.99")).ok()) << "below the sell: no trade";
  EXPECT_EQ(Sent(), (std::vector<std::string>{"new " + std::to_string(sell.order_id),
                                              "new " + std::to_string(sell.order_id + 1)}));
  EXPECT_EQ(engine_->counters().risk_rejects, 2u);

  const std::vector<journal::RecordFields> decisions = Finish();
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].strategy, sid1_);
  EXPECT_EQ(decisions[1].strategy, sid2_);
  EXPECT_EQ(decisions[1].account, 1);
  for (const journal::RecordFields& d : decisions) {
    EXPECT_EQ(Field(d, "check"), "self_trade");
    EXPECT_EQ(Field(d, "action"), "new_order");
    EXPECT_EQ(Field(d, "reject"), "self-trade prevented");
    EXPECT_EQ(Field(d, "limit"), std::to_string(Price::parse("10.00")->raw()));
  }
  EXPECT_EQ(Field(decisions[1], "observed"), std::to_string(Price::parse("10.01")->raw()));

  const journal::ActivityReport report = journal::build_activity_report(dir_);
  ASSERT_TRUE(report.damage.empty()) << report.damage;
  const journal::ActivityRow* r1 = Row(report, 0, sid1_);
  const journal::ActivityRow* r2 = Row(report, 1, sid2_);
  ASSERT_NE(r1, nullptr);
  ASSERT_NE(r2, nullptr);
  EXPECT_EQ(r1->self_trade_refused, 1u);
  EXPECT_EQ(r2->self_trade_refused, 1u);
  EXPECT_EQ(r1->self_trade_cancels, 0u);
  EXPECT_EQ(r1->risk_rejects.at("self-trade prevented"), 1u);
}

TEST_F(SelfTradePrevention, UnderCancelRestingTheRestingOrderIsCancelledBeforeTheNewOneLeaves) {
  Start(SelfTradePolicy::kCancelResting);
  const SubmitResult sell = s1_->ctx->submit(Limit(Side::kSell, "10.00"));
  Ack(sell.order_id);
  const SubmitResult buy = s2_->ctx->submit(Limit(Side::kBuy, "10.00"));
  ASSERT_TRUE(buy.ok()) << buy.reason;
  EXPECT_EQ(Sent(), (std::vector<std::string>{"new " + std::to_string(sell.order_id),
                                              "cancel " + std::to_string(sell.order_id),
                                              "new " + std::to_string(buy.order_id)}));

  const std::vector<journal::RecordFields> decisions = Finish();
  ASSERT_EQ(decisions.size(), 1u);
  const journal::RecordFields& d = decisions[0];
  EXPECT_EQ(Field(d, "check"), "self_trade");
  EXPECT_EQ(Field(d, "action"), "cancel_resting");
  EXPECT_EQ(Field(d, "reason"), "self-trade: crossed by a buy at 10.00");
  EXPECT_EQ(d.account, 0) << "the resting order's account";
  EXPECT_EQ(d.strategy, sid1_);
  ASSERT_FALSE(d.orders.empty());
  EXPECT_EQ(d.orders.front(), sell.order_id);

  const journal::ActivityReport report = journal::build_activity_report(dir_);
  const journal::ActivityRow* r1 = Row(report, 0, sid1_);
  const journal::ActivityRow* account = Row(report, 0, -1);
  ASSERT_NE(r1, nullptr);
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(r1->self_trade_cancels, 1u);
  EXPECT_EQ(account->self_trade_cancels, 1u);
  EXPECT_EQ(r1->self_trade_refused, 0u);
  EXPECT_TRUE(r1->risk_rejects.empty()) << "a cancel by a control refused nothing";
}

}  // namespace
}  // namespace guiju
