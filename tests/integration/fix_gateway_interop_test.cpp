// The order adapter (adapters/fix/fix_order_gateway.hpp) trading with a venue that is not
// QuickFIX: the raw engine of tests/support/raw_fix.hpp, written from the FIX specification,
// listens on a loopback port as the acceptor, and this test plays the venue through it, message
// by message. In FIX 4.2 and 4.4:
//   - the gateway's NewOrderSingle and OrderCancelRequest, as a conforming acceptor reads them,
//     answered with ExecutionReports that reach the engine's ring with the right ids and amounts;
//   - a report lost on the way: QuickFIX in the gateway asks for it again, the raw engine resends
//     it with PossDupFlag, and every fill reaches the engine exactly once;
//   - garbage bytes, broken frames and malformed reports: the gateway keeps trading;
//   - a session Reject of the gateway's order reaches the engine as that order's rejection.
// The gateway's settings are those of configs/fix/engine-orders.cfg: the data dictionary on. Each
// test runs with the session read by QuickFIX's thread and by the engine's (engine_thread: a thread
// of the test polls the gateway and waits on its socket, as the live loop does).

#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "adapters/fix/fix_order_gateway.hpp"
#include "core/events/control_events.hpp"
#include "tests/support/instruments.hpp"
#include "tests/support/raw_fix.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::fix {
namespace {

using test::raw_fix::Message;
using test::raw_fix::Millis;
using test::raw_fix::Session;
namespace session_tag = test::raw_fix::tag;

constexpr Millis kWait{5000};
constexpr const char* kStem = "GT20261127-";

using namespace test::raw_fix::app_tag;  // NOLINT(google-build-using-namespace)

Timestamp wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class GatewayInteropTest : public ::testing::TestWithParam<std::tuple<std::string, bool>> {
 protected:
  GatewayInteropTest() { registry_.add(test::main_board_stock("600519", "1700.00")); }
  void TearDown() override {
    // The raw venue goes first: with no one to answer its Logout, the gateway's stop() would
    // wait for one (QuickFIX waits up to 10 s).
    venue_.reset();
    stop_polling_ = true;
    if (poller_.joinable()) poller_.join();  // the test thread is the gateway's only caller now
    if (gateway_) gateway_->stop();
  }

  const std::string& version() const { return std::get<0>(GetParam()); }
  bool engine_thread() const { return std::get<1>(GetParam()); }
  bool fix42() const { return version() == "FIX.4.2"; }

  // As configs/fix/engine-orders.cfg, pointed at the raw venue's port.
  std::string Settings(int port) const {
    const std::string dictionary =
        std::string(GUIJU_FIX_DICTIONARY_DIR) + (fix42() ? "/FIX42.xml" : "/FIX44.xml");
    std::string path = (dir_.path() / "engine-orders.cfg").string();
    std::ofstream(path) << "[DEFAULT]\nConnectionType=initiator\nBeginString=" << version()
                        << "\nStartTime=00:00:00\nEndTime=00:00:00\nHeartBtInt=30\n"
                        << "ReconnectInterval=1\nSocketConnectHost=127.0.0.1\nSocketConnectPort="
                        << port << "\nFileStorePath=" << (dir_.path() / "store").string()
                        << "\nFileLogPath=" << (dir_.path() / "log").string()
                        << "\nUseDataDictionary=Y\nDataDictionary=" << dictionary
                        << "\nValidateUserDefinedFields=N\n\n[SESSION]\nSenderCompID=GUIJU-ORD\n"
                        << "TargetCompID=RAW-VENUE\n";
    return path;
  }

  // The gateway connects and logs on; the raw venue accepts; the engine hears the session is up.
  void Start() {
    ASSERT_GT(listener_.port(), 0);
    gateway_ = std::make_unique<OrderGateway>(
        registry_, to_engine_,
        OrderGatewayOptions{Settings(listener_.port()), kStem, {}, engine_thread()});
    gateway_->start();
    if (engine_thread()) {
      poller_ = std::thread([this] {
        std::vector<pollfd> fds;
        while (!stop_polling_) {
          gateway_->poll();
          fds.clear();
          gateway_->wait_fds(fds);
          if (!fds.empty()) ::poll(fds.data(), fds.size(), 1);
        }
      });
    }
    venue_ = std::make_unique<Session>(
        test::raw_fix::SessionIds{version(), "RAW-VENUE", "GUIJU-ORD"}, listener_.accept(kWait));
    ASSERT_TRUE(venue_->connected()) << "the gateway did not connect";
    ASSERT_TRUE(venue_->accept_logon(kWait));
    EventSlot e;
    ASSERT_TRUE(NextEvent(&e));
    ASSERT_EQ(e.type(), EventType::kControlCommand);
    EXPECT_EQ(e.as<ControlCommand>().action, ControlAction::kOrderSessionUp);
  }

  // The engine sends a limit buy; the raw venue receives the D it became.
  std::optional<Message> Order(OrderId id, int qty, const char* price) {
    NewOrder n;
    n.header = make_header<NewOrder>(wall_now(), wall_now(), 0);
    n.order_id = id;
    n.instrument = 0;
    n.side = Side::kBuy;
    n.price = *Price::parse(price);
    n.quantity = Quantity::from_units(qty);
    n.client_order_id.assign(kStem + std::to_string(id));
    EventSlot slot;
    slot.store(n);
    EXPECT_TRUE(orders_.push(slot));
    gateway_->pump(orders_);
    return venue_->wait_for_type("D", kWait);
  }
  std::optional<Message> Cancel(OrderId id) {
    CancelOrder c;
    c.header = make_header<CancelOrder>(wall_now(), wall_now(), 0);
    c.order_id = id;
    c.instrument = 0;
    c.side = Side::kBuy;
    c.client_order_id.assign(kStem + std::to_string(id));
    EventSlot slot;
    slot.store(c);
    EXPECT_TRUE(orders_.push(slot));
    gateway_->pump(orders_);
    return venue_->wait_for_type("F", kWait);
  }

  // An ExecutionReport about `order` as the version requires it (4.2: ExecTransType and
  // Symbol required; a fill is ExecType 1 or 2 there, F in 4.4).
  Message Report(const Message& order, const std::string& exec_type, const std::string& status,
                 int cum, int leaves) {
    Message r("8");
    r.add(kOrderId, "V-" + order.get(kClOrdId))
        .add(kClOrdId, order.get(kClOrdId))
        .add(kExecId, "E" + std::to_string(++exec_ids_));
    if (fix42()) r.add(kExecTransType, "0");
    r.add(kExecType, exec_type)
        .add(kOrdStatus, status)
        .add(kSymbol, order.get(kSymbol))
        .add(kSide, order.get(kSide))
        .add(kOrderQty, order.get(kOrderQty))
        .add(kOrdType, order.get(kOrdType))
        .add(kPrice, order.get(kPrice))
        .add(kLeavesQty, std::to_string(leaves))
        .add(kCumQty, std::to_string(cum))
        .add(kAvgPx, cum > 0 ? order.get(kPrice) : "0")
        .add(kTransactTime, test::raw_fix::utc_now());
    return r;
  }
  Message New(const Message& order) {
    return Report(order, "0", "0", 0, std::stoi(order.get(kOrderQty)));
  }
  Message Fill(const Message& order, int last_qty, int cum) {
    const int leaves = std::stoi(order.get(kOrderQty)) - cum;
    const std::string exec_type = fix42() ? (leaves == 0 ? "2" : "1") : "F";
    Message r = Report(order, exec_type, leaves == 0 ? "2" : "1", cum, leaves);
    r.add(kLastQty, std::to_string(last_qty)).add(kLastPx, order.get(kPrice));
    return r;
  }
  Message Canceled(const Message& cancel, const Message& order, int cum) {
    Message r = Report(order, "4", "4", cum, 0);
    r.set(kClOrdId, cancel.get(kClOrdId)).add(kOrigClOrdId, cancel.get(kOrigClOrdId));
    return r;
  }
  std::string LastExecId() const { return "E" + std::to_string(exec_ids_); }

  // The next event the gateway put in the engine's ring.
  bool NextEvent(EventSlot* out, Millis timeout = kWait) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (to_engine_.try_pop(*out)) return true;
      std::this_thread::sleep_for(Millis(2));
    }
    return false;
  }
  std::optional<ExecutionReport> NextReport(Millis timeout = kWait) {
    EventSlot e;
    if (!NextEvent(&e, timeout)) return std::nullopt;
    EXPECT_EQ(e.type(), EventType::kExecutionReport);
    if (e.type() != EventType::kExecutionReport) return std::nullopt;
    return e.as<ExecutionReport>();
  }
  // Whatever reaches the ring within `quiet` of the last event.
  std::vector<EventSlot> Drain(Millis quiet = Millis(300)) {
    std::vector<EventSlot> events;
    EventSlot e;
    while (NextEvent(&e, quiet)) events.push_back(e);
    return events;
  }

  // Session-level messages from the gateway the test did not expect.
  std::string Unexpected() const {
    std::string out;
    for (const Message& m : venue_->inbox()) out += m.to_string() + "\n";
    for (const std::string& e : venue_->errors()) out += e + "\n";
    return out;
  }

  test::TempDir dir_{"guiju-gateway-interop"};
  InstrumentRegistry registry_;
  test::raw_fix::Listener listener_;
  SpscRing<EventSlot> to_engine_{1024, BackPressure::kFail, "fix-in"};
  SpscRing<EventSlot> orders_{1024, BackPressure::kFail, "orders"};
  std::unique_ptr<OrderGateway> gateway_;
  std::thread poller_;  // engine_thread: reads the session, as the engine loop does
  std::atomic<bool> stop_polling_{false};
  std::unique_ptr<Session> venue_;
  int exec_ids_ = 0;
};

