#pragma once
// `guiju run --config FILE`: builds the engine and its components from a config and runs it.

#include <string>

namespace guiju {

struct RunArguments {
  std::string config_path;
  bool quiet = false;  // summary only, no log lines on the console
};

// Returns the process exit code: 0 on success, 2 for a bad config, 1 for a failure while running.
int run_command(const RunArguments& args);

}  // namespace guiju
