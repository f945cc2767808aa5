// The market-data feed read on its consumer's thread (FixMarketDataOptions::engine_thread, the
// transport of adapters/fix/polled_initiator.hpp), against a venue that is not QuickFIX: the raw
// engine of tests/support/raw_fix.hpp listens as the acceptor and the test plays the venue through
// it. A thread of the test plays the engine: it polls the feed, drains the ring and waits on the
// feed's sockets, as the live loop does. In FIX 4.2 and 4.4:
//   - logon and the subscription; a snapshot becomes a book;
//   - garbage bytes and frames broken in transit are ignored, and the session goes on;
//   - a sequence gap: QuickFIX asks for a resend, the raw engine gap-fills, the next book arrives;
//   - a burst of 3,000 snapshots, sent at once at a ring of 1,024 slots: every one arrives, in
//     order, and the feed never found the ring full (it reads only what the ring has room for,
//     since the thread that would drain it is the one reading);
//   - the venue's Logout: the feed logs out, the book goes stale.

#include <poll.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/fix/fix_market_data_feed.hpp"
#include "core/events/control_events.hpp"
#include "tests/support/instruments.hpp"
#include "tests/support/raw_fix.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju {
namespace {

using test::raw_fix::Message;
using test::raw_fix::Millis;
using test::raw_fix::Session;
using namespace test::raw_fix::app_tag;  // NOLINT(google-build-using-namespace)

constexpr Millis kWait{5000};
constexpr int kBurst = 3000;
// As the engine's poll takes at most a batch per ring per turn: a burst piles up in the ring.
constexpr size_t kDrainPerTurn = 64;

class FixMarketDataEngineThreadTest : public ::testing::TestWithParam<std::string> {
 protected:
  FixMarketDataEngineThreadTest() {
    instrument_ = registry_.add(test::main_board_stock("600519", "1700.00"));
  }
  void TearDown() override {
    stop_ = true;
    if (engine_.joinable()) engine_.join();
  }

  bool fix42() const { return GetParam() == "FIX.4.2"; }

  std::string Settings(int port) const {
    const std::string dictionary =
        std::string(GUIJU_FIX_DICTIONARY_DIR) + (fix42() ? "/FIX42.xml" : "/FIX44.xml");
    std::string path = (dir_.path() / "engine-md.cfg").string();
    std::ofstream(path) << "[DEFAULT]\nConnectionType=initiator\nBeginString=" << GetParam()
                        << "\nStartTime=00:00:00\nEndTime=00:00:00\nHeartBtInt=30\n"
                        << "ReconnectInterval=1\nSocketNodelay=Y\nSocketConnectHost=127.0.0.1\n"
                        << "SocketConnectPort=" << port
                        << "\nUseDataDictionary=Y\nDataDictionary=" << dictionary
                        << "\n\n[SESSION]\nSenderCompID=GUIJU-MD\nTargetCompID=RAW-VENUE\n";
    return path;
  }

  // The feed, and the thread that plays the engine: the feed's only caller from here on.
  void Start() {
    ASSERT_GT(listener_.port(), 0);
    FixMarketDataOptions options;
    options.settings_file = Settings(listener_.port());
    options.store_directory = (dir_.path() / "store").string();
    options.log_directory = (dir_.path() / "log").string();
    options.instruments = {instrument_};
    options.engine_thread = true;
    feed_ = std::make_unique<FixMarketDataFeed>(registry_, ring_, options);
    engine_ = std::thread([this] {
      feed_->start();
      std::vector<pollfd> fds;
      while (!stop_) {
        feed_->poll();
        ring_.pop_batch(
            [this](const EventSlot& slot) {
              const std::lock_guard lock(mutex_);
              if (slot.type() == EventType::kBookUpdate) books_.push_back(slot.as<BookUpdate>());
              ++events_;
              in_order_ = in_order_ && slot.header().sequence == events_;
            },
            kDrainPerTurn);
        fds.clear();
        feed_->wait_fds(fds);
        if (!fds.empty()) ::poll(fds.data(), fds.size(), 1);
      }
      feed_->stop();
    });
    venue_ = std::make_unique<Session>(
        test::raw_fix::SessionIds{GetParam(), "RAW-VENUE", "GUIJU-MD"}, listener_.accept(kWait));
    ASSERT_TRUE(venue_->connected()) << "the feed did not connect";
    ASSERT_TRUE(venue_->accept_logon(kWait));
    const auto v = venue_->wait_for_type("V", kWait);
    ASSERT_TRUE(v) << Unexpected();
    EXPECT_EQ(v->get(kSubscriptionRequestType), "1");
    EXPECT_EQ(v->get(kSymbol), "600519");
    md_req_id_ = v->get(kMdReqId);
  }

  Message Snapshot(const std::string& bid, const std::string& ask) const {
    Message w("W");
    w.add(kMdReqId, md_req_id_).add(kSymbol, "600519").add(268, "2");
    w.add(kMdEntryType, "0").add(kMdEntryPx, bid).add(271, "300");
    w.add(kMdEntryType, "1").add(kMdEntryPx, ask).add(271, "200");
    return w;
  }

