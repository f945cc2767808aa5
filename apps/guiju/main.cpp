// guiju: the engine's command-line entry point. Parses arguments and hands over to a command.

#include <CLI/CLI.hpp>

#include <iostream>

#include "apps/guiju/audit_command.hpp"
#include "apps/guiju/audit_report.hpp"
#include "apps/guiju/rerun_command.hpp"
#include "apps/guiju/run_command.hpp"
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
  std::string rerun_config;
  CLI::App* replay_cmd = app.add_subcommand(
      "replay", "Re-run a recorded session against its journal and report the first divergence");
  replay_cmd->add_option("--rerun", rerun_dir, "Journal of the session to re-run")
      ->required()
      ->check(CLI::ExistingDirectory);
  replay_cmd->add_option("-c,--config", rerun_config, "The session's engine config")
      ->required()
      ->check(CLI::ExistingFile);

  std::string host_endpoint;
  CLI::App* host_cmd = app.add_subcommand(
      "strategy-host",
      "Run one strategy plugin in its own process for an engine (started by the engine)");
  host_cmd->add_option("--connect", host_endpoint, "The engine's endpoint (ipc:// or tcp://)")
      ->required();

  CLI11_PARSE(app, argc, argv);
  if (*host_cmd) return guiju::run_strategy_host(host_endpoint);
  if (*replay_cmd) return guiju::rerun_command(rerun_dir, rerun_config);
  if (*report_cmd) return guiju::audit_report_command(report);
  if (*run_cmd) return guiju::run_command(run);
  if (*verify_cmd) return guiju::audit_verify_command(journal_dir, public_key);
  if (*query_cmd || *export_cmd) return guiju::audit_query_command(query);
  return 0;
}
