#include "core/metrics/prometheus_encoder.hpp"

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <utility>

#include "core/events/signal_events.hpp"

namespace guiju {

namespace {

using Label = std::pair<std::string_view, std::string_view>;

std::string format_double(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  void sample(std::string_view name, std::initializer_list<Label> labels, std::string_view value) {
    out_ += name;
    if (labels.size() != 0) {
      out_ += '{';
      bool first = true;
      for (const auto& [key, v] : labels) {
        if (!first) out_ += ',';
        first = false;
        out_ += key;
        out_ += "=\"";
        out_ += escape_label_value(v);
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
    out_ += value;
    out_ += '\n';
  }
  void sample(std::string_view name, std::initializer_list<Label> labels, uint64_t value) {
    sample(name, labels, std::to_string(value));
  }

  // A family with one unlabelled sample.
  void single(std::string_view name, std::string_view type, std::string_view help, uint64_t v) {
    family(name, type, help);
    sample(name, {}, v);
  }

  void histogram(std::string_view name, std::string_view help, const LatencyHistogram& h) {
    family(name, "histogram", help);
    const std::string bucket = std::string(name) + "_bucket";
    uint64_t cumulative = 0;
    for (size_t b = 0; b < LatencyHistogram::kBoundsNs.size(); ++b) {
      cumulative += h.counts[b];
      const std::string le =
          format_double(static_cast<double>(LatencyHistogram::kBoundsNs[b]) / 1e9);
      sample(bucket, {{"le", le}}, cumulative);
    }
    sample(bucket, {{"le", "+Inf"}}, h.count);
    sample(std::string(name) + "_sum", {}, format_double(static_cast<double>(h.sum_ns) / 1e9));
    sample(std::string(name) + "_count", {}, h.count);
  }

 private:
  std::string& out_;
};

void engine_families(Writer& w, const MetricsSnapshot& s) {
  w.single("guiju_engine_started", "gauge", "1 once the engine has started its strategies.",
           s.engine_started);
  w.single("guiju_kill_switch_engaged", "gauge",
           "1 while new orders are halted (global kill switch or failed journal).", s.kill_switch);
  w.family("guiju_events_total", "counter", "Events the engine consumed, by event type.");
  for (size_t t = 0; t < s.events_by_type.size(); ++t) {
    const std::string_view type = to_string(static_cast<EventType>(t));
    if (type != "unknown") w.sample("guiju_events_total", {{"type", type}}, s.events_by_type[t]);
  }
  w.single("guiju_orders_sent_total", "counter", "New orders sent.", s.orders_sent);
  w.single("guiju_cancels_sent_total", "counter", "Cancels sent.", s.cancels_sent);
  w.single("guiju_replaces_sent_total", "counter", "Replaces sent.", s.replaces_sent);
  w.single("guiju_fills_total", "counter", "Fills applied to orders.", s.fills);
  w.family("guiju_rejects_total", "counter",
           "Orders refused before sending, by the control that refused them, and orders the "
           "venue rejected (reason venue_rejected).");
  for (size_t c = 1; c < s.rejects_by_check.size(); ++c) {
    w.sample("guiju_rejects_total", {{"reason", to_string(static_cast<RiskCheckId>(c))}},
             s.rejects_by_check[c]);
  }
  w.sample("guiju_rejects_total", {{"reason", "venue_rejected"}}, s.venue_rejects);
  w.single("guiju_timers_fired_total", "counter", "Strategy timers fired.", s.timers_fired);
  w.single("guiju_strategy_errors_total", "counter", "Strategies quarantined.", s.strategy_errors);
  w.single("guiju_callback_overruns_total", "counter",
           "Strategy callbacks that ran over their time budget.", s.callback_overruns);
  w.single("guiju_unroutable_events_total", "counter",
           "Events dropped because nothing could take them (an unknown instrument).",
           s.unroutable_events);
}

void ring_families(Writer& w, const MetricsSnapshot& s) {
  const size_t n = s.ring_count < kMetricsMaxRings ? s.ring_count : kMetricsMaxRings;
  w.family("guiju_ring_depth", "gauge", "Events waiting in a ring.");
  for (size_t r = 0; r < n; ++r) {
    w.sample("guiju_ring_depth", {{"ring", s.ring_names[r].view()}}, s.ring_depth[r]);
  }
  w.family("guiju_ring_capacity", "gauge", "Slots in a ring.");
  for (size_t r = 0; r < n; ++r) {
    w.sample("guiju_ring_capacity", {{"ring", s.ring_names[r].view()}}, s.ring_capacity[r]);
  }
  w.family("guiju_ring_full_total", "counter", "Pushes that found a ring full.");
  for (size_t r = 0; r < n; ++r) {
    w.sample("guiju_ring_full_total", {{"ring", s.ring_names[r].view()}}, s.ring_full[r]);
  }
}

void risk_families(Writer& w, const MetricsSnapshot& s) {
  w.family("guiju_risk_limit_utilisation", "gauge",
           "Use of a risk limit as a fraction of it (1 is at the limit); absent when the limit "
           "is off.");
  const size_t n = s.account_count < kMetricsMaxAccounts ? s.account_count : kMetricsMaxAccounts;
  for (size_t a = 0; a < n; ++a) {
    for (size_t l = 0; l < kUtilisedLimitCount; ++l) {
      const double u = s.utilisation[a][l];
      if (u < 0) continue;
      w.sample("guiju_risk_limit_utilisation",
               {{"account", s.account_names[a].view()},
                {"limit", to_string(static_cast<UtilisedLimit>(l))}},
               format_double(u));
    }
  }
}

void journal_families(Writer& w, const MetricsSnapshot& s) {
  if (s.journal_enabled == 0) return;
  w.single("guiju_journal_healthy", "gauge", "1 while the audit journal is writing.",
           s.journal_healthy);
  w.single("guiju_journal_queued_sequence", "gauge",
           "Sequence of the last record the engine queued for the journal.", s.journal_queued);
  w.single("guiju_journal_durable_sequence", "gauge",
           "Sequence of the last record the journal made durable.", s.journal_durable);
  w.single("guiju_journal_lag_records", "gauge", "Records queued but not yet durable.",
           s.journal_queued > s.journal_durable ? s.journal_queued - s.journal_durable : 0);
}

void session_families(Writer& w, const MetricsSnapshot& s) {
  if (s.has_market_data_session == 0 && s.has_order_session == 0) return;
  w.family("guiju_session_up", "gauge", "1 while a FIX session is logged on.");
  if (s.has_market_data_session != 0) {
    w.sample("guiju_session_up", {{"session", "market_data"}}, s.market_data_session_up);
  }
  if (s.has_order_session != 0) {
    w.sample("guiju_session_up", {{"session", "orders"}}, s.order_session_up);
  }
}

void inference_families(Writer& w, const MetricsSnapshot& s) {
  w.single("guiju_inference_requests_total", "counter", "Signal requests sent.",
           s.signals_requested);
  w.family("guiju_inference_replies_total", "counter",
           "Signal replies handled, by status (deadline_missed includes the engine's own "
           "expiries).");
  for (size_t st = 0; st < s.signal_replies.size(); ++st) {
    w.sample("guiju_inference_replies_total",
             {{"status", to_string(static_cast<SignalStatus>(st))}}, s.signal_replies[st]);
  }
  w.single("guiju_inference_timeouts_total", "counter",
           "Signal requests the engine expired unanswered.", s.signals_timed_out);
  w.single("guiju_inference_late_replies_total", "counter",
           "Signal replies that came after their request had expired (dropped).",
           s.late_signal_replies);
  w.histogram("guiju_inference_latency_seconds",
              "Request to reply, as the answering side measured it, for replies with status ok.",
              s.inference_latency);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string encode_prometheus(const MetricsSnapshot& s) {
  std::string out;
  out.reserve(size_t{16} * 1024);
  Writer w(out);
  engine_families(w, s);
  ring_families(w, s);
  w.histogram("guiju_decision_latency_seconds",
              "Time the engine took to handle an event: book, orders, strategies, risk, orders "
              "out.",
              s.decision_latency);
  risk_families(w, s);
  journal_families(w, s);
  session_families(w, s);
  inference_families(w, s);
  w.single("guiju_metrics_published_timestamp_seconds", "gauge",
           "When the engine thread last published these figures (Unix time).",
           s.published_at_ns / 1'000'000'000);
  return out;
}

}  // namespace guiju
