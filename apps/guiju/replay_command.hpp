#pragma once
// `guiju replay --config FILE [--data SRC]... [--from T] [--to T] [--speed max|1x|Nx]`: the
// engine on the simulated clock against the simulated venue, over recorded or synthetic market
// data; prints the summary and writes the self-contained HTML report.

#include <optional>
#include <string>
#include <vector>

#include "adapters/replay/replay_data.hpp"
#include "core/config/engine_config.hpp"
#include "core/journal/audit_sink.hpp"

namespace guiju {

struct ReplayArguments {
  std::string config_path;
  std::vector<std::string> data;  // FORMAT[:PATH]; replaces the config's sources
  std::string from;               // HH:MM[:SS[.fff]] local market time, or ISO-8601 UTC
  std::string to;
  std::string speed = "max";  // max, 1x, Nx
  std::string report;         // the HTML report; default reports/<config>-<date>.html
  bool no_report = false;
  bool quiet = false;
  bool progress = true;  // a progress bar on a terminal
};

// Returns the exit code: 0 on success, 2 for a bad config or argument, 1 for bad data or a
// failure while running.
int replay_command(const ReplayArguments& args);
// The same with the config already loaded (`guiju run` of a replay config).
int replay_configured(EngineConfig config, const ReplayArguments& args);

// One replay, resolved: what to read, which window, how fast, where the report goes.
struct ReplayPlan {
  std::vector<DataSourceSpec> data;
  Timestamp from = 0;  // 0: unbounded
  Timestamp to = 0;
  double speed = 0;    // 0: as fast as possible
  std::string report;  // empty: none
  bool quiet = false;
  bool progress = false;
  // A re-run: the engine journals into this sink instead of the config's audit journal, and
  // every source opened must have the SHA-256 recorded in the journal being re-run.
  journal::AuditSink* rerun_sink = nullptr;
  std::vector<DataSourceEvent> recorded_sources;
};

// Runs one replay of a loaded config and prints its summary (unless a re-run). Throws
// ConfigError, DataError and std::exception; the caller maps them to exit codes.
void run_replay(const EngineConfig& config, const ReplayPlan& plan);

}  // namespace guiju
