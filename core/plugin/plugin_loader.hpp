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
#include "core/plugin/remote_strategy.hpp"

namespace guiju {

struct LoadedStrategy {
  std::unique_ptr<Strategy> strategy;  // a PluginStrategy, or a RemoteStrategy out of process
  StrategyIdentity identity;           // type, parameter hash, plugin path, file hash, ABI, version
};

class PluginLoader {
 public:
  // `host_executable`: the guiju binary that runs out-of-process strategies (strategy-host).
  PluginLoader(PluginsConfig plugins, std::string config_file,
               const InstrumentRegistry& instruments,
               std::string host_executable = "/proc/self/exe")
      : plugins_(std::move(plugins)),
        config_file_(std::move(config_file)),
        instruments_(instruments),
        host_executable_(std::move(host_executable)) {}

  LoadedStrategy load(const StrategyConfig& strategy);

 private:
  LoadedStrategy load_out_of_process(const StrategyConfig& strategy,
                                     const PluginLoadOptions& options);

  PluginsConfig plugins_;
  std::string config_file_;
  const InstrumentRegistry& instruments_;
  std::string host_executable_;
  std::map<std::string, std::shared_ptr<PluginLibrary>> open_;  // by the config's plugin name
};

// The SHA-256 of a strategy's parameters as sorted "key=value" lines: the same settings always
// give the same hash, whatever their order in the file.
std::array<uint8_t, 32> parameters_hash(const StrategyParameters& parameters);

}  // namespace guiju
