#pragma once
// An engine on the simulated clock with test strategies that record their callbacks and act
// through StrategyContext, a pre-trade check that counts its calls, and helpers that feed it
// quotes, execution reports and control commands: the fixture of the engine tests.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock/calendar.hpp"
#include "core/engine/engine.hpp"

namespace guiju {

template <typename Tag, int D>
void PrintTo(const Fixed64<Tag, D>& v, std::ostream* os) {
  *os << v.to_string();
}
inline void PrintTo(const Money& m, std::ostream* os) {
  *os << m.to_string();
}
inline void PrintTo(OrderState s, std::ostream* os) {
  *os << to_string(s);
}
inline void PrintTo(RejectCode c, std::ostream* os) {
  *os << to_string(c);
}

namespace test {

inline constexpr const char* kDate = "20261127";
inline constexpr Timestamp kOpen = days_from_civil(2026, 11, 27) * 86400 * kSecond + 90 * kMinute;

inline Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}
inline Price Px(std::string_view text) {
  return *Price::parse(text);
}
inline Money Cash(std::string_view text) {
  return *Money::parse(text);
}
inline Rate R(std::string_view text) {
  return *Rate::parse(text);
}

inline InstrumentRegistry MakeRegistry() {
  InstrumentRegistry r;
  Instrument a;
  a.symbol = "600000";
  a.venue = "SSE";
  a.tick_size = Px("0.01");
  a.lot_size = Qty(100);
  a.board = Board::kMain;
  a.currency = "CNY";
  a.previous_close = Px("10.00");
  r.add(a);
  Instrument b = a;
  b.symbol = "000001";
  b.venue = "SZSE";
  b.previous_close = Px("12.00");
  r.add(b);
  return r;
}

inline FeeSchedule AShareFees() {
  FeeSchedule f;
  f.commission_rate = R("0.00025");
  f.min_commission = Cash("5");
  f.stamp_duty_rate = R("0.0005");
  f.transfer_fee_rate = R("0.00001");
  return f;
}

template <typename T>
EventSlot Slot(const T& event) {
  EventSlot s;
  s.store(event);
  return s;
}

inline OrderRequest Limit(InstrumentId instrument, Side side, std::string_view price, int64_t qty,
                          TimeInForce tif = TimeInForce::kDay) {
  return {instrument, side, OrderType::kLimit, tif, Px(price), Qty(qty)};
}

// A strategy that records every callback and runs whatever the test scripts.
class TestStrategy final : public Strategy {
 public:
  StrategyId sid = kNoStrategy;
  StrategyContext* ctx = nullptr;  // valid from on_start for the engine's lifetime

  std::vector<std::string> calls;
  int starts = 0, stops = 0, quotes = 0, books = 0, trades = 0;
  std::vector<Fill> fills;
  std::vector<Order> updates;
  std::vector<TimerId> timer_ids;
  std::vector<Timestamp> timer_scheduled;
  std::vector<Timestamp> timer_now;

  std::function<void(StrategyContext&, const Quote&)> quote_action;
  std::function<void(StrategyContext&)> stop_action;

  void on_start(StrategyContext& c) override {
    ctx = &c;
    ++starts;
    calls.push_back("start");
  }
  void on_stop(StrategyContext& c) override {
    ++stops;
    calls.push_back("stop");
    if (stop_action) stop_action(c);
  }
  void on_quote(StrategyContext& c, const Quote& q) override {
    ++quotes;
    calls.push_back("quote " + std::to_string(q.instrument));
    if (quote_action) quote_action(c, q);
  }
  void on_book(StrategyContext&, const BookUpdate& b) override {
    ++books;
    calls.push_back("book " + std::to_string(b.instrument));
  }
  void on_trade(StrategyContext&, const Trade& t) override {
    ++trades;
    calls.push_back("trade " + std::to_string(t.instrument));
  }
  void on_order_update(StrategyContext&, const Order& o) override {
    updates.push_back(o);
    calls.push_back("update " + std::to_string(o.id) + " " + std::string(to_string(o.state)));
  }
  void on_fill(StrategyContext&, const Order& o, const Fill& f) override {
    fills.push_back(f);
    calls.push_back("fill " + std::to_string(o.id));
  }
  void on_timer(StrategyContext& c, TimerId timer, Timestamp scheduled) override {
    timer_ids.push_back(timer);
    timer_scheduled.push_back(scheduled);
    timer_now.push_back(c.now());
    calls.push_back("timer " + std::to_string(timer));
  }
};

// A pre-trade check that counts its calls and refuses orders above a quantity.
class CountingCheck final : public PreTradeCheck {
 public:
  CountingCheck(Quantity max, std::string_view reason) : max_(max), reason_(reason) {}
  RiskDecision check_new(const NewOrder& order, const RiskView&) override {
    ++new_calls;
    last_new = order;
    return decide(order.quantity);
  }
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView&) override {
    ++replace_calls;
    last_replace = request;
    last_current_id = current.id;
    return decide(request.new_quantity);
  }

