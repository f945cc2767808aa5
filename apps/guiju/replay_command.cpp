#include "apps/guiju/replay_command.hpp"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <utility>

#include "adapters/replay/csv_table.hpp"
#include "adapters/replay/zip_reader.hpp"
#include "adapters/sim/simulated_session.hpp"
#include "adapters/sim/simulated_venue.hpp"
#include "apps/guiju/command_failure.hpp"
#include "apps/guiju/engine_assembly.hpp"
#include "apps/guiju/run_summary.hpp"
#include "apps/guiju/signal_assembly.hpp"
#include "core/analysis/html_report.hpp"
#include "core/clock/calendar.hpp"
#include "core/config/config_loader.hpp"
#include "core/journal/chain_hash.hpp"
#include "core/journal/journal_service.hpp"
#include "core/logging/log.hpp"
#include "core/risk/order_size_limits.hpp"

namespace guiju {

namespace {

namespace fs = std::filesystem;

constexpr int kChinaUtcOffsetMinutes = 8 * 60;

// "max" -> 0, "1x" -> 1, "2.5x" -> 2.5.
std::optional<double> parse_speed(const std::string& text) {
  if (text == "max") return 0.0;
  if (text.size() < 2 || text.back() != 'x') return std::nullopt;
  double v = 0;
  const char* end = text.data() + text.size() - 1;
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || !(v > 0) || v > 1e6) return std::nullopt;
  return v;
}

bool digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  const auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + n, out);
  return ec == std::errc() && p == s.data() + at + n;
}

// HH:MM[:SS[.fff]] as nanoseconds since midnight; nullopt when malformed.
std::optional<Duration> parse_time_of_day(std::string_view s) {
  int h = 0;
  int m = 0;
  int sec = 0;
  if (!digits(s, 0, 2, h) || s.size() < 5 || s[2] != ':' || !digits(s, 3, 2, m)) return {};
  size_t at = 5;
  if (at < s.size()) {
    if (s[at] != ':' || !digits(s, at + 1, 2, sec)) return {};
    at += 3;
  }
  Duration fraction = 0;
  if (at < s.size()) {
    if (s[at] != '.' || at + 1 == s.size() || s.size() - at - 1 > 9) return {};
    Duration scale = kSecond;
    for (size_t i = at + 1; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return {};
      scale /= 10;
      fraction += (s[i] - '0') * scale;
    }
  }
  if (h > 23 || m > 59 || sec > 59) return {};
  return h * kHour + m * kMinute + sec * kSecond + fraction;
}

// --from/--to: an ISO-8601 UTC time (2026-11-27T01:30:00Z), or a time of day in the market's
// local time on the trading date (the data's utc_offset, else China time).
std::optional<Timestamp> parse_replay_time(const std::string& text, const EngineConfig& config) {
  if (text.size() > 11 && text[4] == '-' && text[10] == 'T' && text.back() == 'Z') {
    int y = 0;
    int mo = 0;
    int d = 0;
    if (!digits(text, 0, 4, y) || !digits(text, 5, 2, mo) || !digits(text, 8, 2, d)) return {};
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return {};
    const auto tod = parse_time_of_day(std::string_view(text).substr(11, text.size() - 12));
    if (!tod) return {};
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 24 * kHour +
           *tod;
  }
  const auto tod = parse_time_of_day(text);
  if (!tod) return {};
  const int offset = config.data.utc_offset_minutes.value_or(kChinaUtcOffsetMinutes);
  return utc_midnight(config.trading_date) + *tod - offset * kMinute;
}

// The replayed data must be the recorded data, byte for byte.
void check_recorded_sources(const ReplayData& data, const ReplayPlan& plan) {
  for (size_t i = 0; i < data.opened.size(); ++i) {
    const DataSourceEvent& now = data.opened[i].identity;
    const DataSourceEvent& then = plan.recorded_sources[i];
    if (now.sha256 != then.sha256) {
      throw std::runtime_error(
          "the data differs from what the journal recorded: " + std::string(then.format.view()) +
          ":" + std::string(then.location.view()) + " was " + journal::to_hex(then.sha256) +
          ", now " + journal::to_hex(now.sha256));
    }
  }
}