TEST_P(GatewayInteropTest, OrdersAndCancelsAreAnsweredByAnAcceptorOfAnotherMake) {
  ASSERT_NO_FATAL_FAILURE(Start());

  // The D as an acceptor reads it: the version's required fields, exact decimal amounts.
  const auto d = Order(7, 300, "1700.50");
  ASSERT_TRUE(d) << Unexpected();
  EXPECT_EQ(d->begin_string(), version());
  EXPECT_EQ(d->get(kClOrdId), "GT20261127-7");
  EXPECT_EQ(d->get(kSymbol), "600519");
  EXPECT_EQ(d->get(kSide), "1");
  EXPECT_EQ(d->get(kOrderQty), "300");
  EXPECT_EQ(d->get(kOrdType), "2");
  EXPECT_EQ(Price::parse(d->get(kPrice)), Price::parse("1700.50"));
  EXPECT_EQ(d->get(kTimeInForce), "0");
  EXPECT_EQ(d->get(kTransactTime).size(), 21u) << d->get(kTransactTime);  // YYYYMMDD-HH:MM:SS.sss
  EXPECT_EQ(d->has(kHandlInst), fix42()) << "HandlInst is required in 4.2 only";

  // New, then a fill of the whole order.
  venue_->send(New(*d));
  const std::string ack_exec_id = LastExecId();
  venue_->send(Fill(*d, 300, 300));
  const auto ack = NextReport();
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->exec_type, ExecType::kAck);
  EXPECT_EQ(ack->order_id, 7u);
  EXPECT_EQ(ack->exec_id, exec_id_of(ack_exec_id));
  EXPECT_EQ(ack->order_qty, Quantity::from_units(300));
  EXPECT_EQ(ack->order_price, *Price::parse("1700.50"));
  const auto fill = NextReport();
  ASSERT_TRUE(fill);
  EXPECT_EQ(fill->exec_type, ExecType::kFill);
  EXPECT_EQ(fill->order_id, 7u);
  EXPECT_EQ(fill->exec_id, exec_id_of(LastExecId()));
  EXPECT_EQ(fill->instrument, 0u);
  EXPECT_EQ(fill->side, Side::kBuy);
  EXPECT_EQ(fill->last_qty, Quantity::from_units(300));
  EXPECT_EQ(fill->last_price, *Price::parse("1700.50"));
  EXPECT_EQ(fill->cum_qty, Quantity::from_units(300));
  EXPECT_TRUE(fill->leaves_qty.is_zero());

  // A second order, acknowledged, then canceled: the F names it in OrigClOrdID.
  const auto d2 = Order(8, 200, "1699.00");
  ASSERT_TRUE(d2);
  venue_->send(New(*d2));
  const auto ack2 = NextReport();
  ASSERT_TRUE(ack2);
  EXPECT_EQ(ack2->exec_type, ExecType::kAck);
  EXPECT_EQ(ack2->order_id, 8u);
  const auto f = Cancel(8);
  ASSERT_TRUE(f) << Unexpected();
  EXPECT_EQ(f->get(kOrigClOrdId), "GT20261127-8");
  EXPECT_EQ(f->get(kClOrdId).rfind("GT20261127-8C", 0), 0u) << f->get(kClOrdId);
  EXPECT_EQ(f->get(kSymbol), "600519");
  EXPECT_EQ(f->get(kSide), "1");
  EXPECT_TRUE(f->has(kTransactTime));
  venue_->send(Canceled(*f, *d2, 0));
  const auto canceled = NextReport();
  ASSERT_TRUE(canceled);
  EXPECT_EQ(canceled->exec_type, ExecType::kCanceled);
  EXPECT_EQ(canceled->order_id, 8u);

  EXPECT_EQ(gateway_->counters().reports.load(), 4u);
  EXPECT_EQ(gateway_->counters().malformed.load(), 0u);
  EXPECT_EQ(gateway_->counters().unknown.load(), 0u);
  EXPECT_EQ(gateway_->counters().rejects.load(), 0u);
  // Nothing the raw venue sent was refused, and every frame from the gateway was well formed.
  EXPECT_TRUE(venue_->inbox().empty() && venue_->errors().empty()) << Unexpected();
  EXPECT_TRUE(venue_->logout(kWait));
}

