// The whole deployment as an operator runs it in colocation, every part a real process on
// loopback: `guiju venue` (the exchange), `guiju-inferd` (AI signals over ipc://), and `guiju run`
// in live mode trading through FIX with the market maker and the ai_signal sample, controlled with
// `guiju ctl`. After some seconds of trading: status, a kill (every order at the venue
// cancelled), a reset (quoting again); then SIGTERM: the engine stops cleanly, its journal
// verifies, the venue saw the session leave with no order of ours working, and the signals that
// were asked for were answered by the service. Each process is started here and ended by its pid.

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/fix_venue_files.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/guiju_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::test {
namespace {

using namespace std::chrono_literals;

const std::string kModelDir = std::string(GUIJU_SOURCE_ROOT) + "/strategies/ai_signal/model";

class Colocation : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"engine", "alice"}) {
      ASSERT_EQ(run_guiju({"ctl", "keygen", name, "--dir", dir_.path().string()}).exit_code, 0);
    }
    const std::string alice_pub = read_file(path("alice.pub"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(alice_pub, m, std::regex("public-key = (\\S+)")));
    dir_.file("operators", "alice operator " + m[1].str() + "\n");

    const int venue_port = free_loopback_port();
    dir_.file("venue.cfg", fix_venue_settings(venue_port, path("venue-store")));
    dir_.file("venue.yaml", fix_venue_config(path("venue.cfg"), 1.0, 100));
    dir_.file("orders.cfg", fix_initiator_settings(venue_port, path("orders-store"), "GUIJU-ORD"));
    dir_.file("md.cfg", fix_initiator_settings(venue_port, path("md-store"), "GUIJU-MD"));
    config_ = dir_.file("engine.yaml", EngineConfig());
  }

  std::string EngineConfig() const {
    return R"(mode: live
trading_date: "20261127"
engine:
  max_orders: 200000
  order_ring_capacity: 65536
  inbound_ring_capacity: 65536
  order_ring_policy: fail
  client_order_id_prefix: GC
  state_dir: )" +
           path("state") + R"(
logging: { level: info, console: true }
instruments:
  - { symbol: "600519", venue: SSE, tick_size: "0.01", lot_size: 100, board: main, currency: CNY, previous_close: "1700.00" }
  - { symbol: "000001", venue: SZSE, tick_size: "0.01", lot_size: 100, board: main, currency: CNY, previous_close: "11.20" }
accounts:
  - name: paper
    allow_short: true
    fees: { commission_rate: "0.00025", min_commission: "5", stamp_duty_rate: "0.0005", transfer_fee_rate: "0.00001" }
plugins:
  directories: [)" GUIJU_STRATEGY_DIR R"(]
strategies:
  - name: market-maker
    plugin: market_maker.so
    account: paper
    instruments: ["000001"]
    parameters: { half_spread_ticks: 5, order_lots: 1, max_inventory_lots: 20, skew_ticks_per_lot: 0.25, requote_ticks: 2 }
  - name: ai_signal
    plugin: ai_signal.so
    type: ai_signal
    account: paper
    instruments: ["600519"]
    parameters:
      model_id: 1
      features_file: )" +
           kModelDir + R"(/ai_signal/1/features.json
      deadline_us: 20000
      min_interval_us: 1000
      entry_threshold: 0.2
      order_lots: 1
      max_position_lots: 5
      allow_short: false
risk:
  max_order_quantity: 100000
  max_order_value: "5000000"
inference:
  repository: )" +
           kModelDir + R"(
  models:
    - { id: 1, name: ai_signal, version: "1" }
  service: ipc://)" +
           path("inferd.sock") + R"(
fix:
  orders: )" +
           path("orders.cfg") + R"(
  market_data: )" +
           path("md.cfg") + R"(
  accounts: { paper: "GUIJU-PAPER-1" }
audit:
  directory: )" +
           path("journal") + R"(
  durability: interval
  sync_interval_us: 2000
