// Property tests for OrderManager (core/oms/order_manager.hpp). For seeds 1..50 a seeded
// guiju::Random drives long sequences of venue reports (valid ones, replayed exec ids, reports out
// of order, unknown ids, fills past the order quantity, random report types) mixed with new
// orders and cancel/replace requests. After every step the OMS is checked against a small model:
// terminal states never change, filled quantities match the accepted fills of each order's id
// chain, no fill is lost or counted twice, the open list is exact, leaves() + filled == quantity
// for open orders, and the counters add up to the outcomes apply() returned.

#include "core/oms/order_manager.hpp"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "core/util/random.hpp"

namespace guiju {

template <typename Tag, int D>
void PrintTo(const Fixed64<Tag, D>& v, std::ostream* os) {
  *os << v.to_string();
}
void PrintTo(OrderState s, std::ostream* os) {
  *os << to_string(s);
}

namespace {

constexpr int kInitialOrders = 24;
constexpr int kSteps = 1200;
constexpr size_t kCapacity = 4096;

Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}

struct Snapshot {
  OrderState state = OrderState::kPendingNew;
  Quantity filled;
  bool awaiting = false;
  bool open = false;
  OrderId replaced_by = kNoOrder;
  bool operator==(const Snapshot&) const = default;
};

// What a run exercised, so that a test can check the generator reaches the interesting paths.
struct RunStats {
  OmsCounters counters;
  uint64_t confirmed_replaces = 0;
  uint64_t refused_replaces = 0;
  uint64_t fills_after_replace = 0;
  uint64_t stray_fills = 0;
};

class OmsPropertyRun {
 public:
  explicit OmsPropertyRun(uint64_t seed) : rng_(seed) {}

  void Run() {
    for (int i = 0; i < kInitialOrders; ++i) CreateOrder();
    before_ = Snap();
    for (int step = 0; step < kSteps; ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      now_ += 1000;
      Step();
      if (::testing::Test::HasFailure()) return;
      CheckInvariants();
      if (::testing::Test::HasFailure()) return;
      before_ = Snap();
    }
    SCOPED_TRACE("drain");
    Drain();
  }

  RunStats stats() const {
    RunStats s = stats_;
    s.counters = oms_.counters();
    return s;
  }

 private:
  // ---- the model ----

  size_t Index(OrderId id) const { return static_cast<size_t>(id - oms_.first_id()); }
  const Order& Get(OrderId id) const { return *oms_.find(id); }

  std::vector<Snapshot> Snap() const {
    std::vector<Snapshot> s(oms_.size());
    for (size_t i = 0; i < s.size(); ++i) {
      const Order& o = Get(oms_.first_id() + i);
      s[i] = {o.state, o.filled, o.awaiting_replace_confirm, o.is_open(), o.replaced_by};
    }
    return s;
  }

  void Track(OrderId id) {
    ASSERT_EQ(Index(id), expected_filled_.size());
    expected_filled_.push_back(Quantity::zero());
    late_after_replace_.push_back(Quantity::zero());
    ++expected_orders_;
  }

  void CreateOrder() {
    const OrderId id = oms_.first_id() + oms_.size();
    NewOrder n;
    n.order_id = id;
    n.instrument = static_cast<InstrumentId>(rng_.uniform_int(0, 2));
    n.account = static_cast<AccountId>(rng_.uniform_int(0, 2));
    n.strategy = static_cast<StrategyId>(rng_.uniform_int(0, 2));
    n.side = rng_.bernoulli(0.5) ? Side::kBuy : Side::kSell;
    n.price = Price::from_units(10);
    n.quantity = Qty(rng_.uniform_int(10, 200));
    oms_.create(n, now_);
    Track(id);
  }

  OrderId PickOrder() {
    const auto open = oms_.open_orders();
    if (!open.empty() && rng_.bernoulli(0.75)) {
      return open[static_cast<size_t>(rng_.uniform_int(0, static_cast<int64_t>(open.size()) - 1))];
    }
    return oms_.first_id() +
           static_cast<OrderId>(rng_.uniform_int(0, static_cast<int64_t>(oms_.size()) - 1));
  }

