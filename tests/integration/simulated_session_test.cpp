// SimulatedSession (adapters/sim/simulated_session.hpp) wired as `guiju run` wires replay mode:
// SyntheticMarket -> SimulatedVenue + Engine running the mean_reversion sample plugin on a
// SimulatedClock. A run trades; two runs with the same seed are identical (counters, every order
// the engine sent and how it ended, positions and PnL); afterwards nothing is open, and every
// position equals the fills of its orders.

#include "adapters/sim/simulated_session.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/replay/synthetic_market.hpp"
#include "adapters/sim/simulated_venue.hpp"
#include "core/engine/engine.hpp"
#include "core/risk/order_size_limits.hpp"
#include "tests/support/strategy_plugins.hpp"

namespace guiju {
namespace {

constexpr const char* kDate = "20261127";

Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}
Price Px(std::string_view text) {
  return *Price::parse(text);
}
Money Cash(std::string_view text) {
  return *Money::parse(text);
}
Rate R(std::string_view text) {
  return *Rate::parse(text);
}

InstrumentRegistry TwoInstruments() {
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
  b.symbol = "300750";
  b.venue = "SZSE";
  b.board = Board::kChiNext;
  b.previous_close = Px("180.00");
  r.add(b);
  return r;
}

StrategyParameters Params() {
  StrategyParameters p("test", "mr", 1);
  p.add({"lookback", "16", 2, 5});
  p.add({"entry_bps", "3", 3, 5});
  p.add({"exit_bps", "2", 4, 5});
  p.add({"max_position_lots", "5", 5, 5});
  p.add({"order_timeout_ms", "60000", 6, 5});
  return p;
}

// A replacement the original never gave way to (refused, or overtaken by the original finishing)
// holds only a copy of the original's progress.
bool IsUnconfirmedReplacement(const OrderManager& oms, const Order& o) {
  if (o.replaces == kNoOrder) return false;
  const Order* original = oms.find(o.replaces);
  return original == nullptr ||
         !(original->state == OrderState::kReplaced && original->replaced_by == o.id);
}

std::string Describe(const Order& o) {
  std::ostringstream s;
  s << o.id << ' ' << o.client_order_id.view() << " replaces=" << o.replaces
    << " by=" << o.replaced_by << " inst=" << o.instrument << ' ' << to_string(o.side) << ' '
    << to_string(o.type) << ' ' << to_string(o.tif) << ' ' << to_string(o.state)
    << " px=" << o.price.to_string() << " qty=" << o.quantity.to_string()
    << " filled=" << o.filled.to_string() << " notional=" << o.filled_notional.to_string()
    << " commission=" << o.commission_charged.to_string() << " created=" << o.created
    << " acked=" << o.acked << " updated=" << o.last_update
    << " awaiting=" << o.awaiting_replace_confirm << " overfilled=" << o.overfilled;
  return s.str();
}

std::string Describe(const Position& p) {
  std::ostringstream s;
  s << p.account << '/' << p.strategy << '/' << p.instrument << " qty=" << p.quantity.to_string()
    << " basis=" << p.cost_basis.to_string() << " realized=" << p.realized_pnl.to_string()
    << " fees=" << p.fees.to_string() << " bought=" << p.bought.to_string()
    << " sold=" << p.sold.to_string() << " fills=" << p.fills;
  return s.str();
}

// Everything a run leaves behind that must repeat exactly for the same seed.
struct RunRecord {
  ReplayStats stats;
  std::string engine_counters;
  std::string oms_counters;
  std::vector<std::string> orders;
  std::vector<std::string> positions;
  std::string pnl;
  uint64_t venue_fills = 0;
};

// The first index at which two lists differ, and both sides there (for a readable failure).
std::string FirstDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return "entry " + std::to_string(i) + ":\n  " + a[i] + "\n  " + b[i];
  }
  if (a.size() != b.size()) {
    return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size());
  }
  return "none";
}

