#include "core/metrics/engine_metrics.hpp"

#include <algorithm>
#include <utility>

#include "core/engine/engine.hpp"
#include "core/risk/risk_limits.hpp"

namespace guiju {

namespace {

// use / limit, or -1 when the limit is off (0).
double fraction(double use, int64_t limit) {
  return limit > 0 ? std::max(use, 0.0) / static_cast<double>(limit) : -1.0;
}

void fill_utilisation(const Engine& engine, MetricsSnapshot& s) {
  const size_t accounts = std::min(engine.account_count(), kMetricsMaxAccounts);
  s.account_count = accounts;
  const RiskLimits* limits = engine.risk_limits();
  for (size_t a = 0; a < accounts; ++a) {
    const auto id = static_cast<AccountId>(a);
    s.account_names[a].set(engine.account_name(id));
    auto& row = s.utilisation[a];
    if (limits == nullptr) {
      row.fill(-1.0);
      continue;
    }
    const LimitValues& l = limits->account(id);
    const auto limit = [&](LimitKey k) { return l[static_cast<size_t>(k)]; };
    const Portfolio& p = engine.portfolio();
    const auto at = [](UtilisedLimit u) { return static_cast<size_t>(u); };
    row[at(UtilisedLimit::kMaxOpenOrders)] =
        fraction(engine.orders().open_count_of_account(id), limit(LimitKey::kMaxOpenOrders));
    // Money limits are raw in the same fixed-point scale as Money.
    const auto raw = [](Money m) { return static_cast<double>(m.raw()); };
    row[at(UtilisedLimit::kMaxGrossExposure)] =
        fraction(raw(p.gross_exposure(id)), limit(LimitKey::kMaxGrossExposure));
    const double net = raw(p.net_exposure(id));
    row[at(UtilisedLimit::kMaxNetExposure)] =
        fraction(net < 0 ? -net : net, limit(LimitKey::kMaxNetExposure));
    const double loss = -raw(p.pnl_of_account(id).net());
    row[at(UtilisedLimit::kDailyLossLimit)] = fraction(loss, limit(LimitKey::kDailyLossLimit));
  }
}

void fill_rings(const Engine& engine, MetricsSnapshot& s) {
  size_t n = 0;
  const auto add = [&](const EventRing& ring) {
    if (n == kMetricsMaxRings) return;
    s.ring_names[n].set(ring.name());
    s.ring_depth[n] = ring.size();
    s.ring_capacity[n] = ring.capacity();
    s.ring_full[n] = ring.full_count();
    ++n;
  };
  for (const EventRing* ring : engine.inbound_rings()) add(*ring);
  add(engine.order_ring());
  s.ring_count = n;
}

}  // namespace

size_t EngineMetrics::add_collector(Collector collector) {
  collectors_.push_back(std::move(collector));
  return collectors_.size() - 1;
}

void EngineMetrics::remove_collector(size_t handle) {
  // Emptied, not erased, so that the other handles stay valid.
  if (handle < collectors_.size()) collectors_[handle] = nullptr;
}

void EngineMetrics::publish(const Engine& engine, Timestamp now) {
  MetricsSnapshot& s = scratch_;
  s = MetricsSnapshot{};
  s.published_at_ns = static_cast<uint64_t>(now);
  s.engine_started = engine.started() ? 1 : 0;
  s.kill_switch = engine.halted() ? 1 : 0;

  const EngineCounters& c = engine.counters();
  s.events_by_type = c.events_in;
  s.orders_sent = c.orders_sent;
  s.cancels_sent = c.cancels_sent;
  s.replaces_sent = c.replaces_sent;
  s.fills = c.fills;
  s.timers_fired = c.timers_fired;
  s.strategy_errors = c.strategy_errors;
  s.callback_overruns = c.callback_overruns;
  s.unroutable_events = c.unroutable_events;
  s.rejects_by_check = c.rejects_by_check;
  s.venue_rejects = c.venue_rejects;
  s.signals_requested = c.signals_requested;
  s.signal_replies = c.signal_replies;
  s.signals_timed_out = c.signals_timed_out;
  s.late_signal_replies = c.late_signal_replies;

  fill_rings(engine, s);
  fill_utilisation(engine, s);
  s.decision_latency = decision_latency;
  s.inference_latency = inference_latency;
  for (const Collector& collect : collectors_) {
    if (collect) collect(s);
  }
  publisher_.publish(s);
}

}  // namespace guiju
