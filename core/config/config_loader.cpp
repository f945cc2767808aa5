#include "core/config/config_loader.hpp"

#include <sched.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/oms/client_order_id_allocator.hpp"
#include "core/service/thread_placement.hpp"

namespace guiju {

std::string_view to_string(RunMode m) {
  switch (m) {
    case RunMode::kLive:
      return "live";
    case RunMode::kPaper:
      return "paper";
    case RunMode::kReplay:
      return "replay";
  }
  return "?";
}

namespace {

// Reads typed values out of YAML nodes, turning every problem into a ConfigError with a location.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& key,
                         const std::string& message) const {
    const YAML::Mark m = node.Mark();
    const bool known = m.line >= 0;
    throw ConfigError(file_, known ? m.line + 1 : 0, known ? m.column + 1 : 0, key, message);
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  void expect_map(const YAML::Node& node, const std::string& key) const {
    if (!node.IsMap()) fail(node, key, "expected a mapping (key: value lines)");
  }

  // Every key of a mapping must be one this section knows, and appear once: YAML parsers keep
  // one of two duplicates silently, so a repeated limit would quietly lose.
  void allow_keys(const YAML::Node& map, const std::string& path,
                  std::initializer_list<const char*> allowed) const {
    expect_map(map, path.empty() ? "(top level)" : path);
    std::set<std::string> seen;
    for (const auto& kv : map) {
      const auto k = kv.first.as<std::string>();
      if (!seen.insert(k).second) fail(kv.first, join(path, k), "duplicate key");
      bool ok = false;
      for (const char* a : allowed) ok = ok || k == a;
      if (!ok) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(kv.first, join(path, k), "unknown key (expected one of: " + list + ")");
      }
    }
  }

  YAML::Node require(const YAML::Node& map, const std::string& path, const char* key) const {
    const YAML::Node n = map[key];
    if (!n) fail(map, join(path, key), "missing required key");
    return n;
  }

  std::string scalar(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, key, "expected a single value");
    return n.Scalar();
  }

  std::string string(const YAML::Node& n, const std::string& key, bool allow_empty = false) const {
    std::string s = scalar(n, key);
    if (!allow_empty && s.empty()) fail(n, key, "expected a non-empty string");
    return s;
  }

  int64_t integer(const YAML::Node& n, const std::string& key, int64_t min, int64_t max) const {
    const std::string s = scalar(n, key);
    int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) {
      fail(n, key,
           "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
               "], got '" + s + "'");
    }
    return v;
  }

  size_t power_of_two(const YAML::Node& n, const std::string& key) const {
    const auto v = static_cast<size_t>(integer(n, key, 2, int64_t{1} << 30));
    if ((v & (v - 1)) != 0) fail(n, key, "expected a power of two, got " + std::to_string(v));
    return v;
  }

  double number(const YAML::Node& n, const std::string& key, double min, double max) const {
    const std::string s = scalar(n, key);
    std::istringstream in(s);
    double v = 0;
    in >> v;
    if (in.fail() || !in.eof() || !std::isfinite(v) || v < min || v > max) {
      std::ostringstream range;
      range << "[" << min << ", " << max << "]";
      fail(n, key, "expected a number in " + range.str() + ", got '" + s + "'");
    }
    return v;
  }

  bool boolean(const YAML::Node& n, const std::string& key) const {
    const std::string s = scalar(n, key);
    if (s == "true") return true;
    if (s == "false") return false;
    fail(n, key, "expected true or false, got '" + s + "'");
  }

  template <typename Fixed>
  Fixed fixed(const YAML::Node& n, const std::string& key, const char* what) const {
    const std::string s = scalar(n, key);
    std::string why;
    const auto v = Fixed::parse(s, &why);
    if (!v) fail(n, key, std::string("expected ") + what + ", got '" + s + "' (" + why + ")");
    return *v;
  }

 private:
  std::string file_;
};

void load_engine(const Reader& r, const YAML::Node& n, EngineSection& e) {
  r.allow_keys(
      n, "engine",
      {"max_orders", "order_ring_capacity", "inbound_ring_capacity", "order_ring_policy",
       "client_order_id_prefix", "state_dir", "callback_budget_us", "callback_overrun_limit"});
  if (n["callback_budget_us"]) {
    e.callback_budget_us = static_cast<uint32_t>(
        r.integer(n["callback_budget_us"], "engine.callback_budget_us", 0, 60'000'000));
  }
  if (n["callback_overrun_limit"]) {
    e.callback_overrun_limit = static_cast<uint32_t>(
        r.integer(n["callback_overrun_limit"], "engine.callback_overrun_limit", 1, 1'000'000'000));
  }
  if (n["max_orders"]) {
    e.max_orders = static_cast<size_t>(r.integer(n["max_orders"], "engine.max_orders", 1, 1 << 28));
  }
  if (n["order_ring_capacity"]) {
    e.order_ring_capacity = r.power_of_two(n["order_ring_capacity"], "engine.order_ring_capacity");
  }
  if (n["inbound_ring_capacity"]) {
    e.inbound_ring_capacity =
        r.power_of_two(n["inbound_ring_capacity"], "engine.inbound_ring_capacity");
  }
  if (n["order_ring_policy"]) {
    const std::string p = r.string(n["order_ring_policy"], "engine.order_ring_policy");
    if (p == "fail") {
      e.order_ring_policy = BackPressure::kFail;
    } else if (p == "block") {
      e.order_ring_policy = BackPressure::kBlock;
    } else {
      r.fail(n["order_ring_policy"], "engine.order_ring_policy",
             "expected 'fail' or 'block', got '" + p + "'");
    }
  }
  if (n["client_order_id_prefix"]) {
    const YAML::Node p = n["client_order_id_prefix"];
    e.client_order_id_prefix = r.string(p, "engine.client_order_id_prefix");
    if (e.client_order_id_prefix.size() > 8) {
      r.fail(p, "engine.client_order_id_prefix", "expected at most 8 characters");
    }
    for (char c : e.client_order_id_prefix) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        r.fail(p, "engine.client_order_id_prefix", "expected letters and digits only");
      }
    }
  }
  if (n["state_dir"]) e.state_dir = r.string(n["state_dir"], "engine.state_dir");
}

void load_logging(const Reader& r, const YAML::Node& n, LogOptions& l) {
  r.allow_keys(n, "logging", {"level", "directory", "console", "max_file_mb", "max_files"});
  if (n["level"]) {
    l.level = r.string(n["level"], "logging.level");
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
    if (!kLevels.contains(l.level)) {
      r.fail(n["level"], "logging.level",
             "expected trace, debug, info, warn, error or off, got '" + l.level + "'");
    }
  }
  if (n["directory"]) l.directory = r.string(n["directory"], "logging.directory", true);
  if (n["console"]) l.console = r.boolean(n["console"], "logging.console");
  if (n["max_file_mb"]) {
    l.max_file_bytes =
        static_cast<size_t>(r.integer(n["max_file_mb"], "logging.max_file_mb", 1, 4096)) << 20;
  }
  if (n["max_files"]) {
    l.max_files = static_cast<size_t>(r.integer(n["max_files"], "logging.max_files", 1, 1000));
  }
}

