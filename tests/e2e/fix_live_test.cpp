// Live mode end to end: `guiju venue` and `guiju run` (live, through FIX) as real processes on
// loopback, the conformance strategy driving orders through the venue.
//
// - Every life of an order over FIX: a trade, a partial fill and a cancel, a replace, a reject,
//   each reaching the strategy and the audit journal.
// - The order session's TCP connection cut 100 times at random points while trading (a proxy in
//   this test sits between the engine and the venue): the engine reconnects, QuickFIX resends,
//   the engine reconciles its orders by status requests, and at the end every execution the
//   venue reported is in the engine's journal exactly once and the engine's position equals the
//   venue's record of the member's trades.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/fix/fix_order_mapping.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/fix_venue_files.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/guiju_cli.hpp"
#include "tests/support/tcp_cut_proxy.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::test {
namespace {

using namespace std::chrono_literals;

void Write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// The venue and the engine's configs, all in one temporary directory. The engine's order
// session connects to `order_port` (the venue's port, or a proxy in front of it).
class LiveSetup {
 public:
  // background_speed: the venue's synthetic market against the wall clock; slow it down (0.01:
  // a quote every few seconds) where a scenario needs the book to hold still while it works.
  LiveSetup(int cycles, double background_speed)
      : venue_port_(free_loopback_port()), cycles_(cycles), background_speed_(background_speed) {}

  const TempDir& dir() const { return dir_; }
  int venue_port() const { return venue_port_; }
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }

  void write(int order_port, int tick_ms) const {
    Write(path("venue.cfg"), fix_venue_settings(venue_port_, path("venue-store")));
    Write(path("venue.yaml"), fix_venue_config(path("venue.cfg"), background_speed_));
    Write(path("orders.cfg"), Initiator(order_port, "orders-store", "GUIJU-ORD"));
    Write(path("md.cfg"), Initiator(venue_port_, "md-store", "GUIJU-MD"));

    std::string engine =
        read_file(std::string(GUIJU_SOURCE_ROOT) + "/strategies/conformance/config.yaml");
    auto set = [&](const std::string& pattern, const std::string& value) {
      engine = std::regex_replace(engine, std::regex(pattern), value);
    };
    set("directories: \\[build/strategies\\]", "directories: [" GUIJU_STRATEGY_DIR "]");
    set("state_dir: \\S+", "state_dir: " + path("state"));
    set("directory: journal/conformance", "directory: " + path("journal"));
    set("orders: configs/fix/engine-orders.cfg", "orders: " + path("orders.cfg"));
    set("market_data: configs/fix/engine-md.cfg", "market_data: " + path("md.cfg"));
    set("duration_seconds: \\d+", "duration_seconds: 0");
    set("cycles: \\d+",
        "cycles: " + std::to_string(cycles_) + ", tick_ms: " + std::to_string(tick_ms));
    Write(path("engine.yaml"), engine);
  }

  // configs/paper-fix.yaml: paper trading on the venue's market data, fills simulated locally.
  void write_paper(int duration_seconds) const {
    std::string paper = read_file(std::string(GUIJU_SOURCE_ROOT) + "/configs/paper-fix.yaml");
    auto set = [&](const std::string& pattern, const std::string& value) {
      paper = std::regex_replace(paper, std::regex(pattern), value);
    };
    set("directories: \\[build/strategies\\]", "directories: [" GUIJU_STRATEGY_DIR "]");
    set("state_dir: \\S+", "state_dir: " + path("paper-state"));
    set("directory: journal/paper-fix", "directory: " + path("paper-journal"));
    set("directory: logs/paper-fix", "directory: " + path("paper-logs"));
    set("market_data: configs/fix/engine-md.cfg", "market_data: " + path("md.cfg"));
    set("duration_seconds: \\d+", "duration_seconds: " + std::to_string(duration_seconds));
    Write(path("paper.yaml"), paper);
  }

  std::unique_ptr<BackgroundProcess> StartVenue() const {
    auto venue = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{GUIJU_BINARY, "venue", "--config", path("venue.yaml"),
                                 "--trade-log", path("venue-trades.csv")},
        path("venue.out"));
    if (!venue->wait_for_output("accepting FIX sessions", 20s)) {
      ADD_FAILURE() << "the venue did not start:\n" << venue->output();
    }
    return venue;
  }
  std::unique_ptr<BackgroundProcess> StartEngine() const {
    return std::make_unique<BackgroundProcess>(
        std::vector<std::string>{GUIJU_BINARY, "run", "--config", path("engine.yaml")},
        path("engine.out"));
  }

 private:
  std::string Initiator(int port, const std::string& store, const std::string& sender) const {
    return fix_initiator_settings(port, path(store), sender);
  }

  TempDir dir_;
  int venue_port_;
  int cycles_;
  double background_speed_;
};

