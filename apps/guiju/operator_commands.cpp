#include "apps/guiju/operator_commands.hpp"

#include <algorithm>
#include <optional>
#include <sstream>
#include <utility>

#include "apps/guiju/engine_assembly.hpp"
#include "core/config/config_error.hpp"
#include "core/config/config_loader.hpp"
#include "core/control/curve_key.hpp"
#include "core/logging/log.hpp"
#include "core/plugin/plugin_loader.hpp"

namespace guiju {

using control::ControlReply;
using control::ControlRequest;

namespace {

constexpr std::chrono::milliseconds kEngineTimeout{2000};

// Columns as wide as their widest cell, two spaces apart.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  size_t size() const { return rows_.size() - 1; }
  std::string str() const {
    std::vector<size_t> width;
    for (const auto& row : rows_) {
      width.resize(std::max(width.size(), row.size()));
      for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    std::string out;
    for (const auto& row : rows_) {
      std::string line;
      for (size_t c = 0; c < row.size(); ++c) {
        line += row[c];
        if (c + 1 < row.size()) line.append(width[c] - row[c].size() + 2, ' ');
      }
      out += line + "\n";
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string names_of_accounts(const Engine& e) {
  std::string out;
  for (size_t a = 0; a < e.account_count(); ++a) {
    out += (out.empty() ? "" : ", ") + e.account_name(static_cast<AccountId>(a));
  }
  return out;
}

std::optional<AccountId> account_named(const Engine& e, std::string_view name) {
  for (size_t a = 0; a < e.account_count(); ++a) {
    if (e.account_name(static_cast<AccountId>(a)) == name) return static_cast<AccountId>(a);
  }
  return std::nullopt;
}

struct Scope {
  ControlScope scope = ControlScope::kGlobal;
  uint32_t target = 0;
  std::string text = "global";
};

// `[global | account NAME | strategy NAME]` from words[first...] (engine thread: names are the
// engine's). nullopt and *error naming what is wrong.
std::optional<Scope> parse_scope(const Engine& e, const std::vector<std::string>& words,
                                 size_t first, std::string* error) {
  const size_t n = words.size() - std::min(first, words.size());
  if (n == 0 || (n == 1 && words[first] == "global")) return Scope{};
  if (n != 2) {
    *error = "expected global, account NAME or strategy NAME";
    return std::nullopt;
  }
  const std::string& kind = words[first];
  const std::string& name = words[first + 1];
  if (kind == "account") {
    if (const auto id = account_named(e, name)) {
      return Scope{ControlScope::kAccount, *id, "account " + name};
    }
    *error = "no account '" + name + "' (accounts: " + names_of_accounts(e) + ")";
    return std::nullopt;
  }
  if (kind == "strategy") {
    if (const auto id = e.find_strategy(name)) {
      return Scope{ControlScope::kStrategy, *id, "strategy " + name};
    }
    *error = "no running strategy '" + name + "' (`guiju ctl strategies` lists them)";
    return std::nullopt;
  }
  *error = "unknown scope '" + kind + "': expected global, account NAME or strategy NAME";
  return std::nullopt;
}

std::string strategy_state(const Engine& e, StrategyId id) {
  if (e.strategy_unloaded(id)) return "unloaded";
  if (e.strategy_killed(id)) return "killed";
  if (e.cancel_only(id)) return "cancel-only";
  if (e.strategy_quarantined(id)) {
    const std::string why = e.strategy_stats(id).quarantine_reason;
    return why == "paused by operator" ? "paused" : "quarantined: " + why;
  }
  return "running";
}

std::string limit_target_name(const Engine& e, LimitScope scope, uint32_t target) {
  switch (scope) {
    case LimitScope::kAccount:
      return e.account_name(static_cast<AccountId>(target));
    case LimitScope::kStrategy:
      return e.strategy_name(static_cast<StrategyId>(target));
    case LimitScope::kInstrument:
      return e.instruments().get(static_cast<InstrumentId>(target)).symbol;
  }
  return "?";
}

size_t limit_targets(const Engine& e, LimitScope scope) {
  switch (scope) {
    case LimitScope::kAccount:
      return e.account_count();
    case LimitScope::kStrategy:
      return e.strategy_count();
    case LimitScope::kInstrument:
      return e.instruments().size();
  }
  return 0;
}

constexpr LimitScope kLimitScopes[] = {LimitScope::kAccount, LimitScope::kStrategy,
                                       LimitScope::kInstrument};

}  // namespace

OperatorCommands::OperatorCommands(Engine& engine, EngineMailbox& mailbox,
                                   const EngineConfig& config,
                                   const journal::JournalService* journal)
    : engine_(engine), mailbox_(mailbox), config_(config), journal_(journal) {}

ControlReply OperatorCommands::on_engine(const std::function<ControlReply()>& task) {
  ControlReply reply =
      ControlReply::error("the engine is not taking commands (not started, or stopped)");
  try {
    mailbox_.run([&] { reply = task(); }, kEngineTimeout);
  } catch (const std::exception& e) {
    reply = ControlReply::error(e.what());
  }
  return reply;
}

void OperatorCommands::journal_command(std::string_view issued_by, std::string_view text) {
  engine_.apply_control(ControlAction::kOperatorCommand, ControlScope::kGlobal, 0, issued_by, text);
}

ControlReply OperatorCommands::run(const control::OperatorKey& op, const ControlRequest& request) {
  const std::string issued_by = "ctl:" + op.name;
  log().info("control: '{}' from {} ({}): {}", request.text(), op.name, to_string(op.role),
             request.reason);
  try {
    return dispatch(issued_by, request);
  } catch (const ConfigError& e) {
    return ControlReply::error(std::string("config error: ") + e.what());
  } catch (const std::exception& e) {
    return ControlReply::error(e.what());
  }
}

void OperatorCommands::record_denied(const control::OperatorKey& op, const ControlRequest& request,
                                     const std::string& /*why: logged by the server*/) {
  on_engine([&] {
    journal_command("ctl:" + op.name, "denied: " + request.text());
    return ControlReply::ok("");
  });
}

void OperatorCommands::record_refused(const std::string& address, const std::string& key) {
  on_engine([&] {
    journal_command("ctl:?", "refused key " + control::key_fingerprint(key) + " from " + address);
    return ControlReply::ok("");
  });
}

ControlReply OperatorCommands::dispatch(const std::string& issued_by,
                                        const ControlRequest& request) {
  const std::vector<std::string>& w = request.words;
  const std::string& verb = w.at(0);
  // Work that needs the config file is done here, off the engine thread, before the record.
  if (verb == "risk" && w.size() > 1 && w[1] == "reload") {
    on_engine([&] {
      journal_command(issued_by, request.text());
      return ControlReply::ok("");
    });
    return reload_risk_limits(issued_by, request.reason);
  }
  if (verb == "strategies" && w.size() > 1 && w[1] == "load") {
    if (w.size() != 3) return ControlReply::error("usage: strategies load NAME");
    return load_strategy(issued_by, w[2]);
  }
  return on_engine([&] {
    journal_command(issued_by, request.text());
    if (verb == "status") return status();
    if (verb == "strategies") {
      return w.size() == 1 || w[1] == "list" ? strategies()
                                             : strategy_lifecycle(issued_by, request);
    }
    if (verb == "orders") return orders();
    if (verb == "positions") return positions();
    if (verb == "risk" && w.size() > 1 && w[1] == "show") return risk_show(w);
    if (verb == "risk" && w.size() > 1 && w[1] == "set") return risk_set(issued_by, request);
    if (verb == "kill") return scoped_control(ControlAction::kKillSwitch, issued_by, request);
    if (verb == "reset") return scoped_control(ControlAction::kResetKillSwitch, issued_by, request);
    if (verb == "flatten") return scoped_control(ControlAction::kFlatten, issued_by, request);
    return ControlReply::error("unknown command '" + request.text() + "'");
  });
}

ControlReply OperatorCommands::status() {
  const Engine& e = engine_;
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back("mode", std::string(to_string(config_.mode)));
  rows.emplace_back("trading date", config_.trading_date);
  rows.emplace_back("config", config_.source_file);
  const auto up =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
  rows.emplace_back("engine", std::string(e.stopping()  ? "stopping"
                                          : e.started() ? "trading"
                                                        : "waiting to start") +
                                  ", up " + std::to_string(up.count()) + " s");
  std::string kill = e.halted() ? "ENGAGED (global)" : "off";
  for (size_t a = 0; a < e.account_count(); ++a) {
    if (e.account_killed(static_cast<AccountId>(a))) {
      kill += "; account " + e.account_name(static_cast<AccountId>(a)) + " killed";
    }
  }
  size_t running = 0;
  size_t loaded = 0;
  for (size_t s = 0; s < e.strategy_count(); ++s) {
    const auto id = static_cast<StrategyId>(s);
    if (e.strategy_unloaded(id)) continue;
    ++loaded;
    if (e.strategy_killed(id)) kill += "; strategy " + e.strategy_name(id) + " killed";
    if (strategy_state(e, id) == "running") ++running;
  }
  rows.emplace_back("kill switch", kill);
  rows.emplace_back("order session", e.order_session_is_down() ? "DOWN (orders refused)" : "up");
  rows.emplace_back("strategies",
                    std::to_string(loaded) + " loaded, " + std::to_string(running) + " running");
  size_t holding = 0;
  for (const Position& p : e.portfolio().positions()) holding += p.is_flat() ? 0 : 1;
  rows.emplace_back("orders", std::to_string(e.orders().open_orders().size()) + " open");
  rows.emplace_back("positions", std::to_string(holding) + " not flat");
  const PnlSummary pnl = e.portfolio().pnl();
  rows.emplace_back("pnl", "net " + pnl.net().to_string() + " (realized " +
                               pnl.realized.to_string() + ", unrealized " +
                               pnl.unrealized.to_string() + ", fees " + pnl.fees.to_string() + ")");
  const EngineCounters& c = e.counters();
  rows.emplace_back("events in", std::to_string(c.total_events_in()));
  rows.emplace_back("sent", std::to_string(c.orders_sent) + " orders, " +
                                std::to_string(c.cancels_sent) + " cancels, " +
                                std::to_string(c.replaces_sent) + " replaces");
  rows.emplace_back("fills", std::to_string(c.fills));
  rows.emplace_back("refused", std::to_string(c.local_rejects) + " here (" +
                                   std::to_string(c.risk_rejects) + " by risk), " +
                                   std::to_string(c.venue_rejects) + " by the venue");
  if (journal_ != nullptr) {
    const uint64_t queued = journal_->queued();
    const uint64_t durable = journal_->durable_sequence();
    rows.emplace_back("journal", std::string(journal_->healthy() ? "healthy" : "FAILED: ") +
                                     (journal_->healthy() ? "" : journal_->failure()) +
                                     ", sequence " + std::to_string(queued) + ", durable " +
                                     std::to_string(durable) + " (lag " +
                                     std::to_string(queued - std::min(queued, durable)) + ")");
  } else {
    rows.emplace_back("journal", "none configured");
  }
  TextTable t({"", ""});
  for (auto& [k, v] : rows) t.add({k, v});
  std::string text = t.str();
  return ControlReply::ok(text.substr(text.find('\n') + 1));  // no header line
}

ControlReply OperatorCommands::strategies() {
  const Engine& e = engine_;
  TextTable t({"id", "name", "account", "state", "overruns"});
  for (size_t s = 0; s < e.strategy_count(); ++s) {
    const auto id = static_cast<StrategyId>(s);
    t.add({std::to_string(s), e.strategy_name(id), e.account_name(e.strategy_account(id)),
           strategy_state(e, id), std::to_string(e.strategy_stats(id).callback_overruns)});
  }
  return ControlReply::ok(t.str());
}

ControlReply OperatorCommands::orders() {
  const Engine& e = engine_;
  TextTable t({"client order id", "strategy", "account", "instrument", "side", "price", "quantity",
               "filled", "state"});
  for (const OrderId id : e.orders().open_orders()) {
    const Order* o = e.orders().find(id);
    if (o == nullptr) continue;
    t.add({std::string(o->client_order_id.view()), e.strategy_name(o->strategy),
           e.account_name(o->account), e.instruments().get(o->instrument).symbol,
           std::string(to_string(o->side)), o->price.to_string(), o->quantity.to_string(),
           o->filled.to_string(),
           std::string(to_string(o->state)) + (o->status_unknown ? " (status unknown)" : "")});
  }
  return ControlReply::ok(std::to_string(t.size()) + " open orders\n" + t.str());
}

ControlReply OperatorCommands::positions() {
  const Engine& e = engine_;
  TextTable t({"account", "strategy", "instrument", "quantity", "average cost", "mark", "realized",
               "unrealized", "fees"});
  for (const Position& p : e.portfolio().positions()) {
    const Price mark = e.portfolio().mark(p.instrument);
    t.add({e.account_name(p.account), e.strategy_name(p.strategy),
           e.instruments().get(p.instrument).symbol, p.quantity.to_string(),
           p.average_cost().to_string(), mark.to_string(), p.realized_pnl.to_string(),
           p.unrealized_pnl(mark).to_string(), p.fees.to_string()});
  }
  return ControlReply::ok(t.str());
}

ControlReply OperatorCommands::risk_show(const std::vector<std::string>& words) {
  const Engine& e = engine_;
  const RiskLimits* limits = e.risk_limits();
  if (limits == nullptr) return ControlReply::error("no risk limits are configured");
  std::optional<LimitScope> only_scope;
  std::optional<uint32_t> only_target;
  if (words.size() == 4) {
    only_scope = parse_limit_scope(words[2]);
    if (!only_scope) return ControlReply::error("unknown scope '" + words[2] + "'");
    for (size_t i = 0; i < limit_targets(e, *only_scope); ++i) {
      if (limit_target_name(e, *only_scope, static_cast<uint32_t>(i)) == words[3]) {
        only_target = static_cast<uint32_t>(i);
      }
    }
    if (!only_target) {
      return ControlReply::error("no " + words[2] + " '" + words[3] + "'");
    }
  } else if (words.size() != 2) {
    return ControlReply::error(
        "usage: risk show [account NAME | strategy NAME | instrument SYMBOL]");
  }
  TextTable t({"scope", "target", "limit", "value"});
  for (const LimitScope scope : kLimitScopes) {
    if (only_scope && scope != *only_scope) continue;
    for (size_t i = 0; i < limit_targets(e, scope); ++i) {
      const auto target = static_cast<uint32_t>(i);
      if (only_target && target != *only_target) continue;
      if (scope == LimitScope::kStrategy && e.strategy_unloaded(target)) continue;
      for (size_t k = 0; k < kLimitKeyCount; ++k) {
        const auto key = static_cast<LimitKey>(k);
        const int64_t value = limits->get(scope, target, key);
        if (value == 0) continue;
        t.add({std::string(to_string(scope)), limit_target_name(e, scope, target),
               std::string(info(key).name), format_limit_value(key, value)});
      }
    }
  }
  return ControlReply::ok(t.size() == 0 ? "no limits set (0 is off)\n" : t.str());
}

ControlReply OperatorCommands::risk_set(const std::string& issued_by, const ControlRequest& r) {
  const std::vector<std::string>& w = r.words;
  if (w.size() != 6) {
    return ControlReply::error("usage: risk set account|strategy|instrument TARGET LIMIT VALUE");
  }
  const std::optional<LimitScope> scope = parse_limit_scope(w[2]);
  if (!scope) return ControlReply::error("unknown scope '" + w[2] + "'");
  std::optional<uint32_t> target;
  for (size_t i = 0; i < limit_targets(engine_, *scope); ++i) {
    const auto id = static_cast<uint32_t>(i);
    if (*scope == LimitScope::kStrategy && engine_.strategy_unloaded(id)) continue;
    if (limit_target_name(engine_, *scope, id) == w[3]) target = id;
  }
  if (!target) return ControlReply::error("no " + w[2] + " '" + w[3] + "'");
  const std::optional<LimitKey> key = parse_limit_key(w[4]);
  if (!key) return ControlReply::error("unknown limit '" + w[4] + "' (docs/risk.md lists them)");
  std::string why;
  const std::optional<int64_t> value = parse_limit_value(*key, w[5], &why);
  if (!value) return ControlReply::error(w[4] + ": " + why);
  const int64_t before =
      engine_.risk_limits() != nullptr ? engine_.risk_limits()->get(*scope, *target, *key) : 0;
  engine_.change_risk_limit(*scope, *target, *key, *value, issued_by, r.reason);
  return ControlReply::ok(w[2] + " " + w[3] + " " + w[4] + ": " + format_limit_value(*key, before) +
                          " -> " + format_limit_value(*key, *value) + "\n");
}

ControlReply OperatorCommands::scoped_control(ControlAction action, const std::string& issued_by,
                                              const ControlRequest& r) {
  std::string error;
  const std::optional<Scope> scope = parse_scope(engine_, r.words, 1, &error);
  if (!scope) return ControlReply::error(error);
  const size_t open_before = engine_.orders().open_orders().size();
  engine_.apply_control(action, scope->scope, scope->target, issued_by, r.reason);
  switch (action) {
    case ControlAction::kKillSwitch:
      return ControlReply::ok("kill switch engaged: " + scope->text + "; " +
                              std::to_string(open_before) +
                              " orders were open, cancels sent for those in scope\n");
    case ControlAction::kResetKillSwitch:
      return ControlReply::ok("kill switch reset: " + scope->text + "\n");
    case ControlAction::kFlatten: {
      const FlattenReport& f = engine_.last_flatten();
      std::string text = "flatten " + scope->text + ": " + std::to_string(f.cancels_sent) +
                         " cancels sent, " + std::to_string(f.orders_sent.size()) +
                         " closing orders sent, " + std::to_string(f.not_sent.size()) +
                         " not sent\n";
      for (const std::string& s : f.orders_sent) text += "  sent: " + s + "\n";
      for (const std::string& s : f.not_sent) text += "  NOT sent: " + s + "\n";
      return f.not_sent.empty() ? ControlReply::ok(text) : ControlReply::error(text);
    }
    default:
      return ControlReply::ok(std::string(to_string(action)) + ": " + scope->text + "\n");
  }
}

ControlReply OperatorCommands::strategy_lifecycle(const std::string& issued_by,
                                                  const ControlRequest& r) {
  const std::vector<std::string>& w = r.words;
  if (w.size() != 3) return ControlReply::error("usage: strategies " + w[1] + " NAME");
  const std::optional<StrategyId> id = engine_.find_strategy(w[2]);
  if (!id) return ControlReply::error("no running strategy '" + w[2] + "'");
  if (w[1] == "unload") {
    const size_t cancels = engine_.unload_strategy(*id, "unloaded by " + issued_by);
    return ControlReply::ok("strategy " + w[2] + " unloaded; " + std::to_string(cancels) +
                            " cancels sent\n");
  }
  const bool pause = w[1] == "pause";
  if (!pause && strategy_state(engine_, *id) != "paused") {
    return ControlReply::error(
        "strategy " + w[2] + " is " + strategy_state(engine_, *id) + ", not paused" +
        (engine_.strategy_quarantined(*id) ? " (a quarantined strategy is reloaded, not resumed)"
                                           : ""));
  }
  engine_.apply_control(pause ? ControlAction::kPauseStrategy : ControlAction::kResumeStrategy,
                        ControlScope::kStrategy, *id, issued_by, r.reason);
  return ControlReply::ok("strategy " + w[2] + " " + strategy_state(engine_, *id) + "\n");
}

ControlReply OperatorCommands::load_strategy(const std::string& issued_by,
                                             const std::string& name) {
  // The config as the file is now: an operator adds the strategy there, then loads it.
  const EngineConfig now = load_engine_config(config_.source_file);
  const auto entry = std::find_if(now.strategies.begin(), now.strategies.end(),
                                  [&](const StrategyConfig& s) { return s.name == name; });
  if (entry == now.strategies.end()) {
    return ControlReply::error("no strategy '" + name + "' in " + config_.source_file);
  }
  std::vector<InstrumentId> instruments;
  for (const std::string& symbol : entry->instruments) {
    const std::optional<InstrumentId> id = engine_.instruments().id_of(symbol);
    if (!id) {
      std::string why = "strategy '" + name;
      why += "' trades " + symbol;
      why += ", which the running engine does not have (restart to add instruments)";
      return ControlReply::error(why);
    }
    instruments.push_back(*id);
  }
  // Opening the plugin (and starting a strategy host process) happens here, off the engine thread.
  PluginLoader plugins(now.plugins, now.source_file, engine_.instruments());
  LoadedStrategy loaded = plugins.load(*entry);
  return on_engine([&] {
    journal_command(issued_by, "strategies load " + name);
    const std::optional<AccountId> account = account_named(engine_, entry->account);
    if (!account) return ControlReply::error("no account '" + entry->account + "' is running");
    const StrategyId id = engine_.load_strategy(
        name, *account, instruments, std::move(loaded.strategy), std::move(loaded.identity));
    return ControlReply::ok("strategy " + name + " loaded as id " + std::to_string(id) +
                            " and started\n");
  });
}

ControlReply OperatorCommands::reload_risk_limits(std::string_view issued_by,
                                                  std::string_view reason) {
  EngineConfig now;
  try {
    now = load_engine_config(config_.source_file);
  } catch (const ConfigError& e) {
    log().error("risk reload by {}: the config does not load, no limit changed: {}", issued_by,
                e.what());
    return ControlReply::error(std::string("config error, no limit changed: ") + e.what());
  }
  const auto differ = [](const auto& a, const auto& b) {
    return a.size() != b.size() ||
           !std::equal(a.begin(), a.end(), b.begin(),
                       [](const auto& x, const auto& y) { return x.name == y.name; });
  };
  if (differ(now.accounts, config_.accounts)) {
    return ControlReply::error(
        "the config's accounts differ from the running ones; no limit "
        "changed (restart to change accounts)");
  }
  std::vector<std::string> symbols_now;
  std::vector<std::string> symbols_running;
  for (const Instrument& i : now.instruments) symbols_now.push_back(i.symbol);
  for (const Instrument& i : config_.instruments) symbols_running.push_back(i.symbol);
  if (symbols_now != symbols_running) {
    return ControlReply::error(
        "the config's instruments differ from the running ones; no limit "
        "changed (restart to change instruments)");
  }
  ControlReply reply = on_engine([&] {
    if (engine_.risk_limits() == nullptr) return ControlReply::error("no risk limits configured");
    const RiskLimits target = configured_risk_limits(
        now, engine_.instruments(),
        [this](std::string_view name) { return engine_.find_strategy(name); });
    const RiskLimits& current = *engine_.risk_limits();
    std::string changes;
    size_t changed = 0;
    for (const LimitScope scope : kLimitScopes) {
      for (size_t i = 0; i < limit_targets(engine_, scope); ++i) {
        const auto id = static_cast<uint32_t>(i);
        if (scope == LimitScope::kStrategy && engine_.strategy_unloaded(id)) continue;
        for (size_t k = 0; k < kLimitKeyCount; ++k) {
          const auto key = static_cast<LimitKey>(k);
          const int64_t was = current.get(scope, id, key);
          const int64_t to = target.get(scope, id, key);
          if (was == to) continue;
          engine_.change_risk_limit(scope, id, key, to, issued_by, reason);
          ++changed;
          changes += "  " + std::string(to_string(scope)) + " " +
                     limit_target_name(engine_, scope, id) + " " + std::string(info(key).name) +
                     ": " + format_limit_value(key, was) + " -> " + format_limit_value(key, to) +
                     "\n";
        }
      }
    }
    return ControlReply::ok("risk limits reloaded from " + config_.source_file + ": " +
                            std::to_string(changed) + " changed\n" + changes);
  });
  log().info("risk reload by {}: {}", issued_by, reply.text);
  return reply;
}

}  // namespace guiju
