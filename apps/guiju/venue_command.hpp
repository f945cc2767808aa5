#pragma once
// `guiju venue --config FILE`: the FIX exchange simulator (adapters/fix/fix_venue.hpp), from a
// config with instruments, a background market (data or synthetic), venue rules and a fix section
// naming the QuickFIX acceptor settings.

#include <string>

namespace guiju {

struct VenueArguments {
  std::string config_path;
  double duration_seconds = 0;  // 0: the config's paper.duration_seconds, else until a signal
  bool quiet = false;
  std::string trade_log_path;  // --trade-log: every member execution as CSV
};

// 0 after a clean stop (SIGINT, SIGTERM or the duration), 2 for a bad config, 1 for a failure.
int venue_command(const VenueArguments& args);

}  // namespace guiju