  static int64_t UnitsLeft(const Order& o) {
    return o.filled < o.quantity ? (o.quantity - o.filled).raw() / Quantity::kScale : 0;
  }

  ExecutionReport Report(OrderId id, ExecType type, OrderId orig = kNoOrder) {
    ExecutionReport r;
    r.order_id = id;
    r.orig_order_id = orig;
    r.exec_id = next_exec_id_++;
    r.instrument = 1;
    r.exec_type = type;
    return r;
  }
  ExecutionReport Fill(OrderId id, int64_t qty) {
    ExecutionReport r = Report(id, rng_.bernoulli(0.5) ? ExecType::kPartialFill : ExecType::kFill);
    r.last_qty = Qty(qty);
    r.last_price = Price::from_raw(rng_.uniform_int(950, 1050) * 1'000'000);  // 9.50-10.50
    return r;
  }
  // A fill of up to what the order has left (at least one unit).
  ExecutionReport FillWithin(OrderId id) {
    return Fill(id, rng_.uniform_int(1, std::max<int64_t>(1, UnitsLeft(Get(id)))));
  }

  // ---- one step ----

  void Step() {
    const int64_t dice = rng_.uniform_int(0, 99);
    if (dice < 4) {
      CreateOrder();
    } else if (dice < 56) {
      ValidReport(PickOrder());
    } else if (dice < 64) {
      ReplayReport();
    } else if (dice < 69) {
      UnknownReport();
    } else if (dice < 79) {
      NoiseReport(PickOrder());
    } else if (dice < 86) {
      OverQuantityFill(PickOrder());
    } else if (dice < 93) {
      RequestCancel(PickOrder());
    } else {
      RequestReplace(PickOrder());
    }
  }

  void Send(const ExecutionReport& r) { Apply(r); }

  // What a venue would plausibly send next for the order in its current state, including the
  // out-of-order cases real venues produce (fill before ack, late ack, late fill).
  void ValidReport(OrderId id) {
    const Order& o = Get(id);
    const int64_t roll = rng_.uniform_int(0, 99);
    if (o.awaiting_replace_confirm) {
      if (roll < 50) return Send(Report(id, ExecType::kReplaced, o.replaces));
      if (roll < 80) return Send(Report(id, ExecType::kCancelRejected, o.replaces));
      if (roll < 90) return Send(Report(id, ExecType::kRejected));
      return Send(FillWithin(id));
    }
    switch (o.state) {
      case OrderState::kPendingNew:
        if (roll < 50) return Send(Report(id, ExecType::kAck));
        if (roll < 75) return Send(FillWithin(id));
        if (roll < 90) return Send(Report(id, ExecType::kRejected));
        return Send(Report(id, ExecType::kExpired));
      case OrderState::kNew:
      case OrderState::kPartiallyFilled:
        if (roll < 70) return Send(FillWithin(id));
        if (roll < 80) return Send(Report(id, ExecType::kExpired));
        if (roll < 90) return Send(Report(id, ExecType::kCanceled));
        return Send(Report(id, ExecType::kAck));
      case OrderState::kPendingCancel:
        if (roll < 40) return Send(Report(id, ExecType::kCanceled));
        if (roll < 70) return Send(Report(id, ExecType::kCancelRejected));
        return Send(FillWithin(id));
      case OrderState::kPendingReplace: {
        const OrderId replacement = o.replaced_by;
        if (roll < 40) return Send(Report(replacement, ExecType::kReplaced, id));
        if (roll < 60) return Send(Report(replacement, ExecType::kCancelRejected, id));
        return Send(FillWithin(id));
      }
      default:  // terminal: late reports
        if (roll < 30) return Send(Fill(id, rng_.uniform_int(1, 20)));
        return Send(Report(id, static_cast<ExecType>(rng_.uniform_int(1, 8))));
    }
  }

