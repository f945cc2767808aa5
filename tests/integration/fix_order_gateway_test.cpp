// The order adapter (adapters/fix/fix_order_gateway.hpp) over a real loopback FIX session to a
// small acceptor written here: logon reaches the engine as the order session coming up; a new
// order, a cancel and a replace go out as D, F and G; the acceptor's execution reports and
// cancel reject come back as the engine's reports with the right ids; a dropped connection
// reaches the engine as the order session going down, and the initiator logs on again by itself.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/fix/fix_order_gateway.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::fix {
namespace {

// Answers D with New then a partial fill, F with Canceled, G with a cancel reject.
class Venue final : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID& session) override {
    const std::string type = m.getHeader().getField(35);
    if (type == "D") {
      FIX::Message ack = Report(m, "0", "0", "0", m.getField(38));
      Send(session, ack);
      FIX::Message fill = Report(m, "F", "1", "100", "");
      fill.setField(31, m.getField(44));
      fill.setField(32, "100");
      Send(session, fill);
    } else if (type == "F") {
      FIX::Message r = Report(m, "4", "4", "100", "0");
      r.setField(41, m.getField(41));
      Send(session, r);
    } else if (type == "G") {
      FIX::Message r;
      r.getHeader().setField(FIX::MsgType("9"));
      r.setField(37, "V1");
      r.setField(11, m.getField(11));
      r.setField(41, m.getField(41));
      r.setField(39, "1");
      r.setField(434, "2");
      r.setField(58, "too late to replace");
      Send(session, r);
    }
  }
  static FIX::Message Report(const FIX::Message& order, const char* exec_type, const char* status,
                             const char* cum, const std::string& leaves) {
    FIX::Message r;
    r.getHeader().setField(FIX::MsgType("8"));
    r.setField(37, "V1");
    r.setField(17, "X" + std::to_string(++exec_ids_));
    r.setField(150, exec_type);
    r.setField(39, status);
    r.setField(11, order.getField(11));
    r.setField(55, order.getField(55));
    r.setField(54, order.getField(54));
    r.setField(151, leaves.empty() ? "200" : leaves);
    r.setField(14, cum);
    r.setField(6, "0");
    return r;
  }
  static void Send(const FIX::SessionID& session, FIX::Message& m) {
    FIX::Session::sendToTarget(m, session);
  }
  static inline int exec_ids_ = 0;
};

