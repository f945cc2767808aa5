// The ai_signal sample plugin (strategies/ai_signal) in a real Engine, with a signal sink of the
// test's own standing in for the inference service: no request until the features have their
// history, then one with the normalised features, the model id and the deadline; at most one in
// flight per instrument and one per minimum interval; a confident reply crosses the spread IOC
// within the position limit, a weak, failed, late or timed-out one does nothing; and a missing
// features file refuses the strategy.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock/calendar.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/signal_sink.hpp"
#include "core/journal/audit_sink.hpp"
#include "strategies/ai_signal/features.hpp"
#include "tests/support/strategy_plugins.hpp"

namespace guiju {
namespace {

constexpr Timestamp kOpen = days_from_civil(2026, 11, 27) * 86400 * kSecond + 90 * kMinute;

std::string FeaturesFile() {
  return std::string(GUIJU_SOURCE_ROOT) + "/strategies/ai_signal/model/ai_signal/1/features.json";
}

class RecordingSink final : public SignalSink {
 public:
  bool send(const SignalRequest& request) override {
    requests.push_back(request);
    return true;
  }
  std::vector<SignalRequest> requests;
};

using Values = std::vector<std::pair<std::string, std::string>>;

StrategyParameters Params(const Values& values) {
  StrategyParameters p("strategies.yaml", "ai", 10);
  int line = 11;
  for (const auto& [key, value] : values) p.add({key, value, line++, 5});
  return p;
}

Values BaseValues() {
  return {{"features_file", FeaturesFile()}, {"model_id", "7"},          {"deadline_us", "2000"},
          {"min_interval_us", "5000"},       {"entry_threshold", "0.3"}, {"order_lots", "1"},
          {"max_position_lots", "2"}};
}

class AiSignalTest : public ::testing::Test {
 protected:
  void Start(Values values = BaseValues(), bool with_service = true) {
    Instrument i;
    i.symbol = "600000";
    i.venue = "SSE";
    i.tick_size = *Price::parse("0.01");
    i.lot_size = Quantity::from_units(100);
    i.board = Board::kMain;
    i.currency = "CNY";
    i.previous_close = *Price::parse("10.00");
    registry_.add(i);
    EngineOptions options;
    options.max_orders = 256;
    options.order_ring_capacity = 64;
    engine_ = std::make_unique<Engine>(registry_, clock_, ids_, options);
    if (with_service) engine_->set_signal_sink(&sink_);
    const AccountId account = engine_->add_account({"main", FeeSchedule{}});
    engine_->add_strategy("ai", account, {0},
                          test::sample_strategy("ai_signal.so", Params(values)));
    engine_->start();
    std::string error;
    normalizer_ = *ai_signal::load_normalizer(FeaturesFile(), &error);
  }

