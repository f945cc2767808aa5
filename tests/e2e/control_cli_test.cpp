// `guiju ctl` against a running `guiju run` (paper, the market maker quoting): keys made by
// `guiju ctl keygen`, the allow-list and roles enforced, kill and reset, limits shown, set and
// reloaded on SIGHUP (a broken file changing nothing), strategies paused and resumed, flatten,
// and every command in the audit journal under the operator's name. Each process is started
// here and ended by its pid.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/guiju_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::test {
namespace {

using namespace std::chrono_literals;

class ControlCli : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"engine", "alice", "bob", "mallory"}) {
      const CommandResult r = run_guiju({"ctl", "keygen", name, "--dir", dir_.path().string()});
      ASSERT_EQ(r.exit_code, 0) << r.output;
    }
    const CommandResult again =
        run_guiju({"ctl", "keygen", "alice", "--dir", dir_.path().string()});
    EXPECT_NE(again.exit_code, 0) << "keygen overwrote a key";
    dir_.file("operators", "alice operator " + public_key("alice") + "\nbob read-only " +
                               public_key("bob") + "\n");
    control_section_ =
        "control:\n  listen: tcp://127.0.0.1:" + std::to_string(free_loopback_port()) +
        "\n  server_key: " + key("engine") +
        "\n  operators: " + (dir_.path() / "operators").string() + "\n";
    config_ = market_maker_paper_config(dir_, control_section_);
    engine_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{GUIJU_BINARY, "run", "--config", config_}, path("out.txt"));
    ASSERT_TRUE(engine_->wait_for_output("control: listening", 30s)) << engine_->output();
  }
  void TearDown() override {
    if (engine_) engine_->stop(30s);
  }

  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  std::string key(const std::string& name) const { return path(name + ".key"); }
  std::string public_key(const std::string& name) const {
    const std::string text = read_file(path(name + ".pub"));
    std::smatch m;
    EXPECT_TRUE(std::regex_search(text, m, std::regex("public-key = (\\S+)"))) << text;
    return m[1];
  }
  CommandResult ctl(const std::string& who, std::vector<std::string> words,
                    const std::string& reason = "") {
    std::vector<std::string> args = {"ctl", "--config", config_, "--key", key(who)};
    if (!reason.empty()) args.insert(args.end(), {"--reason", reason});
    args.insert(args.end(), words.begin(), words.end());
    return run_guiju(args);
  }
  // Runs `words` until its output contains `text` (true) or `timeout` passes.
  bool eventually(const std::vector<std::string>& words, const std::string& text,
                  std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (ctl("alice", words).output.find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }

  TempDir dir_;
  std::string control_section_;
  std::string config_;
  std::unique_ptr<BackgroundProcess> engine_;
};