  // Any report type for any order. A cancel-reject for an order whose replace is pending is sent
  // the documented way, naming the replacement (order_manager_test covers the other form).
  void NoiseReport(OrderId id) {
    const Order& o = Get(id);
    const auto type = static_cast<ExecType>(rng_.uniform_int(1, 8));
    if (type == ExecType::kCancelRejected && o.state == OrderState::kPendingReplace) {
      return Send(Report(o.replaced_by, type, id));
    }
    if (type == ExecType::kPartialFill || type == ExecType::kFill) {
      ExecutionReport r = Fill(id, rng_.uniform_int(0, 60));
      r.exec_type = type;
      return Send(r);
    }
    Send(Report(id, type, o.replaces));
  }

  void OverQuantityFill(OrderId id) {
    Send(Fill(id, UnitsLeft(Get(id)) + rng_.uniform_int(1, 30)));
  }

  void ReplayReport() {
    if (sent_.empty()) return UnknownReport();
    const ExecutionReport r =
        sent_[static_cast<size_t>(rng_.uniform_int(0, static_cast<int64_t>(sent_.size()) - 1))];
    const ApplyResult res = Apply(r);
    ASSERT_EQ(res.outcome, ApplyOutcome::kDuplicate) << "exec id " << r.exec_id << " replayed";
    ASSERT_TRUE(Snap() == before_) << "a duplicate changed an order";
  }

  void UnknownReport() {
    const OrderId id = rng_.bernoulli(0.2) ? kNoOrder
                                           : oms_.first_id() + oms_.size() +
                                                 static_cast<OrderId>(rng_.uniform_int(0, 50));
    ExecutionReport r = Report(id, static_cast<ExecType>(rng_.uniform_int(1, 8)));
    r.last_qty = Qty(rng_.uniform_int(0, 50));
    r.last_price = Price::from_units(10);
    const ApplyResult res = Apply(r);
    ASSERT_EQ(res.outcome, ApplyOutcome::kUnknownOrder) << "order id " << id;
    ASSERT_EQ(res.order, nullptr);
    ASSERT_TRUE(Snap() == before_) << "a report for an unknown order changed an order";
  }

  void RequestCancel(OrderId id) {
    const Order& o = Get(id);
    const bool expected = o.is_open() && !is_pending_change(o.state);
    const OrderState state = o.state;
    ASSERT_EQ(oms_.request_cancel(id, now_), expected)
        << "cancel of order " << id << " in state " << to_string(state);
    if (expected) {
      ASSERT_EQ(o.state, OrderState::kPendingCancel);
      ASSERT_EQ(o.state_before_change, state);
    }
  }

  void RequestReplace(OrderId id) {
    const Order& o = Get(id);
    const bool expected = o.is_open() && !is_pending_change(o.state) && oms_.has_capacity();
    const int64_t filled_units = o.filled.raw() / Quantity::kScale;
    ReplaceOrder r;
    r.order_id = id;
    r.new_order_id = oms_.first_id() + oms_.size();
    r.instrument = 1;
    r.side = o.side;
    r.new_price = Price::from_raw(rng_.uniform_int(950, 1050) * 1'000'000);
    // Usually above what is filled; now and then at or below it (the venue may still confirm).
    r.new_quantity = Qty(std::max<int64_t>(1, filled_units + rng_.uniform_int(-10, 150)));
    const OrderState state = o.state;
    ASSERT_EQ(oms_.request_replace(r, now_), expected)
        << "replace of order " << id << " in state " << to_string(state);
    if (expected) {
      Track(r.new_order_id);
      ASSERT_EQ(Get(id).state, OrderState::kPendingReplace);
      ASSERT_EQ(Get(id).replaced_by, r.new_order_id);
      ASSERT_TRUE(Get(r.new_order_id).awaiting_replace_confirm);
      ASSERT_FALSE(Get(r.new_order_id).is_open());
    }
  }