// A progress bar on standard error, for replays longer than a couple of seconds, on a terminal
// only: it never reaches a log, a pipe or the summary.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO) != 0) {}
  ~ProgressBar() {
    if (shown_) std::fprintf(stderr, "\r%*s\r", 78, "");
  }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(const MarketDataSource& source, const ReplayStats& stats) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed < 2.0 || now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    shown_ = true;
    const double p = source.progress();
    constexpr int kWidth = 30;
    char bar[kWidth + 1];
    const int filled = p < 0 ? 0 : static_cast<int>(p * kWidth);
    for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kWidth] = '\0';
    const double rate = static_cast<double>(stats.market_events) / elapsed;
    char speed[32];
    if (rate >= 1e5) {
      std::snprintf(speed, sizeof speed, "%.2f M events/s", rate / 1e6);
    } else {
      std::snprintf(speed, sizeof speed, "%.0f events/s", rate);
    }
    if (p < 0) {
      std::fprintf(stderr, "\rreplay %llu events, %.1f s, %s   ",
                   static_cast<unsigned long long>(stats.market_events), elapsed, speed);
    } else {
      const double eta = p > 0 ? elapsed * (1 - p) / p : 0;
      std::fprintf(stderr, "\rreplay [%s] %3.0f%%  %s  %.0f s left   ", bar, 100 * p, speed, eta);
    }
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

RunRecord run_record(const EngineConfig& config, const Engine& engine, const RunFacts& facts,
                     const PerformanceTracker& tracker) {
  RunRecord r;
  r.title = "Replay of " + config.source_file + ", trading date " + config.trading_date;
  for (SummaryRow& row : activity_rows(engine, facts, false)) {
    r.summary.emplace_back(std::move(row.label), std::move(row.value));
  }
  for (SummaryRow& row : result_rows(engine, facts)) {
    r.summary.emplace_back(std::move(row.label), std::move(row.value));
  }
  r.display_utc_offset_minutes = config.data.utc_offset_minutes.value_or(kChinaUtcOffsetMinutes);
  const PerformanceSeries& s = tracker.series();
  r.times = s.times;
  r.net_pnl = s.net_pnl;
  std::vector<bool> traded(engine.instruments().size(), false);
  for (const FillSample& f : s.fills) traded[f.instrument] = true;
  for (const Position& p : engine.portfolio().positions()) traded[p.instrument] = true;
  for (const Instrument& i : engine.instruments().all()) {
    if (!traded[i.id]) continue;
    InstrumentRecord ir;
    ir.symbol = i.symbol;
    ir.position = s.position[i.id];
    ir.mark = s.mark[i.id];
    for (const FillSample& f : s.fills) {
      if (f.instrument == i.id) ir.fills.push_back({f.time, f.side, f.price, f.quantity});
    }
    r.instruments.push_back(std::move(ir));
  }
  return r;
}

std::string default_report_path(const EngineConfig& config) {
  return "reports/" + fs::path(config.source_file).stem().string() + "-" + config.trading_date +
         ".html";
}

void write_report(const std::string& path, const RunRecord& record) {
  const fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::trunc | std::ios::binary);
  if (out) write_html_report(out, record);
  out.close();
  if (!out) throw std::runtime_error("cannot write the HTML report '" + path + "'");
}

}  // namespace

