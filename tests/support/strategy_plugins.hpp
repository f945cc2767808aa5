#pragma once
// The sample strategy plugins this build made (strategies/), and the purpose-built test plugins
// (tests/plugins/), loaded the way the engine loads them.

#include <filesystem>
#include <memory>
#include <string>

#include "core/config/strategy_parameters.hpp"
#include "core/plugin/plugin_strategy.hpp"

namespace guiju::test {

inline std::filesystem::path sample_strategy_dir() {
  return GUIJU_STRATEGY_DIR;
}
inline std::filesystem::path test_plugin_dir() {
  return GUIJU_TEST_PLUGIN_DIR;
}

// A sample strategy ("mean_reversion.so") with these parameters.
inline std::unique_ptr<PluginStrategy> sample_strategy(const std::string& file,
                                                       const StrategyParameters& parameters) {
  PluginLoadOptions options;
  options.directories = {sample_strategy_dir()};
  return std::make_unique<PluginStrategy>(PluginLibrary::open(file, options), parameters);
}

}  // namespace guiju::test
