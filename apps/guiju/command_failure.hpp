#pragma once
// How every engine-running command ends on an exception: the logs flushed, one line on standard
// error saying what was wrong, and the exit code (2: the config; 1: the data or the run).

#include <optional>
#include <string>
#include <string_view>

#include "core/config/engine_config.hpp"

namespace guiju {

// The config a command runs from; nullopt after printing the error (file, line, key) when it
// cannot be loaded: the command then exits with 2.
std::optional<EngineConfig> load_config_for_command(const std::string& path);

// Call only from a catch block: rethrows the exception in flight to classify it.
int exit_code_for_failure(std::string_view command);

}  // namespace guiju
