// `guiju run` with a metrics endpoint: a paper session scraped while it trades, readiness, a port
// in use and a bad address.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <regex>
#include <string>
#include <thread>

#include "tests/support/background_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/guiju_cli.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju {
namespace {

using namespace std::chrono_literals;
using test::http_body;
using test::http_get;
using test::http_status;

std::string paper_with_metrics(const test::TempDir& dir, int duration_seconds,
                               const std::string& listen) {
  std::string text = test::paper_config_text(dir, duration_seconds, "interval");
  text += "metrics:\n  listen: \"" + listen + "\"\n";
  return dir.file("paper.yaml", text);
}

// The sum of every sample of `family` (any labels) in an exposition text.
uint64_t sum_of(const std::string& text, const std::string& family) {
  const std::regex sample("(^|\n)" + family + R"((\{[^}]*\})? (\d+))");
  uint64_t total = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), sample), end; it != end; ++it) {
    total += std::stoull((*it)[3]);
  }
  return total;
}

// Polls until `done` or the timeout passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done();
}

TEST(MetricsCli, PaperSessionIsReadyAndItsCountersGrowBetweenScrapes) {
  const test::TempDir dir("guiju-metrics");
  const int port = test::free_loopback_port();
  ASSERT_GT(port, 0);
  const std::string config = paper_with_metrics(dir, 60, "127.0.0.1:" + std::to_string(port));
  test::BackgroundProcess guiju({GUIJU_BINARY, "run", "--config", config},
                                (dir.path() / "out.txt").string());
  ASSERT_TRUE(eventually([&] { return http_status(http_get(port, "/readyz")) == 200; }, 30s))
      << http_get(port, "/readyz") << guiju.output();
  EXPECT_EQ(http_status(http_get(port, "/healthz")), 200);

  const std::string first = http_get(port, "/metrics");
  ASSERT_EQ(http_status(first), 200) << first;
  EXPECT_NE(first.find("text/plain; version=0.0.4"), std::string::npos);
  const std::string body = http_body(first);
  const uint64_t events = sum_of(body, "guiju_events_total");
  const uint64_t orders = sum_of(body, "guiju_orders_sent_total");
  EXPECT_NE(body.find("guiju_ring_depth{ring=\"venue-reports\"}"), std::string::npos) << body;
  EXPECT_NE(body.find("guiju_journal_lag_records"), std::string::npos);
  EXPECT_NE(body.find("guiju_decision_latency_seconds_count"), std::string::npos);

  std::string later;
  const bool grew = eventually(
      [&] {
        later = http_body(http_get(port, "/metrics"));
        return sum_of(later, "guiju_events_total") > events &&
               sum_of(later, "guiju_orders_sent_total") > orders;
      },
      20s);
  EXPECT_TRUE(grew) << "events " << events << " -> " << sum_of(later, "guiju_events_total")
                    << ", orders " << orders << " -> " << sum_of(later, "guiju_orders_sent_total");
  EXPECT_GT(sum_of(later, "guiju_decision_latency_seconds_count"), 0U);

  // Stopped by its pid, as an operator would: it still ends with its summary.
  EXPECT_EQ(guiju.stop(10s), 0) << guiju.output();
  EXPECT_NE(guiju.output().find("=== guiju run summary"), std::string::npos) << guiju.output();
  EXPECT_TRUE(http_get(port, "/metrics").empty()) << "the endpoint outlived the process";
}

TEST(MetricsCli, APortInUseStopsTheRunWithAClearError) {
  const test::TempDir dir("guiju-metrics");
  const test::HeldLoopbackPort held;
  ASSERT_GT(held.port(), 0);
  const std::string listen = "127.0.0.1:" + std::to_string(held.port());
  const auto r = test::run_guiju({"run", "--config", paper_with_metrics(dir, 2, listen)});
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("metrics endpoint " + listen), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("in use"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("=== guiju run summary"), std::string::npos) << "it traded anyway";
}

TEST(MetricsCli, ABadAddressIsAConfigErrorNamingKeyAndLine) {
  const test::TempDir dir("guiju-metrics");
  const auto r = test::run_guiju({"run", "--config", paper_with_metrics(dir, 2, "localhost:9464")});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(paper\.yaml:\d+:\d+: metrics\.listen: )")))
      << r.output;
}

}  // namespace
}  // namespace guiju