  // Applies a report and updates the model from what happened.
  ApplyResult Apply(const ExecutionReport& r) {
    const ApplyResult res = oms_.apply(r, now_);
    sent_.push_back(r);
    ++reports_;
    switch (res.outcome) {
      case ApplyOutcome::kApplied:
        ++applied_;
        break;
      case ApplyOutcome::kDuplicate:
        ++duplicates_;
        break;
      case ApplyOutcome::kUnknownOrder:
        ++unknown_;
        break;
      case ApplyOutcome::kIgnored:
        ++ignored_;
        break;
    }
    if (res.overfill) ++overfills_;

    // A replace confirmed by this report: the replacement takes over what the original filled.
    OrderId confirmed = kNoOrder;
    Quantity carried;
    for (size_t i = 0; i < before_.size(); ++i) {
      const Order& o = Get(oms_.first_id() + i);
      if (before_[i].awaiting && !o.awaiting_replace_confirm && o.state == OrderState::kRejected) {
        ++stats_.refused_replaces;
      }
      if (before_[i].state == OrderState::kReplaced || o.state != OrderState::kReplaced) continue;
      EXPECT_EQ(confirmed, kNoOrder) << "two replaces confirmed by one report";
      confirmed = o.replaced_by;
      carried = expected_filled_[i];
      expected_filled_[Index(confirmed)] = carried;
      ++stats_.confirmed_replaces;
    }

    if (res.is_fill) {
      EXPECT_EQ(res.outcome, ApplyOutcome::kApplied);
      EXPECT_NE(res.order, nullptr);
      if (res.order == nullptr) return res;
      EXPECT_EQ(res.order->id, r.order_id) << "a fill is booked on the order it names";
      const size_t i = Index(r.order_id);
      const Snapshot& was = before_[i];
      expected_filled_[i] += r.last_qty;
      total_filled_ += r.last_qty;
      ++fills_;
      // apply() books a fill on a finished order as a late report; that includes a replacement
      // that this very fill confirmed with the carried quantity already complete.
      if (is_terminal(was.state) ||
          (confirmed == r.order_id && carried >= Get(r.order_id).quantity)) {
        ++late_fills_;
      }
      if (was.state == OrderState::kReplaced) {
        late_after_replace_[i] += r.last_qty;
        ++stats_.fills_after_replace;
      }
      if (was.state == OrderState::kPendingNew && !was.awaiting) ++fills_before_ack_;
      if (IsUnconfirmedReplacement(Get(r.order_id))) {
        stray_filled_ += r.last_qty;  // booked on a refused replacement: kept there
        ++stats_.stray_fills;
      }
    }
    return res;
  }

  // ---- invariants ----

  // A replacement whose original never became kReplaced in its favour (still waiting, refused, or
  // overtaken by the original finishing first) holds only a copy of the original's progress.
  bool IsUnconfirmedReplacement(const Order& o) const {
    if (o.replaces == kNoOrder) return false;
    const Order& original = Get(o.replaces);
    return !(original.state == OrderState::kReplaced && original.replaced_by == o.id);
  }