Instrument load_instrument(const Reader& r, const YAML::Node& n, const std::string& path) {
  r.allow_keys(n, path,
               {"symbol", "venue", "tick_size", "lot_size", "board", "currency", "previous_close"});
  Instrument i;
  i.symbol = r.string(r.require(n, path, "symbol"), path + ".symbol");
  i.venue = r.string(r.require(n, path, "venue"), path + ".venue");
  i.tick_size = r.fixed<Price>(r.require(n, path, "tick_size"), path + ".tick_size", "a price");
  if (!i.tick_size.is_positive()) r.fail(n["tick_size"], path + ".tick_size", "must be positive");
  i.lot_size = r.fixed<Quantity>(r.require(n, path, "lot_size"), path + ".lot_size", "a quantity");
  if (!i.lot_size.is_positive()) r.fail(n["lot_size"], path + ".lot_size", "must be positive");
  const YAML::Node board = r.require(n, path, "board");
  const auto b = parse_board(r.string(board, path + ".board"));
  if (!b) r.fail(board, path + ".board", "expected main, chinext, star, st or other");
  i.board = *b;
  const YAML::Node ccy = r.require(n, path, "currency");
  i.currency = r.string(ccy, path + ".currency");
  if (i.currency.size() != 3) r.fail(ccy, path + ".currency", "expected a 3-letter ISO 4217 code");
  const YAML::Node pc = r.require(n, path, "previous_close");
  i.previous_close = r.fixed<Price>(pc, path + ".previous_close", "a price");
  if (!i.previous_close.is_positive()) r.fail(pc, path + ".previous_close", "must be positive");
  if (!i.previous_close.is_multiple_of(i.tick_size)) {
    r.fail(pc, path + ".previous_close",
           "is not a multiple of tick_size " + i.tick_size.to_string());
  }
  return i;
}

