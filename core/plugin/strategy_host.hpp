#pragma once
// `guiju strategy-host`: the process side of an out-of-process strategy. It connects to the
// engine, receives the plugin to load and its parameters, loads it exactly as the engine would
// (same checks, same SHA-256), and then runs callbacks as the engine sends them, forwarding the
// strategy's host calls back. It exits when told to, or when the engine that started it is gone.

#include <string>

namespace guiju {

// Returns the process exit code: 0 after a Shutdown, 1 on a protocol or connection failure.
int run_strategy_host(const std::string& endpoint);

}  // namespace guiju
