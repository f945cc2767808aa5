// Tests for core/config/config_loader.hpp: configs/demo.yaml loads with the values it states; a
// small valid config parses with the documented defaults; and a table of broken configs, each
// rejected with a ConfigError naming the file, line, column, key path and the problem. Also the
// file-level errors (missing, empty) and strategy parameters carrying their source lines.

#include "core/config/config_loader.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <regex>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace guiju {
namespace {

// The value the config sets for a limit at a scope and target (the last setting wins), or 0.
int64_t LimitOf(const EngineConfig& c, LimitKey key, LimitScope scope = LimitScope::kAccount,
                const std::string& target = "") {
  int64_t value = 0;
  for (const LimitSetting& l : c.risk.limits) {
    if (l.key == key && l.scope == scope && l.target == target) value = l.value;
  }
  return value;
}

namespace fs = std::filesystem;

fs::path SourceDir() {
  if (const char* env = std::getenv("GUIJU_SOURCE_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return fs::path(__FILE__).parent_path().parent_path().parent_path();  // tests/unit/ -> root
}

// A small valid config; the table below edits single lines of it, so its line numbers matter.
const std::vector<std::string> kBaseLines = {
    /*  1 */ "mode: replay",
    /*  2 */ "trading_date: \"20261127\"",
    /*  3 */ "engine:",
    /*  4 */ "  max_orders: 1000",
    /*  5 */ "  order_ring_capacity: 1024",
    /*  6 */ "logging:",
    /*  7 */ "  level: info",
    /*  8 */ "instruments:",
    /*  9 */ "  - symbol: \"600519\"",
    /* 10 */ "    venue: SSE",
    /* 11 */ "    tick_size: \"0.01\"",
    /* 12 */ "    lot_size: 100",
    /* 13 */ "    board: main",
    /* 14 */ "    currency: CNY",
    /* 15 */ "    previous_close: \"1700.00\"",
    /* 16 */ "  - symbol: \"000001\"",
    /* 17 */ "    venue: SZSE",
    /* 18 */ "    tick_size: \"0.01\"",
    /* 19 */ "    lot_size: 100",
    /* 20 */ "    board: chinext",
    /* 21 */ "    currency: CNY",
    /* 22 */ "    previous_close: \"11.20\"",
    /* 23 */ "accounts:",
    /* 24 */ "  - name: demo",
    /* 25 */ "    fees:",
    /* 26 */ "      commission_rate: \"0.00025\"",
    /* 27 */ "      min_commission: \"5\"",
    /* 28 */ "strategies:",
    /* 29 */ "  - name: mr",
    /* 30 */ "    plugin: mean_reversion.so",
    /* 31 */ "    account: demo",
    /* 32 */ "    instruments: [\"600519\", \"000001\"]",
    /* 33 */ "    parameters:",
    /* 34 */ "      lookback: 120",
    /* 35 */ "      entry_bps: \"6.5\"",
    /* 36 */ "  - name: mr2",
    /* 37 */ "    plugin: mean_reversion.so",
    /* 38 */ "    account: demo",
    /* 39 */ "    instruments: [\"000001\"]",
    /* 40 */ "plugins:",
    /* 41 */ "  directories: [\".\"]",
};

// The base config with line `line` (1-based) replaced by `text`; line 0 appends `text` instead.
std::string Config(int line = -1, const std::string& text = "") {
  std::ostringstream out;
  for (size_t i = 0; i < kBaseLines.size(); ++i) {
    out << (static_cast<int>(i) + 1 == line ? text : kBaseLines[i]) << "\n";
  }
  if (line == 0) out << text << "\n";
  return out.str();
}

// Parses text expecting a ConfigError; returns it (or a default-looking one after a failure).
ConfigError ParseError(const std::string& text, const std::string& file = "bad.yaml") {
  try {
    const EngineConfig c = parse_engine_config(text, file);
    ADD_FAILURE() << "config accepted:\n" << text;
  } catch (const ConfigError& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw something other than ConfigError: " << e.what();
  }
  return ConfigError(file, -1, 0, "", "(no error)");
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> ReadLines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// 1-based number of the first line containing `needle`, or 0.
int LineContaining(const std::vector<std::string>& lines, const std::string& needle) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (Contains(lines[i], needle)) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : path_(fs::temp_directory_path() /
              ("guiju_config_loader_test_" + std::to_string(::getpid()) + "_" + name)) {
    std::ofstream(path_) << text;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// ---- valid configs ---------------------------------------------------------------------------

TEST(ConfigLoader, DemoConfigLoadsWithItsValues) {
  const fs::path path = SourceDir() / "configs" / "demo.yaml";
  ASSERT_TRUE(fs::exists(path)) << path << " (set GUIJU_SOURCE_DIR to the repository root)";
  // Its plugin directory is relative to the repository root, where the demo runs; here, the
  // working directory stands in for it.
  std::string demo;
  for (const std::string& line : ReadLines(path)) demo += line + "\n";
  const std::string dir = "directories: [build/strategies]";
  ASSERT_NE(demo.find(dir), std::string::npos);
  demo.replace(demo.find(dir), dir.size(), "directories: [.]");
  const EngineConfig c = parse_engine_config(demo, path.string());

  EXPECT_EQ(c.source_file, path.string());
  EXPECT_EQ(c.mode, RunMode::kReplay);
  EXPECT_EQ(c.trading_date, "20261127");

  EXPECT_EQ(c.engine.max_orders, 200'000u);
  EXPECT_EQ(c.engine.order_ring_capacity, 65'536u);
  EXPECT_EQ(c.engine.inbound_ring_capacity, 65'536u);
  EXPECT_EQ(c.engine.order_ring_policy, BackPressure::kFail);
  EXPECT_EQ(c.engine.client_order_id_prefix, "GJ");

  EXPECT_EQ(c.logging.level, "info");
  EXPECT_TRUE(c.logging.console);

  ASSERT_EQ(c.instruments.size(), 4u);
  const char* symbols[] = {"600519", "000001", "300750", "688981"};
  const char* venues[] = {"SSE", "SZSE", "SZSE", "SSE"};
  const Board boards[] = {Board::kMain, Board::kMain, Board::kChiNext, Board::kStar};
  const char* lots[] = {"100", "100", "100", "200"};
  const char* closes[] = {"1700.00", "11.20", "210.50", "52.30"};
  for (size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(symbols[i]);
    const Instrument& inst = c.instruments[i];
    EXPECT_EQ(inst.symbol, symbols[i]);
    EXPECT_EQ(inst.venue, venues[i]);
    EXPECT_EQ(inst.board, boards[i]);
    EXPECT_EQ(inst.currency, "CNY");
    EXPECT_EQ(inst.tick_size, *Price::parse("0.01"));
    EXPECT_EQ(inst.lot_size, *Quantity::parse(lots[i]));
    EXPECT_EQ(inst.previous_close, *Price::parse(closes[i]));
  }

  ASSERT_EQ(c.accounts.size(), 1u);
  EXPECT_EQ(c.accounts[0].name, "demo");
  EXPECT_EQ(c.accounts[0].fees.commission_rate, *Rate::parse("0.00025"));
  EXPECT_EQ(c.accounts[0].fees.min_commission, *Money::parse("5"));
  EXPECT_EQ(c.accounts[0].fees.stamp_duty_rate, *Rate::parse("0.0005"));
  EXPECT_EQ(c.accounts[0].fees.transfer_fee_rate, *Rate::parse("0.00001"));

  ASSERT_EQ(c.strategies.size(), 4u);  // the four sample plugins
  EXPECT_EQ(c.strategies[1].plugin, "market_maker.so");
  EXPECT_EQ(c.strategies[2].plugin, "momentum.so");
  EXPECT_EQ(c.strategies[3].plugin, "pairs.so");
  const StrategyConfig& s = c.strategies[0];
  EXPECT_EQ(s.name, "mean-reversion");
  EXPECT_EQ(s.plugin, "mean_reversion.so");
  EXPECT_EQ(s.account, "demo");
  EXPECT_EQ(s.instruments, (std::vector<std::string>{"600519", "000001", "300750", "688981"}));
  // The strategy's parameters are tuning knobs that change with the demo; check that each one
  // carries the key, value and line that the file itself has.
  const std::vector<std::string> file_lines = ReadLines(path);
  EXPECT_EQ(s.line, LineContaining(file_lines, "- name: mean-reversion"));
  const std::vector<std::string> keys = {"lookback",   "entry_bps",         "exit_bps",
                                         "order_lots", "max_position_lots", "order_timeout_ms"};
  ASSERT_EQ(s.parameters.entries().size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const StrategyParameters::Entry& e = s.parameters.entries()[i];
    EXPECT_EQ(e.key, keys[i]);
    EXPECT_FALSE(e.value.empty()) << e.key;
    EXPECT_EQ(e.line, LineContaining(file_lines, "      " + keys[i] + ":"));
    ASSERT_GE(e.line, 1);
    ASSERT_LE(e.line, static_cast<int>(file_lines.size()));
    const std::string& text = file_lines[static_cast<size_t>(e.line - 1)];
    EXPECT_TRUE(Contains(text, e.key + ": " + e.value)) << "line " << e.line << ": " << text;
    const std::string at_column = text.substr(static_cast<size_t>(e.column - 1));
    EXPECT_TRUE(StartsWith(at_column, e.value) || StartsWith(at_column, "\"" + e.value))
        << "column " << e.column << " of: " << text;
  }

  EXPECT_EQ(LimitOf(c, LimitKey::kMaxOrderQuantity), Quantity::from_units(100'000).raw());
  EXPECT_EQ(LimitOf(c, LimitKey::kMaxOrderValue), Price::from_units(5'000'000).raw());
  EXPECT_EQ(c.endpoints.market_data, "synthetic");
  EXPECT_EQ(c.endpoints.orders, "simulated");
  EXPECT_EQ(c.synthetic.seed, 20'261'127u);
  EXPECT_DOUBLE_EQ(c.synthetic.quotes_per_second, 4.0);
  EXPECT_DOUBLE_EQ(c.synthetic.trade_probability, 0.35);
  EXPECT_DOUBLE_EQ(c.synthetic.mean_reversion, 0.01);
  EXPECT_DOUBLE_EQ(c.synthetic.volatility_ticks, 2.0);
  EXPECT_EQ(c.synthetic.session_seconds, 14'400u);
}

// Limits per account (every account, then one), strategy and instrument, in their units, and the
// controls whose breach is fatal.
TEST(ConfigLoader, RiskLimitsAreReadAtEveryScope) {
  std::string text = Config(27,
                            "      min_commission: \"5\"\n"
                            "    allow_short: true\n"
                            "    risk:\n"
                            "      daily_loss_limit: 50000\n"
                            "      min_resting_ms: 500");
  text =
      std::regex_replace(text, std::regex("    instruments: \\[\"000001\"\\]\n"),
                         "    instruments: [\"000001\"]\n    risk:\n      max_open_orders: 20\n");
  text +=
      "risk:\n  max_order_quantity: 10000\n  max_cancel_ratio: 12.5\n"
      "  fatal: [max_gross_exposure, repeated_execution]\n  fatal_scope: strategy\n"
      "  instruments:\n    \"600519\":\n      restricted: true\n      price_collar_percent: 2\n";
  const EngineConfig c = parse_engine_config(text, "limits.yaml");
  EXPECT_TRUE(c.accounts[0].allow_short);
  EXPECT_EQ(LimitOf(c, LimitKey::kMaxOrderQuantity), Quantity::from_units(10'000).raw());
  EXPECT_EQ(LimitOf(c, LimitKey::kMaxCancelRatio), 1250);
  EXPECT_EQ(LimitOf(c, LimitKey::kDailyLossLimit, LimitScope::kAccount, "demo"),
            static_cast<int64_t>(Money::parse("50000")->raw()));
  EXPECT_EQ(LimitOf(c, LimitKey::kMinRestingTime, LimitScope::kAccount, "demo"),
            500 * kMillisecond);
  EXPECT_EQ(LimitOf(c, LimitKey::kMaxOpenOrders, LimitScope::kStrategy, "mr2"), 20);
  EXPECT_EQ(LimitOf(c, LimitKey::kRestricted, LimitScope::kInstrument, "600519"), 1);
  EXPECT_EQ(LimitOf(c, LimitKey::kPriceCollarPercent, LimitScope::kInstrument, "600519"), 200);
  EXPECT_EQ(c.risk.fatal, (std::vector<RiskCheckId>{RiskCheckId::kMaxGrossExposure,
                                                    RiskCheckId::kRepeatedExecution}));
  EXPECT_EQ(c.risk.fatal_scope, ControlScope::kStrategy);
}

TEST(ConfigLoader, BaseConfigParsesWithDefaultsForOmittedSections) {
  const EngineConfig c = parse_engine_config(Config(), "good.yaml");
  EXPECT_EQ(c.source_file, "good.yaml");
  EXPECT_EQ(c.mode, RunMode::kReplay);
  EXPECT_EQ(c.engine.max_orders, 1000u);
  EXPECT_EQ(c.engine.order_ring_capacity, 1024u);
  const EngineSection defaults;
  EXPECT_EQ(c.engine.inbound_ring_capacity, defaults.inbound_ring_capacity);
  EXPECT_EQ(c.engine.order_ring_policy, defaults.order_ring_policy);
  EXPECT_EQ(c.engine.client_order_id_prefix, defaults.client_order_id_prefix);
  EXPECT_EQ(c.engine.state_dir, defaults.state_dir);
  EXPECT_TRUE(c.risk.limits.empty());
  EXPECT_EQ(c.endpoints.market_data, "synthetic");
  EXPECT_EQ(c.endpoints.orders, "simulated");
  EXPECT_EQ(c.synthetic.seed, SyntheticConfig{}.seed);
  EXPECT_EQ(c.paper.duration_seconds, 0u);
  EXPECT_DOUBLE_EQ(c.paper.speed, 1.0);
  ASSERT_EQ(c.instruments.size(), 2u);
  EXPECT_EQ(c.instruments[1].board, Board::kChiNext);
  ASSERT_EQ(c.accounts.size(), 1u);
  EXPECT_EQ(c.accounts[0].fees.commission_rate, *Rate::parse("0.00025"));
  EXPECT_TRUE(c.accounts[0].fees.stamp_duty_rate.is_zero());
  ASSERT_EQ(c.strategies.size(), 2u);
  EXPECT_EQ(c.strategies[1].instruments, (std::vector<std::string>{"000001"}));
}

TEST(ConfigLoader, PaperModeAndBlockPolicyAreAccepted) {
  std::string text = Config(1, "mode: paper");
  text += "paper:\n  duration_seconds: 60\n  speed: 10\n";
  text += "audit:\n  directory: journal\n  durability: os_buffered\n  segment_mb: 64\n";
  const EngineConfig c = parse_engine_config(text, "paper.yaml");
  EXPECT_EQ(c.mode, RunMode::kPaper);
  EXPECT_EQ(c.paper.duration_seconds, 60u);
  EXPECT_DOUBLE_EQ(c.paper.speed, 10.0);
  EXPECT_TRUE(c.audit.enabled);
  EXPECT_EQ(c.audit.directory, "journal");
  EXPECT_EQ(c.audit.durability, "os_buffered");
  EXPECT_EQ(c.audit.segment_mb, 64u);
  const EngineConfig b = parse_engine_config(Config(5, "  order_ring_policy: block"), "block.yaml");
  EXPECT_EQ(b.engine.order_ring_policy, BackPressure::kBlock);
}

TEST(ConfigLoader, InferenceServiceIsEmbeddedByDefaultOrAGuijuInferdEndpoint) {
  const fs::path repository = SourceDir() / "strategies" / "ai_signal" / "model";
  const EngineConfig embedded =
      parse_engine_config(Config(0, "inference:\n  repository: " + repository.string() +
                                        "\n  models: [{ id: 1, name: ai_signal }]"),
                          "embedded.yaml");
  EXPECT_EQ(embedded.inference.service, "embedded");
  EXPECT_EQ(embedded.inference.transport, InferenceTransport::kEmbedded);
  EXPECT_EQ(embedded.inference.repository, repository.string());

  // With a service the engine loads no model file: no repository needed, and the models only
  // map ids to the service's names and versions.
  for (const char* endpoint : {"tcp://127.0.0.1:5600", "ipc://inferd.ipc"}) {
    const EngineConfig c =
        parse_engine_config(Config(0, std::string("inference:\n  service: ") + endpoint +
                                          "\n  connect_timeout_ms: 250\n  models:\n"
                                          "    - { id: 7, name: alpha, version: \"2024-06-01\" }\n"
                                          "    - { id: 8, name: beta }"),
                            "service.yaml");
    EXPECT_EQ(c.inference.service, endpoint);
    EXPECT_EQ(c.inference.transport, InferenceTransport::kZeroMq);
    EXPECT_TRUE(c.inference.repository.empty());
    EXPECT_EQ(c.inference.connect_timeout_ms, 250u);
    ASSERT_EQ(c.inference.models.size(), 2u);
    EXPECT_EQ(c.inference.models[0].id, 7u);
    EXPECT_EQ(c.inference.models[0].name, "alpha");
    EXPECT_EQ(c.inference.models[0].version, "2024-06-01");
    EXPECT_EQ(c.inference.models[1].version, "");
  }
}

TEST(ConfigLoader, PaperModeWithoutAnAuditJournalIsRefused) {
  try {
    parse_engine_config(Config(1, "mode: paper"), "paper.yaml");
    FAIL() << "a paper config without an audit journal was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("paper.yaml"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("audit"), std::string::npos) << e.what();
  }
}

TEST(ConfigLoader, AuditDurabilityMustBeKnown) {
  std::string text = Config();
  text += "audit:\n  directory: j\n  durability: sometimes\n";
  try {
    parse_engine_config(text, "audit.yaml");
    FAIL() << "an unknown durability was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("audit.durability"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sometimes"), std::string::npos) << e.what();
  }
}

TEST(ConfigLoader, StrategyParametersCarryTheirLineNumbers) {
  const EngineConfig c = parse_engine_config(Config(), "good.yaml");
  ASSERT_EQ(c.strategies.size(), 2u);
  const StrategyConfig& mr = c.strategies[0];
  EXPECT_EQ(mr.line, 29);
  EXPECT_EQ(mr.parameters.strategy(), "mr");
  const auto& entries = mr.parameters.entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].key, "lookback");
  EXPECT_EQ(entries[0].value, "120");
  EXPECT_EQ(entries[0].line, 34);
  EXPECT_EQ(entries[0].column, 17);
  EXPECT_EQ(entries[1].key, "entry_bps");
  EXPECT_EQ(entries[1].value, "6.5");
  EXPECT_EQ(entries[1].line, 35);
  EXPECT_EQ(entries[1].column, 18);
  EXPECT_EQ(mr.parameters.get_int("lookback", 0, 1, 1000), 120);

  // A typed getter's error points back into the config file.
  try {
    mr.parameters.get_int("entry_bps", 0, 0, 100);
    ADD_FAILURE() << "6.5 accepted as an integer";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(StartsWith(e.what(), "good.yaml:35:18: ")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "strategy 'mr' parameter entry_bps")) << e.what();
  }

  EXPECT_EQ(c.strategies[1].line, 36);
  EXPECT_EQ(c.strategies[1].parameters.strategy(), "mr2");
  EXPECT_TRUE(c.strategies[1].parameters.entries().empty());
}

// ---- table of broken configs -----------------------------------------------------------------

struct BadConfigCase {
  const char* name;
  int edit_line;  // the base line to replace; 0 appends
  const char* text;
  int line;    // expected error line
  int column;  // expected error column
  const char* key;
  const char* message;  // expected in the error text
};

class ConfigLoaderRejects : public ::testing::TestWithParam<BadConfigCase> {};

TEST_P(ConfigLoaderRejects, WithFileLineKeyAndReason) {
  const BadConfigCase& c = GetParam();
  const ConfigError e = ParseError(Config(c.edit_line, c.text));
  const std::string what = e.what();
  std::string prefix = "bad.yaml:" + std::to_string(c.line) + ":" + std::to_string(c.column) + ": ";
  if (*c.key != '\0') prefix += std::string(c.key) + ": ";
  EXPECT_TRUE(StartsWith(what, prefix)) << "expected prefix '" << prefix << "'\n got: " << what;
  EXPECT_TRUE(Contains(what, c.message)) << "expected '" << c.message << "'\n got: " << what;
  EXPECT_EQ(e.file(), "bad.yaml");
  EXPECT_EQ(e.line(), c.line);
  EXPECT_EQ(e.key(), c.key);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigLoaderRejects,
    ::testing::Values(
        BadConfigCase{"MissingMode", 1, "# no mode here", 2, 1, "mode", "missing required key"},
        BadConfigCase{"UnknownMode", 1, "mode: fast", 1, 7, "mode",
                      "expected live, paper or replay, got 'fast'"},
        BadConfigCase{"LiveModeNeedsItsFixSessions", 1, "mode: live", 1, 7, "mode",
                      "add fix.orders and fix.market_data"},
        BadConfigCase{"FixSettingsFileMissing", 0, "fix:\n  orders: no-such.cfg", 43, 11,
                      "fix.orders", "no such QuickFIX settings file 'no-such.cfg'"},
        BadConfigCase{"FixCustomTagNotUserDefined", 0, "fix:\n  custom_tags: { 44: x }", 43, 18,
                      "fix.custom_tags.44", "5000 or above"},
        BadConfigCase{"FixMarketDataThreadUnknown", 0, "fix:\n  market_data_thread: mine", 43, 23,
                      "fix.market_data_thread", "expected engine or own, got 'mine'"},
        BadConfigCase{"FixOrdersThreadUnknown", 0, "fix:\n  orders_thread: 2", 43, 18,
                      "fix.orders_thread", "expected engine or own, got '2'"},
        BadConfigCase{"ModeNotAScalar", 1, "mode: [replay]", 1, 7, "mode",
                      "expected a single value"},
        BadConfigCase{"ImpossibleTradingDate", 2, "trading_date: \"20261301\"", 2, 15,
                      "trading_date", "not a calendar date, got '20261301'"},
        BadConfigCase{"ShortTradingDate", 2, "trading_date: \"2026112\"", 2, 15, "trading_date",
                      "expected YYYYMMDD (8 digits)"},
        BadConfigCase{"UnknownTopLevelKey", 6, "loging:", 6, 1, "loging", "unknown key"},
        BadConfigCase{"UnknownEngineKey", 5, "  order_ring_capacty: 1024", 5, 3,
                      "engine.order_ring_capacty", "unknown key"},
        BadConfigCase{"RingCapacityNotPowerOfTwo", 5, "  order_ring_capacity: 1000", 5, 24,
                      "engine.order_ring_capacity", "expected a power of two, got 1000"},
        BadConfigCase{"NegativeMaxOrders", 4, "  max_orders: -5", 4, 15, "engine.max_orders",
                      "got '-5'"},
        BadConfigCase{"MaxOrdersNotANumber", 4, "  max_orders: abc", 4, 15, "engine.max_orders",
                      "expected an integer"},
        BadConfigCase{"TickSizeNotANumber", 18, "    tick_size: \"abc\"", 18, 16,
                      "instruments[1].tick_size", "expected a price, got 'abc'"},
        BadConfigCase{"TickSizeZero", 11, "    tick_size: \"0\"", 11, 16,
                      "instruments[0].tick_size", "must be positive"},
        BadConfigCase{"LotSizeZero", 12, "    lot_size: 0", 12, 15, "instruments[0].lot_size",
                      "must be positive"},
        BadConfigCase{"UnknownBoard", 13, "    board: gem", 13, 12, "instruments[0].board",
                      "expected main, chinext, star, st or other"},
        BadConfigCase{"CurrencyNotThreeLetters", 14, "    currency: CNYY", 14, 15,
                      "instruments[0].currency", "3-letter"},
        BadConfigCase{"PreviousCloseOffTick", 22, "    previous_close: \"11.205\"", 22, 21,
                      "instruments[1].previous_close", "not a multiple of tick_size 0.01"},
        BadConfigCase{"DuplicateSymbol", 16, "  - symbol: \"600519\"", 16, 13,
                      "instruments[1].symbol", "duplicate symbol '600519'"},
        BadConfigCase{"FeeRateAboveOne", 26, "      commission_rate: \"1.5\"", 26, 24,
                      "accounts[0].fees.commission_rate", "between 0 and 1"},
        BadConfigCase{"NegativeFeeRate", 26, "      commission_rate: \"-0.0001\"", 26, 24,
                      "accounts[0].fees.commission_rate", "between 0 and 1"},
        BadConfigCase{"NegativeMinCommission", 27, "      min_commission: \"-1\"", 27, 23,
                      "accounts[0].fees.min_commission", "must not be negative"},
        BadConfigCase{"StrategyWithUnknownAccount", 38, "    account: nobody", 38, 14,
                      "strategies[1].account", "got 'nobody'"},
        BadConfigCase{"StrategyInstrumentNotConfigured", 39,
                      "    instruments: [\"000001\", \"999999\"]", 39, 29,
                      "strategies[1].instruments[1]", "got '999999'"},
        BadConfigCase{"StrategyWithNoInstruments", 32, "    instruments: []", 32, 18,
                      "strategies[0].instruments", "non-empty list"},
        BadConfigCase{"DuplicateStrategyName", 36, "  - name: mr", 36, 11, "strategies[1].name",
                      "duplicate strategy name 'mr'"},
        BadConfigCase{"StrategyMissingPlugin", 30, "    # plugin removed", 29, 5,
                      "strategies[0].plugin", "missing required key"},
        BadConfigCase{"PluginPinNotASha256", 39, "    sha256: abc\n    instruments: [\"000001\"]",
                      39, 13, "strategies[1].sha256", "expected 64 hex digits"},
        BadConfigCase{"PluginDirectoryMissing", 41, "  directories: [no-such-dir]", 41, 17,
                      "plugins.directories[0]", "no such directory"},
        BadConfigCase{"UnknownStrategyKey", 33, "    parametres:", 33, 5,
                      "strategies[0].parametres", "unknown key"},
        BadConfigCase{"ParameterNotAScalar", 35, "      entry_bps: [1, 2]", 35, 18,
                      "strategies[0].parameters.entry_bps", "expected a single value"},
        BadConfigCase{"LoggingLevelLoud", 7, "  level: loud", 7, 10, "logging.level", "got 'loud'"},
        BadConfigCase{"InvalidYamlSyntax", 10, "    venue: SSE: x", 10, 15, "", "invalid YAML"},
        BadConfigCase{"NegativeRiskValue", 0, "risk:\n  max_order_value: \"-1\"", 43, 20,
                      "risk.max_order_value", "must not be negative"},
        BadConfigCase{"UnknownRiskLimit", 0, "risk:\n  max_orders: 5", 43, 3, "risk.max_orders",
                      "unknown key"},
        BadConfigCase{"CancelRatioAboveAHundredPercent", 0, "risk:\n  max_cancel_ratio: 150", 43,
                      21, "risk.max_cancel_ratio", "above 100"},
        BadConfigCase{"FatalControlUnknown", 0, "risk:\n  fatal: [max_fun]", 43, 11,
                      "risk.fatal[0]", "got 'max_fun'"},
        BadConfigCase{"LimitNotSettablePerInstrument", 0,
                      "risk:\n  instruments:\n    \"600519\":\n      max_gross_exposure: 5", 45, 7,
                      "risk.instruments.600519.max_gross_exposure", "cannot be set per instrument"},
        BadConfigCase{"StrategyLimitNotANumber", 39,
                      "    instruments: [\"000001\"]\n    risk:\n      max_open_orders: many", 41,
                      24, "strategies[1].risk.max_open_orders", "expected a number"},
        BadConfigCase{"ThrottleAtTheCsrcThreshold", 0,
                      "risk:\n  throttle:\n    max_per_second: 300", 44, 21,
                      "risk.throttle.max_per_second", "[0, 299]"},
        BadConfigCase{"ThrottleAlertAboveTheStop", 0,
                      "risk:\n  throttle:\n    max_per_day: 10000\n    alert_per_day: 15000", 45,
                      20, "risk.throttle.alert_per_day", "[0, 10000]"},
        BadConfigCase{"FiledAccountWithOneFigure", 27,
                      "      min_commission: \"5\"\n    filed_per_day: 100000", 24, 5,
                      "accounts[0]", "both filed_peak_per_second and filed_per_day"},
        BadConfigCase{"DataSourcesEmpty", 0, "data:\n  sources: []", 43, 12, "data.sources",
                      "non-empty list"},
        BadConfigCase{"DataUtcOffsetMalformed", 0, "data:\n  utc_offset: \"+8\"", 43, 15,
                      "data.utc_offset", "+HH:MM"},
        BadConfigCase{"UnsupportedOrderEndpoint", 0, "endpoints:\n  orders: fix", 43, 11,
                      "endpoints.orders", "got 'fix'"},
        BadConfigCase{"FixMarketDataWithoutItsSession", 0, "endpoints:\n  market_data: fix", 43, 16,
                      "endpoints.market_data", "needs fix.market_data"},
        BadConfigCase{"UnknownMarketDataEndpoint", 0, "endpoints:\n  market_data: kafka", 43, 16,
                      "endpoints.market_data", "got 'kafka'"},
        BadConfigCase{"TradeProbabilityAboveOne", 0, "synthetic:\n  trade_probability: 1.5", 43, 22,
                      "synthetic.trade_probability", "got '1.5'"},
        BadConfigCase{"PaperSpeedZero", 0, "paper:\n  speed: 0", 43, 10, "paper.speed", "got '0'"},
        BadConfigCase{"HoldingOfAnUnknownSymbol", 27,
                      "      min_commission: \"5\"\n    holdings: { \"601398\": 100 }", 28, 27,
                      "accounts[0].holdings.601398", "configured instrument symbol"},
        BadConfigCase{"UnknownFillModel", 0, "venue:\n  fill_model: magic", 43, 15,
                      "venue.fill_model", "expected queue or touch"},
        BadConfigCase{"InferenceServiceOfUnknownScheme", 0,
                      "inference:\n  service: udp://127.0.0.1:5600\n  models: [{ id: 1, name: m }]",
                      43, 12, "inference.service",
                      "expected embedded (models served in this process), tcp://HOST:PORT"},
        BadConfigCase{"InferenceServiceNotAnEndpoint", 0,
                      "inference:\n  service: inferd\n  models: [{ id: 1, name: m }]", 43, 12,
                      "inference.service", "got 'inferd'"},
        BadConfigCase{"InferenceServiceTcpWithoutPort", 0,
                      "inference:\n  service: tcp://127.0.0.1\n  models: [{ id: 1, name: m }]", 43,
                      12, "inference.service", "tcp://HOST:PORT with a port 1..65535"},
        BadConfigCase{
            "InferenceServicePortOutOfRange", 0,
            "inference:\n  service: tcp://localhost:70000\n  models: [{ id: 1, name: m }]", 43, 12,
            "inference.service", "got 'tcp://localhost:70000'"},
        BadConfigCase{"InferenceServiceIpcWithoutPath", 0,
                      "inference:\n  service: ipc://\n  models: [{ id: 1, name: m }]", 43, 12,
                      "inference.service", "ipc://PATH with a path of 1..107 bytes"},
        BadConfigCase{"InferenceEmbeddedNeedsARepository", 0,
                      "inference:\n  models: [{ id: 1, name: m }]", 43, 3, "inference.repository",
                      "missing required key"},
        BadConfigCase{"InferenceModelNameTheServiceCannotCarry", 0,
                      "inference:\n  service: tcp://127.0.0.1:5600\n  models:\n"
                      "    - { id: 1, name: \"a b\" }",
                      45, 22, "inference.models[0].name", "got 'a b'"},
        BadConfigCase{"InferenceConnectTimeoutTooLong", 0,
                      "inference:\n  service: ipc://inferd.ipc\n  connect_timeout_ms: 70000\n"
                      "  models: [{ id: 1, name: m }]",
                      44, 23, "inference.connect_timeout_ms", "got '70000'"}),
    [](const ::testing::TestParamInfo<BadConfigCase>& param_info) {
      return param_info.param.name;
    });

// ---- risk.self_trade -------------------------------------------------------------------------

// The base config with a second account, desk2 (lines 27-28), and `risk` appended from line 43.
std::string SelfTradeConfig(const std::string& risk) {
  return Config(27, "      min_commission: \"5\"\n  - name: desk2") + "risk:\n  self_trade:\n" +
         risk;
}

TEST(ConfigLoader, SelfTradePreventionIsOffUnlessConfiguredAndNamesAccounts) {
  EXPECT_FALSE(parse_engine_config(Config(), "good.yaml").self_trade.enabled);
  const EngineConfig c = parse_engine_config(
      SelfTradeConfig("    policy: cancel_resting\n    groups: [[demo, desk2]]"), "stp.yaml");
  EXPECT_TRUE(c.self_trade.enabled);
  EXPECT_EQ(c.self_trade.policy, SelfTradePolicy::kCancelResting);
  EXPECT_EQ(c.self_trade.groups, (std::vector<std::vector<AccountId>>{{0, 1}}));
  const EngineConfig alone =
      parse_engine_config(SelfTradeConfig("    policy: reject_new"), "a.yaml");
  EXPECT_TRUE(alone.self_trade.enabled);
  EXPECT_TRUE(alone.self_trade.groups.empty()) << "each account a group of its own";
}

TEST(ConfigLoader, SelfTradeErrorsNameFileLineAndKey) {
  struct Case {
    const char* risk;
    const char* prefix;
    const char* message;
  };
  const Case cases[] = {
      {"    policy: cancel_resting\n    groups: [[demo, nobody]]",
       "bad.yaml:46:21: risk.self_trade.groups[0][1]: ", "account name, got 'nobody'"},
      {"    policy: cancel_oldest", "bad.yaml:45:13: risk.self_trade.policy: ",
       "expected reject_new, cancel_resting or cancel_both, got 'cancel_oldest'"},
      {"    policy: reject_new\n    groups: [[demo], [desk2, demo]]",
       "bad.yaml:46:30: risk.self_trade.groups[1][1]: ", "'demo' is already in group 0"},
      {"    groups: [[demo, desk2]]",
       "bad.yaml:45:5: risk.self_trade.policy: ", "missing required key"},
      {"    policy: reject_new\n    groups: [demo]",
       "bad.yaml:46:14: risk.self_trade.groups[0]: ", "non-empty list of account names"},
  };
  for (const Case& c : cases) {
    const std::string what = ParseError(SelfTradeConfig(c.risk)).what();
    EXPECT_TRUE(StartsWith(what, c.prefix)) << "expected '" << c.prefix << "'\n got: " << what;
    EXPECT_TRUE(Contains(what, c.message)) << "expected '" << c.message << "'\n got: " << what;
  }
}

// ---- file-level errors -----------------------------------------------------------------------

TEST(ConfigLoader, MissingFileErrorNamesThePath) {
  const fs::path path =
      fs::temp_directory_path() / "guiju_config_loader_test_no_such_dir" / "missing.yaml";
  try {
    load_engine_config(path.string());
    FAIL() << "loaded a file that does not exist";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(Contains(e.what(), path.string())) << e.what();
    EXPECT_TRUE(Contains(e.what(), "cannot open")) << e.what();
    EXPECT_EQ(e.file(), path.string());
    EXPECT_EQ(e.line(), 0);
  }
}

TEST(ConfigLoader, EmptyFileIsAnError) {
  for (const char* text : {"", "\n\n", "# only a comment\n"}) {
    const ConfigError e = ParseError(text, "empty.yaml");
    EXPECT_TRUE(StartsWith(e.what(), "empty.yaml: ")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "empty")) << e.what();
  }
}

TEST(ConfigLoader, TopLevelMustBeAMapping) {
  const ConfigError e = ParseError("- a\n- b\n");
  EXPECT_TRUE(StartsWith(e.what(), "bad.yaml:1:1: ")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "expected a mapping")) << e.what();
}

TEST(ConfigLoader, LoadFromFileReportsThePathInErrors) {
  const TempFile file("bad.yaml", Config(7, "  level: loud"));
  try {
    load_engine_config(file.path().string());
    FAIL() << "accepted logging level 'loud'";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(StartsWith(e.what(), file.path().string() + ":7:")) << e.what();
    EXPECT_EQ(e.key(), "logging.level");
  }
}

TEST(ConfigLoader, LoadFromFileMatchesParseOfTheSameText) {
  const TempFile file("good.yaml", Config());
  const EngineConfig loaded = load_engine_config(file.path().string());
  EXPECT_EQ(loaded.source_file, file.path().string());
  ASSERT_EQ(loaded.strategies.size(), 2u);
  EXPECT_EQ(loaded.strategies[0].parameters.entries().size(), 2u);
  EXPECT_EQ(loaded.instruments.size(), 2u);
}

// ---- duplicate keys --------------------------------------------------------------------------

// YAML requires mapping keys to be unique, and the loader promises that no value silently falls
// back. A repeated key must be an error, not "first one wins".
TEST(ConfigLoader, DuplicateKeyInASectionIsRejected) {
  std::vector<std::string> lines = kBaseLines;
  lines.insert(lines.begin() + 4, "  max_orders: 5");  // becomes line 5, after max_orders: 1000
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  try {
    const EngineConfig c = parse_engine_config(text, "bad.yaml");
    ADD_FAILURE() << "duplicate engine.max_orders accepted; the engine uses max_orders = "
                  << c.engine.max_orders;
  } catch (const ConfigError& e) {
    EXPECT_TRUE(Contains(e.what(), "max_orders")) << e.what();
    EXPECT_EQ(e.line(), 5) << e.what();
  }
}

TEST(ConfigLoader, StrategiesWithoutAPluginsSectionAreRefused) {
  std::string text;
  for (size_t i = 0; i + 2 < kBaseLines.size(); ++i) text += kBaseLines[i] + "\n";
  try {
    parse_engine_config(text, "bad.yaml");
    ADD_FAILURE() << "strategies without plugin directories were accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "plugins") << e.what();
    EXPECT_TRUE(Contains(e.what(), "strategies are plugins")) << e.what();
  }
}

TEST(ConfigLoader, DuplicateTopLevelKeyIsRejected) {
  try {
    const EngineConfig c = parse_engine_config(Config(0, "mode: paper"), "bad.yaml");
    ADD_FAILURE() << "a second 'mode:' was accepted; the engine runs in mode " << to_string(c.mode);
  } catch (const ConfigError& e) {
    EXPECT_TRUE(Contains(e.what(), "mode")) << e.what();
    EXPECT_EQ(e.line(), 42) << e.what();
  }
}

// A venue simulator's config (guiju venue): instruments, a background market and a fix section
// naming the QuickFIX settings; no accounts, strategies or audit journal needed.
TEST(ConfigLoader, ShippedVenueConfigLoadsWithItsFixSettings) {
  const fs::path path = SourceDir() / "configs" / "venue.yaml";
  ASSERT_TRUE(fs::exists(path)) << path << " (set GUIJU_SOURCE_DIR to the repository root)";
  std::string text;
  for (const std::string& line : ReadLines(path)) text += line + "\n";
  // Its settings path is relative to the repository root, where the venue runs.
  const std::string settings = (SourceDir() / "configs" / "fix" / "venue.cfg").string();
  text = std::regex_replace(text, std::regex("settings: \\S+"), "settings: " + settings);
  const EngineConfig c = parse_engine_config(text, "venue.yaml");
  EXPECT_EQ(c.fix.settings, settings);
  EXPECT_EQ(c.instruments.size(), 2u);
  EXPECT_TRUE(c.accounts.empty());
  EXPECT_TRUE(c.venue.ashare_rules);
}

TEST(ConfigLoader, FixSettingsMustNameAnExistingFile) {
  std::string text = Config();
  text += "fix:\n  settings: no/such/venue.cfg\n";
  try {
    parse_engine_config(text, "venue.yaml");
    FAIL() << "a missing settings file was accepted";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("venue.yaml"), std::string::npos) << what;
    EXPECT_NE(what.find("fix.settings"), std::string::npos) << what;
    EXPECT_NE(what.find("no/such/venue.cfg"), std::string::npos) << what;
  }
  text = Config() + "fix:\n  setings: x\n";
  EXPECT_THROW(parse_engine_config(text, "venue.yaml"), ConfigError);
}

// inference.service: http://HOST:PORT points the engine at a KServe v2 server (guiju-inferd
// --http, Triton); anything else after the scheme is refused naming the key.
TEST(ConfigLoader, InferenceServiceTakesAKServeHttpEndpoint) {
  const fs::path repo =
      fs::temp_directory_path() / ("guiju-config-kserve-" + std::to_string(::getpid()));
  fs::create_directories(repo / "alpha");
  const auto with_service = [&](const std::string& service) {
    return Config() + "inference:\n  repository: " + repo.string() +
           "\n  models: [{ id: 1, name: alpha }]\n  service: " + service + "\n";
  };
  const EngineConfig c = parse_engine_config(with_service("http://127.0.0.1:8000"), "k.yaml");
  EXPECT_EQ(c.inference.service, "http://127.0.0.1:8000");
  EXPECT_EQ(
      parse_engine_config(with_service("http://triton.local:8000"), "k.yaml").inference.service,
      "http://triton.local:8000");
  for (const std::string bad : {"http://127.0.0.1", "http://:8000", "http://host:0",
                                "http://host:99999", "http://host:80x", "htp://host:8000"}) {
    const ConfigError e = ParseError(with_service(bad), "k.yaml");
    EXPECT_TRUE(Contains(e.what(), "inference.service")) << bad << ": " << e.what();
    EXPECT_TRUE(Contains(e.what(), bad)) << bad << ": " << e.what();
  }
  fs::remove_all(repo);
}

}  // namespace
}  // namespace guiju

namespace guiju {
namespace {

TEST(ConfigLoader, MetricsIsOffWhenAbsentAndListensWhereConfigured) {
  EXPECT_FALSE(parse_engine_config(Config(), "good.yaml").metrics.enabled);
  const EngineConfig c =
      parse_engine_config(Config(0, "metrics:\n  listen: \"127.0.0.1:9464\""), "good.yaml");
  EXPECT_TRUE(c.metrics.enabled);
  EXPECT_EQ(c.metrics.listen.host, "127.0.0.1");
  EXPECT_EQ(c.metrics.listen.port, 9464);
}

TEST(ConfigLoader, BadMetricsAddressNamesKeyAndLine) {
  const ConfigError e = ParseError(Config(0, "metrics:\n  listen: \"localhost:9464\""), "bad.yaml");
  EXPECT_EQ(e.key(), "metrics.listen");
  EXPECT_EQ(e.line(), static_cast<int>(kBaseLines.size()) + 2);
  EXPECT_TRUE(Contains(e.message(), "IPv4")) << e.message();
  const ConfigError port = ParseError(Config(0, "metrics:\n  listen: \"127.0.0.1:99999\""));
  EXPECT_EQ(port.key(), "metrics.listen");
  EXPECT_TRUE(Contains(port.message(), "port")) << port.message();
  const ConfigError unknown = ParseError(Config(0, "metrics:\n  port: 9464"));
  EXPECT_EQ(unknown.key(), "metrics.port");
}

TEST(ConfigLoader, ControlIsOffWhenAbsentAndNamesItsFilesWhenConfigured) {
  EXPECT_FALSE(parse_engine_config(Config(), "good.yaml").control.enabled);
  const std::string dir = ::testing::TempDir();
  const std::string key = dir + "/control-test-server.key";
  const std::string operators = dir + "/control-test-operators";
  std::ofstream(key) << "x\n";
  std::ofstream(operators) << "\n";
  const EngineConfig c = parse_engine_config(
      Config(0, "control:\n  listen: tcp://127.0.0.1:7030\n  server_key: " + key +
                    "\n  operators: " + operators),
      "good.yaml");
  EXPECT_TRUE(c.control.enabled);
  EXPECT_EQ(c.control.listen, "tcp://127.0.0.1:7030");
  EXPECT_EQ(c.control.server_key, key);
  EXPECT_EQ(c.control.operators, operators);

  const ConfigError scheme = ParseError(Config(
      0, "control:\n  listen: http://x:1\n  server_key: " + key + "\n  operators: " + operators));
  EXPECT_EQ(scheme.key(), "control.listen");
  EXPECT_EQ(scheme.line(), static_cast<int>(kBaseLines.size()) + 2);
  const ConfigError missing = ParseError(Config(0,
                                                "control:\n  listen: tcp://127.0.0.1:1\n  "
                                                "server_key: /nonexistent/server.key\n  "
                                                "operators: " +
                                                    operators));
  EXPECT_EQ(missing.key(), "control.server_key");
  EXPECT_TRUE(Contains(missing.message(), "no such file")) << missing.message();
  const ConfigError absent =
      ParseError(Config(0, "control:\n  listen: tcp://127.0.0.1:1\n  server_key: " + key));
  EXPECT_EQ(absent.key(), "control.operators");
  const ConfigError unknown = ParseError(Config(0, "control:\n  port: 7030"));
  EXPECT_EQ(unknown.key(), "control.port");
}

// dropcopy: the drop-copy feed's section.
TEST(ConfigLoader, DropCopyIsOffWhenAbsentAndPublishesWhereConfigured) {
  EXPECT_FALSE(parse_engine_config(Config(), "good.yaml").dropcopy.enabled);
  const EngineConfig c = parse_engine_config(
      Config(0, "dropcopy:\n  publish: tcp://127.0.0.1:7031\n  high_water_mark: 5000"),
      "good.yaml");
  EXPECT_TRUE(c.dropcopy.enabled);
  EXPECT_EQ(c.dropcopy.publish, "tcp://127.0.0.1:7031");
  EXPECT_EQ(c.dropcopy.high_water_mark, 5000U);
  EXPECT_EQ(c.dropcopy.line, static_cast<int>(kBaseLines.size()) + 2);
  EXPECT_EQ(
      parse_engine_config(Config(0, "dropcopy:\n  publish: \"tcp://[::1]:7031\""), "good.yaml")
          .dropcopy.high_water_mark,
      100'000U);
  EXPECT_TRUE(
      parse_engine_config(Config(0, "dropcopy:\n  publish: ipc:///run/guiju/dropcopy"), "good.yaml")
          .dropcopy.enabled);
}

TEST(ConfigLoader, BadDropCopySettingsNameKeyAndLine) {
  struct Case {
    std::string text;
    std::string key;
    std::string says;
  };
  const int line = static_cast<int>(kBaseLines.size()) + 2;
  const std::string long_path(120, 'p');
  for (const Case& c : std::vector<Case>{
           {"dropcopy:\n  publish: tcp://localhost:7031", "dropcopy.publish", "IPv4"},
           {"dropcopy:\n  publish: tcp://127.0.0.1:70310", "dropcopy.publish", "port"},
           {"dropcopy:\n  publish: tcp://127.0.0.1", "dropcopy.publish", "HOST:PORT"},
           {"dropcopy:\n  publish: 127.0.0.1:7031", "dropcopy.publish", "tcp://HOST:PORT"},
           {"dropcopy:\n  publish: inproc://feed", "dropcopy.publish", "ipc://PATH"},
           {"dropcopy:\n  publish: ipc://", "dropcopy.publish", "1..107 bytes"},
           {"dropcopy:\n  publish: ipc://" + long_path, "dropcopy.publish", "1..107 bytes"},
           {"dropcopy:\n  publish: \"\"", "dropcopy.publish", "non-empty"},
           {"dropcopy:\n  high_water_mark: 10", "dropcopy.publish", "missing"},
           {"dropcopy:\n  publish: tcp://127.0.0.1:7031\n  high_water_mark: 0",
            "dropcopy.high_water_mark", "[1, 10000000]"},
           {"dropcopy:\n  publish: tcp://127.0.0.1:7031\n  hwm: 10", "dropcopy.hwm", "unknown key"},
           {"dropcopy: tcp://127.0.0.1:7031", "dropcopy", "mapping"},
       }) {
    const ConfigError e = ParseError(Config(0, c.text));
    EXPECT_EQ(e.key(), c.key) << c.text;
    EXPECT_TRUE(Contains(e.message(), c.says)) << c.text << " -> " << e.message();
    EXPECT_GE(e.line(), line - 1) << c.text;  // the section's own line, or the key's
    EXPECT_LE(e.line(), line + 1) << c.text;
  }
}

}  // namespace
}  // namespace guiju
