#pragma once
// Building the engine's parts from a config: one place for every command that runs an engine
// (`guiju run`, the re-run), so they cannot build it differently.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/replay/replay_data.hpp"
#include "adapters/replay/synthetic_market.hpp"
#include "adapters/sim/simulated_venue.hpp"
#include "core/config/engine_config.hpp"
#include "core/engine/engine.hpp"
#include "core/journal/journal_service.hpp"
#include "core/journal/journal_writer.hpp"
#include "core/risk/cancel_discipline_check.hpp"
#include "core/risk/loss_limit_check.hpp"
#include "core/risk/market_rules_check.hpp"
#include "core/risk/message_throttle.hpp"
#include "core/risk/order_limits_check.hpp"
#include "core/risk/order_size_limits.hpp"
#include "core/risk/repeated_execution_check.hpp"
#include "core/risk/self_trade_check.hpp"

namespace guiju {

InstrumentRegistry build_registry(const EngineConfig& config);

// The engine's options from the config, with the session identity it journals: mode, trading
// date, this build's version and the SHA-256 of the config file's bytes.
EngineOptions engine_options(const EngineConfig& config);

// Adds the config's accounts and strategies (each from its plugin) to the engine. Throws
// ConfigError naming the strategy when its plugin is refused.
void add_accounts_and_strategies(Engine& engine, const EngineConfig& config,
                                 const InstrumentRegistry& registry);

// The config's risk limits as a table by id. `risk:` sets every account's; a later setting of
// one limit wins, so an account's own `risk:` (read after) overrides the defaults. Accounts take
// their ids in config order; `strategy_id` names a strategy's (nullopt: not running, its limits
// are left out).
using StrategyIdOf = std::function<std::optional<StrategyId>(std::string_view name)>;
RiskLimits configured_risk_limits(const EngineConfig& config, const InstrumentRegistry& registry,
                                  const StrategyIdOf& strategy_id);

// The config's pre-trade checks, in their fixed order (docs/risk.md), added to the engine and
// owned here with the limits they read: the exchange's rules (with venue.market_rules: ashare),
// order size, the order limits, cancel discipline, self-trade prevention (with
// risk.self_trade), the order-message throttles, then the loss limit and the repeated-execution
// throttle (which act on fills and marks). Outlives the engine's run.
class RiskChecks {
 public:
  RiskChecks(Engine& engine, const EngineConfig& config);
  RiskChecks(const RiskChecks&) = delete;
  RiskChecks& operator=(const RiskChecks&) = delete;
  const MessageThrottle& throttle() const { return throttle_; }
  const RiskLimits& limits() const { return table_; }

 private:
  RiskLimits table_;  // read by the checks below, changed through the engine
  std::optional<MarketRulesCheck> rules_;
  OrderSizeCheck size_;
  OrderLimitsCheck limits_;
  CancelDisciplineCheck cancels_;
  std::optional<SelfTradeCheck> self_trade_;
  MessageThrottle throttle_;
  LossLimitCheck losses_;
  RepeatedExecutionCheck executions_;
};

// The journal writer's options (a replay's journal carries no wall-clock time).
journal::WriterOptions journal_options(const EngineConfig& config);
// The simulated venue's options: fill model, market rules, T+1 holdings.
VenueOptions venue_options(const EngineConfig& config, const InstrumentRegistry& registry);
SyntheticMarketOptions synthetic_options(const EngineConfig& config);
// The config's audit journal, recovered and opened (a torn tail cut and logged); nullptr when the
// config has none.
std::unique_ptr<journal::JournalService> open_audit_journal(const EngineConfig& config);

// The market data to run on: `overrides` (the command line's --data) when given, else the
// config's data.sources, else its endpoints. Throws ConfigError naming the config entry, or
// std::invalid_argument naming the override, for an unknown format or a missing path.
std::vector<DataSourceSpec> market_data_specs(const EngineConfig& config,
                                              const std::vector<std::string>& overrides);
// How to open them: the trading date, the generator's parameters, the data section's instrument,
// time zone and bad-row policy, and the window of event time (0: unbounded).
ReplayDataOptions data_options(const EngineConfig& config, const InstrumentRegistry& registry,
                               Timestamp from, Timestamp to);

}  // namespace guiju
