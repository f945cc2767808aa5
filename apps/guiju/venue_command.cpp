#include "apps/guiju/venue_command.hpp"

#include <atomic>
#include <csignal>
#include <iostream>

#include "adapters/fix/fix_venue.hpp"
#include "adapters/replay/replay_data.hpp"
#include "apps/guiju/command_failure.hpp"
#include "apps/guiju/engine_assembly.hpp"
#include "core/config/config_error.hpp"
#include "core/logging/log.hpp"

namespace guiju {

namespace {

std::atomic<bool> g_venue_stop{false};

extern "C" void on_venue_stop_signal(int /*signal*/) {
  g_venue_stop.store(true);
}

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_venue_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A member that disconnects mid-write must not take the venue down.
  signal(SIGPIPE, SIG_IGN);
}

}  // namespace

int venue_command(const VenueArguments& args) {
  std::optional<EngineConfig> loaded = load_config_for_command(args.config_path);
  if (!loaded) return 2;
  const EngineConfig& config = *loaded;
  if (config.fix.settings.empty()) {
    std::cerr << "guiju: config error: " << config.source_file
              << ": fix: a venue needs a fix section naming its QuickFIX settings file "
                 "(fix: {settings: configs/fix/venue.cfg})\n";
    return 2;
  }
  try {
    LogOptions log_options = config.logging;
    if (args.quiet) log_options.console = false;
    init_logging(log_options);
    const InstrumentRegistry registry = build_registry(config);
    // The background market: what paper trading and replay run on (data.sources, else the
    // synthetic generator).
    ReplayData data = open_replay_data(market_data_specs(config, {}), registry,
                                       data_options(config, registry, 0, 0));
    for (const OpenedSource& s : data.opened) log().info("background market: {}", s.description);

    FixVenueOptions options;
    options.settings_path = config.fix.settings;
    options.speed = config.paper.speed;
    const double seconds =
        args.duration_seconds > 0 ? args.duration_seconds : config.paper.duration_seconds;
    options.duration = static_cast<Duration>(seconds * static_cast<double>(kSecond));
    options.exchange.ashare_rules = config.venue.ashare_rules;
    options.trade_log_path = args.trade_log_path;
    FixVenue venue(registry, options);

    install_stop_handlers();
    std::cout << "guiju venue: " << registry.size() << " instruments, settings "
              << config.fix.settings << "\n";
    for (const std::string& line : venue.describe()) std::cout << "  " << line << "\n";
    std::cout.flush();
    venue.run(*data.source, g_venue_stop);
    std::cout << "guiju venue: stopped\n";
    shutdown_logging();
    return 0;
  } catch (...) {
    return exit_code_for_failure("venue");
  }
}

}  // namespace guiju