TEST_P(GatewayInteropTest, AReportLostOnTheWayIsResentAndEveryFillArrivesOnce) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const auto d = Order(7, 300, "1700.50");
  ASSERT_TRUE(d);
  venue_->send(New(*d));
  // The first fill is numbered and kept but never reaches the gateway; the second one shows it
  // the gap.
  const int lost = venue_->send_lost(Fill(*d, 100, 100));
  const std::string lost_exec_id = LastExecId();
  venue_->send(Fill(*d, 200, 300));
  const std::string last_exec_id = LastExecId();

  // QuickFIX in the gateway holds the second fill and asks for everything from the lost one on.
  const auto resend = venue_->wait_for_type("2", kWait);
  ASSERT_TRUE(resend) << Unexpected();
  EXPECT_EQ(resend->get(session_tag::kBeginSeqNo), std::to_string(lost));
  EXPECT_EQ(resend->get(session_tag::kEndSeqNo), "0");  // "all that follow" (4.2 and later)
  // The raw venue answered it on arrival: both fills again, with PossDupFlag=Y and their
  // OrigSendingTime. The gateway takes the lost one, then the one it held; the resent copy of
  // that one is below its expected number and marked as a possible duplicate, so QuickFIX drops
  // it. The engine gets each report once, in order.
  const std::vector<EventSlot> events = Drain();
  ASSERT_EQ(events.size(), 3u);
  for (const EventSlot& e : events) ASSERT_EQ(e.type(), EventType::kExecutionReport);
  const auto& ack = events[0].as<ExecutionReport>();
  const auto& partial = events[1].as<ExecutionReport>();
  const auto& fill = events[2].as<ExecutionReport>();
  EXPECT_EQ(ack.exec_type, ExecType::kAck);
  EXPECT_EQ(partial.exec_type, ExecType::kPartialFill);
  EXPECT_EQ(partial.exec_id, exec_id_of(lost_exec_id));
  EXPECT_EQ(partial.last_qty, Quantity::from_units(100));
  EXPECT_EQ(partial.leaves_qty, Quantity::from_units(200));
  EXPECT_EQ(fill.exec_type, ExecType::kFill);
  EXPECT_EQ(fill.exec_id, exec_id_of(last_exec_id));
  EXPECT_EQ(fill.last_qty, Quantity::from_units(200));
  for (const auto* r : {&ack, &partial, &fill}) EXPECT_EQ(r->order_id, 7u);
  EXPECT_EQ(gateway_->counters().reports.load(), 3u);
  EXPECT_EQ(gateway_->counters().disconnects.load(), 0u);

  // The session goes on in sequence: the next order and its report.
  const auto d2 = Order(8, 100, "1700.00");
  ASSERT_TRUE(d2) << Unexpected();
  venue_->send(New(*d2));
  const auto ack2 = NextReport();
  ASSERT_TRUE(ack2);
  EXPECT_EQ(ack2->order_id, 8u);
  EXPECT_TRUE(venue_->inbox().empty() && venue_->errors().empty()) << Unexpected();
  EXPECT_TRUE(venue_->logout(kWait));
}