  // Whether a book with this best bid has reached the engine thread.
  bool HasBid(const std::string& bid) {
    const Price price = *Price::parse(bid);
    const std::lock_guard lock(mutex_);
    return std::any_of(books_.begin(), books_.end(), [&](const BookUpdate& b) {
      return b.bid_levels > 0 && b.bids[0].price == price;
    });
  }
  bool WaitForBid(const std::string& bid) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (std::chrono::steady_clock::now() < deadline) {
      if (HasBid(bid)) return true;
      venue_->pump(Millis(5));  // answers what the feed's session sends (resend requests)
    }
    return HasBid(bid);
  }

  std::string Unexpected() const {
    std::string out;
    for (const Message& m : venue_->inbox()) out += m.to_string() + "\n";
    for (const std::string& e : venue_->errors()) out += e + "\n";
    return out;
  }

  test::TempDir dir_{"guiju-md-engine-thread"};
  InstrumentRegistry registry_;
  InstrumentId instrument_ = 0;
  test::raw_fix::Listener listener_;
  SpscRing<EventSlot> ring_{1024, BackPressure::kFail, "fix-md"};
  std::unique_ptr<FixMarketDataFeed> feed_;
  std::unique_ptr<Session> venue_;
  std::string md_req_id_;
  std::thread engine_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<BookUpdate> books_;
  uint64_t events_ = 0;
  bool in_order_ = true;
};

TEST_P(FixMarketDataEngineThreadTest, GarbageGapsAndBurstsLeaveEveryBookDelivered) {
  ASSERT_NO_FATAL_FAILURE(Start());
  venue_->send(Snapshot("1700.00", "1700.50"));
  ASSERT_TRUE(WaitForBid("1700.00"));

  // Garbage (kept free of '=', so that no "8=" starts a message by chance), a wrong CheckSum and
  // a BodyLength 5 short: each ignored without taking a sequence number (FIX session rules), so
  // the broken frames carry the next number and the good message after them reuses it.
  ASSERT_TRUE(
      venue_->send_bytes(std::string(300, '\x07') + "not FIX at all" + std::string(64, '|')));
  std::string bad_checksum =
      venue_->encode(Snapshot("1699.01", "1699.50"), venue_->next_outgoing());
  bad_checksum[bad_checksum.size() - 2] = bad_checksum[bad_checksum.size() - 2] == '0' ? '1' : '0';
  ASSERT_TRUE(venue_->send_bytes(bad_checksum));
  std::string bad_length = venue_->encode(Snapshot("1699.02", "1699.50"), venue_->next_outgoing());
  const size_t length_at = bad_length.find(
                               "\x01"
                               "9=") +
                           3;
  const size_t length_end = bad_length.find('\x01', length_at);
  const int length = std::stoi(bad_length.substr(length_at, length_end - length_at));
  bad_length.replace(length_at, length_end - length_at, std::to_string(length - 5));
  ASSERT_TRUE(venue_->send_bytes(bad_length));
  venue_->send(Snapshot("1700.01", "1700.50"));
  ASSERT_TRUE(WaitForBid("1700.01")) << Unexpected();
  EXPECT_FALSE(HasBid("1699.01"));
  EXPECT_FALSE(HasBid("1699.02"));

  // A gap of three numbers: QuickFIX asks for them, the raw engine gap-fills, the book arrives.
  venue_->skip(3);
  venue_->send(Snapshot("1700.02", "1700.50"));
  ASSERT_TRUE(WaitForBid("1700.02")) << Unexpected();
  bool asked = false;
  for (const Message& m : venue_->received()) asked = asked || m.type() == "2";
  EXPECT_TRUE(asked) << "the feed's session did not ask for the missing messages";

  // A burst far larger than the ring, all at once.
  size_t before = 0;
  {
    const std::lock_guard lock(mutex_);
    before = books_.size();
  }
  const auto burst_bid = [](int k) {
    return std::to_string(1500 + k / 100) + "." + (k % 100 < 10 ? "0" : "") +
           std::to_string(k % 100);
  };
  for (int k = 0; k < kBurst; ++k) venue_->send(Snapshot(burst_bid(k), "1800.00"));
  ASSERT_TRUE(WaitForBid("1529.99"));
  {
    const std::lock_guard lock(mutex_);
    ASSERT_EQ(books_.size(), before + kBurst);
    for (int k = 0; k < kBurst; ++k) {
      ASSERT_EQ(books_[before + k].bids[0].price, *Price::parse(burst_bid(k)))
          << "burst message " << k;
    }
    EXPECT_TRUE(in_order_);
  }
  const FixMarketDataCounts c = feed_->counters();
  EXPECT_EQ(c.ring_full, 0u) << "the feed read more than the ring had room for";
  EXPECT_EQ(c.ring_closed, 0u);
  EXPECT_TRUE(feed_->logged_on());

  // The venue ends the session: the feed answers the Logout and the book goes stale.
  EXPECT_TRUE(venue_->logout(kWait)) << Unexpected();
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  bool stale = false;
  while (!stale && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(Millis(5));
    const std::lock_guard lock(mutex_);
    stale = books_.back().bid_levels == 0 && books_.back().header.event_time == 0;
  }
  EXPECT_TRUE(stale);
}

INSTANTIATE_TEST_SUITE_P(Fix42AndFix44, FixMarketDataEngineThreadTest,
                         ::testing::Values("FIX.4.2", "FIX.4.4"), [](const auto& param_info) {
                           return param_info.param == "FIX.4.2" ? "Fix42" : "Fix44";
                         });

}  // namespace
}  // namespace guiju
