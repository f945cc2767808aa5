#include "apps/guiju/thread_setup.hpp"

#include <algorithm>
#include <string>

#include "core/config/config_error.hpp"
#include "core/logging/log.hpp"
#include "core/service/thread_placement.hpp"

namespace guiju {

void check_thread_placement(const EngineConfig& config) {
  const std::vector<int> allowed = allowed_cpus();
  auto check = [&](const char* role, const ThreadPlacementConfig& p) {
    for (const int c : p.cpus) {
      if (std::binary_search(allowed.begin(), allowed.end(), c)) continue;
      throw ConfigError(config.source_file, p.line, 0, std::string("threads.") + role + ".cpu",
                        "CPU " + std::to_string(c) +
                            " is outside this process's CPU affinity (allowed: " +
                            cpu_list(allowed) + "; taskset or systemd's CPUAffinity= sets it)");
    }
  };
  check("engine", config.threads.engine);
  check("journal", config.threads.journal);
  check("fix", config.threads.fix);
  check("inference", config.threads.inference);
}

void place_engine_thread(const EngineConfig& config) {
  const std::string error =
      place_thread(current_thread_id(), "guiju-engine", config.threads.engine.cpus);
  if (!error.empty()) {
    log().error("threads.engine (line {}): {}", config.threads.engine.line, error);
  } else if (!config.threads.engine.cpus.empty()) {
    log().info("engine thread pinned to CPU {}", cpu_list(config.threads.engine.cpus));
  }
}

NewThreads::NewThreads() : before_(thread_ids()) {}

void NewThreads::place(std::string_view name, std::string_view role,
                       const ThreadPlacementConfig& placement) const {
  const std::string error = place_new_threads(before_, name, placement.cpus);
  if (!error.empty()) {
    log().error("threads.{} (line {}): {}", role, placement.line, error);
  } else if (!placement.cpus.empty()) {
    log().info("{} threads pinned to CPU {}", name, cpu_list(placement.cpus));
  }
}

}  // namespace guiju