void run_replay(const EngineConfig& config, const ReplayPlan& plan) {
  const InstrumentRegistry registry = build_registry(config);
  const bool rerun = plan.rerun_sink != nullptr;

  // The data first: bad data stops the replay before anything is journaled.
  ReplayData data =
      open_replay_data(plan.data, registry, data_options(config, registry, plan.from, plan.to));
  if (rerun) check_recorded_sources(data, plan);
  for (const OpenedSource& s : data.opened) log().info("market data: {}", s.description);

  EngineOptions options = engine_options(config);
  options.journal_market_data = false;
  for (const OpenedSource& s : data.opened) options.session.data_sources.push_back(s.identity);
  SimulatedClock clock;
  ClientOrderIdAllocator ids(config.engine.client_order_id_prefix, config.trading_date);
  Engine engine(registry, clock, ids, options);
  add_accounts_and_strategies(engine, config, registry);
  const RiskChecks risk(engine, config);
  // Signals are answered at once on the engine thread: a replay decides the same way every time.
  const SignalBackend signals = attach_signals(config, engine, SignalMode::kReplay);

  std::unique_ptr<journal::JournalService> audit;
  if (rerun) {
    engine.set_journal(plan.rerun_sink);
  } else {
    audit = open_audit_journal(config);
    if (audit) engine.set_journal(audit.get());
  }

  SpscRing<EventSlot> reports(config.engine.inbound_ring_capacity, BackPressure::kFail,
                              "venue-reports");
  SimulatedVenue venue(registry, reports, venue_options(config, registry));
  ReplayLatency latency;
  latency.order_entry = static_cast<Duration>(config.venue.order_latency_us) * kMicrosecond;
  latency.market_data = static_cast<Duration>(config.venue.market_data_latency_us) * kMicrosecond;
  SimulatedSession session(engine, clock, venue, reports, latency);
  PerformanceTracker tracker(kMinute, registry.size());
  session.set_performance_tracker(&tracker);
  session.set_speed(plan.speed);
  ProgressBar bar(plan.progress && !rerun);
  session.set_progress_callback([&bar](const MarketDataSource& source, const ReplayStats& stats) {
    bar.update(source, stats);
  });

  log().info("guiju replay: {} instruments, {} accounts, {} strategies, config {}", registry.size(),
             config.accounts.size(), config.strategies.size(), config.source_file);
  const auto wall_start = std::chrono::steady_clock::now();
  const ReplayStats stats = session.run(*data.source);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (rerun) return;

  RunFacts facts;
  facts.mode = "replay";
  facts.first_event = stats.first_event;
  facts.last_event = stats.last_event;
  facts.performance = tracker.report();
  facts.wall_seconds = wall;
  if (audit) {
    audit->stop();
    facts.journal_directory = config.audit.directory;
    facts.journal_durable = audit->durable_sequence();
    facts.journal_failure = audit->failure();
  }
  if (!plan.report.empty()) {
    write_report(plan.report, run_record(config, engine, facts, tracker));
    facts.report_path = fs::absolute(plan.report).lexically_normal().string();
  }
  shutdown_logging();
  print_run_summary(std::cout, engine, facts);
}

int replay_command(const ReplayArguments& args) {
  std::optional<EngineConfig> config = load_config_for_command(args.config_path);
  if (!config) return 2;
  return replay_configured(std::move(*config), args);
}

int replay_configured(EngineConfig config, const ReplayArguments& args) {
  config.mode = RunMode::kReplay;

  ReplayPlan plan;
  try {
    plan.data = market_data_specs(config, args.data);
  } catch (const ConfigError& e) {
    std::cerr << "guiju: config error: " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "guiju replay: --data " << e.what() << "\n";
    return 2;
  }
  const auto speed = parse_speed(args.speed);
  if (!speed) {
    std::cerr << "guiju replay: --speed " << args.speed << ": expected max, 1x or Nx (N > 0)\n";
    return 2;
  }
  plan.speed = *speed;
  for (const auto& [text, out, name] :
       {std::tuple{&args.from, &plan.from, "--from"}, std::tuple{&args.to, &plan.to, "--to"}}) {
    if (text->empty()) continue;
    const auto t = parse_replay_time(*text, config);
    if (!t) {
      std::cerr << "guiju replay: " << name << " " << *text
                << ": expected HH:MM[:SS[.fff]] (market time on the trading date) or "
                   "YYYY-MM-DDTHH:MM:SS[.fff]Z\n";
      return 2;
    }
    *out = *t;
  }
  if (plan.from != 0 && plan.to != 0 && plan.to <= plan.from) {
    std::cerr << "guiju replay: --to " << args.to << " is not after --from " << args.from << "\n";
    return 2;
  }
  if (!args.no_report)
    plan.report = args.report.empty() ? default_report_path(config) : args.report;
  plan.quiet = args.quiet;
  plan.progress = args.progress;

  try {
    LogOptions log_options = config.logging;
    if (args.quiet) log_options.console = false;
    init_logging(log_options);
    run_replay(config, plan);
    return 0;
  } catch (...) {
    return exit_code_for_failure("replay");
  }
}

}  // namespace guiju
