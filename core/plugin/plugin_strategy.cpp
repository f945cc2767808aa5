#include "core/plugin/plugin_strategy.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <limits>

#include "core/config/config_error.hpp"
#include "core/plugin/plugin_abi_convert.hpp"
#include "core/strategy/strategy_context.hpp"

// The engine's side of one plugin strategy, behind the ABI's opaque guiju_host.
struct guiju_host {
  guiju::StrategyContext* context = nullptr;              // during a callback
  const guiju::StrategyParameters* parameters = nullptr;  // during create
  std::exception_ptr parameter_error;                     // the first bad parameter
  std::string failure;                                    // what fail() said
};

namespace guiju {

namespace {

using abi::from_request;
using abi::to_abi;

StrategyContext* context_of(const guiju_host* h) {
  return h->context;
}

constexpr RejectCode kMalformedRequest = RejectCode::kMalformedRequest;

guiju_result refused(RejectCode code, const char* why) {
  guiju_result r{};
  r.reject_code = static_cast<int32_t>(code);
  r.reason = why;
  return r;
}
guiju_result refused(const char* why) {
  return refused(RejectCode::kNotWorking, why);
}

guiju_result result_of(const SubmitResult& s) {
  guiju_result r{};
  r.order_id = s.order_id;
  r.reject_code = static_cast<int32_t>(s.reject);
  r.reason = s.reason.data();  // static text, NUL-terminated
  return r;
}

// Every host call outside a callback (say, from a thread the plugin started) is refused rather
// than allowed to race the engine.
constexpr const char* kOutsideCallback = "host call outside a callback";

guiju_result host_submit(guiju_host* h, const guiju_order_request* request) {
  StrategyContext* ctx = context_of(h);
  if (ctx == nullptr || request == nullptr) return refused(kOutsideCallback);
  // A C plugin can pass any byte; only the ABI's values become engine enums.
  if (request->side < GUIJU_BUY || request->side > GUIJU_SELL) {
    return refused(kMalformedRequest, "order request: side is neither GUIJU_BUY nor GUIJU_SELL");
  }
  if (request->type < GUIJU_LIMIT || request->type > GUIJU_MARKET) {
    return refused(kMalformedRequest,
                   "order request: type is neither GUIJU_LIMIT nor GUIJU_MARKET");
  }
  if (request->tif < GUIJU_DAY || request->tif > GUIJU_FOK) {
    return refused(kMalformedRequest,
                   "order request: tif is not GUIJU_DAY, GUIJU_IOC or GUIJU_FOK");
  }
  return result_of(ctx->submit(from_request(*request)));
}
guiju_result host_cancel(guiju_host* h, guiju_order_id order) {
  StrategyContext* ctx = context_of(h);
  if (ctx == nullptr) return refused(kOutsideCallback);
  return result_of(ctx->cancel(order));
}
guiju_result host_replace(guiju_host* h, guiju_order_id order, guiju_fixed price,
                          guiju_fixed quantity) {
  StrategyContext* ctx = context_of(h);
  if (ctx == nullptr) return refused(kOutsideCallback);
  return result_of(ctx->replace(order, Price::from_raw(price), Quantity::from_raw(quantity)));
}
guiju_timer_id host_set_timer(guiju_host* h, guiju_time delay, guiju_time period) {
  StrategyContext* ctx = context_of(h);
  return ctx == nullptr ? 0 : ctx->set_timer(delay, period);
}
int host_cancel_timer(guiju_host* h, guiju_timer_id timer) {
  StrategyContext* ctx = context_of(h);
  return ctx != nullptr && ctx->cancel_timer(timer) ? 1 : 0;
}
guiju_time host_now(const guiju_host* h) {
  const StrategyContext* ctx = context_of(h);
  return ctx == nullptr ? 0 : ctx->now();
}
int host_instrument(const guiju_host* h, guiju_instrument id, guiju_instrument_info* out) {
  const StrategyContext* ctx = context_of(h);
  if (ctx == nullptr || out == nullptr || !ctx->has_instrument(id)) return 0;
  *out = to_abi(ctx->instrument(id));
  return 1;
}
int host_find_instrument(const guiju_host* h, const char* symbol, guiju_instrument* out) {
  const StrategyContext* ctx = context_of(h);
  if (ctx == nullptr || symbol == nullptr || out == nullptr) return 0;
  const auto id = ctx->find_instrument(symbol);
  if (!id) return 0;
  *out = *id;
  return 1;
}
uint32_t host_subscriptions(const guiju_host* h, guiju_instrument* out, uint32_t capacity) {
  const StrategyContext* ctx = context_of(h);
  if (ctx == nullptr) return 0;
  const auto subscribed = ctx->subscriptions();
  const size_t n = std::min<size_t>(capacity, subscribed.size());
  if (out != nullptr) std::copy_n(subscribed.begin(), n, out);
  return static_cast<uint32_t>(subscribed.size());
}
int host_book(const guiju_host* h, guiju_instrument id, guiju_book* out) {
  const StrategyContext* ctx = context_of(h);
  if (ctx == nullptr || out == nullptr || !ctx->has_instrument(id)) return 0;
  *out = to_abi(id, ctx->book(id));
  return 1;
}
int host_order(const guiju_host* h, guiju_order_id id, guiju_order* out) {
  const StrategyContext* ctx = context_of(h);
  const Order* o = ctx == nullptr ? nullptr : ctx->order(id);
  if (o == nullptr || out == nullptr) return 0;
  *out = to_abi(*o);
  return 1;
}
int host_position(const guiju_host* h, guiju_instrument id, guiju_position* out) {
  const StrategyContext* ctx = context_of(h);
  const Position* p = ctx == nullptr ? nullptr : ctx->position(id);
  if (p == nullptr || out == nullptr) return 0;
  *out = to_abi(*p);
  return 1;
}
uint32_t host_open_orders(const guiju_host* h, guiju_order* out, uint32_t capacity) {
  const StrategyContext* ctx = context_of(h);
  if (ctx == nullptr) return 0;
  uint32_t n = 0;
  ctx->for_each_open_order([&](const Order& o) {
    if (out != nullptr && n < capacity) out[n] = to_abi(o);
    ++n;
  });
  return n;
}
uint64_t host_request_signal(guiju_host* h, const guiju_signal_request* request) {
  StrategyContext* ctx = context_of(h);
  if (ctx == nullptr || request == nullptr) return 0;
  return ctx->request_signal(abi::from_request(*request, ctx->id()));
}
void host_log(guiju_host* h, int level, const char* message) {
  StrategyContext* ctx = context_of(h);
  if (ctx == nullptr || message == nullptr) return;
  ctx->log(static_cast<LogLevel>(std::clamp(level, 0, 3)), message);
}

// Parameters: the engine's own typed getters, so a plugin's parameters are validated exactly as
// the config's are, and a bad one is reported with the config file, line, strategy and key.
template <typename Get>
int parameter(guiju_host* h, Get&& get) {
  if (h->parameters == nullptr) return 0;
  try {
    get(*h->parameters);
    return 1;
  } catch (const ConfigError&) {
    if (!h->parameter_error) h->parameter_error = std::current_exception();
    return 0;
  }
}
int host_param_int(guiju_host* h, const char* key, int64_t fallback, int64_t min, int64_t max,
                   int64_t* out) {
  return parameter(h,
                   [&](const StrategyParameters& p) { *out = p.get_int(key, fallback, min, max); });
}
int host_param_double(guiju_host* h, const char* key, double fallback, double min, double max,
                      double* out) {
  return parameter(
      h, [&](const StrategyParameters& p) { *out = p.get_double(key, fallback, min, max); });
}
int host_param_bool(guiju_host* h, const char* key, int fallback, int* out) {
  return parameter(
      h, [&](const StrategyParameters& p) { *out = p.get_bool(key, fallback != 0) ? 1 : 0; });
}
int host_param_fixed(guiju_host* h, const char* key, guiju_fixed fallback, guiju_fixed* out) {
  return parameter(h, [&](const StrategyParameters& p) {
    *out = p.get_price(key, Price::from_raw(fallback)).raw();
  });
}
int host_param_string(guiju_host* h, const char* key, const char* fallback, char* out,
                      size_t capacity) {
  std::string value;
  if (parameter(h, [&](const StrategyParameters& p) {
        value = p.get_string(key, fallback ? fallback : "");
      }) == 0) {
    return 0;
  }
  if (out == nullptr || capacity == 0) return 0;
  const size_t n = std::min(value.size(), capacity - 1);
  std::memcpy(out, value.data(), n);
  out[n] = '\0';
  return n == value.size() ? 1 : 0;
}
void host_fail(guiju_host* h, const char* reason) {
  h->failure = reason != nullptr ? reason : "(no reason given)";
}

const guiju_host_api kHostApi = {
    sizeof(guiju_host_api),
    GUIJU_ABI_MAJOR,
    GUIJU_ABI_MINOR,
    host_submit,
    host_cancel,
    host_replace,
    host_set_timer,
    host_cancel_timer,
    host_now,
    host_instrument,
    host_find_instrument,
    host_subscriptions,
    host_book,
    host_order,
    host_position,
    host_open_orders,
    host_request_signal,
    host_log,
    host_param_int,
    host_param_double,
    host_param_bool,
    host_param_fixed,
    host_param_string,
    host_fail,
};

}  // namespace

PluginStrategy::PluginStrategy(std::shared_ptr<PluginLibrary> library,
                               const StrategyParameters& parameters)
    : library_(std::move(library)), host_(std::make_unique<guiju_host>()) {
  const guiju_plugin& plugin = library_->plugin();
  // A plugin built for an older minor version has a shorter table: what it lacks stays null.
  std::memcpy(&callbacks_, &plugin.callbacks,
              std::min<size_t>(plugin.callbacks.struct_size, sizeof callbacks_));
  host_->parameters = &parameters;
  self_ = callbacks_.create(host_.get(), &kHostApi);
  host_->parameters = nullptr;
  const std::string who = "strategy '" + parameters.strategy() + "' (plugin " +
                          library_->path().filename().string() + ")";
  if (self_ == nullptr) {
    if (host_->parameter_error) std::rethrow_exception(host_->parameter_error);
    throw PluginError(who + ": refused to start: " +
                      (host_->failure.empty() ? "create returned nothing" : host_->failure));
  }
  try {
    parameters.reject_unused();  // a parameter the plugin never asked for is a typo
  } catch (...) {
    callbacks_.destroy(self_);
    self_ = nullptr;
    throw;
  }
}

PluginStrategy::~PluginStrategy() {
  if (self_ != nullptr) callbacks_.destroy(self_);
}

template <typename Call>
void PluginStrategy::invoke(StrategyContext& ctx, Call&& call) {
  host_->context = &ctx;
  const int rc = call();
  host_->context = nullptr;
  if (rc != 0) {
    std::string why = host_->failure.empty() ? "callback returned " + std::to_string(rc)
                                             : std::move(host_->failure);
    host_->failure.clear();
    throw StrategyFailure(why);
  }
}

void PluginStrategy::on_start(StrategyContext& ctx) {
  if (callbacks_.on_start) invoke(ctx, [&] { return callbacks_.on_start(self_); });
}
void PluginStrategy::on_stop(StrategyContext& ctx) {
  if (callbacks_.on_stop) invoke(ctx, [&] { return callbacks_.on_stop(self_); });
}
void PluginStrategy::on_quote(StrategyContext& ctx, const Quote& quote) {
  if (!callbacks_.on_quote) return;
  const guiju_quote q = to_abi(quote);
  invoke(ctx, [&] { return callbacks_.on_quote(self_, &q); });
}
void PluginStrategy::on_book(StrategyContext& ctx, const BookUpdate& book) {
  if (!callbacks_.on_book) return;
  const guiju_book b = to_abi(book);
  invoke(ctx, [&] { return callbacks_.on_book(self_, &b); });
}
void PluginStrategy::on_trade(StrategyContext& ctx, const Trade& trade) {
  if (!callbacks_.on_trade) return;
  const guiju_trade t = to_abi(trade);
  invoke(ctx, [&] { return callbacks_.on_trade(self_, &t); });
}
void PluginStrategy::on_order_update(StrategyContext& ctx, const Order& order) {
  if (!callbacks_.on_order_update) return;
  const guiju_order o = to_abi(order);
  invoke(ctx, [&] { return callbacks_.on_order_update(self_, &o); });
}
void PluginStrategy::on_fill(StrategyContext& ctx, const Order& order, const Fill& fill) {
  if (!callbacks_.on_fill) return;
  const guiju_order o = to_abi(order);
  const guiju_fill f = to_abi(fill);
  invoke(ctx, [&] { return callbacks_.on_fill(self_, &o, &f); });
}
void PluginStrategy::on_timer(StrategyContext& ctx, TimerId timer, Timestamp scheduled) {
  if (callbacks_.on_timer)
    invoke(ctx, [&] { return callbacks_.on_timer(self_, timer, scheduled); });
}

void PluginStrategy::on_signal(StrategyContext& ctx, const SignalReply& reply) {
  if (!callbacks_.on_signal) return;
  const guiju_signal s = abi::to_abi(reply);
  invoke(ctx, [&] { return callbacks_.on_signal(self_, &s); });
}
void PluginStrategy::on_signal_timeout(StrategyContext& ctx, uint64_t request_id) {
  if (callbacks_.on_signal_timeout) {
    invoke(ctx, [&] { return callbacks_.on_signal_timeout(self_, request_id); });
  }
}

}  // namespace guiju