AccountConfig load_account(const Reader& r, const YAML::Node& n, const std::string& path) {
  r.allow_keys(n, path,
               {"name", "fees", "holdings", "filed_peak_per_second", "filed_per_day", "allow_short",
                "risk"});
  AccountConfig a;
  a.line = n.Mark().line + 1;
  a.name = r.string(r.require(n, path, "name"), path + ".name");
  if (n["filed_peak_per_second"] || n["filed_per_day"]) {
    if (!n["filed_peak_per_second"] || !n["filed_per_day"]) {
      r.fail(n, path,
             "a filed high-frequency account needs both filed_peak_per_second and "
             "filed_per_day");
    }
    a.filed_peak_per_second = static_cast<uint32_t>(
        r.integer(n["filed_peak_per_second"], path + ".filed_peak_per_second", 1, 1'000'000));
    a.filed_per_day = static_cast<uint32_t>(
        r.integer(n["filed_per_day"], path + ".filed_per_day", 1, 1'000'000'000));
  }
  if (n["allow_short"]) a.allow_short = r.boolean(n["allow_short"], path + ".allow_short");
  if (const YAML::Node h = n["holdings"]) {
    r.expect_map(h, path + ".holdings");
    for (const auto& kv : h) {
      const auto symbol = kv.first.as<std::string>();
      std::string key = path;
      key += ".holdings.";
      key += symbol;
      const auto q = r.fixed<Quantity>(kv.second, key, "a quantity of shares");
      if (q.is_negative()) r.fail(kv.second, key, "must not be negative");
      a.holdings.emplace_back(symbol, q);
    }
  }
  if (const YAML::Node f = n["fees"]) {
    const std::string fp = path + ".fees";
    r.allow_keys(f, fp,
                 {"commission_rate", "min_commission", "stamp_duty_rate", "transfer_fee_rate"});
    auto rate = [&](const char* key, Rate& out) {
      if (!f[key]) return;
      out = r.fixed<Rate>(f[key], fp + "." + key, "a rate such as 0.00025");
      if (out.is_negative() || out > Rate::from_units(1)) {
        r.fail(f[key], fp + "." + key, "expected a rate between 0 and 1");
      }
    };
    rate("commission_rate", a.fees.commission_rate);
    rate("stamp_duty_rate", a.fees.stamp_duty_rate);
    rate("transfer_fee_rate", a.fees.transfer_fee_rate);
    if (f["min_commission"]) {
      a.fees.min_commission =
          r.fixed<Money>(f["min_commission"], fp + ".min_commission", "an amount");
      if (a.fees.min_commission.is_negative()) {
        r.fail(f["min_commission"], fp + ".min_commission", "must not be negative");
      }
    }
  }
  return a;
}

StrategyConfig load_strategy(const Reader& r, const YAML::Node& n, const std::string& path,
                             const std::string& file) {
  r.allow_keys(n, path,
               {"name", "plugin", "sha256", "type", "host", "host_endpoint", "host_timeout_ms",
                "account", "instruments", "parameters", "risk"});
  StrategyConfig s;
  s.line = n.Mark().line + 1;
  s.name = r.string(r.require(n, path, "name"), path + ".name");
  s.plugin = r.string(r.require(n, path, "plugin"), path + ".plugin");
  if (n["sha256"]) {
    s.sha256 = r.string(n["sha256"], path + ".sha256");
    const bool hex = s.sha256.size() == 64 &&
                     s.sha256.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
    if (!hex) r.fail(n["sha256"], path + ".sha256", "expected 64 hex digits (a SHA-256)");
  }
  if (n["type"]) s.type = r.string(n["type"], path + ".type");
  if (n["host"]) {
    const std::string host = r.string(n["host"], path + ".host");
    if (host != "in_process" && host != "out_of_process") {
      r.fail(n["host"], path + ".host",
             "expected in_process or out_of_process, got '" + host + "'");
    }
    s.out_of_process = host == "out_of_process";
  }
  if (n["host_endpoint"]) {
    s.host_endpoint = r.string(n["host_endpoint"], path + ".host_endpoint");
    if (s.host_endpoint.rfind("ipc://", 0) != 0 && s.host_endpoint.rfind("tcp://", 0) != 0) {
      r.fail(n["host_endpoint"], path + ".host_endpoint",
             "expected an ipc:// or tcp:// endpoint, got '" + s.host_endpoint + "'");
    }
  }
  if (n["host_timeout_ms"]) {
    s.host_timeout_ms = static_cast<uint32_t>(
        r.integer(n["host_timeout_ms"], path + ".host_timeout_ms", 10, 600'000));
  }
  s.account = r.string(r.require(n, path, "account"), path + ".account");
  const YAML::Node list = r.require(n, path, "instruments");
  if (!list.IsSequence() || list.size() == 0) {
    r.fail(list, path + ".instruments", "expected a non-empty list of symbols");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    s.instruments.push_back(r.string(list[i], path + ".instruments[" + std::to_string(i) + "]"));
  }
  s.parameters = StrategyParameters(file, s.name, n.Mark().line + 1);
  if (const YAML::Node p = n["parameters"]) {
    r.expect_map(p, path + ".parameters");
    std::set<std::string> seen;
    for (const auto& kv : p) {
      const auto key = kv.first.as<std::string>();
      std::string key_path = path;
      key_path += ".parameters.";
      key_path += key;
      if (!seen.insert(key).second) r.fail(kv.first, key_path, "duplicate key");
      const std::string value = r.scalar(kv.second, key_path);
      s.parameters.add({key, value, kv.second.Mark().line + 1, kv.second.Mark().column + 1});
    }
  }
  return s;
}

void load_synthetic(const Reader& r, const YAML::Node& n, SyntheticConfig& s) {
  r.allow_keys(n, "synthetic",
               {"seed", "quotes_per_second", "trade_probability", "mean_reversion",
                "volatility_ticks", "session_seconds"});
  if (n["seed"])
    s.seed = static_cast<uint64_t>(r.integer(n["seed"], "synthetic.seed", 0, INT64_MAX));
  if (n["quotes_per_second"]) {
    s.quotes_per_second =
        r.number(n["quotes_per_second"], "synthetic.quotes_per_second", 0.001, 1e5);
  }
  if (n["trade_probability"]) {
    s.trade_probability = r.number(n["trade_probability"], "synthetic.trade_probability", 0, 1);
  }
  if (n["mean_reversion"]) {
    s.mean_reversion = r.number(n["mean_reversion"], "synthetic.mean_reversion", 0, 1);
  }
  if (n["volatility_ticks"]) {
    s.volatility_ticks = r.number(n["volatility_ticks"], "synthetic.volatility_ticks", 0, 1000);
  }
  if (n["session_seconds"]) {
    s.session_seconds = static_cast<uint32_t>(
        r.integer(n["session_seconds"], "synthetic.session_seconds", 1, 14400));
  }
}

void check_cross_references(const Reader& r, const YAML::Node& root, EngineConfig& c) {
  std::set<std::string> symbols;
  for (size_t i = 0; i < c.instruments.size(); ++i) {
    if (!symbols.insert(c.instruments[i].symbol).second) {
      r.fail(root["instruments"][i]["symbol"], "instruments[" + std::to_string(i) + "].symbol",
             "duplicate symbol '" + c.instruments[i].symbol + "'");
    }
  }
  std::set<std::string> accounts;
  for (size_t i = 0; i < c.accounts.size(); ++i) {
    if (!accounts.insert(c.accounts[i].name).second) {
      r.fail(root["accounts"][i]["name"], "accounts[" + std::to_string(i) + "].name",
             "duplicate account '" + c.accounts[i].name + "'");
    }
    for (const auto& [symbol, quantity] : c.accounts[i].holdings) {
      if (!symbols.contains(symbol)) {
        r.fail(root["accounts"][i]["holdings"][symbol],
               "accounts[" + std::to_string(i) + "].holdings." + symbol,
               "expected a configured instrument symbol, got '" + symbol + "'");
      }
    }
  }
  std::set<std::string> names;
  for (size_t i = 0; i < c.strategies.size(); ++i) {
    const StrategyConfig& s = c.strategies[i];
    const YAML::Node node = root["strategies"][i];
    const std::string path = "strategies[" + std::to_string(i) + "]";
    if (!names.insert(s.name).second) {
      r.fail(node["name"], path + ".name", "duplicate strategy name '" + s.name + "'");
    }
    if (!accounts.contains(s.account)) {
      r.fail(node["account"], path + ".account",
             "expected the name of a configured account, got '" + s.account + "'");
    }
    for (size_t k = 0; k < s.instruments.size(); ++k) {
      if (!symbols.contains(s.instruments[k])) {
        r.fail(node["instruments"][k], path + ".instruments[" + std::to_string(k) + "]",
               "expected a configured instrument symbol, got '" + s.instruments[k] + "'");
      }
    }
  }
}

// "+08:00", "-05:00", "UTC": minutes east of UTC.
std::optional<int> utc_offset_of(const std::string& text) {
  if (text == "UTC") return 0;
  return parse_utc_offset(text);
}

// data.csv: a user's CSV described column by column (core/data/csv_mapping.hpp).
CsvMapping load_csv_mapping(const Reader& r, const YAML::Node& node) {
  r.allow_keys(node, "data.csv", {"header", "delimiter", "kind", "time", "columns", "price_scale"});
  CsvMapping m;
  if (node["header"]) m.has_header = r.boolean(node["header"], "data.csv.header");
  if (node["delimiter"]) {
    const std::string d = r.string(node["delimiter"], "data.csv.delimiter");
    if (d.size() != 1) r.fail(node["delimiter"], "data.csv.delimiter", "expected one character");
    m.delimiter = d[0];
  }
  const YAML::Node kind = r.require(node, "data.csv", "kind");
  const auto k = parse_csv_kind(r.string(kind, "data.csv.kind"));
  if (!k) r.fail(kind, "data.csv.kind", "expected trades, quotes or one_sided_quotes");
  m.kind = *k;
  const YAML::Node time = r.require(node, "data.csv", "time");
  r.allow_keys(time, "data.csv.time", {"column", "format", "utc_offset"});
  m.time = CsvColumn::parse(
      r.string(r.require(time, "data.csv.time", "column"), "data.csv.time.column"));
  const YAML::Node format = r.require(time, "data.csv.time", "format");
  const auto f = parse_csv_time_format(r.string(format, "data.csv.time.format"));
  if (!f) {
    r.fail(format, "data.csv.time.format",
           "expected epoch_ns, epoch_us, epoch_ms, epoch_s, ms_of_day, iso8601 or "
           "yyyymmdd_hhmmssmmm");
  }
  m.time_format = *f;
  if (time["utc_offset"]) {
    m.utc_offset_minutes = utc_offset_of(r.string(time["utc_offset"], "data.csv.time.utc_offset"));
    if (!m.utc_offset_minutes) {
      r.fail(time["utc_offset"], "data.csv.time.utc_offset", "expected +HH:MM, -HH:MM or UTC");
    }
  }
  const YAML::Node columns = r.require(node, "data.csv", "columns");
  r.allow_keys(
      columns, "data.csv.columns",
      {"price", "size", "side", "bid_price", "bid_size", "ask_price", "ask_size", "symbol"});
  const std::pair<const char*, CsvColumn*> fields[] = {
      {"price", &m.price},         {"size", &m.size},         {"side", &m.side},
      {"bid_price", &m.bid_price}, {"bid_size", &m.bid_size}, {"ask_price", &m.ask_price},
      {"ask_size", &m.ask_size},   {"symbol", &m.symbol}};
  for (const auto& [key, column] : fields) {
    if (columns[key]) {
      *column = CsvColumn::parse(r.string(columns[key], std::string("data.csv.columns.") + key));
    }
  }
  if (node["price_scale"]) {
    m.price_scale = r.integer(node["price_scale"], "data.csv.price_scale", 1, 1000000000);
  }
  try {
    m.validate();
  } catch (const std::invalid_argument& e) {
    r.fail(node, "data.csv", e.what());
  }
  return m;
}

void load_data(const Reader& r, const YAML::Node& node, const EngineConfig& c, DataConfig& d) {
  r.allow_keys(node, "data", {"sources", "instrument", "utc_offset", "on_bad_row", "csv"});
  if (const YAML::Node sources = node["sources"]) {
    if (!sources.IsSequence() || sources.size() == 0) {
      r.fail(sources, "data.sources", "expected a non-empty list of FORMAT:PATH entries");
    }
    for (size_t i = 0; i < sources.size(); ++i) {
      const std::string key = "data.sources[" + std::to_string(i) + "]";
      const YAML::Mark m = sources[i].Mark();
      d.sources.push_back({r.string(sources[i], key), m.line + 1, m.column + 1});
    }
  }
  if (node["instrument"]) {
    d.instrument = r.string(node["instrument"], "data.instrument");
    bool known = false;
    for (const Instrument& i : c.instruments) known = known || i.symbol == d.instrument;
    if (!known) {
      r.fail(node["instrument"], "data.instrument",
             "expected a configured instrument symbol, got '" + d.instrument + "'");
    }
  }
  if (node["utc_offset"]) {
    const std::string text = r.string(node["utc_offset"], "data.utc_offset");
    d.utc_offset_minutes = utc_offset_of(text);
    if (!d.utc_offset_minutes) {
      r.fail(node["utc_offset"], "data.utc_offset",
             "expected +HH:MM, -HH:MM or UTC, got '" + text + "'");
    }
  }
  if (node["on_bad_row"]) {
    const std::string policy = r.string(node["on_bad_row"], "data.on_bad_row");
    if (policy != "stop" && policy != "skip") {
      r.fail(node["on_bad_row"], "data.on_bad_row", "expected stop or skip, got '" + policy + "'");
    }
    d.skip_bad_rows = policy == "skip";
  }
  if (node["csv"]) d.csv = load_csv_mapping(r, node["csv"]);
}

// risk.throttle: the order-message alerts and hard stops (core/risk/message_throttle.hpp). The
// hard stops must stay below the CSRC high-frequency thresholds (300/s, 20,000/day); an account
// above them must be filed (accounts[].filed_*), which is where higher figures belong.
void load_throttle(const Reader& r, const YAML::Node& t, ThrottleLimits& out) {
  r.allow_keys(t, "risk.throttle",
               {"alert_per_second", "max_per_second", "alert_per_day", "max_per_day"});
  auto read = [&](const char* key, uint32_t& value, int64_t max) {
    if (t[key]) {
      value = static_cast<uint32_t>(r.integer(t[key], std::string("risk.throttle.") + key, 0, max));
    }
  };
  read("max_per_second", out.max_per_second, 299);
  read("max_per_day", out.max_per_day, 19'999);
  read("alert_per_second", out.alert_per_second, out.max_per_second);
  read("alert_per_day", out.alert_per_day, out.max_per_day);
}

// The limits a `risk` section sets (core/risk/risk_limits.hpp): each key a limit's name, its
// value in the limit's unit. `extra` names the other keys the section may hold (read elsewhere).
void load_limits(const Reader& r, const YAML::Node& n, const std::string& path, LimitScope scope,
                 const std::string& target, std::initializer_list<const char*> extra,
                 std::vector<LimitSetting>& out) {
  r.expect_map(n, path);
  std::set<std::string> seen;
  for (const auto& kv : n) {
    const auto name = kv.first.as<std::string>();
    std::string key = path;
    key += ".";
    key += name;
    if (!seen.insert(name).second) r.fail(kv.first, key, "duplicate key");
    bool other = false;
    for (const char* e : extra) other = other || name == e;
    if (other) continue;
    const std::optional<LimitKey> limit = parse_limit_key(name);
    if (!limit) {
      std::string list;
      for (size_t k = 0; k < kLimitKeyCount; ++k) {
        const LimitKeyInfo& i = info(static_cast<LimitKey>(k));
        if (i.allowed_at(scope)) list += (list.empty() ? "" : ", ") + std::string(i.name);
      }
      for (const char* e : extra) list += ", " + std::string(e);
      r.fail(kv.first, key, "unknown key (expected one of: " + list + ")");
    }
    if (!info(*limit).allowed_at(scope)) {
      r.fail(kv.first, key, "cannot be set per " + std::string(to_string(scope)));
    }
    std::string error;
    const std::optional<int64_t> value =
        parse_limit_value(*limit, r.scalar(kv.second, key), &error);
    if (!value) r.fail(kv.second, key, error);
    out.push_back({scope, target, *limit, *value});
  }
}

// risk.restricted and risk.price_collar: the older spellings of per-instrument `restricted`
// flags and of the account-wide collar, kept because configs use them.
void load_risk_shorthands(const Reader& r, const YAML::Node& risk, EngineConfig& c) {
  if (const YAML::Node list = risk["restricted"]) {
    if (!list.IsSequence()) r.fail(list, "risk.restricted", "expected a list of symbols");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string key = "risk.restricted[" + std::to_string(i) + "]";
      const std::string symbol = r.string(list[i], key);
      bool known = false;
      for (const Instrument& in : c.instruments) known = known || in.symbol == symbol;
      if (!known)
        r.fail(list[i], key, "expected a configured instrument symbol, got '" + symbol + "'");
      c.risk.limits.push_back({LimitScope::kInstrument, symbol, LimitKey::kRestricted, 1});
    }
  }
  if (const YAML::Node collar = risk["price_collar"]) {
    r.allow_keys(collar, "risk.price_collar", {"percent", "ticks", "reference"});
    if (collar["percent"]) {
      const int64_t bp = std::llround(
          r.number(collar["percent"], "risk.price_collar.percent", 0.0, 100.0) * 100.0);
      c.risk.limits.push_back({LimitScope::kAccount, "", LimitKey::kPriceCollarPercent, bp});
    }
    if (collar["ticks"]) {
      const int64_t ticks = r.integer(collar["ticks"], "risk.price_collar.ticks", 0, 1'000'000);
      c.risk.limits.push_back({LimitScope::kAccount, "", LimitKey::kPriceCollarTicks, ticks});
    }
    if (collar["reference"]) {
      const std::string ref = r.string(collar["reference"], "risk.price_collar.reference");
      if (ref != "last_trade" && ref != "mid") {
        r.fail(collar["reference"], "risk.price_collar.reference",
               "expected last_trade or mid, got '" + ref + "'");
      }
      c.risk.collar_reference = ref == "mid" ? CollarReference::kMid : CollarReference::kLastTrade;
    }
  }
}

// risk.fatal: the controls whose breach engages the kill switch; risk.fatal_scope: over what.
void load_fatal(const Reader& r, const YAML::Node& risk, RiskConfig& out) {
  if (const YAML::Node list = risk["fatal"]) {
    if (!list.IsSequence()) r.fail(list, "risk.fatal", "expected a list of control names");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string key = "risk.fatal[" + std::to_string(i) + "]";
      const std::string name = r.string(list[i], key);
      const std::optional<RiskCheckId> id = parse_risk_check_id(name);
      if (!id || *id == RiskCheckId::kKillSwitch || *id == RiskCheckId::kJournal) {
        r.fail(list[i], key,
               "expected the name of a control (max_order_quantity, max_order_value, "
               "price_collar, max_long_position, max_gross_exposure, message_rate, "
               "messages_per_day, self_trade, ... as docs/risk.md lists them), got '" +
                   name + "'");
      }
      out.fatal.push_back(*id);
    }
  }
  if (risk["fatal_scope"]) {
    const std::string scope = r.string(risk["fatal_scope"], "risk.fatal_scope");
    if (scope == "account") {
      out.fatal_scope = ControlScope::kAccount;
    } else if (scope == "strategy") {
      out.fatal_scope = ControlScope::kStrategy;
    } else if (scope == "global") {
      out.fatal_scope = ControlScope::kGlobal;
    } else {
      r.fail(risk["fatal_scope"], "risk.fatal_scope",
             "expected account, strategy or global, got '" + scope + "'");
    }
  }
}

void load_self_trade(const Reader& r, const YAML::Node& n, EngineConfig& c);

// fix: the QuickFIX settings files of the order and market-data sessions, and what the venue
// wants on every order (HandlInst, Account per account, custom tags).
// A model's name or version as the service's protocol carries it (docs/inference.md).
bool wire_name(const std::string& s, size_t max_length) {
  if (s.empty() || s.size() > max_length || s[0] == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '.' || ch == '_' || ch == '-';
  });
}

// inference.service: `embedded`, or where the service listens, by the endpoint's scheme.
void load_inference_service(const Reader& r, const YAML::Node& node, InferenceConfig& inf) {
  constexpr const char* kKey = "inference.service";
  constexpr const char* kForms =
      "expected embedded (models served in this process), tcp://HOST:PORT or ipc://PATH "
      "(guiju-inferd over ZeroMQ) or http://HOST:PORT (a KServe v2 server: guiju-inferd --http, "
      "NVIDIA Triton)";
  inf.service = r.string(node, kKey);
  if (inf.service == "embedded") {
    inf.transport = InferenceTransport::kEmbedded;
    return;
  }
  const size_t sep = inf.service.find("://");
  const std::string scheme = sep == std::string::npos ? "" : inf.service.substr(0, sep);
  const std::string rest = sep == std::string::npos ? "" : inf.service.substr(sep + 3);
  auto host_and_port = [&] {
    const size_t colon = rest.rfind(':');
    int64_t port = 0;
    const std::string digits = colon == std::string::npos ? "" : rest.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (colon == std::string::npos || colon == 0 || ec != std::errc() ||
        end != digits.data() + digits.size() || port < 1 || port > 65535) {
      r.fail(node, kKey,
             "expected " + scheme + "://HOST:PORT with a port 1..65535, got '" + inf.service + "'");
    }
  };
  if (scheme == "tcp") {
    host_and_port();
    inf.transport = InferenceTransport::kZeroMq;
  } else if (scheme == "http") {
    host_and_port();
    inf.transport = InferenceTransport::kKServeHttp;
  } else if (scheme == "ipc") {
    // The path must fit a Unix socket address (108 bytes with its terminating zero).
    if (rest.empty() || rest.size() > 107) {
      r.fail(node, kKey,
             "expected ipc://PATH with a path of 1..107 bytes, got '" + inf.service + "'");
    }
    inf.transport = InferenceTransport::kZeroMq;
  } else {
    r.fail(node, kKey, std::string(kForms) + ", got '" + inf.service + "'");
  }
}

void load_inference(const Reader& r, const YAML::Node& n, EngineConfig& c) {
  r.allow_keys(n, "inference",
               {"repository", "models", "service", "queue_capacity", "connect_timeout_ms"});
  InferenceConfig& inf = c.inference;
  inf.line = n.Mark().line + 1;
  if (n["service"]) load_inference_service(r, n["service"], inf);
  const bool embedded = inf.transport == InferenceTransport::kEmbedded;
  // A service has its own repository; the engine's, when given, is what replay runs.
  const YAML::Node repository =
      embedded ? r.require(n, "inference", "repository") : n["repository"];
  if (repository) {
    inf.repository = r.string(repository, "inference.repository");
    if (!std::filesystem::is_directory(inf.repository)) {
      r.fail(repository, "inference.repository", "no such directory '" + inf.repository + "'");
    }
  }
  const YAML::Node models = r.require(n, "inference", "models");
  if (!models.IsSequence() || models.size() == 0) {
    r.fail(models, "inference.models", "expected a non-empty list of { id, name, version }");
  }
  for (size_t i = 0; i < models.size(); ++i) {
    const std::string path = "inference.models[" + std::to_string(i) + "]";
    const YAML::Node m = models[i];
    r.allow_keys(m, path, {"id", "name", "version"});
    InferenceModelConfig model;
    model.id = static_cast<uint32_t>(r.integer(r.require(m, path, "id"), path + ".id", 1, 65535));
    model.name = r.string(r.require(m, path, "name"), path + ".name");
    if (m["version"]) model.version = r.string(m["version"], path + ".version");
    for (const InferenceModelConfig& other : inf.models) {
      if (other.id == model.id) {
        r.fail(m["id"], path + ".id", "model id " + std::to_string(model.id) + " is used twice");
      }
    }
    // What the service's protocol can name (and a reply's journal record holds).
    if (!wire_name(model.name, 64)) {
      r.fail(m["name"], path + ".name",
             "expected 1..64 of A-Z a-z 0-9 . _ - not starting with '.', got '" + model.name + "'");
    }
    if (!model.version.empty() && !wire_name(model.version, 32)) {
      r.fail(
          m["version"], path + ".version",
          "expected 1..32 of A-Z a-z 0-9 . _ - not starting with '.', got '" + model.version + "'");
    }
    if (!inf.repository.empty()) {
      const std::filesystem::path dir = std::filesystem::path(inf.repository) / model.name;
      if (!std::filesystem::is_directory(dir)) {
        r.fail(m["name"], path + ".name",
               "no model '" + model.name + "' in the repository (" + dir.string() + ")");
      }
      if (!model.version.empty() && !std::filesystem::is_directory(dir / model.version)) {
        r.fail(m["version"], path + ".version",
               "no version '" + model.version + "' of '" + model.name + "' (" +
                   (dir / model.version).string() + ")");
      }
    }
    inf.models.push_back(model);
  }
  if (n["queue_capacity"]) {
    inf.queue_capacity = static_cast<uint32_t>(
        r.integer(n["queue_capacity"], "inference.queue_capacity", 1, 1 << 20));
  }
  if (n["connect_timeout_ms"]) {
    inf.connect_timeout_ms = static_cast<uint32_t>(
        r.integer(n["connect_timeout_ms"], "inference.connect_timeout_ms", 0, 60'000));
  }
}

void load_fix(const Reader& r, const YAML::Node& n, EngineConfig& c) {
  r.allow_keys(n, "fix",
               {"settings", "orders", "market_data", "market_data_thread", "orders_thread",
                "handl_inst", "accounts", "custom_tags"});
  c.fix.line = n.Mark().line + 1;
  auto settings = [&](const char* key, std::string& out) {
    if (!n[key]) return;
    out = r.string(n[key], std::string("fix.") + key);
    if (!std::filesystem::is_regular_file(out)) {
      r.fail(n[key], std::string("fix.") + key, "no such QuickFIX settings file '" + out + "'");
    }
  };
  settings("settings", c.fix.settings);
  settings("orders", c.fix.orders);
  settings("market_data", c.fix.market_data);
  auto reading_thread = [&](const char* key, bool& on_engine_thread) {
    if (!n[key]) return;
    const std::string name = std::string("fix.") + key;
    const std::string thread = r.string(n[key], name);
    if (thread != "engine" && thread != "own") {
      r.fail(n[key], name, "expected engine or own, got '" + thread + "'");
    }
    on_engine_thread = thread == "engine";
  };
  reading_thread("market_data_thread", c.fix.market_data_on_engine_thread);
  reading_thread("orders_thread", c.fix.orders_on_engine_thread);
  if (n["handl_inst"]) {
    c.fix.handl_inst = r.string(n["handl_inst"], "fix.handl_inst");
    if (c.fix.handl_inst != "1" && c.fix.handl_inst != "2" && c.fix.handl_inst != "3") {
      r.fail(n["handl_inst"], "fix.handl_inst",
             "expected 1, 2 or 3, got '" + c.fix.handl_inst + "'");
    }
  }
  if (const YAML::Node accounts = n["accounts"]) {
    r.expect_map(accounts, "fix.accounts");
    for (const auto& kv : accounts) {
      const auto name = kv.first.as<std::string>();
      bool known = false;
      for (const AccountConfig& a : c.accounts) known = known || a.name == name;
      if (!known) r.fail(kv.first, "fix.accounts." + name, "expected a configured account name");
      c.fix.accounts.emplace_back(name, r.string(kv.second, "fix.accounts." + name));
    }
  }
  if (const YAML::Node tags = n["custom_tags"]) {
    r.expect_map(tags, "fix.custom_tags");
    for (const auto& kv : tags) {
      const auto tag_text = kv.first.as<std::string>();
      const std::string key = "fix.custom_tags." + tag_text;
      int tag = 0;
      const auto [end, ec] =
          std::from_chars(tag_text.data(), tag_text.data() + tag_text.size(), tag);
      if (ec != std::errc() || end != tag_text.data() + tag_text.size() || tag < 5000) {
        r.fail(kv.first, key, "expected a user-defined tag number (5000 or above)");
      }
      c.fix.custom_tags.emplace_back(tag, r.string(kv.second, key));
    }
  }
}

// threads.ROLE.cpu: one CPU or a list, each online on this machine (a config written for another
// host fails here, with the CPUs this one has, rather than at the first pin).
void load_threads(const Reader& r, const YAML::Node& n, ThreadsConfig& t) {
  r.allow_keys(n, "threads", {"engine", "journal", "fix", "inference"});
  const std::vector<int> online = online_cpus();
  auto role = [&](const char* name, ThreadPlacementConfig& out) {
    const YAML::Node node = n[name];
    if (!node) return;
    const std::string path = std::string("threads.") + name;
    r.allow_keys(node, path, {"cpu"});
    const YAML::Node cpu = r.require(node, path, "cpu");
    const std::string key = path + ".cpu";
    out.line = cpu.Mark().line + 1;
    auto add = [&](const YAML::Node& item) {
      const int c = static_cast<int>(r.integer(item, key, 0, CPU_SETSIZE - 1));
      if (!std::binary_search(online.begin(), online.end(), c)) {
        r.fail(item, key,
               "CPU " + std::to_string(c) +
                   " is not online on this machine (online: " + cpu_list(online) + ")");
      }
      if (std::find(out.cpus.begin(), out.cpus.end(), c) != out.cpus.end()) {
        r.fail(item, key, "CPU " + std::to_string(c) + " is listed twice");
      }
      out.cpus.push_back(c);
    };
    if (cpu.IsSequence()) {
      if (cpu.size() == 0) r.fail(cpu, key, "expected a CPU number or a non-empty list of them");
      for (const YAML::Node& item : cpu) add(item);
    } else {
      add(cpu);
    }
    std::sort(out.cpus.begin(), out.cpus.end());
  };
  role("engine", t.engine);
  role("journal", t.journal);
  role("fix", t.fix);
  role("inference", t.inference);
}

void load_risk(const Reader& r, const YAML::Node& root, EngineConfig& c) {
  if (const YAML::Node risk = root["risk"]) {
    load_limits(r, risk, "risk", LimitScope::kAccount, "",
                {"throttle", "restricted", "price_collar", "instruments", "fatal", "fatal_scope",
                 "self_trade"},
                c.risk.limits);
    if (const YAML::Node t = risk["throttle"]) load_throttle(r, t, c.risk.throttle);
    if (const YAML::Node st = risk["self_trade"]) load_self_trade(r, st, c);
    load_risk_shorthands(r, risk, c);
    load_fatal(r, risk, c.risk);
    if (const YAML::Node instruments = risk["instruments"]) {
      r.expect_map(instruments, "risk.instruments");
      for (const auto& kv : instruments) {
        const auto symbol = kv.first.as<std::string>();
        const std::string path = "risk.instruments." + symbol;
        bool known = false;
        for (const Instrument& in : c.instruments) known = known || in.symbol == symbol;
        if (!known) {
          r.fail(kv.first, path, "expected a configured instrument symbol, got '" + symbol + "'");
        }
        load_limits(r, kv.second, path, LimitScope::kInstrument, symbol, {}, c.risk.limits);
      }
    }
  }
  if (const YAML::Node accounts = root["accounts"]) {
    for (size_t i = 0; i < accounts.size(); ++i) {
      if (const YAML::Node risk = accounts[i]["risk"]) {
        load_limits(r, risk, "accounts[" + std::to_string(i) + "].risk", LimitScope::kAccount,
                    c.accounts[i].name, {}, c.risk.limits);
      }
    }
  }
  if (const YAML::Node strategies = root["strategies"]) {
    for (size_t i = 0; i < strategies.size(); ++i) {
      if (const YAML::Node risk = strategies[i]["risk"]) {
        load_limits(r, risk, "strategies[" + std::to_string(i) + "].risk", LimitScope::kStrategy,
                    c.strategies[i].name, {}, c.risk.limits);
      }
    }
  }
}

// risk.self_trade: self-trade prevention (core/risk/self_trade_check.hpp): the policy, and the
// control groups of accounts under common control, by account name. Off when absent.
void load_self_trade(const Reader& r, const YAML::Node& n, EngineConfig& c) {
  const std::string path = "risk.self_trade";
  r.allow_keys(n, path, {"policy", "groups"});
  SelfTradeRules& rules = c.self_trade;
  rules.enabled = true;
  const YAML::Node policy = r.require(n, path, "policy");
  const std::string name = r.string(policy, path + ".policy");
  const auto parsed = parse_self_trade_policy(name);
  if (!parsed) {
    r.fail(policy, path + ".policy",
           "expected reject_new, cancel_resting or cancel_both, got '" + name + "'");
  }
  rules.policy = *parsed;
  const YAML::Node groups = n["groups"];
  if (!groups) return;
  if (!groups.IsSequence()) {
    r.fail(groups, path + ".groups", "expected a list of groups, each a list of account names");
  }
  std::vector<size_t> group_of(c.accounts.size(), SIZE_MAX);
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::string group_key = path + ".groups[" + std::to_string(g) + "]";
    const YAML::Node members = groups[g];
    if (!members.IsSequence() || members.size() == 0) {
      r.fail(members, group_key, "expected a non-empty list of account names");
    }
    std::vector<AccountId> ids;
    for (size_t i = 0; i < members.size(); ++i) {
      const std::string key = group_key + "[" + std::to_string(i) + "]";
      const std::string account = r.string(members[i], key);
      size_t a = 0;
      while (a < c.accounts.size() && c.accounts[a].name != account) ++a;
      if (a == c.accounts.size()) {
        r.fail(members[i], key, "expected a configured account name, got '" + account + "'");
      }
      if (group_of[a] != SIZE_MAX) {
        r.fail(members[i], key,
               "account '" + account + "' is already in group " + std::to_string(group_of[a]));
      }
      group_of[a] = g;
      ids.push_back(static_cast<AccountId>(a));
    }
    rules.groups.push_back(std::move(ids));
  }
}

// dropcopy: where the feed binds, and how far a subscriber may fall behind before PUB drops
// its messages. Addresses are literals, like metrics.listen's: nothing is resolved.
void load_dropcopy(const Reader& r, const YAML::Node& n, DropCopyConfig& d) {
  r.allow_keys(n, "dropcopy", {"publish", "high_water_mark"});
  constexpr const char* kKey = "dropcopy.publish";
  const YAML::Node publish = r.require(n, "dropcopy", "publish");
  d.publish = r.string(publish, kKey);
  d.line = publish.Mark().line + 1;
  if (d.publish.starts_with("tcp://")) {
    std::string why;
    if (!parse_listen_address(std::string_view(d.publish).substr(6), &why)) {
      r.fail(publish, kKey, why);
    }
  } else if (d.publish.starts_with("ipc://")) {
    // The path must fit a Unix socket address (108 bytes with its terminating zero).
    if (d.publish.size() == 6 || d.publish.size() - 6 > 107) {
      r.fail(publish, kKey,
             "expected ipc://PATH with a path of 1..107 bytes, got '" + d.publish + "'");
    }
  } else {
    r.fail(publish, kKey,
           "expected tcp://HOST:PORT (an IPv4 address or a bracketed IPv6 one) or ipc://PATH, "
           "got '" +
               d.publish + "'");
  }
  if (n["high_water_mark"]) {
    d.high_water_mark = static_cast<uint32_t>(
        r.integer(n["high_water_mark"], "dropcopy.high_water_mark", 1, 10'000'000));
  }
  d.enabled = true;
}

EngineConfig load(const YAML::Node& root, const std::string& file) {
  const Reader r(file);
  if (!root || root.IsNull()) throw ConfigError(file, 0, 0, "", "the file is empty");
  r.allow_keys(root, "",
               {"mode",      "trading_date", "engine",  "logging",   "instruments", "accounts",
                "plugins",   "strategies",   "risk",    "endpoints", "data",        "venue",
                "synthetic", "paper",        "audit",   "fix",       "inference",   "metrics",
                "control",   "threads",      "dropcopy"});
  EngineConfig c;
  c.source_file = file;

  const YAML::Node mode = r.require(root, "", "mode");
  const std::string m = r.string(mode, "mode");
  if (m == "live") {
    c.mode = RunMode::kLive;
  } else if (m == "paper") {
    c.mode = RunMode::kPaper;
  } else if (m == "replay") {
    c.mode = RunMode::kReplay;
  } else {
    r.fail(mode, "mode", "expected live, paper or replay, got '" + m + "'");
  }

  const YAML::Node date = r.require(root, "", "trading_date");
  c.trading_date = r.string(date, "trading_date");
  if (const std::string why = validate_trading_date(c.trading_date); !why.empty()) {
    r.fail(date, "trading_date", why + ", got '" + c.trading_date + "'");
  }

  if (root["engine"]) load_engine(r, root["engine"], c.engine);
  if (root["logging"]) load_logging(r, root["logging"], c.logging);
  if (root["threads"]) load_threads(r, root["threads"], c.threads);

  const YAML::Node instruments = r.require(root, "", "instruments");
  if (!instruments.IsSequence() || instruments.size() == 0) {
    r.fail(instruments, "instruments", "expected a non-empty list of instruments");
  }
  for (size_t i = 0; i < instruments.size(); ++i) {
    c.instruments.push_back(
        load_instrument(r, instruments[i], "instruments[" + std::to_string(i) + "]"));
  }

  // A venue simulator's config (a fix section, no strategies) trades for nobody: its members'
  // accounts arrive over FIX, so it may list none.
  const bool venue_simulator = root["fix"] && !root["strategies"];
  if (!venue_simulator || root["accounts"]) {
    const YAML::Node accounts = r.require(root, "", "accounts");
    if (!accounts.IsSequence() || accounts.size() == 0) {
      r.fail(accounts, "accounts", "expected a non-empty list of accounts");
    }
    for (size_t i = 0; i < accounts.size(); ++i) {
      c.accounts.push_back(load_account(r, accounts[i], "accounts[" + std::to_string(i) + "]"));
    }
  }

  if (const YAML::Node strategies = root["strategies"]) {
    if (!strategies.IsSequence()) r.fail(strategies, "strategies", "expected a list of strategies");
    for (size_t i = 0; i < strategies.size(); ++i) {
      c.strategies.push_back(
          load_strategy(r, strategies[i], "strategies[" + std::to_string(i) + "]", file));
    }
  }

  load_risk(r, root, c);

  if (root["data"]) load_data(r, root["data"], c, c.data);

  if (const YAML::Node ep = root["endpoints"]) {
    r.allow_keys(ep, "endpoints", {"market_data", "archive", "orders"});
    if (ep["market_data"]) {
      c.endpoints.market_data = r.string(ep["market_data"], "endpoints.market_data");
      if (c.endpoints.market_data != "synthetic" && c.endpoints.market_data != "sse_level2" &&
          c.endpoints.market_data != "fix") {
        r.fail(ep["market_data"], "endpoints.market_data",
               "expected 'synthetic', 'sse_level2' (a recorded SSE Level-2 day) or 'fix' (live "
               "from fix.market_data), got '" +
                   c.endpoints.market_data + "'");
      }
    }
    if (c.endpoints.market_data == "sse_level2") {
      const YAML::Node archive = r.require(ep, "endpoints", "archive");
      c.endpoints.archive = r.string(archive, "endpoints.archive");
      if (!std::filesystem::is_regular_file(c.endpoints.archive)) {
        r.fail(archive, "endpoints.archive", "no such file '" + c.endpoints.archive + "'");
      }
    } else if (ep["archive"]) {
      r.fail(ep["archive"], "endpoints.archive", "only used with market_data: sse_level2");
    }
    if (ep["orders"]) {
      c.endpoints.orders = r.string(ep["orders"], "endpoints.orders");
      if (c.endpoints.orders != "simulated") {
        r.fail(ep["orders"], "endpoints.orders",
               "expected 'simulated' (the only order sink this build has), got '" +
                   c.endpoints.orders + "'");
      }
    }
  }
  if (const YAML::Node fix = root["fix"]) load_fix(r, fix, c);
  if (const YAML::Node inference = root["inference"]) load_inference(r, inference, c);
  if (c.endpoints.market_data == "fix" && c.fix.market_data.empty()) {
    r.fail(root["endpoints"]["market_data"], "endpoints.market_data",
           "market data from FIX needs fix.market_data (QuickFIX settings, docs/fix.md)");
  }
  if (c.mode == RunMode::kLive && (c.fix.orders.empty() || c.fix.market_data.empty())) {
    r.fail(mode, "mode",
           "live mode trades through FIX sessions: add fix.orders and fix.market_data (QuickFIX "
           "settings files, docs/fix.md)");
  }

  if (const YAML::Node plugins = root["plugins"]) {
    r.allow_keys(plugins, "plugins", {"directories"});
    const YAML::Node dirs = r.require(plugins, "plugins", "directories");
    if (!dirs.IsSequence() || dirs.size() == 0) {
      r.fail(dirs, "plugins.directories", "expected a non-empty list of directories");
    }
    for (size_t i = 0; i < dirs.size(); ++i) {
      const std::string key = "plugins.directories[" + std::to_string(i) + "]";
      const std::filesystem::path d = r.string(dirs[i], key);
      if (!std::filesystem::is_directory(d)) {
        r.fail(dirs[i], key, "no such directory '" + d.string() + "'");
      }
      c.plugins.directories.push_back(d.lexically_normal().string());
    }
  } else if (root["strategies"] && root["strategies"].size() > 0) {
    r.fail(root, "plugins",
           "strategies are plugins: add a plugins section with the directories to load them from");
  }
  if (root["synthetic"]) load_synthetic(r, root["synthetic"], c.synthetic);
  if (const YAML::Node venue = root["venue"]) {
    r.allow_keys(
        venue, "venue",
        {"fill_model", "order_latency_us", "market_data_latency_us", "market_rules", "t_plus_one"});
    if (venue["t_plus_one"])
      c.venue.t_plus_one = r.boolean(venue["t_plus_one"], "venue.t_plus_one");
    if (venue["market_rules"]) {
      const std::string rules = r.string(venue["market_rules"], "venue.market_rules");
      if (rules != "none" && rules != "ashare") {
        r.fail(venue["market_rules"], "venue.market_rules",
               "expected none or ashare, got '" + rules + "'");
      }
      c.venue.ashare_rules = rules == "ashare";
    }
    if (venue["order_latency_us"]) {
      c.venue.order_latency_us = static_cast<uint32_t>(
          r.integer(venue["order_latency_us"], "venue.order_latency_us", 0, 10'000'000));
    }
    if (venue["market_data_latency_us"]) {
      c.venue.market_data_latency_us = static_cast<uint32_t>(r.integer(
          venue["market_data_latency_us"], "venue.market_data_latency_us", 0, 10'000'000));
    }
    if (venue["fill_model"]) {
      const std::string model = r.string(venue["fill_model"], "venue.fill_model");
      if (model != "queue" && model != "touch") {
        r.fail(venue["fill_model"], "venue.fill_model",
               "expected queue or touch, got '" + model + "'");
      }
      c.venue.queue_fill = model == "queue";
    }
  }
  if (const YAML::Node metrics = root["metrics"]) {
    r.allow_keys(metrics, "metrics", {"listen"});
    const YAML::Node listen = r.require(metrics, "metrics", "listen");
    std::string why;
    const auto address = parse_listen_address(r.string(listen, "metrics.listen"), &why);
    if (!address) r.fail(listen, "metrics.listen", why);
    c.metrics.enabled = true;
    c.metrics.listen = *address;
  }
  if (const YAML::Node control = root["control"]) {
    r.allow_keys(control, "control", {"listen", "server_key", "operators"});
    const YAML::Node listen = r.require(control, "control", "listen");
    c.control.listen = r.string(listen, "control.listen");
    if (!c.control.listen.starts_with("tcp://") && !c.control.listen.starts_with("ipc://")) {
      r.fail(listen, "control.listen",
             "expected tcp://HOST:PORT or ipc://PATH, got '" + c.control.listen + "'");
    }
    for (const auto& [key, field] : {std::pair{"server_key", &c.control.server_key},
                                     std::pair{"operators", &c.control.operators}}) {
      const std::string name = std::string("control.") + key;
      const YAML::Node node = r.require(control, "control", key);
      *field = r.string(node, name);
      if (!std::filesystem::is_regular_file(*field)) {
        r.fail(node, name, "no such file '" + *field + "'");
      }
    }
    c.control.enabled = true;
  }
  if (const YAML::Node dropcopy = root["dropcopy"]) load_dropcopy(r, dropcopy, c.dropcopy);
  if (const YAML::Node paper = root["paper"]) {
    r.allow_keys(paper, "paper", {"duration_seconds", "speed"});
    if (paper["duration_seconds"]) {
      c.paper.duration_seconds = static_cast<uint32_t>(
          r.integer(paper["duration_seconds"], "paper.duration_seconds", 0, 86400));
    }
    if (paper["speed"]) c.paper.speed = r.number(paper["speed"], "paper.speed", 0.01, 1e6);
  }

  if (const YAML::Node audit = root["audit"]) {
    r.allow_keys(audit, "audit",
                 {"directory", "durability", "sync_interval_us", "segment_mb", "ring_capacity",
                  "checkpoint_key", "checkpoint_interval_s"});
    c.audit.enabled = true;
    c.audit.directory = r.string(r.require(audit, "audit", "directory"), "audit.directory");
    if (audit["durability"]) {
      c.audit.durability = r.string(audit["durability"], "audit.durability");
      if (c.audit.durability != "every_commit" && c.audit.durability != "interval" &&
          c.audit.durability != "os_buffered") {
        r.fail(audit["durability"], "audit.durability",
               "expected every_commit, interval or os_buffered, got '" + c.audit.durability + "'");
      }
    }
    if (audit["sync_interval_us"]) {
      c.audit.sync_interval_us = static_cast<uint32_t>(
          r.integer(audit["sync_interval_us"], "audit.sync_interval_us", 1, 10'000'000));
    }
    if (audit["segment_mb"]) {
      c.audit.segment_mb =
          static_cast<uint32_t>(r.integer(audit["segment_mb"], "audit.segment_mb", 1, 65536));
    }
    if (audit["checkpoint_key"]) {
      c.audit.checkpoint_key = r.string(audit["checkpoint_key"], "audit.checkpoint_key");
      if (!std::filesystem::is_regular_file(c.audit.checkpoint_key)) {
        r.fail(audit["checkpoint_key"], "audit.checkpoint_key",
               "no such key file '" + c.audit.checkpoint_key + "'");
      }
    }
    if (audit["checkpoint_interval_s"]) {
      c.audit.checkpoint_interval_s = static_cast<uint32_t>(
          r.integer(audit["checkpoint_interval_s"], "audit.checkpoint_interval_s", 1, 86400));
    }
    if (audit["ring_capacity"]) {
      c.audit.ring_capacity = r.power_of_two(audit["ring_capacity"], "audit.ring_capacity");
    }
  } else if (c.mode == RunMode::kPaper && !venue_simulator) {
    // A venue simulator sends no orders of its own. Fail closed (DESIGN.md rule 6): nothing trades
    // on the real clock without an audit trail.
    r.fail(root, "audit", "paper and live trading need an audit journal: add an audit section");
  }

  check_cross_references(r, root, c);
  return c;
}

}  // namespace

EngineConfig parse_engine_config(const std::string& yaml_text, const std::string& file_name) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(file_name, e.mark.line + 1, e.mark.column + 1, "", "invalid YAML: " + e.msg);
  }
  try {
    return load(root, file_name);
  } catch (const YAML::Exception& e) {
    throw ConfigError(file_name, e.mark.line + 1, e.mark.column + 1, "", e.msg);
  }
}

EngineConfig load_engine_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path, 0, 0, "", "cannot open the config file");
  std::stringstream text;
  text << in.rdbuf();
  return parse_engine_config(text.str(), path);
}

}  // namespace guiju
