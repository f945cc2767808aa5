#include "apps/guiju/rerun_command.hpp"

#include <iostream>
#include <optional>

#include "adapters/replay/csv_table.hpp"
#include "adapters/replay/journal_rerun.hpp"
#include "apps/guiju/command_failure.hpp"
#include "apps/guiju/engine_assembly.hpp"
#include "apps/guiju/replay_command.hpp"
#include "apps/guiju/signal_assembly.hpp"
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
        risk_(engine_, config) {
    add_accounts_and_strategies(engine_, config, registry);
    engine_.set_journal(&recorder_);
    // The recorded replies are the answers: requests are accepted and nothing is computed.
    signals_ = attach_signals(config, engine_, SignalMode::kRerun);
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
  RiskChecks risk_;
  RerunRecorder recorder_;
  SignalBackend signals_;
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

// A replay journal names its data by hash: the replay is run again on the same data (checked
// against the hashes) and every record it journals is held against the recorded one.
int rerun_replay(const std::string& journal_dir, EngineConfig config,
                 const std::vector<DataSourceEvent>& sources) {
  ReplayJournalMatcher matcher(journal_dir);
  ReplayPlan plan;
  for (const DataSourceEvent& s : sources) {
    plan.data.push_back({std::string(s.format.view()), std::string(s.location.view())});
    if (plan.data.back().format == "synthetic") plan.data.back().location.clear();
  }
  plan.from = sources.front().from;
  plan.to = sources.front().to;
  plan.rerun_sink = &matcher;
  plan.recorded_sources = sources;
  config.mode = RunMode::kReplay;
  run_replay(config, plan);
  shutdown_logging();
  const std::optional<RerunDivergence> divergence = matcher.finish();
  std::cout << "rerun     " << journal_dir << " (a replay: its data re-read and checked by "
            << "SHA-256)\n";
  for (const DataSourceEvent& s : sources) {
    std::cout << "data      " << s.format.view() << " " << s.location.view() << " sha256 "
              << journal::to_hex(s.sha256).substr(0, 16) << "… matches\n";
  }
  std::cout << "records   " << matcher.recorded() << " recorded in the first run, "
            << matcher.compared() << " matched"
            << (matcher.runs() > 1 ? " (" + std::to_string(matcher.runs()) +
                                         " runs in the journal; the first is re-run)"
                                   : std::string())
            << "\n";
  if (divergence) {
    std::cout << "DIVERGED  at recorded sequence " << divergence->sequence << "\n"
              << "recorded  " << divergence->expected << "\n"
              << "re-run    " << divergence->actual << "\n";
    return 1;
  }
  if (!matcher.damage().empty()) {
    std::cout << "DAMAGED   " << matcher.damage() << " (the comparison stopped there)\n";
    return 1;
  }
  std::cout << "result    zero divergence\n";
  return 0;
}

}  // namespace

int rerun_command(const std::string& journal_dir, const std::string& config_path) {
  std::optional<EngineConfig> loaded = load_config_for_command(config_path);
  if (!loaded) return 2;
  const EngineConfig& config = *loaded;
  try {
    LogOptions quiet = config.logging;
    quiet.level = "warn";
    init_logging(quiet);
    if (const auto sources = recorded_data_sources(journal_dir); !sources.empty()) {
      return rerun_replay(journal_dir, config, sources);
    }
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
  } catch (...) {
    return exit_code_for_failure("replay --rerun");
  }
}

}  // namespace guiju
