// `guiju venue` end to end: the real program on a free loopback port, two member firms and a
// market-data subscriber as QuickFIX initiators written here, and raw sockets sending garbage.
// Each test starts the venue itself and ends it by its pid.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/fix/quickfix.hpp"
#include "tests/support/guiju_cli.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/venue_process.hpp"

namespace {

using guiju::test::TempDir;
using namespace std::chrono_literals;

const std::string kDictionary = guiju::test::fix_dictionary("FIX.4.4");
const std::string kDictionary42 = guiju::test::fix_dictionary("FIX.4.2");

using Venue = guiju::test::VenueProcess;
using guiju::test::connect_loopback;

// One member firm (or a market-data subscriber): a QuickFIX initiator recording what it receives.
class Member : public FIX::Application {
 public:
  Member(int port, const std::string& sender, const std::string& begin_string = "FIX.4.4") {
    const std::string& dictionary = begin_string == "FIX.4.2" ? kDictionary42 : kDictionary;
    std::istringstream cfg(
        "[DEFAULT]\nConnectionType=initiator\nSocketConnectHost=127.0.0.1\n"
        "SocketConnectPort=" +
        std::to_string(port) +
        "\nHeartBtInt=30\nReconnectInterval=1\nNonStopSession=Y\n"
        "StartTime=00:00:00\nEndTime=00:00:00\n"
        "UseDataDictionary=Y\nDataDictionary=" +
        dictionary + "\n\n[SESSION]\nBeginString=" + begin_string + "\nSenderCompID=" + sender +
        "\nTargetCompID=GUIJU-VENUE\n");
    settings_ = std::make_unique<FIX::SessionSettings>(cfg);
    session_ = FIX::SessionID(begin_string, sender, "GUIJU-VENUE");
    initiator_ = std::make_unique<FIX::SocketInitiator>(*this, store_, *settings_);
    initiator_->start();
  }
  ~Member() override { initiator_->stop(true); }

  bool WaitLogon(std::chrono::seconds limit = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return logged_on_; });
  }
  void Send(FIX::Message m) { FIX::Session::sendToTarget(m, session_); }

  // The first message received (application or admin) of `type` that `match` accepts.
  std::optional<FIX::Message> Wait(const std::string& type,
                                   const std::function<bool(const FIX::Message&)>& match,
                                   std::chrono::seconds limit = 5s) {
    std::unique_lock lock(mutex_);
    std::optional<FIX::Message> found;
    changed_.wait_for(lock, limit, [&] {
      for (const FIX::Message& m : received_) {
        if (m.getHeader().getField(FIX::FIELD::MsgType) == type && match(m)) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {
    std::lock_guard lock(mutex_);
    logged_on_ = true;
    changed_.notify_all();
  }
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message& m, const FIX::SessionID&) override { Record(m); }
  void fromApp(const FIX::Message& m, const FIX::SessionID&) override { Record(m); }

 private:
  void Record(const FIX::Message& m) {
    std::lock_guard lock(mutex_);
    received_.push_back(m);
    changed_.notify_all();
  }
  std::unique_ptr<FIX::SessionSettings> settings_;
  FIX::MemoryStoreFactory store_;
  std::unique_ptr<FIX::SocketInitiator> initiator_;
  FIX::SessionID session_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool logged_on_ = false;
  std::vector<FIX::Message> received_;
};

std::string Field(const FIX::FieldMap& m, int tag) {
  return m.isSetField(tag) ? m.getField(tag) : std::string();
}

std::function<bool(const FIX::Message&)> With(int tag, const std::string& value) {
  return [=](const FIX::Message& m) { return Field(m, tag) == value; };
}

std::function<bool(const FIX::Message&)> With(int tag, const std::string& value, int tag2,
                                              const std::string& value2) {
  return [=](const FIX::Message& m) { return Field(m, tag) == value && Field(m, tag2) == value2; };
}

FIX44::NewOrderSingle Order(const std::string& cl_ord_id, const std::string& symbol, char side,
                            const std::string& price, int qty) {
  FIX44::NewOrderSingle o(FIX::ClOrdID(cl_ord_id), FIX::Side(side), FIX::TransactTime(),
                          FIX::OrdType(price.empty() ? FIX::OrdType_MARKET : FIX::OrdType_LIMIT));
  o.set(FIX::Symbol(symbol));
  o.set(FIX::OrderQty(qty));
  if (!price.empty()) o.setField(FIX::FIELD::Price, price);
  o.set(FIX::TimeInForce(FIX::TimeInForce_DAY));
  return o;
}

FIX44::MarketDataRequest MarketData(const std::string& id, char type, const std::string& symbol) {
  FIX44::MarketDataRequest r(FIX::MDReqID(id), FIX::SubscriptionRequestType(type),
                             FIX::MarketDepth(5));
  for (const char t : {'0', '1', '2'}) {
    FIX44::MarketDataRequest::NoMDEntryTypes g;
    g.set(FIX::MDEntryType(t));
    r.addGroup(g);
  }
  FIX44::MarketDataRequest::NoRelatedSym s;
  s.set(FIX::Symbol(symbol));
  r.addGroup(s);
  return r;
}

// The best bid and offer in a snapshot, in ticks of 0.01 (0 when the side is empty).
std::pair<int64_t, int64_t> Touch(const FIX::Message& w) {
  int64_t bid = 0, ask = 0;
  const int n = std::stoi(Field(w, FIX::FIELD::NoMDEntries));
  for (int i = 1; i <= n; ++i) {
    FIX44::MarketDataSnapshotFullRefresh::NoMDEntries g;
    w.getGroup(static_cast<unsigned>(i), g);
    if (Field(g, FIX::FIELD::MDEntryPositionNo) != "1") continue;
    const int64_t ticks = std::llround(std::stod(Field(g, FIX::FIELD::MDEntryPx)) * 100);
    (Field(g, FIX::FIELD::MDEntryType) == "0" ? bid : ask) = ticks;
  }
  return {bid, ask};
}

std::string PriceText(int64_t ticks) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%02lld", static_cast<long long>(ticks / 100),
                static_cast<long long>(ticks % 100));
  return text;
}

