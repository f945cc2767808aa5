#pragma once
// The engine: the single writer of all trading state (DESIGN.md rule 1).
//
// One thread drains the inbound rings (market data, execution reports, control commands, signal
// replies), advances the clock, fires timers, updates books, OMS and portfolio, and calls the
// strategies. Orders leave through the outbound order ring to whichever sink the mode wires up (a
// FIX session, the simulated venue). The same class runs live, paper and replay: only the clock,
// the producers and the sink differ (rule 3).

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bus/spsc_ring.hpp"
#include "core/clock/clock.hpp"
#include "core/clock/timer_queue.hpp"
#include "core/data/book.hpp"
#include "core/engine/engine_counters.hpp"
#include "core/engine/engine_mailbox.hpp"
#include "core/engine/signal_sink.hpp"
#include "core/events/event_slot.hpp"
#include "core/journal/audit_sink.hpp"
#include "core/metrics/engine_metrics.hpp"
#include "core/model/instrument.hpp"
#include "core/oms/client_order_id_allocator.hpp"
#include "core/oms/order_manager.hpp"
#include "core/portfolio/fee_schedule.hpp"
#include "core/portfolio/portfolio.hpp"
#include "core/risk/pre_trade_check.hpp"
#include "core/risk/risk_limits.hpp"
#include "core/strategy/strategy.hpp"
#include "core/strategy/strategy_context.hpp"