TEST_P(GatewayInteropTest, GarbageBrokenFramesAndMalformedReportsLeaveTheGatewayTrading) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const auto d = Order(7, 300, "1700.50");
  ASSERT_TRUE(d);
  venue_->send(New(*d));
  ASSERT_TRUE(NextReport());

  // 1. Garbage: bytes that are no message at all. Kept free of '=', so that no "8=" or "10=" can
  // occur by chance: QuickFIX's parser would take a "8=" as the start of a message and swallow
  // the real one after it, which is a test of resends, not of garbage.
  std::mt19937 random(7);
  std::string garbage(256, '\0');
  for (char& c : garbage) {
    c = static_cast<char>(random() % 256);
    if (c == '=') c = '?';
  }
  ASSERT_TRUE(venue_->send_bytes(garbage));

  // 2. and 3. Frames broken in transit: a wrong CheckSum, and a BodyLength 5 short (a short one
  // is found by QuickFIX at the real CheckSum; a long one would run into the next message). A
  // garbled message is ignored, without a Reject and without taking a sequence number (FIX
  // session rules), so both carry the next number, and the next good message reuses it.
  std::string bad_checksum = venue_->encode(Fill(*d, 100, 100), venue_->next_outgoing());
  bad_checksum[bad_checksum.size() - 2] = bad_checksum[bad_checksum.size() - 2] == '0' ? '1' : '0';
  ASSERT_TRUE(venue_->send_bytes(bad_checksum));
  std::string bad_length = venue_->encode(Fill(*d, 100, 100), venue_->next_outgoing());
  const size_t length_at = bad_length.find(
                               "\x01"
                               "9=") +
                           3;
  const size_t length_end = bad_length.find('\x01', length_at);
  const int length = std::stoi(bad_length.substr(length_at, length_end - length_at));
  bad_length.replace(length_at, length_end - length_at, std::to_string(length - 5));
  ASSERT_TRUE(venue_->send_bytes(bad_length));
  venue_->pump(Millis(300));
  EXPECT_TRUE(venue_->inbox().empty())
      << "garbled input is ignored, not answered: " << Unexpected();
  EXPECT_TRUE(Drain(Millis(100)).empty());
  EXPECT_TRUE(gateway_->logged_on());

  // 4. A report without ExecID(17), required by the dictionary: QuickFIX refuses it with a session
  // Reject, reason 1 (required tag missing), naming the tag; the message takes its number.
  Message no_exec_id = Fill(*d, 100, 100);
  no_exec_id.remove(kExecId);
  const int no_exec_id_seq = venue_->send(no_exec_id);
  const auto missing = venue_->wait_for_type("3", kWait);
  ASSERT_TRUE(missing) << Unexpected();
  EXPECT_EQ(missing->get(session_tag::kRefSeqNum), std::to_string(no_exec_id_seq));
  EXPECT_EQ(missing->get(session_tag::kRefTagId), "17");
  EXPECT_EQ(missing->get(session_tag::kSessionRejectReason), "1");
  EXPECT_EQ(missing->get(kRefMsgType), "8");

  // 5. ExecType(150) Z, a value the specification does not define: Reject reason 5 (value is
  // incorrect for this tag).
  Message bad_enum = Fill(*d, 100, 100);
  bad_enum.set(kExecType, "Z");
  const int bad_enum_seq = venue_->send(bad_enum);
  const auto incorrect = venue_->wait_for_type("3", kWait);
  ASSERT_TRUE(incorrect) << Unexpected();
  EXPECT_EQ(incorrect->get(session_tag::kRefSeqNum), std::to_string(bad_enum_seq));
  EXPECT_EQ(incorrect->get(session_tag::kRefTagId), "150");
  EXPECT_EQ(incorrect->get(session_tag::kSessionRejectReason), "5");

  // 6. A fill without LastQty(32) and LastPx(31): the dictionary lets it through (they are
  // conditionally required, which a dictionary cannot say), the adapter cannot book it. It is
  // counted as malformed and logged, and the adapter asks for the order's status, whose CumQty
  // will book what was executed.
  Message no_last = Fill(*d, 100, 100);
  no_last.remove(kLastQty).remove(kLastPx);
  venue_->send(no_last);
  const auto status = venue_->wait_for_type("H", kWait);
  ASSERT_TRUE(status) << Unexpected();
  EXPECT_EQ(status->get(kClOrdId), d->get(kClOrdId));
  EXPECT_EQ(gateway_->counters().malformed.load(), 1u);
  EXPECT_TRUE(Drain(Millis(100)).empty());

  // None of it ended the session or reached the engine: a good fill does, once.
  venue_->send(Fill(*d, 300, 300));
  const auto fill = NextReport();
  ASSERT_TRUE(fill);
  EXPECT_EQ(fill->exec_type, ExecType::kFill);
  EXPECT_EQ(fill->exec_id, exec_id_of(LastExecId()));
  EXPECT_EQ(fill->last_qty, Quantity::from_units(300));
  EXPECT_TRUE(Drain(Millis(100)).empty());
  EXPECT_TRUE(gateway_->logged_on());
  EXPECT_EQ(gateway_->counters().reports.load(), 2u);
  EXPECT_EQ(gateway_->counters().disconnects.load(), 0u);
  EXPECT_TRUE(venue_->inbox().empty() && venue_->errors().empty()) << Unexpected();
  EXPECT_TRUE(venue_->logout(kWait));
}

