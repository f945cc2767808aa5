// `guiju run` with a drop-copy feed: a subscriber watches a paper session, the kill switch is
// pulled (SIGUSR1) while it trades, and what the feed showed is held against the journal record
// for record. Also: an address in use stops the run before it trades, and a bad address is a
// config error naming the key and line.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/feed_subscriber.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/guiju_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string paper_with_dropcopy(const test::TempDir& dir, int duration_seconds,
                                const std::string& publish) {
  std::string text = test::paper_config_text(dir, duration_seconds, "interval");
  // A tenth of the shipped pace: the strategy's first order comes some 300 ms after the feed is
  // bound, time enough for a subscriber on a loaded host to connect.
  text = std::regex_replace(text, std::regex("speed: \\d+"), "speed: 5");
  text += "dropcopy:\n  publish: \"" + publish + "\"\n  high_water_mark: 1000000\n";
  return dir.file("paper.yaml", text);
}

// The journal's records of the kinds the feed publishes, as `guiju audit export` writes them.
std::vector<json> journal_records(const std::string& journal) {
  static const std::set<std::string> kPublished = {
      "new_order",          "cancel_order",  "replace_order",   "order_status_request",
      "execution_report",   "risk_decision", "control_command", "risk_limit_change",
      "strategy_lifecycle", "session"};
  const auto r = test::run_guiju({"audit", "export", journal, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::vector<json> out;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;  // the record count goes to stderr
    json j = json::parse(line);
    if (kPublished.contains(j["type"].get<std::string>())) out.push_back(std::move(j));
  }
  return out;
}

size_t count_topic(const std::vector<test::FeedMessage>& feed, const std::string& prefix) {
  size_t n = 0;
  for (const auto& m : feed) n += m.topic.starts_with(prefix) ? 1 : 0;
  return n;
}

TEST(DropCopyCli, WhatAPaperSessionsFeedShowsIsWhatItsJournalHolds) {
  const test::TempDir dir("guiju-dropcopy");
  const int port = test::free_loopback_port();
  ASSERT_GT(port, 0);
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(port);
  // Subscribed before the engine starts: ZeroMQ connects as soon as the feed is bound.
  test::FeedSubscriber sub(endpoint, 1'000'000);
  const std::string config = paper_with_dropcopy(dir, 60, endpoint);
  test::BackgroundProcess guiju({GUIJU_BINARY, "run", "--config", config},
                                (dir.path() / "out.txt").string());

  std::vector<test::FeedMessage> feed;
  size_t heartbeats = 0;
  auto take = [&](std::chrono::milliseconds timeout) {
    const auto m = sub.receive(timeout);
    if (m && m->topic == "heartbeat") ++heartbeats;
    if (m && m->topic != "heartbeat") feed.push_back(*m);
    return m.has_value();
  };
  // Trading: until a few fills have gone by.
  const auto deadline = std::chrono::steady_clock::now() + 40s;
  while (count_topic(feed, "fill.") < 3 && std::chrono::steady_clock::now() < deadline &&
         !guiju.exited()) {
    take(200ms);
  }
  ASSERT_GE(count_topic(feed, "fill."), 3U) << "feed: " << feed.size() << " messages\n"
                                            << guiju.output();
  // The kill switch, as an operator pulls it: the feed shows the command at once.
  ASSERT_EQ(::kill(guiju.pid(), SIGUSR1), 0);
  const auto kill_deadline = std::chrono::steady_clock::now() + 10s;
  while (count_topic(feed, "control.kill_switch") == 0 &&
         std::chrono::steady_clock::now() < kill_deadline) {
    take(200ms);
  }
  ASSERT_EQ(count_topic(feed, "control.kill_switch"), 1U) << guiju.output();
  EXPECT_EQ(guiju.stop(10s), 0) << guiju.output();
  while (take(2s)) {
  }
  EXPECT_NE(guiju.output().find("drop-copy feed: publishing on " + endpoint), std::string::npos)
      << guiju.output();

  // Every record of the kinds the feed publishes, from the first the subscriber received on, is
  // on the feed in journal order, saying what the journal says. (ZeroMQ may connect a moment
  // after the engine has journaled its first records; it has not missed any order.)
  const std::vector<json> journal = journal_records((dir.path() / "journal").string());
  ASSERT_FALSE(feed.empty());
  const uint64_t first = feed.front().body["sequence"];
  size_t skipped = 0;
  while (skipped < journal.size() && journal[skipped]["sequence"] < first) ++skipped;
  for (size_t i = 0; i < skipped; ++i) {
    EXPECT_NE(journal[i]["type"], "new_order") << "an order went out before the feed connected";
  }
  ASSERT_EQ(feed.size(), journal.size() - skipped)
      << "feed from sequence " << first << ", journal has " << journal.size() << " such records";
  for (size_t i = 0; i < feed.size(); ++i) {
    const json& record = journal[skipped + i];
    const json& body = feed[i].body;
    ASSERT_EQ(body["sequence"], record["sequence"]) << i;
    EXPECT_EQ(body["topic"], feed[i].topic);
    for (const auto& [key, value] : record.items()) {
      EXPECT_EQ(body[key], value) << "sequence " << record["sequence"] << " " << key;
    }
  }
  EXPECT_GE(count_topic(feed, "order.new"), 3U);
  EXPECT_GE(count_topic(feed, "exec.ack"), 3U);
  EXPECT_EQ(count_topic(feed, "session.stopping"), 1U);
  EXPECT_GE(heartbeats, 1U);
  std::cerr << "feed: " << feed.size() << " messages from sequence " << first << " (" << skipped
            << " such journal records before it), " << count_topic(feed, "order.") << " orders, "
            << count_topic(feed, "fill.") << " fills, " << heartbeats << " heartbeats\n";

  // A fill says whose it was and what it was for.
  for (const auto& m : feed) {
    if (!m.topic.starts_with("fill.")) continue;
    EXPECT_EQ(m.body["account_name"], "paper") << m.body.dump();
    EXPECT_EQ(m.body["strategy_name"], "mean-reversion") << m.body.dump();
    EXPECT_TRUE(m.body["client_order_id"].get<std::string>().starts_with("GP")) << m.body.dump();
    const std::string symbol = m.body["symbol"];
    EXPECT_TRUE(symbol == "600519" || symbol == "000001") << symbol;
  }
  for (const auto& m : feed) {
    if (m.topic != "control.kill_switch") continue;
    EXPECT_EQ(m.body["issued_by"], "SIGUSR1") << m.body.dump();
  }
}

TEST(DropCopyCli, AnAddressInUseStopsTheRunBeforeItTrades) {
  const test::TempDir dir("guiju-dropcopy");
  const test::HeldLoopbackPort held;
  ASSERT_GT(held.port(), 0);
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(held.port());
  const auto r = test::run_guiju({"run", "--config", paper_with_dropcopy(dir, 2, endpoint)});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("drop-copy feed: cannot bind " + endpoint), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("in use"), std::string::npos) << r.output;
  EXPECT_TRUE(
      std::regex_search(r.output, std::regex(R"(dropcopy\.publish, \S*paper\.yaml line \d+)")))
      << r.output;
  EXPECT_EQ(r.output.find("=== guiju run summary"), std::string::npos) << "it traded anyway";
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "journal")) << "it journaled before binding";
}

TEST(DropCopyCli, ABadAddressIsAConfigErrorNamingKeyAndLine) {
  const test::TempDir dir("guiju-dropcopy");
  for (const std::string bad : {"tcp://localhost:7031", "udp://127.0.0.1:7031"}) {
    const auto r = test::run_guiju({"run", "--config", paper_with_dropcopy(dir, 2, bad)});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(
        std::regex_search(r.output, std::regex(R"(paper\.yaml:\d+:\d+: dropcopy\.publish: )")))
        << r.output;
  }
}

}  // namespace
}  // namespace guiju
