#pragma once
// The end-of-run summary printed by `guiju run`: what went through the engine and what it earned.

#include <ostream>
#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/portfolio/performance.hpp"

namespace guiju {

struct RunFacts {
  std::string mode;
  Timestamp first_event = 0;
  Timestamp last_event = 0;
  double wall_seconds = 0;
  std::string journal_directory;  // empty: no journal
  uint64_t journal_durable = 0;
  std::string journal_failure;
  std::optional<PerformanceReport> performance;  // replay: sampled on market time
  std::string report_path;                       // the HTML report written; empty: none
  std::string signals;  // what the signal backend counted (paper, live); empty: no row
};

// One line of the summary: "orders", "18298 sent, ...". The terminal and the HTML report show
// the same rows.
struct SummaryRow {
  std::string label;
  std::string value;
};

// What went through the engine. The throughput row (wall clock) only when asked: the HTML
// report of a replay must be the same bytes on every run.
std::vector<SummaryRow> activity_rows(const Engine& engine, const RunFacts& facts,
                                      bool with_wall_clock);
// What it earned: PnL, performance, activity, queue wait, open orders.
std::vector<SummaryRow> result_rows(const Engine& engine, const RunFacts& facts);

void print_run_summary(std::ostream& out, const Engine& engine, const RunFacts& facts);

}  // namespace guiju
