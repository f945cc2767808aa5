#pragma once
// Building the engine's parts from a config: one place for every command that runs an engine
// (`guiju run`, the re-run), so they cannot build it differently.

#include "core/config/engine_config.hpp"
#include "core/engine/engine.hpp"

namespace guiju {

InstrumentRegistry build_registry(const EngineConfig& config);

// The engine's options from the config, with the session identity it journals: mode, trading
// date, this build's version and the SHA-256 of the config file's bytes.
EngineOptions engine_options(const EngineConfig& config);

// Adds the config's accounts and strategies (each from its plugin) to the engine. Throws
// ConfigError naming the strategy when its plugin is refused.
void add_accounts_and_strategies(Engine& engine, const EngineConfig& config,
                                 const InstrumentRegistry& registry);

}  // namespace guiju
