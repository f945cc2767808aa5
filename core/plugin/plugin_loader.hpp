#pragma once
// Strategies from the config: each entry's plugin opened (once per file, however many
// strategies use it), checked against its pin and declared type, and created with the entry's
// parameters. Every refusal is a ConfigError naming the config file, the strategy and what was
// wrong.

#include <map>
#include <memory>
#include <string>

#include "core/config/engine_config.hpp"
#include "core/engine/engine.hpp"
#include "core/plugin/plugin_strategy.hpp"

namespace guiju {

struct LoadedStrategy {
  std::unique_ptr<PluginStrategy> strategy;
  StrategyIdentity identity;  // type, parameter hash, plugin path, file hash, ABI, version
};

class PluginLoader {
 public:
  PluginLoader(PluginsConfig plugins, std::string config_file)
      : plugins_(std::move(plugins)), config_file_(std::move(config_file)) {}

  LoadedStrategy load(const StrategyConfig& strategy);

 private:
  PluginsConfig plugins_;
  std::string config_file_;
  std::map<std::string, std::shared_ptr<PluginLibrary>> open_;  // by the config's plugin name
};

// The SHA-256 of a strategy's parameters as sorted "key=value" lines: the same settings always
// give the same hash, whatever their order in the file.
std::array<uint8_t, 32> parameters_hash(const StrategyParameters& parameters);

}  // namespace guiju