// The venue's record of the engine's executions (its --trade-log, session GUIJU-ORD).
struct VenueTrades {
  std::vector<std::string> exec_ids;
  double net = 0;  // bought - sold, shares
};

VenueTrades ReadVenueTrades(const std::string& path) {
  VenueTrades t;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) f.push_back(cell);
    if (f.size() != 10 || f[0] != "GUIJU-ORD") continue;
    t.exec_ids.push_back(f[4]);
    t.net += (f[6] == "buy" ? 1 : -1) * std::stod(f[7]);
  }
  return t;
}

// Execution ids of the fills the engine's journal recorded (every one, duplicates included).
std::vector<uint64_t> JournaledFillIds(const std::string& journal) {
  const CommandResult r =
      run_guiju({"audit", "export", journal, "--type", "execution_report", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::vector<uint64_t> ids;
  const std::regex fill(R"re("exec_id":"(\d+)","exec_type":"(fill|partial_fill)")re");
  for (std::sregex_iterator it(r.output.begin(), r.output.end(), fill), end; it != end; ++it) {
    ids.push_back(std::stoull((*it)[1].str()));
  }
  return ids;
}

// The engine's position in 600519 from its run summary.
double EnginePosition(const std::string& output) {
  std::smatch m;
  if (!std::regex_search(
          output, m, std::regex(R"(\n\s+certification\s+conformance\s+600519\s+(-?[0-9.]+))"))) {
    ADD_FAILURE() << "no position line in the run summary:\n" << output;
    return -1e18;
  }
  return std::stod(m[1].str());
}

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(FixLiveTest, EveryLifeOfAnOrderGoesThroughTheVenueAndBack) {
  // The book holds still, so that each scenario meets the book it saw (a partial fill stays
  // partial), however slowly a loaded machine lets the processes run.
  LiveSetup setup(/*cycles=*/1, /*background_speed=*/0.01);
  setup.write(setup.venue_port(), /*tick_ms=*/50);
  const auto venue = setup.StartVenue();
  const auto engine = setup.StartEngine();
  ASSERT_TRUE(engine->wait_for_output("conformance: all scenarios done", 60s)) << engine->output();
  EXPECT_EQ(engine->stop(20s), 0) << engine->output();
  EXPECT_EQ(venue->stop(10s), 0) << venue->output();

  const std::string out = engine->output();
  EXPECT_TRUE(std::regex_search(out, std::regex("trade done, order \\d+ filled"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("partial done, order \\d+ canceled"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("replace done, order \\d+ canceled"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("reject done, order \\d+ rejected"))) << out;
  EXPECT_NE(out.find("open orders      0 at exit"), std::string::npos) << out;

  // The journal holds each report as the venue sent it.
  const CommandResult reports = run_guiju({"audit", "export", setup.path("journal"), "--type",
                                           "execution_report", "--format", "jsonl"});
  for (const char* type : {"\"ack\"", "\"fill\"", "\"partial_fill\"", "\"canceled\"",
                           "\"replaced\"", "\"rejected\""}) {
    EXPECT_NE(reports.output.find(std::string("\"exec_type\":") + type), std::string::npos)
        << type << " missing:\n"
        << reports.output;
  }
  EXPECT_NE(reports.output.find("\"reject\":\"rejected by venue\""), std::string::npos)
      << "the reject came from the venue, not the engine's own checks";
  // Both sessions' logons are in the audit trail, named by the venue's CompID.
  const CommandResult sessions = run_guiju(
      {"audit", "export", setup.path("journal"), "--type", "control_command", "--format", "jsonl"});
  for (const char* action : {"market_data_session_up", "order_session_up"}) {
    EXPECT_NE(sessions.output.find(std::string("\"action\":\"") + action), std::string::npos)
        << action << "\n"
        << sessions.output;
  }
  EXPECT_NE(sessions.output.find("fix:GUIJU-VENUE"), std::string::npos) << sessions.output;

  const VenueTrades venue_trades = ReadVenueTrades(setup.path("venue-trades.csv"));
  EXPECT_GE(venue_trades.exec_ids.size(), 2u);
  EXPECT_DOUBLE_EQ(EnginePosition(out), venue_trades.net);
  EXPECT_EQ(run_guiju({"audit", "verify", setup.path("journal")}).exit_code, 0);
}

TEST(FixLiveTest, AVenueThatCannotWriteItsTradeLogRefusesToStart) {
  LiveSetup setup(/*cycles=*/1, /*background_speed=*/1);
  setup.write(setup.venue_port(), /*tick_ms=*/50);
  const std::string where = setup.path("no-such-directory/trades.csv");
  const CommandResult r = run_guiju(
      {"venue", "--config", setup.path("venue.yaml"), "--trade-log", where, "--duration", "1"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("venue trade log " + where), std::string::npos) << r.output;
}

TEST(FixLiveTest, PaperTradingOnTheVenuesMarketDataSimulatesFillsLocally) {
  LiveSetup setup(/*cycles=*/1, /*background_speed=*/1);
  setup.write(setup.venue_port(), /*tick_ms=*/50);
  setup.write_paper(/*duration_seconds=*/6);
  const auto venue = setup.StartVenue();
  const CommandResult paper = run_guiju({"run", "--config", setup.path("paper.yaml")});
  EXPECT_EQ(venue->stop(10s), 0) << venue->output();
  ASSERT_EQ(paper.exit_code, 0) << paper.output;
  EXPECT_NE(paper.output.find("GUIJU-MD->GUIJU-VENUE logged on"), std::string::npos)
      << paper.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      paper.output, m,
      std::regex(
          R"(events\s+\d+ \(\d+ quotes, (\d+) book updates, \d+ trades, (\d+) execution reports\))")))
      << paper.output;
  EXPECT_GT(std::stoi(m[1].str()), 0) << "the venue's books arrived over FIX";
  EXPECT_GT(std::stoi(m[2].str()), 0) << "the paper venue answered the strategy's orders";
  EXPECT_TRUE(ReadVenueTrades(setup.path("venue-trades.csv")).exec_ids.empty())
      << "no order may reach the real venue from paper mode";
  EXPECT_EQ(run_guiju({"audit", "verify", setup.path("paper-journal")}).exit_code, 0);
}

TEST(FixLiveTest, HundredCutsOfTheOrderSessionLoseAndDuplicateNoFill) {
  LiveSetup setup(/*cycles=*/0, /*background_speed=*/1);
  TcpCutProxy proxy(setup.venue_port());
  setup.write(proxy.port(), /*tick_ms=*/20);
  const auto venue = setup.StartVenue();
  const auto engine = setup.StartEngine();
  ASSERT_TRUE(engine->wait_for_output("conformance: trade order", 30s)) << engine->output();

  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> after_logon_ms(0, 400);
  constexpr int kCuts = 100;
  uint64_t seen = 0;  // connections already cut
  for (int cut = 0; cut < kCuts; ++cut) {
    // A new connection that has carried the logon both ways (and whatever followed).
    const bool up = engine->wait_until(
        [&] { return proxy.connections() > seen && proxy.bytes_down() > 0; }, 15s);
    ASSERT_TRUE(up) << "no reconnection before cut " << cut << " (seed " << seed << ")\n"
                    << engine->output().substr(0, 20000);
    seen = proxy.connections();
    std::this_thread::sleep_for(std::chrono::milliseconds(after_logon_ms(random)));
    proxy.cut();
  }
  // Trade a little more on a connection left alone, then stop: open orders are cancelled.
  ASSERT_TRUE(engine->wait_until([&] { return proxy.connections() > seen; }, 15s));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(engine->stop(30s), 0) << engine->output();
  EXPECT_EQ(venue->stop(10s), 0) << venue->output();

  const std::string out = engine->output();
  SCOPED_TRACE("seed " + std::to_string(seed));
  EXPECT_GE(CountOf(out, "FIX order session FIX.4.4:GUIJU-ORD->GUIJU-VENUE down"), kCuts);
  EXPECT_NE(out.find("open orders      0 at exit"), std::string::npos) << out;

  const VenueTrades venue_trades = ReadVenueTrades(setup.path("venue-trades.csv"));
  const std::vector<uint64_t> journaled = JournaledFillIds(setup.path("journal"));
  ASSERT_GT(venue_trades.exec_ids.size(), 10u) << "too little trading to prove anything";
  // Nothing lost: every execution the venue reported reached the engine.
  std::set<uint64_t> engine_ids(journaled.begin(), journaled.end());
  std::set<uint64_t> venue_ids;
  for (const std::string& id : venue_trades.exec_ids) venue_ids.insert(fix::exec_id_of(id));
  EXPECT_EQ(venue_ids.size(), venue_trades.exec_ids.size()) << "the venue repeated an ExecID";
  EXPECT_EQ(engine_ids, venue_ids);
  // Nothing booked twice: the engine's position is the venue's.
  EXPECT_DOUBLE_EQ(EnginePosition(out), venue_trades.net) << out.substr(out.rfind("=== guiju"));
  EXPECT_EQ(run_guiju({"audit", "verify", setup.path("journal")}).exit_code, 0);
  const size_t summary = out.rfind("=== guiju run summary");
  if (summary != std::string::npos) std::cout << out.substr(summary);
  std::cout << "cuts " << proxy.cuts() << ", venue executions " << venue_trades.exec_ids.size()
            << ", fill reports journaled " << journaled.size() << " (resends included), seed "
            << seed << "\n";
}

}  // namespace
}  // namespace guiju::test
