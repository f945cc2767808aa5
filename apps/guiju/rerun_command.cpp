#include "apps/guiju/rerun_command.hpp"

#include <iostream>

#include "adapters/replay/journal_rerun.hpp"
#include "apps/guiju/engine_assembly.hpp"
#include "core/config/config_loader.hpp"
#include "core/logging/log.hpp"
#include "core/risk/order_size_limits.hpp"

namespace guiju {

int rerun_command(const std::string& journal_dir, const std::string& config_path) {
  EngineConfig config;
  try {
    config = load_engine_config(config_path);
  } catch (const ConfigError& e) {
    std::cerr << "guiju: config error: " << e.what() << "\n";
    return 2;
  }
  try {
    LogOptions quiet = config.logging;
    quiet.level = "warn";
    init_logging(quiet);
    const InstrumentRegistry registry = build_registry(config);
    SimulatedClock clock;
    ClientOrderIdAllocator ids(config.engine.client_order_id_prefix, config.trading_date,
                               first_recorded_order_id(journal_dir));
    EngineOptions options;
    options.max_orders = config.engine.max_orders;
    options.order_ring_capacity = config.engine.order_ring_capacity;
    options.order_ring_policy = config.engine.order_ring_policy;
    options.timers_from_journal = true;
    Engine engine(registry, clock, ids, options);
    try {
      add_accounts_and_strategies(engine, config, registry);
    } catch (const ConfigError& e) {
      std::cerr << "guiju: config error: " << e.what() << "\n";
      shutdown_logging();
      return 2;
    }
    OrderSizeCheck size_check(config.risk);
    engine.add_pre_trade_check(&size_check);
    RerunRecorder recorder;
    engine.set_journal(&recorder);

    const RerunResult r = rerun_journal(journal_dir, engine, clock, recorder);
    shutdown_logging();
    std::cout << "rerun     " << journal_dir << " with " << config_path << "\n"
              << "records   " << r.records << " read, " << r.inputs << " inputs fed, "
              << r.outputs_compared << " outputs compared\n";
    if (r.more_sessions) {
      std::cout << "note      the journal continues with another session; the first was re-run\n";
    }
    if (r.divergence) {
      std::cout << "DIVERGED  at recorded sequence " << r.divergence->sequence << "\n"
                << "recorded  " << r.divergence->expected << "\n"
                << "re-run    " << r.divergence->actual << "\n";
      return 1;
    }
    if (!r.damage.empty()) {
      std::cout << "DAMAGED   " << r.damage << " (the re-run stopped there)\n";
      return 1;
    }
    std::cout << "result    zero divergence\n";
    return 0;
  } catch (const std::exception& e) {
    shutdown_logging();
    std::cerr << "guiju: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace guiju
