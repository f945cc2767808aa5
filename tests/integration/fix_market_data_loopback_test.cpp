// The FIX market-data feed over a real loopback connection, in FIX 4.2 and 4.4: a minimal QuickFIX
// acceptor written here plays the venue (GUIJU-VENUE). It answers each MarketDataRequest with a
// snapshot (W) and then an incremental refresh (X, a new bid and a trade). The feed's events
// arrive in the engine's ring; then the venue drops the connection, the instrument goes stale (an
// empty BookUpdate), the initiator reconnects (ReconnectInterval=1) and re-subscribes, and the
// fresh snapshot arrives; an unsubscribe reaches the venue and empties the book. The settings
// files, message stores and logs live in a temporary directory the test removes.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "adapters/fix/fix_market_data_feed.hpp"
#include "adapters/fix/quickfix.hpp"
#include "tests/support/free_port.hpp"

namespace guiju {
namespace {

namespace fs = std::filesystem;

// A port nobody listens on: bind port 0, read what the kernel chose, and close it again.
void Write(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// The venue: answers a subscription with W then X, an unsubscription with one more X (a venue may
// still be sending when the request reaches it). Each connection's prices differ, so a fresh
// snapshot is told apart from the old one.
class Venue final : public FIX::Application {
 public:
  explicit Venue(std::string begin) : begin_(std::move(begin)) {}

  std::atomic<int> logons{0};
  std::atomic<int> subscribes{0};
  std::atomic<int> unsubscribes{0};
  std::atomic<int> generation{0};  // set by the test for each acceptor
  std::mutex mutex;
  std::vector<std::string> requests;  // the V messages received, as text

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override { ++logons; }
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message& m, const FIX::SessionID&) override {
    // Old market data is not worth resending after a reconnect: gap-fill it instead.
    FIX::PossDupFlag dup;
    if (m.getHeader().getFieldIfSet(dup) && dup) throw FIX::DoNotSend();
  }
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID& session) override {
    if (m.getHeader().getField(35) != "V") return;
    {
      std::lock_guard<std::mutex> lock(mutex);
      requests.push_back(m.toString());
    }
    const std::string id = m.getField(262);
    const std::string symbol = m.getGroupRef(1, 146).getField(55);
    const int base = 1700 + 100 * generation.load();
    if (m.getField(263) == "1") {
      ++subscribes;
      FIX::Message w = Make("W");
      w.setField(262, id);
      w.setField(55, symbol);
      w.addGroup(Level("0", std::to_string(base) + ".00", "300"));
      w.addGroup(Level("1", std::to_string(base) + ".50", "200"));
      FIX::Session::sendToTarget(w, session);
    } else {
      ++unsubscribes;
    }
    FIX::Message x = Make("X");
    x.setField(262, id);
    x.addGroup(Update("0", "0", symbol, std::to_string(base) + ".10", "40"));
    x.addGroup(Update("0", "2", symbol, std::to_string(base) + ".50", "7"));
    FIX::Session::sendToTarget(x, session);
  }

 private:
  FIX::Message Make(const char* type) const {
    FIX::Message m;
    m.getHeader().setField(FIX::BeginString(begin_));
    m.getHeader().setField(FIX::MsgType(type));
    return m;
  }
  static FIX::Group Level(const char* type, const std::string& px, const char* size) {
    FIX::Group g(268, 269);
    g.setField(269, type);
    g.setField(270, px);
    g.setField(271, size);
    return g;
  }
  static FIX::Group Update(const char* action, const char* type, const std::string& symbol,
                           const std::string& px, const char* size) {
    FIX::Group g(268, 279);
    g.setField(279, action);
    g.setField(269, type);
    g.setField(55, symbol);
    g.setField(270, px);
    g.setField(271, size);
    return g;
  }

