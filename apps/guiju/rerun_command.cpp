#include "apps/guiju/rerun_command.hpp"

#include <iostream>
#include <optional>

#include "adapters/replay/journal_rerun.hpp"
#include "apps/guiju/engine_assembly.hpp"
#include "core/config/config_loader.hpp"
#include "core/journal/chain_hash.hpp"
#include "core/logging/log.hpp"
#include "core/risk/order_size_limits.hpp"

namespace guiju {

namespace {

// One run's engine, built from the config exactly as `guiju run` builds it, but on a simulated
// clock, with timers driven by the journal and a recorder for its journal.
class ConfiguredRerunTarget final : public RerunTarget {
 public:
  ConfiguredRerunTarget(const EngineConfig& config, const InstrumentRegistry& registry,
                        OrderId first_order_id)
      : ids_(config.engine.client_order_id_prefix, config.trading_date, first_order_id),
        engine_(registry, clock_, ids_, options(config)),
        size_check_(config.risk) {
    add_accounts_and_strategies(engine_, config, registry);
    engine_.add_pre_trade_check(&size_check_);
    engine_.set_journal(&recorder_);
  }
  Engine& engine() override { return engine_; }
  SimulatedClock& clock() override { return clock_; }
  RerunRecorder& recorder() override { return recorder_; }

 private:
  static EngineOptions options(const EngineConfig& config) {
    EngineOptions o = engine_options(config);
    o.timers_from_journal = true;
    return o;
  }

  SimulatedClock clock_;
  ClientOrderIdAllocator ids_;
  Engine engine_;
  OrderSizeCheck size_check_;
  RerunRecorder recorder_;
};

void print_sessions(const RerunResult& r, const EngineOptions& current) {
  for (size_t i = 0; i < r.sessions.size(); ++i) {
    const RecordedSession& s = r.sessions[i];
    std::cout << "run " << i + 1 << "     from sequence " << s.first_sequence;
    if (s.software.empty()) {
      std::cout << " (no session record)\n";
      continue;
    }
    std::cout << ", " << s.mode << " " << s.trading_date << ", recorded by " << s.software;
    if (s.config_hash == current.session.config_hash) {
      std::cout << ", same config\n";
    } else {
      std::cout << ", config differs (recorded " << journal::to_hex(s.config_hash).substr(0, 16)
                << "…, this one " << journal::to_hex(current.session.config_hash).substr(0, 16)
                << "…)\n";
    }
  }
}

}  // namespace

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
    // A config error (say, an unknown strategy type) is found before the journal is read.
    ConfiguredRerunTarget probe(config, registry, 1);
    (void)probe;
    const RerunResult r =
        rerun_journal(journal_dir, [&](OrderId first_order_id) -> std::unique_ptr<RerunTarget> {
          return std::make_unique<ConfiguredRerunTarget>(config, registry, first_order_id);
        });
    shutdown_logging();
    std::cout << "rerun     " << journal_dir << " with " << config_path << "\n"
              << "records   " << r.records << " read, " << r.inputs << " inputs fed, "
              << r.outputs_compared << " outputs compared, " << r.sessions.size() << " run(s)\n";
    print_sessions(r, engine_options(config));
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
  } catch (const ConfigError& e) {
    shutdown_logging();
    std::cerr << "guiju: config error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    shutdown_logging();
    std::cerr << "guiju: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace guiju
