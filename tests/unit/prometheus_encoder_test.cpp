#include "core/metrics/prometheus_encoder.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace guiju {
namespace {

std::string text_of(const MetricsSnapshot& s) {
  return encode_prometheus(s);
}

// The lines of `text` from the one starting with `first` up to (not including) the next HELP.
std::string family_block(const std::string& text, const std::string& first) {
  const size_t begin = text.find(first);
  if (begin == std::string::npos) return "(no " + first + ")";
  const size_t end = text.find("# HELP", begin + first.size());
  return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

TEST(PrometheusEncoder, CounterFamilyHasHelpTypeAndTotalSuffix) {
  MetricsSnapshot s;
  s.orders_sent = 42;
  const std::string text = encode_prometheus(s);
  EXPECT_EQ(family_block(text, "# HELP guiju_orders_sent_total"),
            "# HELP guiju_orders_sent_total New orders sent.\n"
            "# TYPE guiju_orders_sent_total counter\n"
            "guiju_orders_sent_total 42\n");
}

TEST(PrometheusEncoder, HistogramBucketsAreCumulativeWithSumAndCount) {
  MetricsSnapshot s;
  s.decision_latency.observe(150);         // <= 200 ns
  s.decision_latency.observe(150);         // <= 200 ns
  s.decision_latency.observe(3'000);       // <= 5 us
  s.decision_latency.observe(50'000'000);  // past 10 ms: +Inf only
  const std::string block = family_block(text_of(s), "# HELP guiju_decision_latency_seconds");
  EXPECT_NE(block.find("# TYPE guiju_decision_latency_seconds histogram\n"), std::string::npos);
  EXPECT_NE(block.find("guiju_decision_latency_seconds_bucket{le=\"1e-07\"} 0\n"
                       "guiju_decision_latency_seconds_bucket{le=\"2e-07\"} 2\n"
                       "guiju_decision_latency_seconds_bucket{le=\"5e-07\"} 2\n"
                       "guiju_decision_latency_seconds_bucket{le=\"1e-06\"} 2\n"
                       "guiju_decision_latency_seconds_bucket{le=\"2e-06\"} 2\n"
                       "guiju_decision_latency_seconds_bucket{le=\"5e-06\"} 3\n"),
            std::string::npos)
      << block;
  EXPECT_NE(block.find("guiju_decision_latency_seconds_bucket{le=\"0.01\"} 3\n"
                       "guiju_decision_latency_seconds_bucket{le=\"+Inf\"} 4\n"
                       "guiju_decision_latency_seconds_sum 0.0500033\n"
                       "guiju_decision_latency_seconds_count 4\n"),
            std::string::npos)
      << block;
}

TEST(PrometheusEncoder, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value(R"(a\b"c)"
                               "\n"
                               "d"),
            R"(a\\b\"c\nd)");
  MetricsSnapshot s;
  s.ring_count = 1;
  s.ring_names[0].set("in\"ring\\");
  s.ring_depth[0] = 7;
  EXPECT_NE(text_of(s).find("guiju_ring_depth{ring=\"in\\\"ring\\\\\"} 7\n"), std::string::npos);
}

TEST(PrometheusEncoder, LabelsRejectsByControlAndRiskUseByAccountAndLimit) {
  MetricsSnapshot s;
  s.rejects_by_check[static_cast<size_t>(RiskCheckId::kMaxOpenOrders)] = 3;
  s.venue_rejects = 2;
  s.account_count = 1;
  s.account_names[0].set("paper");
  s.utilisation[0] = {0.5, -1.0, -1.0, 0.25};
  const std::string text = text_of(s);
  EXPECT_NE(text.find("guiju_rejects_total{reason=\"max_open_orders\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("guiju_rejects_total{reason=\"venue_rejected\"} 2\n"), std::string::npos);
  EXPECT_EQ(text.find("reason=\"none\""), std::string::npos);
  EXPECT_NE(text.find("guiju_risk_limit_utilisation{account=\"paper\",limit=\"max_open_orders\"} "
                      "0.5\n"),
            std::string::npos);
  EXPECT_NE(text.find("guiju_risk_limit_utilisation{account=\"paper\",limit=\"daily_loss_limit\"} "
                      "0.25\n"),
            std::string::npos);
  // Limits that are off have no series.
  EXPECT_EQ(text.find("limit=\"max_gross_exposure\""), std::string::npos);
}

TEST(PrometheusEncoder, JournalLagAndSessionsOnlyWhenPresent) {
  MetricsSnapshot s;
  std::string text = text_of(s);
  EXPECT_EQ(text.find("guiju_journal_lag_records"), std::string::npos);
  EXPECT_EQ(text.find("guiju_session_up"), std::string::npos);
  s.journal_enabled = 1;
  s.journal_healthy = 1;
  s.journal_queued = 120;
  s.journal_durable = 100;
  s.has_order_session = 1;
  s.order_session_up = 1;
  text = text_of(s);
  EXPECT_NE(text.find("guiju_journal_lag_records 20\n"), std::string::npos);
  EXPECT_NE(text.find("guiju_session_up{session=\"orders\"} 1\n"), std::string::npos);
  EXPECT_EQ(text.find("session=\"market_data\""), std::string::npos);
}

TEST(PrometheusEncoder, EveryFamilyIsDeclaredOnceBeforeItsSamples) {
  MetricsSnapshot s;
  s.journal_enabled = 1;
  s.has_order_session = 1;
  s.has_market_data_session = 1;
  const std::string text = text_of(s);
  std::string declared;
  size_t pos = 0;
  std::set<std::string> seen;
  while (pos < text.size()) {
    const size_t eol = text.find('\n', pos);
    ASSERT_NE(eol, std::string::npos) << "the text must end with a line feed";
    const std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.rfind("# TYPE ", 0) == 0) {
      declared = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(seen.insert(declared).second) << "declared twice: " << declared;
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) continue;
    const std::string name = line.substr(0, line.find_first_of("{ "));
    EXPECT_EQ(name.rfind(declared, 0), 0U) << line << " is not in family " << declared;
  }
  EXPECT_GT(seen.size(), 20U);
}

}  // namespace
}  // namespace guiju