class FixOrderGatewayTest : public ::testing::Test {
 protected:
  FixOrderGatewayTest() : port_(test::free_loopback_port()) {
    Instrument i;
    i.symbol = "600519";
    i.venue = "SSE";
    i.tick_size = *Price::parse("0.01");
    i.lot_size = Quantity::from_units(100);
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = *Price::parse("1700.00");
    registry_.add(i);
  }
  std::string Settings(const std::string& name, bool acceptor) {
    const std::string store = (dir_.path() / (name + "-store")).string();
    std::ofstream f(dir_.path() / (name + ".cfg"));
    f << "[DEFAULT]\nBeginString=FIX.4.4\nStartTime=00:00:00\nEndTime=00:00:00\n"
      << "HeartBtInt=1\nReconnectInterval=1\nUseDataDictionary=N\n"
      << "FileStorePath=" << store << "\nFileLogPath=" << store << "\n"
      << (acceptor ? "ConnectionType=acceptor\nSocketAcceptPort=" + std::to_string(port_) + "\n"
                   : "ConnectionType=initiator\nSocketConnectHost=127.0.0.1\nSocketConnectPort=" +
                         std::to_string(port_) + "\n")
      << "[SESSION]\nSenderCompID=" << (acceptor ? "VENUE" : "GUIJU-ORD")
      << "\nTargetCompID=" << (acceptor ? "GUIJU-ORD" : "VENUE") << "\n";
    return (dir_.path() / (name + ".cfg")).string();
  }
  void StartVenue() {
    venue_settings_ = std::make_unique<FIX::SessionSettings>(Settings("venue", true));
    venue_store_ = std::make_unique<FIX::FileStoreFactory>(*venue_settings_);
    acceptor_ = std::make_unique<FIX::SocketAcceptor>(venue_, *venue_store_, *venue_settings_);
    acceptor_->start();
  }
  // Waits for the next event in the engine's ring matching `want`, skipping others.
  bool Next(const std::function<bool(const EventSlot&)>& want, EventSlot* out = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    EventSlot e;
    while (std::chrono::steady_clock::now() < deadline) {
      if (to_engine_.try_pop(e)) {
        if (want(e)) {
          if (out) *out = e;
          return true;
        }
        continue;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  }
  static std::function<bool(const EventSlot&)> Control(ControlAction a) {
    return [a](const EventSlot& e) {
      return e.type() == EventType::kControlCommand && e.as<ControlCommand>().action == a;
    };
  }
  static bool IsReport(const EventSlot& e) { return e.type() == EventType::kExecutionReport; }

  test::TempDir dir_;
  int port_;
  InstrumentRegistry registry_;
  Venue venue_;
  std::unique_ptr<FIX::SessionSettings> venue_settings_;
  std::unique_ptr<FIX::FileStoreFactory> venue_store_;
  std::unique_ptr<FIX::SocketAcceptor> acceptor_;
  SpscRing<EventSlot> to_engine_{1024, BackPressure::kFail, "fix-in"};
  SpscRing<EventSlot> orders_{1024, BackPressure::kFail, "orders"};
};

ClientOrderId Cl(const std::string& text) {
  ClientOrderId c;
  c.assign(text);
  return c;
}

TEST_F(FixOrderGatewayTest, OrdersGoOutAndReportsComeBackOverALoopbackSession) {
  StartVenue();
  OrderGateway gateway(registry_, to_engine_, {Settings("engine", false), "GT20261127-", {}});
  gateway.start();
  ASSERT_TRUE(Next(Control(ControlAction::kOrderSessionUp))) << "logon";

  NewOrder n;
  n.order_id = 7;
  n.instrument = 0;
  n.side = Side::kBuy;
  n.price = *Price::parse("1700.5");
  n.quantity = Quantity::from_units(300);
  n.client_order_id = Cl("GT20261127-7");
  EventSlot slot;
  slot.store(n);
  ASSERT_TRUE(orders_.push(slot));
  EXPECT_EQ(gateway.pump(orders_), 1u);
  EventSlot e;
  ASSERT_TRUE(Next(IsReport, &e));
  EXPECT_EQ(e.as<ExecutionReport>().exec_type, ExecType::kAck);
  EXPECT_EQ(e.as<ExecutionReport>().order_id, 7u);
  ASSERT_TRUE(Next(IsReport, &e));
  EXPECT_EQ(e.as<ExecutionReport>().exec_type, ExecType::kPartialFill);
  EXPECT_EQ(e.as<ExecutionReport>().last_qty, Quantity::from_units(100));
  EXPECT_EQ(e.as<ExecutionReport>().last_price, *Price::parse("1700.5"));

  ReplaceOrder r;
  r.order_id = 7;
  r.new_order_id = 8;
  r.instrument = 0;
  r.side = Side::kBuy;
  r.new_price = *Price::parse("1701");
  r.new_quantity = Quantity::from_units(300);
  r.client_order_id = n.client_order_id;
  r.new_client_order_id = Cl("GT20261127-8");
  slot.store(r);
  ASSERT_TRUE(orders_.push(slot));
  gateway.pump(orders_);
  ASSERT_TRUE(Next(IsReport, &e));
  EXPECT_EQ(e.as<ExecutionReport>().exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(e.as<ExecutionReport>().order_id, 8u);
  EXPECT_EQ(e.as<ExecutionReport>().orig_order_id, 7u);
  EXPECT_EQ(e.as<ExecutionReport>().reason.view(), "too late to replace");

  CancelOrder c;
  c.order_id = 7;
  c.instrument = 0;
  c.side = Side::kBuy;
  c.client_order_id = n.client_order_id;
  slot.store(c);
  ASSERT_TRUE(orders_.push(slot));
  gateway.pump(orders_);
  ASSERT_TRUE(Next(IsReport, &e));
  EXPECT_EQ(e.as<ExecutionReport>().exec_type, ExecType::kCanceled);
  EXPECT_EQ(e.as<ExecutionReport>().order_id, 7u);

  // The venue goes away: the engine hears the session is down; it comes back: up again.
  acceptor_->stop(true);
  acceptor_.reset();
  ASSERT_TRUE(Next(Control(ControlAction::kOrderSessionDown))) << "disconnect";
  StartVenue();
  ASSERT_TRUE(Next(Control(ControlAction::kOrderSessionUp))) << "reconnect";
  EXPECT_EQ(gateway.counters().logons.load(), 2u);
  EXPECT_EQ(gateway.counters().malformed.load(), 0u);
  gateway.stop();
  acceptor_->stop();
}

}  // namespace
}  // namespace guiju::fix
