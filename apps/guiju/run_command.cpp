#include "apps/guiju/run_command.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <utility>

#include "adapters/fix/fix_market_data_source.hpp"
#include "adapters/replay/csv_table.hpp"
#include "adapters/sim/paper_session.hpp"
#include "adapters/sim/simulated_venue.hpp"
#include "apps/guiju/command_failure.hpp"
#include "apps/guiju/control_plane.hpp"
#include "apps/guiju/dropcopy_feed.hpp"
#include "apps/guiju/engine_assembly.hpp"
#include "apps/guiju/live_run.hpp"
#include "apps/guiju/metrics_endpoint.hpp"
#include "apps/guiju/replay_command.hpp"
#include "apps/guiju/run_summary.hpp"
#include "apps/guiju/signal_assembly.hpp"
#include "apps/guiju/thread_setup.hpp"
#include "core/clock/calendar.hpp"
#include "core/clock/clock.hpp"
#include "core/config/config_loader.hpp"
#include "core/engine/engine.hpp"
#include "core/journal/journal_service.hpp"
#include "core/logging/log.hpp"
#include "core/risk/order_size_limits.hpp"
#include "core/service/sd_notify.hpp"

namespace guiju {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};       // SIGHUP: the control plane's watcher reloads the limits
std::atomic<Engine*> g_engine{nullptr};  // for SIGUSR1, while the session runs
// Resolved before the handlers are installed: the handler must not run a static's first-use
// initialization.
std::atomic<const ServiceNotifier*> g_notifier{nullptr};

// SIGINT, SIGTERM: the loop sees the flag and stops (strategies stopped, open orders cancelled,
// the journal sealed). STOPPING=1 goes out now, not after the settle wait, so that the service
// manager shows the unit as deactivating while orders are being cancelled; socket(), sendto() and
// close() are async-signal-safe, and notify() allocates nothing when not asked for an error.
extern "C" void on_stop_signal(int /*signal*/) {
  const int saved_errno = errno;
  if (!g_stop.exchange(true)) {
    if (const ServiceNotifier* n = g_notifier.load()) n->stopping();
  }
  errno = saved_errno;
}

// SIGUSR1: the global kill switch. The handler only raises a flag (an atomic store); the engine
// thread acts on it at its next poll and journals it as a control command from "SIGUSR1".
extern "C" void on_kill_signal(int /*signal*/) {
  if (Engine* e = g_engine.load()) e->request_kill_switch();
}

// SIGHUP: reload the risk limits (and the operators' allow-list) from the config file. Only a
// flag here; the control plane's thread reads the file, the engine thread applies the changes.
extern "C" void on_reload_signal(int /*signal*/) {
  g_reload.store(true);
}

void install_signal_handlers(Engine& engine) {
  g_engine.store(&engine);
  g_notifier.store(&service_notifier());
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  struct sigaction kill {};
  kill.sa_handler = on_kill_signal;
  sigemptyset(&kill.sa_mask);
  sigaction(SIGUSR1, &kill, nullptr);
  struct sigaction reload {};
  reload.sa_handler = on_reload_signal;
  sigemptyset(&reload.sa_mask);
  sigaction(SIGHUP, &reload, nullptr);
}

void remove_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  g_engine.store(nullptr);
}

}  // namespace