  void CheckInvariants() {
    const std::vector<Snapshot> now = Snap();
    ASSERT_EQ(now.size(), expected_filled_.size());

    // Every accepted fill sits exactly once: on the live end of its id chain, on an order it
    // reached after that order was replaced, or on a refused replacement.
    Quantity booked = stray_filled_;
    std::vector<OrderId> expected_open;
    for (size_t i = 0; i < now.size(); ++i) {
      const OrderId id = oms_.first_id() + i;
      const Order& o = Get(id);
      if (i < before_.size() && is_terminal(before_[i].state)) {
        ASSERT_EQ(o.state, before_[i].state) << "order " << id << ": a terminal state changed";
      }
      if (o.is_open()) expected_open.push_back(id);

      if (!IsUnconfirmedReplacement(o)) {
        ASSERT_EQ(o.filled, expected_filled_[i])
            << "order " << id << " (" << to_string(o.state)
            << "): filled differs from the accepted fills of its id chain";
        if (o.state != OrderState::kReplaced) booked += o.filled;
      }
      if (o.state == OrderState::kReplaced) booked += late_after_replace_[i];

      if (o.is_open() && !o.overfilled) {
        ASSERT_EQ(o.leaves() + o.filled, o.quantity)
            << "order " << id << " (" << to_string(o.state) << "): leaves() + filled != quantity";
      }
      if (!o.is_open()) {
        ASSERT_EQ(o.leaves(), Quantity::zero()) << "order " << id;
      }
      if (o.awaiting_replace_confirm) {
        ASSERT_FALSE(o.is_open()) << "order " << id;
      }
      if (o.state == OrderState::kPendingReplace) {
        const Order* r = oms_.find(o.replaced_by);
        ASSERT_NE(r, nullptr) << "order " << id;
        ASSERT_TRUE(r->awaiting_replace_confirm)
            << "order " << id << " is pending replace but its replacement is not waiting";
        ASSERT_EQ(r->replaces, id);
      }
      if (o.state == OrderState::kReplaced) {
        const Order* r = oms_.find(o.replaced_by);
        ASSERT_NE(r, nullptr) << "order " << id;
        ASSERT_FALSE(r->awaiting_replace_confirm)
            << "order " << id << " is replaced by an unconfirmed placeholder";
        ASSERT_EQ(r->replaces, id);
      }
    }
    ASSERT_EQ(booked, total_filled_) << "fill quantity lost or counted twice";

    std::vector<OrderId> listed(oms_.open_orders().begin(), oms_.open_orders().end());
    std::sort(listed.begin(), listed.end());
    ASSERT_EQ(listed, expected_open) << "open_orders() differs from the orders with is_open()";

    // The running totals the pre-trade checks read agree with a walk of the open list.
    std::map<std::tuple<AccountId, InstrumentId, Side>, Quantity> working;
    std::map<std::tuple<StrategyId, InstrumentId, Side>, Quantity> working_of_strategy;
    std::map<AccountId, uint32_t> by_account;
    std::map<StrategyId, uint32_t> by_strategy;
    for (OrderId id : listed) {
      const Order& o = *oms_.find(id);
      working[{o.account, o.instrument, o.side}] += o.leaves();
      working_of_strategy[{o.strategy, o.instrument, o.side}] += o.leaves();
      ++by_account[o.account];
      ++by_strategy[o.strategy];
    }
    for (AccountId a = 0; a < 3; ++a) {
      ASSERT_EQ(oms_.open_count_of_account(a), by_account[a]) << "account " << a;
      for (InstrumentId i = 0; i < 3; ++i) {
        for (Side s : {Side::kBuy, Side::kSell}) {
          ASSERT_EQ(oms_.working_quantity(a, i, s), (working[{a, i, s}]))
              << "account " << a << " instrument " << i;
        }
      }
    }
    for (StrategyId s = 0; s < 3; ++s) {
      ASSERT_EQ(oms_.open_count_of_strategy(s), by_strategy[s]) << "strategy " << s;
      for (InstrumentId i = 0; i < 3; ++i) {
        for (Side side : {Side::kBuy, Side::kSell}) {
          ASSERT_EQ(oms_.working_quantity_of_strategy(s, i, side),
                    (working_of_strategy[{s, i, side}]))
              << "strategy " << s << " instrument " << i;
        }
      }
    }

    const OmsCounters& c = oms_.counters();
    ASSERT_EQ(c.reports, reports_);
    ASSERT_EQ(c.reports, applied_ + duplicates_ + unknown_ + ignored_);
    ASSERT_EQ(c.duplicate_exec_ids, duplicates_);
    ASSERT_EQ(c.unknown_order_reports, unknown_);
    ASSERT_EQ(c.fills, fills_);
    ASSERT_EQ(c.overfills, overfills_);
    ASSERT_EQ(c.fills_before_ack, fills_before_ack_);
    // Ignored outcomes are counted as ignored or late; late fills are applied but counted late.
    ASSERT_EQ(c.ignored_reports + c.late_reports, ignored_ + late_fills_);
    ASSERT_EQ(c.orders, expected_orders_);
    ASSERT_EQ(oms_.size(), expected_orders_);
  }