TEST_F(ControlCli, OperatorsControlTheEngineByRoleAndEveryCommandIsJournaled) {
  const CommandResult status = ctl("alice", {"status"});
  ASSERT_EQ(status.exit_code, 0) << status.output << engine_->output();
  EXPECT_NE(status.output.find("paper"), std::string::npos) << status.output;
  EXPECT_TRUE(std::regex_search(status.output, std::regex("kill switch +off"))) << status.output;
  EXPECT_TRUE(eventually({"orders"}, "market-maker")) << "the market maker never quoted";

  // Read-only: may look, may not act.
  const CommandResult look = ctl("bob", {"strategies"});
  EXPECT_EQ(look.exit_code, 0) << look.output;
  EXPECT_TRUE(std::regex_search(look.output, std::regex("market-maker +paper +running")))
      << look.output;
  const CommandResult denied = ctl("bob", {"kill"});
  EXPECT_EQ(denied.exit_code, 4) << denied.output;
  EXPECT_NE(denied.output.find("denied: operator 'bob' has a read-only key"), std::string::npos)
      << denied.output;
  // Not on the list: refused at the handshake.
  const CommandResult stranger = ctl("mallory", {"status"});
  EXPECT_EQ(stranger.exit_code, 3) << stranger.output;
  EXPECT_NE(stranger.output.find("not on the engine's allow-list"), std::string::npos)
      << stranger.output;

  // Kill: every quote cancelled and none placed; reset: quoting again.
  const CommandResult kill = ctl("alice", {"kill"}, "drill");
  EXPECT_EQ(kill.exit_code, 0) << kill.output;
  EXPECT_TRUE(eventually({"status"}, "ENGAGED")) << ctl("alice", {"status"}).output;
  EXPECT_TRUE(eventually({"orders"}, "0 open orders")) << ctl("alice", {"orders"}).output;
  EXPECT_EQ(ctl("alice", {"reset"}, "drill over").exit_code, 0);
  EXPECT_TRUE(eventually({"orders"}, "market-maker")) << "no quote after the reset";

  // Limits: set by command, shown, and a bad one refused saying why.
  const CommandResult set =
      ctl("alice", {"risk", "set", "account", "paper", "max_open_orders", "7"}, "tighter");
  EXPECT_EQ(set.exit_code, 0) << set.output;
  EXPECT_NE(set.output.find("-> 7"), std::string::npos) << set.output;
  const CommandResult shown = ctl("bob", {"risk", "show", "account", "paper"});
  EXPECT_TRUE(std::regex_search(shown.output, std::regex("account +paper +max_open_orders +7")))
      << shown.output;
  const CommandResult bad =
      ctl("alice", {"risk", "set", "account", "nobody", "max_open_orders", "1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("no account 'nobody'"), std::string::npos) << bad.output;
  EXPECT_EQ(ctl("alice", {"risk", "set", "account", "paper", "max_open_orders", "-1"}).exit_code,
            1);

  // Pause and resume.
  const CommandResult paused = ctl("alice", {"strategies", "pause", "market-maker"});
  EXPECT_EQ(paused.exit_code, 0) << paused.output;
  EXPECT_NE(paused.output.find("paused"), std::string::npos) << paused.output;
  EXPECT_TRUE(eventually({"orders"}, "0 open orders"));
  EXPECT_EQ(ctl("alice", {"strategies", "resume", "market-maker"}).exit_code, 0);
  EXPECT_TRUE(std::regex_search(ctl("alice", {"strategies"}).output,
                                std::regex("market-maker +paper +running")));

  // Flatten answers what it did (the market maker may hold nothing to close).
  const CommandResult flatten = ctl("alice", {"flatten", "strategy", "market-maker"});
  EXPECT_NE(flatten.output.find("flatten strategy market-maker:"), std::string::npos)
      << flatten.output;
  EXPECT_EQ(ctl("alice", {"flatten", "account", "nobody"}).exit_code, 1);

  // SIGHUP: the limits the file now holds; a broken file changes nothing and the engine runs on.
  const std::string good = read_file(config_);
  dir_.file("paper.yaml", std::regex_replace(good, std::regex("max_order_quantity: 100000"),
                                             "max_order_quantity: 5000"));
  ASSERT_EQ(::kill(engine_->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually({"risk", "show"}, "5000")) << engine_->output();
  dir_.file("paper.yaml", "mode: [broken\n");
  ASSERT_EQ(::kill(engine_->pid(), SIGHUP), 0);
  EXPECT_TRUE(engine_->wait_for_output("the config does not load, no limit changed", 10s))
      << engine_->output();
  dir_.file("paper.yaml", good);  // `guiju ctl --config` reads it too; no SIGHUP follows
  EXPECT_NE(ctl("alice", {"risk", "show"}).output.find("5000"), std::string::npos);
  EXPECT_EQ(ctl("alice", {"status"}).exit_code, 0);

  // SIGTERM: a clean stop, a journal that verifies and holds every command with its operator.
  EXPECT_EQ(engine_->stop(30s), 0) << engine_->output();
  const std::string journal = path("journal");
  const CommandResult verify = run_guiju({"audit", "verify", journal});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  const CommandResult controls =
      run_guiju({"audit", "query", journal, "--type", "control_command"});
  for (const char* expected :
       {"ctl:alice", "ctl:bob", "ctl:?", "operator_command", "kill switch engaged", "drill",
        "reset_kill_switch", "denied: kill", "status", "pause_strategy", "flatten"}) {
    EXPECT_NE(controls.output.find(expected), std::string::npos) << "no '" << expected << "' in\n"
                                                                 << controls.output;
  }
  const CommandResult limits =
      run_guiju({"audit", "query", journal, "--type", "risk_limit_change"});
  EXPECT_NE(limits.output.find("ctl:alice"), std::string::npos) << limits.output;
  EXPECT_NE(limits.output.find("SIGHUP"), std::string::npos) << limits.output;
}

TEST_F(ControlCli, ANewStrategyIsLoadedFromTheConfigFileAndUnloaded) {
  const CommandResult absent = ctl("alice", {"strategies", "load", "second"});
  EXPECT_EQ(absent.exit_code, 1);
  EXPECT_NE(absent.output.find("no strategy 'second' in"), std::string::npos) << absent.output;
  const std::string text = read_file(config_);
  const std::string second =
      "  - name: second\n"
      "    plugin: market_maker.so\n"
      "    account: paper\n"
      "    instruments: [\"000001\"]\n"
      "    parameters: { half_spread_ticks: 8, order_lots: 1, max_inventory_lots: 5, "
      "skew_ticks_per_lot: 0.25, requote_ticks: 2 }\n";
  dir_.file("paper.yaml",
            std::regex_replace(text, std::regex("\nrisk:\n"), "\n" + second + "\nrisk:\n"));
  const CommandResult loaded = ctl("alice", {"strategies", "load", "second"});
  EXPECT_EQ(loaded.exit_code, 0) << loaded.output << engine_->output();
  EXPECT_TRUE(
      std::regex_search(ctl("bob", {"strategies"}).output, std::regex("second +paper +running")));
  EXPECT_EQ(ctl("alice", {"strategies", "load", "second"}).exit_code, 1);  // already running
  const CommandResult unloaded = ctl("alice", {"strategies", "unload", "second"});
  EXPECT_EQ(unloaded.exit_code, 0) << unloaded.output;
  EXPECT_TRUE(
      std::regex_search(ctl("bob", {"strategies"}).output, std::regex("second +paper +unloaded")));
}

TEST(ControlCliUsage, BadUsageIsRefusedBeforeAnythingIsSent) {
  TempDir dir;
  const CommandResult unknown = run_guiju({"ctl", "frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("unknown command 'frobnicate'"), std::string::npos);
  const CommandResult no_target = run_guiju({"ctl", "status"});
  EXPECT_EQ(no_target.exit_code, 2);
  EXPECT_NE(no_target.output.find("--connect ENDPOINT"), std::string::npos) << no_target.output;
  const CommandResult help = run_guiju({"ctl", "help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("flatten [global | account NAME | strategy NAME]"), std::string::npos);
  // Nobody listening: a clear "no answer", not a hang.
  ASSERT_EQ(run_guiju({"ctl", "keygen", "engine", "--dir", dir.path().string()}).exit_code, 0);
  ASSERT_EQ(run_guiju({"ctl", "keygen", "alice", "--dir", dir.path().string()}).exit_code, 0);
  const CommandResult nobody =
      run_guiju({"ctl", "--connect", "tcp://127.0.0.1:" + std::to_string(free_loopback_port()),
                 "--server-key", (dir.path() / "engine.pub").string(), "--key",
                 (dir.path() / "alice.key").string(), "--timeout-ms", "500", "status"});
  EXPECT_EQ(nobody.exit_code, 3);
  EXPECT_NE(nobody.output.find("no answer from"), std::string::npos) << nobody.output;
  // A .pub given as one's own key.
  const CommandResult pub = run_guiju({"ctl", "--connect", "tcp://127.0.0.1:1", "--server-key",
                                       (dir.path() / "engine.pub").string(), "--key",
                                       (dir.path() / "alice.pub").string(), "status"});
  EXPECT_EQ(pub.exit_code, 2);
  EXPECT_NE(pub.output.find("holds no secret-key"), std::string::npos) << pub.output;
}

}  // namespace
}  // namespace guiju::test
