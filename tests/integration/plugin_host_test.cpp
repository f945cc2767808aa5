// The plugin host with real shared libraries built by the test suite (tests/plugins/): a plain C
// strategy trades; every refusal (directories, pin, entry symbol, ABI major, parameters, a create
// that says no) names what was wrong; a strategy that throws is quarantined with its orders
// cancelled while its neighbour trades on; callbacks over the time budget are counted and then
// quarantined; the journal records the plugin's path, hash, ABI and parameters.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/config/config_error.hpp"
#include "core/engine/engine.hpp"
#include "core/journal/audit_sink.hpp"
#include "core/journal/chain_hash.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "tests/support/instruments.hpp"
#include "tests/support/strategy_plugins.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::test_plugin_dir;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

StrategyConfig Entry(const std::string& name, const std::string& plugin,
                     const std::vector<std::pair<std::string, std::string>>& parameters = {}) {
  StrategyConfig s;
  s.line = 7;
  s.name = name;
  s.plugin = plugin;
  s.account = "main";
  s.instruments = {"600000"};
  s.parameters = StrategyParameters("engine.yaml", name, 7);
  int line = 8;
  for (const auto& [k, v] : parameters) s.parameters.add({k, v, line++, 7});
  return s;
}

const InstrumentRegistry& Registry() {
  static const InstrumentRegistry registry = [] {
    InstrumentRegistry r;
    r.add(test::main_board_stock());
    return r;
  }();
  return registry;
}

StrategyConfig OutOfProcess(StrategyConfig entry, uint32_t timeout_ms = 30000) {
  entry.out_of_process = true;
  entry.host_timeout_ms = timeout_ms;
  return entry;
}

PluginsConfig TestPlugins() {
  PluginsConfig p;
  p.directories = {test_plugin_dir().string()};
  return p;
}

// What the loader says when it refuses `entry` (empty when it accepts).
std::string Refusal(const StrategyConfig& entry, const PluginsConfig& plugins = TestPlugins()) {
  PluginLoader loader(plugins, "engine.yaml", Registry());
  try {
    loader.load(entry);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "engine.yaml");
    EXPECT_NE(e.line(), 0);
    return e.what();
  }
  return {};
}

TEST(PluginHost, AbiMajorMismatchIsRefusedNamingBothVersions) {
  const std::string why = Refusal(Entry("future", "wrong_abi.so"));
  EXPECT_TRUE(Contains(why, "strategy 'future'")) << why;
  EXPECT_TRUE(Contains(why, "ABI " + std::to_string(GUIJU_ABI_MAJOR + 1) + ".4")) << why;
  EXPECT_TRUE(Contains(
      why, "ABI " + std::to_string(GUIJU_ABI_MAJOR) + "." + std::to_string(GUIJU_ABI_MINOR)))
      << why;
  EXPECT_TRUE(Contains(why, "major versions differ")) << why;
}

TEST(PluginHost, LibraryWithoutTheEntrySymbolIsRefused) {
  const std::string why = Refusal(Entry("x", "no_entry.so"));
  EXPECT_TRUE(Contains(why, "entry symbol 'guiju_strategy_plugin' is missing")) << why;
}

TEST(PluginHost, ADescriptionWithoutCreateIsRefused) {
  const std::string why = Refusal(Entry("x", "incomplete.so"));
  EXPECT_TRUE(Contains(why, "no create or destroy callback")) << why;
}

TEST(PluginHost, PinnedHashMustMatchTheFile) {
  const fs::path file = test_plugin_dir() / "c_strategy.so";
  StrategyConfig entry = Entry("c", "c_strategy.so");
  entry.sha256 = std::string(64, '0');
  const std::string why = Refusal(entry);
  EXPECT_TRUE(Contains(why, "does not match the pin")) << why;
  EXPECT_TRUE(Contains(why, journal::to_hex(journal::sha256_file(file)))) << why;

  entry.sha256 = journal::to_hex(journal::sha256_file(file));
  EXPECT_EQ(Refusal(entry), "");
}