  int new_calls = 0;
  int replace_calls = 0;
  NewOrder last_new;
  ReplaceOrder last_replace;
  OrderId last_current_id = kNoOrder;

 private:
  RiskDecision decide(Quantity q) const {
    if (q > max_) {
      return {RejectCode::kRiskRejected, reason_, max_.raw(), q.raw(),
              RiskCheckId::kMaxOrderQuantity};
    }
    return RiskDecision::accept();
  }
  Quantity max_;
  std::string_view reason_;
};

// The journal in memory: every record the engine sends, in order.
class JournalRecorder final : public journal::AuditSink {
 public:
  bool record(const EventSlot& event, Timestamp /*engine_time*/) override {
    events.push_back(event);
    return true;
  }
  bool healthy() const override { return true; }
  std::string failure() const override { return {}; }
  // The records of one type, oldest first.
  template <typename T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const EventSlot& e : events) {
      if (e.type() == T::kType) out.push_back(e.as<T>());
    }
    return out;
  }
  std::vector<EventSlot> events;
};

class EngineTest : public ::testing::Test {
 protected:
  static EngineOptions SmallOptions() {
    EngineOptions o;
    o.max_orders = 256;
    o.order_ring_capacity = 64;
    return o;
  }

  void Build(EngineOptions options = SmallOptions(), FeeSchedule fees = FeeSchedule{}) {
    engine_ = std::make_unique<Engine>(registry_, clock_, ids_, options);
    account_ = engine_->add_account({"main", fees});
  }
  TestStrategy* Add(const std::string& name, const std::vector<InstrumentId>& instruments) {
    auto owned = std::make_unique<TestStrategy>();
    TestStrategy* s = owned.get();
    s->sid = engine_->add_strategy(name, account_, instruments, std::move(owned));
    return s;
  }

  // ---- events, stamped at the current simulated time plus `after` ----

  Timestamp At(Duration after) const { return clock_.now() + after; }

  void SendQuote(InstrumentId instrument, std::string_view bid, std::string_view ask,
                 Duration after = kMillisecond) {
    Quote q;
    q.header = make_header<Quote>(At(after), At(after), 100);
    q.instrument = instrument;
    q.bid_price = Px(bid);
    q.bid_size = Qty(500);
    q.ask_price = Px(ask);
    q.ask_size = Qty(300);
    engine_->process(Slot(q));
  }
  ExecutionReport Exec(OrderId id, ExecType type, OrderId orig = kNoOrder) {
    ExecutionReport r;
    r.header = make_header<ExecutionReport>(At(kMicrosecond), At(kMicrosecond), 200);
    r.order_id = id;
    r.orig_order_id = orig;
    r.exec_id = next_exec_id_++;
    r.exec_type = type;
    return r;
  }
  void Report(OrderId id, ExecType type, OrderId orig = kNoOrder) {
    engine_->process(Slot(Exec(id, type, orig)));
  }
  void FillReport(OrderId id, int64_t qty, std::string_view price,
                  ExecType type = ExecType::kPartialFill) {
    ExecutionReport r = Exec(id, type);
    r.last_qty = Qty(qty);
    r.last_price = Px(price);
    engine_->process(Slot(r));
  }
  void Control(ControlAction action, ControlScope scope = ControlScope::kGlobal,
               uint32_t target = 0) {
    ControlCommand c;
    c.header = make_header<ControlCommand>(At(kMicrosecond), At(kMicrosecond), 300);
    c.action = action;
    c.scope = scope;
    c.target = target;
    c.issued_by.assign("test");
    engine_->process(Slot(c));
  }

  // Everything in the order ring, oldest first.
  std::vector<EventSlot> Drain() {
    std::vector<EventSlot> out;
    EventSlot s;
    while (engine_->order_ring().try_pop(s)) out.push_back(s);
    return out;
  }
  // The order ids of the cancels in `slots`.
  static std::vector<OrderId> CancelIds(const std::vector<EventSlot>& slots) {
    std::vector<OrderId> ids;
    for (const EventSlot& s : slots) {
      if (s.type() == EventType::kCancelOrder) ids.push_back(s.as<CancelOrder>().order_id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  const Order& OrderOf(OrderId id) const { return *engine_->orders().find(id); }

  const InstrumentRegistry registry_ = MakeRegistry();
  SimulatedClock clock_{kOpen};
  ClientOrderIdAllocator ids_{"T", kDate};
  std::unique_ptr<Engine> engine_;
  AccountId account_ = 0;
  ExecId next_exec_id_ = 1;
};

}  // namespace test
}  // namespace guiju