  // A book of three levels a side, `bid` / `bid + 1 tick`, the bid side `bid_lots` lots deep at
  // each level. Also fed to the test's own feature state, for the inputs it expects.
  void SendBook(std::string_view bid, int64_t bid_lots = 5, Duration after = kMillisecond) {
    BookUpdate b;
    const Timestamp t = clock_.now() + after;
    b.header = make_header<BookUpdate>(t, t);
    b.instrument = 0;
    const Price best = *Price::parse(bid);
    const Price tick = *Price::parse("0.01");
    b.bid_levels = b.ask_levels = 3;
    for (size_t l = 0; l < 3; ++l) {
      const auto offset = Price::from_raw(tick.raw() * static_cast<int64_t>(l));
      b.bids[l] = {best - offset, Quantity::from_units(100 * bid_lots)};
      b.asks[l] = {best + tick + offset, Quantity::from_units(500)};
    }
    engine_->process(Slot(b));

    guiju_book g{};
    g.bid_levels = g.ask_levels = 3;
    for (size_t l = 0; l < 3; ++l) {
      g.bids[l] = {b.bids[l].price.raw(), b.bids[l].size.raw()};
      g.asks[l] = {b.asks[l].price.raw(), b.asks[l].size.raw()};
    }
    expected_state_.on_book(g, 0.01, expected_raw_);
  }
  void SendTrade(Side aggressor, std::string_view price, int64_t lots) {
    Trade t;
    const Timestamp at = clock_.now();
    t.header = make_header<Trade>(at, at);
    t.instrument = 0;
    t.aggressor = aggressor;
    t.price = *Price::parse(price);
    t.size = Quantity::from_units(100 * lots);
    engine_->process(Slot(t));
    expected_state_.on_trade(aggressor == Side::kBuy ? GUIJU_BUY : GUIJU_SELL, t.price.raw(),
                             t.size.raw());
  }
  // 101 books, a millisecond apart: the features' history is complete with the last one.
  void WarmUp() {
    for (int i = 0; i < ai_signal::kHistory; ++i) SendBook(i % 2 == 0 ? "10.00" : "10.01");
  }
  void Reply(uint64_t request_id, float p_down, float p_flat, float p_up, uint16_t status = 0,
             uint16_t output_count = 3, Duration after = 100 * kMicrosecond) {
    SignalReply r;
    const Timestamp t = clock_.now() + after;
    r.header = make_header<SignalReply>(t, t);
    r.request_id = request_id;
    r.model_id = 7;
    r.status = static_cast<SignalStatus>(status);
    r.output_count = output_count;
    r.outputs[0] = p_down;
    r.outputs[1] = p_flat;
    r.outputs[2] = p_up;
    engine_->process(Slot(r));
  }
  void Fill(OrderId id, int64_t quantity, std::string_view price) {
    for (const ExecType type : {ExecType::kAck, ExecType::kFill}) {
      ExecutionReport r;
      const Timestamp t = clock_.now() + kMicrosecond;
      r.header = make_header<ExecutionReport>(t, t);
      r.order_id = id;
      r.exec_id = next_exec_id_++;
      r.exec_type = type;
      r.last_qty = type == ExecType::kFill ? Quantity::from_units(quantity) : Quantity{};
      r.last_price = *Price::parse(price);
      engine_->process(Slot(r));
    }
  }
  std::vector<NewOrder> Orders() {
    std::vector<NewOrder> out;
    EventSlot s;
    while (engine_->order_ring().try_pop(s)) {
      if (s.type() == EventType::kNewOrder) out.push_back(s.as<NewOrder>());
    }
    return out;
  }
  // Warm-up, then the request the last book sent.
  SignalRequest WarmUpToRequest() {
    WarmUp();
    EXPECT_EQ(sink_.requests.size(), 1u);
    return sink_.requests.empty() ? SignalRequest{} : sink_.requests.back();
  }

  template <typename T>
  static EventSlot Slot(const T& event) {
    EventSlot s;
    s.store(event);
    return s;
  }

  InstrumentRegistry registry_;
  SimulatedClock clock_{kOpen};
  ClientOrderIdAllocator ids_{"AI", "20261127"};
  RecordingSink sink_;
  std::unique_ptr<Engine> engine_;
  ai_signal::Normalizer normalizer_;
  ai_signal::FeatureState expected_state_;
  ai_signal::Features expected_raw_{};
  ExecId next_exec_id_ = 1;
};

TEST_F(AiSignalTest, NoRequestUntilTheFeaturesHaveTheirHistory) {
  Start();
  for (int i = 0; i < ai_signal::kHistory - 1; ++i) SendBook("10.00");
  EXPECT_TRUE(sink_.requests.empty());
  SendBook("10.00");
  EXPECT_EQ(sink_.requests.size(), 1u);
}

TEST_F(AiSignalTest, RequestCarriesTheNormalisedFeaturesTheModelIdAndTheDeadline) {
  Start();
  for (int i = 0; i < ai_signal::kHistory - 1; ++i) {
    SendBook(i % 3 == 0 ? "10.00" : "10.02", 1 + i % 7);
    if (i % 4 == 0) SendTrade(i % 8 == 0 ? Side::kBuy : Side::kSell, "10.01", 2);
  }
  SendTrade(Side::kBuy, "10.02", 3);
  SendBook("10.01", 9);
  ASSERT_EQ(sink_.requests.size(), 1u);
  const SignalRequest& r = sink_.requests[0];
  EXPECT_EQ(r.model_id, 7u);
  EXPECT_EQ(r.instrument, 0u);
  EXPECT_EQ(r.deadline, clock_.now() + 2 * kMillisecond);
  ASSERT_EQ(r.input_count, ai_signal::kFeatureCount);
  std::array<float, ai_signal::kFeatureCount> want{};
  normalizer_.apply(expected_raw_, want.data());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.inputs[i], want[i]) << ai_signal::kFeatureNames[i];
  }
  EXPECT_NE(expected_raw_[0], 0.0) << "the last book is imbalanced";
}

