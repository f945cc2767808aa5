#include "apps/guiju/run_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>

#include "adapters/replay/sse_level2_source.hpp"
#include "adapters/replay/synthetic_market.hpp"
#include "adapters/sim/paper_session.hpp"
#include "adapters/sim/simulated_session.hpp"
#include "adapters/sim/simulated_venue.hpp"
#include "apps/guiju/engine_assembly.hpp"
#include "apps/guiju/run_summary.hpp"
#include "core/clock/calendar.hpp"
#include "core/config/config_loader.hpp"
#include "core/engine/engine.hpp"
#include "core/journal/journal_service.hpp"
#include "core/logging/log.hpp"
#include "core/risk/order_size_limits.hpp"

namespace guiju {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int /*signal*/) {
  g_stop.store(true);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
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

// The config's market data: the synthetic generator, or a recorded SSE Level-2 day (its
// security must be a configured instrument).
std::unique_ptr<MarketDataSource> market_data_source(const EngineConfig& config,
                                                     const InstrumentRegistry& registry) {
  if (config.endpoints.market_data != "sse_level2") {
    return std::make_unique<SyntheticMarket>(registry, synthetic_options(config));
  }
  sse::Level2Day day = sse::load_level2_day(config.endpoints.archive, config.trading_date);
  const auto id = registry.id_of(day.security);
  if (!id) {
    throw ConfigError(config.source_file, 0, 0, "endpoints.archive",
                      config.endpoints.archive + " holds security " + day.security +
                          ", which is not a configured instrument");
  }
  log().info("market data: SSE Level-2 {} {} from {} ({} orders and cancels, {} trades)",
             day.security, config.trading_date, config.endpoints.archive, day.orders.size(),
             day.trades.size());
  return std::make_unique<sse::Level2Source>(std::move(day), config.trading_date, *id);
}

}  // namespace

int run_command(const RunArguments& args) {
  EngineConfig config;
  try {
    config = load_engine_config(args.config_path);
  } catch (const ConfigError& e) {
    std::cerr << "guiju: config error: " << e.what() << "\n";
    return 2;
  }

  try {
    LogOptions log_options = config.logging;
    if (args.quiet) log_options.console = false;
    init_logging(log_options);
    const InstrumentRegistry registry = build_registry(config);

    const bool replay = config.mode == RunMode::kReplay;
    SimulatedClock sim_clock;
    LiveClock live_clock;
    Clock* clock = replay ? static_cast<Clock*>(&sim_clock) : &live_clock;

    // Replay numbers its orders from 1 every run (so reruns compare); paper and live continue a
    // persisted counter so that client order ids never repeat across restarts.
    std::optional<ClientOrderIdAllocator> ids;
    if (replay) {
      ids.emplace(config.engine.client_order_id_prefix, config.trading_date);
    } else {
      ids.emplace(ClientOrderIdAllocator::open_persistent(
          std::filesystem::path(config.engine.state_dir) / "client_order_ids",
          config.engine.client_order_id_prefix, config.trading_date));
    }

    Engine engine(registry, *clock, *ids, engine_options(config));
    try {
      add_accounts_and_strategies(engine, config, registry);
    } catch (const ConfigError& e) {
      std::cerr << "guiju: config error: " << e.what() << "\n";
      shutdown_logging();
      return 2;
    }
    OrderSizeCheck size_check(config.risk);
    engine.add_pre_trade_check(&size_check);

    std::unique_ptr<journal::JournalService> audit;
    if (config.audit.enabled) {
      journal::RecoveryReport recovery;
      journal::CheckpointOptions checkpoints;
      checkpoints.private_key = config.audit.checkpoint_key;
      checkpoints.interval = static_cast<Duration>(config.audit.checkpoint_interval_s) * kSecond;
      audit = std::make_unique<journal::JournalService>(
          journal_options(config), config.audit.ring_capacity, &recovery, checkpoints);
      if (recovery.cut_bytes != 0) {
        log().warn("audit journal: cut a torn tail of {} bytes: {}", recovery.cut_bytes,
                   recovery.cut_reason);
      }
      log().info("audit journal {}: {} at sequence {}", config.audit.directory,
                 recovery.existing ? "continuing" : "started", recovery.last_sequence);
      engine.set_journal(audit.get());
    }

    // Venue reports: a kFail ring drained on the engine thread after every batch; overflowing it
    // would be a bug, and SimulatedVenue throws rather than drop a report.
    SpscRing<EventSlot> reports(config.engine.inbound_ring_capacity, BackPressure::kFail,
                                "venue-reports");
    VenueOptions venue_options;
    venue_options.fill_model = config.venue.queue_fill ? FillModel::kQueue : FillModel::kTouch;
    venue_options.ashare_rules = config.venue.ashare_rules;
    venue_options.t_plus_one = config.venue.t_plus_one;
    for (size_t a = 0; a < config.accounts.size(); ++a) {
      for (const auto& [symbol, quantity] : config.accounts[a].holdings) {
        venue_options.holdings.push_back(
            {static_cast<AccountId>(a), *registry.id_of(symbol), quantity});
      }
    }
    SimulatedVenue venue(registry, reports, venue_options);
    const std::unique_ptr<MarketDataSource> market = market_data_source(config, registry);

    log().info("guiju run: mode {}, {} instruments, {} accounts, {} strategies, config {}",
               to_string(config.mode), registry.size(), config.accounts.size(),
               config.strategies.size(), config.source_file);
    install_signal_handlers();
    const auto wall_start = std::chrono::steady_clock::now();
    RunFacts facts;
    facts.mode = std::string(to_string(config.mode));

    if (replay) {
      ReplayLatency latency;
      latency.order_entry = static_cast<Duration>(config.venue.order_latency_us) * kMicrosecond;
      latency.market_data =
          static_cast<Duration>(config.venue.market_data_latency_us) * kMicrosecond;
      SimulatedSession session(engine, sim_clock, venue, reports, latency);
      PerformanceTracker performance;
      session.set_performance_tracker(&performance);
      const ReplayStats stats = session.run(*market);
      facts.performance = performance.report();
      facts.first_event = stats.first_event;
      facts.last_event = stats.last_event;
    } else {
      engine.add_inbound(&reports);
      PaperOptions paper;
      paper.speed = config.paper.speed;
      paper.duration = static_cast<Duration>(config.paper.duration_seconds) * kSecond;
      paper.ring_capacity = config.engine.inbound_ring_capacity;
      PaperSession session(engine, venue, reports, paper);
      const PaperStats stats = session.run(*market, g_stop);
      log().info("paper session: {} market events published, {} feeder waits{}",
                 stats.market_events, stats.feeder_waits,
                 stats.source_exhausted ? ", source exhausted" : "");
    }
    if (audit) {
      audit->stop();
      facts.journal_directory = config.audit.directory;
      facts.journal_durable = audit->durable_sequence();
      facts.journal_failure = audit->failure();
    }
    facts.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    shutdown_logging();
    print_run_summary(std::cout, engine, facts);
    return 0;
  } catch (const ConfigError& e) {
    shutdown_logging();
    std::cerr << "guiju: config error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    log().error("guiju run failed: {}", e.what());
    shutdown_logging();
    std::cerr << "guiju: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace guiju