TEST(PluginHost, OnlyTheConfiguredDirectoriesAreSearched) {
  TempDir other;
  fs::copy_file(test_plugin_dir() / "c_strategy.so", other.path() / "c_strategy.so");
  // Named by an absolute path outside the directories.
  std::string why = Refusal(Entry("c", (other.path() / "c_strategy.so").string()));
  EXPECT_TRUE(Contains(why, "outside the configured plugin directories")) << why;
  // Reached by ../ from inside one.
  why = Refusal(Entry("c", "../" + fs::relative(other.path(), test_plugin_dir().parent_path())
                                       .append("c_strategy.so")
                                       .string()));
  EXPECT_TRUE(Contains(why, "outside the configured plugin directories") ||
              Contains(why, "not found"))
      << why;
  // A symbolic link inside a directory that points out of it.
  TempDir dir;
  fs::create_symlink(other.path() / "c_strategy.so", dir.path() / "linked.so");
  PluginsConfig plugins;
  plugins.directories = {dir.path().string()};
  why = Refusal(Entry("c", "linked.so"), plugins);
  EXPECT_TRUE(Contains(why, "outside the configured plugin directories")) << why;
  // Not there at all; no directories at all.
  why = Refusal(Entry("c", "absent.so"));
  EXPECT_TRUE(Contains(why, "not found in the plugin directories")) << why;
  why = Refusal(Entry("c", "c_strategy.so"), PluginsConfig{});
  EXPECT_TRUE(Contains(why, "no plugin directories are configured")) << why;
}

TEST(PluginHost, ADeclaredTypeMustMatchThePlugin) {
  StrategyConfig entry = Entry("c", "c_strategy.so");
  entry.type = "market_maker";
  const std::string why = Refusal(entry);
  EXPECT_TRUE(Contains(why, "expects strategy type 'market_maker'")) << why;
  EXPECT_TRUE(Contains(why, "provides 'c_strategy'")) << why;
}

TEST(PluginHost, BadOrUnknownParametersNameTheStrategyAndKey) {
  PluginLoader loader(TestPlugins(), "engine.yaml", Registry());
  try {
    loader.load(Entry("c-one", "c_strategy.so", {{"max_orders", "0"}}));
    ADD_FAILURE() << "an out-of-range parameter was accepted";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(Contains(e.key(), "max_orders")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "c-one")) << e.what();
    EXPECT_EQ(e.line(), 8) << e.what();
  }
  try {
    loader.load(Entry("c-two", "c_strategy.so", {{"max_order", "5"}}));
    ADD_FAILURE() << "an unknown parameter was accepted";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(Contains(e.key(), "max_order")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "unknown parameter")) << e.what();
  }
}

TEST(PluginHost, ACreateThatSaysNoIsRefusedWithThePluginsReason) {
  const std::string why = Refusal(Entry("m", "misbehaving.so", {{"mode", "refuse_create"}}));
  EXPECT_TRUE(Contains(why, "refused to start")) << why;
  EXPECT_TRUE(Contains(why, "no market today")) << why;
}

// Keeps what the engine journals.
class Recorder final : public journal::AuditSink {
 public:
  bool record(const EventSlot& event, Timestamp) override {
    events.push_back(event);
    return true;
  }
  bool healthy() const override { return true; }
  std::string failure() const override { return {}; }
  std::vector<EventSlot> events;
};

class PluginEngineTest : public ::testing::Test {
 protected:
  // On the simulated clock unless `live`.
  void Build(const std::vector<StrategyConfig>& entries, EngineOptions options = {},
             bool live = false) {
    registry_.add(test::main_board_stock());
    options.max_orders = 256;
    options.order_ring_capacity = 256;
    engine_ = std::make_unique<Engine>(registry_, live ? static_cast<Clock&>(live_clock_) : clock_,
                                       ids_, options);
    engine_->add_account({"main", FeeSchedule{}});
    engine_->set_journal(&recorder_);
    PluginLoader loader(TestPlugins(), "engine.yaml", registry_, GUIJU_BINARY);
    for (const StrategyConfig& e : entries) {
      LoadedStrategy loaded = loader.load(e);
      engine_->add_strategy(e.name, 0, {0}, std::move(loaded.strategy), loaded.identity);
    }
    engine_->start();
  }
  void Quote(const char* bid = "9.99", const char* ask = "10.00") {
    guiju::Quote q;
    const Timestamp t = clock_.now() + kMillisecond;
    q.header = make_header<guiju::Quote>(t, t);
    q.instrument = 0;
    q.bid_price = *Price::parse(bid);
    q.ask_price = *Price::parse(ask);
    q.bid_size = Quantity::from_units(1000);
    q.ask_size = Quantity::from_units(1000);
    EventSlot s;
    s.store(q);
    engine_->process(s);
  }
  // Orders and cancels sent since the last call, by strategy.
  std::vector<EventSlot> Sent() {
    std::vector<EventSlot> out;
    EventSlot s;
    while (engine_->order_ring().try_pop(s)) out.push_back(s);
    return out;
  }

