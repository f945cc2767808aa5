// guiju: the engine's command-line entry point. Parses arguments and hands over to a command.

#include <CLI/CLI.hpp>

#include <iostream>

#include "apps/guiju/audit_command.hpp"
#include "apps/guiju/audit_report.hpp"
#include "apps/guiju/ctl_command.hpp"
#include "apps/guiju/replay_command.hpp"
#include "apps/guiju/rerun_command.hpp"
#include "apps/guiju/run_command.hpp"
#include "apps/guiju/venue_command.hpp"
#include "core/plugin/strategy_host.hpp"
#include "guiju/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"guiju: event-driven trading engine with pre-trade rules and an audit trail"};
  app.set_version_flag("--version", std::string("guiju ") + guiju::kVersion);
  app.require_subcommand(1);

  guiju::RunArguments run;
  CLI::App* run_cmd =
      app.add_subcommand("run", "Run the engine from a config file (examples in configs/)");
  run_cmd->add_option("-c,--config", run.config_path, "Engine config (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  run_cmd->add_flag("-q,--quiet", run.quiet, "Print only the summary, no log lines");

  CLI::App* audit_cmd = app.add_subcommand("audit", "Check the audit journal");
  audit_cmd->require_subcommand(1);
  std::string journal_dir;
  CLI::App* verify_cmd = audit_cmd->add_subcommand(
      "verify", "Verify a journal: framing, sequence, hash chain, manifest (exit 1 on damage)");
  verify_cmd->add_option("dir", journal_dir, "Journal directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  std::string public_key;
  verify_cmd
      ->add_option("--public-key", public_key,
                   "Ed25519 public key (PEM): check every signed checkpoint against it")
      ->check(CLI::ExistingFile);

  guiju::AuditQueryArguments query;
  auto add_filters = [&](CLI::App* cmd) {
    cmd->add_option("dir", query.directory, "Journal directory")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--from", query.from, "From this event time (UTC, e.g. 2026-11-27T01:30:00Z)");
    cmd->add_option("--to", query.to, "Before this event time (UTC)");
    cmd->add_option("--instrument", query.instrument, "Instrument id");
    cmd->add_option("--account", query.account, "Account id");
    cmd->add_option("--strategy", query.strategy, "Strategy id");
    cmd->add_option("--type", query.type, "Event type, e.g. new_order, execution_report");
    cmd->add_option("--order", query.order,
                    "An order's whole story: every record naming it, through its replaces");
  };
  CLI::App* query_cmd = audit_cmd->add_subcommand("query", "Print the records that match filters");
  add_filters(query_cmd);
  CLI::App* export_cmd =
      audit_cmd->add_subcommand("export", "Export matching records as CSV or JSON Lines");
  add_filters(export_cmd);
  export_cmd->add_option("--format", query.format, "csv or jsonl")->required();
  export_cmd->add_option("-o,--output", query.output, "Output file (default: standard output)");

  guiju::AuditReportArguments report;
  CLI::App* report_cmd = audit_cmd->add_subcommand(
      "report", "Order activity per account and strategy against CSRC thresholds");
  report_cmd->add_option("dir", report.directory, "Journal directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  report_cmd->add_option("--html", report.html, "Also write a self-contained HTML page");
  report_cmd->add_option("--filed-peak-per-second", report.filed_peak_per_second,
                         "The peak order messages per second the firm filed");
  report_cmd->add_option("--filed-per-day", report.filed_per_day,
                         "The order messages per day the firm filed");

  std::string rerun_dir;
  guiju::ReplayArguments replay;
  CLI::App* replay_cmd = app.add_subcommand(
      "replay",
      "Replay market data through the engine and the simulated venue on the simulated clock, "
      "or re-run a recorded session (--rerun) and report the first divergence");
  replay_cmd->add_option("-c,--config", replay.config_path, "Engine config (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  replay_cmd->add_option(
      "--data", replay.data,
      "Market data, FORMAT[:PATH], repeatable (merged in time order): synthetic, "
      "sse_level2:ZIP, journal:DIR, lean:ZIP, hftbacktest:GZ, truefx:CSV, histdata:CSV, "
      "binance_depth:CSV, csv:FILE (mapping in the config's data.csv). Default: the config's");
  replay_cmd->add_option("--from", replay.from,
                         "Start at this market time: HH:MM[:SS[.fff]] local market time on the "
                         "trading date (data.utc_offset, else UTC+08:00), or "
                         "YYYY-MM-DDTHH:MM:SS[.fff]Z");
  replay_cmd->add_option("--to", replay.to, "Stop before this market time (same forms)");
  replay_cmd->add_option("--speed", replay.speed,
                         "max (default), 1x (as recorded) or Nx (N times as fast)");
  replay_cmd->add_option("--report", replay.report,
                         "Write the HTML report here (default reports/<config>-<date>.html)");
  replay_cmd->add_flag("--no-report", replay.no_report, "Write no HTML report");
  replay_cmd->add_flag("-q,--quiet", replay.quiet, "Print only the summary, no log lines");
  replay_cmd
      ->add_option("--rerun", rerun_dir,
                   "Re-run the session recorded in this journal with the config, comparing "
                   "every decision")
      ->check(CLI::ExistingDirectory);

  guiju::VenueArguments venue;
  CLI::App* venue_cmd = app.add_subcommand(
      "venue",
      "Run the FIX exchange simulator: members trade with each other and a background "
      "market (configs/venue.yaml)");
  venue_cmd->add_option("-c,--config", venue.config_path, "Venue config (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  venue_cmd->add_option("--duration", venue.duration_seconds,
                        "Stop after this many seconds (default: at SIGINT or SIGTERM)");
  venue_cmd->add_flag("-q,--quiet", venue.quiet, "No log lines on the console");
  venue_cmd->add_option("--trade-log", venue.trade_log_path,
                        "Write every member execution to this CSV file as it happens");

  guiju::CtlArguments ctl;
  CLI::App* ctl_cmd = app.add_subcommand(
      "ctl",
      "Control a running engine: status, strategies, orders, positions, risk, kill, reset, "
      "flatten (`guiju ctl help`); `guiju ctl keygen NAME` makes an operator's key pair");
  ctl_cmd->add_option("words", ctl.words, "The command and its arguments")->take_all();
  ctl_cmd->add_option("-c,--config", ctl.config, "The engine's config: its control section")
      ->check(CLI::ExistingFile);
  ctl_cmd->add_option("--connect", ctl.connect, "The engine's control endpoint (tcp:// or ipc://)");
  ctl_cmd->add_option("--server-key", ctl.server_key, "The engine's public key file")
      ->check(CLI::ExistingFile);
  ctl_cmd->add_option("--key", ctl.key, "Your key file (NAME.key; default: $GUIJU_CTL_KEY)")
      ->check(CLI::ExistingFile);
  ctl_cmd->add_option("--reason", ctl.reason, "Why, for the audit journal");
  ctl_cmd->add_option("--timeout-ms", ctl.timeout_ms, "How long to wait for the answer");
  ctl_cmd->add_option("--dir", ctl.directory, "keygen: where to write NAME.key and NAME.pub")
      ->check(CLI::ExistingDirectory);

  std::string host_endpoint;
  CLI::App* host_cmd = app.add_subcommand(
      "strategy-host",
      "Run one strategy plugin in its own process for an engine (started by the engine)");
  host_cmd->add_option("--connect", host_endpoint, "The engine's endpoint (ipc:// or tcp://)")
      ->required();

  CLI11_PARSE(app, argc, argv);
  if (*host_cmd) return guiju::run_strategy_host(host_endpoint);
  if (*replay_cmd && !rerun_dir.empty()) return guiju::rerun_command(rerun_dir, replay.config_path);
  if (*replay_cmd) return guiju::replay_command(replay);
  if (*report_cmd) return guiju::audit_report_command(report);
  if (*run_cmd) return guiju::run_command(run);
  if (*ctl_cmd) return guiju::ctl_command(ctl);
  if (*venue_cmd) return guiju::venue_command(venue);
  if (*verify_cmd) return guiju::audit_verify_command(journal_dir, public_key);
  if (*query_cmd || *export_cmd) return guiju::audit_query_command(query);
  return 0;
}