TEST_P(GatewayInteropTest, ASessionRejectOfAnOrderReachesTheEngineAsItsRejection) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const auto d = Order(9, 100, "1700.00");
  ASSERT_TRUE(d);
  // The venue refuses the D at the session level, naming it by its MsgSeqNum.
  Message reject("3");
  reject.add(session_tag::kRefSeqNum, std::to_string(d->seq()))
      .add(session_tag::kRefTagId, "44")
      .add(kRefMsgType, "D")
      .add(session_tag::kSessionRejectReason, "5")
      .add(kText, "price out of range");
  venue_->send(reject);
  const auto rejected = NextReport();
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->exec_type, ExecType::kRejected);
  EXPECT_EQ(rejected->order_id, 9u);
  EXPECT_NE(std::string(rejected->reason.view()).find("price out of range"), std::string::npos)
      << rejected->reason.view();
  EXPECT_EQ(gateway_->counters().rejects.load(), 1u);
  EXPECT_TRUE(venue_->logout(kWait));
}

INSTANTIATE_TEST_SUITE_P(Fix42AndFix44, GatewayInteropTest,
                         ::testing::Combine(::testing::Values(std::string("FIX.4.2"),
                                                              std::string("FIX.4.4")),
                                            ::testing::Bool()),
                         [](const auto& p) {
                           return std::string(std::get<0>(p.param) == "FIX.4.2" ? "Fix42"
                                                                                : "Fix44") +
                                  (std::get<1>(p.param) ? "OnTheEngineThread" : "OnItsOwnThread");
                         });

}  // namespace
}  // namespace guiju::fix
