#include "apps/guiju/run_summary.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "core/clock/calendar.hpp"

namespace guiju {

namespace {

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}
// Right-aligned, and never touching the column before it.
std::string lpad(const std::string& s, size_t width) {
  return s.size() >= width ? " " + s : std::string(width - s.size(), ' ') + s;
}

}  // namespace

namespace {

// What a strategy developer reads a backtest by: risk and return, and how the orders fared.
void add_performance(std::vector<SummaryRow>& rows, const Engine& engine,
                     const PerformanceReport& p) {
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
                "max drawdown %.2f, peak exposure %.2f, return on it %.3f%%, Sharpe %.2f "
                "(1-minute PnL, annualized)",
                p.max_drawdown, p.peak_exposure, 100.0 * p.return_on_exposure, p.sharpe);
  rows.push_back({"performance", line});
  std::snprintf(line, sizeof line,
                "turnover %.1fx peak exposure, fill ratio %.3f (filled / ordered quantity), %.2f "
                "order messages per fill",
                p.turnover, ordered.is_positive() ? filled.to_double() / ordered.to_double() : 0.0,
                c.fills > 0 ? static_cast<double>(messages) / static_cast<double>(c.fills) : 0.0);
  rows.push_back({"activity", line});
  std::snprintf(line, sizeof line, "%llu orders waited for their first fill, %.3f s on average",
                static_cast<unsigned long long>(waits),
                waits > 0 ? waited_ns / static_cast<double>(waits) / 1e9 : 0.0);
  rows.push_back({"queue", line});
}

void print_rows(std::ostream& out, const std::vector<SummaryRow>& rows) {
  for (const SummaryRow& r : rows) out << pad(r.label, 17) << r.value << "\n";
}

}  // namespace

std::vector<SummaryRow> activity_rows(const Engine& engine, const RunFacts& facts,
                                      bool with_wall_clock) {
  const EngineCounters& c = engine.counters();
  const OmsCounters& oms = engine.orders().counters();
  const uint64_t events = c.total_events_in();
  auto count = [&](EventType t) { return std::to_string(c.events_in[static_cast<size_t>(t)]); };
  std::vector<SummaryRow> rows;
  if (facts.first_event != 0) {
    rows.push_back(
        {"market time", format_utc(facts.first_event) + " .. " + format_utc(facts.last_event)});
  }
  rows.push_back({"events", std::to_string(events) + " (" + count(EventType::kQuote) + " quotes, " +
                                count(EventType::kBookUpdate) + " book updates, " +
                                count(EventType::kTrade) + " trades, " +
                                count(EventType::kExecutionReport) + " execution reports)"});
  if (with_wall_clock) {
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.3f s wall, %.0f events/s", facts.wall_seconds,
                  facts.wall_seconds > 0 ? static_cast<double>(events) / facts.wall_seconds : 0.0);
    rows.push_back({"throughput", rate});
  }
  rows.push_back({"orders", std::to_string(c.orders_sent) + " sent, " +
                                std::to_string(c.replaces_sent) + " replaces, " +
                                std::to_string(c.cancels_sent) + " cancels, " +
                                std::to_string(c.local_rejects) + " refused before sending (" +
                                std::to_string(c.risk_rejects) + " by risk)"});
  rows.push_back({"fills", std::to_string(c.fills) + " (" + std::to_string(oms.fills_before_ack) +
                               " before ack, " + std::to_string(oms.duplicate_exec_ids) +
                               " duplicate exec ids ignored, " +
                               std::to_string(oms.unknown_order_reports) + " for unknown orders, " +
                               std::to_string(oms.overfills) + " overfills)"});
  if (oms.reconciled_fills != 0 || oms.reconciled_duplicates != 0) {
    rows.push_back({"reconciled", std::to_string(oms.reconciled_fills) +
                                      " fills booked from status answers, " +
                                      std::to_string(oms.reconciled_duplicates) +
                                      " later executions already booked by them"});
  }
  rows.push_back({"timers fired", std::to_string(c.timers_fired)});
  if (!facts.signals.empty()) rows.push_back({"signals", facts.signals});
  if (c.strategy_errors != 0) {
    rows.push_back({"strategy errors", std::to_string(c.strategy_errors) + " (quarantined)"});
  }
  // Strategies that needed attention: quarantined, or callbacks over their time budget.
  for (size_t i = 0; i < engine.strategy_count(); ++i) {
    const auto id = static_cast<StrategyId>(i);
    const StrategyStats stats = engine.strategy_stats(id);
    const bool quarantined = engine.strategy_quarantined(id);
    // Overruns are wall-clock figures: not in a report that must repeat byte for byte.
    const bool overran = with_wall_clock && stats.callback_overruns != 0;
    if (!quarantined && !overran) continue;
    std::string value = engine.strategy_name(id) + ": " +
                        (quarantined ? "quarantined (" + stats.quarantine_reason + ")" : "running");
    if (overran) {
      value += ", " + std::to_string(stats.callback_overruns) +
               " callbacks over the time budget (slowest " +
               std::to_string(stats.slowest_overrun / kMicrosecond) + " us)";
    }
    rows.push_back({"strategy", value});
  }
  return rows;
}