control:
  listen: tcp://127.0.0.1:)" +
           std::to_string(free_loopback_port()) + R"(
  server_key: )" +
           path("engine.key") + R"(
  operators: )" +
           path("operators") + "\n";
  }

  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  CommandResult ctl(std::vector<std::string> words) {
    std::vector<std::string> args = {"ctl", "--config", config_, "--key", path("alice.key")};
    args.insert(args.end(), words.begin(), words.end());
    return run_guiju(args);
  }
  bool eventually(const std::vector<std::string>& words, const std::regex& wanted,
                  std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::regex_search(ctl(words).output, wanted)) return true;
      std::this_thread::sleep_for(250ms);
    }
    return false;
  }

  TempDir dir_;
  std::string config_;
};

TEST_F(Colocation, VenueEngineAndInferenceServiceTradeAreControlledAndStopCleanly) {
  BackgroundProcess inferd({GUIJU_INFERD_BINARY, "--repository", kModelDir, "--listen",
                            "ipc://" + path("inferd.sock"), "--model", "ai_signal"},
                           path("inferd.out"));
  ASSERT_TRUE(inferd.wait_for_output(" ready: listening on ", 30s)) << inferd.output();
  BackgroundProcess venue({GUIJU_BINARY, "venue", "--config", path("venue.yaml")},
                          path("venue.out"));
  ASSERT_TRUE(venue.wait_for_output("accepting FIX sessions", 30s)) << venue.output();
  BackgroundProcess engine({GUIJU_BINARY, "run", "--config", config_}, path("engine.out"));
  ASSERT_TRUE(engine.wait_for_output("control: listening", 30s)) << engine.output();

  // Trading: logged on, quotes resting at the venue, signals asked for (the ai_signal sample
  // needs 101 books of 600519 first: about two seconds of the venue's market).
  ASSERT_TRUE(eventually({"status"}, std::regex("engine +trading"))) << engine.output();
  ASSERT_TRUE(eventually({"orders"}, std::regex("market-maker.*000001")))
      << ctl({"orders"}).output << engine.output();
  std::this_thread::sleep_for(3s);
  const CommandResult status = ctl({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_TRUE(std::regex_search(status.output, std::regex("mode +live"))) << status.output;
  EXPECT_TRUE(std::regex_search(status.output, std::regex("order session +up"))) << status.output;

  // The kill switch reaches the venue: every order of ours cancelled there, none placed.
  EXPECT_EQ(ctl({"--reason", "e2e drill", "kill"}).exit_code, 0);
  EXPECT_TRUE(eventually({"orders"}, std::regex("^0 open orders")))
      << ctl({"orders"}).output << engine.output();
  EXPECT_TRUE(std::regex_search(ctl({"status"}).output, std::regex("kill switch +ENGAGED")));
  EXPECT_EQ(ctl({"reset"}).exit_code, 0);
  EXPECT_TRUE(eventually({"orders"}, std::regex("market-maker.*000001")))
      << "no quote after the reset\n"
      << engine.output();

  // SIGTERM: strategies stopped, open orders cancelled and acknowledged, journal sealed.
  EXPECT_EQ(engine.stop(60s), 0) << engine.output();
  EXPECT_NE(engine.output().find("0 open at exit"), std::string::npos) << engine.output();
  EXPECT_TRUE(venue.wait_for_output("GUIJU-ORD logged out with 0 orders working", 10s))
      << venue.output();
  const CommandResult verify = run_guiju({"audit", "verify", path("journal")});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("result    OK"), std::string::npos) << verify.output;
  // The AI signals came from the service, each reply journaled.
  const CommandResult replies =
      run_guiju({"audit", "query", path("journal"), "--type", "signal_reply"});
  EXPECT_NE(replies.output.find("status=ok"), std::string::npos)
      << "no answered signal in the journal\n"
      << replies.output.substr(0, 2000) << engine.output();
  const CommandResult controls =
      run_guiju({"audit", "query", path("journal"), "--type", "control_command"});
  EXPECT_NE(controls.output.find("e2e drill"), std::string::npos) << controls.output;
  EXPECT_EQ(venue.stop(20s), 0) << venue.output();
  EXPECT_EQ(inferd.stop(20s), 0) << inferd.output();
}

}  // namespace
}  // namespace guiju::test