int run_command(const RunArguments& args) {
  std::optional<EngineConfig> loaded = load_config_for_command(args.config_path);
  if (!loaded) return 2;
  EngineConfig& config = *loaded;
  if (config.mode == RunMode::kReplay) {
    ReplayArguments replay;
    replay.config_path = args.config_path;
    replay.quiet = args.quiet;
    replay.no_report = true;  // `guiju replay` writes the HTML report
    return replay_configured(std::move(config), replay);
  }

  try {
    LogOptions log_options = config.logging;
    if (args.quiet) log_options.console = false;
    init_logging(log_options);
    const InstrumentRegistry registry = build_registry(config);
    const bool live = config.mode == RunMode::kLive;
    // The market data first: bad data stops the session before anything is journaled. Live
    // mode's comes from the venue.
    // Paper trading on FIX market data: the venue's prices, fills simulated here.
    const bool fix_data = !live && config.endpoints.market_data == "fix";
    ReplayData data;
    if (!live && !fix_data) {
      data = open_replay_data(market_data_specs(config, {}), registry,
                              data_options(config, registry, 0, 0));
    }
    for (const OpenedSource& s : data.opened) log().info("market data: {}", s.description);

    // Paper and live continue a persisted counter so that client order ids never repeat across
    // restarts.
    LiveClock clock;
    ClientOrderIdAllocator ids = ClientOrderIdAllocator::open_persistent(
        std::filesystem::path(config.engine.state_dir) / "client_order_ids",
        config.engine.client_order_id_prefix, config.trading_date);
    Engine engine(registry, clock, ids, engine_options(config));
    try {
      check_thread_placement(config);
      add_accounts_and_strategies(engine, config, registry);
    } catch (const ConfigError& e) {
      std::cerr << "guiju: config error: " << e.what() << "\n";
      shutdown_logging();
      return 2;
    }
    const RiskChecks risk(engine, config);
    const NewThreads inference_threads;
    const SignalBackend signals = attach_signals(config, engine, SignalMode::kLive);
    inference_threads.place("guiju-infer", "inference", config.threads.inference);
    // The drop-copy feed binds before the journal opens, so that an address in use stops the
    // session before anything is journaled, and is declared first, so that it outlives the
    // journal's writer thread, which publishes through it.
    const NewThreads dropcopy_threads;
    const std::unique_ptr<dropcopy::Publisher> drop_copy = open_dropcopy(config, registry);
    dropcopy_threads.place("guiju-dropcopy", "dropcopy", {});
    const NewThreads journal_threads;
    std::unique_ptr<journal::JournalService> audit = open_audit_journal(config);
    journal_threads.place("guiju-journal", "journal", config.threads.journal);
    if (audit && drop_copy) audit->set_observer(drop_copy.get());
    if (audit) engine.set_journal(audit.get());
    // Before trading starts, so that a port in use stops the session before any order.
    const std::unique_ptr<MetricsEndpoint> metrics =
        MetricsEndpoint::open(config, engine, audit.get(), live);
    // Also before trading: a control address in use, or a bad key file, stops the session here.
    ControlPlane control(engine, config, audit.get(), g_reload);
    if (live) {
      RunFacts facts;
      facts.mode = "live";
      const auto wall_start = std::chrono::steady_clock::now();
      install_signal_handlers(engine);
      service_notifier().status("starting: waiting for the FIX order session to log on");
      const bool traded = run_live(
          config, registry, ids, engine, g_stop, metrics ? &metrics->metrics() : nullptr, [&] {
            service_notifier().notify("READY=1\nSTATUS=trading (live): order session logged on, " +
                                      std::to_string(config.strategies.size()) + " strategies");
          });
      control.stop();
      remove_signal_handlers();
      service_notifier().notify("STOPPING=1\nSTATUS=stopping: sealing the journal");
      if (audit) {
        audit->stop();
        facts.journal_directory = config.audit.directory;
        facts.journal_durable = audit->durable_sequence();
        facts.journal_failure = audit->failure();
        log_dropcopy_totals(drop_copy.get());
      }
      facts.wall_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
      facts.signals = signal_summary(signals, engine.counters());
      shutdown_logging();
      print_run_summary(std::cout, engine, facts);
      return traded ? 0 : 1;
    }

    // Venue reports: a kFail ring drained on the engine thread after every batch; overflowing it
    // would be a bug, and SimulatedVenue throws rather than drop a report.
    SpscRing<EventSlot> reports(config.engine.inbound_ring_capacity, BackPressure::kFail,
                                "venue-reports");
    SimulatedVenue venue(registry, reports, venue_options(config, registry));

    log().info("guiju run: mode {}, {} instruments, {} accounts, {} strategies, config {}",
               to_string(config.mode), registry.size(), config.accounts.size(),
               config.strategies.size(), config.source_file);
    install_signal_handlers(engine);
    const auto wall_start = std::chrono::steady_clock::now();
    RunFacts facts;
    facts.mode = std::string(to_string(config.mode));
    engine.add_inbound(&reports);
    PaperOptions paper;
    paper.speed = config.paper.speed;
    paper.duration = static_cast<Duration>(config.paper.duration_seconds) * kSecond;
    paper.ring_capacity = config.engine.inbound_ring_capacity;
    std::unique_ptr<FixMarketDataSource> fix_source;
    if (fix_data) {
      const Timestamp deadline = paper.duration > 0 ? utc_now() + paper.duration : 0;
      fix_source = std::make_unique<FixMarketDataSource>(
          registry, fix_market_data_options(config, registry), config.engine.inbound_ring_capacity,
          g_stop, deadline);
      fix_source->start();
      paper.pace = false;  // the venue's own pace
      log().info("market data: FIX session {} (live), fills simulated locally",
                 config.fix.market_data);
    }
    paper.on_started = [&] {
      place_engine_thread(config);
      service_notifier().notify("READY=1\nSTATUS=trading (" + std::string(to_string(config.mode)) +
                                "): " + std::to_string(config.strategies.size()) + " strategies, " +
                                std::to_string(registry.size()) + " instruments");
    };
    PaperSession session(engine, venue, reports, paper);
    const PaperStats stats = session.run(fix_data ? *fix_source : *data.source, g_stop);
    if (fix_source) fix_source->stop();
    control.stop();
    remove_signal_handlers();
    // A session that ended by itself (its duration, its data) is stopping too.
    service_notifier().notify("STOPPING=1\nSTATUS=stopping: sealing the journal");
    log().info("paper session: {} market events published, {} feeder waits{}", stats.market_events,
               stats.feeder_waits, stats.source_exhausted ? ", source exhausted" : "");
    if (audit) {
      audit->stop();
      facts.journal_directory = config.audit.directory;
      facts.journal_durable = audit->durable_sequence();
      facts.journal_failure = audit->failure();
      log_dropcopy_totals(drop_copy.get());
    }
    facts.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    facts.signals = signal_summary(signals, engine.counters());
    shutdown_logging();
    print_run_summary(std::cout, engine, facts);
    return 0;
  } catch (...) {
    return exit_code_for_failure("run");
  }
}

}  // namespace guiju
