// deploy/grafana/guiju-dashboard.json against the encoder: every metric a panel queries must be
// one /metrics emits, so that renaming a metric without the dashboard fails here.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/metrics/prometheus_encoder.hpp"

namespace guiju {
namespace {

nlohmann::json load_dashboard() {
  const std::string path = std::string(GUIJU_SOURCE_ROOT) + "/deploy/grafana/guiju-dashboard.json";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  return nlohmann::json::parse(in);
}

// Every sample name the encoder writes when every optional family is present.
std::set<std::string> emitted_names() {
  MetricsSnapshot s;
  s.journal_enabled = 1;
  s.has_market_data_session = 1;
  s.has_order_session = 1;
  s.ring_count = 1;
  s.ring_names[0].set("orders");
  s.account_count = 1;
  s.account_names[0].set("a");
  s.utilisation[0].fill(0.5);
  std::set<std::string> names;
  std::istringstream text(encode_prometheus(s));
  for (std::string line; std::getline(text, line);) {
    if (line.empty() || line[0] == '#') continue;
    names.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return names;
}

void collect_panels(const nlohmann::json& panels, std::vector<nlohmann::json>& out) {
  for (const auto& p : panels) {
    out.push_back(p);
    if (p.contains("panels")) collect_panels(p["panels"], out);  // rows hold panels
  }
}

TEST(GrafanaDashboard, IsASchema38DashboardWithAPrometheusDatasourceVariable) {
  const nlohmann::json d = load_dashboard();
  EXPECT_GE(d.at("schemaVersion").get<int>(), 36);
  bool datasource_variable = false;
  for (const auto& v : d.at("templating").at("list")) {
    datasource_variable =
        datasource_variable || (v.at("type") == "datasource" && v.at("query") == "prometheus");
  }
  EXPECT_TRUE(datasource_variable);
}

TEST(GrafanaDashboard, EveryPanelQueriesOnlyMetricsTheEncoderEmits) {
  const nlohmann::json d = load_dashboard();
  const std::set<std::string> emitted = emitted_names();
  ASSERT_GT(emitted.size(), 30U);
  std::vector<nlohmann::json> panels;
  collect_panels(d.at("panels"), panels);
  ASSERT_GE(panels.size(), 10U);
  const std::regex metric("guiju_[a-z0-9_]+");
  std::set<std::string> used;
  for (const auto& p : panels) {
    const std::string title = p.value("title", "(untitled)");
    if (p.value("type", "") == "row") continue;
    ASSERT_TRUE(p.contains("targets")) << title;
    ASSERT_FALSE(p["targets"].empty()) << title;
    EXPECT_EQ(p.at("datasource").at("uid"), "${datasource}") << title;
    for (const auto& t : p["targets"]) {
      const std::string expr = t.at("expr").get<std::string>();
      size_t found = 0;
      for (std::sregex_iterator it(expr.begin(), expr.end(), metric), end; it != end; ++it) {
        const std::string name = it->str();
        EXPECT_TRUE(emitted.count(name) == 1) << title << ": " << name << " is not emitted";
        used.insert(name);
        ++found;
      }
      EXPECT_GT(found, 0U) << title << ": " << expr;
    }
  }
  // The list: each of these has a panel.
  for (const char* required :
       {"guiju_events_total", "guiju_decision_latency_seconds_bucket", "guiju_orders_sent_total",
        "guiju_fills_total", "guiju_rejects_total", "guiju_ring_depth", "guiju_journal_lag_records",
        "guiju_risk_limit_utilisation", "guiju_session_up",
        "guiju_inference_latency_seconds_bucket", "guiju_inference_timeouts_total"}) {
    EXPECT_EQ(used.count(required), 1U) << "no panel shows " << required;
  }
}

}  // namespace
}  // namespace guiju