TEST_F(AiSignalTest, OneRequestInFlightAndOnePerMinimumInterval) {
  Values values = BaseValues();
  values[2] = {"deadline_us", "1000000"};  // nothing times out here
  Start(values);
  const SignalRequest first = WarmUpToRequest();
  for (int i = 0; i < 10; ++i) SendBook("10.00");  // 10 ms, the first still unanswered
  EXPECT_EQ(sink_.requests.size(), 1u);

  Reply(first.request_id, 0.3f, 0.4f, 0.3f);
  SendBook("10.00");  // 11.1 ms after the first request: past the 5 ms interval
  ASSERT_EQ(sink_.requests.size(), 2u);
  Reply(sink_.requests[1].request_id, 0.3f, 0.4f, 0.3f);
  SendBook("10.00", 5, 2 * kMillisecond);  // 2.1 ms after the second: too soon
  EXPECT_EQ(sink_.requests.size(), 2u);
  SendBook("10.00", 5, 3 * kMillisecond);  // 5.1 ms after the second
  EXPECT_EQ(sink_.requests.size(), 3u);
}

TEST_F(AiSignalTest, ConfidentUpSignalBuysOneLotAtTheOfferImmediateOrCancel) {
  Start();
  const SignalRequest r = WarmUpToRequest();
  Orders();
  Reply(r.request_id, 0.1f, 0.2f, 0.7f);
  const auto sent = Orders();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].side, Side::kBuy);
  EXPECT_EQ(sent[0].type, OrderType::kLimit);
  EXPECT_EQ(sent[0].tif, TimeInForce::kIoc);
  EXPECT_EQ(sent[0].price, *Price::parse("10.01"));  // the last book: bid 10.00, offer 10.01
  EXPECT_EQ(sent[0].quantity, Quantity::from_units(100));
}

TEST_F(AiSignalTest, WeakFailedOrMalformedSignalsTradeNothing) {
  Start();
  SignalRequest r = WarmUpToRequest();
  Reply(r.request_id, 0.3f, 0.2f, 0.5f);  // score 0.2, under the 0.3 threshold
  for (const uint16_t status : {uint16_t{2}, uint16_t{3}}) {
    SendBook("10.00", 5, 6 * kMillisecond);
    r = sink_.requests.back();
    Reply(r.request_id, 0.0f, 0.0f, 1.0f, status);  // the service's error: no trade
  }
  SendBook("10.00", 5, 6 * kMillisecond);
  Reply(sink_.requests.back().request_id, 0.0f, 0.0f, 1.0f, 0, 2);  // too few outputs
  EXPECT_EQ(sink_.requests.size(), 4u);
  EXPECT_TRUE(Orders().empty());
}

TEST_F(AiSignalTest, DownSignalSellsOnlyWhatIsHeldUnlessShortingIsAllowed) {
  Start();
  SignalRequest r = WarmUpToRequest();
  Reply(r.request_id, 0.8f, 0.1f, 0.1f);
  EXPECT_TRUE(Orders().empty()) << "long only and flat: nothing to sell";

  SendBook("10.00", 5, 6 * kMillisecond);
  Reply(sink_.requests.back().request_id, 0.1f, 0.1f, 0.8f);
  auto sent = Orders();
  ASSERT_EQ(sent.size(), 1u);
  Fill(sent[0].order_id, 100, "10.01");

  SendBook("10.00", 5, 6 * kMillisecond);
  Reply(sink_.requests.back().request_id, 0.8f, 0.1f, 0.1f);
  sent = Orders();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].side, Side::kSell);
  EXPECT_EQ(sent[0].tif, TimeInForce::kIoc);
  EXPECT_EQ(sent[0].price, *Price::parse("10.00"));
  EXPECT_EQ(sent[0].quantity, Quantity::from_units(100));
}

TEST_F(AiSignalTest, ShortingAllowedSellsFromFlatDownToTheLimit) {
  Values values = BaseValues();
  values.push_back({"allow_short", "true"});
  Start(values);
  SignalRequest r = WarmUpToRequest();
  Reply(r.request_id, 0.8f, 0.1f, 0.1f);
  const auto sent = Orders();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].side, Side::kSell);
  EXPECT_EQ(sent[0].quantity, Quantity::from_units(100));
}

TEST_F(AiSignalTest, PositionLimitStopsFurtherBuys) {
  Start();
  WarmUp();
  for (int filled = 0; filled < 2; ++filled) {
    if (filled > 0) SendBook("10.00", 5, 6 * kMillisecond);
    Reply(sink_.requests.back().request_id, 0.1f, 0.1f, 0.8f);
    const auto sent = Orders();
    ASSERT_EQ(sent.size(), 1u);
    Fill(sent[0].order_id, 100, "10.01");
  }
  SendBook("10.00", 5, 6 * kMillisecond);
  Reply(sink_.requests.back().request_id, 0.1f, 0.1f, 0.8f);
  EXPECT_TRUE(Orders().empty()) << "two lots held, max_position_lots 2";
}