  InstrumentRegistry registry_;
  SimulatedClock clock_{1'000'000'000};
  LiveClock live_clock_;
  ClientOrderIdAllocator ids_{"PH", "20261127"};
  Recorder recorder_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(PluginEngineTest, APlainCStrategyTradesAndCancelsOnStop) {
  Build({Entry("c", "c_strategy.so", {{"max_orders", "2"}})});
  for (int k = 0; k < 4; ++k) Quote();
  const auto sent = Sent();
  ASSERT_EQ(sent.size(), 2u);  // max_orders
  for (const EventSlot& e : sent) {
    ASSERT_EQ(e.type(), EventType::kNewOrder);
    EXPECT_EQ(e.as<NewOrder>().price, *Price::parse("9.99"));
    EXPECT_EQ(e.as<NewOrder>().quantity, Quantity::from_units(100));
  }
  engine_->stop();
  const auto cancels = Sent();
  ASSERT_EQ(cancels.size(), 2u);
  EXPECT_EQ(cancels[0].type(), EventType::kCancelOrder);
}

TEST_F(PluginEngineTest, AThrowingStrategyIsQuarantinedWhileItsNeighbourTradesOn) {
  Build({Entry("bad", "misbehaving.so", {{"mode", "throw_on_quote"}}),
         Entry("good", "c_strategy.so", {{"max_orders", "5"}})});
  Quote();  // bad: one order; good: one order
  Quote();
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 3u);
  const OrderId bad_order = sent[0].as<NewOrder>().order_id;
  Quote();  // bad throws: quarantined, its order cancelled; good sends its third
  sent = Sent();
  EXPECT_TRUE(engine_->strategy_quarantined(0));
  EXPECT_FALSE(engine_->strategy_quarantined(1));
  bool cancelled = false;
  int good_orders = 0;
  for (const EventSlot& e : sent) {
    if (e.type() == EventType::kCancelOrder && e.as<CancelOrder>().order_id == bad_order) {
      cancelled = true;
    }
    if (e.type() == EventType::kNewOrder && e.as<NewOrder>().strategy == 1) ++good_orders;
  }
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(good_orders, 1);
  Quote();
  Quote();
  EXPECT_EQ(Sent().size(), 2u);  // good trades on; bad hears nothing more

  bool journaled = false;
  for (const EventSlot& e : recorder_.events) {
    if (e.type() == EventType::kStrategyLifecycle &&
        e.as<StrategyEvent>().action == StrategyAction::kQuarantined) {
      journaled = e.as<StrategyEvent>().strategy == 0;
    }
  }
  EXPECT_TRUE(journaled);
}

TEST_F(PluginEngineTest, OnAReplayCallbacksOverBudgetAreCountedButNeverQuarantine) {
  EngineOptions options;
  options.callback_budget = 200 * kMicrosecond;
  options.callback_overrun_limit = 2;
  Build({Entry("slow", "misbehaving.so", {{"mode", "slow_on_quote"}, {"spin_us", "1500"}})},
        options);
  for (int k = 0; k < 4; ++k) Quote();
  EXPECT_EQ(engine_->strategy_stats(0).callback_overruns, 4u);
  EXPECT_FALSE(engine_->strategy_quarantined(0));
}

TEST_F(PluginEngineTest, CallbacksOverBudgetAreCountedThenQuarantined) {
  EngineOptions options;
  options.callback_budget = 200 * kMicrosecond;
  options.callback_overrun_limit = 3;
  Build({Entry("slow", "misbehaving.so", {{"mode", "slow_on_quote"}, {"spin_us", "1500"}})},
        options, /*live=*/true);
  Quote();
  Quote();
  EXPECT_EQ(engine_->strategy_stats(0).callback_overruns, 2u);
  EXPECT_GE(engine_->strategy_stats(0).slowest_overrun, 1500 * kMicrosecond);
  EXPECT_FALSE(engine_->strategy_quarantined(0));
  Quote();
  EXPECT_TRUE(engine_->strategy_quarantined(0));
  EXPECT_EQ(engine_->counters().callback_overruns, 3u);
  EXPECT_EQ(engine_->strategy_stats(0).quarantine_reason, "callbacks over their time budget");
}

TEST_F(PluginEngineTest, OrderFieldsThatAreNotAbiValuesAreRefusedNotSent) {
  Build({Entry("sloppy", "misbehaving.so", {{"mode", "bad_fields"}})});
  Quote();
  Quote();
  EXPECT_TRUE(Sent().empty());
  EXPECT_FALSE(engine_->strategy_quarantined(0));  // it saw each refusal, as it expected
}

TEST_F(PluginEngineTest, TheJournalRecordsThePluginFileHashAbiAndEachParameter) {
  Build({Entry("c", "c_strategy.so", {{"max_orders", "2"}})});
  const journal::Digest file_hash = journal::sha256_file(test_plugin_dir() / "c_strategy.so");
  const StrategyEvent* started = nullptr;
  const StrategyParameterEvent* parameter = nullptr;
  for (const EventSlot& e : recorder_.events) {
    if (e.type() == EventType::kStrategyLifecycle) started = &e.as<StrategyEvent>();
    if (e.type() == EventType::kStrategyParameter) parameter = &e.as<StrategyParameterEvent>();
  }
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->action, StrategyAction::kStarted);
  EXPECT_EQ(started->type.view(), "c_strategy");
  EXPECT_EQ(started->plugin_hash, file_hash);
  EXPECT_EQ(started->abi_major, GUIJU_ABI_MAJOR);
  EXPECT_EQ(started->abi_minor, GUIJU_ABI_MINOR);
  EXPECT_EQ(started->plugin_version.view(), "0.1.0");
  EXPECT_TRUE(Contains(std::string(started->plugin_path.view()), "c_strategy.so"));
  ASSERT_NE(parameter, nullptr);
  EXPECT_EQ(parameter->key.view(), "max_orders");
  EXPECT_EQ(parameter->value.view(), "2");
}

