#pragma once
// Loads and validates an engine config from YAML. Validation is complete at load: a program never
// discovers a bad value half-way through a trading day. Every error is a ConfigError that names the
// file, the line and column, the key (as a path, e.g. "strategies[1].account") and what was
// expected. Unknown keys are errors too: a misspelt limit must not silently fall back to a default.

#include <string>

#include "core/config/config_error.hpp"
#include "core/config/engine_config.hpp"

namespace guiju {

EngineConfig load_engine_config(const std::string& path);
// For tests and tools: parse YAML text as if it came from `file_name`.
EngineConfig parse_engine_config(const std::string& yaml_text, const std::string& file_name);

}  // namespace guiju
