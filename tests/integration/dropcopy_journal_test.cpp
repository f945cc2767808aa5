// The drop-copy feed on the audit journal's writer thread, with a real SUB socket on a loopback
// TCP port: every order and report arrives, in journal order, with its journal sequence and an
// unbroken previous_sequence chain; a subscriber that stops reading neither blocks the journal nor
// goes unwarned of what it missed; and when the journal fails, nothing it could lose is shown.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/dropcopy/dropcopy_publisher.hpp"
#include "core/journal/journal_service.hpp"
#include "core/journal/query.hpp"
#include "tests/support/feed_subscriber.hpp"
#include "tests/support/file_size_limit.hpp"
#include "tests/support/instruments.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::dropcopy {
namespace {

using namespace std::chrono_literals;
using test::TempDir;
using Received = test::FeedMessage;
using Subscriber = test::FeedSubscriber;

journal::WriterOptions Options(const TempDir& dir) {
  journal::WriterOptions o;
  o.directory = dir.path() / "journal";
  o.trading_date = "20261127";
  o.durability = journal::Durability::kOsBuffered;
  return o;
}

EventSlot QuoteSlot(int64_t i) {
  Quote q;
  q.instrument = 0;
  q.bid_price = Price::from_units(10 + i % 3);
  q.ask_price = Price::from_units(11 + i % 3);
  EventSlot s;
  s.store(q);
  return s;
}

EventSlot OrderSlot(OrderId id) {
  NewOrder o;
  o.order_id = id;
  o.instrument = 0;
  o.price = Price::from_units(10);
  o.quantity = Quantity::from_units(200);
  o.client_order_id.assign("C" + std::to_string(id));
  EventSlot s;
  s.store(o);
  return s;
}

EventSlot ReportSlot(OrderId id, ExecType type, int64_t last_qty) {
  ExecutionReport r;
  r.order_id = id;
  r.exec_id = id * 4 + static_cast<uint64_t>(type);
  r.instrument = 0;
  r.exec_type = type;
  r.last_qty = Quantity::from_units(last_qty);
  r.last_price = Price::from_units(10);
  EventSlot s;
  s.store(r);
  return s;
}

class DropCopyJournalTest : public ::testing::Test {
 protected:
  DropCopyJournalTest() { registry_.add(test::main_board_stock()); }

  std::unique_ptr<Publisher> Open(int high_water_mark) {
    PublisherOptions o;
    o.endpoint = "tcp://127.0.0.1:0";  // the kernel picks a free port
    o.high_water_mark = high_water_mark;
    return std::make_unique<Publisher>(o, FeedRenderer(registry_, {"acct"}));
  }

  TempDir dir_{"guiju-dropcopy"};
  InstrumentRegistry registry_;
};

TEST_F(DropCopyJournalTest, EveryOrderAndFillArrivesInJournalOrderWithItsSequence) {
  const auto publisher = Open(100'000);
  ASSERT_TRUE(publisher->endpoint().starts_with("tcp://127.0.0.1:")) << publisher->endpoint();
  Subscriber sub(publisher->endpoint(), 100'000);
  journal::JournalService service(Options(dir_), 1 << 12);
  service.set_observer(publisher.get());
  ASSERT_TRUE(sub.wait_until_connected());

  // Each order: market data around it (not published), its ack, a partial and a full fill.
  constexpr OrderId kOrders = 2000;
  std::vector<std::pair<std::string, uint64_t>> expected;  // topic, journal sequence
  uint64_t sequence = 0;
  auto record = [&](const EventSlot& e, const char* topic) {
    ASSERT_TRUE(service.record(e, static_cast<Timestamp>(sequence)));
    ++sequence;
    if (topic != nullptr) expected.emplace_back(topic, sequence);
  };
  for (OrderId id = 1; id <= kOrders; ++id) {
    record(QuoteSlot(static_cast<int64_t>(id)), nullptr);
    record(OrderSlot(id), "order.new");
    record(ReportSlot(id, ExecType::kAck, 0), "exec.ack");
    record(QuoteSlot(static_cast<int64_t>(id) + 1), nullptr);
    record(ReportSlot(id, ExecType::kPartialFill, 100), "fill.partial");
    record(ReportSlot(id, ExecType::kFill, 100), "fill.full");
  }
  service.stop();
  ASSERT_TRUE(service.healthy()) << service.failure();

  const std::vector<Received> got = sub.drain(expected.size(), 3s);
  ASSERT_EQ(got.size(), expected.size());
  std::map<std::string, uint64_t> last_on_topic;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].topic, expected[i].first) << i;
    ASSERT_EQ(got[i].body["sequence"], expected[i].second) << i;
    EXPECT_EQ(got[i].body["topic"], got[i].topic);
    EXPECT_EQ(got[i].body["previous_sequence"], last_on_topic[got[i].topic]) << i;
    last_on_topic[got[i].topic] = expected[i].second;
    const OrderId id = i / 4 + 1;
    EXPECT_EQ(got[i].body["order_id"], std::to_string(id)) << i;
    EXPECT_EQ(got[i].body["client_order_id"], "C" + std::to_string(id)) << i;
    EXPECT_EQ(got[i].body["symbol"], "600000") << i;
  }

