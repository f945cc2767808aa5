#include "core/metrics/snapshot_publisher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/metrics/listen_address.hpp"

namespace guiju {
namespace {

TEST(SnapshotPublisher, ReadsDefaultsBeforeTheFirstPublish) {
  const SnapshotPublisher publisher;
  const MetricsSnapshot s = publisher.read();
  EXPECT_EQ(s.published_at_ns, 0U);
  EXPECT_EQ(s.orders_sent, 0U);
  EXPECT_EQ(publisher.publications(), 0U);
}

TEST(SnapshotPublisher, ValuesAreVisibleAfterPublish) {
  SnapshotPublisher publisher;
  MetricsSnapshot s;
  s.published_at_ns = 5;
  s.orders_sent = 11;
  s.ring_count = 1;
  s.ring_names[0].set("fix-orders-in");
  s.utilisation[3][2] = 0.75;
  s.inference_latency.observe(1'500);
  publisher.publish(s);
  const MetricsSnapshot r = publisher.read();
  EXPECT_EQ(r.orders_sent, 11U);
  EXPECT_EQ(r.ring_names[0].view(), "fix-orders-in");
  EXPECT_EQ(r.utilisation[3][2], 0.75);
  EXPECT_EQ(r.inference_latency.count, 1U);
  EXPECT_EQ(publisher.publications(), 1U);
}

// A writer publishes snapshots whose fields (first, middle, last words) all hold the same number;
// a reader that ever sees two different numbers in one snapshot has read a torn copy.
TEST(SnapshotPublisher, ReaderNeverSeesATornSnapshotUnderAConcurrentWriter) {
  SnapshotPublisher publisher;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    MetricsSnapshot s;
    for (uint64_t i = 1; i <= 200'000; ++i) {
      s.published_at_ns = i;
      s.orders_sent = i;
      s.ring_depth.fill(i);
      s.decision_latency.count = i;
      s.inference_latency.sum_ns = i;
      publisher.publish(s);
    }
    done.store(true);
  });
  uint64_t reads = 0;
  uint64_t torn = 0;
  uint64_t last = 0;
  bool backwards = false;
  while (!done.load()) {
    const MetricsSnapshot r = publisher.read();
    const uint64_t v = r.published_at_ns;
    if (r.orders_sent != v || r.ring_depth[0] != v || r.ring_depth[7] != v ||
        r.decision_latency.count != v || r.inference_latency.sum_ns != v) {
      ++torn;
    }
    backwards = backwards || v < last;
    last = v;
    ++reads;
  }
  writer.join();
  EXPECT_EQ(torn, 0U) << "of " << reads << " reads";
  EXPECT_FALSE(backwards);
  EXPECT_GT(reads, 0U);
  EXPECT_EQ(publisher.read().orders_sent, 200'000U);
}

TEST(MetricName, TruncatesLongNames) {
  MetricName n;
  n.set(std::string(40, 'x'));
  EXPECT_EQ(n.view(), std::string(31, 'x'));
}

TEST(ListenAddress, ParsesIpv4AndBracketedIpv6) {
  std::string why;
  const auto v4 = parse_listen_address("127.0.0.1:9464", &why);
  ASSERT_TRUE(v4) << why;
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9464);
  const auto v6 = parse_listen_address("[::1]:0", &why);
  ASSERT_TRUE(v6) << why;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->to_string(), "[::1]:0");
}

TEST(ListenAddress, RefusesWhatIsNotHostColonPort) {
  for (const char* bad : {"9464", "localhost:9464", "127.0.0.1:", "127.0.0.1:65536",
                          "127.0.0.1:94x", "::1:9464", "300.0.0.1:80"}) {
    std::string why;
    EXPECT_FALSE(parse_listen_address(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

}  // namespace
}  // namespace guiju
