#pragma once
// The engine configuration, as loaded and validated from YAML (see config_loader.hpp).
// Plain values: every field has been checked by the time a program sees this struct.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bus/back_pressure.hpp"
#include "core/config/strategy_parameters.hpp"
#include "core/data/csv_mapping.hpp"
#include "core/logging/log.hpp"
#include "core/metrics/listen_address.hpp"
#include "core/model/instrument.hpp"
#include "core/portfolio/fee_schedule.hpp"
#include "core/risk/message_throttle.hpp"
#include "core/risk/order_limits_check.hpp"
#include "core/risk/order_size_limits.hpp"
#include "core/risk/risk_limits.hpp"
#include "core/risk/self_trade_check.hpp"

namespace guiju {

enum class RunMode : uint8_t { kLive = 1, kPaper = 2, kReplay = 3 };
std::string_view to_string(RunMode m);

struct EngineSection {
  size_t max_orders = 1 << 18;  // pre-allocated: about 200 bytes each
  size_t order_ring_capacity = 1 << 16;
  size_t inbound_ring_capacity = 1 << 16;
  BackPressure order_ring_policy = BackPressure::kFail;
  std::string client_order_id_prefix = "GJ";
  std::string state_dir = "state";  // persisted order-id counter (paper and live)
  // A strategy callback running longer than this is counted; past the limit of such overruns
  // the strategy is quarantined. 0 switches the budget off.
  uint32_t callback_budget_us = 1000;
  uint32_t callback_overrun_limit = 100;
};

// Where strategy plugins may be loaded from. Relative directories, like every relative path in
// the config, are taken from the working directory.
struct PluginsConfig {
  std::vector<std::string> directories;
};

struct AccountConfig {
  std::string name;
  FeeSchedule fees;
  // Shares held overnight, by symbol: what T+1 lets the account sell today at a venue applying
  // the A-share rules.
  std::vector<std::pair<std::string, Quantity>> holdings;
  // A high-frequency account filed with the exchange: its filed peak order messages per second
  // and per day replace the default hard stops (0: not filed).
  uint32_t filed_peak_per_second = 0;
  uint32_t filed_per_day = 0;
  // A margin account, allowed to sell short (otherwise a sell must come from what is held).
  bool allow_short = false;
  int line = 0;
};

struct StrategyConfig {
  int line = 0;  // where the entry starts in the config file
  std::string name;
  std::string plugin;  // the plugin file, in one of the plugin directories
  std::string sha256;  // the plugin file's pinned SHA-256 (64 hex digits); empty: not pinned
  std::string type;    // optional: the strategy type the plugin must declare
  bool out_of_process = false;      // run by `guiju strategy-host` in its own process
  std::string host_endpoint;        // out of process: where the engine binds (default ipc://)
  uint32_t host_timeout_ms = 1000;  // out of process: an unanswered callback means the host died
  std::string account;              // an AccountConfig name
  std::vector<std::string> instruments;  // symbols
  StrategyParameters parameters;
};

// One risk limit from the config: `risk:` (each account), `accounts[].risk`, `strategies[].risk`,
// `risk.instruments.SYMBOL` (core/risk/risk_limits.hpp).
struct LimitSetting {
  LimitScope scope = LimitScope::kAccount;
  std::string target;  // the account's or strategy's name, or the symbol; empty: every account
  LimitKey key = LimitKey::kMaxOrderQuantity;
  int64_t value = 0;  // raw, in the key's unit
};

struct RiskConfig {
  std::vector<LimitSetting> limits;  // in file order: a later setting of one limit wins
  CollarReference collar_reference = CollarReference::kLastTrade;
  ThrottleLimits throttle;  // risk.throttle: per account (unless filed) and per strategy
  // risk.fatal: breaches of these controls engage the kill switch over fatal_scope.
  std::vector<RiskCheckId> fatal;
  ControlScope fatal_scope = ControlScope::kAccount;
};

struct EndpointsConfig {
  std::string market_data = "synthetic";  // synthetic, or sse_level2 (a recorded SSE day)
  std::string archive;                    // sse_level2: the ZIP holding <trading_date>/*.csv
  std::string orders = "simulated";       // where orders go
};

// The seeded synthetic market (adapters/replay/synthetic_market.hpp).
// Recorded market data for replay and paper trading: FORMAT:PATH entries (adapters/replay/
// replay_data.hpp lists the formats), merged in time order. When empty, endpoints.market_data
// decides. The command line's --data replaces the list.
struct DataConfig {
  struct Source {
    std::string text;  // FORMAT[:PATH], as written
    int line = 0;      // where it was written, for errors found when it is opened
    int column = 0;
  };
  std::vector<Source> sources;
  std::string instrument;  // the symbol for files that name none (TrueFX, HistData, user CSVs)
  std::optional<int> utc_offset_minutes;  // the files' local time, when it is not the default
  bool skip_bad_rows = false;             // on_bad_row: skip (count and report) or stop
  std::optional<CsvMapping> csv;          // how `csv:` sources are laid out
};

struct SyntheticConfig {
  uint64_t seed = 1;
  double quotes_per_second = 2.0;    // per instrument, on average
  double trade_probability = 0.3;    // chance an update is accompanied by a trade
  double mean_reversion = 0.02;      // pull of the mid toward its anchor, per update
  double volatility_ticks = 1.5;     // stdev of mid moves per update, in ticks
  uint32_t session_seconds = 14400;  // trading seconds simulated (a full A-share day: 4 h)
};

// The audit journal (docs/audit.md). Paper and live trading require one.
struct AuditConfig {
  bool enabled = false;
  std::string directory;
  std::string durability = "every_commit";  // every_commit | interval | os_buffered
  uint32_t sync_interval_us = 2000;         // for interval
  uint32_t segment_mb = 256;
  size_t ring_capacity = 1 << 16;
  std::string checkpoint_key;  // Ed25519 private key (PEM); empty: no checkpoints
  uint32_t checkpoint_interval_s = 60;
};

// The simulated venue (replay and paper).
// fix: the FIX sessions of live mode and of the venue simulator (docs/fix.md). Paths are
// QuickFIX settings files.
struct FixConfig {
  std::string settings;     // `guiju venue`: the acceptor's sessions; empty: none
  std::string orders;       // the order-entry initiator session
  std::string market_data;  // the market-data initiator session(s)
  // market_data_thread, orders_thread: engine (the engine thread reads those sessions itself) or
  // own (a QuickFIX thread reads them and hands the events over).
  bool market_data_on_engine_thread = true;
  bool orders_on_engine_thread = true;
  std::string handl_inst = "1";                               // HandlInst(21) on FIX 4.2 orders
  std::vector<std::pair<std::string, std::string>> accounts;  // account name -> Account(1)
  std::vector<std::pair<int, std::string>> custom_tags;       // on every order message
  int line = 0;
};

// inference: the models strategies ask for signals (docs/inference.md). With no `service`, an
// embedded CPU backend serves them in process.
struct InferenceModelConfig {
  uint32_t id = 0;      // what strategies name in request_signal (model_id)
  std::string name;     // the model repository's NAME (the service's, with a service)
  std::string version;  // its VERSION; empty: the latest
};

// How `service` is reached: in this process, guiju-inferd over ZeroMQ (tcp:// or ipc://), or a
// KServe v2 server over HTTP (http://: guiju-inferd --http, NVIDIA Triton).
enum class InferenceTransport : uint8_t { kEmbedded, kZeroMq, kKServeHttp };

struct InferenceConfig {
  // DIR/NAME/VERSION/{model.onnx,config.yaml}; may be empty with a service, which has its own
  // (replay still runs the models in process, from here).
  std::string repository;
  std::vector<InferenceModelConfig> models;
  std::string service = "embedded";  // or the service's endpoint
  InferenceTransport transport = InferenceTransport::kEmbedded;
  uint32_t queue_capacity = 4096;  // requests in flight; more are answered overloaded
  // With a service: how long the start waits for it to answer (its models are logged, or that it
  // is not there); the run starts either way.
  uint32_t connect_timeout_ms = 1000;
  int line = 0;
};

struct VenueConfig {
  bool queue_fill = true;  // fill_model: queue (queue position behind displayed size) or touch
  uint32_t order_latency_us = 0;        // replay: engine <-> venue, each way
  uint32_t market_data_latency_us = 0;  // replay: venue's market -> engine
  bool ashare_rules = false;            // market_rules: ashare (phases, limits, ticks, lots)
  bool t_plus_one = true;               // with ashare: sells only from overnight holdings
};

// metrics: the HTTP endpoint for Prometheus and health probes (docs/metrics.md); off when absent.
struct MetricsConfig {
  bool enabled = false;
  ListenAddress listen;
};

// control: the control plane `guiju ctl` talks to (docs/operations.md); off when absent.
struct ControlConfig {
  bool enabled = false;
  std::string listen;      // tcp://HOST:PORT or ipc://PATH
  std::string server_key;  // the engine's CURVE key pair (`guiju ctl keygen`), mode 0600
  std::string operators;   // the allow-list of operators' public keys and roles
};

// dropcopy: the drop-copy / monitoring feed, a ZeroMQ PUB socket of order and fill events for
// risk officers' tools (docs/operations.md); off when absent. `guiju run` only (paper and live).
struct DropCopyConfig {
  bool enabled = false;
  std::string publish;                 // tcp://HOST:PORT or ipc://PATH, as written
  uint32_t high_water_mark = 100'000;  // messages queued per subscriber before PUB drops
  int line = 0;                        // where publish was written
};

// threads: where the engine's threads run (docs/operations.md, deploy/tuning.md). Each role's
// CPUs (`cpu: 2` or `cpu: [2, 3]`); an empty list leaves the thread where the scheduler puts it.
// Every thread is named whether placed or not (guiju-engine, guiju-journal, guiju-fix,
// guiju-infer).
struct ThreadPlacementConfig {
  std::vector<int> cpus;
  int line = 0;  // where `cpu` was written, for errors found when the thread is placed
};

struct ThreadsConfig {
  ThreadPlacementConfig engine;     // the engine loop: the thread `guiju run` starts on
  ThreadPlacementConfig journal;    // the audit journal's writer
  ThreadPlacementConfig fix;        // QuickFIX's threads (sessions read by a thread of their own)
  ThreadPlacementConfig inference;  // the inference client's or embedded backend's threads
};

struct PaperConfig {
  uint32_t duration_seconds = 0;  // 0: until interrupted
  double speed = 1.0;             // 1.0: real time
};

// fix: the QuickFIX settings file (sessions, ports, stores, dictionaries).
struct EngineConfig {
  std::string source_file;
  RunMode mode = RunMode::kReplay;
  std::string trading_date;  // YYYYMMDD
  EngineSection engine;
  LogOptions logging;
  std::vector<Instrument> instruments;
  std::vector<AccountConfig> accounts;
  std::vector<StrategyConfig> strategies;
  RiskConfig risk;
  SelfTradeRules self_trade;  // risk.self_trade; accounts by their index in `accounts`
  EndpointsConfig endpoints;
  DataConfig data;
  SyntheticConfig synthetic;
  PaperConfig paper;
  AuditConfig audit;
  PluginsConfig plugins;
  VenueConfig venue;
  FixConfig fix;
  InferenceConfig inference;
  MetricsConfig metrics;
  ControlConfig control;
  ThreadsConfig threads;
  DropCopyConfig dropcopy;
};

}  // namespace guiju