  std::string begin_;
};

// Parameters: the FIX version, and whether the consumer's thread reads the sessions itself
// (FixMarketDataOptions::engine_thread: the test thread polls the feed as the engine loop does).
class FixMarketDataLoopbackTest : public ::testing::TestWithParam<std::tuple<const char*, bool>> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("guiju-fix-md-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
    port_ = test::free_loopback_port();
    ASSERT_GT(port_, 0);
    const std::string begin = std::get<0>(GetParam());
    engine_thread_ = std::get<1>(GetParam());
    const std::string dictionary =
        std::string(GUIJU_FIX_DICTIONARY_DIR) + (begin == "FIX.4.2" ? "/FIX42.xml" : "/FIX44.xml");
    const std::string common =
        "StartTime=00:00:00\nEndTime=00:00:00\nUseDataDictionary=Y\n"
        "DataDictionary=" +
        dictionary + "\nBeginString=" + begin + "\n";
    Write(dir_ / "venue.cfg", "[DEFAULT]\nConnectionType=acceptor\nSocketAcceptPort=" +
                                  std::to_string(port_) + "\nSocketReuseAddress=Y\n" + common +
                                  "[SESSION]\nSenderCompID=GUIJU-VENUE\nTargetCompID=GUIJU-MD\n");
    Write(dir_ / "md.cfg",
          "[DEFAULT]\nConnectionType=initiator\nReconnectInterval=1\n"
          "HeartBtInt=30\nSocketConnectHost=127.0.0.1\nSocketConnectPort=" +
              std::to_string(port_) + "\n" + common +
              "[SESSION]\nSenderCompID=GUIJU-MD\nTargetCompID=GUIJU-VENUE\n");
    venue_app_ = std::make_unique<Venue>(begin);
    a_ = registry_.add(Spec("600519"));
  }