std::vector<SummaryRow> result_rows(const Engine& engine, const RunFacts& facts) {
  std::vector<SummaryRow> rows;
  const PnlSummary pnl = engine.portfolio().pnl();
  rows.push_back({"pnl", "realized " + pnl.realized.rounded_to(2).to_string() + ", unrealized " +
                             pnl.unrealized.rounded_to(2).to_string() + ", fees " +
                             pnl.fees.to_string() + ", net " +
                             pnl.net().rounded_to(2).to_string()});
  if (facts.performance) add_performance(rows, engine, *facts.performance);
  rows.push_back(
      {"open orders", std::to_string(engine.orders().open_orders().size()) + " at exit"});
  return rows;
}

void print_run_summary(std::ostream& out, const Engine& engine, const RunFacts& facts) {
  out << "\n=== guiju run summary (" << facts.mode << ") ===\n";
  print_rows(out, activity_rows(engine, facts, true));

  out << "\npositions\n";
  // Name columns as wide as their longest entry, so the table stays readable and splits on
  // whitespace.
  size_t account_width = 10, strategy_width = 16;
  for (const Position& p : engine.portfolio().positions()) {
    account_width = std::max(account_width, engine.account_name(p.account).size() + 2);
    strategy_width = std::max(strategy_width, engine.strategy_name(p.strategy).size() + 2);
  }
  out << "  " << pad("account", account_width) << pad("strategy", strategy_width)
      << pad("symbol", 10) << lpad("qty", 10) << lpad("avg cost", 12) << lpad("mark", 12)
      << lpad("realized", 14) << lpad("unrealized", 14) << lpad("fees", 12) << "\n";
  for (const Position& p : engine.portfolio().positions()) {
    const Price mark = engine.portfolio().mark(p.instrument);
    out << "  " << pad(engine.account_name(p.account), account_width)
        << pad(engine.strategy_name(p.strategy), strategy_width)
        << pad(engine.instruments().get(p.instrument).symbol, 10)
        << lpad(p.quantity.to_string(), 10) << lpad(p.average_cost().to_string(), 12)
        << lpad(mark.to_string(), 12) << lpad(p.realized_pnl.rounded_to(2).to_string(), 14)
        << lpad(p.unrealized_pnl(mark).rounded_to(2).to_string(), 14)
        << lpad(p.fees.to_string(), 12) << "\n";
  }
  out << "\n";
  print_rows(out, result_rows(engine, facts));
  if (!facts.journal_directory.empty()) {
    out << "audit journal    " << facts.journal_directory << ", durable through sequence "
        << facts.journal_durable;
    if (!facts.journal_failure.empty()) out << " (FAILED: " << facts.journal_failure << ")";
    out << "\n";
  }
  if (!facts.report_path.empty()) out << "report           " << facts.report_path << "\n";
}

}  // namespace guiju