// A price strictly inside the background spread of 600519, so that two members trading at it
// trade with each other and not with the background.
std::string InsidePrice(Member& m) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const std::string id = "touch-" + std::to_string(attempt);
    m.Send(MarketData(id, '0', "600519"));
    const auto w = m.Wait("W", With(FIX::FIELD::MDReqID, id));
    if (w) {
      const auto [bid, ask] = Touch(*w);
      if (bid > 0 && ask - bid >= 4) return PriceText(bid + (ask - bid) / 2);
    }
    std::this_thread::sleep_for(200ms);
  }
  return "";
}

class VenueCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    venue_ = std::make_unique<Venue>(dir_);
    ASSERT_TRUE(venue_->WaitListening()) << venue_->output();
  }
  TempDir dir_{"guiju-venue"};
  std::unique_ptr<Venue> venue_;
};

TEST_F(VenueCliTest, TwoFirmsTradeWithEachOtherAndTheVenueStopsCleanly) {
  EXPECT_NE(venue_->output().find("listening on port " + std::to_string(venue_->port())),
            std::string::npos)
      << venue_->output();
  Member a(venue_->port(), "GUIJU-ORD");
  Member b(venue_->port(), "GUIJU-ORD2");
  ASSERT_TRUE(a.WaitLogon());
  ASSERT_TRUE(b.WaitLogon());
  const std::string price = InsidePrice(a);
  ASSERT_FALSE(price.empty()) << "no background book with room inside the spread";

  FIX44::NewOrderSingle buy = Order("A-1", "600519", FIX::Side_BUY, price, 300);
  buy.set(FIX::Account("FIRM-A"));
  a.Send(buy);
  ASSERT_TRUE(a.Wait("8", With(FIX::FIELD::ClOrdID, "A-1", FIX::FIELD::ExecType, "0")));
  b.Send(Order("B-1", "600519", FIX::Side_SELL, price, 100));

  // B's sell fills completely against A's bid, at A's price; A is partly filled.
  const auto b_fill = b.Wait("8", With(FIX::FIELD::ClOrdID, "B-1", FIX::FIELD::ExecType, "F"));
  ASSERT_TRUE(b_fill);
  EXPECT_EQ(Field(*b_fill, FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(std::stod(Field(*b_fill, FIX::FIELD::LastPx)), std::stod(price));
  EXPECT_EQ(Field(*b_fill, FIX::FIELD::LastQty), "100");
  EXPECT_EQ(Field(*b_fill, FIX::FIELD::LeavesQty), "0");
  const auto a_fill = a.Wait("8", With(FIX::FIELD::ClOrdID, "A-1", FIX::FIELD::ExecType, "F"));
  ASSERT_TRUE(a_fill);
  EXPECT_EQ(Field(*a_fill, FIX::FIELD::OrdStatus), "1");
  EXPECT_EQ(Field(*a_fill, FIX::FIELD::CumQty), "100");
  EXPECT_EQ(Field(*a_fill, FIX::FIELD::LeavesQty), "200");
  EXPECT_EQ(std::stod(Field(*a_fill, FIX::FIELD::AvgPx)), std::stod(price));
  EXPECT_EQ(Field(*a_fill, FIX::FIELD::Account), "FIRM-A");
  EXPECT_NE(Field(*a_fill, FIX::FIELD::ExecID), Field(*b_fill, FIX::FIELD::ExecID));
  EXPECT_NE(Field(*a_fill, FIX::FIELD::OrderID), Field(*b_fill, FIX::FIELD::OrderID));

  // Replace: a new total of 400 (300 left), the ClOrdID chain A-1 -> A-2.
  FIX44::OrderCancelReplaceRequest replace(FIX::OrigClOrdID("A-1"), FIX::ClOrdID("A-2"),
                                           FIX::Side(FIX::Side_BUY), FIX::TransactTime(),
                                           FIX::OrdType(FIX::OrdType_LIMIT));
  replace.set(FIX::Symbol("600519"));
  replace.set(FIX::OrderQty(400));
  replace.setField(FIX::FIELD::Price, price);
  a.Send(replace);
  const auto replaced = a.Wait("8", With(FIX::FIELD::ClOrdID, "A-2", FIX::FIELD::ExecType, "5"));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(Field(*replaced, FIX::FIELD::OrigClOrdID), "A-1");
  EXPECT_EQ(Field(*replaced, FIX::FIELD::LeavesQty), "300");
  EXPECT_EQ(Field(*replaced, FIX::FIELD::OrderID), Field(*a_fill, FIX::FIELD::OrderID));

  // Order status: ExecType I, the order as it stands.
  FIX44::OrderStatusRequest status(FIX::ClOrdID("A-2"), FIX::Side(FIX::Side_BUY));
  status.set(FIX::Symbol("600519"));
  a.Send(status);
  const auto st = a.Wait("8", With(FIX::FIELD::ClOrdID, "A-2", FIX::FIELD::ExecType, "I"));
  ASSERT_TRUE(st);
  EXPECT_EQ(Field(*st, FIX::FIELD::OrdStatus), "1");
  EXPECT_EQ(Field(*st, FIX::FIELD::CumQty), "100");

  // Cancel, then a second cancel of the same order: an OrderCancelReject.
  FIX44::OrderCancelRequest cancel(FIX::OrigClOrdID("A-2"), FIX::ClOrdID("A-3"),
                                   FIX::Side(FIX::Side_BUY), FIX::TransactTime());
  cancel.set(FIX::Symbol("600519"));
  cancel.set(FIX::OrderQty(400));
  a.Send(cancel);
  const auto canceled = a.Wait("8", With(FIX::FIELD::ClOrdID, "A-3", FIX::FIELD::ExecType, "4"));
  ASSERT_TRUE(canceled);
  EXPECT_EQ(Field(*canceled, FIX::FIELD::OrigClOrdID), "A-2");
  EXPECT_EQ(Field(*canceled, FIX::FIELD::OrdStatus), "4");
  EXPECT_EQ(Field(*canceled, FIX::FIELD::LeavesQty), "0");
  FIX44::OrderCancelRequest again(FIX::OrigClOrdID("A-3"), FIX::ClOrdID("A-4"),
                                  FIX::Side(FIX::Side_BUY), FIX::TransactTime());
  again.set(FIX::Symbol("600519"));
  a.Send(again);
  const auto refused = a.Wait("9", With(FIX::FIELD::ClOrdID, "A-4"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(Field(*refused, FIX::FIELD::CxlRejResponseTo), "1");
  EXPECT_EQ(Field(*refused, FIX::FIELD::OrigClOrdID), "A-3");

  // SIGTERM: every member is logged out, and the venue exits 0.
  EXPECT_EQ(venue_->Terminate(), 0) << venue_->output();
  EXPECT_TRUE(a.Wait(
      "5", [](const FIX::Message&) { return true; }, 1s));
  EXPECT_TRUE(b.Wait(
      "5", [](const FIX::Message&) { return true; }, 1s));
}

TEST_F(VenueCliTest, RefusesUnknownSymbolsPricesBeyondTheDailyLimitAndMissingPrices) {
  Member a(venue_->port(), "GUIJU-ORD");
  ASSERT_TRUE(a.WaitLogon());
  a.Send(Order("X-1", "999999", FIX::Side_BUY, "10.00", 100));
  const auto unknown = a.Wait("8", With(FIX::FIELD::ClOrdID, "X-1"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(Field(*unknown, FIX::FIELD::ExecType), "8");
  EXPECT_EQ(Field(*unknown, FIX::FIELD::OrdStatus), "8");
  EXPECT_EQ(Field(*unknown, FIX::FIELD::OrdRejReason), "1");

  // 600519 closed at 1700.00: its limit up is 1870.00.
  a.Send(Order("X-2", "600519", FIX::Side_BUY, "1900.00", 100));
  const auto limit = a.Wait("8", With(FIX::FIELD::ClOrdID, "X-2"));
  ASSERT_TRUE(limit);
  EXPECT_EQ(Field(*limit, FIX::FIELD::ExecType), "8");
  EXPECT_NE(Field(*limit, FIX::FIELD::Text).find("limit up"), std::string::npos)
      << Field(*limit, FIX::FIELD::Text);

  // A limit order without a price: a BusinessMessageReject naming the missing tag.
  FIX44::NewOrderSingle no_price = Order("X-3", "600519", FIX::Side_BUY, "", 100);
  no_price.set(FIX::OrdType(FIX::OrdType_LIMIT));
  a.Send(no_price);
  const auto j = a.Wait("j", [](const FIX::Message&) { return true; });
  ASSERT_TRUE(j);
  EXPECT_EQ(Field(*j, FIX::FIELD::RefMsgType), "D");
  EXPECT_EQ(Field(*j, FIX::FIELD::BusinessRejectReason), "5");  // conditionally required field
}

TEST_F(VenueCliTest, MarketDataSnapshotThenUpdatesAndTradesAndUnknownSymbolsRefused) {
  Member md(venue_->port(), "GUIJU-MD");
  Member a(venue_->port(), "GUIJU-ORD");
  Member b(venue_->port(), "GUIJU-ORD2");
  ASSERT_TRUE(md.WaitLogon());
  ASSERT_TRUE(a.WaitLogon());
  ASSERT_TRUE(b.WaitLogon());
  md.Send(MarketData("unknown", '1', "999999"));
  const auto y = md.Wait("Y", With(FIX::FIELD::MDReqID, "unknown"));
  ASSERT_TRUE(y);
  EXPECT_EQ(Field(*y, FIX::FIELD::MDReqRejReason), "0");

  const std::string price = InsidePrice(a);
  ASSERT_FALSE(price.empty());
  md.Send(MarketData("sub-1", '1', "600519"));
  ASSERT_TRUE(md.Wait("W", With(FIX::FIELD::MDReqID, "sub-1")));
  // A member's bid inside the spread moves the book: a new snapshot shows it at the top.
  a.Send(Order("A-1", "600519", FIX::Side_BUY, price, 200));
  const auto updated = md.Wait("W", [&](const FIX::Message& w) {
    return Field(w, FIX::FIELD::MDReqID) == "sub-1" &&
           Touch(w).first == std::llround(std::stod(price) * 100);
  });
  EXPECT_TRUE(updated);
  // A trade between members is printed as an incremental trade entry.
  b.Send(Order("B-1", "600519", FIX::Side_SELL, price, 100));
  const auto x = md.Wait("X", [&](const FIX::Message& m) {
    if (Field(m, FIX::FIELD::MDReqID) != "sub-1") return false;
    FIX44::MarketDataIncrementalRefresh::NoMDEntries g;
    m.getGroup(1, g);
    return Field(g, FIX::FIELD::MDEntryType) == "2" && Field(g, FIX::FIELD::MDEntrySize) == "100" &&
           std::stod(Field(g, FIX::FIELD::MDEntryPx)) == std::stod(price);
  });
  EXPECT_TRUE(x);
}

TEST_F(VenueCliTest, GarbageAndMalformedFixLeaveTheVenueTrading) {
  const auto send_raw = [&](const std::string& bytes) {
    const int fd = connect_loopback(venue_->port());
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
    std::this_thread::sleep_for(100ms);
    ::close(fd);
  };
  send_raw(std::string("\x00\xff\x13garbage that is not FIX at all\r\n", 35));
  // A Logon with a wrong checksum, and one without BodyLength.
  send_raw(
      "8=FIX.4.4\x01"
      "9=71\x01"
      "35=A\x01"
      "49=GUIJU-ORD\x01"
      "56=GUIJU-VENUE\x01"
      "34=1\x01"
      "52=20261127-02:00:00\x01"
      "98=0\x01"
      "108=30\x01"
      "10=000\x01");
  send_raw(
      "8=FIX.4.4\x01"
      "35=A\x01"
      "49=GUIJU-ORD\x01"
      "56=GUIJU-VENUE\x01"
      "34=1\x01"
      "52=20261127-02:00:00\x01"
      "98=0\x01"
      "108=30\x01"
      "10=123\x01");
  ASSERT_TRUE(venue_->Running()) << venue_->output();

  Member a(venue_->port(), "GUIJU-ORD");
  Member b(venue_->port(), "GUIJU-ORD2");
  ASSERT_TRUE(a.WaitLogon()) << venue_->output();
  ASSERT_TRUE(b.WaitLogon());
  // Garbage in the middle of a logged-on member's traffic does not end the others' sessions.
  send_raw(
      "\x01\x01\x01"
      "10=\x01"
      "8=FIX.4.4\x01"
      "9=5\x01"
      "35=D\x01"
      "10=000\x01");
  const std::string price = InsidePrice(a);
  ASSERT_FALSE(price.empty());
  a.Send(Order("A-1", "600519", FIX::Side_BUY, price, 100));
  ASSERT_TRUE(a.Wait("8", With(FIX::FIELD::ClOrdID, "A-1", FIX::FIELD::ExecType, "0")));
  b.Send(Order("B-1", "600519", FIX::Side_SELL, price, 100));
  EXPECT_TRUE(b.Wait("8", With(FIX::FIELD::ClOrdID, "B-1", FIX::FIELD::ExecType, "F")));
  EXPECT_TRUE(a.Wait("8", With(FIX::FIELD::ClOrdID, "A-1", FIX::FIELD::ExecType, "F")));
  EXPECT_TRUE(venue_->Running());
}

TEST_F(VenueCliTest, AFix42MemberTradesWithAFix44MemberInItsOwnVersion) {
  Member a(venue_->port(), "GUIJU-ORD42", "FIX.4.2");
  Member b(venue_->port(), "GUIJU-ORD2");
  ASSERT_TRUE(a.WaitLogon());
  ASSERT_TRUE(b.WaitLogon());
  const std::string price = InsidePrice(b);
  ASSERT_FALSE(price.empty());
  FIX42::NewOrderSingle buy(
      FIX::ClOrdID("Q-1"),
      FIX::HandlInst(FIX::HandlInst_AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION),
      FIX::Symbol("600519"), FIX::Side(FIX::Side_BUY), FIX::TransactTime(),
      FIX::OrdType(FIX::OrdType_LIMIT));
  buy.set(FIX::OrderQty(100));
  buy.setField(FIX::FIELD::Price, price);
  a.Send(buy);
  ASSERT_TRUE(a.Wait("8", With(FIX::FIELD::ClOrdID, "Q-1", FIX::FIELD::ExecType, "0")));
  b.Send(Order("B-1", "600519", FIX::Side_SELL, price, 100));
  // 4.2: a complete fill is ExecType 2 with ExecTransType 0 (new), LastShares in tag 32.
  const auto fill = a.Wait("8", With(FIX::FIELD::ClOrdID, "Q-1", FIX::FIELD::ExecType, "2"));
  ASSERT_TRUE(fill);
  EXPECT_EQ(Field(*fill, FIX::FIELD::ExecTransType), "0");
  EXPECT_EQ(Field(*fill, FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(Field(*fill, FIX::FIELD::LastShares), "100");
  EXPECT_TRUE(b.Wait("8", With(FIX::FIELD::ClOrdID, "B-1", FIX::FIELD::ExecType, "F")));
  // 4.2 order status: ExecTransType 3 (status), ExecType repeating the OrdStatus.
  a.Send(FIX42::OrderStatusRequest(FIX::ClOrdID("Q-1"), FIX::Symbol("600519"),
                                   FIX::Side(FIX::Side_BUY)));
  const auto status = a.Wait("8", With(FIX::FIELD::ClOrdID, "Q-1", FIX::FIELD::ExecTransType, "3"));
  ASSERT_TRUE(status);
  EXPECT_EQ(Field(*status, FIX::FIELD::ExecType), "2");
  EXPECT_EQ(Field(*status, FIX::FIELD::OrdStatus), "2");
}

TEST(VenueCli, ConfigWithoutFixSectionIsRefused) {
  TempDir dir("guiju-venue");
  std::string yaml = guiju::test::read_file(guiju::test::config_path("venue.yaml"));
  yaml = std::regex_replace(yaml, std::regex("fix:\n  settings: \\S+\n"), "");
  yaml = std::regex_replace(yaml, std::regex("directory: logs/venue"),
                            "directory: " + (dir.path() / "logs").string());
  const std::string config = dir.file("venue.yaml", yaml);
  const auto r = guiju::test::run_guiju({"venue", "--config", config});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("config error: " + config), std::string::npos) << r.output;
}

}  // namespace
