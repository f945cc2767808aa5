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

// The strategy's type and the SHA-256 of its parameters as sorted "key=value" lines: the same
// settings always give the same hash, whatever their order in the file.
StrategyIdentity identity_of(const StrategyConfig& s);

// Adds the config's accounts and strategies (built-in types) to the engine.
void add_accounts_and_strategies(Engine& engine, const EngineConfig& config,
                                 const InstrumentRegistry& registry);

}  // namespace guiju
