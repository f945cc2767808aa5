#pragma once
// Strategies compiled into the engine, by config type name.

#include <memory>
#include <string>
#include <vector>

#include "core/config/engine_config.hpp"
#include "core/strategy/strategy.hpp"

namespace guiju {

// The type names a config may use.
std::vector<std::string> builtin_strategy_types();

// Builds the strategy a config entry describes. Throws ConfigError naming the file, the strategy
// and the key for an unknown type or a bad parameter.
std::unique_ptr<Strategy> make_builtin_strategy(const StrategyConfig& config,
                                                const std::string& config_file);

}  // namespace guiju
