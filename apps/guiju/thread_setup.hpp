#pragma once
// The config's `threads` section applied to `guiju run`: each component's threads named, and
// pinned where the config says (core/service/thread_placement.hpp).

#include <sys/types.h>

#include <string_view>
#include <vector>

#include "core/config/engine_config.hpp"

namespace guiju {

// Throws ConfigError naming the key and line of a CPU the process may not run on (its affinity
// mask, set by taskset or systemd's CPUAffinity=, excludes it): checked before any thread is
// pinned, since a pinned thread's mask is inherited by the threads it starts.
void check_thread_placement(const EngineConfig& config);

// Names the calling thread guiju-engine and pins it per threads.engine; a failure is logged.
// Call it after every other thread is started: those started later would inherit the pin.
void place_engine_thread(const EngineConfig& config);

// The threads a component starts: construct before starting it, place() after.
class NewThreads {
 public:
  NewThreads();
  // Names the threads started since construction and pins them per `placement`; a failure is
  // logged with the config key (`role`: threads.ROLE).
  void place(std::string_view name, std::string_view role,
             const ThreadPlacementConfig& placement) const;

 private:
  std::vector<pid_t> before_;
};

}  // namespace guiju
