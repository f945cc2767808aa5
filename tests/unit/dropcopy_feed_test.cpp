// Tests for the drop-copy feed's messages (core/dropcopy/): which events get which topic, the
// body as the audit export writes the record plus what the feed adds (symbol, names, the order's
// owner on its reports), the per-topic previous_sequence chain, the order directory forgetting
// ended orders, and the heartbeat.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/dropcopy/dropcopy_topic.hpp"
#include "core/dropcopy/feed_renderer.hpp"
#include "core/journal/record_fields.hpp"
#include "core/journal/record_json.hpp"
#include "tests/support/instruments.hpp"

namespace guiju::dropcopy {
namespace {

using nlohmann::json;

template <Event T>
EventSlot Slot(const T& e) {
  EventSlot s;
  s.store(e);
  return s;
}

EventSlot Started(StrategyId id, const char* name) {
  StrategyEvent e;
  e.strategy = id;
  e.action = StrategyAction::kStarted;
  e.name.assign(name);
  return Slot(e);
}

EventSlot Order(OrderId id, const char* client_id, Side side = Side::kBuy) {
  NewOrder o;
  o.order_id = id;
  o.instrument = 1;
  o.account = 1;
  o.strategy = 0;
  o.side = side;
  o.price = *Price::parse("11.25");
  o.quantity = Quantity::from_units(300);
  o.client_order_id.assign(client_id);
  return Slot(o);
}

EventSlot Report(OrderId id, ExecType type, int64_t last_qty = 0, OrderId orig = kNoOrder) {
  ExecutionReport r;
  r.order_id = id;
  r.orig_order_id = orig;
  r.exec_id = id * 10 + static_cast<uint64_t>(type);
  r.instrument = 1;
  r.exec_type = type;
  r.last_qty = Quantity::from_units(last_qty);
  r.last_price = *Price::parse("11.24");
  return Slot(r);
}

class FeedRendererTest : public ::testing::Test {
 protected:
  FeedRendererTest() {
    registry_.add(test::main_board_stock("600519", "1700.00"));
    registry_.add(test::main_board_stock("000001", "11.20"));
  }

  // Renders, expecting a message, and parses its body.
  json Render(uint64_t sequence, const EventSlot& e, std::string* topic = nullptr) {
    const std::optional<Message> m =
        renderer_.render(sequence, static_cast<Timestamp>(1000 + sequence), e);
    EXPECT_TRUE(m.has_value()) << "sequence " << sequence;
    if (!m) return {};
    if (topic != nullptr) *topic = std::string(m->topic);
    EXPECT_EQ(m->body.find('\n'), std::string::npos) << "one line per message";
    return json::parse(m->body);
  }

