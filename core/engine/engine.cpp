#include "core/engine/engine.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include "core/engine/engine_strategy_context.hpp"
#include "core/engine/order_validation.hpp"
#include "core/logging/log.hpp"

namespace guiju {

namespace {

// Holds the engine time of the event being handled for as long as it is handled (handling nested
// inside it keeps the outer event's time).
class DispatchTime {
 public:
  DispatchTime(Timestamp& slot, Timestamp now) : slot_(slot), previous_(slot) {
    if (slot_ == 0) slot_ = now;
  }
  ~DispatchTime() { slot_ = previous_; }
  DispatchTime(const DispatchTime&) = delete;
  DispatchTime& operator=(const DispatchTime&) = delete;

 private:
  Timestamp& slot_;
  Timestamp previous_;
};

}  // namespace

struct Engine::StrategySlot {
  StrategySlot(Engine& engine, StrategyId id_, std::string name_, AccountId account_,
               std::unique_ptr<Strategy> strategy_, StrategyIdentity identity_)
      : id(id_),
        name(std::move(name_)),
        account(account_),
        strategy(std::move(strategy_)),
        identity(std::move(identity_)),
        context(engine, id_, account_) {}
  StrategyId id;
  std::string name;
  AccountId account;
  std::unique_ptr<Strategy> strategy;
  StrategyIdentity identity;
  EngineStrategyContext context;
  std::vector<InstrumentId> instruments;  // subscribed, in config order
  bool quarantined = false;
  bool unloaded = false;  // the slot stays (ids are never reused); the strategy is gone
  std::string quarantine_reason;
  uint64_t overruns = 0;          // callbacks over the time budget
  Duration slowest_callback = 0;  // among those
};

Engine::Engine(const InstrumentRegistry& instruments, Clock& clock,
               ClientOrderIdAllocator& order_ids, const EngineOptions& options)
    : instruments_(instruments),
      clock_(clock),
      sim_clock_(dynamic_cast<SimulatedClock*>(&clock)),
      order_ids_(order_ids),
      options_(options),
      books_(instruments.size()),
      oms_(order_ids.peek(), options.max_orders),
      portfolio_(instruments.size()),
      order_ring_(options.order_ring_capacity, options.order_ring_policy, "orders"),
      subscribers_(instruments.size()) {
  pending_signals_.reserve(kMaxPendingSignals);
  // Until the first quote, positions are marked at the previous close.
  for (const Instrument& i : instruments.all()) portfolio_.set_mark(i.id, i.previous_close);
}

Engine::~Engine() = default;

AccountId Engine::add_account(AccountSpec account) {
  if (started_) throw std::logic_error("add_account after start");
  accounts_.push_back(std::move(account));
  return static_cast<AccountId>(accounts_.size() - 1);
}

StrategyId Engine::add_strategy(std::string name, AccountId account,
                                const std::vector<InstrumentId>& instruments,
                                std::unique_ptr<Strategy> strategy, StrategyIdentity identity) {
  if (started_) throw std::logic_error("add_strategy after start (use load_strategy)");
  return insert_strategy(std::move(name), account, instruments, std::move(strategy),
                         std::move(identity));
}

StrategyId Engine::insert_strategy(std::string name, AccountId account,
                                   const std::vector<InstrumentId>& instruments,
                                   std::unique_ptr<Strategy> strategy, StrategyIdentity identity) {
  for (const auto& s : strategies_) {
    if (s->name == name && !s->unloaded) {
      throw std::invalid_argument("strategy '" + name + "' is already loaded");
    }
  }
  if (account >= accounts_.size()) {
    throw std::invalid_argument("strategy '" + name + "': unknown account id");
  }
  const auto id = static_cast<StrategyId>(strategies_.size());
  for (InstrumentId i : instruments) {
    if (!instruments_.contains(i)) {
      throw std::invalid_argument("strategy '" + name + "': unknown instrument id");
    }
  }
  for (InstrumentId i : instruments) subscribers_[i].push_back(id);
  strategies_.push_back(std::make_unique<StrategySlot>(*this, id, std::move(name), account,
                                                       std::move(strategy), std::move(identity)));
  strategies_.back()->instruments = instruments;
  return id;
}

StrategyId Engine::load_strategy(std::string name, AccountId account,
                                 const std::vector<InstrumentId>& instruments,
                                 std::unique_ptr<Strategy> strategy, StrategyIdentity identity) {
  if (!started_ || stop_requested_) {
    throw std::logic_error("load_strategy: the engine is not running");
  }
  const StrategyId id = insert_strategy(std::move(name), account, instruments, std::move(strategy),
                                        std::move(identity));
  StrategySlot& s = *strategies_[id];
  journal_lifecycle(s, StrategyAction::kStarted, "loaded while running");
  call_strategy(s, [&](Strategy& st) { st.on_start(s.context); });
  log().info("strategy '{}' loaded ({})", s.name, s.identity.type);
  return id;
}

size_t Engine::unload_strategy(StrategyId id, std::string_view reason) {
  if (id >= strategies_.size() || strategies_[id]->unloaded) {
    throw std::invalid_argument("unload_strategy: no loaded strategy with id " +
                                std::to_string(id));
  }
  StrategySlot& s = *strategies_[id];
  // Its orders are cancelled first: an unloaded strategy leaves nothing working.
  const size_t cancelled = cancel_open_orders(id);
  if (!s.quarantined && started_) {
    call_strategy(s, [&](Strategy& st) { st.on_stop(s.context); });
  }
  s.quarantined = true;  // no further callbacks, whatever arrives for its orders
  s.unloaded = true;
  timers_.cancel_owner(id);
  std::erase_if(pending_signals_, [&](const PendingSignal& p) { return p.strategy == id; });
  for (InstrumentId i : s.instruments) std::erase(subscribers_[i], id);
  journal_lifecycle(s, StrategyAction::kUnloaded, reason);
  log().info("strategy '{}' unloaded ({}); cancel sent for {} open orders", s.name, reason,
             cancelled);
  s.strategy.reset();  // the plugin's state goes; its library closes with its last user
  return cancelled;
}

StrategyId Engine::reload_strategy(StrategyId id, std::unique_ptr<Strategy> strategy,
                                   StrategyIdentity identity) {
  if (id >= strategies_.size() || strategies_[id]->unloaded) {
    throw std::invalid_argument("reload_strategy: no loaded strategy with id " +
                                std::to_string(id));
  }
  const StrategySlot& old = *strategies_[id];
  const std::string name = old.name;
  const AccountId account = old.account;
  const std::vector<InstrumentId> instruments = old.instruments;
  unload_strategy(id, "reloaded");
  return load_strategy(name, account, instruments, std::move(strategy), std::move(identity));
}

std::optional<StrategyId> Engine::find_strategy(std::string_view name) const {
  for (const auto& s : strategies_) {
    if (s->name == name && !s->unloaded) return s->id;
  }
  return std::nullopt;
}

void Engine::add_pre_trade_check(PreTradeCheck* check) {
  checks_.push_back(check);
  if (check->checks_orders()) order_checks_.push_back(check);
}
void Engine::add_inbound(EventRing* ring) {
  inbound_.push_back(ring);
}

const std::string& Engine::strategy_name(StrategyId id) const {
  return strategies_[id]->name;
}
bool Engine::strategy_quarantined(StrategyId id) const {
  return strategies_[id]->quarantined;
}
bool Engine::strategy_unloaded(StrategyId id) const {
  return strategies_[id]->unloaded;
}
AccountId Engine::strategy_account(StrategyId id) const {
  return strategies_[id]->account;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle and loop

void Engine::start() {
  started_ = true;
  journal_session(SessionAction::kEngineStarted, options_.session.config_path);
  for (DataSourceEvent source : options_.session.data_sources) {
    const Timestamp now = clock_.now();
    source.header = make_header<DataSourceEvent>(now, now, options_.source_id);
    journal(source);
  }
  for (auto& s : strategies_) {
    journal_lifecycle(*s, StrategyAction::kStarted, {});
    call_strategy(*s, [&](Strategy& st) { st.on_start(s->context); });
  }
}

void Engine::journal_lifecycle(const StrategySlot& s, StrategyAction action,
                               std::string_view reason) {
  if (!journal_) return;
  const Timestamp now = clock_.now();
  StrategyEvent e;
  e.header = make_header<StrategyEvent>(now, now, options_.source_id);
  e.strategy = s.id;
  e.account = s.account;
  e.action = action;
  e.name.assign(s.name);
  e.type.assign(s.identity.type);
  e.parameters_hash = s.identity.parameters_hash;
  e.reason.assign(reason);
  e.plugin_hash = s.identity.plugin_hash;
  e.abi_major = s.identity.abi_major;
  e.abi_minor = s.identity.abi_minor;
  e.plugin_version.assign(s.identity.plugin_version);
  const std::string& path = s.identity.plugin_path;
  constexpr size_t kPathRoom = sizeof(e.plugin_path.bytes);
  e.plugin_path.assign(path.size() <= kPathRoom
                           ? std::string_view(path)
                           : std::string_view(path).substr(path.size() - kPathRoom));
  journal(e);
  if (action != StrategyAction::kStarted) return;
  for (const auto& [key, value] : s.identity.parameters) {
    StrategyParameterEvent p;
    p.header = make_header<StrategyParameterEvent>(now, now, options_.source_id);
    p.strategy = s.id;
    p.key.assign(key);
    p.value.assign(value);
    journal(p);
  }
}

void Engine::stop() {
  if (stop_requested_) return;
  stop_requested_ = true;
  journal_session(SessionAction::kEngineStopping, {});
  for (auto& s : strategies_) {
    if (s->quarantined) continue;
    call_strategy(*s, [&](Strategy& st) { st.on_stop(s->context); });
    journal_lifecycle(*s, StrategyAction::kStopped, {});
  }
  const size_t n = cancel_open_orders(kNoStrategy);
  if (n > 0) log().info("engine stop: cancel sent for {} open orders", n);
}

void Engine::journal_session(SessionAction action, std::string_view detail) {
  if (!journal_) return;
  const Timestamp now = clock_.now();
  SessionEvent e;
  e.header = make_header<SessionEvent>(now, now, options_.source_id);
  e.action = action;
  e.mode.assign(options_.session.mode);
  e.trading_date.assign(options_.session.trading_date);
  e.software.assign(options_.session.software);
  e.config_hash = options_.session.config_hash;
  e.detail.assign(detail);
  journal(e);
}

void Engine::advance_time_to(Timestamp t) {
  if (!sim_clock_) return;
  // Timers due before the event fire first, each at its own due time.
  fire_due_timers(t);
  sim_clock_->advance_to(t);
  expire_signals(t);
}

void Engine::fire_due_timers(Timestamp until) {
  if (options_.timers_from_journal) return;
  while (auto due = timers_.pop_due(until)) {
    if (sim_clock_) sim_clock_->advance_to(due->scheduled);
    fire(*due);
  }
}

bool Engine::fire_recorded_timer(const TimerFired& recorded) {
  const auto next = timers_.next_due();
  if (!next || *next > recorded.scheduled_time) return false;
  const auto due = timers_.pop_due(recorded.scheduled_time);
  if (!due || due->id != recorded.timer_id) return false;
  fire(*due);
  return true;
}

void Engine::fire(const TimerFiring& due) {
  ++counters_.timers_fired;
  const Timestamp now = clock_.now();
  if (journal_) {
    TimerFired fired;
    fired.header = make_header<TimerFired>(now, now, options_.source_id);
    fired.timer_id = due.id;
    fired.strategy = due.owner;
    fired.scheduled_time = due.scheduled;
    fired.period = due.period;
    journal(fired, now);
  }
  if (due.owner == kNoStrategy || due.owner >= strategies_.size()) return;
  StrategySlot& s = *strategies_[due.owner];
  if (s.quarantined) return;
  const DispatchTime at(dispatch_time_, now);
  call_strategy(s, [&](Strategy& st) { st.on_timer(s.context, due.id, due.scheduled); });
}

void Engine::check_journal() {
  if (!journal_ || journal_failure_handled_ || journal_->healthy()) return;
  journal_failure_handled_ = true;
  halted_ = true;
  const size_t n = cancel_open_orders(kNoStrategy);
  log().error("audit journal failed ({}): new orders refused, cancel sent for {} open orders",
              journal_->failure(), n);
}

size_t Engine::poll() {
  check_journal();
  // A plain load first: the exchange is a locked instruction, paid only when a signal came.
  if (kill_requested_.load(std::memory_order_relaxed) &&
      kill_requested_.exchange(false, std::memory_order_relaxed)) {
    kill_switch(ControlScope::kGlobal, 0, "SIGUSR1", "kill switch signal");
  }
  if (mailbox_ != nullptr) mailbox_->serve();
  if (!sim_clock_) {
    const Timestamp now = clock_.now();
    fire_due_timers(now);
    expire_signals(now);
    // Publishing copies a few kilobytes ten times a second; between publishes it costs this test.
    if (metrics_ != nullptr && now >= next_metrics_publish_) {
      next_metrics_publish_ = now + metrics_->period();
      metrics_->publish(*this, now);
    }
  }
  return drain_inbound();
}

size_t Engine::drain_inbound() {
  size_t n = 0;
  for (EventRing* ring : inbound_) {
    n += ring->pop_batch([this](const EventSlot& e) { process(e); }, options_.poll_batch);
  }
  return n;
}

void Engine::run(const std::atomic<bool>& stop) {
  uint32_t idle = 0;
  while (!stop.load(std::memory_order_relaxed) && !stop_requested_) {
    if (poll() != 0) {
      idle = 0;
    } else if (++idle > 4096) {
      std::this_thread::yield();
    }
  }
}

void Engine::process(const EventSlot& event) {
  const EventHeader& h = event.header();
  const auto type = static_cast<uint16_t>(h.type);
  advance_time_to(h.event_time);
  if (h.type == EventType::kSignalReply && !awaits_signal_reply(event.as<SignalReply>())) return;
  if (type <= kMaxEventType) ++counters_.events_in[type];
  check_journal();
  const Timestamp now = clock_.now();
  const DispatchTime at(dispatch_time_, now);
  // What was consumed, in engine order (a replay's market data is named by hash instead).
  if (journal_ && (options_.journal_market_data || !is_market_data(h.type))) {
    journal_->record(event, now);
  }
  switch (h.type) {
    case EventType::kQuote:
      on_quote(event.as<Quote>());
      break;
    case EventType::kBookUpdate:
      on_book(event.as<BookUpdate>());
      break;
    case EventType::kTrade:
      on_trade(event.as<Trade>());
      break;
    case EventType::kExecutionReport:
      on_execution_report(event.as<ExecutionReport>());
      break;
    case EventType::kControlCommand:
      on_control(event.as<ControlCommand>());
      break;
    case EventType::kRiskLimitChange:
      on_risk_limit_change(event.as<RiskLimitChange>());
      break;
    case EventType::kSignalReply:
      on_signal_reply(event.as<SignalReply>());
      break;
    default:
      // Orders, timers and signal requests are the engine's own outputs: counted, never acted on.
      ++counters_.unroutable_events;
      break;
  }
  // Only here, after an event, never from poll(): marks and fills change only with events, and a
  // re-run, which sees the same events at the same engine times, then decides at the same points.
  if (clock_.now() >= next_risk_interval_) run_risk_interval();
  // One more clock read per event, and only on the live clock with metrics on: a simulated
  // clock's time does not pass while the engine decides.
  if (metrics_ != nullptr && sim_clock_ == nullptr) {
    metrics_->decision_latency.observe(clock_.now() - now);
  }
}

// ---------------------------------------------------------------------------------------------
// Market data

template <typename MarketEvent, typename Callback>
void Engine::on_market_data(const MarketEvent& e, bool valid, Callback&& callback) {
  if (!valid || !instruments_.contains(e.instrument)) {
    ++counters_.unroutable_events;
    return;
  }
  Book& b = books_[e.instrument];
  b.apply(e);
  // Positions are marked at the mid; at the last trade only while one side of the book is empty.
  if (b.has_two_sides()) {
    portfolio_.set_mark(e.instrument, b.mid());
  } else if constexpr (std::is_same_v<MarketEvent, Trade>) {
    portfolio_.set_mark(e.instrument, e.price);
  }
  for (StrategyId id : subscribers_[e.instrument]) {
    StrategySlot& s = *strategies_[id];
    if (!s.quarantined) call_strategy(s, [&](Strategy& st) { callback(st, s.context, e); });
  }
}

void Engine::on_quote(const Quote& q) {
  on_market_data(q, true,
                 [](Strategy& st, StrategyContext& ctx, const Quote& e) { st.on_quote(ctx, e); });
}

void Engine::on_book(const BookUpdate& u) {
  const bool valid = u.bid_levels <= kBookDepth && u.ask_levels <= kBookDepth;
  on_market_data(u, valid, [](Strategy& st, StrategyContext& ctx, const BookUpdate& e) {
    st.on_book(ctx, e);
  });
}

void Engine::on_trade(const Trade& t) {
  on_market_data(t, true,
                 [](Strategy& st, StrategyContext& ctx, const Trade& e) { st.on_trade(ctx, e); });
}

// ---------------------------------------------------------------------------------------------
// Execution reports

void Engine::on_execution_report(const ExecutionReport& r) {
  const ApplyResult result = oms_.apply(r, clock_.now());
  switch (result.outcome) {
    case ApplyOutcome::kDuplicate:
      log().warn("duplicate execution id {} for order {} ignored", r.exec_id, r.order_id);
      return;
    case ApplyOutcome::kUnknownOrder:
      log().warn("execution report {} for unknown order {} (exec id {})", to_string(r.exec_type),
                 r.order_id, r.exec_id);
      return;
    case ApplyOutcome::kIgnored:
      return;
    case ApplyOutcome::kApplied:
      break;
  }
  Order& o = *result.order;
  if (r.exec_type == ExecType::kRejected) ++counters_.venue_rejects;
  if (result.overfill) {
    log().error("order {} overfilled: filled {} of {}", o.id, o.filled.to_string(),
                o.quantity.to_string());
  }
  StrategySlot* s = o.strategy < strategies_.size() ? strategies_[o.strategy].get() : nullptr;
  if (result.is_fill) {
    ++counters_.fills;
    const Money fill_notional = Money::notional(result.fill_price, result.fill_qty);
    // Fees depend on what the order had filled and paid before this fill (the OMS records it,
    // so a fill that also confirms a replace sees the carried-over figures).
    const FillFees fees =
        compute_fill_fees(accounts_[o.account].fees, o.side, fill_notional,
                          result.filled_notional_before, result.commission_before);
    o.commission_charged += fees.commission;
    portfolio_.apply_fill(o.account, o.strategy, o.instrument, o.side, result.fill_price,
                          result.fill_qty, fees);
    if (!checks_.empty()) {
      const RiskView view = risk_view();
      for (PreTradeCheck* c : checks_) c->on_fill(o, result.fill_qty, view);
    }
    if (s && !s->quarantined) {
      const Fill fill{r.exec_id, result.fill_price, result.fill_qty, fees.total(),
                      r.header.event_time};
      call_strategy(*s, [&](Strategy& st) { st.on_fill(s->context, o, fill); });
    }
  }
  if ((result.state_changed || r.exec_type == ExecType::kCancelRejected) && s && !s->quarantined) {
    call_strategy(*s, [&](Strategy& st) { st.on_order_update(s->context, o); });
  }
  // An order that starts working while its scope is being shut down (a replace or a new order
  // that was in flight when the engine stopped, the kill switch fired or the strategy was
  // quarantined) is cancelled as soon as it can be.
  // (Not after a refused cancel: a venue that keeps refusing would be asked for ever.)
  if (r.exec_type != ExecType::kCancelRejected && o.is_open() && !is_pending_change(o.state) &&
      (halted_ || stop_requested_ || (s && s->quarantined) || killed(o.account, o.strategy) ||
       cancel_only(o.strategy))) {
    send_cancel(o);
  }
}

// ---------------------------------------------------------------------------------------------
// Control commands

void Engine::on_control(const ControlCommand& c) {
  log().info("control command {} scope {} target {} by '{}': {}", to_string(c.action),
             static_cast<int>(c.scope), c.target, c.issued_by.view(), c.reason.view());
  const bool strategy_scope = c.scope == ControlScope::kStrategy && c.target < strategies_.size();
  const StrategyId only = strategy_scope ? static_cast<StrategyId>(c.target) : kNoStrategy;
  switch (c.action) {
    case ControlAction::kStop:
      stop();
      break;
    case ControlAction::kKillSwitch:
      engage_kill(c.scope, c.target);
      break;
    case ControlAction::kResetKillSwitch:
      // A reset re-enables what the scope's controls stopped too (cancel-only).
      if (c.scope == ControlScope::kGlobal) {
        halted_ = false;
      } else if (c.scope == ControlScope::kAccount && c.target < killed_accounts_.size()) {
        killed_accounts_[c.target] = false;
      } else if (strategy_scope) {
        if (only < killed_strategies_.size()) killed_strategies_[only] = false;
        if (only < cancel_only_.size()) cancel_only_[only] = false;
      }
      break;
    case ControlAction::kOrderSessionDown:
      if (!order_session_down_) {
        order_session_down_ = true;
        const size_t n = oms_.mark_open_unknown();
        log().warn("order session down ({}): {} open orders of unknown status; orders refused",
                   c.reason.view(), n);
      }
      break;
    case ControlAction::kOrderSessionUp:
      if (order_session_down_) {
        order_session_down_ = false;
        const size_t n = request_order_status();
        log().info("order session up: {} orders to reconcile, status requested", n);
      }
      break;
    case ControlAction::kMarketDataSessionDown:
    case ControlAction::kMarketDataSessionUp:
      break;  // journaled as it came in; stale books arrive as empty book updates
    case ControlAction::kCancelAll:
      cancel_open_orders_in(c.scope, c.target);
      break;
    case ControlAction::kFlatten:
      flatten(c.scope, c.target);
      break;
    case ControlAction::kOperatorCommand:
      break;  // the record is the point
    case ControlAction::kPauseStrategy:
      if (strategy_scope) quarantine(*strategies_[only], "paused by operator");
      break;
    case ControlAction::kResumeStrategy:
      if (strategy_scope && strategies_[only]->quarantined && !strategies_[only]->unloaded) {
        strategies_[only]->quarantined = false;
        journal_lifecycle(*strategies_[only], StrategyAction::kResumed, c.reason.view());
      }
      break;
  }
}

void Engine::engage_kill(ControlScope scope, uint32_t target) {
  if (scope == ControlScope::kGlobal) {
    halted_ = true;
    cancel_open_orders(kNoStrategy);
  } else if (scope == ControlScope::kAccount && target < accounts_.size()) {
    killed_accounts_.resize(accounts_.size());
    killed_accounts_[target] = true;
    cancel_open_orders_of_account(static_cast<AccountId>(target));
  } else if (scope == ControlScope::kStrategy && target < strategies_.size()) {
    killed_strategies_.resize(strategies_.size());
    killed_strategies_[target] = true;
    cancel_open_orders(static_cast<StrategyId>(target));
  }
}

size_t Engine::cancel_open_orders_in(ControlScope scope, uint32_t target) {
  switch (scope) {
    case ControlScope::kGlobal:
      return cancel_open_orders(kNoStrategy);
    case ControlScope::kAccount:
      return target < accounts_.size() ? cancel_open_orders_of_account(target) : 0;
    case ControlScope::kStrategy:
      return target < strategies_.size() ? cancel_open_orders(static_cast<StrategyId>(target)) : 0;
  }
  return 0;
}

void Engine::flatten(ControlScope scope, uint32_t target) {
  last_flatten_ = {};
  last_flatten_.cancels_sent = cancel_open_orders_in(scope, target);
  // The positions as they stand now: a fill of an order being cancelled that arrives later is
  // not closed by this command (the operator flattens again).
  const std::vector<Position> positions = portfolio_.positions();
  for (const Position& p : positions) {
    if (p.is_flat() || (scope == ControlScope::kAccount && p.account != target) ||
        (scope == ControlScope::kStrategy && p.strategy != target)) {
      continue;
    }
    const Instrument& instrument = instruments_.get(p.instrument);
    std::string what = instrument.symbol + " " + p.quantity.to_string() + " of " +
                       (p.strategy < strategies_.size() ? strategies_[p.strategy]->name : "?");
    if (p.strategy >= strategies_.size() || strategies_[p.strategy]->unloaded) {
      last_flatten_.not_sent.push_back(what + ": its strategy is unloaded");
      continue;
    }
    StrategySlot& s = *strategies_[p.strategy];
    const Book& book = books_[p.instrument];
    const bool sell = p.quantity.is_positive();
    if (sell ? !book.has_bid() : !book.has_ask()) {
      last_flatten_.not_sent.push_back(what + ": no " + (sell ? "bid" : "ask") + " to close at");
      continue;
    }
    OrderRequest close;
    close.instrument = p.instrument;
    close.side = sell ? Side::kSell : Side::kBuy;
    close.type = OrderType::kLimit;
    close.tif = TimeInForce::kDay;
    close.price = sell ? book.best_bid().price : book.best_ask().price;
    close.quantity = sell ? p.quantity : -p.quantity;
    closing_ = true;
    const SubmitResult r = submit(s, close);
    closing_ = false;
    if (r.ok()) {
      last_flatten_.orders_sent.push_back(what + ": " + (sell ? "sell " : "buy ") +
                                          close.quantity.to_string() + " at " +
                                          close.price.to_string());
    } else {
      last_flatten_.not_sent.push_back(what + ": refused: " + std::string(r.reason));
    }
  }
  log().info("flatten: {} cancels, {} closing orders sent, {} not sent", last_flatten_.cancels_sent,
             last_flatten_.orders_sent.size(), last_flatten_.not_sent.size());
}

void Engine::change_risk_limit(LimitScope scope, uint32_t target, LimitKey key, int64_t value,
                               std::string_view issued_by, std::string_view reason) {
  if (limits_ == nullptr) throw std::invalid_argument("no risk limits are configured");
  if (scope == LimitScope::kStrategy && target >= strategies_.size()) {
    throw std::invalid_argument("no strategy " + std::to_string(target));
  }
  if (std::string why = limits_->refusal(scope, target, key, value); !why.empty()) {
    throw std::invalid_argument(why);
  }
  const Timestamp now = clock_.now();
  RiskLimitChange c;
  c.header = make_header<RiskLimitChange>(now, now, options_.source_id);
  c.scope = scope;
  c.key = key;
  c.target = target;
  c.value = value;
  c.previous = limits_->get(scope, target, key);
  c.issued_by.assign(issued_by);
  c.reason.assign(reason);
  EventSlot slot;
  slot.store(c);
  process(slot);  // journaled as the input it is, then applied
}

void Engine::on_risk_limit_change(const RiskLimitChange& c) {
  const LimitKeyInfo& k = info(c.key);
  if (limits_ == nullptr || !limits_->refusal(c.scope, c.target, c.key, c.value).empty()) {
    log().error("risk limit change {} {} {} refused", to_string(c.scope), c.target, k.name);
    return;
  }
  limits_->set(c.scope, c.target, c.key, c.value);
  log().info("risk limit {} of {} {} set to {} (was {}) by '{}': {}", k.name, to_string(c.scope),
             c.target, format_limit_value(c.key, c.value), format_limit_value(c.key, c.previous),
             c.issued_by.view(), c.reason.view());
}

size_t Engine::request_order_status() {
  size_t n = 0;
  const Timestamp now = clock_.now();
  for (OrderId id : oms_.unknown_orders()) {
    const Order& o = *oms_.find(id);
    OrderStatusRequest q;
    q.header = make_header<OrderStatusRequest>(now, now, options_.source_id);
    q.order_id = o.id;
    q.instrument = o.instrument;
    q.account = o.account;
    q.strategy = o.strategy;
    q.side = o.side;
    q.client_order_id = o.client_order_id;
    // A full ring leaves the order unknown: the next reconnect asks again.
    if (!order_ring_.emplace([&](EventSlot& slot) { slot.store(q); })) break;
    journal(q);
    ++n;
  }
  return n;
}

void Engine::order_session_down(std::string_view issued_by, std::string_view reason) {
  control(ControlAction::kOrderSessionDown, ControlScope::kGlobal, 0, issued_by, reason);
}

void Engine::order_session_up(std::string_view issued_by, std::string_view reason) {
  control(ControlAction::kOrderSessionUp, ControlScope::kGlobal, 0, issued_by, reason);
}

void Engine::set_fatal_checks(const std::vector<RiskCheckId>& checks, ControlScope scope) {
  fatal_checks_ = 0;
  for (RiskCheckId c : checks) fatal_checks_ |= uint64_t{1} << static_cast<unsigned>(c);
  fatal_scope_ = scope;
}

// ---------------------------------------------------------------------------------------------
// What the controls do on their own

void Engine::journal_risk_action(RiskAction action, RiskCheckId check, AccountId account,
                                 StrategyId strategy, const Order* order, std::string_view reason) {
  if (!journal_) return;
  const Timestamp now = clock_.now();
  RiskDecisionEvent e;
  e.header = make_header<RiskDecisionEvent>(now, now, options_.source_id);
  e.account = account;
  e.strategy = strategy;
  e.action = action;
  e.check = check;
  if (order != nullptr) {
    e.instrument = order->instrument;
    e.side = order->side;
    e.order_id = order->id;
    e.price = order->price;
    e.quantity = order->quantity;
  }
  e.reason.assign(reason);
  journal(e);
}

void Engine::cancel_order(OrderId order, RiskCheckId check, std::string_view reason) {
  const Order* o = oms_.find(order);
  // Only what a cancel can reach now is recorded as cancelled (not an order with a replace in
  // flight).
  if (o == nullptr || !o->is_open() || is_pending_change(o->state)) return;
  journal_risk_action(RiskAction::kCancelResting, check, o->account, o->strategy, o, reason);
  send_cancel(*o);
}

void Engine::enter_cancel_only(StrategyId strategy, RiskCheckId check, std::string_view reason) {
  if (strategy >= strategies_.size() || cancel_only(strategy)) return;
  cancel_only_.resize(strategies_.size());
  cancel_only_[strategy] = true;
  journal_risk_action(RiskAction::kCancelOnly, check, strategies_[strategy]->account, strategy,
                      nullptr, reason);
  const size_t n = cancel_open_orders(strategy);
  log().warn("strategy '{}' is cancel-only ({}): {} cancels sent", strategies_[strategy]->name,
             reason, n);
}

void Engine::engage_kill_switch(ControlScope scope, uint32_t target, RiskCheckId check,
                                std::string_view reason) {
  const AccountId account = scope == ControlScope::kAccount ? static_cast<AccountId>(target)
                            : scope == ControlScope::kStrategy && target < strategies_.size()
                                ? strategies_[target]->account
                                : 0;
  const StrategyId strategy =
      scope == ControlScope::kStrategy ? static_cast<StrategyId>(target) : kNoStrategy;
  if (scope == ControlScope::kGlobal ? halted_ : killed(account, strategy)) return;
  journal_risk_action(RiskAction::kKillSwitch, check, account, strategy, nullptr, reason);
  log().error("kill switch engaged by {} ({})", to_string(check), reason);
  engage_kill(scope, target);
}

void Engine::on_refused(const StrategySlot& s) {
  const RiskCheckId check = last_refusal_.check;
  if ((fatal_checks_ >> static_cast<unsigned>(check) & 1) == 0) return;
  const uint32_t target = fatal_scope_ == ControlScope::kStrategy  ? s.id
                          : fatal_scope_ == ControlScope::kAccount ? s.account
                                                                   : 0;
  std::string why = "fatal breach: ";
  why += last_refusal_.reason;
  engage_kill_switch(fatal_scope_, target, check, why);
}

// ---------------------------------------------------------------------------------------------
// The host API

SubmitResult Engine::refuse(const RiskDecision& d) {
  last_refusal_ = d;
  ++counters_.local_rejects;
  if (d.code == RejectCode::kRiskRejected || d.code == RejectCode::kThrottled ||
      d.code == RejectCode::kKillSwitch || d.code == RejectCode::kMarketRule ||
      d.code == RejectCode::kSelfTrade) {
    ++counters_.risk_rejects;
  }
  if (d.code == RejectCode::kOrderRingFull) ++counters_.ring_full_rejects;
  const auto check = static_cast<size_t>(d.check);
  if (check < counters_.rejects_by_check.size()) ++counters_.rejects_by_check[check];
  return SubmitResult{kNoOrder, d.code, d.reason};
}

RiskView Engine::risk_view() {
  return RiskView{instruments_, books_.data(), portfolio_, oms_, clock_.now(), this};
}

RiskDecision Engine::run_checks_new(const NewOrder& order) {
  const RiskView view = risk_view();
  for (PreTradeCheck* c : order_checks_) {
    RiskDecision d = c->check_new(order, view);
    if (!d.accepted()) return d;
  }
  return RiskDecision::accept();
}

RiskDecision Engine::run_checks_replace(const ReplaceOrder& request, const Order& current) {
  const RiskView view = risk_view();
  for (PreTradeCheck* c : order_checks_) {
    RiskDecision d = c->check_replace(request, current, view);
    if (!d.accepted()) return d;
  }
  return RiskDecision::accept();
}

RiskDecision Engine::run_checks_cancel(const Order& order) {
  const RiskView view = risk_view();
  for (PreTradeCheck* c : checks_) {
    RiskDecision d = c->check_cancel(order, view);
    if (!d.accepted()) return d;
  }
  return RiskDecision::accept();
}

void Engine::run_risk_interval() {
  next_risk_interval_ = clock_.now() + kRiskInterval;
  if (checks_.empty()) return;
  const RiskView view = risk_view();
  for (PreTradeCheck* c : checks_) c->on_interval(view);
}

void Engine::journal_refusal(const StrategySlot& s, RiskAction action, const SubmitResult& r,
                             InstrumentId instrument, Side side, OrderId order, Price price,
                             Quantity quantity) {
  if (!journal_) return;
  const Timestamp now = clock_.now();
  RiskDecisionEvent e;
  e.header = make_header<RiskDecisionEvent>(now, now, options_.source_id);
  e.instrument = instrument;
  e.account = s.account;
  e.strategy = s.id;
  e.code = r.reject;
  e.side = side;
  e.action = action;
  e.order_id = order;
  e.price = price;
  e.quantity = quantity;
  e.limit = last_refusal_.limit;
  e.observed = last_refusal_.observed;
  e.check = last_refusal_.check;
  e.reason.assign(r.reason);
  journal(e);
}

SubmitResult Engine::submit(StrategySlot& s, const OrderRequest& req) {
  const SubmitResult r = try_submit(s, req);
  if (!r.ok()) {
    journal_refusal(s, RiskAction::kNewOrder, r, req.instrument, req.side, kNoOrder, req.price,
                    req.quantity);
    on_refused(s);
  }
  return r;
}

SubmitResult Engine::replace(StrategySlot& s, OrderId id, Price price, Quantity quantity) {
  const SubmitResult r = try_replace(s, id, price, quantity);
  if (!r.ok()) {
    const Order* o = oms_.find(id);
    journal_refusal(s, RiskAction::kReplace, r, o ? o->instrument : kNoInstrument,
                    o ? o->side : Side::kBuy, id, price, quantity);
    on_refused(s);
  }
  return r;
}

RiskDecision Engine::may_send(const StrategySlot& s) const {
  if (journal_ && !journal_->healthy()) {
    return {RejectCode::kJournalUnavailable, "audit journal unavailable", 0, 0,
            RiskCheckId::kJournal};
  }
  if (killed(s.account, s.id)) {
    return {RejectCode::kKillSwitch, "kill switch engaged", 0, 0, RiskCheckId::kKillSwitch};
  }
  if (cancel_only(s.id) && !closing_) {
    return {RejectCode::kRiskRejected, "cancel-only until reset (daily loss limit)", 0, 0,
            RiskCheckId::kCancelOnly};
  }
  if (order_session_down_) {
    return {RejectCode::kOrderSessionDown, "order session down: not sent", 0, 0,
            RiskCheckId::kOrderSession};
  }
  if ((s.quarantined && !closing_) || stop_requested_) {
    return {RejectCode::kRiskRejected, "strategy is not running", 0, 0,
            RiskCheckId::kStrategyState};
  }
  return RiskDecision::accept();
}

SubmitResult Engine::try_submit(StrategySlot& s, const OrderRequest& req) {
  if (RiskDecision d = may_send(s); !d.accepted()) return refuse(d);
  const Price price = req.type == OrderType::kMarket ? Price::zero() : req.price;
  if (RiskDecision d =
          validate_order_shape(req.instrument, req.type, price, req.quantity, instruments_);
      !d.accepted()) {
    return refuse(d);
  }
  if (!oms_.has_capacity()) {
    return refuse({RejectCode::kOrderCapacityExhausted, "session order capacity exhausted",
                   static_cast<int64_t>(options_.max_orders), static_cast<int64_t>(oms_.size()),
                   RiskCheckId::kCapacity});
  }
  const Timestamp now = clock_.now();
  NewOrder order;
  order.header = make_header<NewOrder>(now, now, options_.source_id);
  order.instrument = req.instrument;
  order.account = s.account;
  order.strategy = s.id;
  order.side = req.side;
  order.type = req.type;
  order.tif = req.tif;
  order.price = price;
  order.quantity = req.quantity;
  if (RiskDecision d = run_checks_new(order); !d.accepted()) return refuse(d);

  // The id is taken only once the ring has room, so every id the allocator hands out is sent.
  const bool pushed = order_ring_.emplace([&](EventSlot& slot) {
    order.order_id = order_ids_.next();
    order_ids_.format(order.order_id, order.client_order_id);
    slot.store(order);
  });
  if (!pushed)
    return refuse({RejectCode::kOrderRingFull, "order ring full", 0, 0, RiskCheckId::kCapacity});
  journal(order);
  oms_.create(order, now);
  ++counters_.orders_sent;
  notify_sent({SentMessage::Kind::kNew, order.account, order.strategy, order.instrument, now,
               order.side, order.price, order.quantity, order.order_id});
  return SubmitResult{order.order_id, RejectCode::kNone, {}};
}

bool Engine::send_cancel(const Order& o) {
  // While the order session is down nothing can reach the venue; an order in a killed scope is
  // cancelled when the reconciliation's report for it arrives.
  if (!o.is_open() || is_pending_change(o.state) || order_session_down_) return false;
  const Timestamp now = clock_.now();
  CancelOrder cancel;
  cancel.header = make_header<CancelOrder>(now, now, options_.source_id);
  cancel.order_id = o.id;
  cancel.instrument = o.instrument;
  cancel.account = o.account;
  cancel.strategy = o.strategy;
  cancel.side = o.side;
  cancel.client_order_id = o.client_order_id;
  if (!order_ring_.emplace([&](EventSlot& slot) { slot.store(cancel); })) return false;
  journal(cancel);  // cancels leave even when the journal has failed: they reduce risk
  oms_.request_cancel(o.id, now);
  ++counters_.cancels_sent;
  notify_sent({SentMessage::Kind::kCancel, o.account, o.strategy, o.instrument, now, o.side,
               o.price, o.quantity, o.id});
  return true;
}

SubmitResult Engine::cancel(StrategySlot& s, OrderId id) {
  const SubmitResult r = try_cancel(s, id);
  // Refusals by a control are journaled (the strategy tried, and was stopped); a cancel of an
  // order that is not there is the strategy's own mistake, answered but not a risk event.
  if (!r.ok() && last_refusal_.check != RiskCheckId::kOrderShape &&
      last_refusal_.check != RiskCheckId::kCapacity) {
    const Order* o = oms_.find(id);
    journal_refusal(s, RiskAction::kCancel, r, o ? o->instrument : kNoInstrument,
                    o ? o->side : Side::kBuy, id, o ? o->price : Price::zero(),
                    o ? o->quantity : Quantity::zero());
    on_refused(s);
  }
  return r;
}

SubmitResult Engine::try_cancel(StrategySlot& s, OrderId id) {
  const Order* o = oms_.find(id);
  if (!o || o->strategy != s.id)
    return refuse({RejectCode::kUnknownOrder, "no such order", 0, 0, RiskCheckId::kOrderShape});
  if (!o->is_open())
    return refuse(
        {RejectCode::kNotWorking, "order is not working", 0, 0, RiskCheckId::kOrderShape});
  if (is_pending_change(o->state)) {
    return refuse({RejectCode::kNotWorking, "a cancel or replace is already pending", 0, 0,
                   RiskCheckId::kOrderShape});
  }
  if (order_session_down_) {
    return refuse({RejectCode::kOrderSessionDown, "order session down: not sent", 0, 0,
                   RiskCheckId::kOrderSession});
  }
  if (RiskDecision d = run_checks_cancel(*o); !d.accepted()) return refuse(d);
  if (!send_cancel(*o))
    return refuse({RejectCode::kOrderRingFull, "order ring full", 0, 0, RiskCheckId::kCapacity});
  return SubmitResult{id, RejectCode::kNone, {}};
}

SubmitResult Engine::try_replace(StrategySlot& s, OrderId id, Price price, Quantity quantity) {
  if (RiskDecision d = may_send(s); !d.accepted()) return refuse(d);
  const Order* o = oms_.find(id);
  if (!o || o->strategy != s.id)
    return refuse({RejectCode::kUnknownOrder, "no such order", 0, 0, RiskCheckId::kOrderShape});
  if (!o->is_open())
    return refuse(
        {RejectCode::kNotWorking, "order is not working", 0, 0, RiskCheckId::kOrderShape});
  if (is_pending_change(o->state)) {
    return refuse({RejectCode::kNotWorking, "a cancel or replace is already pending", 0, 0,
                   RiskCheckId::kOrderShape});
  }
  if (RiskDecision d = validate_order_shape(o->instrument, o->type, price, quantity, instruments_);
      !d.accepted()) {
    return refuse(d);
  }
  if (quantity <= o->filled) {
    return refuse({RejectCode::kInvalidQuantity, "new quantity not above the filled quantity",
                   o->filled.raw(), quantity.raw(), RiskCheckId::kOrderShape});
  }
  if (!oms_.has_capacity()) {
    return refuse({RejectCode::kOrderCapacityExhausted, "session order capacity exhausted",
                   static_cast<int64_t>(options_.max_orders), static_cast<int64_t>(oms_.size()),
                   RiskCheckId::kCapacity});
  }
  const Timestamp now = clock_.now();
  ReplaceOrder request;
  request.header = make_header<ReplaceOrder>(now, now, options_.source_id);
  request.order_id = o->id;
  request.instrument = o->instrument;
  request.account = o->account;
  request.strategy = o->strategy;
  request.side = o->side;
  request.new_price = price;
  request.new_quantity = quantity;
  request.client_order_id = o->client_order_id;
  if (RiskDecision d = run_checks_replace(request, *o); !d.accepted()) return refuse(d);

  const bool pushed = order_ring_.emplace([&](EventSlot& slot) {
    request.new_order_id = order_ids_.next();
    order_ids_.format(request.new_order_id, request.new_client_order_id);
    slot.store(request);
  });
  if (!pushed)
    return refuse({RejectCode::kOrderRingFull, "order ring full", 0, 0, RiskCheckId::kCapacity});
  journal(request);
  oms_.request_replace(request, now);
  ++counters_.replaces_sent;
  notify_sent({SentMessage::Kind::kReplace, request.account, request.strategy, request.instrument,
               now, request.side, request.new_price, request.new_quantity, request.new_order_id});
  return SubmitResult{request.new_order_id, RejectCode::kNone, {}};
}

void Engine::notify_sent(const SentMessage& message) {
  for (PreTradeCheck* c : checks_) c->on_sent(message);
}

bool Engine::killed(AccountId account, StrategyId strategy) const {
  return halted_ || (account < killed_accounts_.size() && killed_accounts_[account]) ||
         (strategy < killed_strategies_.size() && killed_strategies_[strategy]);
}

void Engine::control(ControlAction action, ControlScope scope, uint32_t target,
                     std::string_view issued_by, std::string_view reason) {
  const Timestamp now = clock_.now();
  ControlCommand c;
  c.header = make_header<ControlCommand>(now, now, options_.source_id);
  c.action = action;
  c.scope = scope;
  c.target = target;
  c.issued_by.assign(issued_by);
  c.reason.assign(reason);
  EventSlot slot;
  slot.store(c);
  process(slot);  // journaled as the input it is, then acted on
}

void Engine::kill_switch(ControlScope scope, uint32_t target, std::string_view issued_by,
                         std::string_view reason) {
  control(ControlAction::kKillSwitch, scope, target, issued_by, reason);
}

void Engine::reset_kill_switch(ControlScope scope, uint32_t target, std::string_view issued_by,
                               std::string_view reason) {
  control(ControlAction::kResetKillSwitch, scope, target, issued_by, reason);
}

size_t Engine::cancel_open_orders_of_account(AccountId account) {
  std::vector<OrderId> ids(oms_.open_orders().begin(), oms_.open_orders().end());
  size_t n = 0;
  for (OrderId id : ids) {
    const Order* o = oms_.find(id);
    if (o && o->account == account && send_cancel(*o)) ++n;
  }
  return n;
}

size_t Engine::cancel_open_orders(StrategyId only_strategy) {
  // Copy the ids: send_cancel does not change the open list, but be robust to future changes.
  std::vector<OrderId> ids(oms_.open_orders().begin(), oms_.open_orders().end());
  size_t n = 0;
  for (OrderId id : ids) {
    const Order* o = oms_.find(id);
    if (!o || (only_strategy != kNoStrategy && o->strategy != only_strategy)) continue;
    if (send_cancel(*o)) ++n;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Signals

uint64_t Engine::request_signal(StrategySlot& s, const SignalRequest& request) {
  if (signal_sink_ == nullptr || s.quarantined || stop_requested_ ||
      pending_signals_.size() >= kMaxPendingSignals) {
    return 0;
  }
  const Timestamp now = clock_.now();
  SignalRequest r = request;
  r.header = make_header<SignalRequest>(now, now, options_.source_id);
  r.request_id = ++next_signal_id_;
  r.strategy = s.id;
  journal(r);
  if (!signal_sink_->send(r)) return 0;
  ++counters_.signals_requested;
  pending_signals_.push_back({r.request_id, s.id, r.model_id, r.deadline});
  return r.request_id;
}

void Engine::on_signal_reply(const SignalReply& reply) {
  const auto it =
      std::find_if(pending_signals_.begin(), pending_signals_.end(),
                   [&](const PendingSignal& p) { return p.request_id == reply.request_id; });
  if (it == pending_signals_.end()) return;  // process() drops these before they get here
  StrategySlot& s = *strategies_[it->strategy];
  pending_signals_.erase(it);
  const auto status = static_cast<size_t>(reply.status);
  if (status < counters_.signal_replies.size()) ++counters_.signal_replies[status];
  if (metrics_ != nullptr && reply.status == SignalStatus::kOk) {
    metrics_->inference_latency.observe(reply.latency);
  }
  if (s.quarantined) return;
  // Too late, whether the engine or the service said so: the strategy is told it timed out.
  if (reply.status == SignalStatus::kDeadlineMissed) {
    call_strategy(s, [&](Strategy& st) { st.on_signal_timeout(s.context, reply.request_id); });
  } else {
    call_strategy(s, [&](Strategy& st) { st.on_signal(s.context, reply); });
  }
}

bool Engine::awaits_signal_reply(const SignalReply& reply) {
  // On the real clock a reply read past its request's deadline is too late even when the last
  // poll's expiry came just before the deadline: expire first, so an answer is never late.
  if (!sim_clock_) expire_signals(clock_.now());
  const bool pending =
      std::any_of(pending_signals_.begin(), pending_signals_.end(),
                  [&](const PendingSignal& p) { return p.request_id == reply.request_id; });
  // Answered already (its expiry was the answer, journaled), or never asked: dropped before the
  // journal, so that no request has two answers in the audit trail or in a re-run.
  if (!pending) ++counters_.late_signal_replies;
  return pending;
}

void Engine::expire_signals(Timestamp now) {
  // A re-run takes the expiries from the journal, where they were recorded as inputs.
  if (options_.timers_from_journal || expiring_signals_) return;
  // An expiry is an input like a reply (journaled, in engine order), so a re-run decides at the
  // same point; handling it removes it from the pending list.
  for (;;) {
    const auto expired =
        std::find_if(pending_signals_.begin(), pending_signals_.end(),
                     [&](const PendingSignal& p) { return p.deadline != 0 && p.deadline <= now; });
    if (expired == pending_signals_.end()) return;
    SignalReply reply;
    reply.header = make_header<SignalReply>(now, now, options_.source_id);
    reply.request_id = expired->request_id;
    reply.model_id = expired->model_id;
    reply.status = SignalStatus::kDeadlineMissed;
    ++counters_.signals_timed_out;
    EventSlot slot;
    slot.store(reply);
    expiring_signals_ = true;
    process(slot);
    expiring_signals_ = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Containment

template <typename F>
void Engine::call_strategy(StrategySlot& s, F&& f) {
  // Two reads of the vDSO clock (about 20 ns each) bound every callback; a budget of 0 skips them.
  const bool timed = options_.callback_budget > 0;
  const auto started =
      timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  const Duration journal_waited = timed && journal_ != nullptr ? journal_->waited() : 0;
  try {
    f(*s.strategy);
  } catch (const StrategyFailure& e) {
    log().error("strategy '{}' failed: {}", s.name, e.what());
    quarantine(s, e.what());
  } catch (const std::exception& e) {
    log().error("strategy '{}' threw: {}", s.name, e.what());
    quarantine(s, "exception escaped a callback");
  } catch (...) {
    log().error("strategy '{}' threw a non-standard exception", s.name);
    quarantine(s, "exception escaped a callback");
  }
  if (timed) {
    Duration took = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    // The engine's own wait for room in the journal (its writer behind) is not the strategy's.
    if (took > options_.callback_budget && journal_ != nullptr) {
      took -= journal_->waited() - journal_waited;
    }
    if (took > options_.callback_budget) on_overrun(s, took);
  }
}

void Engine::on_overrun(StrategySlot& s, Duration took) {
  ++s.overruns;
  ++counters_.callback_overruns;
  s.slowest_callback = std::max(s.slowest_callback, took);
  // The first overrun and every hundredth are logged; all are counted.
  if (s.overruns == 1 || s.overruns % 100 == 0) {
    log().warn("strategy '{}': a callback took {} us, over its {} us budget ({} so far)", s.name,
               took / kMicrosecond, options_.callback_budget / kMicrosecond, s.overruns);
  }
  // On a simulated clock overruns are counted but never quarantine: a replay's decisions must
  // not depend on how busy the machine running it was.
  if (sim_clock_ == nullptr && s.overruns >= options_.callback_overrun_limit && !s.quarantined) {
    quarantine(s, "callbacks over their time budget");
  }
}

StrategyStats Engine::strategy_stats(StrategyId id) const {
  const StrategySlot& s = *strategies_[id];
  return {s.overruns, s.slowest_callback, s.quarantine_reason};
}

void Engine::quarantine(StrategySlot& s, const char* why) {
  if (s.quarantined) return;
  s.quarantined = true;
  s.quarantine_reason = why;
  ++counters_.strategy_errors;
  timers_.cancel_owner(s.id);
  journal_lifecycle(s, StrategyAction::kQuarantined, why);
  const size_t n = cancel_open_orders(s.id);
  log().warn("strategy '{}' quarantined ({}); {} open orders cancelled", s.name, why, n);
}

// ---------------------------------------------------------------------------------------------
// EngineStrategyContext

SubmitResult EngineStrategyContext::submit(const OrderRequest& request) {
  return engine_.submit(*engine_.strategies_[id_], request);
}
SubmitResult EngineStrategyContext::cancel(OrderId order) {
  return engine_.cancel(*engine_.strategies_[id_], order);
}
SubmitResult EngineStrategyContext::replace(OrderId order, Price new_price, Quantity new_quantity) {
  return engine_.replace(*engine_.strategies_[id_], order, new_price, new_quantity);
}
TimerId EngineStrategyContext::set_timer(Duration delay, Duration period) {
  return engine_.timers_.schedule(engine_.clock_.now() + (delay > 0 ? delay : 0), period, id_);
}
bool EngineStrategyContext::cancel_timer(TimerId timer) {
  return engine_.timers_.cancel(timer);
}
Timestamp EngineStrategyContext::now() const {
  return engine_.dispatch_time_ != 0 ? engine_.dispatch_time_ : engine_.clock_.now();
}
bool EngineStrategyContext::has_instrument(InstrumentId id) const {
  return engine_.instruments_.contains(id);
}
const Instrument& EngineStrategyContext::instrument(InstrumentId id) const {
  return engine_.instruments_.get(id);
}
std::span<const InstrumentId> EngineStrategyContext::subscriptions() const {
  return engine_.strategies_[id_]->instruments;
}
uint64_t EngineStrategyContext::request_signal(const SignalRequest& request) {
  return engine_.request_signal(*engine_.strategies_[id_], request);
}
std::optional<InstrumentId> EngineStrategyContext::find_instrument(std::string_view symbol) const {
  return engine_.instruments_.id_of(symbol);
}
const Book& EngineStrategyContext::book(InstrumentId id) const {
  return engine_.books_[id];
}
const Order* EngineStrategyContext::order(OrderId id) const {
  const Order* o = engine_.oms_.find(id);
  return o && o->strategy == id_ ? o : nullptr;
}
const Position* EngineStrategyContext::position(InstrumentId id) const {
  return engine_.portfolio_.find(account_, id_, id);
}
void EngineStrategyContext::log(LogLevel level, std::string_view message) {
  const std::string& name = engine_.strategies_[id_]->name;
  switch (level) {
    case LogLevel::kDebug:
      guiju::log().debug("[{}] {}", name, message);
      break;
    case LogLevel::kInfo:
      guiju::log().info("[{}] {}", name, message);
      break;
    case LogLevel::kWarn:
      guiju::log().warn("[{}] {}", name, message);
      break;
    case LogLevel::kError:
      guiju::log().error("[{}] {}", name, message);
      break;
  }
}
size_t EngineStrategyContext::open_order_count_all() const {
  return engine_.oms_.open_orders().size();
}
const Order* EngineStrategyContext::open_order_at(size_t i) const {
  return engine_.oms_.find(engine_.oms_.open_orders()[i]);
}

}  // namespace guiju