  // Resolves every pending change and cancels what is left: nothing may stay open.
  void Drain() {
    for (int round = 0; round < 3; ++round) {
      const std::vector<OrderId> open(oms_.open_orders().begin(), oms_.open_orders().end());
      for (OrderId id : open) {
        before_ = Snap();
        const Order& o = Get(id);
        if (o.state == OrderState::kPendingReplace) {
          Send(Report(o.replaced_by, ExecType::kCancelRejected, id));
        } else {
          Send(Report(id, ExecType::kCanceled));
        }
        CheckInvariants();
        if (::testing::Test::HasFailure()) return;
      }
    }
    EXPECT_TRUE(oms_.open_orders().empty());
    for (size_t i = 0; i < oms_.size(); ++i) {
      EXPECT_FALSE(Get(oms_.first_id() + i).is_open()) << "order " << oms_.first_id() + i;
    }
  }

  Random rng_;
  OrderManager oms_{1, kCapacity};
  Timestamp now_ = 1'000'000'000;
  ExecId next_exec_id_ = 1;

  std::vector<Snapshot> before_;
  std::vector<Quantity> expected_filled_;     // by id - first id
  std::vector<Quantity> late_after_replace_;  // fills booked on an order after it was replaced
  std::vector<ExecutionReport> sent_;
  Quantity total_filled_;
  Quantity stray_filled_;
  uint64_t expected_orders_ = 0;
  uint64_t reports_ = 0, applied_ = 0, duplicates_ = 0, unknown_ = 0, ignored_ = 0;
  uint64_t fills_ = 0, late_fills_ = 0, fills_before_ack_ = 0, overfills_ = 0;
  RunStats stats_;
};

class OrderManagerPropertyTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(OrderManagerPropertyTest, InvariantsHoldUnderRandomVenueBehaviour) {
  OmsPropertyRun run(GetParam());
  run.Run();
}

INSTANTIATE_TEST_SUITE_P(Seeds, OrderManagerPropertyTest, ::testing::Range<uint64_t>(1, 51));

// The properties prove little unless the generator reaches the paths they guard.
TEST(OrderManagerPropertyCoverageTest, GeneratorReachesEveryMisbehaviourAndReplacePath) {
  RunStats total;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    OmsPropertyRun run(seed);
    run.Run();
    if (HasFailure()) return;
    const RunStats s = run.stats();
    total.counters.fills += s.counters.fills;
    total.counters.duplicate_exec_ids += s.counters.duplicate_exec_ids;
    total.counters.unknown_order_reports += s.counters.unknown_order_reports;
    total.counters.overfills += s.counters.overfills;
    total.counters.fills_before_ack += s.counters.fills_before_ack;
    total.counters.late_reports += s.counters.late_reports;
    total.counters.ignored_reports += s.counters.ignored_reports;
    total.confirmed_replaces += s.confirmed_replaces;
    total.refused_replaces += s.refused_replaces;
    total.fills_after_replace += s.fills_after_replace;
  }
  EXPECT_GT(total.counters.fills, 0u);
  EXPECT_GT(total.counters.duplicate_exec_ids, 0u);
  EXPECT_GT(total.counters.unknown_order_reports, 0u);
  EXPECT_GT(total.counters.overfills, 0u);
  EXPECT_GT(total.counters.fills_before_ack, 0u);
  EXPECT_GT(total.counters.late_reports, 0u);
  EXPECT_GT(total.counters.ignored_reports, 0u);
  EXPECT_GT(total.confirmed_replaces, 0u);
  EXPECT_GT(total.refused_replaces, 0u);
  EXPECT_GT(total.fills_after_replace, 0u);
}

}  // namespace
}  // namespace guiju
