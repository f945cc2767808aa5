#include "core/strategy/builtin/builtin_strategies.hpp"

#include "core/config/config_error.hpp"
#include "core/strategy/builtin/mean_reversion.hpp"

namespace guiju {

std::vector<std::string> builtin_strategy_types() {
  return {"mean_reversion"};
}

std::unique_ptr<Strategy> make_builtin_strategy(const StrategyConfig& config,
                                                const std::string& config_file) {
  if (config.type == "mean_reversion") {
    return std::make_unique<MeanReversionStrategy>(MeanReversionParams::from(config.parameters));
  }
  std::string known;
  for (const std::string& t : builtin_strategy_types()) known += (known.empty() ? "" : ", ") + t;
  throw ConfigError(config_file, config.line, 1, "strategy '" + config.name + "' type",
                    "unknown strategy type '" + config.type + "' (built-in types: " + known + ")");
}

}  // namespace guiju
