#pragma once
// The end-of-run summary printed by `guiju run`: what went through the engine and what it earned.

#include <ostream>

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
};

void print_run_summary(std::ostream& out, const Engine& engine, const RunFacts& facts);

}  // namespace guiju
