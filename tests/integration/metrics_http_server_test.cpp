// The metrics endpoint on a real loopback socket: routes, status codes, content type, keep-alive,
// and a malformed or oversized request answered 400 without taking the server down.

#include "core/metrics/http_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>

#include "core/metrics/prometheus_encoder.hpp"
#include "tests/support/http_client.hpp"

namespace guiju {
namespace {

using test::http_body;
using test::http_exchange;
using test::http_get;
using test::http_status;

class MetricsHttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpEndpoints endpoints;
    endpoints.metrics = [] {
      MetricsSnapshot s;
      s.orders_sent = 3;
      return encode_prometheus(s);
    };
    endpoints.health = [this] { return health_.load() ? std::string() : "audit journal failed"; };
    endpoints.ready = [this] { return ready_.load() ? std::string() : "engine not started"; };
    server_ = std::make_unique<MetricsHttpServer>(ListenAddress{"127.0.0.1", 0}, endpoints);
    server_->start();
    port_ = server_->port();
    ASSERT_GT(port_, 0);
  }

  std::atomic<bool> health_{true};
  std::atomic<bool> ready_{false};
  std::unique_ptr<MetricsHttpServer> server_;
  int port_ = 0;
};

TEST_F(MetricsHttpServerTest, MetricsAnswersTheExpositionFormat) {
  const std::string r = http_get(port_, "/metrics");
  EXPECT_EQ(http_status(r), 200) << r;
  EXPECT_NE(r.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << r;
  EXPECT_NE(http_body(r).find("guiju_orders_sent_total 3\n"), std::string::npos);
  // A query string does not change the route.
  EXPECT_EQ(http_status(http_get(port_, "/metrics?x=1")), 200);
}

TEST_F(MetricsHttpServerTest, HealthAndReadinessSay200OrWhyNot) {
  std::string r = http_get(port_, "/healthz");
  EXPECT_EQ(http_status(r), 200);
  EXPECT_EQ(http_body(r), "ok\n");
  r = http_get(port_, "/readyz");
  EXPECT_EQ(http_status(r), 503);
  EXPECT_EQ(http_body(r), "engine not started\n");
  ready_ = true;
  EXPECT_EQ(http_status(http_get(port_, "/readyz")), 200);
  health_ = false;
  r = http_get(port_, "/healthz");
  EXPECT_EQ(http_status(r), 503);
  EXPECT_EQ(http_body(r), "audit journal failed\n");
}

TEST_F(MetricsHttpServerTest, UnknownPathIs404AndOtherMethodsAre405) {
  EXPECT_EQ(http_status(http_get(port_, "/")), 404);
  EXPECT_EQ(http_status(http_get(port_, "/metricsx")), 404);
  const std::string r = http_exchange(
      port_,
      "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
  EXPECT_EQ(http_status(r), 405) << r;
  EXPECT_NE(r.find("Allow: GET"), std::string::npos) << r;
}

TEST_F(MetricsHttpServerTest, KeepsAConnectionAliveForSeveralRequests) {
  // Two pipelined requests on one connection; the second asks to close it.
  const std::string r =
      http_exchange(port_,
                    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const size_t first = r.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos) << r;
  EXPECT_NE(r.find("HTTP/1.1 200", first + 1), std::string::npos) << r;
  EXPECT_NE(r.find("guiju_orders_sent_total 3"), std::string::npos);
}

TEST_F(MetricsHttpServerTest, MalformedAndOversizedRequestsAre400AndTheServerSurvives) {
  EXPECT_EQ(http_status(http_exchange(port_, "this is not http\r\n\r\n")), 400);
  const std::string huge_header = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                  std::string(MetricsHttpServer::kMaxHeaderBytes * 2, 'a') +
                                  "\r\n\r\n";
  EXPECT_EQ(http_status(http_exchange(port_, huge_header)), 400);
  const std::string big_body =
      "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
      std::string(100000, 'b');
  EXPECT_EQ(http_status(http_exchange(port_, big_body)), 400);
  EXPECT_EQ(http_status(http_get(port_, "/metrics")), 200);
}

TEST_F(MetricsHttpServerTest, APortInUseIsAClearStartupError) {
  MetricsHttpServer second(ListenAddress{"127.0.0.1", static_cast<uint16_t>(port_)}, {});
  try {
    second.start();
    FAIL() << "bound a port already in use";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("127.0.0.1:" + std::to_string(port_)), std::string::npos) << what;
    EXPECT_NE(what.find("in use"), std::string::npos) << what;
  }
}

TEST_F(MetricsHttpServerTest, StopsAndStopsAgain) {
  server_->stop();
  server_->stop();
  EXPECT_TRUE(http_get(port_, "/metrics").empty());
}

}  // namespace
}  // namespace guiju