TEST_F(AiSignalTest, TimedOutRequestTradesNothingAndFreesTheInstrument) {
  Start();
  const SignalRequest r = WarmUpToRequest();
  SendBook("10.00", 5, 3 * kMillisecond);  // past the 2 ms deadline: on_signal_timeout
  Reply(r.request_id, 0.0f, 0.0f, 1.0f);   // too late: the engine drops it
  EXPECT_TRUE(Orders().empty());
  EXPECT_EQ(sink_.requests.size(), 1u) << "3 ms after the request: within the 5 ms interval";
  SendBook("10.00", 5, 3 * kMillisecond);
  EXPECT_EQ(sink_.requests.size(), 2u) << "the timed-out request no longer holds the instrument";
}

// The journal's signal replies, as the engine records them.
class ReplyJournal final : public journal::AuditSink {
 public:
  bool record(const EventSlot& event, Timestamp /*engine_time*/) override {
    if (event.type() == EventType::kSignalReply) replies.push_back(event.as<SignalReply>());
    return true;
  }
  bool healthy() const override { return true; }
  std::string failure() const override { return {}; }
  std::vector<SignalReply> replies;
};

TEST_F(AiSignalTest, AnAnswerAfterTheExpiryIsDroppedBeforeTheJournalAndCounted) {
  ReplyJournal journal;
  Start();
  engine_->set_journal(&journal);
  const SignalRequest r = WarmUpToRequest();
  SendBook("10.00", 5, 3 * kMillisecond);  // past the deadline: the engine's expiry answers
  Reply(r.request_id, 0.0f, 0.0f, 1.0f);   // the service's answer, too late
  ASSERT_EQ(journal.replies.size(), 1u) << "one answer per request in the audit trail";
  EXPECT_EQ(journal.replies[0].status, SignalStatus::kDeadlineMissed);
  EXPECT_EQ(engine_->counters().signals_timed_out, 1u);
  EXPECT_EQ(engine_->counters().late_signal_replies, 1u);
  EXPECT_EQ(engine_->counters().events_in[static_cast<size_t>(EventType::kSignalReply)], 1u)
      << "the dropped answer is not an input";
  EXPECT_TRUE(Orders().empty());

  // An answer in time is journaled and acted on as before; a second copy of it is dropped.
  SendBook("10.00", 5, 3 * kMillisecond);
  ASSERT_EQ(sink_.requests.size(), 2u);
  Reply(sink_.requests.back().request_id, 0.1f, 0.1f, 0.8f);
  Reply(sink_.requests.back().request_id, 0.1f, 0.1f, 0.8f);
  ASSERT_EQ(journal.replies.size(), 2u);
  EXPECT_EQ(journal.replies[1].status, SignalStatus::kOk);
  EXPECT_EQ(engine_->counters().late_signal_replies, 2u);
  EXPECT_EQ(Orders().size(), 1u);
}

TEST_F(AiSignalTest, WithoutAnInferenceServiceItKeepsRunningAndSendsNothing) {
  Start(BaseValues(), false);
  WarmUp();
  for (int i = 0; i < 20; ++i) SendBook("10.00", 5, 6 * kMillisecond);
  EXPECT_TRUE(Orders().empty());
  EXPECT_TRUE(sink_.requests.empty());
}

TEST(AiSignalParamsTest, MissingFeaturesFileRefusesTheStrategyNamingIt) {
  try {
    test::sample_strategy("ai_signal.so", Params({{"features_file", "/nonexistent/f.json"}}));
    FAIL() << "started without its features file";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("features_file: cannot read /nonexistent/f.json"),
              std::string::npos)
        << e.what();
  }
}

TEST(AiSignalParamsTest, OutOfRangeParametersAreRefused) {
  for (const auto& [key, value] : Values{{"model_id", "0"},
                                         {"deadline_us", "5"},
                                         {"min_interval_us", "-1"},
                                         {"entry_threshold", "1.5"},
                                         {"order_lots", "0"},
                                         {"max_position_lots", "0"},
                                         {"allow_short", "maybe"}}) {
    SCOPED_TRACE(key + "=" + value);
    EXPECT_ANY_THROW(test::sample_strategy(
        "ai_signal.so", Params({{"features_file", FeaturesFile()}, {key, value}})));
  }
}

}  // namespace
}  // namespace guiju
