#include "apps/guiju/engine_assembly.hpp"

#include <algorithm>
#include <span>
#include <string>

#include "core/clock/calendar.hpp"
#include "core/config/config_error.hpp"
#include "core/journal/chain_hash.hpp"
#include "core/logging/log.hpp"
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

SyntheticMarketOptions synthetic_options(const EngineConfig& config) {
  SyntheticMarketOptions o;
  o.seed = config.synthetic.seed;
  o.quotes_per_second = config.synthetic.quotes_per_second;
  o.trade_probability = config.synthetic.trade_probability;
  o.mean_reversion = config.synthetic.mean_reversion;
  o.volatility_ticks = config.synthetic.volatility_ticks;
  o.session_seconds = config.synthetic.session_seconds;
  o.trading_date = config.trading_date;
  return o;
}

journal::WriterOptions journal_options(const EngineConfig& config) {
  journal::WriterOptions o;
  o.directory = config.audit.directory;
  o.trading_date = config.trading_date;
  // A replay writes no wall-clock time: its journal is the same bytes on every run.
  if (config.mode == RunMode::kReplay) o.segment_time = utc_midnight(config.trading_date);
  o.segment_bytes = static_cast<uint64_t>(config.audit.segment_mb) << 20;
  o.sync_interval = static_cast<Duration>(config.audit.sync_interval_us) * kMicrosecond;
  if (config.audit.durability == "interval") {
    o.durability = journal::Durability::kInterval;
  } else if (config.audit.durability == "os_buffered") {
    o.durability = journal::Durability::kOsBuffered;
  } else {
    o.durability = journal::Durability::kEveryCommit;
  }
  return o;
}

VenueOptions venue_options(const EngineConfig& config, const InstrumentRegistry& registry) {
  VenueOptions o;
  o.fill_model = config.venue.queue_fill ? FillModel::kQueue : FillModel::kTouch;
  o.ashare_rules = config.venue.ashare_rules;
  o.t_plus_one = config.venue.t_plus_one;
  for (size_t a = 0; a < config.accounts.size(); ++a) {
    if (config.accounts[a].allow_short) o.short_allowed.push_back(static_cast<AccountId>(a));
  }
  for (size_t a = 0; a < config.accounts.size(); ++a) {
    for (const auto& [symbol, quantity] : config.accounts[a].holdings) {
      o.holdings.push_back({static_cast<AccountId>(a), *registry.id_of(symbol), quantity});
    }
  }
  return o;
}

namespace {

// The config's market data when the command line names none.
std::vector<std::string> configured_sources(const EngineConfig& config) {
  std::vector<std::string> out;
  for (const DataConfig::Source& s : config.data.sources) out.push_back(s.text);
  if (!out.empty()) return out;
  if (config.endpoints.market_data == "sse_level2") {
    return {"sse_level2:" + config.endpoints.archive};
  }
  return {"synthetic"};
}
}  // namespace

std::vector<DataSourceSpec> market_data_specs(const EngineConfig& config,
                                              const std::vector<std::string>& overrides) {
  const std::vector<std::string> texts = overrides.empty() ? configured_sources(config) : overrides;
  std::vector<DataSourceSpec> specs;
  std::string error;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto spec = parse_data_source(texts[i], &error);
    if (spec) {
      specs.push_back(*spec);
      continue;
    }
    if (overrides.empty() && i < config.data.sources.size()) {
      const DataConfig::Source& s = config.data.sources[i];
      throw ConfigError(config.source_file, s.line, s.column,
                        "data.sources[" + std::to_string(i) + "]", error);
    }
    throw std::invalid_argument(texts[i] + ": " + error);
  }
  return specs;
}

ReplayDataOptions data_options(const EngineConfig& config, const InstrumentRegistry& registry,
                               Timestamp from, Timestamp to) {
  ReplayDataOptions o;
  o.trading_date = config.trading_date;
  o.synthetic = synthetic_options(config);
  if (!config.data.instrument.empty()) o.instrument = registry.id_of(config.data.instrument);
  if (!o.instrument && registry.size() == 1) o.instrument = 0;
  o.utc_offset_minutes = config.data.utc_offset_minutes;
  o.on_bad_row = config.data.skip_bad_rows ? BadRowPolicy::kSkip : BadRowPolicy::kStop;
  o.csv = config.data.csv;
  o.from = from;
  o.to = to;
  return o;
}

