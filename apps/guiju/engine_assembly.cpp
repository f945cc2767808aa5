#include "apps/guiju/engine_assembly.hpp"

#include <algorithm>
#include <span>
#include <string>

#include "core/journal/chain_hash.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "guiju/version.hpp"

namespace guiju {

InstrumentRegistry build_registry(const EngineConfig& config) {
  InstrumentRegistry registry;
  for (const Instrument& i : config.instruments) registry.add(i);
  return registry;
}

EngineOptions engine_options(const EngineConfig& config) {
  EngineOptions o;
  o.max_orders = config.engine.max_orders;
  o.order_ring_capacity = config.engine.order_ring_capacity;
  o.order_ring_policy = config.engine.order_ring_policy;
  o.callback_budget = static_cast<Duration>(config.engine.callback_budget_us) * kMicrosecond;
  o.callback_overrun_limit = config.engine.callback_overrun_limit;
  o.session.mode = std::string(to_string(config.mode));
  o.session.trading_date = config.trading_date;
  o.session.software = std::string("guiju ") + kVersion;
  o.session.config_path = config.source_file;
  o.session.config_hash = journal::sha256_file(config.source_file);
  return o;
}

void add_accounts_and_strategies(Engine& engine, const EngineConfig& config,
                                 const InstrumentRegistry& registry) {
  PluginLoader plugins(config.plugins, config.source_file, registry);
  for (const AccountConfig& a : config.accounts) engine.add_account({a.name, a.fees});
  for (const StrategyConfig& s : config.strategies) {
    AccountId account = 0;
    for (size_t i = 0; i < config.accounts.size(); ++i) {
      if (config.accounts[i].name == s.account) account = static_cast<AccountId>(i);
    }
    std::vector<InstrumentId> ids;
    for (const std::string& symbol : s.instruments) ids.push_back(*registry.id_of(symbol));
    LoadedStrategy loaded = plugins.load(s);
    engine.add_strategy(s.name, account, ids, std::move(loaded.strategy),
                        std::move(loaded.identity));
  }
}

}  // namespace guiju