namespace guiju {

class EngineStrategyContext;

using EventRing = SpscRing<EventSlot>;

// What ran, for the audit trail: the mode, the date, the software and the config's hash.
struct SessionIdentity {
  std::string mode = "replay";
  std::string trading_date;
  std::string software;
  std::array<uint8_t, 32> config_hash{};
  std::string config_path;
  // A replay's input data, journaled after kEngineStarted (their headers are stamped there).
  std::vector<DataSourceEvent> data_sources;
};

struct EngineOptions {
  size_t max_orders = 1 << 16;  // orders + replacements per session (pre-allocated)
  size_t order_ring_capacity = 1 << 16;
  BackPressure order_ring_policy = BackPressure::kFail;
  size_t poll_batch = 256;  // events taken from one ring per poll
  // Re-run: timers fire only when fire_recorded_timer() says so (as the recorded session's did),
  // never on their own.
  bool timers_from_journal = false;
  SourceId source_id = 1;  // stamped on what the engine emits
  // Journal the market data the engine consumes. A replay turns this off: its journal names the
  // data by hash (SessionIdentity::data_sources) instead of holding a second copy of it.
  bool journal_market_data = true;
  // A strategy callback that runs longer than callback_budget is counted (0: not measured);
  // after callback_overrun_limit such callbacks the strategy is quarantined (on the live clock
  // only: a replay counts and reports them, and its decisions stay independent of the machine).
  Duration callback_budget = 0;
  uint32_t callback_overrun_limit = 100;
  // Journaled as the run's first and last records (SessionEvent).
  SessionIdentity session;
};

// Who a strategy is, for the audit trail: its type, its parameters (and their hash), and the
// plugin file it came from with that file's hash and ABI version.
struct StrategyIdentity {
  std::string type;
  std::array<uint8_t, 32> parameters_hash{};
  std::vector<std::pair<std::string, std::string>> parameters;  // key, value as written
  std::string plugin_path;
  std::array<uint8_t, 32> plugin_hash{};
  std::string plugin_version;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
};

// How a strategy's callbacks have kept to their time budget.
struct StrategyStats {
  uint64_t callback_overruns = 0;
  Duration slowest_overrun = 0;   // the longest callback over budget; 0 when none
  std::string quarantine_reason;  // why it was quarantined; empty when it was not
};

// What the last flatten did: the cancels it sent, the closing orders it sent and those refused
// or not sent (with why), for the operator who asked.
struct FlattenReport {
  size_t cancels_sent = 0;
  std::vector<std::string> orders_sent;
  std::vector<std::string> not_sent;
};

struct AccountSpec {
  std::string name;
  FeeSchedule fees;
};

class Engine final : private RiskActions {
 public:
  Engine(const InstrumentRegistry& instruments, Clock& clock, ClientOrderIdAllocator& order_ids,
         const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // ---- wiring (before start) ----
  AccountId add_account(AccountSpec account);
  // The strategy receives market data for `instruments` and trades through `account`.
  StrategyId add_strategy(std::string name, AccountId account,
                          const std::vector<InstrumentId>& instruments,
                          std::unique_ptr<Strategy> strategy, StrategyIdentity identity = {});
  // Every new order and replace passes these, in order, after validation. Not owned.
  void add_pre_trade_check(PreTradeCheck* check);
  // The limits the checks read, which change_risk_limit changes. Not owned.
  void set_risk_limits(RiskLimits* limits) { limits_ = limits; }
  // Every event consumed and emitted goes to this journal, in engine order. Not owned. When the
  // journal fails, the engine refuses new orders and cancels what is open (fail closed).
  void set_journal(journal::AuditSink* journal) { journal_ = journal; }
  // Where strategies' signal requests go (the inference client). Not owned. Without one,
  // request_signal answers 0.
  void set_signal_sink(SignalSink* sink) { signal_sink_ = sink; }
  // Metrics: the engine fills its latency histograms and publishes a snapshot every
  // metrics->period() from poll() (the live clock only). Not owned; null: none are kept.
  void set_metrics(EngineMetrics* metrics) { metrics_ = metrics; }
  // The control plane's tasks run from poll(), between events. Not owned; null: none.
  void set_mailbox(EngineMailbox* mailbox) { mailbox_ = mailbox; }
  // A producer's ring (one per producer thread). Not owned.
  void add_inbound(EventRing* ring);
  // Processes what the inbound rings hold and nothing else (no clock, timers or kill request):
  // for a replay loop, whose own inputs are handed in by process(). Returns how many.
  size_t drain_inbound();
  // Every ring the engine reads (for a caller that must reach all their producers' doorbells).
  const std::vector<EventRing*>& inbound_rings() const { return inbound_; }
  // Orders, cancels and replaces for the sink.
  EventRing& order_ring() { return order_ring_; }
  const EventRing& order_ring() const { return order_ring_; }

  // ---- strategies while running (engine thread; the control plane's calls) ----
  // Loads and starts a strategy (journaled as started). Throws std::invalid_argument for a name
  // already loaded, an unknown account or instrument.
  StrategyId load_strategy(std::string name, AccountId account,
                           const std::vector<InstrumentId>& instruments,
                           std::unique_ptr<Strategy> strategy, StrategyIdentity identity = {});
  // Cancels the strategy's open orders, calls its on_stop, and removes it (journaled as
  // unloaded). Its id is never reused. Returns how many cancels were sent.
  size_t unload_strategy(StrategyId id, std::string_view reason);
  // Unloads the strategy and loads `strategy` under the same name, account and instruments (a
  // new version, or new parameters). Returns the new id.
  StrategyId reload_strategy(StrategyId id, std::unique_ptr<Strategy> strategy,
                             StrategyIdentity identity = {});
  std::optional<StrategyId> find_strategy(std::string_view name) const;

  // ---- lifecycle ----
  void start();  // calls every strategy's on_start
  // Calls on_stop, then cancels every open order (a stopped engine leaves nothing working).
  void stop();
  bool stopping() const { return stop_requested_; }
  bool started() const { return started_; }

  // ---- the loop ----
  // Fires due timers, then drains each inbound ring by one batch. Returns events processed.
  size_t poll();
  // Processes one event in engine order. Replay drivers call this directly.
  void process(const EventSlot& event);
  // Re-run: fires the timer a recorded TimerFired names, now. False when that timer is not the
  // next one due (the re-run has diverged).
  bool fire_recorded_timer(const TimerFired& recorded);
  // Simulated clock only: fires the timers due up to t (each at its own due time), then moves the
  // clock to t. process() does this for every event; replay drivers call it to let time pass
  // before showing the event to other components (the simulated venue).
  void advance_time_to(Timestamp t);
  // Polls until stop is set or a kStop control command arrives; spins, then yields, when idle.
  void run(const std::atomic<bool>& stop);

  // ---- state (engine thread, or after the loop has ended) ----
  Timestamp now() const { return clock_.now(); }
  const InstrumentRegistry& instruments() const { return instruments_; }
  const Book& book(InstrumentId id) const { return books_[id]; }
  const OrderManager& orders() const { return oms_; }
  const Portfolio& portfolio() const { return portfolio_; }
  const EngineCounters& counters() const { return counters_; }
  size_t strategy_count() const { return strategies_.size(); }
  const std::string& strategy_name(StrategyId id) const;
  bool strategy_quarantined(StrategyId id) const;
  bool strategy_unloaded(StrategyId id) const;
  AccountId strategy_account(StrategyId id) const;
  StrategyStats strategy_stats(StrategyId id) const;
  const std::string& account_name(AccountId id) const { return accounts_[id].name; }
  size_t account_count() const { return accounts_.size(); }
  bool halted() const { return halted_; }
  // The kill switch (a ControlCommand, so it is journaled as an input with who and why, and a
  // re-run replays it): cancels every open order in scope and refuses new orders and replaces in
  // scope until reset. Scope: global, an account, or a strategy (target: its id).
  void kill_switch(ControlScope scope, uint32_t target, std::string_view issued_by,
                   std::string_view reason);
  void reset_kill_switch(ControlScope scope, uint32_t target, std::string_view issued_by,
                         std::string_view reason);
  // Any control command from an operator (kill, reset, cancel-all, pause, resume, flatten, or an
  // operator_command that only records what was asked): journaled as an input with who and why,
  // then acted on, as if it had arrived on an inbound ring. A scope's target that does not exist
  // is journaled and does nothing; callers check names first.
  void apply_control(ControlAction action, ControlScope scope, uint32_t target,
                     std::string_view issued_by, std::string_view reason) {
    control(action, scope, target, issued_by, reason);
  }
  // What the last kFlatten command did.
  const FlattenReport& last_flatten() const { return last_flatten_; }
  // Changes a risk limit now (0: off), journaled as a RiskLimitChange with who and why. Throws
  // std::invalid_argument naming what is wrong (no limits configured, a key that cannot be set
  // at the scope, no such account, strategy or instrument, a negative value); nothing is
  // journaled then.
  void change_risk_limit(LimitScope scope, uint32_t target, LimitKey key, int64_t value,
                         std::string_view issued_by, std::string_view reason);
  const RiskLimits* risk_limits() const { return limits_; }
  // Async-signal-safe: asks the engine thread to engage the global kill switch at its next poll
  // (SIGUSR1 in `guiju run`).
  void request_kill_switch() { kill_requested_.store(true, std::memory_order_relaxed); }
  bool killed(AccountId account, StrategyId strategy) const;
  // The scoped kill switches alone (not the global one).
  bool account_killed(AccountId account) const {
    return account < killed_accounts_.size() && killed_accounts_[account];
  }
  bool strategy_killed(StrategyId strategy) const {
    return strategy < killed_strategies_.size() && killed_strategies_[strategy];
  }
  // Cancel-only: a control (the daily loss limit) stopped the strategy's new orders and replaces;
  // cleared by resetting the strategy's (or the global) kill switch.
  bool cancel_only(StrategyId strategy) const {
    return strategy < cancel_only_.size() && cancel_only_[strategy];
  }
  // Breaches of these controls engage the kill switch over `scope` (the order's account or
  // strategy, or everything) besides refusing the order: `risk.fatal` in the config.
  void set_fatal_checks(const std::vector<RiskCheckId>& checks, ControlScope scope);

  // ---- the order session (cancel-on-disconnect state; the venue adapter calls these) ----
  // Journaled control commands (inputs): `issued_by` names the session. While down, every open
  // order's status is unknown and new orders, replaces and cancels are refused
  // (kOrderSessionDown); once up, orders may be sent again and an OrderStatusRequest goes out
  // through the order ring for each of orders_to_reconcile(). Reports for an order clear its
  // unknown status.
  void order_session_down(std::string_view issued_by, std::string_view reason);
  void order_session_up(std::string_view issued_by, std::string_view reason);
  bool order_session_is_down() const { return order_session_down_; }
  std::vector<OrderId> orders_to_reconcile() const { return oms_.unknown_orders(); }

 private:
  friend class EngineStrategyContext;
  struct StrategySlot;

  // Book, mark, then the strategies subscribed to the instrument; `valid` false drops the event
  // (counted as unroutable).
  template <typename MarketEvent, typename Callback>
  void on_market_data(const MarketEvent& e, bool valid, Callback&& callback);
  void on_quote(const Quote& q);
  void on_book(const BookUpdate& u);
  void on_trade(const Trade& t);
  void on_execution_report(const ExecutionReport& r);
  void on_control(const ControlCommand& c);
  void on_risk_limit_change(const RiskLimitChange& c);
  // Sends an OrderStatusRequest for every open order of unknown status; returns how many.
  size_t request_order_status();
  // Kills a scope: blocks it and cancels its open orders.
  void engage_kill(ControlScope scope, uint32_t target);
  // Cancels the open orders of a scope (global: all); returns how many cancels were sent.
  size_t cancel_open_orders_in(ControlScope scope, uint32_t target);
  // Cancels the scope's open orders and sends an order closing each of its positions.
  void flatten(ControlScope scope, uint32_t target);
  void fire_due_timers(Timestamp until);
  void fire(const TimerFiring& due);

  // The host API behind StrategyContext.
  // submit and replace journal their refusals; try_* do the work.
  SubmitResult submit(StrategySlot& s, const OrderRequest& request);
  SubmitResult try_submit(StrategySlot& s, const OrderRequest& request);
  SubmitResult cancel(StrategySlot& s, OrderId id);
  SubmitResult try_cancel(StrategySlot& s, OrderId id);
  SubmitResult replace(StrategySlot& s, OrderId id, Price price, Quantity quantity);
  SubmitResult try_replace(StrategySlot& s, OrderId id, Price price, Quantity quantity);
  uint64_t request_signal(StrategySlot& s, const SignalRequest& request);
  void on_signal_reply(const SignalReply& reply);
  // False (and counted) for a reply whose request is no longer pending.
  bool awaits_signal_reply(const SignalReply& reply);
  // Tells each strategy whose signal request is past its deadline, unanswered.
  void expire_signals(Timestamp now);
  void journal_refusal(const StrategySlot& s, RiskAction action, const SubmitResult& r,
                       InstrumentId instrument, Side side, OrderId order, Price price,
                       Quantity quantity);
  template <Event T>
  void journal(const T& event) {
    journal(event, clock_.now());
  }
  template <typename T>
  void journal(const T& event, Timestamp engine_time) {
    if (!journal_) return;
    EventSlot slot;
    slot.store(event);
    journal_->record(slot, engine_time);
  }
  // Fail closed once the journal has failed: halt and cancel everything.
  void check_journal();
  // Sends a cancel for an open order regardless of owner; for stop, kill switch, quarantine.
  bool send_cancel(const Order& o);
  size_t cancel_open_orders(StrategyId only_strategy);
  // Cancels every open order of an account.
  size_t cancel_open_orders_of_account(AccountId account);
  void control(ControlAction action, ControlScope scope, uint32_t target,
               std::string_view issued_by, std::string_view reason);
  // Tells the checks that a message left.
  void notify_sent(const SentMessage& message);
  // The gates every new order and replace passes before its terms are looked at (docs/risk.md,
  // checks 1-5): the journal, the kill switch, cancel-only, the order session, the strategy.
  RiskDecision may_send(const StrategySlot& s) const;
  RiskView risk_view();
  RiskDecision run_checks_new(const NewOrder& order);
  RiskDecision run_checks_replace(const ReplaceOrder& request, const Order& current);
  RiskDecision run_checks_cancel(const Order& order);
  // The checks' periodic look at marks (every kRiskInterval of engine time).
  void run_risk_interval();
  SubmitResult refuse(const RiskDecision& d);
  // A breach of a control marked fatal engages the kill switch.
  void on_refused(const StrategySlot& s);
  RiskDecision last_refusal_;  // limit and observed of the last refusal, for its journal record
  // A risk record of something a control did on its own (an output: a re-run derives it again).
  void journal_risk_action(RiskAction action, RiskCheckId check, AccountId account,
                           StrategyId strategy, const Order* order, std::string_view reason);
  // RiskActions: what the checks may ask for.
  void cancel_order(OrderId order, RiskCheckId check, std::string_view reason) override;
  void enter_cancel_only(StrategyId strategy, RiskCheckId check, std::string_view reason) override;
  void engage_kill_switch(ControlScope scope, uint32_t target, RiskCheckId check,
                          std::string_view reason) override;

  StrategyId insert_strategy(std::string name, AccountId account,
                             const std::vector<InstrumentId>& instruments,
                             std::unique_ptr<Strategy> strategy, StrategyIdentity identity);
  // Calls a strategy callback, containing what escapes it: the strategy is quarantined.
  template <typename F>
  void call_strategy(StrategySlot& s, F&& f);
  void quarantine(StrategySlot& s, const char* why);
  void on_overrun(StrategySlot& s, Duration took);
  void journal_lifecycle(const StrategySlot& s, StrategyAction action, std::string_view reason);
  void journal_session(SessionAction action, std::string_view detail);

  const InstrumentRegistry& instruments_;
  Clock& clock_;
  SimulatedClock* sim_clock_;  // non-null in replay: events drive time
  ClientOrderIdAllocator& order_ids_;
  EngineOptions options_;

  std::vector<Book> books_;
  OrderManager oms_;
  Portfolio portfolio_;
  TimerQueue timers_;
  EventRing order_ring_;
  std::vector<EventRing*> inbound_;
  std::vector<PreTradeCheck*> checks_;
  std::vector<PreTradeCheck*> order_checks_;  // those that check new orders and replaces
  RiskLimits* limits_ = nullptr;
  std::vector<AccountSpec> accounts_;
  std::vector<std::unique_ptr<StrategySlot>> strategies_;
  std::vector<std::vector<StrategyId>> subscribers_;  // by InstrumentId
  EngineCounters counters_;
  bool started_ = false;
  bool stop_requested_ = false;
  bool halted_ = false;                // kill switch: no new orders until reset
  std::vector<bool> killed_accounts_;  // scoped kill switches, by id
  std::vector<bool> killed_strategies_;
  std::vector<bool> cancel_only_;  // by strategy id
  uint64_t fatal_checks_ = 0;      // bit per RiskCheckId
  ControlScope fatal_scope_ = ControlScope::kAccount;
  bool order_session_down_ = false;
  static constexpr Duration kRiskInterval = 100 * kMillisecond;
  Timestamp next_risk_interval_ = 0;
  EngineMetrics* metrics_ = nullptr;
  Timestamp next_metrics_publish_ = 0;
  std::atomic<bool> kill_requested_{false};
  EngineMailbox* mailbox_ = nullptr;
  // Set while flatten sends closing orders: they pass the cancel-only and paused gates (they
  // reduce risk), and every other gate and check as any order does.
  bool closing_ = false;
  FlattenReport last_flatten_;
  journal::AuditSink* journal_ = nullptr;
  bool journal_failure_handled_ = false;

  struct PendingSignal {
    uint64_t request_id;
    StrategyId strategy;
    uint32_t model_id;
    Timestamp deadline;
  };
  bool expiring_signals_ = false;  // expire_signals is handling an expiry (it calls process)
  static constexpr size_t kMaxPendingSignals = 4096;
  // The engine time at which the input or timer now being handled was journaled: what strategies
  // see as now() while they handle it (0 between events: the clock). A re-run sets its clock to
  // the same recorded instant, so a strategy that stamps a time (a signal's deadline, say)
  // decides the same way in both.
  Timestamp dispatch_time_ = 0;
  SignalSink* signal_sink_ = nullptr;
  std::vector<PendingSignal> pending_signals_;  // reserved up front; few at a time
  uint64_t next_signal_id_ = 0;
};

}  // namespace guiju
