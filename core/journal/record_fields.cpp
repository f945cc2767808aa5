#include "core/journal/record_fields.hpp"

#include <algorithm>
#include <charconv>

#include "core/clock/calendar.hpp"
#include "core/events/codec.hpp"
#include "core/journal/chain_hash.hpp"

namespace guiju::journal {

namespace {

template <typename Fixed>
std::string text(Fixed v) {
  return v.to_string();
}

void add(RecordFields& f, const char* name, std::string value) {
  f.fields.emplace_back(name, std::move(value));
}
void add(RecordFields& f, const char* name, std::string_view value) {
  f.fields.emplace_back(name, std::string(value));
}
void add(RecordFields& f, const char* name, int64_t value) {
  f.fields.emplace_back(name, std::to_string(value));
}
void add(RecordFields& f, const char* name, uint64_t value) {
  f.fields.emplace_back(name, std::to_string(value));
}

struct Describe {
  RecordFields& f;

  void operator()(const Quote& q) const {
    f.instrument = q.instrument;
    add(f, "bid_price", text(q.bid_price));
    add(f, "bid_size", text(q.bid_size));
    add(f, "ask_price", text(q.ask_price));
    add(f, "ask_size", text(q.ask_size));
  }
  void operator()(const BookUpdate& b) const {
    f.instrument = b.instrument;
    add(f, "bid_levels", static_cast<int64_t>(b.bid_levels));
    add(f, "ask_levels", static_cast<int64_t>(b.ask_levels));
    if (b.bid_levels > 0) add(f, "bid_price", text(b.bids[0].price));
    if (b.ask_levels > 0) add(f, "ask_price", text(b.asks[0].price));
  }
  void operator()(const Trade& t) const {
    f.instrument = t.instrument;
    add(f, "price", text(t.price));
    add(f, "size", text(t.size));
    add(f, "aggressor", to_string(t.aggressor));
    add(f, "trade_id", t.trade_id);
  }
  void operator()(const NewOrder& o) const {
    f.instrument = o.instrument;
    f.account = o.account;
    f.strategy = o.strategy;
    f.orders.push_back(o.order_id);
    add(f, "order_id", o.order_id);
    add(f, "client_order_id", o.client_order_id.view());
    add(f, "side", to_string(o.side));
    add(f, "order_type", to_string(o.type));
    add(f, "tif", to_string(o.tif));
    add(f, "price", text(o.price));
    add(f, "quantity", text(o.quantity));
  }
  void operator()(const CancelOrder& c) const {
    f.instrument = c.instrument;
    f.account = c.account;
    f.strategy = c.strategy;
    f.orders.push_back(c.order_id);
    add(f, "order_id", c.order_id);
    add(f, "client_order_id", c.client_order_id.view());
  }
  void operator()(const OrderStatusRequest& q) const {
    f.instrument = q.instrument;
    f.account = q.account;
    f.strategy = q.strategy;
    f.orders.push_back(q.order_id);
    add(f, "order_id", q.order_id);
    add(f, "client_order_id", q.client_order_id.view());
  }
  void operator()(const ReplaceOrder& r) const {
    f.instrument = r.instrument;
    f.account = r.account;
    f.strategy = r.strategy;
    f.orders.push_back(r.order_id);
    f.orders.push_back(r.new_order_id);
    add(f, "order_id", r.order_id);
    add(f, "new_order_id", r.new_order_id);
    add(f, "new_client_order_id", r.new_client_order_id.view());
    add(f, "new_price", text(r.new_price));
    add(f, "new_quantity", text(r.new_quantity));
  }
  void operator()(const ExecutionReport& r) const {
    f.instrument = r.instrument;
    f.orders.push_back(r.order_id);
    if (r.orig_order_id != kNoOrder) f.orders.push_back(r.orig_order_id);
    add(f, "order_id", r.order_id);
    if (r.orig_order_id != kNoOrder) add(f, "orig_order_id", r.orig_order_id);
    add(f, "exec_type", to_string(r.exec_type));
    add(f, "exec_id", r.exec_id);
    if (r.last_qty.is_positive()) {
      add(f, "last_price", text(r.last_price));
      add(f, "last_qty", text(r.last_qty));
    }
    add(f, "cum_qty", text(r.cum_qty));
    add(f, "leaves_qty", text(r.leaves_qty));
    if (r.reject_code != RejectCode::kNone) add(f, "reject", to_string(r.reject_code));
    if (!r.reason.view().empty()) add(f, "reason", r.reason.view());
  }
  void operator()(const TimerFired& t) const {
    f.strategy = t.strategy == kNoStrategy ? -1 : t.strategy;
    add(f, "timer_id", t.timer_id);
    add(f, "scheduled_time", static_cast<int64_t>(t.scheduled_time));
  }
  void operator()(const ControlCommand& c) const {
    add(f, "action", to_string(c.action));
    add(f, "scope", static_cast<int64_t>(c.scope));
    add(f, "target", static_cast<uint64_t>(c.target));
    add(f, "issued_by", c.issued_by.view());
    add(f, "reason", c.reason.view());
  }
  void operator()(const SignalRequest& s) const {
    f.instrument = s.instrument;
    f.strategy = s.strategy == kNoStrategy ? -1 : s.strategy;
    add(f, "request_id", s.request_id);
    add(f, "model_id", static_cast<uint64_t>(s.model_id));
    add(f, "deadline", static_cast<int64_t>(s.deadline));
    add(f, "inputs", floats(s.inputs.data(), std::min<size_t>(s.input_count, s.inputs.size())));
  }
  void operator()(const SignalReply& s) const {
    add(f, "request_id", s.request_id);
    add(f, "model_id", static_cast<uint64_t>(s.model_id));
    add(f, "status", to_string(s.status));
    add(f, "latency_ns", static_cast<int64_t>(s.latency));
    add(f, "outputs", floats(s.outputs.data(), std::min<size_t>(s.output_count, s.outputs.size())));
    if (!s.model_name.view().empty()) {
      add(f, "model", s.model_name.view());
      add(f, "model_version", s.model_version.view());
      add(f, "model_sha256", hex(s.model_sha256.data(), s.model_sha256.size()));
    }
  }
  // Space-separated, shortest round-trip form: the exact floats the model saw and gave.
  static std::string floats(const float* v, size_t n) {
    std::string out;
    char buffer[32];
    for (size_t i = 0; i < n; ++i) {
      const auto r = std::to_chars(buffer, buffer + sizeof buffer, v[i]);
      if (i != 0) out += ' ';
      out.append(buffer, r.ptr);
    }
    return out;
  }
  static std::string hex(const uint8_t* bytes, size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      out += kDigits[bytes[i] >> 4];
      out += kDigits[bytes[i] & 15];
    }
    return out;
  }
  void operator()(const StrategyEvent& e) const {
    f.account = e.account;
    f.strategy = e.strategy;
    static constexpr const char* kActions[] = {"?",           "started", "stopped",
                                               "quarantined", "resumed", "unloaded"};
    const auto a = static_cast<size_t>(e.action);
    add(f, "action", std::string_view(a < std::size(kActions) ? kActions[a] : "?"));
    add(f, "name", e.name.view());
    add(f, "strategy_type", e.type.view());
    add(f, "parameters_sha256", to_hex(e.parameters_hash));
    if (!e.reason.view().empty()) add(f, "reason", e.reason.view());
    if (e.action == StrategyAction::kStarted) {
      add(f, "plugin", e.plugin_path.view());
      add(f, "plugin_sha256", to_hex(e.plugin_hash));
      add(f, "plugin_version", e.plugin_version.view());
      add(f, "abi", std::to_string(e.abi_major) + "." + std::to_string(e.abi_minor));
    }
  }
  void operator()(const StrategyParameterEvent& e) const {
    f.strategy = e.strategy;
    add(f, "key", e.key.view());
    add(f, "value", e.value.view());
  }
  void operator()(const SessionEvent& e) const {
    add(f, "action", to_string(e.action));
    add(f, "mode", e.mode.view());
    add(f, "trading_date", e.trading_date.view());
    add(f, "software", e.software.view());
    add(f, "config_sha256", to_hex(e.config_hash));
    if (!e.detail.view().empty()) add(f, "detail", e.detail.view());
  }
  void operator()(const DataSourceEvent& e) const {
    add(f, "format", e.format.view());
    add(f, "location", e.location.view());
    add(f, "sha256", to_hex(e.sha256));
    add(f, "bytes", e.bytes);
    add(f, "events", e.events);
    if (e.from != 0) add(f, "from", format_utc(e.from));
    if (e.to != 0) add(f, "to", format_utc(e.to));
  }
  void operator()(const RiskLimitChange& c) const {
    if (c.scope == LimitScope::kAccount) f.account = static_cast<AccountId>(c.target);
    if (c.scope == LimitScope::kStrategy) f.strategy = static_cast<StrategyId>(c.target);
    if (c.scope == LimitScope::kInstrument) f.instrument = static_cast<InstrumentId>(c.target);
    add(f, "scope", to_string(c.scope));
    add(f, "target", static_cast<uint64_t>(c.target));
    add(f, "limit", info(c.key).name);
    add(f, "value", format_limit_value(c.key, c.value));
    add(f, "previous", format_limit_value(c.key, c.previous));
    add(f, "issued_by", c.issued_by.view());
    add(f, "reason", c.reason.view());
  }
  void operator()(const RiskDecisionEvent& d) const {
    f.instrument = d.instrument;
    f.account = d.account;
    f.strategy = d.strategy;
    if (d.order_id != kNoOrder) f.orders.push_back(d.order_id);
    add(f, "action", to_string(d.action));
    if (d.check != RiskCheckId::kNone) add(f, "check", to_string(d.check));
    add(f, "reject", to_string(d.code));
    add(f, "reason", d.reason.view());
    add(f, "side", to_string(d.side));
    add(f, "price", text(d.price));
    add(f, "quantity", text(d.quantity));
    add(f, "limit", d.limit);
    add(f, "observed", d.observed);
  }
};

}  // namespace

const std::vector<std::string>& common_columns() {
  static const std::vector<std::string> kColumns = {"sequence",   "type",         "engine_time",
                                                    "event_time", "receive_time", "instrument",
                                                    "account",    "strategy"};
  return kColumns;
}

RecordFields record_fields(const RecordHeader& header, std::span<const std::byte> payload) {
  EventSlot slot;
  const DecodeResult decoded = decode(payload, slot);
  RecordFields f;
  if (decoded.ok()) {
    f = record_fields(header.sequence, header.engine_time, slot);
  } else {
    f.type = "undecodable";
    add(f, "decode_error", decoded.message);
  }
  // The record's own header, as hashed into the chain, is what an auditor is shown.
  f.sequence = header.sequence;
  f.engine_time = header.engine_time;
  f.event_time = header.event_time;
  f.receive_time = header.receive_time;
  return f;
}

RecordFields record_fields(uint64_t sequence, Timestamp engine_time, const EventSlot& event) {
  RecordFields f;
  f.sequence = sequence;
  f.engine_time = engine_time;
  f.event_time = event.header().event_time;
  f.receive_time = event.header().receive_time;
  f.type = std::string(to_string(event.type()));
  visit(event, Describe{f});
  return f;
}

}  // namespace guiju::journal