  InstrumentRegistry registry_;
  FeedRenderer renderer_{registry_, {"desk-a", "desk-b"}};
};

TEST(DropCopyTopic, OrdersReportsRefusalsAndControlsHaveTopicsMarketDataHasNone) {
  EXPECT_EQ(topic_of(Order(1, "C1")), "order.new");
  EXPECT_EQ(topic_of(Slot(CancelOrder{})), "order.cancel");
  EXPECT_EQ(topic_of(Slot(ReplaceOrder{})), "order.replace");
  EXPECT_EQ(topic_of(Slot(OrderStatusRequest{})), "order.status_request");
  const std::vector<std::pair<ExecType, std::string_view>> reports = {
      {ExecType::kAck, "exec.ack"},           {ExecType::kPartialFill, "fill.partial"},
      {ExecType::kFill, "fill.full"},         {ExecType::kCanceled, "exec.canceled"},
      {ExecType::kReplaced, "exec.replaced"}, {ExecType::kRejected, "reject.venue"},
      {ExecType::kExpired, "exec.expired"},   {ExecType::kCancelRejected, "reject.cancel"},
      {ExecType::kStatus, "exec.status"}};
  for (const auto& [type, topic] : reports) EXPECT_EQ(topic_of(Report(1, type)), topic);

  RiskDecisionEvent refusal;
  for (const RiskAction a : {RiskAction::kNewOrder, RiskAction::kReplace, RiskAction::kCancel}) {
    refusal.action = a;
    EXPECT_EQ(topic_of(Slot(refusal)), "reject.risk");
  }
  refusal.action = RiskAction::kKillSwitch;
  EXPECT_EQ(topic_of(Slot(refusal)), "risk.kill_switch");
  ControlCommand kill;
  kill.action = ControlAction::kKillSwitch;
  EXPECT_EQ(topic_of(Slot(kill)), "control.kill_switch");
  EXPECT_EQ(topic_of(Slot(RiskLimitChange{})), "control.risk_limit");
  EXPECT_EQ(topic_of(Started(0, "mr")), "strategy.started");
  EXPECT_EQ(topic_of(Slot(SessionEvent{})), "session.started");

  EXPECT_TRUE(topic_of(Slot(Quote{})).empty());
  EXPECT_TRUE(topic_of(Slot(Trade{})).empty());
  EXPECT_TRUE(topic_of(Slot(TimerFired{})).empty());
  EXPECT_TRUE(topic_of(Slot(SignalReply{})).empty());
  EXPECT_TRUE(topic_of(Slot(StrategyParameterEvent{})).empty());
}

TEST_F(FeedRendererTest, AnOrderIsTheAuditRecordWithSymbolAndNamesAdded) {
  Render(1, Started(0, "mean-reversion"));
  const EventSlot order = Order(7, "GP-20261127-7");
  std::string topic;
  const json body = Render(2, order, &topic);
  EXPECT_EQ(topic, "order.new");
  EXPECT_EQ(body["topic"], "order.new");
  EXPECT_EQ(body["sequence"], 2);
  EXPECT_EQ(body["engine_time"], 1002);
  EXPECT_EQ(body["symbol"], "000001");
  EXPECT_EQ(body["account_name"], "desk-b");
  EXPECT_EQ(body["strategy_name"], "mean-reversion");
  EXPECT_EQ(body["client_order_id"], "GP-20261127-7");
  EXPECT_EQ(body["side"], "buy");
  EXPECT_EQ(body["price"], "11.25");
  EXPECT_EQ(body["quantity"], "300");

  // Everything `guiju audit export --format jsonl` says about the record, the feed says the same.
  const json audit = json::parse(journal::record_json(journal::record_fields(2, 1002, order)));
  for (const auto& [key, value] : audit.items()) EXPECT_EQ(body[key], value) << key;
}

TEST_F(FeedRendererTest, ReportsCarryTheOwnerOfTheirOrderUntilItEnds) {
  Render(1, Started(0, "mm"));
  Render(2, Order(7, "C7"));
  Render(3, Order(8, "C8", Side::kSell));
  EXPECT_EQ(renderer_.known_orders(), 2U);

  std::string topic;
  const json partial = Render(4, Report(7, ExecType::kPartialFill, 100), &topic);
  EXPECT_EQ(topic, "fill.partial");
  EXPECT_EQ(partial["client_order_id"], "C7");
  EXPECT_EQ(partial["account"], 1);
  EXPECT_EQ(partial["account_name"], "desk-b");
  EXPECT_EQ(partial["strategy_name"], "mm");
  EXPECT_EQ(partial["symbol"], "000001");
  EXPECT_EQ(partial["last_qty"], "100");
  EXPECT_EQ(partial["last_price"], "11.24");

  const json full = Render(5, Report(7, ExecType::kFill, 200), &topic);
  EXPECT_EQ(topic, "fill.full");
  EXPECT_EQ(full["client_order_id"], "C7");
  EXPECT_EQ(renderer_.known_orders(), 1U) << "a filled order is forgotten";

  // A report on an order the feed never saw (sent before it started) still goes out, bare.
  const json stray = Render(6, Report(99, ExecType::kCanceled));
  EXPECT_EQ(stray["order_id"], "99");
  EXPECT_FALSE(stray.contains("client_order_id"));
  EXPECT_FALSE(stray.contains("account"));

  Render(7, Report(8, ExecType::kCanceled));
  EXPECT_EQ(renderer_.known_orders(), 0U);
}

TEST_F(FeedRendererTest, AReplacedOrderIsKnownByItsNewIdAndClientOrderId) {
  Render(1, Order(7, "C7"));
  ReplaceOrder r;
  r.order_id = 7;
  r.new_order_id = 9;
  r.instrument = 1;
  r.account = 1;
  r.strategy = 0;
  r.new_price = *Price::parse("11.30");
  r.new_quantity = Quantity::from_units(300);
  r.client_order_id.assign("C7");
  r.new_client_order_id.assign("C9");
  std::string topic;
  Render(2, Slot(r), &topic);
  EXPECT_EQ(topic, "order.replace");
  const json replaced = Render(3, Report(9, ExecType::kReplaced, 0, 7), &topic);
  EXPECT_EQ(topic, "exec.replaced");
  EXPECT_EQ(replaced["client_order_id"], "C9");
  EXPECT_EQ(renderer_.known_orders(), 1U) << "the replaced id is forgotten";
  EXPECT_EQ(Render(4, Report(9, ExecType::kFill, 300))["client_order_id"], "C9");
  EXPECT_EQ(renderer_.known_orders(), 0U);
}

TEST_F(FeedRendererTest, PreviousSequenceChainsEachTopicSoASubscriberSeesGaps) {
  EXPECT_EQ(Render(3, Order(1, "C1"))["previous_sequence"], 0);
  EXPECT_EQ(Render(5, Report(1, ExecType::kAck))["previous_sequence"], 0);
  EXPECT_EQ(Render(8, Order(2, "C2"))["previous_sequence"], 3);
  EXPECT_EQ(Render(9, Report(2, ExecType::kAck))["previous_sequence"], 5);
  EXPECT_EQ(Render(12, Order(3, "C3"))["previous_sequence"], 8);

  const Message beat = renderer_.heartbeat(12, 555);
  EXPECT_EQ(beat.topic, "heartbeat");
  const json h = json::parse(beat.body);
  EXPECT_EQ(h["sequence"], 12);
  EXPECT_EQ(h["time"], 555);
  EXPECT_EQ(h["last_sequences"]["order.new"], 12);
  EXPECT_EQ(h["last_sequences"]["exec.ack"], 9);
}

TEST_F(FeedRendererTest, RecordsTheFeedLeavesToTheJournalHaveNoMessage) {
  Quote q;
  q.instrument = 0;
  EXPECT_FALSE(renderer_.render(1, 1, Slot(q)).has_value());
  EXPECT_FALSE(renderer_.render(2, 2, Slot(TimerFired{})).has_value());
}

TEST_F(FeedRendererTest, RefusalsAndKillSwitchesSayWhoAndWhy) {
  Render(1, Started(0, "mr"));
  RiskDecisionEvent d;
  d.action = RiskAction::kNewOrder;
  d.code = RejectCode::kRiskRejected;
  d.check = RiskCheckId::kNone;
  d.instrument = 0;
  d.account = 0;
  d.strategy = 0;
  d.quantity = Quantity::from_units(1'000'000);
  d.reason.assign("order quantity over the limit");
  std::string topic;
  const json refusal = Render(2, Slot(d), &topic);
  EXPECT_EQ(topic, "reject.risk");
  EXPECT_EQ(refusal["symbol"], "600519");
  EXPECT_EQ(refusal["account_name"], "desk-a");
  EXPECT_EQ(refusal["strategy_name"], "mr");
  EXPECT_EQ(refusal["reason"], "order quantity over the limit");

  ControlCommand kill;
  kill.action = ControlAction::kKillSwitch;
  kill.issued_by.assign("SIGUSR1");
  kill.reason.assign("operator");
  const json control = Render(3, Slot(kill), &topic);
  EXPECT_EQ(topic, "control.kill_switch");
  EXPECT_EQ(control["issued_by"], "SIGUSR1");
}

TEST_F(FeedRendererTest, AReasonThatIsNotUtf8StillMakesValidJson) {
  Render(1, Order(1, "C1"));
  ExecutionReport r;
  r.order_id = 1;
  r.instrument = 1;
  r.exec_type = ExecType::kRejected;
  r.reject_code = RejectCode::kVenueRejected;
  r.reason.assign("bad \xff\xfe \"quoted\"\n");
  const json body = Render(2, Slot(r));
  EXPECT_NE(body["reason"].get<std::string>().find("\"quoted\""), std::string::npos);
}

}  // namespace
}  // namespace guiju::dropcopy