  // What the feed showed is what the journal holds, record for record.
  size_t at = 0;
  const std::string damage =
      journal::query_journal(Options(dir_).directory, {}, [&](const journal::RecordFields& r) {
        if (r.type == "quote") return;
        ASSERT_LT(at, got.size());
        EXPECT_EQ(got[at].body["sequence"], r.sequence);
        for (const auto& [k, v] : r.fields) EXPECT_EQ(got[at].body[k], v) << r.sequence << k;
        ++at;
      });
  EXPECT_TRUE(damage.empty()) << damage;
  EXPECT_EQ(at, got.size());
  EXPECT_EQ(publisher->failed(), 0U);
}

TEST_F(DropCopyJournalTest, ASubscriberThatStopsReadingNeitherBlocksTheJournalNorMissesUnwarned) {
  const auto publisher = Open(100);
  Subscriber sub(publisher->endpoint(), 100);
  journal::JournalService service(Options(dir_), 1 << 12);
  service.set_observer(publisher.get());
  ASSERT_TRUE(sub.wait_until_connected());

  // About 20 MB of messages into a subscriber holding at most a few hundred of them, and the
  // kernel's socket buffers: the journal must get through them at its own pace.
  constexpr OrderId kOrders = 50'000;
  const auto start = std::chrono::steady_clock::now();
  for (OrderId id = 1; id <= kOrders; ++id) ASSERT_TRUE(service.record(OrderSlot(id), 0));
  service.stop();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 20s) << "the writer waited for the subscriber";
  EXPECT_EQ(service.durable_sequence(), kOrders);

  const std::vector<Received> got = sub.drain(kOrders, 1s);
  ASSERT_FALSE(got.empty());
  ASSERT_LT(got.size(), kOrders) << "nothing was dropped: the test did not fill the buffers";
  // The subscriber can tell: somewhere a message's previous_sequence is not the last one it saw.
  uint64_t last = 0;
  size_t gaps = 0;
  for (const Received& m : got) {
    if (m.body["previous_sequence"] != last) ++gaps;
    last = m.body["sequence"];
  }
  EXPECT_GT(gaps, 0U);
  EXPECT_EQ(publisher->failed(), 0U) << "PUB drops silently; nothing counts as a send failure";
}

using test::FileSizeLimit;

TEST_F(DropCopyJournalTest, AfterAJournalFailureNothingTheJournalCouldLoseIsShown) {
  const auto publisher = Open(100'000);
  Subscriber sub(publisher->endpoint(), 100'000);
  journal::JournalService service(Options(dir_), 1 << 12);
  service.set_observer(publisher.get());
  ASSERT_TRUE(sub.wait_until_connected());
  {
    const FileSizeLimit limit(rlim_t{64} << 10);  // 64 KiB: a few hundred records
    // One record per commit, each waited for, until the write that crosses the limit fails.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    for (OrderId id = 1; service.record(OrderSlot(id), 0); ++id) {
      while (service.healthy() && service.durable_sequence() < id &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50us);
      }
      if (std::chrono::steady_clock::now() >= deadline) break;
    }
    ASSERT_FALSE(service.healthy()) << "the journal never failed";
    service.stop();
  }
  const uint64_t durable = service.durable_sequence();
  ASSERT_GT(durable, 0U);
  const std::vector<Received> got = sub.drain(1'000'000, 1s);
  ASSERT_EQ(got.size(), durable) << "every committed record, and nothing after";
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].body["sequence"], i + 1);
}

}  // namespace
}  // namespace guiju::dropcopy
