// What the engine writes to the audit journal: every event it consumes, every order it sends,
// every pre-trade refusal with its limit and observed value, and strategy lifecycle (started,
// quarantined with the reason, stopped), in engine order, in a journal that verifies.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <stdexcept>

#include "core/engine/engine.hpp"
#include "core/journal/journal_service.hpp"
#include "core/journal/query.hpp"
#include "core/journal/verify.hpp"
#include "core/risk/order_size_limits.hpp"
#include "tests/support/instruments.hpp"

namespace guiju {
namespace {

// Bids 100 shares on every quote, 1000 shares on the third, and throws on the fifth.
class Scripted final : public Strategy {
 public:
  void on_quote(StrategyContext& ctx, const Quote& q) override {
    ++quotes_;
    if (quotes_ == 5) throw std::runtime_error("model blew up");
    const auto qty = Quantity::from_units(quotes_ == 3 ? 1000 : 100);
    ctx.submit({q.instrument, Side::kBuy, OrderType::kLimit, TimeInForce::kDay, q.bid_price, qty});
  }

 private:
  int quotes_ = 0;
};

TEST(EngineJournal, InputsOrdersRefusalsAndLifecycleAreRecordedInOrder) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("guiju-engine-journal-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  {
    InstrumentRegistry registry;
    registry.add(test::main_board_stock());
    SimulatedClock clock(1'000'000'000);
    ClientOrderIdAllocator ids("T", "20261127");
    EngineOptions options;
    options.session.mode = "paper";
    options.session.software = "guiju test";
    options.session.config_hash[0] = 0xcd;
    Engine engine(registry, clock, ids, options);
    engine.add_account({"a", FeeSchedule{}});
    StrategyIdentity identity;
    identity.type = "scripted";
    identity.parameters_hash[0] = 0xab;
    engine.add_strategy("s1", 0, {0}, std::make_unique<Scripted>(), identity);
    RiskLimits limits(1, registry.size());
    limits.set_every_account(LimitKey::kMaxOrderQuantity, Quantity::from_units(500).raw());
    OrderSizeCheck size_check(limits);
    engine.add_pre_trade_check(&size_check);

    journal::WriterOptions wo;
    wo.directory = dir;
    wo.trading_date = "20261127";
    journal::JournalService service(wo, 1 << 10);
    engine.set_journal(&service);
    engine.start();
    for (int k = 0; k < 6; ++k) {
      Quote q;
      q.header.event_time = clock.now() + 1'000;
      q.instrument = 0;
      q.bid_price = *Price::parse("9.99");
      q.ask_price = *Price::parse("10.00");
      q.bid_size = Quantity::from_units(1000);
      q.ask_size = Quantity::from_units(1000);
      EventSlot s;
      s.store(q);
      engine.process(s);
    }
    engine.stop();
    service.stop();
  }

  ASSERT_TRUE(journal::verify_journal(dir).ok());
  std::vector<journal::RecordFields> records;
  const std::string damage = journal::query_journal(
      dir, {}, [&](const journal::RecordFields& r) { records.push_back(r); });
  ASSERT_TRUE(damage.empty()) << damage;
  std::vector<std::string> types;
  for (const auto& r : records) types.push_back(r.type);

  auto field = [](const journal::RecordFields& r, const std::string& name) {
    for (const auto& [k, v] : r.fields) {
      if (k == name) return v;
    }
    return std::string();
  };
  // The run's session record first, then the strategy started with its identity; the stop is
  // recorded the moment it is asked for, as the last record here.
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(types.front(), "session");
  EXPECT_EQ(field(records.front(), "action"), "engine_started");
  EXPECT_EQ(field(records.front(), "software"), "guiju test");
  EXPECT_EQ(field(records.front(), "mode"), "paper");
  EXPECT_EQ(field(records.front(), "config_sha256").substr(0, 2), "cd");
  EXPECT_EQ(types[1], "strategy_lifecycle");
  EXPECT_EQ(field(records[1], "action"), "started");
  EXPECT_EQ(field(records[1], "strategy_type"), "scripted");
  EXPECT_EQ(field(records[1], "parameters_sha256").substr(0, 2), "ab");
  EXPECT_EQ(types.back(), "session");
  EXPECT_EQ(field(records.back(), "action"), "engine_stopping");

  std::map<std::string, int> count;
  for (const auto& t : types) ++count[t];
  EXPECT_EQ(count["quote"], 6);               // every input, even after the quarantine
  EXPECT_EQ(count["new_order"], 3);           // quotes 1, 2 and 4
  EXPECT_EQ(count["risk_decision"], 1);       // quote 3: 1000 > 500
  EXPECT_EQ(count["cancel_order"], 3);        // the quarantine cancels what is open
  EXPECT_EQ(count["strategy_lifecycle"], 2);  // started, quarantined (no stop once quarantined)

  for (const auto& r : records) {
    if (r.type == "risk_decision") {
      EXPECT_EQ(field(r, "reason"), "max order quantity");
      EXPECT_EQ(field(r, "limit"), std::to_string(Quantity::from_units(500).raw()));
      EXPECT_EQ(field(r, "observed"), std::to_string(Quantity::from_units(1000).raw()));
    }
    if (r.type == "strategy_lifecycle" && field(r, "action") == "quarantined") {
      EXPECT_EQ(field(r, "reason"), "exception escaped a callback");
    }
  }
  // Engine order: the refusal comes right after the third quote.
  int quotes_seen = 0;
  for (size_t k = 0; k < records.size(); ++k) {
    if (records[k].type == "quote" && ++quotes_seen == 3) {
      ASSERT_LT(k + 1, records.size());
      EXPECT_EQ(records[k + 1].type, "risk_decision");
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace guiju