TEST_F(PluginEngineTest, StrategiesLoadUnloadAndReloadWhileTheEngineRuns) {
  Build({Entry("first", "c_strategy.so", {{"max_orders", "5"}})});
  Quote();
  ASSERT_EQ(Sent().size(), 1u);

  PluginLoader loader(TestPlugins(), "engine.yaml", registry_, GUIJU_BINARY);
  LoadedStrategy second = loader.load(Entry("second", "c_strategy.so", {{"max_orders", "5"}}));
  const StrategyId second_id =
      engine_->load_strategy("second", 0, {0}, std::move(second.strategy), second.identity);
  EXPECT_THROW(engine_->load_strategy("second", 0, {0},
                                      loader.load(Entry("second", "c_strategy.so")).strategy),
               std::invalid_argument);
  Quote();
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 2u);  // both trade

  // Unloading cancels first's two open orders; it hears nothing more.
  EXPECT_EQ(engine_->unload_strategy(0, "operator"), 2u);
  sent = Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].type(), EventType::kCancelOrder);
  Quote();
  sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].as<NewOrder>().strategy, second_id);
  EXPECT_FALSE(engine_->find_strategy("first").has_value());

  // Reloading with new parameters: its orders cancelled, a new instance under the same name.
  LoadedStrategy again = loader.load(Entry("second", "c_strategy.so", {{"max_orders", "1"}}));
  const StrategyId reloaded =
      engine_->reload_strategy(second_id, std::move(again.strategy), again.identity);
  EXPECT_EQ(engine_->find_strategy("second"), reloaded);
  EXPECT_EQ(Sent().size(), 2u);  // the two cancels
  Quote();
  Quote();
  EXPECT_EQ(Sent().size(), 1u);  // max_orders 1 now

  std::vector<std::string> lifecycle;
  for (const EventSlot& e : recorder_.events) {
    if (e.type() != EventType::kStrategyLifecycle) continue;
    const auto& l = e.as<StrategyEvent>();
    lifecycle.push_back(std::string(l.name.view()) + ":" +
                        std::to_string(static_cast<int>(l.action)));
  }
  EXPECT_EQ(lifecycle,
            (std::vector<std::string>{"first:1", "second:1", "first:5", "second:5", "second:1"}));
}

TEST_F(PluginEngineTest, UnloadingAnOutOfProcessStrategyEndsItsHost) {
  Build({OutOfProcess(Entry("far", "c_strategy.so", {{"max_orders", "2"}}))});
  Quote();
  EXPECT_EQ(Sent().size(), 1u);
  engine_->unload_strategy(0, "operator");
  EXPECT_EQ(Sent().size(), 1u);  // the cancel
  Quote();
  EXPECT_TRUE(Sent().empty());
}

// ---- out of process: the same plugins run by `guiju strategy-host` ----