// Runs one replay session, checks what must hold after any run, and records the outcome.
RunRecord RunSession(uint64_t seed, ReplayLatency latency = {},
                     FillModel model = FillModel::kTouch) {
  RunRecord record;
  const InstrumentRegistry registry = TwoInstruments();
  SimulatedClock clock;
  ClientOrderIdAllocator ids("S", kDate);
  EngineOptions options;
  options.max_orders = 1 << 17;
  options.order_ring_capacity = 1 << 12;
  Engine engine(registry, clock, ids, options);

  FeeSchedule fees;
  fees.commission_rate = R("0.00025");
  fees.min_commission = Cash("5");
  fees.stamp_duty_rate = R("0.0005");
  fees.transfer_fee_rate = R("0.00001");
  const AccountId account = engine.add_account({"main", fees});
  const StrategyId strategy = engine.add_strategy(
      "mr", account, {0, 1}, test::sample_strategy("mean_reversion.so", Params()));
  RiskLimits limits(1, registry.size());
  limits.set_every_account(LimitKey::kMaxOrderQuantity, Qty(100'000).raw());
  limits.set_every_account(LimitKey::kMaxOrderValue, static_cast<int64_t>(Cash("10000000").raw()));
  OrderSizeCheck size_check(limits);
  engine.add_pre_trade_check(&size_check);

  SpscRing<EventSlot> reports(1 << 14, BackPressure::kFail, "venue-reports");
  VenueOptions venue_options;
  venue_options.fill_model = model;
  SimulatedVenue venue(registry, reports, venue_options);
  SyntheticMarketOptions market_options;
  market_options.seed = seed;
  market_options.quotes_per_second = 5;
  market_options.session_seconds = 3600;
  market_options.trading_date = kDate;
  SyntheticMarket market(registry, market_options);

  SimulatedSession session(engine, clock, venue, reports, latency);
  record.stats = session.run(market);
  record.venue_fills = venue.fills();

  // ---- what holds after every run ----
  const OrderManager& oms = engine.orders();
  const EngineCounters& c = engine.counters();
  EXPECT_GT(record.stats.market_events, 0u);
  EXPECT_TRUE(engine.stopping());
  EXPECT_EQ(c.strategy_errors, 0u);
  EXPECT_EQ(c.fills, venue.fills()) << "every venue fill reached the engine once";
  EXPECT_TRUE(oms.open_orders().empty()) << oms.open_orders().size() << " orders still open";
  EXPECT_EQ(venue.resting_count(), 0u) << "orders still resting at the venue";
  EXPECT_TRUE(reports.empty());
  EXPECT_TRUE(engine.order_ring().empty());

  // Every position is the sum of the fills of its orders: per (account, strategy, instrument),
  // signed filled quantity over the live end of every order's id chain.
  for (const Position& p : engine.portfolio().positions()) {
    SCOPED_TRACE(Describe(p));
    EXPECT_EQ(p.quantity, p.bought - p.sold);
    Quantity from_orders;
    Quantity bought;
    Quantity sold;
    for (OrderId id = oms.first_id(); id < oms.first_id() + oms.size(); ++id) {
      const Order& o = *oms.find(id);
      if (o.account != p.account || o.strategy != p.strategy || o.instrument != p.instrument ||
          o.state == OrderState::kReplaced || IsUnconfirmedReplacement(oms, o)) {
        continue;
      }
      (o.side == Side::kBuy ? bought : sold) += o.filled;
    }
    from_orders = bought - sold;
    EXPECT_EQ(p.quantity.raw(), from_orders.raw())
        << "position " << p.quantity.to_string() << " vs orders " << from_orders.to_string();
    EXPECT_EQ(p.bought.raw(), bought.raw());
    EXPECT_EQ(p.sold.raw(), sold.raw());
  }
  EXPECT_NE(engine.portfolio().find(account, strategy, 0), nullptr) << "no trade in 600000";
  // A new order's acknowledgement comes back no sooner than its round trip. (A refused
  // replacement keeps its original's times, so only orders that replace nothing are checked.)
  for (OrderId id = oms.first_id(); id < oms.first_id() + oms.size(); ++id) {
    const Order& o = *oms.find(id);
    if (o.acked != 0 && o.replaces == kNoOrder) {
      EXPECT_GE(o.acked - o.created, 2 * latency.order_entry) << Describe(o);
    }
  }

  // ---- the record ----
  std::ostringstream counters;
  for (uint64_t v : c.events_in) counters << v << ' ';
  counters << "| " << c.orders_sent << ' ' << c.cancels_sent << ' ' << c.replaces_sent << ' '
           << c.local_rejects << ' ' << c.risk_rejects << ' ' << c.ring_full_rejects << ' '
           << c.fills << ' ' << c.timers_fired << ' ' << c.strategy_errors << ' '
           << c.unroutable_events;
  record.engine_counters = counters.str();
  const OmsCounters& oc = oms.counters();
  std::ostringstream oms_counters;
  oms_counters << oc.orders << ' ' << oc.reports << ' ' << oc.fills << ' ' << oc.duplicate_exec_ids
               << ' ' << oc.unknown_order_reports << ' ' << oc.overfills << ' '
               << oc.fills_before_ack << ' ' << oc.late_reports << ' ' << oc.ignored_reports;
  record.oms_counters = oms_counters.str();
  for (OrderId id = oms.first_id(); id < oms.first_id() + oms.size(); ++id) {
    record.orders.push_back(Describe(*oms.find(id)));
  }
  for (const Position& p : engine.portfolio().positions()) {
    record.positions.push_back(Describe(p));
  }
  const PnlSummary pnl = engine.portfolio().pnl();
  record.pnl =
      pnl.realized.to_string() + ' ' + pnl.unrealized.to_string() + ' ' + pnl.fees.to_string();
  return record;
}

TEST(SimulatedSessionTest, ARunTradesAndLeavesNothingOpen) {
  const RunRecord r = RunSession(1);
  if (HasFailure()) return;
  EXPECT_GT(r.stats.market_events, 10'000u);
  EXPECT_GT(r.stats.venue_reports, 0u);
  EXPECT_GT(r.orders.size(), 10u) << "the strategy sent orders";
  EXPECT_GT(r.venue_fills, 0u) << "and some of them filled";
  EXPECT_FALSE(r.positions.empty());
  EXPECT_LT(r.stats.first_event, r.stats.last_event);
}

TEST(SimulatedSessionTest, TwoRunsWithTheSameSeedAreIdentical) {
  const RunRecord first = RunSession(42);
  const RunRecord second = RunSession(42);
  if (HasFailure()) return;
  EXPECT_EQ(first.stats.market_events, second.stats.market_events);
  EXPECT_EQ(first.stats.venue_reports, second.stats.venue_reports);
  EXPECT_EQ(first.stats.first_event, second.stats.first_event);
  EXPECT_EQ(first.stats.last_event, second.stats.last_event);
  EXPECT_EQ(first.engine_counters, second.engine_counters);
  EXPECT_EQ(first.oms_counters, second.oms_counters);
  EXPECT_EQ(first.venue_fills, second.venue_fills);
  EXPECT_TRUE(first.orders == second.orders)
      << "orders differ at " << FirstDifference(first.orders, second.orders);
  EXPECT_TRUE(first.positions == second.positions)
      << "positions differ at " << FirstDifference(first.positions, second.positions);
  EXPECT_EQ(first.pnl, second.pnl);
  EXPECT_GT(first.orders.size(), 0u);
}

TEST(SimulatedSessionTest, ADifferentSeedGivesADifferentRun) {
  const RunRecord a = RunSession(1);
  const RunRecord b = RunSession(2);
  if (HasFailure()) return;
  EXPECT_FALSE(a.orders == b.orders && a.pnl == b.pnl)
      << "the comparison above could not tell two different markets apart";
}

TEST(SimulatedSessionTest, WithLatenciesEverythingSettlesAndTheRunRepeats) {
  ReplayLatency latency;
  latency.market_data = 30 * kMillisecond;
  latency.order_entry = 20 * kMillisecond;
  const RunRecord first = RunSession(7, latency);
  const RunRecord second = RunSession(7, latency);
  EXPECT_EQ(first.orders, second.orders) << FirstDifference(first.orders, second.orders);
  EXPECT_EQ(first.positions, second.positions);
  EXPECT_EQ(first.pnl, second.pnl);
  // Seeing the market late and reaching it late changes what happens.
  const RunRecord instant = RunSession(7);
  EXPECT_NE(first.orders, instant.orders);
}

TEST(SimulatedSessionTest, TheQueueFillModelSettlesEverythingAndRepeats) {
  const RunRecord first = RunSession(9, {}, FillModel::kQueue);
  const RunRecord second = RunSession(9, {}, FillModel::kQueue);
  EXPECT_EQ(first.orders, second.orders) << FirstDifference(first.orders, second.orders);
  EXPECT_EQ(first.pnl, second.pnl);
  EXPECT_GT(first.venue_fills, 0u);
}

}  // namespace
}  // namespace guiju
