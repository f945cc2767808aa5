#include "apps/guiju/dropcopy_feed.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "core/logging/log.hpp"

namespace guiju {

std::unique_ptr<dropcopy::Publisher> open_dropcopy(const EngineConfig& config,
                                                   const InstrumentRegistry& registry) {
  if (!config.dropcopy.enabled) return nullptr;
  std::vector<std::string> accounts;
  for (const AccountConfig& a : config.accounts) accounts.push_back(a.name);
  dropcopy::PublisherOptions options;
  options.endpoint = config.dropcopy.publish;
  options.high_water_mark = static_cast<int>(config.dropcopy.high_water_mark);
  std::unique_ptr<dropcopy::Publisher> publisher;
  try {
    publisher = std::make_unique<dropcopy::Publisher>(
        options, dropcopy::FeedRenderer(registry, std::move(accounts)));
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string(e.what()) + " (dropcopy.publish, " + config.source_file +
                             " line " + std::to_string(config.dropcopy.line) + ")");
  }
  log().info("drop-copy feed: publishing on {} (high-water mark {} messages per subscriber)",
             publisher->endpoint(), config.dropcopy.high_water_mark);
  return publisher;
}

void log_dropcopy_totals(const dropcopy::Publisher* publisher) {
  if (publisher == nullptr) return;
  log().info("drop-copy feed {}: {} messages published, {} not sent", publisher->endpoint(),
             publisher->published(), publisher->failed());
}

}  // namespace guiju