  void TearDown() override {
    feed_.reset();
    StopVenue();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  static Instrument Spec(const std::string& symbol) {
    Instrument i;
    i.symbol = symbol;
    i.venue = "SSE";
    i.tick_size = *Price::parse("0.01");
    i.lot_size = *Quantity::parse("100");
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = *Price::parse("1700.00");
    return i;
  }

  void StartVenue(int generation) {
    venue_app_->generation = generation;
    venue_settings_ = std::make_unique<FIX::SessionSettings>((dir_ / "venue.cfg").string());
    venue_store_ = std::make_unique<FIX::FileStoreFactory>((dir_ / "venue-store").string());
    venue_ = std::make_unique<FIX::SocketAcceptor>(*venue_app_, *venue_store_, *venue_settings_);
    venue_->start();
  }
  // Drops every connection at once (force: no waiting for a logout exchange).
  void StopVenue() {
    if (venue_) venue_->stop(true);
    venue_.reset();
  }

  // Drains the ring until pred() holds or 5 s pass.
  bool WaitFor(const std::function<bool()>& pred) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      if (engine_thread_) {
        feed_->poll();
        std::vector<pollfd> fds;
        feed_->wait_fds(fds);
        if (!fds.empty()) ::poll(fds.data(), fds.size(), 5);
        feed_->poll();
      }
      ring_.pop_batch([&](const EventSlot& slot) {
        if (slot.type() == EventType::kBookUpdate) books_.push_back(slot.as<BookUpdate>());
        if (slot.type() == EventType::kTrade) ++trades_;
        ++sequence_checks_;
        last_sequence_ok_ = last_sequence_ok_ && slot.header().sequence == sequence_checks_;
      });
      if (pred()) return true;
      if (!engine_thread_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pred();
  }
  bool HasBook(const char* bid, int bid_levels) {
    for (const BookUpdate& u : books_) {
      if (u.bid_levels == bid_levels && u.bids[0].price == *Price::parse(bid)) return true;
    }
    return false;
  }

  fs::path dir_;
  int port_ = 0;
  bool engine_thread_ = false;
  InstrumentRegistry registry_;
  InstrumentId a_ = 0;
  SpscRing<EventSlot> ring_{1024, BackPressure::kBlock, "fix-md"};
  std::unique_ptr<Venue> venue_app_;
  std::unique_ptr<FIX::SessionSettings> venue_settings_;
  std::unique_ptr<FIX::FileStoreFactory> venue_store_;
  std::unique_ptr<FIX::SocketAcceptor> venue_;
  std::unique_ptr<FixMarketDataFeed> feed_;
  std::vector<BookUpdate> books_;
  int trades_ = 0;
  uint64_t sequence_checks_ = 0;
  bool last_sequence_ok_ = true;
};

TEST_P(FixMarketDataLoopbackTest, SubscribesGoesStaleOnDisconnectAndResubscribesOnReconnect) {
  StartVenue(0);
  FixMarketDataOptions options;
  options.settings_file = (dir_ / "md.cfg").string();
  options.store_directory = (dir_ / "md-store").string();
  options.log_directory = (dir_ / "md-log").string();
  options.instruments = {a_};
  options.source = 3;
  options.engine_thread = engine_thread_;
  feed_ = std::make_unique<FixMarketDataFeed>(registry_, ring_, options);
  feed_->start();

  // The snapshot, then the X: a new best bid 1700.10 and a trade at the ask.
  ASSERT_TRUE(WaitFor([&] { return HasBook("1700.10", 2) && trades_ == 1; }))
      << "book updates " << books_.size() << ", trades " << trades_;
  ASSERT_TRUE(HasBook("1700.00", 1));
  EXPECT_EQ(books_.front().asks[0].price, *Price::parse("1700.50"));
  EXPECT_EQ(books_.front().header.source, 3u);
  EXPECT_NE(books_.front().header.event_time, 0);
  {
    std::lock_guard<std::mutex> lock(venue_app_->mutex);
    ASSERT_EQ(venue_app_->requests.size(), 1u);
    const std::string& v = venue_app_->requests[0];
    for (const char* field : {"\001263=1\001", "\001264=10\001", "\001265=1\001",
                              "\001267=3\001269=0\001269=1\001269=2\001", "\00155=600519\001",
                              "\001262=600519-1\001", "\00149=GUIJU-MD\001"}) {
      EXPECT_NE(v.find(field), std::string::npos) << field << " in " << v;
    }
  }

  // The venue drops the connection: the book goes stale at once.
  const size_t before = books_.size();
  StopVenue();
  ASSERT_TRUE(WaitFor([&] {
    return books_.size() > before && books_.back().bid_levels == 0 &&
           books_.back().ask_levels == 0 && books_.back().header.event_time == 0;
  }));

  // The venue comes back; the initiator reconnects by itself and subscribes again.
  StartVenue(1);
  ASSERT_TRUE(WaitFor([&] { return HasBook("1800.00", 1) && HasBook("1800.10", 2); }))
      << "book updates " << books_.size();
  EXPECT_EQ(venue_app_->subscribes.load(), 2);
  const FixMarketDataCounts c = feed_->counters();
  EXPECT_EQ(c.logons, 2u);
  EXPECT_EQ(c.reconnects, 1u);
  EXPECT_EQ(c.snapshots, 2u);
  EXPECT_EQ(c.trades, 2u);
  EXPECT_EQ(c.bad_entries, 0u);
  EXPECT_EQ(c.stale_marks, 1u);
  EXPECT_TRUE(feed_->logged_on());
  {
    std::lock_guard<std::mutex> lock(venue_app_->mutex);
    EXPECT_NE(venue_app_->requests.back().find("\001262=600519-2\001"), std::string::npos);
  }

  // Unsubscribe: the venue gets 263=2; its next message empties the book.
  ASSERT_TRUE(feed_->unsubscribe(a_));
  ASSERT_TRUE(WaitFor([&] {
    return venue_app_->unsubscribes.load() == 1 && books_.back().bid_levels == 0 &&
           books_.back().header.event_time == 0;
  }));
  EXPECT_TRUE(last_sequence_ok_);  // every event, in order, none lost
  feed_->stop();
}

INSTANTIATE_TEST_SUITE_P(
    VersionsAndThreads, FixMarketDataLoopbackTest,
    ::testing::Combine(::testing::Values("FIX.4.2", "FIX.4.4"), ::testing::Bool()),
    [](const auto& param_info) {
      const std::string version =
          std::string(std::get<0>(param_info.param)) == "FIX.4.2" ? "Fix42" : "Fix44";
      return version + (std::get<1>(param_info.param) ? "OnTheConsumersThread" : "OnItsOwnThread");
    });

}  // namespace
}  // namespace guiju