std::unique_ptr<journal::JournalService> open_audit_journal(const EngineConfig& config) {
  if (!config.audit.enabled) return nullptr;
  journal::RecoveryReport recovery;
  journal::CheckpointOptions checkpoints;
  checkpoints.private_key = config.audit.checkpoint_key;
  checkpoints.interval = static_cast<Duration>(config.audit.checkpoint_interval_s) * kSecond;
  auto audit = std::make_unique<journal::JournalService>(
      journal_options(config), config.audit.ring_capacity, &recovery, checkpoints);
  if (recovery.cut_bytes != 0) {
    log().warn("audit journal: cut a torn tail of {} bytes: {}", recovery.cut_bytes,
               recovery.cut_reason);
  }
  log().info("audit journal {}: {} at sequence {}", config.audit.directory,
             recovery.existing ? "continuing" : "started", recovery.last_sequence);
  return audit;
}

namespace {

std::vector<ThrottleLimits> account_throttles(const EngineConfig& config) {
  std::vector<ThrottleLimits> out;
  for (const AccountConfig& a : config.accounts) {
    ThrottleLimits l = config.risk.throttle;
    if (a.filed_peak_per_second != 0) {
      l.max_per_second = a.filed_peak_per_second;
      l.max_per_day = a.filed_per_day;
      l.alert_per_second = std::min(l.alert_per_second, l.max_per_second);
      l.alert_per_day = std::min(l.alert_per_day, l.max_per_day);
    }
    out.push_back(l);
  }
  return out;
}

}  // namespace

RiskLimits configured_risk_limits(const EngineConfig& config, const InstrumentRegistry& registry,
                                  const StrategyIdOf& strategy_id) {
  RiskLimits limits(config.accounts.size(), registry.size());
  for (const LimitSetting& s : config.risk.limits) {
    switch (s.scope) {
      case LimitScope::kAccount:
        for (size_t a = 0; a < config.accounts.size(); ++a) {
          if (s.target.empty() || config.accounts[a].name == s.target) {
            limits.set(s.scope, static_cast<uint32_t>(a), s.key, s.value);
          }
        }
        break;
      case LimitScope::kStrategy:
        if (const std::optional<StrategyId> id = strategy_id(s.target)) {
          limits.set(s.scope, *id, s.key, s.value);
        }
        break;
      case LimitScope::kInstrument:
        limits.set(s.scope, *registry.id_of(s.target), s.key, s.value);
        break;
    }
  }
  return limits;
}

namespace {

// At assembly the strategies take their ids in config order (add_accounts_and_strategies), which
// may not have run yet (the re-run builds its checks first).
std::optional<StrategyId> config_order_id(const EngineConfig& config, std::string_view name) {
  for (size_t i = 0; i < config.strategies.size(); ++i) {
    if (config.strategies[i].name == name) return static_cast<StrategyId>(i);
  }
  return std::nullopt;
}

}  // namespace

RiskChecks::RiskChecks(Engine& engine, const EngineConfig& config)
    : table_(configured_risk_limits(
          config, engine.instruments(),
          [&config](std::string_view name) { return config_order_id(config, name); })),
      size_(table_),
      limits_(table_, config.risk.collar_reference),
      cancels_(table_),
      throttle_(account_throttles(config)),
      losses_(table_),
      executions_(table_) {
  engine.set_risk_limits(&table_);
  engine.set_fatal_checks(config.risk.fatal, config.risk.fatal_scope);
  if (config.venue.ashare_rules) {
    const InstrumentRegistry& registry = engine.instruments();
    std::vector<OvernightHolding> holdings;
    for (const VenueOptions::Holding& h : venue_options(config, registry).holdings) {
      holdings.push_back({h.account, h.instrument, h.quantity});
    }
    rules_.emplace(std::move(holdings), config.venue.t_plus_one);
    for (size_t a = 0; a < config.accounts.size(); ++a) {
      if (config.accounts[a].allow_short) rules_->allow_short_sales(static_cast<AccountId>(a));
    }
    engine.add_pre_trade_check(&*rules_);
  }
  engine.add_pre_trade_check(&size_);
  engine.add_pre_trade_check(&limits_);
  engine.add_pre_trade_check(&cancels_);
  // Before the throttles: a cancel it sends is counted before they judge the new order.
  if (config.self_trade.enabled) {
    self_trade_.emplace(config.self_trade, config.accounts.size(), engine.instruments().size(),
                        engine.orders().first_id(), engine.orders().capacity());
    engine.add_pre_trade_check(&*self_trade_);
  }
  engine.add_pre_trade_check(&throttle_);
  // These refuse nothing themselves: they act after fills and as marks move.
  engine.add_pre_trade_check(&losses_);
  engine.add_pre_trade_check(&executions_);
}

}  // namespace guiju