TEST_F(PluginEngineTest, OutOfProcessTheSameStrategySendsTheSameOrders) {
  Build({OutOfProcess(Entry("c", "c_strategy.so", {{"max_orders", "3"}}))});
  for (int k = 0; k < 5; ++k) Quote(k % 2 == 0 ? "9.99" : "9.98", "10.00");
  const auto sent = Sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].as<NewOrder>().price, *Price::parse("9.99"));
  EXPECT_EQ(sent[1].as<NewOrder>().price, *Price::parse("9.98"));
  EXPECT_EQ(sent[2].as<NewOrder>().quantity, Quantity::from_units(100));
  engine_->stop();  // on_stop runs over there and cancels through the engine
  EXPECT_EQ(Sent().size(), 3u);

  // The journal has the plugin's identity as the host reported it.
  for (const EventSlot& e : recorder_.events) {
    if (e.type() == EventType::kStrategyLifecycle &&
        e.as<StrategyEvent>().action == StrategyAction::kStarted) {
      EXPECT_EQ(e.as<StrategyEvent>().type.view(), "c_strategy");
      EXPECT_EQ(e.as<StrategyEvent>().abi_major, GUIJU_ABI_MAJOR);
    }
  }
}

TEST_F(PluginEngineTest, AStrategyHostThatSegfaultsIsQuarantinedAndTheOthersTradeOn) {
  Build({OutOfProcess(Entry("crashy", "misbehaving.so", {{"mode", "crash_on_quote"}})),
         Entry("good", "c_strategy.so", {{"max_orders", "5"}})});
  Quote();
  Quote();
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 3u);  // crashy's one order, good's two
  const OrderId crashy_order = sent[0].as<NewOrder>().order_id;
  EXPECT_EQ(sent[0].as<NewOrder>().strategy, 0);

  Quote();  // the host dies inside on_quote
  EXPECT_TRUE(engine_->strategy_quarantined(0));
  EXPECT_FALSE(engine_->strategy_quarantined(1));
  sent = Sent();
  bool cancelled = false;
  bool good_traded = false;
  for (const EventSlot& e : sent) {
    if (e.type() == EventType::kCancelOrder && e.as<CancelOrder>().order_id == crashy_order) {
      cancelled = true;
    }
    if (e.type() == EventType::kNewOrder && e.as<NewOrder>().strategy == 1) good_traded = true;
  }
  EXPECT_TRUE(cancelled) << "the dead strategy's order was not cancelled";
  EXPECT_TRUE(good_traded);
  std::string reason;
  for (const EventSlot& e : recorder_.events) {
    if (e.type() == EventType::kStrategyLifecycle &&
        e.as<StrategyEvent>().action == StrategyAction::kQuarantined) {
      reason = e.as<StrategyEvent>().reason.view();
    }
  }
  EXPECT_EQ(reason, "strategy host killed by SIGSEGV");
  Quote();
  Quote();
  EXPECT_EQ(Sent().size(), 2u);  // the neighbour goes on
}

TEST_F(PluginEngineTest, OutOfProcessOverTcpOnLoopback) {
  StrategyConfig entry = OutOfProcess(Entry("tcp", "c_strategy.so", {{"max_orders", "2"}}));
  entry.host_endpoint = "tcp://127.0.0.1:*";  // any free port
  Build({entry});
  Quote();
  Quote();
  Quote();
  EXPECT_EQ(Sent().size(), 2u);
}

TEST_F(PluginEngineTest, AStrategyHostThatStopsAnsweringIsQuarantinedAfterItsTimeout) {
  Build({OutOfProcess(
      Entry("stuck", "misbehaving.so", {{"mode", "hang_on_quote"}, {"spin_us", "30000000"}}),
      300)});
  Quote();
  Quote();
  Quote();  // hangs: the engine gives up after 300 ms
  EXPECT_TRUE(engine_->strategy_quarantined(0));
  std::string reason;
  for (const EventSlot& e : recorder_.events) {
    if (e.type() == EventType::kStrategyLifecycle &&
        e.as<StrategyEvent>().action == StrategyAction::kQuarantined) {
      reason = e.as<StrategyEvent>().reason.view();
    }
  }
  EXPECT_TRUE(Contains(reason, "strategy host silent for")) << reason;
}

TEST(PluginHostOutOfProcess, ABadParameterIsReportedFromTheHostWithItsKey) {
  PluginLoader loader(TestPlugins(), "engine.yaml", Registry(), GUIJU_BINARY);
  try {
    loader.load(OutOfProcess(Entry("c-far", "c_strategy.so", {{"max_orders", "0"}})));
    ADD_FAILURE() << "an out-of-range parameter was accepted";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(Contains(e.key(), "max_orders")) << e.what();
    EXPECT_EQ(e.line(), 8) << e.what();
    EXPECT_EQ(e.file(), "engine.yaml") << e.what();
  }
  try {
    loader.load(OutOfProcess(Entry("future", "wrong_abi.so")));
    ADD_FAILURE() << "a plugin for another ABI was accepted";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(Contains(e.what(), "major versions differ")) << e.what();
  }
}

}  // namespace
}  // namespace guiju
