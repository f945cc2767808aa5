#include "apps/guiju/run_summary.hpp"

#include <cstdio>
#include <string>

#include "core/clock/calendar.hpp"

namespace guiju {

namespace {

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}
std::string lpad(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

}  // namespace

namespace {

// What a strategy developer reads a backtest by: risk and return, and how the orders fared.
void print_performance(std::ostream& out, const Engine& engine, const PerformanceReport& p) {
  Quantity ordered;
  Quantity filled;
  // The wait in the queue: from acknowledgement to first fill, over orders that rested first.
  double waited_ns = 0;
  uint64_t waits = 0;
  const OrderManager& oms = engine.orders();
  for (OrderId id = oms.first_id(); id < oms.first_id() + oms.size(); ++id) {
    const Order& o = *oms.find(id);
    if (o.first_fill > o.acked && o.acked != 0) {
      waited_ns += static_cast<double>(o.first_fill - o.acked);
      ++waits;
    }
    if (o.replaces != kNoOrder) continue;  // a replacement's quantity is its original's
    ordered += o.quantity;
  }
  for (const Position& pos : engine.portfolio().positions()) filled += pos.bought + pos.sold;
  const EngineCounters& c = engine.counters();
  const uint64_t messages = c.orders_sent + c.cancels_sent + c.replaces_sent;
  char line[256];
  std::snprintf(line, sizeof line,
                "performance      max drawdown %.2f, peak exposure %.2f, return on it %.3f%%, "
                "Sharpe %.2f (1-minute PnL, annualized)\n",
                p.max_drawdown, p.peak_exposure, 100.0 * p.return_on_exposure, p.sharpe);
  out << line;
  std::snprintf(line, sizeof line,
                "activity         turnover %.1fx peak exposure, fill ratio %.3f (filled / "
                "ordered quantity), %.2f order messages per fill\n",
                p.turnover, ordered.is_positive() ? filled.to_double() / ordered.to_double() : 0.0,
                c.fills > 0 ? static_cast<double>(messages) / static_cast<double>(c.fills) : 0.0);
  out << line;
  std::snprintf(line, sizeof line,
                "queue            %llu orders waited for their first fill, %.3f s on average\n",
                static_cast<unsigned long long>(waits),
                waits > 0 ? waited_ns / static_cast<double>(waits) / 1e9 : 0.0);
  out << line;
}

}  // namespace

void print_run_summary(std::ostream& out, const Engine& engine, const RunFacts& facts) {
  const EngineCounters& c = engine.counters();
  const OmsCounters& oms = engine.orders().counters();
  const uint64_t events = c.total_events_in();
  auto count = [&](EventType t) { return c.events_in[static_cast<size_t>(t)]; };

  out << "\n=== guiju run summary (" << facts.mode << ") ===\n";
  if (facts.first_event != 0) {
    out << "market time      " << format_utc(facts.first_event) << " .. "
        << format_utc(facts.last_event) << "\n";
  }
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.3f s wall, %.0f events/s", facts.wall_seconds,
                facts.wall_seconds > 0 ? static_cast<double>(events) / facts.wall_seconds : 0.0);
  out << "events           " << events << " (" << count(EventType::kQuote) << " quotes, "
      << count(EventType::kBookUpdate) << " book updates, " << count(EventType::kTrade)
      << " trades, " << count(EventType::kExecutionReport) << " execution reports)\n";
  out << "throughput       " << rate << "\n";
  out << "orders           " << c.orders_sent << " sent, " << c.replaces_sent << " replaces, "
      << c.cancels_sent << " cancels, " << c.local_rejects << " refused before sending ("
      << c.risk_rejects << " by risk)\n";
  out << "fills            " << c.fills << " (" << oms.fills_before_ack << " before ack, "
      << oms.duplicate_exec_ids << " duplicate exec ids ignored, " << oms.unknown_order_reports
      << " for unknown orders, " << oms.overfills << " overfills)\n";
  out << "timers fired     " << c.timers_fired << "\n";
  if (c.strategy_errors != 0) out << "strategy errors  " << c.strategy_errors << " (quarantined)\n";
  // Strategies that needed attention: quarantined, or callbacks over their time budget.
  for (size_t i = 0; i < engine.strategy_count(); ++i) {
    const auto id = static_cast<StrategyId>(i);
    const StrategyStats stats = engine.strategy_stats(id);
    const bool quarantined = engine.strategy_quarantined(id);
    if (!quarantined && stats.callback_overruns == 0) continue;
    out << "strategy         " << engine.strategy_name(id) << ": "
        << (quarantined ? "quarantined (" + stats.quarantine_reason + ")" : "running");
    if (stats.callback_overruns != 0) {
      out << ", " << stats.callback_overruns << " callbacks over the time budget (slowest "
          << stats.slowest_overrun / kMicrosecond << " us)";
    }
    out << "\n";
  }

  out << "\npositions\n";
  out << "  " << pad("account", 10) << pad("strategy", 16) << pad("symbol", 10) << lpad("qty", 10)
      << lpad("avg cost", 12) << lpad("mark", 12) << lpad("realized", 14) << lpad("unrealized", 14)
      << lpad("fees", 12) << "\n";
  for (const Position& p : engine.portfolio().positions()) {
    const Price mark = engine.portfolio().mark(p.instrument);
    out << "  " << pad(engine.account_name(p.account), 10)
        << pad(engine.strategy_name(p.strategy), 16)
        << pad(engine.instruments().get(p.instrument).symbol, 10)
        << lpad(p.quantity.to_string(), 10) << lpad(p.average_cost().to_string(), 12)
        << lpad(mark.to_string(), 12) << lpad(p.realized_pnl.rounded_to(2).to_string(), 14)
        << lpad(p.unrealized_pnl(mark).rounded_to(2).to_string(), 14)
        << lpad(p.fees.to_string(), 12) << "\n";
  }
  const PnlSummary pnl = engine.portfolio().pnl();
  out << "\npnl              realized " << pnl.realized.rounded_to(2).to_string() << ", unrealized "
      << pnl.unrealized.rounded_to(2).to_string() << ", fees " << pnl.fees.to_string() << ", net "
      << pnl.net().rounded_to(2).to_string() << "\n";
  if (facts.performance) print_performance(out, engine, *facts.performance);
  out << "open orders      " << engine.orders().open_orders().size() << " at exit\n";
  if (!facts.journal_directory.empty()) {
    out << "audit journal    " << facts.journal_directory << ", durable through sequence "
        << facts.journal_durable;
    if (!facts.journal_failure.empty()) out << " (FAILED: " << facts.journal_failure << ")";
    out << "\n";
  }
}

}  // namespace guiju
